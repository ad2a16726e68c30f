"""The `product_category` criterion: each product's category must be open to self-declare in the admin-edited table
(seeded from staging/domain/self_declare_categories.json); it never fails together with `goods_only`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from applicants.models import Business, Product
from certification.eligibility import sehati_eligibility
from certification.models import SelfDeclareCategory
from core.models import User
from tests.certification import factories as f

OPEN = {"simple_products", "processed_food_chemical_microbial"}
VERIFIED = {
    "simple_products",
    "drugs_cosmetics_biologics",
    "vaccines",
    "consumer_goods_packaging",
    "services",
    "slaughterhouse",
}


def _business(owner: Any, category: str = "simple_products", name: str = "Keripik pisang") -> Business:
    b = f.business(owner)
    f.product(b, name=name, category=category)
    return b


def _not_passed(b: Business) -> list[tuple[str, str]]:
    return [(c.code, c.result) for c in sehati_eligibility(business=b).criteria if not c.passed]


def _reason(b: Business, code: str, language: str = "en") -> str:
    with translation.override(language):
        return next(c.reason for c in sehati_eligibility(business=b).criteria if c.code == code)


def test_the_table_is_seeded_with_its_sources_and_verified_flags(db: None) -> None:
    rows = {c.code: c for c in SelfDeclareCategory.objects.all()}
    assert set(rows) == set(Product.Category.values)
    assert {code for code, c in rows.items() if c.open} == OPEN
    assert {code for code, c in rows.items() if c.verified} == VERIFIED
    assert all("Kepkaban BPJPH 146/2025" in c.source for c in rows.values())
    assert rows["vaccines"].name_id == "Vaksin"
    assert "skala rumahan" in rows["processed_food_chemical_microbial"].condition
    assert rows["processed_food_chemical_microbial"].verify_by.startswith("Lampiran II of Kepkaban 146/2025")


@pytest.mark.parametrize(
    ("category", "name", "english", "indonesian"),
    [
        ("vaccines", "Vaksin ternak", "Vaksin ternak (Vaccines: Tertutup", "Vaksin ternak (Vaksin: Tertutup"),
        ("gelatin", "Gelatin sapi", "Gelatin sapi (Gelatin: Tertutup", "Gelatin sapi (Gelatin: Tertutup"),
        (
            "drugs_cosmetics_biologics",
            "Jamu kapsul",
            "Jamu kapsul (Drugs, cosmetics and biologics: Tertutup",
            "Jamu kapsul (Obat, kosmetik dan produk biologi: Tertutup",
        ),
        (
            "slaughterhouse",
            "Ayam potong",
            "Ayam potong (Slaughterhouse: Tertutup",
            "Ayam potong (Rumah potong hewan: Tertutup",
        ),
    ],
)
def test_a_closed_category_fails_the_product_category_criterion_alone(
    alice: User, category: str, name: str, english: str, indonesian: str
) -> None:
    b = _business(alice, category, name)
    assert _not_passed(b) == [("product_category", "fail")]
    reason = _reason(b, "product_category")
    assert reason.startswith("Not open to self-declare: " + english)
    assert "Apply for these products on the regular pathway (LPH audit)" in reason
    reason_id = _reason(b, "product_category", "id")
    assert reason_id.startswith("Tidak terbuka untuk self-declare: " + indonesian)
    assert "jalur reguler (audit LPH)" in reason_id


def test_simple_products_pass_and_show_their_condition(alice: User) -> None:
    b = _business(alice)
    assert _not_passed(b) == []
    reason = _reason(b, "product_category")
    assert reason.startswith("Every product is in a category open to self-declare: Keripik pisang (Simple products,")
    assert "on condition: Makanan dan minuman dari jenis produk Lampiran II Kepkaban 146/2025" in reason


def test_processed_food_passes_with_its_home_scale_condition_shown(alice: User) -> None:
    b = _business(alice, "processed_food_chemical_microbial", "Abon sapi")
    assert _not_passed(b) == []
    assert (
        "Abon sapi (Processed food, chemical or microbial products, on condition: Terbuka hanya untuk pangan "
        "olahan skala rumahan" in _reason(b, "product_category")
    )
    assert "dengan syarat: Terbuka hanya untuk pangan olahan skala rumahan" in _reason(b, "product_category", "id")


def test_only_the_closed_products_are_named(alice: User) -> None:
    b = _business(alice)
    f.product(b, name="Kapsul gelatin", category="gelatin")
    reason = _reason(b, "product_category")
    assert "Kapsul gelatin (Gelatin:" in reason and "Keripik pisang" not in reason
    assert _not_passed(b) == [("product_category", "fail")]


def test_a_service_product_fails_goods_only_and_not_product_category_too(alice: User) -> None:
    b = _business(alice, "services", "Jasa cuci")
    assert _not_passed(b) == [("goods_only", "fail")]
    assert "judged under “Goods, not services or food service”" in _reason(b, "product_category")


def test_a_catering_business_with_simple_products_fails_goods_only_only(alice: User) -> None:
    b = _business(alice)
    Business.objects.filter(pk=b.pk).update(sector="catering")
    b.refresh_from_db()
    assert _not_passed(b) == [("goods_only", "fail")]


def test_no_products_leaves_the_category_unknown(alice: User) -> None:
    b = f.business(alice)
    result = {c.code: c.result for c in sehati_eligibility(business=b).criteria}
    assert result["product_category"] == "unknown"


def test_a_category_missing_from_the_table_is_unknown_not_passed(alice: User) -> None:
    b = _business(alice, "gelatin")
    SelfDeclareCategory.objects.filter(code="gelatin").delete()
    assert _not_passed(b) == [("product_category", "unknown")]
    assert "has not yet said whether" in _reason(b, "product_category")


def test_closing_a_category_makes_the_criterion_fail(alice: User) -> None:
    b = _business(alice)
    assert _not_passed(b) == []
    SelfDeclareCategory.objects.filter(code="simple_products").update(open=False, condition="")
    assert _not_passed(b) == [("product_category", "fail")]
    assert "Keripik pisang (Simple products: closed)" in _reason(b, "product_category")


def test_opening_a_food_service_category_lets_it_pass_both_criteria(alice: User) -> None:
    b = _business(alice, "restaurant_catering_canteen", "Warung tegal")
    assert _not_passed(b) == [("goods_only", "fail")]
    SelfDeclareCategory.objects.filter(code="restaurant_catering_canteen").update(open=True)
    assert _not_passed(b) == []
    assert "food service that the office has opened" in _reason(b, "goods_only")
    assert "Warung tegal (Restaurant, catering or canteen, on condition:" in _reason(b, "product_category")


def test_submitting_a_self_declare_application_with_vaccines_is_refused(cast: f.Cast) -> None:
    from certification import services
    from core.errors import DomainError

    b = f.business(cast.owner)
    app = f.draft(cast.owner, "self_declare", b)
    Product.objects.filter(business=b).update(category="vaccines")
    events = app.events.count()
    with pytest.raises(DomainError) as raised:
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert str(raised.value).startswith(
        "The business does not meet the self-declare criteria: Not open to self-declare"
    )
    assert "Keripik pisang (Vaccines: Tertutup" in str(raised.value)
    app.refresh_from_db()
    assert (app.state, app.submitted_at, app.events.count()) == ("draft", None, events)


def test_the_apply_page_and_the_api_show_the_criterion(alice: User, api_as: Callable[..., Any]) -> None:
    b = _business(alice, "vaccines", "Vaksin ternak")
    body = api_as(alice).get(f"/api/v1/businesses/{b.pk}/sehati-eligibility/").json()
    criterion = next(c for c in body["criteria"] if c["code"] == "product_category")
    assert criterion["result"] == "fail"
    assert criterion["label"] in (
        "Product categories open to self-declare",
        "Kategori produk terbuka untuk self-declare",
    )
    client = Client()
    client.force_login(alice)
    html = client.get(f"/applications/new/?business={b.pk}", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Kategori produk terbuka untuk self-declare" in html
    assert "Vaksin ternak (Vaksin: Tertutup" in html


# --- the admin --------------------------------------------------------------------------------------------------


def _admin_form(row: SelfDeclareCategory, **changes: Any) -> dict[str, Any]:
    data = {
        "name_id": row.name_id,
        "open": "on" if row.open else "",
        "condition": row.condition,
        "source": row.source,
        "verified": "on" if row.verified else "",
        "verify_by": row.verify_by,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_admin_role_closes_a_category_and_the_criterion_fails(alice: User, ayu: User) -> None:
    b = _business(alice, "processed_food_chemical_microbial", "Abon sapi")
    row = SelfDeclareCategory.objects.get(code="processed_food_chemical_microbial")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(ayu)
    assert client.get("/admin/certification/selfdeclarecategory/").status_code == 200
    response = client.post(
        f"/admin/certification/selfdeclarecategory/{row.pk}/change/",
        _admin_form(row, open="", condition="Tertutup sampai Lampiran II diperiksa."),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.open, row.condition) == (False, "Tertutup sampai Lampiran II diperiksa.")
    assert row.history.count() == 1 and row.history.get().history_user == ayu
    assert _not_passed(b) == [("product_category", "fail")]
    assert "Tertutup sampai Lampiran II diperiksa." in _reason(b, "product_category")


def test_the_admin_cannot_delete_a_category_or_change_its_code(ayu: User) -> None:
    row = SelfDeclareCategory.objects.get(code="vaccines")
    client = Client()
    client.force_login(ayu)
    assert client.post(f"/admin/certification/selfdeclarecategory/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/certification/selfdeclarecategory/{row.pk}/change/", {**_admin_form(row), "code": "gelatin"})
    assert SelfDeclareCategory.objects.filter(code="vaccines").count() == 1
    assert SelfDeclareCategory.objects.count() == 11


def test_a_category_without_a_source_is_refused_and_nothing_written(ayu: User) -> None:
    row = SelfDeclareCategory.objects.get(code="vaccines")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(ayu)
    response = client.post(
        f"/admin/certification/selfdeclarecategory/{row.pk}/change/", _admin_form(row, open="on", source="")
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    row.refresh_from_db()
    assert row.open is False and row.history.count() == 0


def test_other_staff_cannot_open_the_category_admin(make_user: Callable[..., User]) -> None:
    from core.access import roles

    rina = make_user("rina2@example.test", roles.REVIEWER, is_staff=True)
    client = Client()
    client.force_login(rina)
    assert client.get("/admin/certification/selfdeclarecategory/").status_code == 403
