"""Bad input that used to answer 500 or was accepted, probed as an outsider would (issue 21): each is refused with
a clear message in the API's error shape, and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from applicants import services
from applicants.models import AnnualFigures, Business, Document, Ingredient, Product
from core.errors import DomainError
from core.files.uploads import download_name
from tests.applicants.factories import PDF, BusinessFactory, FiguresFactory, ProductFactory
from tests.applicants.test_api import _new_business

pytestmark = pytest.mark.django_db
API = "/api/v1/businesses/"
As = Callable[[Any], APIClient]
CAP = "At most Rp 1.000.000.000.000.000 (10^15)."


@pytest.fixture
def english(api_as: As) -> Callable[[Any], APIClient]:
    """API clients that ask for English (the messages are the msgids; Indonesian is checked separately)."""

    def client(user: Any) -> APIClient:
        api = api_as(user)
        api.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return api

    return client


def new_business(**overrides: Any) -> dict[str, Any]:
    return _new_business(**overrides)  # the API tests' valid business, changed by `overrides`


def refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "errors"}
    return body


# --- Money beyond the cap -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["annual_sales", "operating_expenses", "capital", "export_value"])
@pytest.mark.parametrize("value", [10**23, 2**63, 10**15 + 1])
def test_money_beyond_the_cap_is_refused_on_post_and_patch(
    english: Callable[[Any], APIClient], alice: Any, field: str, value: int
) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2024, annual_sales=100, operating_expenses=50, workforce=2)
    url = f"{API}{business.pk}/figures/"
    good = {"year": 2023, "annual_sales": 100, "operating_expenses": 50, "workforce": 2}
    body = refused(english(alice).post(url, {**good, field: value}, format="json"))
    assert body["detail"] == f"{field}: {CAP}"
    body = refused(english(alice).patch(f"{url}2024/", {field: value}, format="json"))
    assert body["errors"] == {field: [CAP]}
    assert list(AnnualFigures.objects.values_list("year", "annual_sales", "operating_expenses")) == [(2024, 100, 50)]


def test_money_at_the_cap_is_accepted(english: Callable[[Any], APIClient], alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    payload = {"year": 2024, "annual_sales": 10**15, "operating_expenses": 0, "capital": 10**15, "workforce": 2}
    assert english(alice).post(f"{API}{business.pk}/figures/", payload, format="json").status_code == 201


def test_the_service_refuses_money_beyond_the_cap_from_pages_and_imports(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match=r"paling banyak Rp 1\.000\.000\.000\.000\.000"):
        services.figures_create(
            actor=alice, business=business, year=2024, annual_sales=10**16, operating_expenses=0, workforce=1
        )
    assert not AnnualFigures.objects.exists()


def test_money_beyond_the_cap_is_refused_in_indonesian_by_default(api_as: As, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    payload = {"year": 2024, "annual_sales": 10**23, "operating_expenses": 0, "workforce": 2}
    body = refused(api_as(alice).post(f"{API}{business.pk}/figures/", payload, format="json"))
    assert body["detail"] == "annual_sales: Paling banyak Rp 1.000.000.000.000.000 (10^15)."


# --- Counts beyond the database's range ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"workforce": 2**40}, "workforce", "Ensure this value is less than or equal to 10000000."),
        ({"outlets": 40_000}, "outlets", "Ensure this value is less than or equal to 10000."),
        (
            {"production_facilities": 2**31},
            "production_facilities",
            "Ensure this value is less than or equal to 10000.",
        ),
    ],
)
def test_counts_beyond_the_database_range_are_refused(
    english: Callable[[Any], APIClient], alice: Any, overrides: dict[str, int], field: str, message: str
) -> None:
    body = refused(english(alice).post(API, new_business(**overrides), format="json"))
    assert body["errors"][field] == [message]
    assert not Business.objects.exists()


def test_too_many_preservation_methods_are_refused(english: Callable[[Any], APIClient], alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    payload = {"name": "Kopi", "preservation_methods": 10**6, "ingredients": []}
    body = refused(english(alice).post(f"{API}{business.pk}/products/", payload, format="json"))
    assert body["errors"]["preservation_methods"] == ["Ensure this value is less than or equal to 10000."]
    assert not Product.objects.exists()


# --- Dates within sensible ranges ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01", "The date cannot be before 1900-01-01."),
        ("1899-12-31", "The date cannot be before 1900-01-01."),
        ("9999-12-31", "The date cannot be in the future."),
        ("tomorrow", "The date cannot be in the future."),
    ],
)
def test_a_production_start_outside_1900_to_today_is_refused(
    english: Callable[[Any], APIClient], alice: Any, value: str, message: str
) -> None:
    if value == "tomorrow":
        value = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = refused(english(alice).post(API, new_business(production_started=value), format="json"))
    assert body["errors"]["production_started"] == [message]
    assert not Business.objects.exists()


def test_a_production_start_moved_out_of_range_by_patch_is_refused(
    english: Callable[[Any], APIClient], alice: Any
) -> None:
    business = BusinessFactory(owner=alice, production_started=dt.date(2015, 3, 1))
    body = refused(english(alice).patch(f"{API}{business.pk}/", {"production_started": "0001-01-01"}, format="json"))
    assert body["errors"]["production_started"] == ["The date cannot be before 1900-01-01."]
    business.refresh_from_db()
    assert business.production_started == dt.date(2015, 3, 1)


# --- Names with visible characters -----------------------------------------------------------------------------------
INVISIBLE = ["\u200b\u200b\u200b", "\u3164", "\u2800\u2800", "\u200e\u200f\u2060", "\u00a0\u200b", "\ufeff", "\u115f"]
VISIBLE_MESSAGE = "Enter a name with visible letters or digits."


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_business_name_of_invisible_characters_is_refused(
    english: Callable[[Any], APIClient], alice: Any, name: str
) -> None:
    body = refused(english(alice).post(API, new_business(name=name), format="json"))
    assert body["errors"]["name"] == [VISIBLE_MESSAGE]
    assert not Business.objects.exists()


@pytest.mark.parametrize("name", INVISIBLE)
def test_product_and_ingredient_names_of_invisible_characters_are_refused(
    english: Callable[[Any], APIClient], alice: Any, name: str
) -> None:
    business = BusinessFactory(owner=alice)
    url = f"{API}{business.pk}/products/"
    body = refused(english(alice).post(url, {"name": name}, format="json"))
    assert body["errors"]["name"] == [VISIBLE_MESSAGE]
    body = refused(english(alice).post(url, {"name": "Kopi", "ingredients": [{"name": name}]}, format="json"))
    assert body["errors"]["ingredients"] == {"0": {"name": [VISIBLE_MESSAGE]}}
    assert not Product.objects.exists() and not Ingredient.objects.exists()


@pytest.mark.parametrize("name", ["Kopi Ñusantara", "咖啡", "كوبي", "Café\u200d", "🍵 Teh"])
def test_names_in_any_script_are_accepted(english: Callable[[Any], APIClient], alice: Any, name: str) -> None:
    assert english(alice).post(API, new_business(name=name), format="json").status_code == 201


def test_the_service_refuses_invisible_product_and_ingredient_names(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="Produk harus diberi nama"):
        services.product_create(actor=alice, business=business, fields={"name": "\u200b"}, ingredients=[])
    with pytest.raises(DomainError, match="Setiap bahan harus diberi nama"):
        services.product_create(
            actor=alice, business=business, fields={"name": "Kopi"}, ingredients=[{"name": "\u3164"}]
        )
    assert not Product.objects.exists()


# --- A limit on nested items per request ---------------------------------------------------------------------------
def test_5000_ingredients_in_one_request_are_refused_with_the_limit(
    english: Callable[[Any], APIClient], alice: Any
) -> None:
    business = BusinessFactory(owner=alice)
    payload = {"name": "Kopi", "ingredients": [{"name": f"Bahan {i}"} for i in range(5000)]}
    body = refused(english(alice).post(f"{API}{business.pk}/products/", payload, format="json"))
    assert body["detail"] == "ingredients: At most 500 ingredients per product."
    assert not Product.objects.exists() and not Ingredient.objects.exists()


def test_the_service_refuses_more_ingredients_than_the_limit(alice: Any, settings: Any) -> None:
    settings.API_MAX_NESTED_ITEMS = 3
    product = ProductFactory(business=BusinessFactory(owner=alice))
    with pytest.raises(DomainError, match="paling banyak memuat 3 bahan; produk ini memuat 4"):
        services.product_update(actor=alice, product=product, fields={}, ingredients=[{"name": "x"}] * 4)
    assert not Ingredient.objects.filter(product=product).exists()


# --- The year of filed figures ----------------------------------------------------------------------------------------
def test_patching_the_year_of_filed_figures_is_refused_instead_of_ignored(
    english: Callable[[Any], APIClient], alice: Any
) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2024, annual_sales=100)
    url = f"{API}{business.pk}/figures/2024/"
    body = refused(english(alice).patch(url, {"year": 1900, "annual_sales": 5}, format="json"))
    assert body["errors"]["year"] == [
        "The year of filed figures cannot be changed; file the figures of 1900 as a new year instead."
    ]
    assert list(AnnualFigures.objects.values_list("year", "annual_sales")) == [(2024, 100)]
    assert english(alice).patch(url, {"year": 2024, "annual_sales": 5}, format="json").status_code == 200


# --- Bodies: depth, values, size ----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [API, "/api/v1/fees/quote/", "/api/v1/auth/token/"])
def test_a_deeply_nested_json_body_is_refused_before_parsing(
    english: Callable[[Any], APIClient], alice: Any, url: str
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    body = refused(english(alice).post(url, deep, content_type="application/json"))
    assert body["detail"] == "The request's JSON is nested too deeply (the limit is 20 levels)."
    nested = json.dumps({"name": json.loads("[" * 21 + "]" * 21)})
    assert refused(english(alice).post(url, nested, content_type="application/json"))["detail"].startswith(
        "The request's JSON is nested too deeply"
    )
    assert not Business.objects.exists()


def test_brackets_inside_strings_do_not_count_as_nesting(english: Callable[[Any], APIClient], alice: Any) -> None:
    response = english(alice).post(API, new_business(address="[" * 5000 + '"{' * 50), format="json")
    assert response.status_code == 201, response.content
    assert Business.objects.get().address.startswith("[[[")


def test_a_json_body_with_too_many_values_is_refused(english: Callable[[Any], APIClient], alice: Any) -> None:
    body = refused(english(alice).post(API, json.dumps([0] * 30_000), content_type="application/json"))
    assert body["detail"] == "The request has too many values (the limit is 20,000)."
    assert not Business.objects.exists()


def test_a_10_mb_json_field_is_refused_in_the_api_error_shape(english: Callable[[Any], APIClient], alice: Any) -> None:
    big = json.dumps(new_business(name="x" * (10 * 1024 * 1024)))
    body = refused(english(alice).post(API, big, content_type="application/json"))
    assert body["detail"].startswith("The request body is too large (10.0") and "the limit is 2.5" in body["detail"]
    assert not Business.objects.exists()


def test_a_bad_request_django_refuses_itself_answers_json_under_the_api(db: None) -> None:
    response = Client(HTTP_HOST="evil.example").get("/api/v1/me/")
    body = refused(response)
    assert body["detail"] in {"Bad request.", "Permintaan tidak valid."}
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400  # pages keep Django's own answer


# --- Downloads named by their sniffed type ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("laporan.html", "application/pdf", "laporan.pdf"),
        ("foto.svg", "image/png", "foto.png"),
        ("foto.JPEG", "image/jpeg", "foto.JPEG"),
        ("foto.jpg", "image/jpeg", "foto.jpg"),
        ("nib.pdf", "application/pdf", "nib.pdf"),
        ("tanpa-akhiran", "application/pdf", "tanpa-akhiran.pdf"),
        (".html", "application/pdf", ".html.pdf"),
        ("a.pdf.html", "application/pdf", "a.pdf.pdf"),
    ],
)
def test_a_download_is_named_with_the_extension_of_its_sniffed_type(
    name: str, content_type: str, expected: str
) -> None:
    assert download_name(name, content_type) == expected


def test_a_pdf_uploaded_with_an_html_name_is_stored_and_downloaded_as_pdf(
    api_as: As, alice: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    business = BusinessFactory(owner=alice)
    upload = SimpleUploadedFile("laporan.html", PDF, content_type="text/html")
    created = api_as(alice).post(f"{API}{business.pk}/documents/", {"kind": "nib", "file": upload}, format="multipart")
    assert created.status_code == 201, created.content
    document = Document.objects.get()
    assert document.content_type == "application/pdf" and document.file.name.endswith(".pdf")
    client = Client()
    client.force_login(alice)
    response = client.get(created.json()["download_url"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_a_body_that_still_overflows_the_parser_is_refused_not_a_500() -> None:
    """Behind the guard (a view outside /api/ or a raised limit), DRF's parser turns RecursionError into a 400."""
    import io

    from rest_framework.exceptions import ParseError

    from core.api.jsonguard import GuardedJSONParser

    with pytest.raises(ParseError):
        GuardedJSONParser().parse(io.BytesIO(b"[" * 200_000 + b"]" * 200_000), "application/json", {})
