"""Chained end to end (issue 29): the application and the certificate carry their chain's head, every state and
status change is in the chain with the evidence hash, a daily checkpoint records every head, and `verify_chains`
names each break with the row and what changed."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from certification.models import Application, ApplicationEvent, Certificate, CertificateEvent, EvidenceSnapshot
from core.models import ChainCheckpoint, ChainCheckpointHead, User
from core.ops.checkpoints import chain_checkpoint_take
from core.tasks import chain_checkpoint
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(alice: User, rina: User, pat: User) -> f.Cast:
    f.national_quota(places=100)
    return f.Cast(owner=alice, reviewer=rina, pph=pat)


def verify() -> str:
    out = StringIO()
    call_command("verify_chains", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_chains", stdout=out)
    return out.getvalue()


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def newest(app: Application) -> ApplicationEvent:
    event = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
    assert event is not None
    return event


def test_every_state_change_is_chained_with_the_evidence_hash_and_the_case_carries_the_head(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    events = list(ApplicationEvent.objects.filter(application=app).order_by("id"))
    assert [e.action for e in events] == ["create", "submit", "assign_pph", "pph_validate"]
    assert events[0].snapshot_hash == "" and {e.snapshot_hash for e in events[1:]} == {app.evidence.content_hash}
    assert app.chain_head == events[-1].hash and app.state == events[-1].to_state
    assert "Every chain is intact." in verify()


def test_deleting_the_newest_event_and_the_newest_state_change_in_sql_is_named_by_verify_chains(
    cast: f.Cast, bob: User
) -> None:
    """The issue's test: one case loses its newest event row, another its newest state change, both in SQL."""
    first = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    bobs = f.Cast(owner=bob, reviewer=cast.reviewer, pph=cast.pph)
    second = f.drive(f.draft(bob, "self_declare"), "verification", bobs)
    removed, kept = list(ApplicationEvent.objects.filter(application=first).order_by("-id"))[:2]
    sql("DELETE FROM certification_applicationevent WHERE id = %s", [removed.pk])
    last = newest(second)
    sql("UPDATE certification_application SET state = %s WHERE id = %s", [last.from_state, second.pk])

    out = verify_fails()
    assert (
        f"certification.ApplicationEvent chain {first.pk}: its newest row was removed: the application's head "
        f"{removed.hash[:12]}… matches no row left (the newest left is row {kept.pk})"
    ) in out
    assert (
        f"certification.ApplicationEvent chain {second.pk}: the application's state is “pph_verification” but its "
        f"newest row {last.pk} says “verification”: the state was changed outside the log"
    ) in out


