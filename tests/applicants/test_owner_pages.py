from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from applicants.models import AnnualFigures, Business, Ingredient, PositiveListEntry, Product
from applicants.selectors import business_completeness
from tests.applicants.factories import (
    BusinessFactory,
    FiguresFactory,
    IngredientFactory,
    ProductFactory,
    case_for,
    document,
    supervisor,
)

pytestmark = pytest.mark.django_db


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


BUSINESS_POST = {
    "name": "Keripik Pisang Alice",
    "nib": "1234567890123",
    "legal_form": "individual",
    "address": "Jl. Teuku Umar 1",
    "region": "",
    "kbli": "10794",
    "sector": "snacks",
    "production_started": "2020-02-01",
    "outlets": "1",
    "production_facilities": "1",
    "workforce": "3",
    "phone": "0812",
    "halal_supervisor": "Alice",
    "separate_halal_facility": "unknown",
}


def _business_post(**overrides: str) -> dict[str, str]:
    from applicants.models import Region

    data = dict(BUSINESS_POST, region=str(Region.objects.get(code="1871").pk))
    data.update(overrides)
    return data


def test_the_onboarding_flow_goes_business_figures_products_documents(alice: Any, client: Client) -> None:
    _login(client, alice)
    assert client.get(reverse("applicants:mine"))["Location"] == reverse("applicants:business_new")
    response = client.post(reverse("applicants:business_new"), _business_post())
    business = Business.objects.get()
    assert response["Location"] == reverse("applicants:figures_new", args=[business.pk])
    assert business_completeness(business).percent == 0  # no halal supervisor yet (UU 33/2014 Ps 24)
    response = client.post(
        reverse("applicants:person_edit", args=[business.pk, "supervisor"]),
        {"owner_acts": "on", "nik": "1871014506850002", "religion": "islam"},
    )
    assert response.status_code == 302
    assert business_completeness(business).percent == 25
    response = client.post(
        reverse("applicants:figures_new", args=[business.pk]),
        {"year": "2025", "annual_sales": "120000000", "operating_expenses": "150000000", "capital": "0",
         "workforce": "3", "export_value": "0"},
    )  # fmt: skip
    assert response["Location"] == reverse("applicants:product_new", args=[business.pk])
    response = client.post(
        reverse("applicants:product_new", args=[business.pk]),
        {"name": "Keripik pisang cokelat", "category": "simple_products", "process": "manual",
         "preservation_methods": "0", "ing-TOTAL_FORMS": "3", "ing-INITIAL_FORMS": "0", "ing-MIN_NUM_FORMS": "0",
         "ing-MAX_NUM_FORMS": "1000", "ing-0-name": "Pisang kepok",
         "ing-0-positive_list_entry": str(PositiveListEntry.objects.get(name="buah segar").pk),
         "ing-1-name": "Cokelat", "ing-1-halal_certificate_number": "ID18110000012340125", "ing-2-name": ""},
    )  # fmt: skip
    assert response["Location"] == reverse("applicants:document_new", args=[business.pk])
    assert list(Ingredient.objects.values_list("name", flat=True)) == ["Pisang kepok", "Cokelat"]
    business.refresh_from_db()
    assert business_completeness(business).percent == 75
    document(business)
    assert business_completeness(business).complete
    page = client.get(reverse("applicants:business_detail", args=[business.pk])).content.decode()
    assert "100%" in page
    assert "Rugi" in page and "-Rp 30.000.000" in page


def test_a_bad_nib_on_the_page_shows_the_message_and_writes_nothing(alice: Any, client: Client) -> None:
    _login(client, alice)
    for nib in ["123456789012", "12345678901234", "12345678901ab"]:
        response = client.post(reverse("applicants:business_new"), _business_post(nib=nib))
        assert response.status_code == 200
        assert "NIB harus tepat 13 digit." in response.content.decode()
    assert not Business.objects.exists()


def test_a_duplicate_nib_on_the_page_shows_the_message_and_writes_nothing(alice: Any, bob: Any, client: Client) -> None:
    BusinessFactory(owner=bob, nib="1234567890123")
    response = _login(client, alice).post(reverse("applicants:business_new"), _business_post())
    assert "Usaha dengan NIB 1234567890123 sudah terdaftar." in response.content.decode()
    assert Business.objects.count() == 1


def test_a_workforce_of_zero_on_the_page_is_refused(alice: Any, client: Client) -> None:
    response = _login(client, alice).post(reverse("applicants:business_new"), _business_post(workforce="0"))
    assert "Jumlah tenaga kerja minimal 1 orang" in response.content.decode()
    assert not Business.objects.exists()


