"""Announcements and questions in a real browser on a 360 px phone screen, without JavaScript help: the officer
announces from the program page, the owner reads it on "my trainings" and asks a question with the form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from core.models import User
from tests.training.factories import BusinessFactory, EnrollmentFactory, ProgramFactory
from training.models import ProgramMessage

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _log_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_announce_and_ask_on_a_phone(page: Any, live_server: Any, oscar: User, alice: User, width: int) -> None:
    program = ProgramFactory(responsible_officer=oscar, title="Pemasaran Digital")
    EnrollmentFactory(program=program, business=BusinessFactory(owner=alice, name="Keripik Alice"))
    page.set_viewport_size({"width": width, "height": 740})

    _log_in(page, live_server, oscar)
    page.goto(f"{live_server.url}/trainings/{program.pk}/")
    page.fill("#messages-body", "Bawa laptop ke sesi kedua.")
    page.click("#messages button[type=submit]")
    page.wait_for_selector("text=Pesan Anda terkirim.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"training-messages-officer-{width}.png"), full_page=True)

    _log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/my/trainings/")
    assert "Bawa laptop ke sesi kedua." in page.inner_text(f"#program-{program.pk}-messages")
    page.fill(f"#program-{program.pk}-messages-body", "Apakah ada sertifikat?")
    page.click(f"#program-{program.pk}-messages button[type=submit]")
    page.wait_for_selector("text=Pesan Anda terkirim.")
    assert "Apakah ada sertifikat?" in page.inner_text(f"#program-{program.pk}-messages")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"training-messages-owner-{width}.png"), full_page=True)
    assert list(ProgramMessage.objects.order_by("id").values_list("kind", flat=True)) == ["announcement", "question"]
