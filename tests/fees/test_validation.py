"""The tier rule: one pure function, used by the services and by the admin's inline formset."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from core.errors import DomainError
from core.models import User
from fees.models import FeeSchedule, FeeTier
from fees.services import fee_schedule_create, fee_schedule_replace_tiers
from fees.validation import TierSpec, tier_problems

from .factories import specs

GOOD = [("MS-A", 0, 5_242_210, 774_231), ("MS-B", 5_242_210, None, 828_571)]


def _rows() -> tuple[int, int, int, int]:
    return (
        FeeSchedule.objects.count(),
        FeeTier.objects.count(),
        FeeSchedule.history.count(),
        FeeTier.history.count(),
    )


def test_valid_tiers_have_no_problems() -> None:
    assert tier_problems(specs(GOOD)) == []


def test_gap_names_both_tiers() -> None:
    with translation.override("en"):
        problems = tier_problems(specs([("MS-A", 0, 5_242_210, 1), ("MS-B", 5_242_211, None, 2)]))
    assert problems == ["Tier MS-B starts at 5.242.211 but the previous tier MS-A ends at 5.242.210: gap"]


def test_overlap_names_both_tiers() -> None:
    with translation.override("en"):
        problems = tier_problems(specs([("A", 0, 100, 1), ("B", 90, 200, 2), ("C", 200, None, 3)]))
    assert problems == ["Tier B starts at 90 but the previous tier A ends at 100: overlap"]


def test_gap_is_named_in_indonesian_too() -> None:
    with translation.override("id"):
        problems = tier_problems(specs([("A", 0, 100, 1), ("B", 101, None, 2)]))
    assert problems == ["Golongan B dimulai dari 101 tetapi golongan sebelumnya A berakhir pada 100: ada celah"]


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        ([("A", 10, None, 1)], "The first tier A starts at 10; the tiers must start at 0."),
        ([("A", 0, 100, -5), ("B", 100, None, 1)], "Tier A has a negative fee (-Rp 5)."),
        (
            [("A", 0, None, 1), ("B", 100, None, 2)],
            "Tier A is open-ended, so it must be the last tier, but tier B follows it.",
        ),
        (
            [("A", 0, 100, 1), ("B", 100, None, 2), ("C", 100, None, 3)],
            "Tier B is open-ended, so it must be the last tier, but tier C follows it.",
        ),
        ([("A", 0, 0, 1), ("B", 0, None, 1)], "Tier A ends at 0, which is not above its start 0."),
        ([("A", 0, 100, 1), ("A", 100, None, 1)], "Tier code A is used more than once."),
        ([], "A fee schedule needs at least one tier."),
    ],
)
def test_invalid_tiers_are_named(tiers: list[Any], expected: str) -> None:
    with translation.override("en"):
        assert expected in tier_problems(specs(tiers))


def test_tiers_given_out_of_order_are_checked_in_order_of_their_bounds() -> None:
    assert tier_problems(specs(list(reversed(GOOD)))) == []


def test_components_must_add_up_to_the_fee() -> None:
    tier = TierSpec(code="UMK", lower=0, upper=None, fee=650_000, components={"registration": 300_000, "x": 1})
    with translation.override("en"):
        assert tier_problems([tier]) == ["Tier UMK: the components add up to Rp 300.001 but the fee is Rp 650.000."]


def _create(tiers: list[TierSpec], actor: User) -> FeeSchedule:
    return fee_schedule_create(
        actor=actor,
        slug="new-schedule",
        name="New schedule",
        source="Test",
        basis="gross_income",
        effective_from=datetime.date(2025, 1, 1),
        tiers=tiers,
    )


def test_service_refuses_an_invalid_schedule_and_writes_nothing(ayu: User) -> None:
    before = _rows()
    with translation.override("en"), pytest.raises(DomainError) as raised:
        _create(specs([("MS-A", 0, 5_242_210, 1), ("MS-B", 5_242_211, None, 2)]), ayu)
    assert raised.value.errors["tiers"] == [
        "Tier MS-B starts at 5.242.211 but the previous tier MS-A ends at 5.242.210: gap"
    ]
    assert _rows() == before


def test_service_creates_a_valid_schedule_with_history(ayu: User) -> None:
    schedule = _create(specs(GOOD), ayu)
    schedule.refresh_from_db()
    assert [(t.code, t.lower, t.upper, t.fee) for t in schedule.tiers.order_by("lower")] == [
        ("MS-A", 0, 5_242_210, 774_231),
        ("MS-B", 5_242_210, None, 828_571),
    ]
    assert schedule.history.get().history_user == ayu
    assert FeeTier.history.filter(schedule_id=schedule.pk, history_type="+").count() == 2


def test_replacing_tiers_raises_the_version_and_keeps_the_old_tiers_in_history(ayu: User) -> None:
    schedule = FeeSchedule.objects.get(slug="brin-affordable-2024")
    fee_schedule_replace_tiers(schedule=schedule, tiers=specs([("ALL", 0, None, 1_000)]), actor=ayu)
    schedule.refresh_from_db()
    assert schedule.version == 2
    assert list(schedule.tiers.values_list("code", flat=True)) == ["ALL"]
    deleted = FeeTier.history.filter(schedule_id=schedule.pk, history_type="-")
    assert sorted(deleted.values_list("code", flat=True)) == sorted(["MS-A", "MS-B", "M-A", "M-B", "L-A", "L-B"])


def test_replacing_with_invalid_tiers_writes_nothing(ayu: User) -> None:
    schedule = FeeSchedule.objects.get(slug="brin-affordable-2024")
    before = _rows()
    with translation.override("en"), pytest.raises(DomainError) as raised:
        fee_schedule_replace_tiers(schedule=schedule, tiers=specs([("A", 0, 10, 1), ("B", 5, None, 1)]), actor=ayu)
    assert "Tier B starts at 5 but the previous tier A ends at 10: overlap" in str(raised.value)
    schedule.refresh_from_db()
    assert schedule.version == 1
    assert _rows() == before


# --- admin -----------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(make_user: Callable[..., User]) -> Client:
    user = make_user("root@example.test", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def _admin_form(tiers: list[tuple[str, int, int | None, int]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": "admin-made",
        "name": "Made in the admin",
        "version": "1",
        "basis": "gross_income",
        "source": "Test",
        "notes": "",
        "effective_from": "2025-01-01",
        "effective_to": "",
        "active": "on",
        "examination_caps": "{}",
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "1",
        "tiers-MAX_NUM_FORMS": "1000",
    }
    for i, (code, lower, upper, fee) in enumerate(tiers):
        data.update(
            {
                f"tiers-{i}-code": code,
                f"tiers-{i}-label": code,
                f"tiers-{i}-lower": str(lower),
                f"tiers-{i}-upper": "" if upper is None else str(upper),
                f"tiers-{i}-fee": str(fee),
                f"tiers-{i}-components": "{}",
                f"tiers-{i}-renewal_fee": "",
            }
        )
    return data


def test_admin_refuses_a_gap_naming_the_tiers_and_writes_nothing(admin_client: Client) -> None:
    before = _rows()
    data = _admin_form([("MS-A", 0, 5_242_210, 1), ("MS-B", 5_242_211, None, 2)])
    response = admin_client.post("/admin/fees/feeschedule/add/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert (
        "Tier MS-B starts at 5.242.211 but the previous tier MS-A ends at 5.242.210: gap" in response.content.decode()
    )
    assert _rows() == before


def test_admin_refuses_an_overlap_when_editing_a_seeded_schedule(admin_client: Client) -> None:
    schedule = FeeSchedule.objects.get(slug="bpjph-tariff-2021")
    tiers = list(schedule.tiers.order_by("lower"))
    data = _admin_form([])
    data.update(
        {
            "slug": schedule.slug,
            "name": schedule.name,
            "basis": schedule.basis,
            "effective_from": "2021-12-01",
            "is_default": "on",
            "tiers-TOTAL_FORMS": str(len(tiers)),
            "tiers-INITIAL_FORMS": str(len(tiers)),
        }
    )
    for i, tier in enumerate(tiers):
        data.update(
            {
                f"tiers-{i}-id": str(tier.pk),
                f"tiers-{i}-schedule": str(schedule.pk),
                f"tiers-{i}-code": tier.code,
                f"tiers-{i}-label": tier.label,
                f"tiers-{i}-lower": str(tier.lower),
                f"tiers-{i}-upper": "" if tier.upper is None else str(tier.upper),
                f"tiers-{i}-fee": str(tier.fee),
                f"tiers-{i}-components": json.dumps(tier.components),
                f"tiers-{i}-renewal_fee": str(tier.renewal_fee),
            }
        )
    data["tiers-1-lower"] = "14000000000"  # MED now starts inside UMK
    before = _rows()
    response = admin_client.post(f"/admin/fees/feeschedule/{schedule.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert (
        "Tier MED starts at 14.000.000.000 but the previous tier UMK ends at 15.000.000.001: overlap"
        in response.content.decode()
    )
    assert _rows() == before
    assert schedule.tiers.get(code="MED").lower == 15_000_000_001


def test_admin_saves_a_valid_schedule(admin_client: Client) -> None:
    response = admin_client.post("/admin/fees/feeschedule/add/", _admin_form(GOOD))
    assert response.status_code == 302
    schedule = FeeSchedule.objects.get(slug="admin-made")
    assert list(schedule.tiers.order_by("lower").values_list("code", "fee")) == [
        ("MS-A", 774_231),
        ("MS-B", 828_571),
    ]
    assert schedule.history.count() == 1


def test_admin_history_page_lists_changes(admin_client: Client) -> None:
    schedule = FeeSchedule.objects.get(slug="bpjph-tariff-2021")
    schedule.notes = "Checked"
    schedule.save()
    response = admin_client.get(f"/admin/fees/feeschedule/{schedule.pk}/history/")
    assert response.status_code == 200
    assert schedule.history.count() == 1  # the seed migration writes no history; this save is the first record
    assert schedule.history.get().notes == "Checked"


def test_admin_role_manages_fee_schedules_in_the_admin_site(ayu: User) -> None:
    client = Client()
    client.force_login(ayu)
    assert client.get("/admin/fees/feeschedule/").status_code == 200
    schedule = FeeSchedule.objects.get(slug="bpjph-tariff-2021")
    response = client.get(f"/admin/fees/feeschedule/{schedule.pk}/change/")
    assert response.status_code == 200
    assert "15000000001" in response.content.decode()


def test_other_staff_cannot_open_the_fee_admin(make_user: Callable[..., User]) -> None:
    from core.access import roles

    rina = make_user("rina2@example.test", roles.REVIEWER, is_staff=True)
    client = Client()
    client.force_login(rina)
    assert client.get("/admin/fees/feeschedule/").status_code == 403
