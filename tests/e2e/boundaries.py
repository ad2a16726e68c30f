"""Office boundaries, checked from the outside in (tests/e2e/test_boundaries.py uses these).

Lampung's world (tests/e2e/world.py: owner A's business, case, certificate, programme...) against staff of another
province (Jawa Barat: a reviewer, an officer, an assistant, a task-force lead) and owner B. Each check returns the
violations it found, so a test can also show that a check fails once one scope is patched out.

Three enumerations grow by themselves:
- every URL pattern of the project (the permission matrix's rows say how to address it);
- every API operation (each URL pattern under /api/ times each HTTP method its view implements; the OpenAPI
  schema's operations must all be among them);
- every notification kind (core.notifications.services.KINDS): each needs a trigger here, and a new kind without
  one fails until it is added, proving its recipients stay inside the case's or programme's region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from core.models import User
from tests.e2e.world import World

# --- The cast -------------------------------------------------------------------------------------------------------


@dataclass
class Outsiders:
    """People who must see nothing of Lampung's world: Jawa Barat's staff and owner B."""

    reviewer: User
    officer: User
    pph: User
    lead: User
    owner_b: User

    def actors(self) -> dict[str, User]:
        return {
            "jabar reviewer": self.reviewer,
            "jabar officer": self.officer,
            "jabar pph": self.pph,
            "owner B": self.owner_b,
        }

    def staff_ids(self) -> set[int]:
        return {self.reviewer.pk, self.officer.pk, self.pph.pk, self.lead.pk}


def outsiders(make_user: Callable[..., User], bob: User) -> Outsiders:
    from tests.conftest import works_for

    reviewer = works_for(make_user("dewi@jabar.test", "reviewer", full_name="Dewi Jabar"), "32")
    officer = works_for(make_user("asep@jabar.test", "officer", full_name="Asep Jabar"), "3273")
    pph = works_for(make_user("ujang@jabar.test", "pph", full_name="Ujang Jabar"), "32")
    lead = works_for(make_user("lead@jabar.test", "officer", full_name="Lead Jabar", is_taskforce_lead=True), "32")
    return Outsiders(reviewer=reviewer, officer=officer, pph=pph, lead=lead, owner_b=bob)


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def secrets_of(world: World) -> list[str]:
    """What of Lampung's world no outsider may read (public pages excepted: the registry and catalogue show names)."""
    business = world.business
    return [business.name, business.nib, business.owner.email, business.phone]


# --- What must not change: Lampung's rows -----------------------------------------------------------------------------
WATCHED = [
    "applicants.Business",
    "applicants.Product",
    "applicants.Document",
    "applicants.Person",
    "applicants.Facility",
    "applicants.AnnualFigures",
    "applicants.DistributionPermit",
    "applicants.ProductListing",
    "certification.Application",
    "certification.ApplicationEvent",
    "certification.CaseMessage",
    "certification.Certificate",
    "certification.CertificateEvent",
    "certification.Appeal",
    "certification.Verification",
    "certification.VerificationItem",
    "training.Program",
    "training.Enrollment",
    "training.JoinRequest",
    "training.FollowUp",
    "training.ProgramMessage",
    "training.FacilitationCase",
    "core.Notification",
    "core.Delivery",
    "knox.AuthToken",
]


def fingerprint(world: World) -> dict[str, Any]:
    from certification.models import Application

    counts: dict[str, Any] = {name: apps.get_model(name).objects.count() for name in WATCHED}
    app = Application.objects.get(pk=world.application.pk)
    counts["application"] = (app.state, app.assigned_reviewer_id, app.assigned_pph_id, app.updated_at)
    counts["business"] = type(world.business).objects.filter(pk=world.business.pk).values_list("updated_at", "name")[0]
    counts["program"] = type(world.program).objects.filter(pk=world.program.pk).values_list("updated_at", "capacity")[0]
    return counts


# --- 1. Every URL pattern, and every API operation ------------------------------------------------------------------
def url_names() -> set[str]:
    from tests.e2e.test_permission_matrix import project_url_names

    return project_url_names()