def test_a_deleted_newest_event_with_the_state_rewound_to_match_is_still_named(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    last = newest(app)
    sql("DELETE FROM certification_applicationevent WHERE id = %s", [last.pk])
    sql("UPDATE certification_application SET state = %s WHERE id = %s", [last.from_state, app.pk])
    assert f"chain {app.pk}: its newest row was removed" in verify_fails()


def test_a_certificate_status_changed_in_sql_and_a_deleted_newest_certificate_event_are_named(cast: f.Cast) -> None:
    certificate = Certificate.objects.get(application=f.issued(cast))
    events = list(CertificateEvent.objects.filter(certificate=certificate).order_by("id"))
    assert [(e.action, e.status) for e in events] == [("issue", "valid"), ("render_pdf", "valid")]
    assert certificate.chain_head == events[-1].hash
    sql("UPDATE certification_certificate SET status = 'revoked' WHERE id = %s", [certificate.pk])
    out = verify_fails()
    assert (
        f"certification.CertificateEvent chain {certificate.pk}: the certificate's status is “revoked” but its newest "
        f"row {events[-1].pk} says “valid”"
    ) in out
    sql("UPDATE certification_certificate SET status = 'valid' WHERE id = %s", [certificate.pk])
    sql("DELETE FROM certification_certificateevent WHERE id = %s", [events[-1].pk])
    assert f"CertificateEvent chain {certificate.pk}: its newest row was removed" in verify_fails()


def test_the_daily_checkpoint_finds_a_newest_row_removed_with_the_head_rewound(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    checkpoint = chain_checkpoint_take()
    last = newest(app)
    before = ApplicationEvent.objects.filter(application=app).exclude(pk=last.pk).order_by("-id").first()
    assert before is not None
    sql("DELETE FROM certification_applicationevent WHERE id = %s", [last.pk])
    sql(
        "UPDATE certification_application SET state = %s, chain_head = %s WHERE id = %s",
        [last.from_state, before.hash, app.pk],
    )
    out = verify_fails()
    assert (
        f"certification.ApplicationEvent chain {app.pk}: lost rows: the checkpoint of {checkpoint.day.isoformat()} "
        f"recorded its head {last.hash[:12]}…, which is no longer in the chain"
    ) in out


def test_the_daily_checkpoint_finds_a_whole_case_removed(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "regular")
    checkpoint = chain_checkpoint_take()
    head = app.chain_head
    for statement in (
        "DELETE FROM certification_applicationevent WHERE application_id = %s",
        "DELETE FROM certification_application_products WHERE application_id = %s",
        "DELETE FROM certification_application_documents WHERE application_id = %s",
        "DELETE FROM certification_application WHERE id = %s",
    ):
        sql(statement, [app.pk])
    out = verify_fails()
    assert (
        f"certification.ApplicationEvent chain {app.pk}: was removed: the checkpoint of "
        f"{checkpoint.day.isoformat()} recorded its head {head[:12]}…, and no row of it is left"
    ) in out


def test_the_checkpoint_is_taken_once_a_day_and_records_only_the_heads_that_changed(cast: f.Cast) -> None:
    first = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    chain_checkpoint()
    chain_checkpoint()  # run twice: one checkpoint
    today = ChainCheckpoint.objects.get()
    recorded = dict(
        ChainCheckpointHead.objects.filter(model="certification.ApplicationEvent").values_list("chain_id", "head")
    )
    assert recorded == {first.pk: first.chain_head}
    assert today.summary["certification.ApplicationEvent"]["recorded"] == 1
    second = f.draft(cast.owner, "regular")
    tomorrow = chain_checkpoint_take(day=today.day + timedelta(days=1))
    assert tomorrow.prev_digest == today.digest and len(tomorrow.digest) == 64
    assert list(tomorrow.heads.filter(model="certification.ApplicationEvent").values_list("chain_id", flat=True)) == [
        second.pk
    ]
    assert "Every chain is intact." in verify()


def test_an_altered_or_removed_checkpoint_is_named(cast: f.Cast) -> None:
    f.draft(cast.owner, "regular")
    day = timezone.localdate()
    first = chain_checkpoint_take(day=day)
    f.draft(cast.owner, "regular")  # a new chain: the next day's checkpoint records its head
    second = chain_checkpoint_take(day=day + timedelta(days=1))
    third = chain_checkpoint_take(day=day + timedelta(days=2))
    sql("UPDATE core_chaincheckpointhead SET head = %s WHERE checkpoint_id = %s", ["0" * 64, second.pk])
    assert f"core.ChainCheckpoint chain {second.day.isoformat()}: row {second.pk} was altered" in verify_fails()
    sql("DELETE FROM core_chaincheckpointhead WHERE checkpoint_id = %s", [second.pk])
    sql("DELETE FROM core_chaincheckpoint WHERE id = %s", [second.pk])
    out = verify_fails()
    assert f"core.ChainCheckpoint chain {third.day.isoformat()}: row {third.pk} does not follow" in out
    assert first.digest != third.digest


@pytest.mark.postgres
def test_a_snapshot_altered_behind_the_triggers_back_is_named(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    snapshot = EvidenceSnapshot.objects.get(application=app)
    sql("SET CONSTRAINTS ALL IMMEDIATE", [])  # the test's own transaction: no deferred checks pending
    sql("ALTER TABLE certification_evidencesnapshot DISABLE TRIGGER certification_snapshot_immutable", [])
    sql(
        "UPDATE certification_evidencesnapshot SET content = jsonb_set(content, '{business,name}', '\"Lain\"') "
        "WHERE id = %s",
        [snapshot.pk],
    )
    sql("ALTER TABLE certification_evidencesnapshot ENABLE TRIGGER certification_snapshot_immutable", [])
    out = verify_fails()
    assert (
        f"certification.EvidenceSnapshot {snapshot.pk} (case {app.pk}, submission 1) was altered: its content no "
        "longer matches its hash"
    ) in out
