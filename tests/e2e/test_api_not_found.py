"""A URL under /api/ that matches no pattern answers the API's JSON error shape (found by schemathesis: a path
parameter that is not a number used to get Django's HTML 404 page)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.models import User


@pytest.mark.parametrize("path", ["/api/v1/applications/false/", "/api/v1/businesses/x/figures/", "/api/v2/"])
def test_an_unmatched_api_path_answers_json_404(path: str, alice: User) -> None:
    client = APIClient()
    client.force_authenticate(alice)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}


def test_an_unmatched_web_path_still_answers_the_html_404_page(db: None) -> None:
    response = Client().get("/business/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
