from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from fees import demo
from fees.models import FeeSchedule, FeeTier


def test_demo_counts_the_seeded_schedules_and_adds_nothing(db: None) -> None:
    before = (FeeSchedule.objects.count(), FeeTier.objects.count())
    assert demo.load(users={}) == "2 active fee schedules with 9 tiers (seeded by migration)"
    assert demo.load(users={}) == "2 active fee schedules with 9 tiers (seeded by migration)"
    assert (FeeSchedule.objects.count(), FeeTier.objects.count()) == before


def test_demo_command_runs_the_fees_demo(db: None) -> None:
    out = StringIO()
    call_command("demo", force=True, stdout=out)
    assert "fees: 2 active fee schedules with 9 tiers" in out.getvalue()
