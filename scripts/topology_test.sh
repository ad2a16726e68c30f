#!/usr/bin/env bash
# The "past one machine" topology on 127.0.0.1 (CI: .ci/run; README "Going past one machine"): a PostgreSQL primary, a
# streaming replica made with pg_basebackup, PgBouncer in transaction mode in front of both, two web processes
# (gunicorn), two Celery workers and one beat, each its own process sharing nothing but PostgreSQL, Redis and the media
# folder (object storage in production); then a journey through it (scripts/topology_journey.py). Run as root (CI).
#   REDIS_URL=redis://127.0.0.1:6379/3 scripts/topology_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
: "${REDIS_URL:?set REDIS_URL}"
PGBIN=/usr/lib/postgresql/15/bin
PY="$ROOT/.venv/bin/python"
say() { printf '\n-- topology [%s]: %s\n' "$(date -u +%T)" "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
command -v pgbouncer >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
}

WORK=$(mktemp -d /tmp/halalmsi-topology.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/pg" "$WORK/media"
chown postgres "$WORK/pg"
PIDS=()
cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for data in replica primary; do
    [ -f "$WORK/pg/$data/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/$data" -m fast -w stop >/dev/null 2>&1
  done
  [ -f "$WORK/pg/pgbouncer.pid" ] && kill "$(cat "$WORK/pg/pgbouncer.pid")" 2>/dev/null
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/*.log "$WORK"/pg/*.log; do [ -f "$log" ] && { echo "== $log"; tail -n 20 "$log"; }; done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

P1=$(free_port); P2=$(free_port); P3=$(free_port)
say "PostgreSQL primary on 127.0.0.1:$P1"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/primary" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/primary" -l "$WORK/pg/primary.log" -w start \
  -o "-h 127.0.0.1 -p $P1 -k $WORK/pg -c wal_level=replica -c max_wal_senders=4 -c fsync=off -c max_connections=200" >/dev/null
runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$P1" -U postgres halalmsi

say "streaming replica (pg_basebackup -R) on 127.0.0.1:$P2"
runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$P1" -U postgres -D "$WORK/pg/replica" -R -X stream -c fast
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/replica" -l "$WORK/pg/replica.log" -w start \
  -o "-h 127.0.0.1 -p $P2 -k $WORK/pg -c hot_standby=on -c hot_standby_feedback=on -c max_connections=200" >/dev/null

say "PgBouncer (transaction mode) on 127.0.0.1:$P3"
cat >"$WORK/pg/pgbouncer.ini" <<INI
[databases]
halalmsi = host=127.0.0.1 port=$P1 dbname=halalmsi user=postgres
halalmsi_replica = host=127.0.0.1 port=$P2 dbname=halalmsi user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $P3
unix_socket_dir =
auth_type = any
admin_users = postgres
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
pidfile = $WORK/pg/pgbouncer.pid
logfile = $WORK/pg/pgbouncer.log
INI
chown postgres "$WORK/pg/pgbouncer.ini"
runuser -u postgres -- pgbouncer -d "$WORK/pg/pgbouncer.ini"
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $P3), 1)" 2>/dev/null && break; sleep 0.1; done

export DEBUG=False SECRET_KEY="topology-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=topology.example.test SITE_URL=https://topology.example.test SECURE_SSL_REDIRECT=False
export CSRF_TRUSTED_ORIGINS=https://topology.example.test LOG_FORMAT=json MEDIA_ROOT="$WORK/media"
export DATABASE_URL="postgres://postgres@127.0.0.1:$P3/halalmsi"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$P3/halalmsi_replica"
export DATABASE_DIRECT_URL="postgres://postgres@127.0.0.1:$P1/halalmsi"
export DATABASE_TRANSACTION_POOLED=True REPLICA_PIN_SECONDS=3 STATIC_MANIFEST=False
export BEAT_HEARTBEAT_FILE="$WORK/beat-heartbeat" WORKER_METRICS_PORT=

say "migrate (straight to the primary) and the demo data"
DATABASE_URL="$DATABASE_DIRECT_URL" "$PY" manage.py migrate --no-input >"$WORK/migrate.log" 2>&1
"$PY" manage.py compiletranslations >/dev/null 2>&1
"$PY" manage.py demo --force >"$WORK/demo.log" 2>&1

say "two web processes, two workers, one beat"
WEB=()
for n in 1 2; do
  port=$(free_port)
  WEB+=("http://127.0.0.1:$port")
  GUNICORN_CONTROL_SOCKET="$WORK/web$n.ctl" PROMETHEUS_MULTIPROC_DIR="$WORK/prometheus-web$n" \
    "$ROOT/.venv/bin/gunicorn" halalmsi.wsgi:application --config=deploy/gunicorn.conf.py --bind="127.0.0.1:$port" \
    --workers=2 --timeout=120 --graceful-timeout=30 >"$WORK/web$n.log" 2>&1 &
  PIDS+=($!)
  "$ROOT/.venv/bin/celery" -A halalmsi worker --concurrency=1 --queues=default,mail,pdf,reports,dashboard \
    --hostname="worker$n@%h" -l INFO >"$WORK/worker$n.log" 2>&1 &
  PIDS+=($!)
done
"$ROOT/.venv/bin/celery" -A halalmsi beat -l INFO >"$WORK/beat.log" 2>&1 &
PIDS+=($!)
for base in "${WEB[@]}"; do
  for _ in $(seq 120); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.5; done
done

say "the journey"
"$PY" scripts/topology_journey.py "${WEB[0]}" "${WEB[1]}" "postgres://postgres@127.0.0.1:$P1/halalmsi" \
  "postgres://postgres@127.0.0.1:$P2/halalmsi" "postgres://postgres@127.0.0.1:$P3/pgbouncer" "$BEAT_HEARTBEAT_FILE"
