"""Issue 32, item 16: the owner's catalogue entry and BPOM facilitation through the API, with the pages' services:
someone else's object answers 404, staff read but never write, bad input is explained in Indonesian and writes
nothing."""

from __future__ import annotations

from typing import Any

import pytest

from applicants.models import Product
from applicants.models.listings import ProductListing
from core.models import Notification
from tests.applicants.factories import PDF, BusinessFactory, ProductFactory
from tests.certification import factories as cf
from tests.market.test_catalogue import certified, photo
from training.facilitation import services as facilitation
from training.models.facilitation import FacilitationCase, FacilitationEvent

pytestmark = pytest.mark.django_db


def _url(product: Product) -> str:
    return f"/api/v1/businesses/{product.business_id}/products/{product.pk}/listing/"


def _api(api_as: Any, user: Any) -> Any:
    client = api_as(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    return client


# --- The catalogue entry ----------------------------------------------------------------------------------------------
def test_the_owner_lists_a_certified_product_changes_it_and_withdraws_it(cast: cf.Cast, api_as: Any) -> None:
    product = certified(cast)[0]
    api = _api(api_as, cast.owner)
    assert api.get(_url(product)).status_code == 404  # no entry yet
    created = api.put(
        _url(product),
        {
            "published": "true",
            "description": "Keripik pisang renyah",
            "price_min": "Rp 15.000",
            "price_max": "25000",
            "whatsapp": "0812 3456 7890",
            "links": ["https://shopee.co.id/keripik"],
            "photo": photo(),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["price_min"], body["price_max"], body["whatsapp"]) == (15_000, 25_000, "6281234567890")
    assert body["published"] is True and body["photo_url"].endswith("/thumb.jpg")
    listing = ProductListing.objects.get(product=product)
    assert (listing.photo_width, listing.photo_height) == (960, 720)  # re-encoded by the page's service
    # The public catalogue shows it (the product holds a valid certificate).
    assert product.name in api_as(None).get("/api/v1/public/catalogue/").content.decode()

    changed = api.patch(_url(product), {"price_max": 30_000}, format="json")
    listing.refresh_from_db()
    assert changed.status_code == 200 and (listing.price_min, listing.price_max) == (15_000, 30_000)

    withdrawn = api.delete(_url(product))
    listing.refresh_from_db()
    assert withdrawn.status_code == 200 and withdrawn.json()["published"] is False
    assert listing.published is False and listing.description == "Keripik pisang renyah"  # kept, to publish again
    assert product.name not in api_as(None).get("/api/v1/public/catalogue/").content.decode()


BAD = [
    ({"whatsapp": "0721 123456"}, "whatsapp", "Nomor WhatsApp harus nomor ponsel Indonesia"),
    ({"links": ["http://toko.example/"]}, "links", "Setiap tautan harus alamat web yang diawali https://"),
    ({"price_min": "30000", "price_max": "20000"}, "price_max", "Harga tertinggi tidak boleh di bawah harga terendah"),
    ({"price_min": "lima ribu"}, "price_min", "Tulis harga dalam rupiah bulat."),
    ({"whatsapp": ""}, "whatsapp", "Untuk menampilkan produk, beri pembeli cara menghubungi Anda"),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD)
def test_a_bad_entry_is_explained_in_indonesian_and_writes_nothing(
    alice: Any, api_as: Any, data: dict[str, Any], field: str, message: str
) -> None:
    product = ProductFactory(business__owner=alice)
    response = _api(api_as, alice).put(
        _url(product), {"published": True, "whatsapp": "081234567890", **data}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message) and field in response.json()["errors"]
    assert not ProductListing.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_and_the_entry_is_unchanged(alice: Any, api_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = ProductFactory(business__owner=alice)
    api = _api(api_as, alice)
    api.put(_url(product), {"description": "Renyah"}, format="json")
    fake = SimpleUploadedFile("foto.png", PDF, content_type="image/png")
    response = api.patch(_url(product), {"description": "Baru", "photo": fake}, format="multipart")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Foto harus berupa gambar JPEG, PNG atau WebP")
    listing = ProductListing.objects.get()
    assert (listing.description, bool(listing.photo)) == ("Renyah", False)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_owners_entry_answers_404_and_staff_may_read_but_not_write(
    cast: cf.Cast, api_as: Any, bob: Any, oscar: Any, method: str
) -> None:
    product = ProductFactory(business__owner=cast.owner)
    _api(api_as, cast.owner).put(_url(product), {"description": "Renyah"}, format="json")
    body = {"description": "Diubah"}
    assert getattr(_api(api_as, bob), method)(_url(product), body, format="json").status_code == 404
    assert getattr(api_as(None), method)(_url(product), body, format="json").status_code == 401
    for staff in (cast.reviewer, oscar):
        expected = 200 if method == "get" else 403
        assert getattr(_api(api_as, staff), method)(_url(product), body, format="json").status_code == expected
    assert ProductListing.objects.get().description == "Renyah"


def test_reading_an_entry_takes_the_same_queries_whatever_its_photos(
    alice: Any, api_as: Any, django_assert_num_queries: Any
) -> None:
    plain, pictured = ProductFactory(business__owner=alice), ProductFactory(business__owner=alice)
    api = _api(api_as, alice)
    api.put(_url(plain), {"description": "Tanpa foto"}, format="json")
    api.put(_url(pictured), {"description": "Dengan foto", "photo": photo()}, format="multipart")
    with django_assert_num_queries(4) as few:  # the business, the product, the entry, its photos
        api.get(_url(plain))
    with django_assert_num_queries(len(few.captured_queries)):
        api.get(_url(pictured))


# --- BPOM facilitation ------------------------------------------------------------------------------------------------
def test_the_owner_asks_for_bpom_help_and_follows_the_progress(alice: Any, oscar: Any, api_as: Any) -> None:
    product = ProductFactory(business=BusinessFactory(owner=alice), name="Keripik Pisang Lampung")
    api = _api(api_as, alice)
    response = api.post(
        "/api/v1/facilitations/",
        {"business": product.business_id, "product": product.pk, "note": "Belum paham dokumen BPOM"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = FacilitationCase.objects.get()
    assert (case.product, case.opened_by, case.state, case.officer) == (product, alice, "requested", None)
    assert response.json()["events"][0]["to_state"] == "requested"
    for action in ("documents_complete", "submit"):
        facilitation.facilitation_transition(case_id=case.pk, action=action, actor=oscar)
    facilitation.facilitation_transition(case_id=case.pk, action="register", actor=oscar, md_number="MD224512345678")
    detail = api.get(f"/api/v1/facilitations/{case.pk}/").json()
    assert (detail["state"], detail["state_label"]) == ("registered", "Terdaftar")
    assert detail["md_number"] == "MD224512345678"
    assert [e["to_state"] for e in detail["events"]] == ["requested", "documents_complete", "submitted", "registered"]
    assert detail["closed_on"] is not None and detail["is_open"] is False
    listed = api.get("/api/v1/facilitations/").json()
    assert [row["id"] for row in listed["results"]] == [case.pk]
    # The owner heard of every step (the same notice the page's officer actions send).
    assert Notification.objects.filter(recipient=alice, kind="facilitation_status").count() == 3


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "product", "Pilih produk yang akan didaftarkan ke BPOM"),
        ({"product": None}, "product", "Pilih produk yang akan didaftarkan ke BPOM"),
    ],
)
def test_a_request_without_a_product_is_explained_and_writes_nothing(
    alice: Any, api_as: Any, body: dict[str, Any], field: str, message: str
) -> None:
    business = BusinessFactory(owner=alice)
    response = _api(api_as, alice).post("/api/v1/facilitations/", {"business": business.pk, **body}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message) and field in response.json()["errors"]
    assert not FacilitationCase.objects.exists() and not FacilitationEvent.objects.exists()


def test_a_second_open_request_for_the_same_product_is_refused(alice: Any, api_as: Any) -> None:
    product = ProductFactory(business=BusinessFactory(owner=alice))
    api = _api(api_as, alice)
    body = {"business": product.business_id, "product": product.pk}
    assert api.post("/api/v1/facilitations/", body, format="json").status_code == 201
    again = api.post("/api/v1/facilitations/", body, format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "Sudah ada kasus fasilitasi yang masih terbuka untuk produk ini."
    assert FacilitationCase.objects.count() == 1


def test_someone_elses_business_product_or_case_answers_404(alice: Any, bob: Any, api_as: Any) -> None:
    mine = ProductFactory(business=BusinessFactory(owner=alice))
    theirs = ProductFactory(business=BusinessFactory(owner=bob))
    api = _api(api_as, alice)
    assert (
        api.post(
            "/api/v1/facilitations/", {"business": theirs.business_id, "product": theirs.pk}, format="json"
        ).status_code
        == 404
    )
    assert (
        api.post(
            "/api/v1/facilitations/", {"business": mine.business_id, "product": theirs.pk}, format="json"
        ).status_code
        == 404
    )
    assert not FacilitationCase.objects.exists()
    case = facilitation.facilitation_open(actor=bob, business=theirs.business, product=theirs)
    assert api.get(f"/api/v1/facilitations/{case.pk}/").status_code == 404
    assert api.get("/api/v1/facilitations/").json()["results"] == []


def test_staff_of_the_region_read_cases_an_assistant_is_refused_and_nobody_else_sees_them(
    alice: Any, oscar: Any, pat: Any, make_user: Any, api_as: Any
) -> None:
    from tests.conftest import works_for

    product = ProductFactory(business=BusinessFactory(owner=alice))
    case = facilitation.facilitation_open(actor=alice, business=product.business, product=product)
    assert _api(api_as, oscar).get(f"/api/v1/facilitations/{case.pk}/").status_code == 200
    assert _api(api_as, pat).get(f"/api/v1/facilitations/{case.pk}/").status_code == 403
    elsewhere = works_for(make_user("asep@jabar.test", "officer"), "32")  # the business is in Bandar Lampung
    assert _api(api_as, elsewhere).get(f"/api/v1/facilitations/{case.pk}/").status_code == 404
    refused = _api(api_as, elsewhere).post(
        "/api/v1/facilitations/", {"business": product.business_id, "product": product.pk}, format="json"
    )
    assert refused.status_code == 404
    assert FacilitationCase.objects.count() == 1


def test_the_case_list_takes_the_same_queries_for_one_case_or_many(
    alice: Any, api_as: Any, django_assert_num_queries: Any
) -> None:
    def add() -> None:
        product = ProductFactory(business=BusinessFactory(owner=alice))
        facilitation.facilitation_open(actor=alice, business=product.business, product=product)

    add()
    api = _api(api_as, alice)
    with django_assert_num_queries(2) as one:  # the count and the page
        api.get("/api/v1/facilitations/")
    for _ in range(4):
        add()
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get("/api/v1/facilitations/").json()["results"]) == 5
