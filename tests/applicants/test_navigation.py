from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from applicants.models import AnnualFigures
from core.web.navigation import items_for
from tests.applicants.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def test_owners_get_my_business_and_staff_get_the_registry_in_the_menu(alice: Any, pat: Any, rina: Any) -> None:
    assert reverse("applicants:mine") in [item["url"] for item in items_for(alice)]
    assert reverse("applicants:registry") not in [item["url"] for item in items_for(alice)]
    assert reverse("applicants:registry") in [item["url"] for item in items_for(rina)]
    assert not {reverse("applicants:mine"), reverse("applicants:registry")} & {item["url"] for item in items_for(pat)}


@pytest.mark.parametrize("actor", ["rina", "oscar"])
def test_reviewer_and_officer_home_panels_link_the_registry(request: pytest.FixtureRequest, actor: str) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(actor))
    assert reverse("applicants:registry") in client.get(reverse("home")).content.decode()


def test_the_database_refuses_negative_capital_and_a_workforce_of_zero(alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    for bad in ({"capital": -1}, {"export_value": -1}, {"workforce": 0}):
        values = {"year": 2024, "annual_sales": 1, "operating_expenses": 1, "workforce": 1, **bad}
        with pytest.raises(IntegrityError), transaction.atomic():
            AnnualFigures.objects.create(business=business, **values)
    assert not AnnualFigures.objects.exists()
