"""One source of absolute URLs (issue 19, item 2): the certificate's QR code and the status e-mails follow the port
the server runs on (`PORT=8811 make run`), as the sign-up e-mail already did."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import RequestFactory

from certification.certificates.services import verification_url
from certification.models import Certificate
from core.env import site_url_from
from core.links import absolute_url
from tests.certification import factories as f
from tests.pdftools import pdf_page_image, qr_codes

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "argv", "expected"),
    [
        ({}, ["manage.py", "runserver"], "http://127.0.0.1:8000"),
        ({"PORT": "8811"}, ["manage.py", "runserver", "127.0.0.1:8811"], "http://127.0.0.1:8811"),
        ({}, ["manage.py", "runserver", "127.0.0.1:8811"], "http://127.0.0.1:8811"),
        ({}, ["manage.py", "runserver", "8811"], "http://127.0.0.1:8811"),
        ({}, ["manage.py", "runserver", "--noreload", "0.0.0.0:8811"], "http://127.0.0.1:8811"),
        ({}, ["manage.py", "runserver", "localhost:9000"], "http://localhost:9000"),
        ({"PORT": "8811"}, ["celery", "worker"], "http://127.0.0.1:8811"),
        ({"SITE_URL": "https://halal.example.go.id/", "PORT": "8811"}, ["x"], "https://halal.example.go.id"),
    ],
)
def test_the_site_url_follows_the_running_port_unless_configured(
    environ: dict[str, str], argv: list[str], expected: str
) -> None:
    assert site_url_from(environ, argv) == expected


def test_settings_take_the_port_of_make_run() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"PORT": "8811"}
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert printed.strip().splitlines()[-1] == "http://127.0.0.1:8811"


def test_absolute_url_prefers_the_request_and_otherwise_the_site_url(settings: Any) -> None:
    settings.SITE_URL = "http://127.0.0.1:8811"
    assert absolute_url("/verify/abc/") == "http://127.0.0.1:8811/verify/abc/"
    request = RequestFactory().get("/", HTTP_HOST="localhost:8811")
    assert absolute_url("/verify/abc/", request) == "http://localhost:8811/verify/abc/"


def test_the_qr_code_and_the_status_emails_use_the_running_port(cast: f.Cast, settings: Any, tmp_path: Path) -> None:
    settings.SITE_URL = "http://127.0.0.1:8811"
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    assert verification_url(certificate) == f"http://127.0.0.1:8811/verify/{certificate.token}/"
    assert qr_codes(pdf_page_image(certificate.pdf.path)) == [f"http://127.0.0.1:8811/verify/{certificate.token}/"]
    bodies = [message.body for message in mail.outbox]
    assert any("http://127.0.0.1:8811/" in body for body in bodies), bodies[:2]
    assert not any(":8000" in body for body in bodies)
