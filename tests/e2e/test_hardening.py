"""Security hardening, proven: CSP on every HTML page, production transport settings, rate limits, files served only
by authorised views as attachments, personal numbers masked in lists, and the staff audit trail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from knox.models import AuthToken as Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from core import masking
from core.access.throttling import FixedWindowRateThrottle
from core.models import StaffAction, User
from tests.conftest import PASSWORD
from tests.core.test_settings import run_python
from tests.e2e.test_permission_matrix import ARGS
from tests.e2e.world import World, build_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)


def logged_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Content Security Policy -------------------------------------------------------------------------------------
# Every project page, for every actor, is checked in test_permission_matrix (one pass over all URLs); here the pages
# outside the matrix: allauth's account pages and the 404 page.
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/nowhere/"])
def test_account_and_error_pages_carry_the_content_security_policy(url: str, db: None) -> None:
    response = Client().get(url)
    assert response["Content-Type"].startswith("text/html")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


# --- Production transport settings (a fresh interpreter with DEBUG off) --------------------------------------------
PRODUCTION_PROBE = """
import django, json
django.setup()
from django.conf import settings as s
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
plain = middleware(RequestFactory().get("/business/", HTTP_HOST="halal.example.id"))
secure = middleware(RequestFactory().get("/business/", secure=True, HTTP_HOST="halal.example.id"))
print(json.dumps({
    "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY, "hsts": s.SECURE_HSTS_SECONDS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "secure_hsts": secure.get("Strict-Transport-Security"), "nosniff": secure.get("X-Content-Type-Options"),
}))
"""


def test_production_settings_force_https_secure_cookies_and_hsts() -> None:
    result = run_python(
        PRODUCTION_PROBE,
        DJANGO_SETTINGS_MODULE="halalmsi.settings",
        DEBUG="False",
        SECRET_KEY="x7!vQ2#mP9$kL4^nR8&tW1*zY6(bH3)jD5-fG0+sA2=cE7_uI9~oK1@pM4%wN8",
        ALLOWED_HOSTS="halal.example.id",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["session_secure"] is True and values["csrf_secure"] is True and values["session_httponly"] is True
    assert values["hsts"] >= 31_536_000 and values["ssl_redirect"] is True
    assert (values["plain_status"], values["plain_location"]) == (301, "https://halal.example.id/business/")
    assert values["secure_hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert values["nosniff"] == "nosniff"


# --- Rate limits ---------------------------------------------------------------------------------------------------
def test_login_attempts_are_rate_limited_per_address(settings: Any, alice: User) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    client = Client()
    codes = [client.post("/accounts/login/", {"login": alice.email, "password": "wrong"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "_auth_user_id" not in client.session


def test_signups_are_rate_limited_per_address(settings: Any, db: None) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    client = Client()
    codes = []
    for n in range(3):
        form = {"full_name": f"Baru {n}", "email": f"new{n}@example.test", "password1": PASSWORD, "password2": PASSWORD}
        codes.append(client.post("/accounts/signup/", form).status_code)
    assert codes == [302, 302, 429]
    assert not User.objects.filter(email="new2@example.test").exists()


def test_password_reset_requests_are_rate_limited(settings: Any, alice: User) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/m/ip"}
    client = Client()
    codes = [client.post("/accounts/password/reset/", {"email": alice.email}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2  # the refused third request sent nothing


@pytest.fixture
def small_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    """DRF reads its rates once at import; the throttle classes' own table is what a settings override must reach."""
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "2/min", "fee_quote": "2/min"})
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_030.0)  # mid-window: no reset mid-test


