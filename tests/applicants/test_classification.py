"""The platform classifies, the owner claims: a positive-list match from admin data or a checked halal certificate
makes an ingredient "not doubtful"; an owner's belief is a claim; never-exempt names are refused (issue 29)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from applicants.dossier.classification import never_exempt_term
from applicants.models import Ingredient, PositiveListEntry, Product
from certification.eligibility import sehati_eligibility
from tests.applicants.factories import BusinessFactory, FiguresFactory, IngredientFactory, ProductFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/businesses/"
As = Callable[[Any], APIClient]
FUTURE = str(timezone.localdate() + dt.timedelta(days=400))
PAST = str(timezone.localdate() - dt.timedelta(days=1))


def _entry(name: str) -> PositiveListEntry:
    return PositiveListEntry.objects.get(name=name)


def _post(client: APIClient, business: Any, ingredient: dict[str, Any]) -> Any:
    payload = {"name": "Produk uji", "ingredients": [ingredient]}
    return client.post(f"{API}{business.pk}/products/", payload, format="json")


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("Gelatin sapi", "gelatin"),
        ("Rum (perisa)", "alkohol dan minuman beralkohol"),
        ("Perisa vanili", "perisa (flavour)"),
        ("Emulsifier E471", "pengemulsi dari hewan atau tidak jelas"),
        ("Lemak sapi", "lemak atau minyak hewani"),
        ("Angciu", "alkohol dan minuman beralkohol"),
    ],
)
def test_names_that_are_never_exempt_when_processed_are_recognised(name: str, term: str) -> None:
    assert never_exempt_term(name) == term


@pytest.mark.parametrize("name", ["Rumput laut kering", "Air", "Gula aren", "Kelapa parut", "Tepung beras"])
def test_ordinary_names_are_not_taken_for_never_exempt_ones(name: str) -> None:
    assert never_exempt_term(name) == ""  # whole words: "rum" is not "rumput laut"


@pytest.mark.parametrize(
    ("ingredient", "message"),
    [
        ({"name": "Gelatin sapi", "positive_list_entry": "air"}, "tidak dapat dicocokkan dengan bahan daftar positif"),
        ({"name": "Rum (perisa)", "exempt_claim": True}, "tidak dapat dinyatakan dikecualikan"),
        ({"name": "Gula", "halal_certificate_number": "ID123", "certificate_issuer": "bpjph"}, "ID diikuti 17 angka"),
        ({"name": "Gula", "halal_certificate_number": "00150012345678", "certificate_issuer": "mui"},
         "isi tanggal berlakunya sertifikat"),
        ({"name": "Cokelat", "halal_certificate_number": "JAKIM-1234", "certificate_issuer": "foreign",
          "certificate_valid_until": FUTURE}, "sebutkan lembaga halal luar negeri"),
        ({"name": "Gula", "halal_certificate_number": "ID18110000012340125", "certificate_issuer": "bpjph",
          "certificate_valid_until": PAST}, "kedaluwarsa"),
        ({"name": "Gula", "halal_certificate_number": "00150012345678"}, "pilih siapa yang menerbitkan"),
        ({"name": "Gula", "certificate_issuer": "bpjph"}, "isi nomor sertifikat halal"),
    ],
)  # fmt: skip
def test_a_bad_classification_is_refused_in_indonesian_and_nothing_is_written(
    api_as: As, alice: Any, ingredient: dict[str, Any], message: str
) -> None:
    business = BusinessFactory(owner=alice)
    if "positive_list_entry" in ingredient:
        ingredient = {**ingredient, "positive_list_entry": _entry(ingredient["positive_list_entry"]).pk}
    response = _post(api_as(alice), business, ingredient)
    assert response.status_code == 400
    assert message in response.json()["detail"], response.json()
    assert not Product.objects.exists() and not Ingredient.objects.exists()


def test_certificates_that_check_out_per_issuer_make_ingredients_not_doubtful(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    rows = [
        {"name": "Minyak", "halal_certificate_number": "id18110000012340125", "certificate_issuer": "BPJPH"},
        {"name": "Gula", "halal_certificate_number": "00150012345678", "certificate_issuer": "LPPOM MUI",
         "certificate_valid_until": FUTURE},
        {"name": "Cokelat", "halal_certificate_number": "JAKIM-1234", "certificate_issuer": "foreign",
         "certificate_body": "JAKIM (Malaysia)", "certificate_valid_until": FUTURE},
        {"name": "Rumput laut kering", "positive_list_entry": _entry("rumput laut segar atau kering").pk},
    ]  # fmt: skip
    response = api_as(alice).post(f"{API}{business.pk}/products/", {"name": "Campur", "ingredients": rows}, "json")
    assert response.status_code == 201, response.json()
    body = {i["name"]: i for i in response.json()["ingredients"]}
    assert {name: (i["doubtful"], i["classification"]) for name, i in body.items()} == {
        "Minyak": (False, "certificate"),
        "Gula": (False, "certificate"),
        "Cokelat": (False, "certificate"),
        "Rumput laut kering": (False, "positive_list"),
    }
    assert body["Cokelat"]["evidence"].startswith("Sertifikat halal JAKIM-1234 (JAKIM (Malaysia))")
    assert body["Rumput laut kering"]["positive_list_entry_name"] == "rumput laut segar atau kering"
    stored = Ingredient.objects.get(name="Minyak")
    assert (stored.halal_certificate_number, stored.certificate_issuer) == ("ID18110000012340125", "bpjph")


def test_an_owners_belief_is_a_claim_that_stays_doubtful(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = _post(api_as(alice), business, {"name": "Daun pandan", "exempt_claim": True})
    assert response.status_code == 201
    ingredient = response.json()["ingredients"][0]
    assert (ingredient["doubtful"], ingredient["classification"]) == (True, "claim")
    assert "pendamping memastikannya di lokasi" in ingredient["doubtful_reason"]


def test_a_claim_goes_to_the_assistant_while_a_bare_doubtful_ingredient_fails_self_declare(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business)
    product = ProductFactory(business=business)
    IngredientFactory(product=product, name="Daun pandan", positive_list_entry=None, exempt_claim=True)
    low_risk = next(c for c in sehati_eligibility(business=business).criteria if c.code == "low_risk")
    assert low_risk.result == "pass"
    IngredientFactory(product=product, name="Perisa keju", positive_list_entry=None)
    low_risk = next(c for c in sehati_eligibility(business=business).criteria if c.code == "low_risk")
    assert low_risk.result == "fail" and "Perisa keju" in low_risk.reason and "Daun pandan" not in low_risk.reason


def test_the_owners_old_tick_never_proves_gelatin_halal(alice: Any) -> None:
    """What the issue found: "Gelatin sapi" ticked "on the positive list" passed self-declare eligibility."""
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business)
    IngredientFactory(product=ProductFactory(business=business), name="Gelatin sapi", positive_list_entry=None)
    low_risk = next(c for c in sehati_eligibility(business=business).criteria if c.code == "low_risk")
    assert low_risk.result == "fail" and "Gelatin sapi" in low_risk.reason


def test_the_positive_list_cannot_take_a_never_exempt_name() -> None:
    entry = PositiveListEntry(name="gelatin ikan", group="non_risk", group_name="x", source="x")
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "tidak dapat dimasukkan ke daftar positif" in str(error.value)


@pytest.mark.parametrize(("query", "count"), [("air", 1), ("", 20)])
def test_the_positive_list_search_costs_the_same_queries_for_one_and_many_entries(
    api_as: As, alice: Any, query: str, count: int, django_assert_num_queries: Any
) -> None:
    client = api_as(alice)
    with django_assert_num_queries(2):  # roles, entries
        response = client.get("/api/v1/positive-list/", {"q": query})
    names = [row["name"] for row in response.json()]
    assert len(names) == count and (query != "air" or names == ["air"])


def test_the_positive_list_search_needs_a_login(api_as: As) -> None:
    assert api_as(None).get("/api/v1/positive-list/", {"q": "air"}).status_code in (401, 403)


def test_the_product_page_offers_the_search_and_shows_each_entrys_group(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("applicants:product_new", args=[business.pk])).content.decode()
    assert 'src="/static/js/positive-list.js"' in page and 'data-positive-search="1"' in page
    assert 'data-group="Air alam tanpa pengolahan atau hanya diolah secara fisik"' in page
    assert "Saya yakin bahan ini tidak wajib bersertifikat halal" in page


def test_claiming_gelatin_exempt_on_the_page_is_refused_and_nothing_is_written(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = Client()
    client.force_login(alice)
    response = client.post(
        reverse("applicants:product_new", args=[business.pk]),
        {"name": "Permen", "category": "simple_products", "process": "manual", "preservation_methods": "0",
         "ing-TOTAL_FORMS": "1", "ing-INITIAL_FORMS": "0", "ing-MIN_NUM_FORMS": "0", "ing-MAX_NUM_FORMS": "1000",
         "ing-0-name": "Gelatin sapi", "ing-0-exempt_claim": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "“Gelatin sapi” tidak dapat dinyatakan dikecualikan" in response.content.decode()
    assert not Product.objects.exists()
