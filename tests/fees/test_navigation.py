from __future__ import annotations

from django.test import Client

from core.models import User


def test_fee_calculator_is_in_the_public_menu(client: Client, db: None) -> None:
    html = client.get("/fees/calculator/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/fees/calculator/" aria-current="page">' in html


def test_fee_calculator_is_in_the_signed_in_menu(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/fees/calculator/">' in html


def test_fee_calculator_menu_label_is_translated(client: Client, db: None) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<a href="/fees/calculator/">Kalkulator biaya</a>' in html
