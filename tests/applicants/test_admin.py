from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from applicants.services import business_update
from tests.applicants.factories import BusinessFactory, FiguresFactory, IngredientFactory, ProductFactory, document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["region", "business", "annualfigures", "product", "document"])
def test_every_registry_model_has_an_admin_list(admin_client: Any, alice: Any, model: str) -> None:
    business = BusinessFactory(owner=alice, name="Kopi Admin")
    FiguresFactory(business=business)
    IngredientFactory(product=ProductFactory(business=business))
    document(business)
    response = admin_client.get(reverse(f"admin:applicants_{model}_changelist"))
    assert response.status_code == 200


def test_the_business_admin_shows_its_change_history(admin_client: Any, alice: Any) -> None:
    business = BusinessFactory(owner=alice, name="Nama Lama")
    business_update(actor=alice, business=business, fields={"name": "Nama Baru"})
    response = admin_client.get(reverse("admin:applicants_business_history", args=[business.pk]))
    assert response.status_code == 200
    assert "Nama Baru" in response.content.decode()
    assert business.history.count() == 2
    assert business.history.first().history_user == alice