def _url(world: World, name: str) -> str:
    from tests.e2e.test_permission_matrix import ARGS

    return reverse(name, kwargs=ARGS[name](world) if name in ARGS else None)


def _is_public(name: str) -> bool:
    from tests.e2e.test_permission_matrix import MATRIX

    return MATRIX[name][0] == 200  # anonymous reads it: public reference data, the registry, the catalogue


def _addresses_an_object(name: str) -> bool:
    from tests.e2e.test_permission_matrix import ARGS

    return name in ARGS


def operations() -> dict[str, list[str]]:
    """URL name -> the HTTP methods its view implements (GET for plain pages; the API's views say theirs)."""
    found: dict[str, list[str]] = {}

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, ":".join(part for part in (namespace, pattern.namespace or "") if part))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                if view is None:
                    found[name] = ["get", "post"]
                else:
                    allowed = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
                    found[name] = [m for m in allowed if m in getattr(view, "http_method_names", allowed)]

    walk(get_resolver(), "")
    names = url_names()
    return {name: methods for name, methods in found.items() if name in names}


def schema_operations_without_a_probe(client: Client) -> list[str]:
    """OpenAPI operations that `operations()` does not cover (a view reachable only in the schema)."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    probed = operations()
    missing = []
    for path, item in schema["paths"].items():
        concrete = path
        for part in [p for p in path.split("/") if p.startswith("{")]:
            concrete = concrete.replace(part, "1")
        match = resolve(concrete)
        name = f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)
        for method in item:
            if method in ("get", "post", "put", "patch", "delete") and method not in probed.get(name, []):
                missing.append(f"{method.upper()} {path} ({name})")
    return missing


ALLOWED_REFUSALS = {401, 403, 404, 405}
BODIES: dict[str, dict[str, Any]] = {  # a plausible write for operations that need a body to reach their lookup
    "api-application-transitions": {"action": "return", "reason": "Dari luar wilayah."},
    "certification:act": {"action": "return", "note": "Dari luar wilayah."},
    "certification:case-message": {"body": "Halo dari Jawa Barat"},
    "training:program-message": {"body": "Halo dari Jawa Barat"},
}


def url_violations(
    world: World, people: Outsiders, *, methods: tuple[str, ...] = ("get", "post", "put", "patch", "delete")
) -> dict[str, str]:
    """Every operation of every URL pattern, by every outsider: an object of Lampung answers a refusal, a read
    shows none of its secrets, and a write changes none of its rows."""
    secrets = secrets_of(world)
    violations: dict[str, str] = {}
    addressed = {name: _url(world, name) for name in operations()}  # builds the objects the URLs name, once
    before = fingerprint(world)
    for name, implemented in sorted(operations().items()):
        url = addressed[name]
        for method in implemented:
            if method not in methods:
                continue
            for actor, user in people.actors().items():
                client = client_for(user)
                body = BODIES.get(name, {})
                if method == "get":
                    response = client.get(url)
                elif url.startswith("/api/"):
                    response = getattr(client, method)(url, body, content_type="application/json")
                else:
                    response = getattr(client, method)(url, body)
                where = f"{method.upper()} {name} ({actor})"
                if response.status_code >= 500:
                    violations[where] = f"answered {response.status_code}"
                    continue
                if method == "get" and response.status_code == 200 and not _is_public(name):
                    content = b"".join(response.streaming_content) if response.streaming else response.content
                    shown = [s for s in secrets if s and s.encode() in content]
                    if shown:
                        violations[where] = f"shows {shown}"
                refused = (
                    response.status_code in ALLOWED_REFUSALS or response.status_code == 302
                )  # 302: a page's refusal
                if method != "get" and _addresses_an_object(name) and not _is_public(name) and not refused:
                    violations[where] = f"answered {response.status_code} instead of a refusal"
                after = fingerprint(world)
                if after != before:
                    changed = sorted(k for k in after if after[k] != before.get(k))
                    violations[where] = f"changed {changed}"
                    before = after
    return violations


# --- 2. Every notification kind -----------------------------------------------------------------------------------
def _application_event(world: World) -> int:
    from certification.models import ApplicationEvent

    event = ApplicationEvent.objects.filter(application=world.application).latest("id")
    ApplicationEvent.objects.filter(pk=event.pk).update(owner_notified_at=None, staff_notified_at=None)
    return int(event.pk)


def _unassigned(world: World) -> None:
    from certification.models import Application

    Application.objects.filter(pk=world.application.pk).update(assigned_reviewer=None)


def _status(world: World) -> None:
    from certification import emails

    emails.owner_event_email_send(event_id=_application_event(world))


def _resubmitted(world: World) -> None:
    from certification import emails

    _unassigned(world)
    emails.reviewer_resubmission_email_send(event_id=_application_event(world))


def _appealed(world: World) -> None:
    from certification import emails

    _unassigned(world)
    emails.reviewer_appeal_email_send(event_id=_application_event(world))


def _payment_proof(world: World) -> None:
    from django.core.files.base import ContentFile

    from certification import emails
    from certification.models import Application, Bill

    _unassigned(world)
    Application.objects.filter(pk=world.application.pk).update(state="awaiting_payment", pathway="regular")
    bill = Bill.objects.create(
        application_id=world.application.pk,
        amount=650_000,
        channel="simponi",
        code="820226000000001",
        due_on=timezone.localdate() + dt.timedelta(days=5),
        recorded_by=world.application.business.owner,
        recorded_at=timezone.now(),
        proof=ContentFile(b"%PDF-1.4 proof", name="bukti.pdf"),
        proof_uploaded_at=timezone.now(),
    )
    emails.staff_payment_proof_email_send(bill_id=bill.pk)


def _case_window(world: World) -> None:
    from certification import emails
    from certification.models import CaseReminder

    reminder = CaseReminder.objects.create(
        application=world.application, window_ends_on=timezone.localdate() + dt.timedelta(days=5), step="first"
    )
    emails.owner_window_email_send(reminder_id=reminder.pk)


def _revoked(world: World) -> None:
    from certification import emails
    from certification.models import CertificateEvent

    event = CertificateEvent.objects.filter(certificate=world.certificate).latest("id")
    CertificateEvent.objects.filter(pk=event.pk).update(owner_notified_at=None)
    emails.owner_revocation_email_send(event_id=event.pk)


def _case_message(world: World) -> None:
    from certification.conversation import case_message_post

    _unassigned(world)
    case_message_post(application=world.application, author=world.business.owner, body="Kapan diperiksa?")


def _case_note(world: World) -> None:
    from certification.conversation import case_message_post

    _unassigned(world)
    rina = User.objects.get(email="rina@example.test")
    case_message_post(application=world.application, author=rina, body="Catatan internal", internal=True)


def _announcement(world: World) -> None:
    from training.messaging import program_message_post

    program_message_post(program=world.program, author=world.program.responsible_officer, body="Jadwal berubah")


def _question(world: World) -> None:
    from training.messaging import program_message_post

    program_message_post(program=world.program, author=world.business.owner, body="Apakah ada sertifikat?")


def _followup(world: World) -> None:
    from training.models import FollowUp
    from training.reminders import followup_reminders_send

    FollowUp.objects.filter(enrollment__program=world.program).update(done_on=None)
    followup_reminders_send(today=world.program.follow_up_due_on + dt.timedelta(days=14))  # the escalation step


def _composition(world: World) -> None:
    from certification import emails
    from certification.models import CompositionCheck

    check = CompositionCheck.objects.create(certificate=world.certificate, year=1, anniversary=timezone.localdate())
    emails.owner_composition_check_email_send(check_id=check.pk, step="ask")


def _expiry(world: World) -> None:
    from certification import emails
    from certification.models import CertificateReminder

    reminder = CertificateReminder.objects.create(
        certificate=world.certificate, days_before=30, expires_on=timezone.localdate() + dt.timedelta(days=30)
    )
    emails.owner_expiry_email_send(reminder_id=reminder.pk)


def _permit(world: World) -> None:
    from applicants.models.permits import DistributionPermit
    from applicants.permits.reminders import permit_reminders_send

    DistributionPermit.objects.create(
        product=world.product,
        kind="pirt",
        number="206187101012325",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
        created_by=world.business.owner,
    )
    permit_reminders_send(today=timezone.localdate())


def _facilitation(world: World) -> None:
    from training.facilitation.reminders import facilitation_reminders_send
    from training.facilitation.services import facilitation_open
    from training.models.facilitation import FacilitationCase

    case = facilitation_open(actor=world.business.owner, business=world.business, product=world.product)
    FacilitationCase.objects.filter(pk=case.pk).update(officer=None)  # nobody assigned: the region's officers
    facilitation_reminders_send(today=case.due_on + dt.timedelta(days=1))


def _facilitation_status(world: World) -> None:
    from training.facilitation.services import facilitation_open, facilitation_transition
    from training.models.facilitation import FacilitationCase

    FacilitationCase.objects.filter(business=world.business, product=world.product).delete()  # one open case each
    case = facilitation_open(actor=world.business.owner, business=world.business, product=world.product)
    officer = User.objects.get(email="oscar@example.test")
    facilitation_transition(case_id=case.pk, action="documents_complete", actor=officer)


def _training_place(world: World) -> None:
    from django.db import transaction

    from tests.training.factories import ProgramFactory
    from training.joining.services import waiting_list_promote
    from training.models import JoinRequest, Program

    full = ProgramFactory(
        responsible_officer=world.program.responsible_officer, region=world.program.region, capacity=1
    )
    JoinRequest.objects.create(
        program=full,
        business=world.business,
        status=JoinRequest.Status.WAITING,
        requested_by=world.business.owner,
        queued_at=timezone.now(),
    )
    with transaction.atomic():  # the owner moves up from the waiting list: a place is free
        waiting_list_promote(program=Program.objects.select_for_update().get(pk=full.pk))


def _report(world: World) -> None:
    from applicants.models import Region
    from reports.models import MonthlyReport
    from reports.services import _report_ready_notify

    rina = User.objects.get(email="rina@example.test")
    report = MonthlyReport.objects.create(
        month=dt.date(2026, 10, 1), region=Region.objects.get(code="18"), status="done", requested_by=rina
    )
    _report_ready_notify(report)


TRIGGERS: dict[str, Callable[[World], None]] = {
    "application_status": _status,
    "application_resubmitted": _resubmitted,
    "application_appealed": _appealed,
    "case_window": _case_window,
    "payment_proof": _payment_proof,
    "certificate_revoked": _revoked,
    "followup_reminder": _followup,
    "case_message": _case_message,
    "case_note": _case_note,
    "training_announcement": _announcement,
    "training_question": _question,
    "composition_check": _composition,
    "certificate_expiry": _expiry,
    "permit_expiry": _permit,
    "facilitation_due": _facilitation,
    "facilitation_status": _facilitation_status,
    "training_place": _training_place,
    "report_ready": _report,
}


def notice_violations(world: World, people: Outsiders, kinds: list[str]) -> dict[str, str]:
    """Fire each kind about Lampung's world; every notice must exist, name Lampung's region, and reach nobody
    outside it (no outsider as recipient, no outsider's address among the e-mail copies)."""
    from core.models import Delivery, Notification

    lampung = {world.business.region_id, world.business.region.parent_id}
    outside_ids = people.staff_ids() | {people.owner_b.pk}
    outside_addresses = {
        user.email for user in (people.reviewer, people.officer, people.pph, people.lead, people.owner_b)
    }
    violations: dict[str, str] = {}
    for kind in kinds:
        start = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        TRIGGERS[kind](world)
        told = list(Notification.objects.filter(kind=kind, id__gt=start))
        if not told:
            violations[kind] = "the trigger sent nothing (the check would be vacuous)"
            continue
        strangers = sorted({n.recipient.email for n in told if n.recipient_id in outside_ids})
        addresses = {
            part.strip()
            for address in Delivery.objects.filter(notification__in=told).values_list("address", flat=True)
            for part in address.split(",")
        }
        copied = sorted(addresses & outside_addresses)
        unscoped = [n.pk for n in told if n.region not in lampung]
        if strangers or copied or unscoped:
            violations[kind] = f"to {strangers}, copied to {copied}, notices without Lampung's region {unscoped}"
    return violations
