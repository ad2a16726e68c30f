from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fees.models import FeeSchedule, FeeTier

URL = "/fees/calculator/"


def test_calculator_url_name() -> None:
    assert reverse("fees:calculator") == URL


def test_empty_calculator_shows_the_form_without_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kalkulator biaya" in html
    assert 'name="annual_sales"' in html
    assert "fee-result" not in html


def test_calculator_shows_every_schedule_side_by_side_in_indonesian(client: Client, db: None) -> None:
    response = client.get(URL, {"annual_sales": "10.000.000", "operating_expenses": "2000000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="schedule-bpjph-tariff-2021"' in html
    assert 'id="schedule-brin-affordable-2024"' in html
    assert html.index("schedule-bpjph-tariff-2021") < html.index("schedule-brin-affordable-2024")  # default first
    assert "Rp 650.000" in html
    assert "Rp 828.571" in html
    assert "Pendapatan kotor = penjualan tahunan Rp 10.000.000" in html
    assert "Mikro-Kecil B (terjangkau)" in html
    assert "10,36%" in html
    assert "Cara biaya ini dihitung" in html


def test_calculator_renders_in_english(client: Client, db: None) -> None:
    response = client.get(URL, {"annual_sales": "10000000", "operating_expenses": "2000000"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Fee calculator" in html
    assert "Gross income = annual sales Rp 10.000.000" in html
    assert "How this fee was worked out" in html
    assert "10.36%" in html


def test_sehati_hint_appears_when_sales_are_within_the_cap(client: Client, db: None, settings: Any) -> None:
    settings.SEHATI_REVENUE_CAP = 500_000_000
    within = client.get(URL, {"annual_sales": "500000000", "operating_expenses": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    above = client.get(URL, {"annual_sales": "500000001", "operating_expenses": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="sehati-hint"' in within.content.decode()
    assert "Rp 500.000.000" in within.content.decode()
    assert 'id="sehati-hint"' not in above.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"annual_sales": "1.5", "operating_expenses": "0"}, "annual_sales"),
        ({"annual_sales": "-100", "operating_expenses": "0"}, "annual_sales"),
        ({"annual_sales": "banyak", "operating_expenses": "0"}, "annual_sales"),
        ({"annual_sales": "1000", "operating_expenses": ""}, "operating_expenses"),
        ({"annual_sales": "10000000000000000", "operating_expenses": "0"}, "annual_sales"),
    ],
)
def test_bad_input_shows_a_clear_message_and_writes_nothing(
    client: Client, db: None, params: dict[str, str], field: str
) -> None:
    before = (FeeSchedule.objects.count(), FeeTier.objects.count(), FeeSchedule.history.count())
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert "fee-result" not in html
    assert (
        "Enter a whole number of rupiah" in html
        or "This field is required." in html
        or "at most Rp 1.000.000.000.000.000" in html
        or "An amount cannot be negative." in html
    )
    assert (FeeSchedule.objects.count(), FeeTier.objects.count(), FeeSchedule.history.count()) == before


def test_fraction_message_is_in_indonesian(client: Client, db: None) -> None:
    html = client.get(URL, {"annual_sales": "1,5", "operating_expenses": "0"}).content.decode()
    assert "Masukkan jumlah rupiah bulat" in html


def test_calculator_is_on_the_landing_page_and_in_the_public_menu(client: Client, db: None) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="public-fee-calculator"' in html
    assert f'href="{URL}"' in html


def _serve_through_django(page: Any, client: Client) -> None:
    """Answer the browser's requests with Django's test client (static files from disk) instead of a live server.

    A live server needs a transactional test, whose flush at the end empties every table for the tests after it
    (the seeded schedules, the role groups); this way the browser test runs inside the usual rolled-back transaction.
    """
    static_root = Path(settings.BASE_DIR) / "static"

    def handle(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.path.startswith(settings.STATIC_URL):
            file = static_root / url.path.removeprefix(settings.STATIC_URL)
            kind = {".css": "text/css", ".svg": "image/svg+xml", ".js": "text/javascript"}.get(file.suffix, "")
            if file.is_file():
                route.fulfill(status=200, body=file.read_bytes(), headers={"Content-Type": kind})
            else:
                route.fulfill(status=404, body=b"")
            return
        response = client.get(url.path, dict(parse_qsl(url.query)), HTTP_ACCEPT_LANGUAGE="id")
        route.fulfill(status=response.status_code, body=response.content, headers=dict(response.headers.items()))

    page.route("http://testserver/**", handle)


@pytest.mark.browser
def test_calculator_fits_a_360_px_phone(page: Any, client: Client, db: None) -> None:
    _serve_through_django(page, client)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"http://testserver{URL}")
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # the stylesheet was applied
    page.fill("#id_annual_sales", "250.000.000")
    page.fill("#id_operating_expenses", "150000000")
    page.click("form.fee-form button[type=submit]")
    page.wait_for_selector("#schedule-bpjph-tariff-2021")
    assert page.locator(".fee-result").count() == 2
    assert page.locator("#sehati-hint").is_visible()
    assert "Rp 650.000" in page.locator("#schedule-bpjph-tariff-2021").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db
def test_the_categories_are_checkboxes_a_phone_can_tick_without_a_ctrl_key() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="id").get(URL).content.decode()
    assert 'type="checkbox" name="categories"' in page
    assert '<select name="categories"' not in page and "Ctrl" not in page
    assert "<legend>" in page.split('name="categories"')[0].rsplit("<fieldset", 1)[1]
