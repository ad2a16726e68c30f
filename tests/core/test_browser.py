"""A real browser: Debian Chromium driven by Playwright against the live server."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import User

from ..conftest import PASSWORD


def log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.browser
def test_an_owner_logs_in_and_sees_the_owner_home_page(page: Any, live_server: Any, alice: User) -> None:
    log_in(page, live_server, alice.email)
    page.wait_for_url(f"{live_server.url}/home/")
    assert page.locator("#home-owner").is_visible()
    assert "Selamat datang" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "id"


@pytest.mark.browser
def test_a_wrong_password_keeps_the_owner_on_the_login_page(page: Any, live_server: Any, alice: User) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", "wrong-password")
    page.click("main button[type=submit]")
    assert "tidak benar" in page.content()
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
