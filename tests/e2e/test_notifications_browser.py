"""In a phone-sized Chromium: the bell's count, the inbox, marking read; an owner asks on their case, the reviewer
answers, and the owner finds the answer in the inbox and on the case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from core.models import User
from core.notifications.services import notification_send
from tests.certification import factories as cf
from tests.e2e.test_journeys import PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REPORT = {"report": {"pk": 1, "month": "2026-01-01", "region": "Lampung"}}


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_bell_the_inbox_and_marking_read_on_a_phone(page: Any, live_server: Any, alice: User) -> None:
    for month in ("2026-01-01", "2026-02-01"):
        notification_send(
            recipient=alice, kind="report_ready", context={"report": {**REPORT["report"], "month": month}}
        )
    page.set_viewport_size(PHONE)
    login(page, live_server, alice)
    page.goto(f"{live_server.url}{reverse('home')}")
    bell = page.locator("a.bell")
    assert bell.get_attribute("data-unread") == "2" and bell.locator(".bell-count").inner_text() == "2"
    assert bell.bounding_box()["x"] + bell.bounding_box()["width"] <= 360  # fits the phone's width
    bell.click()
    page.wait_for_url("**/notifications/")
    assert page.locator("#inbox li.unread").count() == 2
    assert "Laporan bulanan Februari 2026 sudah siap" in page.locator("#inbox").inner_text()
    _shot(page, "inbox-360")
    page.locator("#inbox li.unread").first.get_by_role("button", name="Tandai sudah dibaca").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("#inbox li.unread").count() == 1
    assert page.locator("a.bell").get_attribute("data-unread") == "1"
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    assert page.locator("a.bell .bell-count").count() == 0
    page.get_by_role("link", name="Pengaturan notifikasi").click()
    page.wait_for_url("**/notifications/settings/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    _shot(page, "notification-settings-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "notification-settings-1280")


def test_an_owner_asks_on_a_phone_the_reviewer_answers_and_the_owner_sees_it(
    page: Any, live_server: Any, alice: User, rina: User, pat: User
) -> None:
    cf.national_quota(places=10)
    application = cf.drive(
        cf.draft(alice, "self_declare"), "pph_verification", cf.Cast(owner=alice, reviewer=rina, pph=pat)
    )
    page.set_viewport_size(PHONE)
    login(page, live_server, alice)
    page.goto(f"{live_server.url}{reverse('certification:owner-application', args=[application.pk])}")
    before = int(page.locator("a.bell").get_attribute("data-unread"))  # the status changes so far
    page.fill("#message-body", "Apakah foto dapur perlu dari dua sisi?")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.wait_for_url("**#conversation")
    assert "Apakah foto dapur perlu dari dua sisi?" in page.locator("#conversation").inner_text()

    login(page, live_server, rina)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('inbox')}")
    assert f"Permohonan #{application.pk}: pesan dari" in page.locator("#inbox").inner_text()
    page.locator("#inbox li.unread").first.get_by_role("button", name="Buka").click()
    page.wait_for_url(f"**/cases/{application.pk}/**")
    page.fill("#message-body", "Ya, dari dua sisi, dengan cahaya cukup.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    page.wait_for_url("**#conversation")
    _shot(page, "case-conversation-1280")

    login(page, live_server, alice)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('home')}")
    assert int(page.locator("a.bell").get_attribute("data-unread")) == before + 1  # the answer
    page.locator("a.bell").click()
    inbox = page.locator("#inbox").inner_text()
    assert f"Permohonan #{application.pk}: pesan dari" in inbox
    page.locator("#inbox li.unread a", has_text="pesan dari").first.click()
    page.wait_for_url(f"**/applications/{application.pk}/**")
    assert "Ya, dari dua sisi, dengan cahaya cukup." in page.locator("#conversation").inner_text()
    _shot(page, "owner-conversation-360")
