"""Distribution permits per product: entered by the owner (form and API), checked, scoped; staff see the gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applicants.models import Product
from applicants.models.permits import DistributionPermit
from tests.applicants.factories import HTML, PDF, ProductFactory
from tests.certification import factories as cf

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


def _new_url(product: Product) -> str:
    return reverse("applicants:permit_new", args=[product.business_id, product.pk])


def _api(product: Product) -> str:
    return f"/api/v1/businesses/{product.business_id}/products/{product.pk}/permits/"


def test_owner_records_a_pirt_permit_with_its_document_from_the_form(alice: Any) -> None:
    product = ProductFactory(business__owner=alice)
    response = _client(alice).post(
        _new_url(product),
        {
            "kind": "pirt",
            "number": "P-IRT No. 2061871010123-30",
            "issuer": "Dinas Kesehatan Kota Bandar Lampung",
            "issued_on": "2025-01-10",
            "expires_on": "2030-01-10",
            "document": SimpleUploadedFile("pirt.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    permit = DistributionPermit.objects.get(product=product)
    assert permit.number == "206187101012330"
    assert permit.expires_on == dt.date(2030, 1, 10)
    assert permit.document_content_type == "application/pdf"
    download = _client(alice).get(reverse("applicants:permit_document", args=[permit.pk]))
    assert download.status_code == 200


def test_a_real_permit_replaces_the_none_yet_placeholder(alice: Any) -> None:
    product = ProductFactory(business__owner=alice)
    client = _client(alice)
    client.post(_new_url(product), {"kind": "none"})
    assert list(product.permits.values_list("kind", flat=True)) == ["none"]
    client.post(_new_url(product), {"kind": "bpom_md", "number": "MD 224512345678"})
    assert list(product.permits.values_list("kind", "number")) == [("bpom_md", "MD224512345678")]


BAD = [
    ({"kind": "pirt", "number": "20618710101"}, "Nomor PIRT terdiri dari tepat 15 angka"),
    ({"kind": "pirt", "number": "2061871010123AB"}, "Nomor PIRT terdiri dari tepat 15 angka"),
    ({"kind": "bpom_md", "number": "ML224512345678"}, "Nomor BPOM MD adalah MD diikuti 12 angka"),
    ({"kind": "bpom_md", "number": "MD22451234567"}, "Nomor BPOM MD adalah MD diikuti 12 angka"),
    (
        {"kind": "pirt", "number": "206187101012325", "issued_on": "2025-05-01", "expires_on": "2025-04-30"},
        "Tanggal berakhir harus setelah tanggal terbit",
    ),
    (  # five years and a day (issue 31)
        {"kind": "pirt", "number": "206187101012330", "issued_on": "2025-05-01", "expires_on": "2030-05-02"},
        "berlaku paling lama 5 tahun",
    ),
    (  # the number's last two digits are the year it ends
        {"kind": "pirt", "number": "206187101012329", "issued_on": "2025-05-01", "expires_on": "2030-05-01"},
        "memberi tahun berakhirnya, 2029",
    ),
    (
        {"kind": "bpom_md", "number": "MD224512345678", "issued_on": "2025-05-01", "expires_on": "2030-05-02"},
        "berlaku paling lama 5 tahun",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_permit_input_on_the_form_is_explained_in_indonesian_and_writes_nothing(
    alice: Any, data: dict[str, str], message: str
) -> None:
    product = ProductFactory(business__owner=alice)
    response = _client(alice).post(_new_url(product), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DistributionPermit.objects.exists()


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_permit_input_on_the_api_is_a_400_in_indonesian_and_writes_nothing(
    api_as: Any, alice: Any, data: dict[str, str], message: str
) -> None:
    product = ProductFactory(business__owner=alice)
    api = api_as(alice)
    api.credentials(HTTP_ACCEPT_LANGUAGE="id")
    response = api.post(_api(product), data, format="json")
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not DistributionPermit.objects.exists()


def test_a_permit_document_that_is_not_pdf_or_image_is_refused_and_nothing_is_written(alice: Any) -> None:
    product = ProductFactory(business__owner=alice)
    data = {
        "kind": "pirt",
        "number": "206187101012325",
        "document": SimpleUploadedFile("pirt.pdf", HTML, content_type="application/pdf"),
    }
    response = _client(alice).post(_new_url(product), data)
    assert "Hanya berkas PDF, JPEG dan PNG" in response.content.decode()
    assert not DistributionPermit.objects.exists()


def test_owner_reads_and_changes_permits_through_the_api(api_as: Any, alice: Any) -> None:
    product = ProductFactory(business__owner=alice)
    api = api_as(alice)
    created = api.post(_api(product), {"kind": "pirt", "number": "206187101012326"}, format="json")
    assert created.status_code == 201, created.content
    permit_url = f"{_api(product)}{created.json()['id']}/"
    changed = api.patch(permit_url, {"issued_on": "2025-01-01", "expires_on": "2026-01-01"}, format="json")
    assert changed.status_code == 200, changed.content
    permit = DistributionPermit.objects.get()
    assert permit.expires_on == dt.date(2026, 1, 1)
    assert api.get(_api(product)).json()[0]["number"] == "206187101012326"
    assert api.delete(permit_url).status_code == 204
    assert not DistributionPermit.objects.exists()


def test_another_owner_gets_404_on_the_permit_pages_api_and_document(
    api_as: Any, alice: Any, bob: Any, oscar: Any
) -> None:
    product = ProductFactory(business__owner=alice)
    ProductFactory(business__owner=bob)
    _client(alice).post(
        _new_url(product),
        {"kind": "pirt", "number": "206187101012325", "document": SimpleUploadedFile("p.pdf", PDF)},
    )
    permit = DistributionPermit.objects.get()
    client = _client(bob)
    assert client.get(_new_url(product)).status_code == 404
    edit = reverse("applicants:permit_edit", args=[product.business_id, product.pk, permit.pk])
    assert client.get(edit).status_code == 404
    assert client.get(reverse("applicants:permit_document", args=[permit.pk])).status_code == 404
    assert api_as(bob).get(_api(product)).status_code == 404
    assert api_as(bob).post(_api(product), {"kind": "none"}, format="json").status_code == 404
    # Staff read, but never write an owner's permit.
    assert api_as(oscar).get(_api(product)).status_code == 200
    assert api_as(oscar).post(_api(product), {"kind": "none"}, format="json").status_code == 403
    assert DistributionPermit.objects.count() == 1


def test_staff_see_certified_products_lacking_a_permit_by_regency(
    cast: cf.Cast, oscar: Any, django_assert_max_num_queries: Any
) -> None:
    application = cf.issued(cast, products=2)
    first, second = application.products.order_by("name")
    DistributionPermit.objects.create(product=first, kind="pirt", number="206187101012325", created_by=cast.owner)
    ProductFactory(business=application.business, name="Belum bersertifikat")  # not certified: not listed
    client = _client(oscar)
    url = reverse("dashboard:permit-gaps")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    regencies = response.context["regencies"]
    assert [(r["certified"], r["with_permit"], r["lacking"]) for r in regencies] == [(2, 1, 1)]
    assert [p.pk for p in response.context["page"]] == [second.pk]
    assert _client(cast.owner).get(url).status_code == 403


def test_the_permit_gaps_page_takes_the_same_queries_for_one_product_and_many(
    cast: cf.Cast, oscar: Any, django_assert_num_queries: Any
) -> None:
    client = _client(oscar)
    counts = []
    for products in (1, 4):
        cf.issued(cast, products=products)
        with django_assert_num_queries(6) as queries:
            assert client.get(reverse("dashboard:permit-gaps")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("kind", ["pirt", "bpom_md"])
def test_a_permit_of_exactly_five_years_is_accepted(alice: Any, kind: str) -> None:
    product = ProductFactory(business__owner=alice)
    number = "206187101012330" if kind == "pirt" else "MD224512345678"
    data = {"kind": kind, "number": number, "issued_on": "2025-05-01", "expires_on": "2030-05-01"}
    response = _client(alice).post(_new_url(product), data)
    assert response.status_code == 302, response.content.decode()[:400]
    assert DistributionPermit.objects.get().expires_on == dt.date(2030, 5, 1)


@pytest.mark.parametrize("name", ["Nugget Ayam Beku", "Susu Pasteurisasi Rasa Coklat"])
def test_a_pirt_for_a_food_that_needs_bpom_md_is_refused_with_the_rule_and_writes_nothing(
    alice: Any, name: str
) -> None:
    product = ProductFactory(business__owner=alice, name=name)
    data = {"kind": "pirt", "number": "206187101012330", "issued_on": "2025-05-01", "expires_on": "2030-05-01"}
    body = _client(alice).post(_new_url(product), data).content.decode()
    assert "memerlukan registrasi BPOM MD" in body and "PerBPOM 22/2018" in body
    assert not DistributionPermit.objects.exists()
    md = {"kind": "bpom_md", "number": "MD224512345678", "issued_on": "2025-05-01", "expires_on": "2030-05-01"}
    assert _client(alice).post(_new_url(product), md).status_code == 302  # the MD it needs is accepted
