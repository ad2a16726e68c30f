""" "Akun saya": a person changes their own name and phone (the password on allauth's page); greeted by first name,
never by a title or the e-mail address (issue 32, item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.access.names import first_name
from core.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Ustaz Ahmad Fauzi", "Ahmad"),
        ("Bapak Budi Santoso", "Budi"),
        ("Ibu Siti Rahmawati", "Siti"),
        ("H. Muhammad Yusuf", "Muhammad"),
        ("Hj. Dr. Aminah", "Aminah"),
        ("dr. Rina", "Rina"),
        ("Dewi Lestari", "Dewi"),
        ("Ustazah", ""),
        ("", ""),
    ],
)
def test_a_title_is_never_taken_for_a_first_name(full_name: str, expected: str) -> None:
    assert first_name(full_name) == expected


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_home_page_greets_by_first_name_and_never_by_title_or_e_mail(make_user: Any) -> None:
    ustaz = make_user("ustaz@example.test", "pph", full_name="Ustaz Ahmad Fauzi")
    assert "Selamat datang, Ahmad</h1>" in _client(ustaz).get("/home/").content.decode()
    nameless = make_user("tanpa.nama@example.test", "owner")
    page = _client(nameless).get("/home/").content.decode()
    assert "<h1>Selamat datang</h1>" in page and "Selamat datang, tanpa" not in page


def test_the_menu_leads_to_the_account_page_with_the_password_change(alice: User) -> None:
    client = _client(alice)
    home = client.get("/home/").content.decode()
    assert f'href="{reverse("account")}">Akun saya' in home
    page = client.get(reverse("account")).content.decode()
    assert 'value="Alice Wulandari"' in page
    assert reverse("account_change_password") in page
    assert client.get(reverse("account_change_password")).status_code == 200


def test_an_owner_changes_their_name_and_phone_and_a_new_number_loses_its_whatsapp_check(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(phone="081234567890", whatsapp_verified_at=timezone.now())
    response = _client(alice).post(
        reverse("account"), {"full_name": "  Alice   Wulandari Putri ", "phone": "0813-1111-2222"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.full_name, alice.phone, alice.whatsapp_verified_at) == ("Alice Wulandari Putri", "081311112222", None)


def test_the_same_number_written_another_way_keeps_its_whatsapp_check(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(phone="+6281234567890", whatsapp_verified_at=timezone.now())
    assert _client(alice).post(reverse("account"), {"full_name": "Alice", "phone": "0812 3456 7890"}).status_code == 302
    alice.refresh_from_db()
    assert alice.whatsapp_verified_at is not None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"full_name": "Ibu", "phone": ""}, "Tulis nama Anda"),
        ({"full_name": "", "phone": ""}, "Tulis nama Anda"),
        ({"full_name": "Alice", "phone": "12ab"}, "Tulis nomor telepon"),
    ],
)
def test_bad_account_input_is_refused_in_indonesian_and_writes_nothing(
    alice: User, values: dict[str, str], message: str
) -> None:
    response = _client(alice).post(reverse("account"), values)
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert (alice.full_name, alice.phone) == ("Alice Wulandari", "")


def test_the_password_changes_on_allauths_page_reached_from_the_account(alice: User) -> None:
    client = _client(alice)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "kerupuk-udang-2027", "password2": "kerupuk-udang-2027"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("kerupuk-udang-2027")


def test_a_signup_with_only_a_title_for_a_name_is_refused_and_writes_nothing(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Bapak",
            "email": "pak@warung.test",
            "password1": "kerupuk-udang-2026",
            "password2": "kerupuk-udang-2026",
        },
    )
    assert response.status_code == 200
    assert "Tulis nama Anda" in response.content.decode()
    assert not User.objects.filter(email="pak@warung.test").exists()


def test_the_account_page_needs_a_login() -> None:
    response = Client().get(reverse("account"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
