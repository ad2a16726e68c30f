"""The data migration to workflow version 2, run on cases left in version-1 shapes."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

from certification.models import Application, ApplicationEvent, Lph, SehatiClaim, SehatiQuota
from tests.certification import factories as f

MIGRATION = importlib.import_module("certification.migrations.0006_workflow_v2_data")


def _v1(app: Application, **fields: Any) -> Application:
    Application.objects.filter(pk=app.pk).update(**fields)
    app.refresh_from_db()
    return app


def test_a_regular_case_waiting_at_the_old_intake_moves_to_document_verification(cast: f.Cast) -> None:
    app = _v1(f.drive(f.draft(cast.owner, "regular"), "verification", cast), state="submitted", due_on=None)
    MIGRATION.cases_to_v2(apps, None)
    app.refresh_from_db()
    assert app.state == "verification" and app.due_on is not None


def test_a_returned_case_learns_the_stage_it_came_from(cast: f.Cast, fee_schedules: None) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "lph_examination", cast)
    app = f.services.application_transition(application_id=app.pk, action="return", actor=cast.reviewer, reason="x")
    app = _v1(app, returned_from="", owner_due_on=None)
    MIGRATION.cases_to_v2(apps, None)
    app.refresh_from_db()
    assert (app.returned_from, app.owner_due_on is not None) == ("lph_examination", True)
    assert app.legal_days_used >= 0


def test_double_claims_of_version_1_become_one_place_per_case(cast: f.Cast) -> None:
    apps_ = [f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast) for _ in range(2)]
    quota = SehatiQuota.objects.get(region=None)
    SehatiClaim.objects.all().delete()
    SehatiQuota.objects.filter(pk=quota.pk).update(used=5)  # version 1 counted a re-verified case twice
    MIGRATION.quota_claims(apps, None)
    quota.refresh_from_db()
    assert quota.used == 2 == SehatiClaim.objects.count()
    assert {c.application_id for c in SehatiClaim.objects.all()} == {a.pk for a in apps_}


def test_the_lph_directory_is_seeded_with_its_sources_and_runs_twice_unchanged(db: None) -> None:
    MIGRATION.seed_lph(apps, None)
    MIGRATION.seed_lph(apps, None)
    bspji = Lph.objects.get(name__startswith="LPH BSPJI Bandar Lampung")
    assert (bspji.accreditation_number, bspji.province_codes, bspji.verified) == (
        "REG RI LH A-1P10000010441823",
        ["18"],
        True,
    )
    assert Lph.objects.filter(verified=False).exists() and all(lph.source for lph in Lph.objects.all())
    assert ApplicationEvent.objects.count() == 0
