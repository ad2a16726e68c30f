"""The calculator's pathway, renewal and product categories: a plain GET form that works without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from fees.models import FeeSchedule, FeeTier

from .test_calculator import _serve_through_django

URL = "/fees/calculator/"


def _rows() -> tuple[int, int, int]:
    return FeeSchedule.objects.count(), FeeTier.objects.count(), FeeSchedule.history.count()


def test_the_form_offers_pathway_renewal_and_category_checkboxes(client: Client, db: None) -> None:
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<form class="card fee-form" method="get"' in html
    assert 'type="radio" name="pathway" value="regular"' in html and "checked" in html
    assert 'type="radio" name="pathway" value="self_declare"' in html
    assert 'type="checkbox" name="renewal"' in html
    assert 'type="checkbox" name="categories" value="vaccines"' in html
    assert "Vaccines</label>" in html
    assert "<script" not in html.split("<main", 1)[-1]  # nothing on the page needs JavaScript


def test_a_renewal_of_vaccines_by_a_medium_business_is_itemised(client: Client, db: None) -> None:
    response = client.get(
        URL,
        {
            "annual_sales": "20.000.000.000",
            "operating_expenses": "0",
            "renewal": "on",
            "categories": ["simple_products", "vaccines"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    tariff = html[html.index('id="schedule-bpjph-tariff-2021"') : html.index('id="schedule-brin-affordable-2024"')]
    assert "Rp 23.525.000" in tariff
    assert "renewal service fee" in tariff and "Rp 2.400.000" in tariff
    assert "Rp 21.125.000 for Vaccines, the highest cap among the products&#x27; categories" in tariff
    brin = html[html.index('id="schedule-brin-affordable-2024"') :]
    assert "has no renewal fee and no product-category components" in brin
    assert 'name="categories" value="vaccines" id="id_categories_' in html
    assert re.search(r'value="vaccines" id="id_categories_\d+" checked', html) and 'id="id_renewal" checked' in html


def test_the_itemised_fee_is_in_indonesian_by_default(client: Client, db: None) -> None:
    html = client.get(
        URL, {"annual_sales": "60000000000", "operating_expenses": "0", "categories": "gelatin"}
    ).content.decode()
    assert "Rp 20.412.000" in html  # 12,500,000 registration + 7,912,000 gelatin cap
    assert "Pendaftaran sertifikat baru (golongan LARGE): Rp 12.500.000." in html
    assert "Biaya pemeriksaan LPH, dikenakan sebesar batas atasnya: Rp 7.912.000 untuk Gelatin" in html


def test_self_declare_for_a_large_business_shows_the_refusal_and_writes_nothing(client: Client, db: None) -> None:
    before = _rows()
    response = client.get(
        URL,
        {"annual_sales": "40000000000", "operating_expenses": "0", "pathway": "self_declare"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Self-declare (free certification) is only for micro and small businesses" in html
    assert "Rp 40.000.000.000" in html
    assert "fee-result" not in html
    assert response.context["form"].errors["pathway"]
    assert _rows() == before


def test_self_declare_for_a_micro_business_is_free(client: Client, db: None) -> None:
    response = client.get(
        URL,
        {"annual_sales": "120000000", "operating_expenses": "40000000", "pathway": "self_declare"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<p class="fee-amount"><span class="num">Rp 0</span></p>') == 2
    assert "UU 6/2023 Pasal 44(2)" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"categories": "frozen_food"}, "categories", "Select a valid choice. frozen_food is not one of the"),
        ({"pathway": "express"}, "pathway", "Select a valid choice. express is not one of the"),
    ],
)
def test_an_unknown_category_or_pathway_is_refused_with_a_message_and_writes_nothing(
    client: Client, db: None, params: dict[str, str], field: str, message: str
) -> None:
    before = _rows()
    response = client.get(
        URL, {"annual_sales": "1000000", "operating_expenses": "0", **params}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert message in html
    assert "fee-result" not in html
    assert _rows() == before


@pytest.mark.browser
def test_the_options_are_chosen_on_a_360_px_phone(page: Any, client: Client, db: None) -> None:
    _serve_through_django(page, client)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"http://testserver{URL}")
    page.fill("#id_annual_sales", "20.000.000.000")
    page.fill("#id_operating_expenses", "0")
    page.check("#id_renewal")
    page.check("input[name=categories][value=simple_products]")
    page.check("input[name=categories][value=vaccines]")
    page.click("form.fee-form button[type=submit]")
    page.wait_for_selector("#schedule-bpjph-tariff-2021")
    assert "Rp 23.525.000" in page.locator("#schedule-bpjph-tariff-2021").inner_text()
    assert page.locator("#id_renewal").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
