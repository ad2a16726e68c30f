#!/bin/sh
# Run once by the postgres image when it creates its database (docker-entrypoint-initdb.d): let the streaming replica
# (docker compose --profile replica) copy and follow the primary over the private network, with the password.
# A database created before this file existed: append the same line to its pg_hba.conf and `SELECT pg_reload_conf()`.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
