#!/usr/bin/env bash
# The production image's steps without Docker, from the production lock alone (CI: .ci/run; README "Production").
#
# A virtualenv gets requirements/base.txt and nothing else (no dev.txt: a runtime import missing from the lock fails
# here), the tracked source is copied beside it as the Dockerfile's `COPY . .` does, and then it runs what the image
# and docker-compose.yml run: compiletranslations and collectstatic (Dockerfile), `check --deploy` with production
# settings, migrate, gunicorn with the Dockerfile's own CMD, a Celery worker on every queue and beat; then smoke
# requests (health, a page, static files, the API's JSON errors), a task round trip through the worker, beat's
# heartbeat, gunicorn's log lines as JSON, and a clean stop on SIGTERM.
#
#   DATABASE_URL=postgres://... REDIS_URL=redis://... scripts/prod_smoke.sh
#   SMOKE_REQUIREMENTS=/tmp/other.txt ...   installs another lock instead (used to show that a missing package fails)
#   SMOKE_VENV=/tmp/v ...                   reuses a virtualenv made earlier from the same lock (local runs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
: "${DATABASE_URL:?set DATABASE_URL (an empty database is fine: the smoke test migrates it)}"
: "${REDIS_URL:?set REDIS_URL}"
REQUIREMENTS="${SMOKE_REQUIREMENTS:-$ROOT/requirements/base.txt}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