def test_the_token_endpoint_answers_429_after_its_limit(small_rates: None, alice: User) -> None:
    client = APIClient()
    body = {"email": alice.email, "password": "wrong"}
    codes = [client.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert not Token.objects.exists()


def test_the_fee_quote_answers_429_after_its_limit(small_rates: None, db: None) -> None:
    client = APIClient()
    body = {"pathway": "regular", "annual_sales": 500_000_000}
    codes = [client.post("/api/v1/fees/quote/", body, format="json").status_code for _ in range(3)]
    assert codes[2] == 429 and codes[:2] != [429, 429]
    assert "detail" in client.post("/api/v1/fees/quote/", body, format="json").json()


# --- Files: only through authorised views, always as attachments ---------------------------------------------------
def test_documents_are_served_as_attachments_with_nosniff_to_their_owner_only(
    world: World, alice: User, bob: User
) -> None:
    url = reverse("applicants:document_download", kwargs=ARGS["applicants:document_download"](world))
    response = logged_in(alice).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert logged_in(bob).get(url).status_code == 404
    assert logged_in(None).get(url).status_code == 302


def test_follow_up_evidence_is_served_as_an_attachment_with_nosniff(world: World, oscar: User, bob: User) -> None:
    url = reverse("training:follow-up-evidence", kwargs={"pk": world.follow_up.pk})
    response = logged_in(oscar).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert logged_in(bob).get(url).status_code == 404


def test_uploaded_files_are_not_reachable_under_a_public_media_url(world: World, alice: User) -> None:
    for stored in (world.document.file.name, world.follow_up.evidence.name):
        assert logged_in(alice).get(f"/media/{stored}").status_code == 404


# --- Masking of personal numbers in lists ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "nib", "phone"),
    [
        ("1234567898901", "1234*****8901", "1234******901"),
        ("081234567321", "0812****7321", "0812*****321"),
        ("0812-3456-7321", "0812******7321", "0812*****321"),
        ("12345", "*****", "*****"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_numbers_are_masked_keeping_only_their_ends(value: str | None, nib: str, phone: str) -> None:
    assert masking.mask_nib(value) == nib
    assert masking.mask_phone(value) == phone


def test_staff_lists_show_masked_business_numbers(world: World, rina: User, oscar: User) -> None:
    enrolled, candidate = world.business.nib, world.other_business.nib  # the enrol page lists the not-yet-enrolled
    pages = [
        (rina, reverse("applicants:registry"), enrolled),
        (oscar, reverse("training:program-detail", kwargs={"pk": world.program.pk}), enrolled),
        (oscar, reverse("training:attendance", kwargs={"pk": world.program.pk}), enrolled),
        (oscar, reverse("training:program-enroll", kwargs={"pk": world.program.pk}), candidate),
    ]
    for user, url, nib in pages:
        masked = masking.mask_nib(nib)
        html = logged_in(user).get(url).content.decode()
        assert masked in html, url
        assert nib not in html, url


# --- Audit trail of staff actions ------------------------------------------------------------------------------------
def test_a_reviewers_api_action_with_a_token_is_recorded_in_the_audit_trail(world: World, rina: User) -> None:
    _instance, token = Token.objects.create(user=rina)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = reverse("api-application-transitions", kwargs={"pk": world.application.pk})
    response = client.post(url, {"action": "return", "reason": "Unreadable flow chart."}, format="json")
    action = StaffAction.objects.get()
    assert (action.actor, action.method, action.path) == (rina, "POST", url)
    assert action.status_code == response.status_code
    assert action.view_name == "api-application-transitions"


def test_an_owners_action_is_not_recorded_in_the_staff_audit_trail(world: World, alice: User) -> None:
    client = APIClient()
    client.force_authenticate(alice)
    client.post(reverse("api-application-transitions", kwargs={"pk": world.application.pk}), {"action": "cancel"})
    assert not StaffAction.objects.exists()


def test_public_certificate_verification_is_rate_limited(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_verify": "2/min"})
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_030.0)
    settings.CERTIFICATE_VERIFY_RATE = "2/m"
    api, web = APIClient(), Client()
    api_url = reverse("api-public-certificate", kwargs={"number": world.certificate.number})
    page_url = reverse("certification:verify", kwargs={"token": world.certificate.token})
    assert [api.get(api_url).status_code for _ in range(3)] == [200, 200, 429]
    answers = [web.get(page_url, HTTP_ACCEPT_LANGUAGE="id") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]  # the page answers as the API does
    seconds = int(answers[2]["Retry-After"])
    assert 1 <= seconds <= 60
    assert "Coba lagi dalam 1 menit." in answers[2].content.decode()
    lookup = reverse("certification:verify-lookup")
    assert [web.get(lookup).status_code for _ in range(3)][2] == 429  # the number look-up too
