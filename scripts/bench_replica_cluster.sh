#!/usr/bin/env bash
# A small PostgreSQL primary and its streaming replica on 127.0.0.1 for the benchmark's replica rows
# (bench/cases/replica_reads.py; README "Benchmarks"): a replica of the main cluster would copy all its databases, so the
# bench seeds its own small one. Run as root; the clusters belong to the postgres user.
#   scripts/bench_replica_cluster.sh start [DIR]   primary on 5433, replica on 5434 (pg_basebackup -R), fsync off
#   scripts/bench_replica_cluster.sh stop [DIR]
# Then: python -m bench --database-url postgres://postgres@127.0.0.1:5433/halalmsi_bench \
#         --replica-url postgres://postgres@127.0.0.1:5434/halalmsi_bench --applications 200000 ... --only replica_reads
set -euo pipefail
ACTION=${1:?start or stop}
DIR=${2:-/srv/pg-r1}
PRIMARY_PORT=${PRIMARY_PORT:-5433}
REPLICA_PORT=${REPLICA_PORT:-5434}
PGBIN=/usr/lib/postgresql/15/bin
as_pg() { runuser -u postgres -- "$@"; }

case "$ACTION" in
start)
  mkdir -p "$DIR"
  chown postgres "$DIR"
  if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$DIR/primary" -A trust -U postgres >/dev/null
  fi
  if [ ! -f "$DIR/primary/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start -o "-h 127.0.0.1 -p $PRIMARY_PORT \
      -k $DIR -c wal_level=replica -c max_wal_senders=4 -c fsync=off -c full_page_writes=off -c max_connections=200 \
      -c shared_buffers=512MB -c max_wal_size=4GB" >/dev/null
  fi
  as_pg psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='halalmsi_bench'" \
    | grep -q 1 || as_pg createdb -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres halalmsi_bench
  if [ ! -f "$DIR/replica/PG_VERSION" ]; then
    as_pg pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream -c fast
  fi
  if [ ! -f "$DIR/replica/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start -o "-h 127.0.0.1 -p $REPLICA_PORT -k $DIR \
      -c hot_standby=on -c hot_standby_feedback=on -c max_connections=200 -c shared_buffers=512MB" >/dev/null
  fi
  as_pg psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -tAc \
    "SELECT 'replica ' || client_addr || ' ' || state FROM pg_stat_replication"
  ;;
stop)
  for data in replica primary; do
    [ -f "$DIR/$data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/$data" -m fast -w stop >/dev/null
  done
  true
  ;;
*)
  echo "usage: $0 start|stop [DIR]" >&2
  exit 2
  ;;
esac
