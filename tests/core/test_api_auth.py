"""API authentication: token exchange, token and session auth, one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from knox.models import AuthToken as Token
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
    stored = Token.objects.get(user=alice)
    assert token not in (stored.digest, stored.token_key) and stored.token_key == token[:15]  # a digest, not the token
    assert stored.expiry is not None and response.json()["expires_at"]

    me = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json() == {"id": alice.pk, "email": alice.email, "full_name": alice.full_name, "roles": ["owner"]}


def test_each_exchange_makes_its_own_token_and_each_can_be_revoked(api_client: APIClient, alice: User) -> None:
    first = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}).json()["token"]
    second = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}).json()["token"]
    assert first != second and Token.objects.filter(user=alice).count() == 2
    revoked = APIClient(HTTP_AUTHORIZATION=f"Token {first}").post("/api/v1/auth/token/revoke/")
    assert revoked.status_code == 204
    assert APIClient(HTTP_AUTHORIZATION=f"Token {first}").get("/api/v1/me/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION=f"Token {second}").get("/api/v1/me/").status_code == 200
    third = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}).json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {third}").post("/api/v1/auth/token/revoke-all/").status_code == 204
    assert not Token.objects.filter(user=alice).exists()
    for token in (second, third):
        assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/").status_code == 401


def test_an_expired_token_is_refused_and_removed(api_client: APIClient, alice: User) -> None:
    import datetime as dt

    from django.utils import timezone

    token = api_client.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}).json()["token"]
    Token.objects.filter(user=alice).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=alice).exists()


def test_past_the_limit_a_new_token_is_refused_until_one_is_revoked(
    api_client: APIClient, alice: User, settings: Any
) -> None:
    from knox.settings import knox_settings

    previous = knox_settings.TOKEN_LIMIT_PER_USER
    knox_settings.TOKEN_LIMIT_PER_USER = 2
    try:
        login = {"email": alice.email, "password": PASSWORD}
        tokens = [api_client.post("/api/v1/auth/token/", login).json()["token"] for _ in range(2)]
        refused = api_client.post("/api/v1/auth/token/", login)
        assert refused.status_code == 400 and "revoke-all" in refused.json()["detail"]
        assert Token.objects.filter(user=alice).count() == 2
        APIClient(HTTP_AUTHORIZATION=f"Token {tokens[0]}").post("/api/v1/auth/token/revoke/")
        assert api_client.post("/api/v1/auth/token/", login).status_code == 200
    finally:
        knox_settings.TOKEN_LIMIT_PER_USER = previous


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
    assert response.json()["detail"] == "Tidak dapat masuk dengan alamat email dan kata sandi tersebut."


@pytest.mark.django_db
def test_a_malformed_json_body_is_a_clear_400(api_client: APIClient) -> None:
    response = api_client.generic("POST", "/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Token.objects.count() == 0


def test_session_auth_works_for_the_browser(client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/api/v1/me/").json()["email"] == alice.email
