from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applicants.models import AnnualFigures, Business, Document, Ingredient, Product, Region
from tests.applicants.factories import (
    HTML,
    PDF,
    BusinessFactory,
    FiguresFactory,
    IngredientFactory,
    ProductFactory,
    case_for,
    document,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/businesses/"
As = Callable[[Any], APIClient]


def _new_business(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Kopi Alice",
        "nib": "1234567890123",
        "address": "Jl. Kopi 1",
        "region": Region.objects.get(code="1802").pk,
        "kbli": "10761",
        "sector": "coffee",
        "production_started": "2019-04-01",
        "workforce": 4,
    }
    data.update(overrides)
    return data


def test_an_owner_lists_only_their_own_businesses(api_as: As, alice: Any, bob: Any) -> None:
    BusinessFactory(owner=alice, name="Milik Alice")
    BusinessFactory(owner=bob, name="Milik Bob")
    response = api_as(alice).get(API)
    assert response.status_code == 200
    assert [b["name"] for b in response.json()["results"]] == ["Milik Alice"]


@pytest.mark.parametrize("actor", ["rina", "oscar", "ayu"])
def test_staff_list_every_business(
    request: pytest.FixtureRequest, api_as: As, alice: Any, bob: Any, actor: str
) -> None:
    BusinessFactory(owner=alice)
    BusinessFactory(owner=bob)
    assert api_as(request.getfixturevalue(actor)).get(API).json()["count"] == 2


def test_an_assistant_lists_and_opens_only_the_businesses_of_cases_assigned_to_them(
    api_as: As, alice: Any, bob: Any, pat: Any
) -> None:
    assisted = BusinessFactory(owner=alice, name="Dibantu")
    other = BusinessFactory(owner=bob, name="Lain")
    case_for(assisted, pph=pat)
    case_for(other)
    doc = document(other, name="nib.pdf")
    client = api_as(pat)
    assert [b["name"] for b in client.get(API).json()["results"]] == ["Dibantu"]
    assert client.get(f"{API}{assisted.pk}/").status_code == 200
    for url in [f"{API}{other.pk}/", f"{API}{other.pk}/products/", f"{API}{other.pk}/documents/{doc.pk}/"]:
        assert client.get(url).status_code == 404, url


def test_anonymous_gets_401_everywhere(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = api_as(None)
    for url in [API, f"{API}{business.pk}/", f"{API}{business.pk}/figures/", f"{API}{business.pk}/products/",
                f"{API}{business.pk}/documents/"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 401, url
        assert set(response.json()) == {"detail", "errors"}
    assert client.post(API, _new_business(), format="json").status_code == 401
    assert Business.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_the_api_list_takes_the_same_number_of_queries_for_1_and_50_rows(
    api_as: As, rina: Any, alice: Any, rows: int, django_assert_num_queries: Any
) -> None:
    for i in range(rows):
        business = BusinessFactory(owner=alice)
        FiguresFactory(business=business, year=2024, annual_sales=3_000_000_000 + i)
        FiguresFactory(business=business, year=2023)
    client = api_as(rina)
    with django_assert_num_queries(3):  # roles, count, the page (owner, region and latest figures joined in)
        response = client.get(API)
    results = response.json()["results"]
    assert len(results) == rows
    assert results[0]["latest_year"] == 2024
    assert results[0]["scale_pp7"] == "small"


def test_the_api_list_filters_by_query_and_scale(api_as: As, rina: Any, alice: Any) -> None:
    small = BusinessFactory(owner=alice, name="Kopi Besar")
    FiguresFactory(business=small, year=2024, annual_sales=2_000_000_001)
    BusinessFactory(owner=alice, name="Tempe")
    client = api_as(rina)
    assert [b["name"] for b in client.get(API, {"scale": "small"}).json()["results"]] == ["Kopi Besar"]
    assert [b["name"] for b in client.get(API, {"q": "temp"}).json()["results"]] == ["Tempe"]


def test_an_owner_creates_their_own_business(api_as: As, alice: Any) -> None:
    response = api_as(alice).post(API, _new_business(), format="json")
    assert response.status_code == 201, response.json()
    business = Business.objects.get()
    assert business.owner == alice
    assert response.json()["id"] == business.pk
    assert response.json()["owner"] == "alice@example.test"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nib": "123456789012"}, "NIB harus tepat 13 digit."),
        ({"nib": "12345678901234"}, "NIB harus tepat 13 digit."),
        ({"nib": "12345678901ab"}, "NIB harus tepat 13 digit."),
        ({"workforce": 0}, "Jumlah tenaga kerja minimal 1 orang (pemilik ikut dihitung)."),
    ],
)
def test_bad_business_input_answers_400_with_the_message(api_as: As, alice: Any, overrides: Any, message: str) -> None:
    response = api_as(alice).post(API, _new_business(**overrides), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert not Business.objects.exists()


def test_a_duplicate_nib_answers_400(api_as: As, alice: Any, bob: Any) -> None:
    BusinessFactory(owner=bob, nib="1234567890123")
    response = api_as(alice).post(API, _new_business(), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"nib": ["Usaha dengan NIB 1234567890123 sudah terdaftar."]}
    assert Business.objects.count() == 1


@pytest.mark.parametrize("actor", ["pat", "rina", "ayu"])
def test_staff_and_pph_cannot_create_or_patch(
    request: pytest.FixtureRequest, api_as: As, alice: Any, actor: str
) -> None:
    business = BusinessFactory(owner=alice, name="Asli")
    case_for(business, pph=request.getfixturevalue("pat"))
    client = api_as(request.getfixturevalue(actor))
    assert client.post(API, _new_business(), format="json").status_code == 403
    assert client.get(f"{API}{business.pk}/").status_code == 200
    assert client.patch(f"{API}{business.pk}/", {"name": "Diubah"}, format="json").status_code == 403
    business.refresh_from_db()
    assert business.name == "Asli"
    assert Business.objects.count() == 1


def test_the_owner_patches_their_business(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = api_as(alice).patch(f"{API}{business.pk}/", {"name": "Nama Baru", "workforce": 7}, format="json")
    assert response.status_code == 200
    business.refresh_from_db()
    assert (business.name, business.workforce) == ("Nama Baru", 7)


def test_another_owner_gets_404_for_a_business_and_everything_nested(api_as: As, alice: Any, bob: Any) -> None:
    business = BusinessFactory(owner=bob, name="Milik Bob")
    FiguresFactory(business=business, year=2024)
    product = ProductFactory(business=business)
    doc = document(business)
    client = api_as(alice)
    base = f"{API}{business.pk}/"
    for url in [base, f"{base}figures/", f"{base}figures/2024/", f"{base}products/", f"{base}products/{product.pk}/",
                f"{base}documents/", f"{base}documents/{doc.pk}/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.patch(base, {"name": "Dicuri"}, format="json").status_code == 404
    assert (
        client.post(
            f"{base}figures/", {"year": 2023, "annual_sales": 1, "operating_expenses": 1, "workforce": 1}, format="json"
        ).status_code
        == 404
    )  # noqa: E501
    assert client.patch(f"{base}figures/2024/", {"annual_sales": 1}, format="json").status_code == 404
    assert client.post(f"{base}products/", {"name": "X"}, format="json").status_code == 404
    assert client.patch(f"{base}products/{product.pk}/", {"name": "X"}, format="json").status_code == 404
    assert (
        client.post(f"{base}documents/", {"kind": "nib", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    )
    assert client.delete(f"{base}documents/{doc.pk}/").status_code == 404
    business.refresh_from_db()
    assert business.name == "Milik Bob"
    assert AnnualFigures.objects.count() == 1 and AnnualFigures.objects.get().year == 2024
    assert Product.objects.count() == 1 and Document.objects.count() == 1


def test_the_owner_files_figures_and_bad_figures_are_refused(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = api_as(alice)
    url = f"{API}{business.pk}/figures/"
    good = {"year": 2024, "annual_sales": 100, "operating_expenses": 300, "workforce": 2}
    response = client.post(url, good, format="json")
    assert response.status_code == 201
    assert response.json()["gross_income"] == -200
    for bad, message in [
        (dict(good, year=2023, annual_sales=-1), "omzet tahunan (Rp) tidak boleh negatif."),
        (dict(good, year=2999), "Tahun 2999 masih di masa depan."),
        (dict(good, year=2023, workforce=0), "Jumlah tenaga kerja minimal 1 orang (pemilik ikut dihitung)."),
        (good, "Data tahun 2024 sudah diisi; ubah data tersebut."),
    ]:
        refused = client.post(url, bad, format="json")
        assert refused.status_code == 400
        assert refused.json()["detail"] == message
    assert list(AnnualFigures.objects.values_list("year", "annual_sales")) == [(2024, 100)]
    patched = client.patch(f"{url}2024/", {"annual_sales": 900}, format="json")
    assert patched.status_code == 200
    assert AnnualFigures.objects.get().annual_sales == 900


def test_the_owner_creates_and_updates_a_product_with_ingredients(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = api_as(alice)
    url = f"{API}{business.pk}/products/"
    coffee = {"name": "Biji kopi", "halal_certificate_number": "ID18110000012340125"}
    payload = {"name": "Kopi bubuk", "ingredients": [coffee, {"name": "Air", "exempt_claim": True}]}
    created = client.post(url, payload, format="json")
    assert created.status_code == 201, created.json()
    product = Product.objects.get()
    assert [i["name"] for i in created.json()["ingredients"]] == ["Biji kopi", "Air"]
    response = client.patch(f"{url}{product.pk}/", {"ingredients": [{"name": "Gula"}]}, format="json")
    assert response.status_code == 200
    assert list(Ingredient.objects.values_list("name", flat=True)) == ["Gula"]
    assert client.get(url).json()[0]["ingredients"][0]["name"] == "Gula"


def test_staff_read_nested_lists_but_cannot_write_them(api_as: As, alice: Any, oscar: Any) -> None:
    business = BusinessFactory(owner=alice)
    IngredientFactory(product=ProductFactory(business=business))
    client = api_as(oscar)
    assert len(client.get(f"{API}{business.pk}/products/").json()) == 1
    assert client.post(f"{API}{business.pk}/products/", {"name": "X"}, format="json").status_code == 403
    assert Product.objects.count() == 1


def test_documents_upload_by_multipart_and_bad_files_are_refused(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    client = api_as(alice)
    url = f"{API}{business.pk}/documents/"
    refused = client.post(url, {"kind": "nib", "file": SimpleUploadedFile("nib.pdf", HTML)})
    assert refused.status_code == 400
    assert refused.json()["errors"]["file"][0].startswith("Hanya berkas PDF, JPEG dan PNG")
    assert not Document.objects.exists()
    created = client.post(url, {"kind": "nib", "file": SimpleUploadedFile("nib.pdf", PDF)})
    assert created.status_code == 201
    assert created.json()["original_name"] == "nib.pdf"
    doc = Document.objects.get()
    assert created.json()["download_url"] == f"/documents/{doc.pk}/download/"
    assert client.delete(f"{url}{doc.pk}/").status_code == 204
    assert not Document.objects.exists()


def test_the_schema_validates(db: None) -> None:
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.parametrize("rows", [1, 10])
def test_the_nested_product_list_takes_the_same_number_of_queries_for_1_and_10_products(
    api_as: As, alice: Any, rows: int, django_assert_num_queries: Any
) -> None:
    business = BusinessFactory(owner=alice)
    for _ in range(rows):
        IngredientFactory(product=ProductFactory(business=business))
    client = api_as(alice)
    with django_assert_num_queries(5):  # roles, the business, products, their ingredients, their process steps
        response = client.get(f"{API}{business.pk}/products/")
    assert len(response.json()) == rows
