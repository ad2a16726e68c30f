"""Tamper evidence (core/ops/chain.py): workflow events, certificate events and staff actions are hash-chained, and
`manage.py verify_chains` names the first row that was altered or removed behind the application's back."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client

from certification.models import ApplicationEvent, Certificate, CertificateEvent
from core.models import StaffAction, User
from core.ops.chain import chain_intact, chain_reseal, verify_model
from tests.certification import factories as f


@pytest.fixture
def cast(alice: User, rina: User, pat: User) -> f.Cast:
    f.national_quota(places=100)
    return f.Cast(owner=alice, reviewer=rina, pph=pat)


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_chains", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_chains", *args, stdout=out)
    return out.getvalue()


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_workflow_event_carries_the_hash_of_the_event_before_it(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    events = list(ApplicationEvent.objects.filter(application=app).order_by("id"))
    assert len(events) >= 3
    assert events[0].prev_hash == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert "certification.ApplicationEvent: 1 chains, " in verify()
    assert "Every chain is intact." in verify()


def test_an_event_edited_behind_the_applications_back_is_named_by_verify_chains(cast: f.Cast, bob: User) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    bobs = f.Cast(owner=bob, reviewer=cast.reviewer, pph=cast.pph)
    other = f.drive(f.draft(bob, "self_declare"), "submitted", bobs)
    middle = ApplicationEvent.objects.filter(application=app).order_by("id")[1]
    sql("UPDATE certification_applicationevent SET note = %s WHERE id = %s", ["approved by phone", middle.pk])

    out = verify_fails()
    assert f"certification.ApplicationEvent chain {app.pk}: row {middle.pk} was altered" in out
    assert f"chain {other.pk}:" not in out  # the other application's chain still holds
    assert not chain_intact(ApplicationEvent, app.pk)
    assert chain_intact(ApplicationEvent, other.pk)


def test_a_timestamp_moved_behind_the_applications_back_is_found(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    first = ApplicationEvent.objects.filter(application=app).order_by("id").first()
    assert first is not None
    earlier = first.created_at - timedelta(days=3)
    sql("UPDATE certification_applicationevent SET created_at = %s WHERE id = %s", [earlier, first.pk])
    assert f"row {first.pk} was altered" in verify_fails()


def test_a_deleted_middle_event_is_named_by_the_row_that_no_longer_follows(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    first, middle, after = list(ApplicationEvent.objects.filter(application=app).order_by("id"))[:3]
    sql("DELETE FROM certification_applicationevent WHERE id = %s", [middle.pk])
    out = verify_fails()
    assert f"row {after.pk} does not follow row {first.pk}: a row between them was removed" in out


def test_a_deleted_first_event_is_found(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    first, second = list(ApplicationEvent.objects.filter(application=app).order_by("id"))[:2]
    sql("DELETE FROM certification_applicationevent WHERE id = %s", [first.pk])
    assert f"row {second.pk} does not start its chain: a row before it was removed" in verify_fails()


def test_a_row_resealed_without_the_key_is_still_found(cast: f.Cast, settings: Any) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    last = ApplicationEvent.objects.filter(application=app).order_by("id").last()
    assert last is not None
    settings.AUDIT_CHAIN_KEY = "a key the forger guessed"
    last.note = "forged"
    forged_hash = last.compute_hash()
    sql(
        "UPDATE certification_applicationevent SET note = %s, hash = %s WHERE id = %s", ["forged", forged_hash, last.pk]
    )
    settings.AUDIT_CHAIN_KEY = settings.SECRET_KEY
    assert f"row {last.pk} was altered" in verify_fails("--model", "certification.ApplicationEvent")


def test_certificate_events_form_one_chain_per_certificate_and_an_edit_is_found(cast: f.Cast) -> None:
    app = f.issued(cast)
    certificate = Certificate.objects.get(application=app)
    events = list(CertificateEvent.objects.filter(certificate=certificate).order_by("id"))
    assert [e.action for e in events] == ["issue", "render_pdf"]
    assert events[1].prev_hash == events[0].hash
    assert chain_intact(CertificateEvent, certificate.pk)
    sql("UPDATE certification_certificateevent SET action = %s WHERE id = %s", ["revoke", events[0].pk])
    assert f"certification.CertificateEvent chain {certificate.pk}: row {events[0].pk} was altered" in verify_fails()


def test_staff_actions_are_chained_per_person_and_a_removed_one_is_found(rina: User, pat: User) -> None:
    client = Client()
    for user in (rina, pat, rina, rina):
        client.force_login(user)
        client.post("/i18n/setlang/", {"language": "en", "next": "/home/"})
    rows = list(StaffAction.objects.filter(actor=rina).order_by("id"))
    assert len(rows) == 3 and rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert StaffAction.objects.get(actor=pat).prev_hash == ""
    assert "core.StaffAction: 2 chains, 4 rows, intact" in verify()
    sql("DELETE FROM core_staffaction WHERE id = %s", [rows[1].pk])
    out = verify_fails("--model", "core.StaffAction")
    assert f"core.StaffAction chain {rina.pk}: row {rows[2].pk} does not follow row {rows[0].pk}" in out


def test_a_row_written_around_the_model_is_reported_as_not_sealed(rina: User) -> None:
    StaffAction.objects.create(actor=rina, method="POST", path="/a/", status_code=200)
    StaffAction.objects.bulk_create([StaffAction(actor=rina, method="POST", path="/b/", status_code=200)])
    rows = list(StaffAction.objects.order_by("id"))
    assert f"row {rows[1].pk} is not sealed" in verify_fails()


def test_the_migration_seals_rows_written_before_the_chain_as_the_model_does(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    # Rows from before the chain existed carry no evidence hash (it came later); sealed as the model seals them.
    ApplicationEvent.objects.update(snapshot_hash="")
    chain_reseal(ApplicationEvent, app.pk)
    sealed = dict(ApplicationEvent.objects.filter(application=app).values_list("pk", "hash"))
    ApplicationEvent.objects.update(prev_hash="", hash="")
    assert verify_model(ApplicationEvent)[2]
    migration = importlib.import_module("certification.migrations.0008_event_hash_chain")
    assert ApplicationEvent.chain_fields == migration.APPLICATION_EVENT_FIELDS
    assert CertificateEvent.chain_fields == migration.CERTIFICATE_EVENT_FIELDS
    migration.seal(apps, None)
    assert dict(ApplicationEvent.objects.filter(application=app).values_list("pk", "hash")) == sealed
    assert "Every chain is intact." in verify()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_chain_stay_one_chain(make_user: Any) -> None:
    rina = make_user("rina.concurrent@example.test")

    def append(n: int) -> None:
        try:
            for i in range(8):
                StaffAction.objects.create(actor_id=rina.pk, method="POST", path=f"/t{n}/{i}/", status_code=200)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(append, range(3)))
    chains, rows, breaks = verify_model(StaffAction)
    assert (chains, rows, breaks) == (1, 24, [])
    hashes = list(StaffAction.objects.order_by("id").values_list("prev_hash", "hash"))
    assert len({prev for prev, _h in hashes}) == 24  # no two rows follow the same row
