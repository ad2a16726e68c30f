"""`/api/v1/` answers an API root listing its endpoints (it answered 404; issue 32, item 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_endpoint_with_the_schema_and_docs(
    api_client: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = api_client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "http://testserver/api/schema/" and body["docs"] == "http://testserver/api/docs/"
    paths = {entry["path"] for entry in body["endpoints"]}
    assert {"/api/v1/businesses/", "/api/v1/applications/{pk}/", "/api/v1/trainings/", "/api/v1/me/"} <= paths
    for path in paths:
        concrete = path.replace("{year}", "2026").replace("{number}", "1")
        concrete = concrete.replace("{pk}", "1").replace("{business_pk}", "1").replace("{product_pk}", "1")
        try:
            resolve(concrete)
        except Resolver404:
            pytest.fail(f"listed but not served: {path}")


def test_the_api_root_shows_no_data_to_anyone_anonymous(api_client: Any) -> None:
    body = api_client.get("/api/v1/").json()
    assert set(body) == {"schema", "docs", "endpoints"}
    assert all(set(entry) == {"path", "name"} for entry in body["endpoints"])
