from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_broker_when_configured(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    if os.environ.get("REDIS_URL"):
        assert body["broker"] == "ok"
    else:
        assert "broker" not in body


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


@pytest.mark.django_db
def test_the_openapi_schema_is_served_and_validates(client: Client, tmp_path) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 1000


@pytest.mark.django_db
def test_the_api_docs_use_locally_served_assets(client: Client) -> None:
    body = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in body
    assert "https://" not in body.split("<body")[0]
    assert "cdn" not in body.lower()
