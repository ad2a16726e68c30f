"""API authentication: token exchange, token and session auth, one error shape."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import User

from ..conftest import PASSWORD


@pytest.mark.django_db
def test_anonymous_callers_get_401_from_the_api(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"], "errors": {}}
    assert response.json()["detail"]


def test_the_token_endpoint_exchanges_email_and_password_for_a_working_token(
    api_client: APIClient, alice: User
) -> None:
    response = api_client.post("/api/v1/auth/token/", {"email": "ALICE@example.test", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=alice).key == token

    me = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json() == {"id": alice.pk, "email": alice.email, "full_name": alice.full_name, "roles": ["owner"]}


def test_asking_twice_returns_the_same_token(api_client: APIClient, alice: User) -> None:
    first = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}).json()["token"]
    second = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}).json()["token"]
    assert first == second
    assert Token.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "alice@example.test", "password": "wrong-password"}, "non_field_errors"),
        ({"email": "nobody@example.test", "password": PASSWORD}, "non_field_errors"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"password": PASSWORD}, "email"),
        ({"email": "alice@example.test"}, "password"),
        ({}, "email"),
    ],
)
def test_bad_token_requests_get_a_clear_400_and_no_token(
    api_client: APIClient, alice: User, payload: dict[str, str], field: str
) -> None:
    response = api_client.post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert body["detail"]
    assert Token.objects.count() == 0


def test_token_errors_are_in_indonesian_by_default(api_client: APIClient, alice: User) -> None:
    response = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": "wrong"})
    assert response.json()["detail"] == "Tidak dapat masuk dengan alamat e-mail dan kata sandi tersebut."


@pytest.mark.django_db
def test_a_malformed_json_body_is_a_clear_400(api_client: APIClient) -> None:
    response = api_client.generic("POST", "/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Token.objects.count() == 0


def test_session_auth_works_for_the_browser(client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/api/v1/me/").json()["email"] == alice.email
