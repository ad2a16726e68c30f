"""A journey through the multi-host topology that scripts/topology_test.sh starts: two web processes, two workers and
one beat sharing only PostgreSQL (a primary and its streaming replica, both behind PgBouncer in transaction mode) and
Redis. Exits non-zero at the first step that fails; prints what each step showed.

    python scripts/topology_journey.py WEB1 WEB2 PRIMARY_DSN REPLICA_DSN PGBOUNCER_ADMIN_DSN BEAT_HEARTBEAT_FILE
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import psycopg2
import requests

HOST = "topology.example.test"
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def say(message: str) -> None:
    print(f"-- journey: {message}", flush=True)


class Browser:
    """One person's browser: cookies sent by hand (the app's cookies are Secure, the test talks plain HTTP)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def go(self, base: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**HEADERS, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(method, base + path, headers=headers, allow_redirects=False, timeout=120, **kwargs)
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response


def replica_queries(admin_dsn: str) -> dict[str, int]:
    """Queries PgBouncer has sent to each database so far (SHOW STATS)."""
    connection = psycopg2.connect(admin_dsn)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SHOW STATS")
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    connection.close()
    return {row["database"]: int(row["total_query_count"]) for row in rows}


def one(dsn: str, sql: str, *args: Any) -> Any:
    connection = psycopg2.connect(dsn)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        row = cursor.fetchone()
    connection.close()
    return row[0] if row else None


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"-- journey FAILED: {message}")


def on_replica(admin: str, step: str, action: Any) -> Any:
    before = replica_queries(admin).get("halalmsi_replica", 0)
    result = action()
    after = replica_queries(admin).get("halalmsi_replica", 0)
    check(after > before, f"{step}: no query reached the replica ({before} -> {after})")
    say(f"{step}: {after - before} queries on the replica")
    return result


def main(web1: str, web2: str, primary: str, replica: str, admin: str, heartbeat: str) -> None:
    for base in (web1, web2):
        health = requests.get(base + "/healthz", timeout=30)
        check(health.status_code == 200 and health.json()["database"] == "ok", f"{base}/healthz: {health.text}")
    say("both web processes healthy")

    check(one(replica, "SELECT pg_is_in_recovery()") is True, "the replica is not in recovery")
    token = one(primary, "SELECT token FROM certification_certificate ORDER BY id LIMIT 1")
    number = one(primary, "SELECT number FROM certification_certificate WHERE token = %s", token)
    check(token is not None, "the demo made no certificate")
    deadline = time.monotonic() + 30
    while one(replica, "SELECT count(*) FROM certification_certificate WHERE token = %s", token) != 1:
        check(time.monotonic() < deadline, "the demo's certificate never reached the replica")
        time.sleep(0.5)
    say(f"streaming replica in recovery and caught up (certificate {number})")

    public = Browser()
    page = on_replica(admin, "public verification on web 2", lambda: public.go(web2, "GET", f"/verify/{token}/"))
    check(page.status_code == 200 and number in page.text, f"verification page: {page.status_code}")
    catalogue = on_replica(admin, "public catalogue on web 1", lambda: public.go(web1, "GET", "/katalog/"))
    check(catalogue.status_code == 200, f"catalogue: {catalogue.status_code}")

    staff = Browser()
    login_page = staff.go(web1, "GET", "/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)
    check(csrf is not None, "no CSRF token on the login page")
    login = staff.go(
        web1,
        "POST",
        "/accounts/login/",
        data={"login": "admin@demo.test", "password": "halal-demo", "csrfmiddlewaretoken": csrf.group(1)},  # type: ignore[union-attr]
        headers={"Referer": f"https://{HOST}/accounts/login/"},
    )
    check(login.status_code == 302 and "primary_until" in staff.cookies, f"login: {login.status_code}")
    say("staff logged in on web 1; the browser is pinned to the primary")
    dashboard = staff.go(web2, "GET", "/staff/dashboard/")
    check(dashboard.status_code == 200, f"dashboard right after login, on web 2: {dashboard.status_code}")
    say("dashboard on web 2 right after the login (read from the primary: the pin)")

    time.sleep(int(os.environ.get("REPLICA_PIN_SECONDS", "3")) + 1)
    staff.cookies.pop("primary_until", None)  # the browser drops the expired cookie
    dashboard = on_replica(
        admin, "dashboard on web 2 once the pin ran out", lambda: staff.go(web2, "GET", "/staff/dashboard/")
    )
    check(dashboard.status_code == 200, f"dashboard: {dashboard.status_code}")

    csv = on_replica(admin, "streamed CSV export on web 1 (server-side cursor, transaction pooling)",
                     lambda: staff.go(web1, "GET", "/staff/exports/applications.csv", stream=False))  # fmt: skip
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    check(csv.status_code == 200 and len(lines) > 1, f"CSV export: {csv.status_code}, {len(lines)} lines")
    say(f"CSV export: {len(lines) - 1} rows")

    csrf_token = staff.cookies.get("csrftoken", "")
    queued = staff.go(
        web2,
        "POST",
        "/staff/exports/jobs/new/",
        data={"path": "/staff/exports/applications.xlsx", "query": "", "csrfmiddlewaretoken": csrf_token},
        headers={"Referer": f"https://{HOST}/staff/exports/jobs/new/"},
    )
    check(queued.status_code == 302, f"export job: {queued.status_code} {queued.text[:300]}")
    job = int(queued.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    deadline = time.monotonic() + 180
    while (status := one(primary, "SELECT status FROM reports_exportjob WHERE id = %s", job)) in ("queued", "running"):
        check(time.monotonic() < deadline, "the export job never finished")
        time.sleep(1)
    error = one(primary, "SELECT error FROM reports_exportjob WHERE id = %s", job)
    check(status == "done", f"export job {job}: {status} {error}")
    download = staff.go(web1, "GET", f"/staff/exports/jobs/{job}/download/")
    check(download.status_code == 200 and download.content[:2] == b"PK", f"export download: {download.status_code}")
    say(f"export job {job} built by a worker ({len(download.content)} bytes), downloaded from the other web process")

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halalmsi.settings")
    from halalmsi.celery import app

    replies = app.control.ping(timeout=5)
    check(len(replies) == 2, f"workers answering: {replies}")
    say(f"two workers answer: {sorted(next(iter(r)) for r in replies)}")
    check(Path(heartbeat).exists(), "beat never ticked")
    holders = one(primary, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
    check(holders == 1, f"advisory locks held: {holders} (one beat)")
    say("one beat holds the lock and ticks")
    say("passed")


if __name__ == "__main__":
    main(*sys.argv[1:7])
