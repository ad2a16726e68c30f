"""The fee schedule admin checks the LPH examination caps a quote will read: known categories, whole rupiah."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from fees.models import FeeSchedule, FeeTier
from fees.validation import examination_cap_problems

from .test_validation import _admin_form


def _rows() -> tuple[int, int, int]:
    return FeeSchedule.objects.count(), FeeTier.objects.count(), FeeSchedule.history.count()


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ({"frozen_food": 1_000_000}, "Unknown product category “frozen_food” in the LPH examination caps."),
        ({"vaccines": 1.5}, "The LPH examination cap of vaccines must be a whole, non-negative number of rupiah."),
        ({"vaccines": -1}, "The LPH examination cap of vaccines must be a whole, non-negative number of rupiah."),
        (
            {"vaccines": "21125000"},
            "The LPH examination cap of vaccines must be a whole, non-negative number of rupiah.",
        ),
        ([1, 2], "The LPH examination caps must map product categories to whole rupiah."),
    ],
)
def test_the_admin_refuses_bad_examination_caps_naming_them_and_writes_nothing(
    admin_client: Client, caps: Any, message: str
) -> None:
    before = _rows()
    data = _admin_form([("ALL", 0, None, 1)])
    data["examination_caps"] = json.dumps(caps)
    response = admin_client.post("/admin/fees/feeschedule/add/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _rows() == before


def test_the_admin_saves_valid_caps(admin_client: Client) -> None:
    data = _admin_form([("ALL", 0, None, 1)])
    data["examination_caps"] = json.dumps({"vaccines": 21_125_000, "simple_products": 3_000_000})
    response = admin_client.post("/admin/fees/feeschedule/add/", data)
    assert response.status_code == 302
    assert FeeSchedule.objects.get(slug="admin-made").examination_caps["vaccines"] == 21_125_000


def test_the_seeded_caps_are_valid(db: None) -> None:
    assert examination_cap_problems(FeeSchedule.objects.get(slug="bpjph-tariff-2021").examination_caps) == []