def test_negative_money_and_a_future_year_on_the_figures_page_are_refused(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    _login(client, alice)
    url = reverse("applicants:figures_new", args=[business.pk])
    data = {"year": "2024", "annual_sales": "-1", "operating_expenses": "0", "capital": "0", "workforce": "1",
            "export_value": "0"}  # fmt: skip
    assert "tidak boleh negatif" in client.post(url, data).content.decode()
    data.update(annual_sales="1", year="2999")
    assert "Tahun 2999 masih di masa depan." in client.post(url, data).content.decode()
    assert not AnnualFigures.objects.exists()


def test_the_detail_page_shows_both_scales_and_graduation_marks(alice: Any, rina: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2023, annual_sales=2_000_000_000, workforce=4)
    FiguresFactory(business=business, year=2024, annual_sales=2_000_000_001, workforce=5)
    page = _login(client, rina).get(reverse("applicants:business_detail", args=[business.pk])).content.decode()
    assert page.count("naik kelas") == 2
    assert "Mikro" in page and "Kecil" in page
    assert "Rp 2.000.000.001" in page
    assert reverse("applicants:business_edit", args=[business.pk]) not in page


def test_the_owner_edits_the_business_and_a_year(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2024, annual_sales=5)
    _login(client, alice)
    data = _business_post(nib=business.nib, name="Nama Baru")
    assert client.post(reverse("applicants:business_edit", args=[business.pk]), data).status_code == 302
    business.refresh_from_db()
    assert business.name == "Nama Baru"
    response = client.post(
        reverse("applicants:figures_edit", args=[business.pk, 2024]),
        {"annual_sales": "700", "operating_expenses": "100", "capital": "0", "workforce": "2", "export_value": "0"},
    )
    assert response.status_code == 302
    assert AnnualFigures.objects.get().annual_sales == 700


OWNER_PAGES = [
    ("applicants:business_detail", lambda b, p: [b.pk]),
    ("applicants:business_edit", lambda b, p: [b.pk]),
    ("applicants:figures_new", lambda b, p: [b.pk]),
    ("applicants:figures_edit", lambda b, p: [b.pk, 2024]),
    ("applicants:product_new", lambda b, p: [b.pk]),
    ("applicants:product_edit", lambda b, p: [b.pk, p.pk]),
    ("applicants:document_new", lambda b, p: [b.pk]),
]


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_an_owner_cannot_read_or_change_another_owners_pages(
    alice: Any, bob: Any, client: Client, name: str, args: Any
) -> None:
    business = BusinessFactory(owner=bob, name="Milik Bob")
    FiguresFactory(business=business, year=2024)
    product = ProductFactory(business=business)
    url = reverse(name, args=args(business, product))
    _login(client, alice)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Dicuri", "nib": "1111111111111"}).status_code == 404
    business.refresh_from_db()
    assert business.name == "Milik Bob"
    assert Product.objects.count() == 1


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_anonymous_is_sent_to_login_from_owner_pages(alice: Any, client: Client, name: str, args: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = client.get(reverse(name, args=args(business, ProductFactory(business=business))))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("actor", ["pat", "rina", "oscar", "ayu"])
def test_staff_and_pph_read_a_business_but_get_no_owner_forms(
    request: pytest.FixtureRequest, alice: Any, actor: str
) -> None:
    business = BusinessFactory(owner=alice)
    case_for(business, pph=request.getfixturevalue("pat"))
    IngredientFactory(product=ProductFactory(business=business, name="Keripik original"))
    client = _login(Client(), request.getfixturevalue(actor))
    page = client.get(reverse("applicants:business_detail", args=[business.pk]))
    assert page.status_code == 200
    assert "Keripik original" in page.content.decode()
    assert client.get(reverse("applicants:business_edit", args=[business.pk])).status_code == 403
    assert client.get(reverse("applicants:business_new")).status_code == 403


def test_my_business_lists_only_my_businesses_with_completeness(alice: Any, bob: Any, client: Client) -> None:
    supervisor(BusinessFactory(owner=alice, name="Usaha Alice"))
    BusinessFactory(owner=bob, name="Usaha Bob")
    page = _login(client, alice).get(reverse("applicants:mine")).content.decode()
    assert "Usaha Alice" in page and "Usaha Bob" not in page
    assert "Profil 25% lengkap" in page
    home = client.get(reverse("home")).content.decode()
    assert "Usaha Alice" in home


def test_an_owner_edits_a_product_replacing_its_ingredients(alice: Any, client: Client) -> None:
    business = BusinessFactory(owner=alice)
    product = ProductFactory(business=business, name="Lama")
    old = IngredientFactory(product=product, name="Gula")
    response = _login(client, alice).post(
        reverse("applicants:product_edit", args=[business.pk, product.pk]),
        {"name": "Baru", "category": "simple_products", "process": "manual", "preservation_methods": "1",
         "ing-TOTAL_FORMS": "2", "ing-INITIAL_FORMS": "1", "ing-MIN_NUM_FORMS": "0", "ing-MAX_NUM_FORMS": "1000",
         "ing-0-id": str(old.pk), "ing-0-product": str(product.pk), "ing-0-name": "Gula", "ing-0-DELETE": "on",
         "ing-1-name": "Gula aren", "ing-1-halal_certificate_number": "00150012340120",
         "ing-1-certificate_issuer": "mui", "ing-1-certificate_valid_until": "2099-01-31"},
    )  # fmt: skip
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Baru"
    assert list(product.ingredients.values_list("name", flat=True)) == ["Gula aren"]


@pytest.mark.parametrize("rows", [1, 10])
def test_my_business_takes_the_same_number_of_queries_for_1_and_10_businesses(
    alice: Any, client: Client, rows: int, django_assert_num_queries: Any
) -> None:
    for _ in range(rows):
        business = BusinessFactory(owner=alice)
        supervisor(business)
        FiguresFactory(business=business)
        IngredientFactory(product=ProductFactory(business=business))
    _login(client, alice)
    with django_assert_num_queries(4):  # session, user, roles, businesses with their completeness flags
        response = client.get(reverse("applicants:mine"))
    assert response.content.decode().count("Profil 75% lengkap") == rows
