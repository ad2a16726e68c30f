"""In a real browser (Indonesian locale): the business edit page saves unchanged (issue 19, item 1) and the
annual figures take money as Indonesians type it (item 12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from applicants.models import Business
from tests.applicants.factories import BusinessFactory, FiguresFactory
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/home/")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_owner_saves_the_business_edit_page_unchanged_in_chromium(
    page: Any, live_server: Any, alice: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    business = BusinessFactory(owner=alice, production_started=dt.date(2021, 3, 1), name="Keripik Lama")
    _log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/business/{business.pk}/edit/")
    assert page.input_value("#id_production_started") == "2021-03-01"
    assert page.evaluate("document.querySelector('#id_production_started').validity.valid")
    page.fill("#id_name", "Keripik Baru")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/business/{business.pk}/")
    saved = Business.objects.get(pk=business.pk)
    assert (saved.name, saved.production_started) == ("Keripik Baru", dt.date(2021, 3, 1))


def test_the_owner_types_grouped_rupiah_on_the_figures_page(page: Any, live_server: Any, alice: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2023)
    _log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/business/{business.pk}/figures/2023/")
    assert page.input_value("#id_annual_sales") == "300.000.000"
    page.fill("#id_annual_sales", "15.000.000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/business/{business.pk}/")
    assert business.figures.get(year=2023).annual_sales == 15_000_000


def test_an_owner_meets_indonesian_403_and_404_pages_in_chromium(page: Any, live_server: Any, alice: Any) -> None:
    """Issue 19, item 13: no bare English "403 Forbidden" or "Not Found" on Indonesian screens."""
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, alice.email)
    answer = page.goto(f"{live_server.url}/cases/")
    assert answer.status == 403
    assert "Tidak ada akses ke halaman ini" in page.locator("h1").inner_text()
    assert "Forbidden" not in page.content()
    page.get_by_role("link", name="Kembali ke beranda").click()
    page.wait_for_url("**/home/")
    answer = page.goto(f"{live_server.url}/business/999999/")
    assert answer.status == 404
    assert "Halaman tidak ditemukan" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


TOUCH_AREAS = """() => {
  const small = [];
  for (const input of document.querySelectorAll('main input[type=checkbox], main input[type=radio]')) {
    if (!input.offsetParent) continue;
    const boxes = [input, ...input.labels].map((el) => el.getBoundingClientRect());
    const best = boxes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    if (best.width < 44 || best.height < 44)
      small.push(`${input.name}: ${Math.round(best.width)}x${Math.round(best.height)}`);
  }
  return small;
}"""


def test_checkboxes_and_radios_have_44px_touch_areas_on_a_phone(page: Any, live_server: Any) -> None:
    """Issue 19, item 15: at 360 px every checkbox and radio button (with its label) is at least 44 x 44 px."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/fees/calculator/")
    assert page.locator("main input[type=radio]").count() >= 2
    assert page.locator("main input[type=checkbox]").count() >= 1
    assert page.evaluate(TOUCH_AREAS) == []
    page.locator("label[for=id_renewal]").click()
    assert page.is_checked("#id_renewal")
