"""The public catalogue: opt-in entries of certified products, live certificate status, open data, bad input."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from PIL import Image

from applicants.listings.services import listing_save
from applicants.models import Product
from applicants.models.listings import ProductListing
from applicants.models.permits import DistributionPermit
from certification.certificates import services as certificate_services
from certification.models import Certificate
from tests.applicants.factories import HTML, PDF, ProductFactory
from tests.certification import factories as cf

pytestmark = pytest.mark.django_db


def photo(size: tuple[int, int] = (1600, 1200), fmt: str = "PNG", name: str = "foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    if user is not None:
        client.force_login(user)
    return client


def certified(cast: cf.Cast, products: int = 1) -> list[Product]:
    application = cf.issued(cast, products=products)
    return list(application.products.order_by("name"))


def publish(product: Product, **fields: Any) -> ProductListing:
    values = {"published": True, "whatsapp": "0812-3456-7890", "description": "Renyah", **fields}
    return listing_save(actor=product.business.owner, product=product, fields=values, photo=fields.pop("photo", None))


def _listing_url(product: Product) -> str:
    return reverse("applicants:listing_edit", args=[product.business_id, product.pk])


def test_owner_publishes_with_a_photo_that_is_resized_and_stripped_on_the_server(alice: Any) -> None:
    product = ProductFactory(business__owner=alice)
    response = _client(alice).post(
        _listing_url(product),
        {
            "published": "on",
            "description": "Keripik pisang renyah",
            "price_min": "15000",
            "price_max": "Rp 25.000",
            "whatsapp": "+62 812 3456 7890",
            "phone": "0721 123456",
            "links": "https://shopee.co.id/keripik\nhttps://toko.example/keripik",
            "photo": photo(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = ProductListing.objects.get(product=product)
    assert listing.whatsapp == "6281234567890"
    assert (listing.price_min, listing.price_max) == (15_000, 25_000)
    assert listing.whatsapp_url == "https://wa.me/6281234567890"
    assert listing.links == ["https://shopee.co.id/keripik", "https://toko.example/keripik"]
    assert (listing.photo_width, listing.photo_height) == (960, 720)
    with Image.open(listing.thumbnail.open("rb")) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 320
        assert not thumb.getexif()


BAD = [
    ({"whatsapp": "0721 123456"}, "Nomor WhatsApp harus nomor ponsel Indonesia"),
    ({"whatsapp": "+1 415 555 0100"}, "Nomor WhatsApp harus nomor ponsel Indonesia"),
    ({"links": "javascript:alert(1)"}, "Setiap tautan harus alamat web yang diawali https://"),
    ({"links": "ftp://toko.example/"}, "Setiap tautan harus alamat web yang diawali https://"),
    ({"links": "http://toko.example/"}, "Setiap tautan harus alamat web yang diawali https://"),  # as the hint says
    ({"price_min": "30000", "price_max": "20000"}, "Harga tertinggi tidak boleh di bawah harga terendah"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_catalogue_input_is_explained_in_indonesian_and_writes_nothing(
    alice: Any, data: dict[str, str], message: str
) -> None:
    product = ProductFactory(business__owner=alice)
    form = {"published": "on", "whatsapp": "081234567890", "photo": photo(), **data}
    response = _client(alice).post(_listing_url(product), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProductListing.objects.exists()


NOT_AN_IMAGE = "Foto harus berupa gambar JPEG, PNG atau WebP"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("foto.jpg", HTML, content_type="image/jpeg"),
            "Foto harus berupa gambar JPEG, PNG atau WebP",
        ),
        (SimpleUploadedFile("foto.png", PDF, content_type="image/png"), "Foto harus berupa gambar JPEG, PNG atau WebP"),
    ],
)
def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_written(
    alice: Any, tmp_path: Any, upload: Any, message: str
) -> None:
    product = ProductFactory(business__owner=alice)
    response = _client(alice).post(_listing_url(product), {"whatsapp": "081234567890", "photo": upload})
    assert message in response.content.decode()
    assert not ProductListing.objects.exists()
    assert not list((tmp_path / "media").rglob("*.jpg"))


def test_an_oversize_photo_is_refused_and_nothing_is_written(alice: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    product = ProductFactory(business__owner=alice)
    response = _client(alice).post(_listing_url(product), {"whatsapp": "081234567890", "photo": photo()})
    assert "Foto terlalu besar" in response.content.decode()
    assert not ProductListing.objects.exists()


def test_another_owner_gets_404_on_the_catalogue_entry_page(alice: Any, bob: Any) -> None:
    product = ProductFactory(business__owner=alice)
    ProductFactory(business__owner=bob)
    assert _client(bob).get(_listing_url(product)).status_code == 404
    assert _client(bob).post(_listing_url(product), {"whatsapp": "081234567890"}).status_code == 404
    assert not ProductListing.objects.exists()


def test_only_published_entries_of_validly_certified_products_are_in_the_catalogue(cast: cf.Cast) -> None:
    shown, unpublished = certified(cast, products=2)
    publish(shown, photo=photo())
    publish(unpublished, published=False)
    publish(ProductFactory(business__owner=cast.owner, name="Belum bersertifikat"))
    response = _client().get(reverse("certification:catalogue"))
    assert [e.product_id for e in response.context["page"].object_list] == [shown.pk]
    detail = _client().get(reverse("certification:catalogue-detail", args=[shown.listing.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'href="https://wa.me/6281234567890"' in html
    assert 'property="og:image"' in html and 'property="og:title"' in html
    assert _client().get(reverse("certification:catalogue-photo", args=[shown.listing.pk, "photo"])).status_code == 200


def test_a_revoked_certificate_takes_its_products_out_at_once(cast: cf.Cast) -> None:
    (product,) = certified(cast)
    listing = publish(product, photo=photo())
    certificate = Certificate.objects.get(application__products=product)
    verify_url = reverse("certification:verify", args=[certificate.token])
    assert reverse("certification:catalogue-detail", args=[listing.pk]) in _client().get(verify_url).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_services.certificate_revoke(
            certificate=certificate, actor=cast.reviewer, reason="Bahan babi ditemukan saat inspeksi."
        )
    assert list(_client().get(reverse("certification:catalogue")).context["page"].object_list) == []
    assert _client().get(reverse("certification:catalogue-detail", args=[listing.pk])).status_code == 404
    assert _client().get(reverse("certification:catalogue-photo", args=[listing.pk, "thumb"])).status_code == 404
    assert _client().get("/api/v1/public/catalogue/").json()["count"] == 0
    assert (
        reverse("certification:catalogue-detail", args=[listing.pk]) not in _client().get(verify_url).content.decode()
    )


def test_the_catalogue_filters_by_name_regency_category_and_permit(cast: cf.Cast) -> None:
    pirt, plain = certified(cast, products=2)
    publish(pirt)
    publish(plain)
    DistributionPermit.objects.create(product=pirt, kind="pirt", number="206187101012325", created_by=cast.owner)
    region = pirt.business.region.code

    def found(**params: str) -> list[int]:
        response = _client().get(reverse("certification:catalogue"), params)
        return sorted(e.product_id for e in response.context["page"].object_list)

    assert found(q=pirt.name) == [pirt.pk]
    assert found(region=region) == sorted([pirt.pk, plain.pk])
    assert found(region="9999") == []
    assert found(category=pirt.category) == sorted([pirt.pk, plain.pk])
    assert found(permit="pirt") == [pirt.pk]
    assert found(permit="none") == [plain.pk]
    assert found(permit="bpom_md") == []
    assert found(permit="any") == [pirt.pk]
    assert found(permit="<script>") == sorted([pirt.pk, plain.pk])  # unknown filters are ignored


def test_the_catalogue_list_and_api_take_the_same_queries_for_one_entry_and_many(
    cast: cf.Cast, django_assert_num_queries: Any
) -> None:
    first, *rest = certified(cast, products=4)
    publish(first)
    DistributionPermit.objects.create(product=first, kind="pirt", number="206187101012325", created_by=cast.owner)
    client = _client()
    counts = []
    for batch in ([], rest):
        for product in batch:
            publish(product)
            DistributionPermit.objects.create(
                product=product, kind="bpom_md", number="MD224512345678", created_by=cast.owner
            )
        cache.clear()
        # The entries (their keys and rows in one query), their permits, the count (up to 1,001) and the regencies
        # of the filter (kept a minute: the next page does not read them).
        with django_assert_num_queries(4) as page_queries:
            assert client.get(reverse("certification:catalogue")).status_code == 200
        with django_assert_num_queries(3) as warm_queries:
            assert client.get(reverse("certification:catalogue")).status_code == 200
        with django_assert_num_queries(3) as api_queries:
            assert client.get("/api/v1/public/catalogue/").status_code == 200
        counts.append((len(page_queries), len(warm_queries), len(api_queries)))
    assert counts[0] == counts[1]


def test_a_large_catalogue_is_counted_up_to_a_thousand_and_the_count_kept_a_minute(
    cast: cf.Cast, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap the page says "more than" and the count is read once a minute, not on every visit; the entries
    themselves stay live (a revoked certificate takes its product out on the next request)."""
    from certification.catalogue import views as catalogue_views
    from core.web import pagination

    products = certified(cast, products=4)
    for product in products:
        publish(product)
    monkeypatch.setattr(catalogue_views, "COUNT_LIMIT", 2)
    monkeypatch.setattr(pagination, "CACHE_BOUNDED_FROM", 2)
    cache.clear()
    client = _client()
    first = client.get(reverse("certification:catalogue"))
    assert first.context["page"].count == 2 and not first.context["page"].count_exact
    assert "Lebih dari 2 produk" in first.content.decode()
    with django_assert_num_queries(2):  # the entries and their permits: the count and the regencies are kept
        again = client.get(reverse("certification:catalogue"))
    assert len(again.context["page"].object_list) == 4
    assert [entry.product_id for entry in again.context["page"].object_list] == [
        p.pk for p in sorted(products, key=lambda p: (p.name, p.pk))
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_services.certificate_revoke(
            certificate=Certificate.objects.get(application__products=products[0]),
            actor=cast.reviewer,
            reason="Bahan babi ditemukan saat inspeksi.",
        )
    assert list(client.get(reverse("certification:catalogue")).context["page"].object_list) == []


def test_open_data_json_csv_and_sitemap_list_the_catalogue(cast: cf.Cast) -> None:
    (product,) = certified(cast)
    listing = publish(product, links="https://shopee.co.id/keripik")
    DistributionPermit.objects.create(product=product, kind="pirt", number="206187101012325", created_by=cast.owner)
    body = _client().get("/api/v1/public/catalogue/").json()
    assert body["count"] == 1
    entry = body["results"][0]
    assert entry["whatsapp"] == "https://wa.me/6281234567890"
    assert entry["permits"] == [{"kind": "pirt", "number": "206187101012325"}]
    assert entry["certificate_number"] == Certificate.objects.get().number
    csv = b"".join(_client().get(reverse("certification:catalogue-csv")).streaming_content).decode()
    assert "pirt:206187101012325" in csv and product.name in csv
    sitemap = _client().get("/sitemap.xml")
    assert sitemap["Content-Type"].startswith("application/xml")
    assert reverse("certification:catalogue-detail", args=[listing.pk]) in sitemap.content.decode()
    schema = _client().get("/api/schema/").content.decode()
    assert "/api/v1/public/catalogue/" in schema


def test_the_first_catalogue_page_is_light_and_makes_no_third_party_requests(cast: cf.Cast) -> None:
    products = certified(cast, products=3)
    for product in products:
        publish(product, photo=photo())
    response = _client().get(reverse("certification:catalogue"))
    html = response.content.decode()
    thumbs = [_client().get(reverse("certification:catalogue-photo", args=[p.listing.pk, "thumb"])) for p in products]
    total = len(response.content) + sum(len(b"".join(t.streaming_content)) for t in thumbs)
    assert total < 150_000
    assert "<script" not in html
    assert 'src="http' not in html and 'href="//' not in html


def test_further_photos_are_shown_while_the_entry_is_in_the_catalogue(cast: cf.Cast) -> None:
    (product,) = certified(cast)
    publish(product)
    response = _client(cast.owner).post(
        _listing_url(product),
        {"published": "on", "whatsapp": "081234567890", "more_photos": [photo(name="a.png"), photo(name="b.png")]},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    listing = ProductListing.objects.get(product=product)
    extras = list(listing.more_photos.all())
    assert len(extras) == 2 and (extras[0].width, extras[0].height) == (960, 720)
    url = reverse("certification:catalogue-more-photo", args=[listing.pk, extras[0].pk])
    assert url in _client().get(reverse("certification:catalogue-detail", args=[listing.pk])).content.decode()
    assert _client().get(url).status_code == 200
    listing_save(actor=cast.owner, product=product, fields={"published": False})
    assert _client().get(url).status_code == 404


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        (4, "Paling banyak 3 foto tambahan"),
        ("html", NOT_AN_IMAGE),
    ],
)
def test_too_many_or_bad_further_photos_are_refused_and_nothing_is_written(
    alice: Any, tmp_path: Any, uploads: Any, message: str
) -> None:
    product = ProductFactory(business__owner=alice)
    if uploads == "html":
        files = [photo(name="a.png"), SimpleUploadedFile("b.png", HTML, content_type="image/png")]
    else:
        files = [photo(name=f"{n}.png") for n in range(uploads)]
    response = _client(alice).post(_listing_url(product), {"whatsapp": "081234567890", "more_photos": files})
    assert message in response.content.decode()
    assert not ProductListing.objects.exists()
    assert not list((tmp_path / "media").rglob("*.jpg"))
