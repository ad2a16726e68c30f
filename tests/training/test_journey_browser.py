"""Everyday journeys in a real browser (issue 19), at 360 px and 1280 px with an Indonesian browser:
an owner from the home page into an open training; an officer through per-day attendance and the per-participant
list of who has had no follow-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.training.factories import BusinessFactory, EnrollmentFactory, ProgramFactory
from training import selectors
from training.models import Enrollment

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = [360, 1280]


@pytest.fixture
def tab(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width = request.param
    context = browser.new_context(
        locale="id-ID", viewport={"width": width, "height": 800}, extra_http_headers={"Accept-Language": "id"}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.width = width
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width, "the page scrolls sideways"


def look(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}-{page.width}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tab", WIDTHS, indirect=True)
def test_an_owner_goes_from_the_home_page_into_an_open_training(
    tab: Any, live_server: Any, alice: Any, oscar: Any
) -> None:
    start = timezone.localdate() + timedelta(days=14)
    program = ProgramFactory(
        responsible_officer=oscar,
        title="Registrasi BPOM untuk Produk Pangan Olahan",
        start_date=start,
        end_date=start + timedelta(days=1),
        open_for_registration=True,
        capacity=3,
    )
    business = BusinessFactory(owner=alice, name="Keripik Pisang Alice")
    sign_in(tab, live_server, alice)
    tab.goto(f"{live_server.url}/trainings/")  # owners are shown what they can join, not a bare 403
    assert tab.url.endswith("/trainings/open/")
    tab.goto(f"{live_server.url}/home/")
    fits(tab)
    tab.click("#home-owner a:has-text('Registrasi BPOM')")
    tab.wait_for_url(f"{live_server.url}/trainings/open/*")
    card = tab.locator(f"#open-program-{program.pk}")
    assert "sisa 3 tempat dari 3" in card.inner_text()
    fits(tab)
    look(tab, "owner-open-trainings")
    card.locator("button:has-text('Daftar')").click()
    tab.wait_for_url(f"{live_server.url}/my/trainings/")
    assert "Keripik Pisang Alice terdaftar di Registrasi BPOM untuk Produk Pangan Olahan." in tab.content()
    fits(tab)
    look(tab, "owner-my-trainings")
    assert Enrollment.objects.filter(program=program, business=business).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tab", WIDTHS, indirect=True)
def test_an_officer_takes_attendance_per_day_and_finds_who_has_had_no_follow_up(
    tab: Any, live_server: Any, oscar: Any
) -> None:
    end = timezone.localdate() - timedelta(days=40)
    program = ProgramFactory(
        responsible_officer=oscar,
        title="Alat Produksi Modern",
        start_date=end - timedelta(days=2),
        end_date=end,
        follow_up_window_days=30,
    )
    ani = EnrollmentFactory(program=program, attended=None, business=BusinessFactory(name="Keripik Ani"))
    budi = EnrollmentFactory(program=program, attended=None, business=BusinessFactory(name="Kopi Budi"))
    sign_in(tab, live_server, oscar)
    tab.goto(f"{live_server.url}/trainings/{program.pk}/attendance/")
    fits(tab)
    tab.click("#session-days a:has-text('Hari 2')")
    second_day = (end - timedelta(days=1)).isoformat()
    tab.wait_for_url(f"**/attendance/?day={second_day}")
    tab.check(f"#p{ani.business_id}")
    tab.click("button[type=submit]:has-text('Simpan kehadiran')")
    tab.wait_for_url(f"**/attendance/?day={second_day}")
    assert "Kehadiran" in tab.locator(".messages, [role=status], body").first.inner_text()
    fits(tab)
    look(tab, "officer-attendance-day")
    marks = selectors.attendance_of_day(program=program, day=end - timedelta(days=1))
    assert marks == {ani.pk: True, budi.pk: False}

    tab.goto(f"{live_server.url}/trainings/overdue/")
    tab.click("a:has-text('Peserta tanpa tindak lanjut')")
    tab.wait_for_url("**/trainings/overdue/participants/")
    tab.select_option("#id_program", str(program.pk))
    tab.click("#lacking-filters button[type=submit]")
    tab.wait_for_url(f"**/participants/?*program={program.pk}*")
    rows = tab.locator("#participants-lacking tbody").inner_text()
    assert "Keripik Ani" in rows and "Kopi Budi" not in rows  # Budi was absent every day
    fits(tab)
    look(tab, "officer-participants-lacking")
    href = tab.get_attribute("#lacking-csv", "href")
    assert href is not None and f"program={program.pk}" in href
