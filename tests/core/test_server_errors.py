"""A 500 under /api/ answers the API's JSON error shape (with the request id), never an HTML page; pages keep HTML."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def production_errors(settings: Any) -> Client:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.boom_urls"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/api/v1/test-boom/", "/api/v1/test-plain-boom/"])
def test_an_api_500_answers_json_in_the_error_shape_with_the_request_id(production_errors: Client, path: str) -> None:
    response = production_errors.get(path, HTTP_X_REQUEST_ID="req-500-test")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body == {
        "detail": "Terjadi kesalahan pada server. Silakan coba lagi nanti.",
        "errors": {},
        "request_id": "req-500-test",
    }


def test_an_api_500_speaks_the_clients_language(production_errors: Client) -> None:
    response = production_errors.get("/api/v1/test-boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Server error. Please try again later."


def test_a_page_500_stays_html(production_errors: Client) -> None:
    response = production_errors.get("/test-boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
