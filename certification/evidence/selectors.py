"""Reading the evidence of a case: its snapshots, what a page shows of them, and the hold they put on documents."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.dossier.generation import generation_names
from applicants.models import Document
from certification.evidence.changes import diff
from certification.evidence.services import SCHEMA, build_content, content_hash
from certification.models import Application, ApplicationEvent, Certificate, EvidenceSnapshot
from certification.workflow import table as wf
from core import generations


@dataclass(frozen=True)
class Evidence:
    """What a case rests on as its pages show it: the snapshot (None for a case submitted before snapshots were
    kept, whose `content` is then read live and says so), and the changes since the previous submission."""

    snapshot: EvidenceSnapshot | None
    content: dict[str, Any]
    changes: list[dict[str, Any]]

    @property
    def live(self) -> bool:
        return self.snapshot is None


def snapshots_of(application: Application) -> QuerySet[EvidenceSnapshot]:
    return EvidenceSnapshot.objects.filter(application=application).select_related("taken_by").order_by("number")


def snapshot_get(application: Application, number: int) -> EvidenceSnapshot | None:
    return snapshots_of(application).filter(number=number).first()


def evidence_of(application: Application, number: int | None = None) -> Evidence | None:
    """The evidence of a submitted case (its newest snapshot, or the one numbered); None for a draft."""
    if number is not None:
        snapshot = snapshot_get(application, number)
        return Evidence(snapshot, snapshot.content, list(snapshot.changes)) if snapshot is not None else None
    if application.evidence_id is not None:
        # Read once per case object: the case page's evidence, checklist and verification all ask for it (the case
        # pages select it with the case).
        newest = application.evidence
        if newest is not None:  # always, evidence_id being set
            return Evidence(newest, newest.content, list(newest.changes))
    if application.state == "draft":
        return None
    return Evidence(None, live_content(application), [])


def live_key(kind: str, application: Application, *parts: object, extra: tuple[str, ...] = ()) -> str:
    """A key that changes with everything the live dossier is built from: the case's own fields that go into its
    content, the day (an ingredient's certificate expires), and the generations of the business's dossier (its
    products, documents and the cases' choice of them included) and of the reference data it shows (bumped by every
    write to them, applicants.dossier.generation), plus the `extra` generations a caller reads besides."""
    own = content_hash(
        [
            application.pathway,
            application.lph_id,
            application.lph_name,
            application.pledge_version,
            application.pledge_signed_at,
            application.sihalal_registration,
            application.developed_certificate_id,
        ]
    )[:16]
    version = generations.current((*generation_names(application.business_id), *extra))
    tail = ":".join(str(part) for part in parts)
    return f"{kind}:{SCHEMA}:{application.pk}:{tail}:{timezone.localdate()}:{own}:{version}"


def live_content(application: Application) -> dict[str, Any]:
    """The live dossier as a submission would freeze it now, kept until anything it is built from changes. Building
    it costs a dozen queries: the case pages of cases submitted before snapshots were kept show it on every load.
    A submission itself freezes a fresh build (services.snapshot_take), never this copy."""
    key = live_key("live-content", application)
    content: dict[str, Any] | None = cache.get(key)
    if content is None:
        content = build_content(application)
        cache.set(key, content, settings.LIVE_CHANGES_SECONDS)
    return content


def live_changes(application: Application, evidence: Evidence | None) -> list[dict[str, Any]]:
    """What the owner changed in the live dossier since the newest submission (it goes into the next one).

    Rebuilding the live dossier was most of the owner's case page (issue 34: the page was 28 % of the mixed load's
    server time); the comparison is kept under a key that changes with anything it reads, so a page shows it from
    one cache read until the owner edits the dossier."""
    if evidence is None or evidence.snapshot is None:
        return []
    key = live_key("live-changes", application, evidence.snapshot.pk)
    changes: list[dict[str, Any]] | None = cache.get(key)
    if changes is None:
        changes = diff(evidence.content, live_content(application))
        cache.set(key, changes, settings.LIVE_CHANGES_SECONDS)
    return changes


def content_of(application: Application) -> dict[str, Any]:
    """What the case rests on now: the newest snapshot's content, else the live dossier (drafts, older cases)."""
    evidence = evidence_of(application)
    return evidence.content if evidence is not None else live_content(application)


