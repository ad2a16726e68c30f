from __future__ import annotations

from datetime import date

import pytest

from applicants import demo
from applicants.models import AnnualFigures, Business, Product
from applicants.selectors import doubtful_ingredients, graduations, latest_figures, scale_history
from core.demo import load_users
from fees.self_declare import revenue_cap

pytestmark = pytest.mark.django_db


def test_the_demo_registry_loads_once_and_covers_every_regency() -> None:
    users = load_users()
    demo.load(users=users)
    counts = (Business.objects.count(), AnnualFigures.objects.count(), Product.objects.count())
    assert demo.load(users=users).startswith("0 businesses created")
    assert (Business.objects.count(), AnnualFigures.objects.count(), Product.objects.count()) == counts
    assert counts[0] == 40
    assert Business.objects.values("region").distinct().count() == 15
    assert Business.objects.values("sector").distinct().count() >= 7
    assert set(AnnualFigures.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert sum(year["any"] for year in graduations(Business.objects.all(), range(2024, 2026)).values()) >= 5


def test_owner1_runs_a_small_snack_business_and_owner2_a_bigger_one() -> None:
    users = load_users()
    demo.load(users=users)
    snack = Business.objects.get(owner=users["owner1@demo.test"])
    assert snack.sector == Business.Sector.SNACKS
    assert latest_figures(snack).annual_sales <= revenue_cap(date.today())[0]
    assert snack.products.get().ingredients.count() >= 3
    bigger = Business.objects.get(owner=users["owner2@demo.test"])
    assert latest_figures(bigger).annual_sales > 2_000_000_000
    assert any(row.graduated for row in scale_history(bigger))


def test_owner1_has_a_complete_dossier_with_one_doubtful_ingredient() -> None:
    users = load_users()
    demo.load(users=users)
    snack = Business.objects.get(owner=users["owner1@demo.test"])
    assert set(snack.people.values_list("role", flat=True)) == {"responsible", "supervisor"}
    assert set(snack.facilities.values_list("kind", flat=True)) == {"production", "outlet"}
    product = snack.products.get()
    assert product.steps.count() == 7
    assert [i.name for i in product.ingredients.all() if i.is_doubtful] == ["Cokelat bubuk"]
    assert [i.name for i in doubtful_ingredients(snack)] == ["Cokelat bubuk"]


@pytest.mark.parametrize(
    ("name", "regency"),
    [("Kopi Luwak Liwa Asri", "Kabupaten Lampung Barat"), ("Tempe Murni Way Halim", "Kota Bandar Lampung")],
)
def test_demo_towns_sit_in_their_own_regency(name: str, regency: str) -> None:
    """Issue 19, item 15: Liwa is in Lampung Barat and Way Halim in Bandar Lampung."""
    from applicants.demo import SPECS, region_code_for
    from applicants.models import Region

    index = next(i for i, spec in enumerate(SPECS) if spec[0] == name)
    assert Region.objects.get(code=region_code_for(name, index)).name == regency


def test_every_demo_account_signs_in_with_the_published_password_hashed_once() -> None:
    from django.contrib.auth import authenticate

    from core.demo import DEMO_PASSWORD
    from core.models import User

    demo.load(users=load_users())
    accounts = User.objects.filter(email__endswith="@demo.test")
    assert accounts.count() > 40
    assert len(set(accounts.values_list("password", flat=True))) == 1  # one PBKDF2 run for the whole demo
    assert all(authenticate(email=user.email, password=DEMO_PASSWORD) == user for user in accounts[:3])
    assert authenticate(email="umkm05@demo.test", password="wrong") is None
