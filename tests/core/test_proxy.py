"""deploy/nginx.conf run by a real nginx in front of a real gunicorn on 127.0.0.1 (compose's proxy, minus Docker).

The configuration is the file itself, with only what Docker provides replaced: the upstream's name (`web:8000`) by
gunicorn's address, the ports by free ones, and the TLS files by a throwaway self-signed pair. nginx 1.27's
`http2 on;` is dropped when the installed nginx is older (Debian's 1.22).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import urllib3
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2, verify=False, allow_redirects=False)  # noqa: S501 - a throwaway certificate
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def gunicorn(transactional_db: None, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    db = settings.DATABASES["default"]
    port = free_port()
    # No PROMETHEUS_MULTIPROC_DIR at all: prometheus_client turns multiprocess mode on when the variable is merely
    # present, and with an empty value writes its histogram_<pid>.db files into the current folder (the checkout).
    env = {
        **{key: value for key, value in os.environ.items() if key.lower() != "prometheus_multiproc_dir"},
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DEBUG": "False",
        "SECRET_KEY": "proxy-test-" + "x" * 50,
        "ALLOWED_HOSTS": "proxy.example.test",
        "GUNICORN_CONTROL_SOCKET": str(tmp_path / "gunicorn.ctl"),
        "STATIC_MANIFEST": "False",  # no collectstatic in a checkout
    }
    command = [sys.executable, "-m", "gunicorn", "halalmsi.wsgi:application", "--config=deploy/gunicorn.conf.py",
               f"--bind=127.0.0.1:{port}", "--workers=1", "--timeout=120"]  # fmt: skip
    with (tmp_path / "gunicorn.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    process.port = port  # type: ignore[attr-defined]
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(30)


@pytest.fixture
def nginx(gunicorn: subprocess.Popen[bytes], tmp_path: Path) -> Iterator[dict[str, int]]:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (.ci/run installs it)")
        pytest.skip("nginx is not installed")
    subprocess.run(  # noqa: S603
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=proxy.example.test",  # noqa: S607
            "-keyout",
            str(tmp_path / "privkey.pem"),
            "-out",
            str(tmp_path / "fullchain.pem"),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    ports = {"http": free_port(), "https": free_port()}
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = f"http://127.0.0.1:{gunicorn.port}"  # type: ignore[attr-defined]
    conf = conf.replace("http://web:8000", upstream).replace("/etc/nginx/tls/", f"{tmp_path}/")
    conf = conf.replace("listen 80 default_server;", f"listen 127.0.0.1:{ports['http']} default_server;")
    conf = conf.replace("listen 443 ssl default_server;", f"listen 127.0.0.1:{ports['https']} ssl default_server;")
    version = subprocess.run([binary, "-v"], capture_output=True, text=True).stderr  # noqa: S603
    major, minor = map(int, re.search(r"nginx/(\d+)\.(\d+)", version).groups())  # type: ignore[union-attr]
    if (major, minor) < (1, 25):
        conf = conf.replace("http2 on;", "")
    conf = conf.replace("events {", f"pid {tmp_path}/nginx.pid;\nevents {{", 1)
    (tmp_path / "nginx.conf").write_text(conf)
    command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log"),
               "-g", "daemon off;"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    try:
        wait_until_up(f"http://127.0.0.1:{ports['http']}/")
        yield ports
    finally:
        process.terminate()
        process.wait(10)


def test_the_proxy_passes_requests_and_is_healthy_only_while_web_is(
    nginx: dict[str, int], gunicorn: subprocess.Popen[bytes]
) -> None:
    urllib3.disable_warnings()
    health = requests.get(f"http://127.0.0.1:{nginx['http']}/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["database"] == "ok"
    https = f"https://127.0.0.1:{nginx['https']}"
    page = requests.get(f"{https}/accounts/login/", headers={"Host": "proxy.example.test"}, verify=False, timeout=30)  # noqa: S501
    assert page.status_code == 200 and page.headers["X-Request-ID"]
    assert requests.get(f"{https}/metrics", verify=False, timeout=10).status_code == 404  # noqa: S501
    redirect = requests.get(f"http://127.0.0.1:{nginx['http']}/x", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")

    gunicorn.terminate()
    gunicorn.wait(30)
    down = requests.get(f"http://127.0.0.1:{nginx['http']}/healthz", timeout=10)
    assert down.status_code == 502  # compose's proxy healthcheck now fails: no upstream answers
