from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from applicants.models import AnnualFigures, Business, Ingredient, Product
from applicants.services import (
    business_create,
    business_update,
    figures_create,
    figures_update,
    figures_upsert,
    product_create,
    product_update,
)
from core.errors import DomainError
from tests.applicants.factories import BusinessFactory, FiguresFactory, business_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "nib", ["123456789012", "12345678901234", "12345678901AB", "abcdefghijklm", "", "١٢٣٤٥٦٧٨٩٠١٢٣"]
)
def test_a_nib_that_is_not_13_digits_is_refused(alice: Any, nib: str) -> None:
    with pytest.raises(DomainError) as refused:
        business_create(actor=alice, fields=business_fields(nib=nib))
    assert str(refused.value) == "NIB harus tepat 13 digit."
    assert refused.value.errors == {"nib": ["NIB harus tepat 13 digit."]}
    assert not Business.objects.exists()


def test_a_duplicate_nib_is_refused_with_a_clear_message(alice: Any, bob: Any) -> None:
    BusinessFactory(owner=bob, nib="1234567890123", name="Milik Bob")
    with pytest.raises(DomainError, match="Usaha dengan NIB 1234567890123 sudah terdaftar."):
        business_create(actor=alice, fields=business_fields(nib="1234567890123"))
    assert list(Business.objects.values_list("name", flat=True)) == ["Milik Bob"]


def test_a_workforce_of_zero_is_refused(alice: Any) -> None:
    with pytest.raises(DomainError, match="Jumlah tenaga kerja minimal 1 orang"):
        business_create(actor=alice, fields=business_fields(workforce=0))
    assert not Business.objects.exists()


def test_an_owner_registers_a_business_and_the_history_names_them(alice: Any) -> None:
    business = business_create(actor=alice, fields=business_fields())
    business.refresh_from_db()
    assert business.owner == alice
    assert business.nib == "1234567890123"
    assert business.history.get().history_user == alice


def test_an_owner_cannot_register_a_business_for_someone_else(alice: Any, bob: Any) -> None:
    with pytest.raises(DomainError, match="hanya boleh mendaftarkan usaha Anda sendiri"):
        business_create(actor=alice, owner=bob, fields=business_fields())
    assert not Business.objects.exists()


def test_update_changes_only_the_given_fields_and_keeps_history(alice: Any) -> None:
    business = business_create(actor=alice, fields=business_fields())
    business_update(actor=alice, business=business, fields={"name": "Sambal Baru", "workforce": 6})
    business.refresh_from_db()
    assert (business.name, business.workforce) == ("Sambal Baru", 6)
    assert business.history.count() == 2


def test_another_owner_cannot_update_a_business(alice: Any, bob: Any) -> None:
    business = BusinessFactory(owner=bob, name="Milik Bob")
    with pytest.raises(DomainError, match="Hanya pemilik usaha ini"):
        business_update(actor=alice, business=business, fields={"name": "Dicuri"})
    business.refresh_from_db()
    assert business.name == "Milik Bob"


def test_an_update_to_a_duplicate_nib_is_refused(alice: Any) -> None:
    BusinessFactory(owner=alice, nib="1111111111111")
    business = BusinessFactory(owner=alice, nib="2222222222222")
    with pytest.raises(DomainError, match="sudah terdaftar"):
        business_update(actor=alice, business=business, fields={"nib": "1111111111111"})
    business.refresh_from_db()
    assert business.nib == "2222222222222"


def _figures(**overrides: Any) -> dict[str, Any]:
    values = {"year": 2024, "annual_sales": 100, "operating_expenses": 150, "workforce": 2}
    values.update(overrides)
    return values


@pytest.mark.parametrize("field", ["annual_sales", "operating_expenses", "capital", "export_value"])
def test_negative_money_is_refused(alice: Any, field: str) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="tidak boleh negatif") as refused:
        figures_create(actor=alice, business=business, **_figures(**{field: -1}))
    assert field in refused.value.errors
    assert not AnnualFigures.objects.exists()


def test_a_year_in_the_future_is_refused(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    next_year = timezone.localdate().year + 1
    with pytest.raises(DomainError, match=f"Tahun {next_year} masih di masa depan."):
        figures_create(actor=alice, business=business, **_figures(year=next_year))
    assert not AnnualFigures.objects.exists()


def test_an_absurdly_old_year_is_refused(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="1945"):
        figures_create(actor=alice, business=business, **_figures(year=1800))
    assert not AnnualFigures.objects.exists()


def test_figures_with_a_workforce_of_zero_are_refused(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="minimal 1 orang"):
        figures_create(actor=alice, business=business, **_figures(workforce=0))
    assert not AnnualFigures.objects.exists()


def test_a_second_filing_of_the_same_year_is_refused(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2024, annual_sales=5)
    with pytest.raises(DomainError, match="Data tahun 2024 sudah diisi"):
        figures_create(actor=alice, business=business, **_figures(annual_sales=999))
    assert list(AnnualFigures.objects.values_list("annual_sales", flat=True)) == [5]


def test_a_loss_is_allowed_and_upsert_corrects_the_year(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    figures = figures_create(actor=alice, business=business, **_figures())
    assert figures.gross_income == -50
    figures_upsert(actor=alice, business=business, year=2024, annual_sales=400, operating_expenses=100, workforce=3)
    figures.refresh_from_db()
    assert (figures.annual_sales, figures.gross_income, figures.workforce) == (400, 300, 3)
    assert figures.history.count() == 2
    assert figures.history.first().history_user == alice


def test_an_update_with_negative_money_writes_nothing(alice: Any) -> None:
    figures = FiguresFactory(business=BusinessFactory(owner=alice), annual_sales=10)
    with pytest.raises(DomainError, match="negatif"):
        figures_update(actor=alice, figures=figures, fields={"annual_sales": -10})
    figures.refresh_from_db()
    assert figures.annual_sales == 10


def test_a_product_is_created_with_its_ingredients_and_updated_as_a_whole(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    product = product_create(
        actor=alice,
        business=business,
        fields={"name": "Keripik pisang"},
        ingredients=[
            {"name": "Pisang", "exempt_claim": True},
            {"name": "Minyak", "halal_certificate_number": "ID18110000012340125"},
        ],
    )
    assert list(product.ingredients.values_list("name", flat=True)) == ["Pisang", "Minyak"]
    product_update(actor=alice, product=product, fields={"name": "Keripik cokelat"}, ingredients=[{"name": "Cokelat"}])
    product.refresh_from_db()
    assert product.name == "Keripik cokelat"
    assert list(Ingredient.objects.values_list("name", flat=True)) == ["Cokelat"]


def test_slaughtered_ingredients_need_the_slaughterhouse_certificate(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    with pytest.raises(DomainError, match="sertifikat halal rumah potong"):
        product_create(
            actor=alice, business=business, fields={"name": "Abon sapi", "contains_slaughtered": True}, ingredients=[]
        )
    assert not Product.objects.exists()


def test_another_owner_cannot_add_a_product(alice: Any, bob: Any) -> None:
    business = BusinessFactory(owner=bob)
    with pytest.raises(DomainError, match="Hanya pemilik"):
        product_create(actor=alice, business=business, fields={"name": "X"}, ingredients=[{"name": "Y"}])
    assert not Product.objects.exists()
