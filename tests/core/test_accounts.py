"""Owners sign up themselves (with e-mail verification); everyone logs in with e-mail and password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from core.access import roles
from core.models import User

from ..conftest import PASSWORD

WRONG_CREDENTIALS_ID = "Alamat e-mail dan/atau kata sandi yang anda masukkan tidak benar."


@pytest.mark.django_db
def test_an_owner_signs_up_verifies_the_email_and_logs_in(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Ibu Sari Wulandari",
            "email": "Sari@Warung.test",
            "password1": "kerupuk-udang-2026",
            "password2": "kerupuk-udang-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="sari@warung.test")
    assert user.roles == frozenset({roles.OWNER})
    assert user.full_name == "Ibu Sari Wulandari"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body).group(1)

    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post("/accounts/login/", {"login": "sari@warung.test", "password": "kerupuk-udang-2026"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    home = client.get("/home/").content.decode()
    assert "Selamat datang, Sari" in home and "Selamat datang, sari@" not in home  # by name, not "Ibu", not e-mail


@pytest.mark.django_db
def test_signup_with_a_taken_email_creates_no_account_and_tells_the_address_owner(client: Client, alice: User) -> None:
    # allauth does not reveal on the page whether an address is registered (account enumeration); the person who
    # owns the address is told by e-mail instead.
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Alice",
            "email": alice.email,
            "password1": "kerupuk-udang-2026",
            "password2": "kerupuk-udang-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_is_refused_and_writes_nothing(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Sari",
            "email": "sari@warung.test",
            "password1": "kerupuk-udang-2026",
            "password2": "other-2026",
        },
    )
    assert response.status_code == 200
    assert "Anda harus mengetikkan kata sandi yang sama setiap kali." in response.content.decode()
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_a_wrong_password_is_refused_with_a_clear_message(client: Client, alice: User) -> None:
    response = client.post("/accounts/login/", {"login": alice.email, "password": "not-the-password"})
    assert response.status_code == 200
    assert WRONG_CREDENTIALS_ID in response.content.decode()
    assert SESSION_KEY not in client.session
    alice.refresh_from_db()
    assert alice.last_login is None


@pytest.mark.django_db
def test_an_unknown_email_is_refused_with_the_same_message(client: Client) -> None:
    response = client.post("/accounts/login/", {"login": "nobody@example.test", "password": PASSWORD})
    assert response.status_code == 200
    assert WRONG_CREDENTIALS_ID in response.content.decode()
    assert SESSION_KEY not in client.session
    assert User.objects.count() == 0


def test_logins_are_rate_limited_after_repeated_failures(client: Client, alice: User) -> None:
    for _ in range(5):
        client.post("/accounts/login/", {"login": alice.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_login_page_speaks_indonesian_by_default(client: Client, db: None) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="id">' in body
    assert "Masuk" in body


def test_the_language_switcher_turns_the_page_into_english(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Sign In" in response.content.decode()


def test_owner_home_shows_the_owner_panel_only(client: Client, alice: User) -> None:
    client.force_login(alice)
    body = client.get("/home/").content.decode()
    assert 'id="home-owner"' in body
    assert 'id="home-reviewer"' not in body


def test_a_person_with_two_roles_sees_both_panels(client: Client, make_user) -> None:
    client.force_login(make_user("two@example.test", roles.REVIEWER, roles.OFFICER))
    body = client.get("/home/").content.decode()
    assert 'id="home-reviewer"' in body and 'id="home-officer"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/home/", "/admin/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_a_signup_succeeds_while_the_mail_server_is_down_and_the_worker_retries_the_e_mail(
    client: Client, settings: Any
) -> None:
    """allauth's e-mail goes to the worker: a refused SMTP connection fails the task (retried, then dead-lettered),
    never the signup page."""
    from core.models import FailedTask
    from halalmsi.celery import app as celery_app

    celery_app.conf.task_eager_propagates = False  # as a worker: the task's failure stays in the task
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, False, 1
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Tuti",
            "email": "tuti@warung.test",
            "password1": "kerupuk-udang-2026",
            "password2": "kerupuk-udang-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="tuti@warung.test").exists()
    failed = FailedTask.objects.get()
    assert failed.task_name == "core.notify_account_email" and failed.retries == 6
    assert failed.kwargs["to"] == ["tuti@warung.test"]