def documents_shown(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence's documents by kind, each with its kind's label in the active language."""
    rows = []
    for row in sorted(content.get("documents") or [], key=lambda d: (d["kind"], d["id"])):
        label = Document.Kind(row["kind"]).label if row["kind"] in Document.Kind.values else row["kind"]
        rows.append({**row, "kind_label": str(label)})
    return rows


# --- The hold on documents ---------------------------------------------------------------------------------------
def _ended_on(application: Application, certificate: Certificate | None) -> dt.date | None:
    """When the case stopped resting on its evidence: the certificate's end, or the case's closing; None while the
    case is open or its certificate valid."""
    if application.state in wf.OPEN_STATES:
        return None
    if application.state == "issued":
        target = certificate
        if target is None and application.developed_certificate_id is not None:
            target = Certificate.objects.filter(pk=application.developed_certificate_id).first()
        if target is None or target.status == Certificate.Status.VALID:
            return None
        ended = target.revoked_at or _last_change(application)
        return timezone.localdate(ended)
    return timezone.localdate(_last_change(application))


def _last_change(application: Application) -> dt.datetime:
    last = ApplicationEvent.objects.filter(application=application).order_by("-created_at").first()
    return last.created_at if last is not None else application.updated_at


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def permit_file_hold(name: str) -> bool:
    """Whether a submission's evidence froze this permit scan (registered with applicants at start-up): the permit's
    owner may edit or delete the permit, but the stored file stays with the case."""
    frozen = {"products": [{"permits": [{"document_file": name}]}]}
    if connection.features.supports_json_field_contains:
        return EvidenceSnapshot.objects.filter(content__contains=frozen).exists()
    # SQLite (make run's default) has no JSON containment: narrow by the name in the stored text, then look inside.
    stored = json.dumps(name)[1:-1]
    candidates = (
        EvidenceSnapshot.objects.annotate(text=Cast("content", TextField()))
        .filter(text__contains=stored)
        .values_list("content", flat=True)
    )
    return any(
        permit.get("document_file") == name
        for content in candidates
        for product in (content or {}).get("products", [])
        for permit in product.get("permits", [])
    )


def document_hold(document: Document) -> str:
    """Why a document may not be deleted or overwritten: a submitted case rests on it, and its retention period
    has not ended (registered with applicants at start-up). "" when nothing holds it."""
    today = timezone.localdate()
    applications = (
        Application.objects.filter(snapshots__documents=document)
        .distinct()
        .select_related("certificate")
        .order_by("pk")
    )
    for application in applications:
        certificate = getattr(application, "certificate", None)
        ended = _ended_on(application, certificate)
        if ended is None:
            if certificate is not None or application.state == "issued":
                return _("certificate %(number)s of case #%(case)s rests on it") % {
                    "number": certificate.number if certificate else "—",
                    "case": application.pk,
                }
            return _("case #%(case)s rests on it") % {"case": application.pk}
        kept_until = _years_after(ended, settings.EVIDENCE_RETENTION_YEARS)
        if today < kept_until:
            return _("case #%(case)s's files are kept until %(date)s (the retention period)") % {
                "case": application.pk,
                "date": kept_until.strftime("%d-%m-%Y"),
            }
    return ""


def replace_in_open_cases(old: Document, new: Document) -> None:
    """A replaced document's open applications carry the new version for their next submission (registered with
    applicants); what a submission rested on stays in its snapshot, and closed cases keep their selection."""
    for application in Application.objects.filter(documents=old, state__in=wf.OPEN_STATES):
        application.documents.remove(old)
        application.documents.add(new)