say() { printf '\n-- prod smoke [%s]: %s\n' "$(date -u +%T)" "$*"; }
fail() { printf '\n-- prod smoke FAILED: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d /tmp/halalmsi-prod-smoke.XXXXXX)
PIDS=()
cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/*.log; do
      [ -f "$log" ] && { echo "== $log (last lines)"; tail -n 25 "$log"; }
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

# --- A virtualenv from the production lock alone ------------------------------------------------------------------
VENV="${SMOKE_VENV:-$WORK/venv}"
if [ ! -x "$VENV/bin/gunicorn" ] || [ -z "${SMOKE_VENV:-}" ]; then
  say "virtualenv from $(basename "$REQUIREMENTS") alone"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
fi
"$VENV/bin/python" -m pip check >/dev/null || fail "pip check: the lock's packages do not agree"

# --- The image's file tree: tracked and new files, minus what .dockerignore keeps out -------------------------------
APP="$WORK/app"
mkdir -p "$APP"
git ls-files --cached --others --exclude-standard -z \
  | grep -zvE '^(\.venv|media|staticfiles|bench/out|test-artifacts|backups)/' \
  | tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$APP"
cd "$APP"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Production settings, as docker-compose.yml's .env gives them.
export DEBUG=False LOG_FORMAT=json
export SECRET_KEY="smoke-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export ALLOWED_HOSTS=smoke.example.test SITE_URL=https://smoke.example.test
export CSRF_TRUSTED_ORIGINS=https://smoke.example.test
export MEDIA_ROOT="$WORK/media" PROMETHEUS_MULTIPROC_DIR="$WORK/prometheus" BEAT_HEARTBEAT_FILE="$WORK/beat-heartbeat"
export WORKER_METRICS_PORT=0 GUNICORN_CONTROL_SOCKET="$WORK/gunicorn.ctl"
export DJANGO_SETTINGS_MODULE=halalmsi.settings PYTHONDONTWRITEBYTECODE=1
unset CI PYTEST_XDIST_WORKER
PY="$VENV/bin/python"

say "the Dockerfile's build steps: compiletranslations, collectstatic"
"$PY" manage.py compiletranslations >"$WORK/build.log" 2>&1 || fail "compiletranslations"
"$PY" manage.py collectstatic --no-input >>"$WORK/build.log" 2>&1 || fail "collectstatic"

say "check --deploy with production settings (warnings fail too)"
"$PY" manage.py check --deploy --fail-level WARNING || fail "check --deploy"

say "migrate (compose's migrate service)"
"$PY" manage.py migrate --no-input >"$WORK/migrate.log" 2>&1 || fail "migrate"

say "gunicorn with the Dockerfile's CMD on 127.0.0.1:$PORT, a worker and beat"
mapfile -t CMD < <("$PYTHON" - "$ROOT/Dockerfile" "$PORT" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
cmd = json.loads(re.search(r"^CMD (\[.*?\])\s*$", text, re.S | re.M).group(1).replace("\\\n", ""))
for part in cmd:
    print(f"--bind=127.0.0.1:{sys.argv[2]}" if part.startswith("--bind=") else part)
EOF
)
[ "${CMD[0]}" = gunicorn ] || fail "the Dockerfile's CMD is not gunicorn: ${CMD[*]}"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
"$VENV/bin/${CMD[0]}" "${CMD[@]:1}" >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
GUNICORN_PID=$!
"$VENV/bin/celery" -A halalmsi worker --loglevel=INFO --concurrency=2 --queues=default,mail,pdf,reports,dashboard \
  --hostname="smoke@%h" >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$VENV/bin/celery" -A halalmsi beat --loglevel=INFO >"$WORK/beat.log" 2>&1 &
PIDS+=($!)

http() {  # http PATH [curl options...]: prints the status code, the body goes to $WORK/body
  local path=$1
  shift
  curl -s -o "$WORK/body" -w '%{http_code}' --max-time 20 -H 'Host: smoke.example.test' \
    -H 'X-Forwarded-Proto: https' "$@" "http://127.0.0.1:$PORT$path"
}
for _ in $(seq 120); do
  [ "$(http /healthz || true)" = 200 ] && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || fail "gunicorn exited"
  sleep 0.5
done

say "smoke requests"
[ "$(http /healthz)" = 200 ] || fail "/healthz"
grep -q '"database"' "$WORK/body" || fail "/healthz does not report the database: $(cat "$WORK/body")"
[ "$(http /)" = 200 ] || fail "the home page"
[ "$(http /accounts/login/)" = 200 ] || fail "the login page"
grep -q 'lang="id"' "$WORK/body" || fail "the login page is not in Indonesian"
STATIC=$(grep -oE '/static/[^"]+\.css' "$WORK/body" | head -1)
[ -n "$STATIC" ] && [ "$(http "$STATIC")" = 200 ] || fail "a static file from the manifest ($STATIC)"
[ "$(http /api/v1/businesses/ -H 'Accept: application/json')" = 401 ] || fail "the API without a token"
"$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/body" || fail "the API's 401 is not JSON"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: smoke.example.test' "http://127.0.0.1:$PORT/")" = 301 ] \
  || fail "plain HTTP is not redirected to HTTPS"

say "a task through the broker and the worker"
"$PY" -c '
import django; django.setup()
from core.tasks import ping
assert ping.delay("smoke").get(timeout=90) == "smoke"
' || fail "a task round trip through the worker"

say "beat ticks (heartbeat file)"
for _ in $(seq 60); do [ -f "$BEAT_HEARTBEAT_FILE" ] && break; sleep 0.5; done
[ -f "$BEAT_HEARTBEAT_FILE" ] || fail "beat never ticked"

say "gunicorn's own log lines are JSON with a zoned timestamp"
"$PY" - "$WORK/gunicorn.log" <<'EOF' || fail "gunicorn's log is not JSON lines"
import json, re, sys
lines = [line for line in open(sys.argv[1]) if line.strip()]
assert lines, "no log lines"
for line in lines:
    record = json.loads(line)
    assert re.search(r"T\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)$", record["time"]), record
assert any(record.get("logger", "").startswith("gunicorn") for record in map(json.loads, lines)), "no gunicorn line"
EOF

say "stop on SIGTERM"
for pid in "${PIDS[@]}"; do kill -TERM "$pid"; done
for pid in "${PIDS[@]}"; do
  code=0
  wait "$pid" || code=$?
  [ "$code" -eq 0 ] || fail "process $pid exited with $code after SIGTERM"
done
PIDS=()
say "passed: the production lock boots web, worker and beat"
