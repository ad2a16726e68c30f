"""At 360 px (issue 19, item 5): the public registry table, the annual figures table on the business page and a long
e-mail in a card fit the screen: no page overflow and no table or card wider than the viewport."""

from __future__ import annotations

from typing import Any

import pytest

from certification.certificates.services import certificate_revoke
from certification.models import Certificate
from tests.applicants.factories import FiguresFactory
from tests.certification import factories as f
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "pemilik.usaha.keripik.pisang.kepok.sejahtera.bersama@koperasi-umkm-lampung-selatan.example.test"

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('main table, main .card, main dl, main dd, main h1')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || el.scrollWidth > el.clientWidth + 1)
      wide.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right) + '/' + el.scrollWidth);
  }
  return {page: document.documentElement.scrollWidth, width, wide};
}"""


def _fits(page: Any) -> None:
    measured = page.evaluate(OVERFLOW)
    assert measured["page"] <= measured["width"], measured
    assert measured["wide"] == [], measured


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/home/")


def test_the_public_registry_fits_a_360px_phone(page: Any, live_server: Any, cast: f.Cast) -> None:
    app = f.issued(cast, products=3)
    certificate = Certificate.objects.get(application=app)
    reason = "Bahan tidak halal ditemukan saat pengawasan."
    certificate_revoke(certificate=certificate, actor=cast.reviewer, reason=reason)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/certified-products/")
    assert "Dicabut" in page.locator("main").inner_text()
    status = page.get_by_text("Dicabut").first.bounding_box()
    assert status["x"] + status["width"] <= 360
    _fits(page)


def test_the_business_page_with_figures_and_a_long_email_fits_a_360px_phone(
    page: Any, live_server: Any, cast: f.Cast
) -> None:
    owner = cast.owner
    owner.full_name = ""
    owner.email = LONG_EMAIL
    owner.save()
    owner.emailaddress_set.update(email=LONG_EMAIL)
    business = f.business(owner)
    FiguresFactory(business=business, year=2023, annual_sales=1_352_995_000, operating_expenses=999_000_000)
    FiguresFactory(business=business, year=2024, annual_sales=14_352_995_000, operating_expenses=1_999_000_000)
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, LONG_EMAIL)
    page.goto(f"{live_server.url}/business/{business.pk}/")
    assert "Rp 14.352.995.000" in page.locator("main").inner_text()
    _fits(page)
