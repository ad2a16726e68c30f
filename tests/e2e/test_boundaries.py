"""Office boundaries hold everywhere: every URL pattern, every API operation and every notification kind, checked
against staff of another province and another owner (tests/e2e/boundaries.py). The enumerations grow by
themselves: a new view or a new kind of notice joins the check, and fails it until it is scoped. Then the checks
are shown to bite: with one scope patched out, each finds the leak. Last, real e-mail through a local SMTP server:
no notice of a Lampung case reaches Jawa Barat's staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Q

from core.models import User
from core.notifications.services import KINDS
from tests.e2e import boundaries as b
from tests.e2e.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)


@pytest.fixture
def people(make_user: Callable[..., User], bob: User) -> b.Outsiders:
    return b.outsiders(make_user, bob)


# --- The enumerations are complete ---------------------------------------------------------------------------------
def test_every_notification_kind_has_a_trigger_in_the_boundary_check() -> None:
    assert set(b.TRIGGERS) == set(KINDS), "add a trigger for each new kind to tests/e2e/boundaries.py TRIGGERS"


def test_every_api_operation_of_the_schema_is_probed(client: Any) -> None:
    assert b.schema_operations_without_a_probe(client) == []
    operations = b.operations()
    assert "patch" in operations["api-business"] and "post" in operations["api-application-transitions"]
    assert len(operations) == len(b.url_names())  # every URL pattern, pages and API alike


# --- The boundaries hold -------------------------------------------------------------------------------------------
def test_no_url_pattern_or_api_operation_lets_another_province_or_owner_read_or_change_lampungs_world(
    world: World, people: b.Outsiders, settings: Any
) -> None:
    settings.CERTIFICATE_VERIFY_RATE = "100000/m"
    found = b.url_violations(world, people)
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))


def test_no_notice_about_lampung_reaches_another_province_or_owner(
    world: World, people: b.Outsiders, make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    from tests.conftest import works_for

    works_for(make_user("lead@lampung.test", "officer", is_taskforce_lead=True), "18")
    with django_capture_on_commit_callbacks(execute=False):
        assert b.notice_violations(world, people, sorted(KINDS)) == {}


# --- ... and the checks bite: one scope patched out, each check finds the leak ---------------------------------------
def test_with_the_case_reviewers_unscoped_the_notice_check_fails(
    world: World, people: b.Outsiders, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from certification import conversation, emails
    from core.access import roles

    def every_reviewer(application: Any) -> Any:  # the old rule: "every active reviewer"
        return User.objects.filter(roles.holders(roles.REVIEWER), is_active=True).distinct()

    monkeypatch.setattr(emails, "case_reviewers", every_reviewer)
    monkeypatch.setattr(conversation, "case_reviewers", every_reviewer)
    with django_capture_on_commit_callbacks(execute=False):
        found = b.notice_violations(world, people, ["application_resubmitted", "case_message", "case_note"])
    assert set(found) == {"application_resubmitted", "case_message", "case_note"}
    assert all("dewi@jabar.test" in message for message in found.values())


def test_with_the_programme_scope_removed_the_url_check_finds_the_participants(
    world: World, people: b.Outsiders, monkeypatch: pytest.MonkeyPatch
) -> None:
    from training import selectors

    monkeypatch.setattr(selectors, "jurisdiction_q", lambda user, prefix="": Q())  # programmes of every region
    found = b.url_violations(world, people, methods=("get",))
    for leak in (
        "GET training:program-detail (jabar officer)",
        "GET training:attendance (jabar officer)",
        "GET api-training-enrollments (jabar reviewer)",
        "GET dashboard:export-follow-ups (jabar reviewer)",
    ):
        assert leak in found, sorted(found)


def test_with_the_assignment_check_removed_the_api_assigns_another_provinces_assistant(
    world: World, people: b.Outsiders, monkeypatch: pytest.MonkeyPatch, rina: User
) -> None:
    from certification.models import Application
    from certification.workflow import handlers

    app = Application.objects.get(pk=world.application.pk)
    Application.objects.filter(pk=app.pk).update(state="submitted", assigned_pph=None)
    api = b.client_for(rina)
    url = f"/api/v1/applications/{app.pk}/transitions/"
    refused = api.post(url, {"action": "assign_pph", "pph": people.pph.pk}, content_type="application/json")
    assert refused.status_code == 400 and "does not work for the region" in refused.json()["detail"]
    assert Application.objects.get(pk=app.pk).assigned_pph_id is None
    monkeypatch.setattr(handlers, "assignee_check", lambda **kwargs: None)
    api.post(url, {"action": "assign_pph", "pph": people.pph.pk}, content_type="application/json")
    assert Application.objects.get(pk=app.pk).assigned_pph_id == people.pph.pk  # the hole the one check closes


# --- Real e-mail: a local SMTP server, two provinces' staff ----------------------------------------------------------
def test_no_e_mail_about_a_lampung_case_reaches_jawa_barats_staff_through_smtp(
    world: World,
    people: b.Outsiders,
    settings: Any,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.conftest import works_for
    from tests.core.notify_servers import smtp_server

    lampung_lead = works_for(make_user("lead@lampung.test", "officer", is_taskforce_lead=True), "18")
    for inbox, port in smtp_server():
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
        with django_capture_on_commit_callbacks(execute=True):
            assert b.notice_violations(world, people, sorted(KINDS)) == {}
        received = {address for message in inbox.messages for address in message["to"]}
        jabar = {user.email for user in (people.reviewer, people.officer, people.pph, people.lead, people.owner_b)}
        assert not received & jabar, received & jabar
        # and the mail did flow: Lampung's reviewer, officer, lead and the owner were told
        assert {"rina@example.test", "oscar@example.test", lampung_lead.email, world.business.owner.email} <= received
