"""The assistant's verification (verval) of a self-declare case: every write of it, and the checks `pph_validate`
and the assistant's `return` read.

The checklist is drawn from the case's evidence (the snapshot of its newest submission, never the live dossier): one
line per ingredient and per process step of its products, then the facility and practice lines of BPJPH's guidance
for assistants (`practice.py`). Each line gets conforms / does not conform / doubtful (the last two need a note).
An ingredient the platform classified doubtful (no positive-list match, no checked certificate, or only the owner's
exemption claim) conforms only with what resolved it: a valid halal certificate seen on site, or a material confirmed
on site as needing none (never for a name that is never exempt), and a note saying what was seen. `pph_validate` needs
every line judged, none doubtful and none that does not conform: the assistant resolves each, or returns the case
with the finding (the owner replaces the ingredient, and the resubmission's evidence shows the change).

The site visit has a date, an optional GPS position (taken by the browser when the assistant allows it, within
Indonesia's bounds) and photos (decoded and re-encoded by core.files.images, so only real images are kept, without
their metadata). Only the assistant assigned to the case edits it, while the case is in `pph_verification`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from applicants.dossier.classification import never_exempt_term
from applicants.models import ProcessStep
from certification.evidence.selectors import content_of
from certification.evidence.services import line_digest
from certification.models import Application, Verification, VerificationItem, VerificationPhoto
from certification.verification.practice import PRACTICES
from core.calendar import days as cal
from core.errors import DomainError
from core.files.images import photo_resize
from core.validators import parse_iso_date

# Indonesia's bounds, roughly (Rote to Weh island, Sabang to Merauke).
LATITUDE_BOUNDS = (Decimal("-11"), Decimal("6"))
LONGITUDE_BOUNDS = (Decimal("95"), Decimal("141.5"))
MAX_PHOTOS = 10
MAX_NOTE_CHARS = 2000
MAX_RECOMMENDATION_CHARS = 5000
EDITABLE_STATE = "pph_verification"
Evidence = VerificationItem.Evidence
RESOLUTIONS = (Evidence.CERTIFICATE_SEEN, Evidence.EXEMPT_CONFIRMED)
LINE_KINDS = ("ingredient", "step", "practice")


def _refuse(key: str, message: str) -> DomainError:
    return DomainError(message, errors={key: [message]})


@dataclass(frozen=True)
class ProductRef:
    id: int
    name: str


@dataclass(frozen=True)
class Subject:
    """One line of the checklist: an ingredient or a process step of one of the case's products (as its evidence has
    them), or a facility and practice line; with the verdict recorded on this version of the line (`item`), or on an
    earlier one (`earlier`: the line changed since, so it is judged again)."""

    key: str  # "i-12-3f2a..." (ingredient), "s-12-3" (step), "p-separation" (practice): the form's and API's name
    kind: str  # "ingredient", "step" or "practice"
    product: ProductRef | None
    line: dict[str, Any]
    digest: str
    item: VerificationItem | None
    earlier: VerificationItem | None = None

    @property
    def label(self) -> str:
        if self.kind == "ingredient":
            return str(self.line["name"])
        if self.kind == "step":
            stage = (
                ProcessStep.Stage(self.line["stage"]).label if self.line["stage"] in ProcessStep.Stage.values else ""
            )
            return f"{self.line['order']}. {stage}"
        return str(self.line["label"])

    @property
    def name(self) -> str:
        return f"{self.product.name} · {self.label}" if self.product is not None else self.label

    @property
    def detail(self) -> str:
        if self.kind == "step":
            return str(self.line.get("description") or "")
        if self.kind == "practice":
            return str(self.line.get("detail") or "")
        return ""

    @property
    def classification(self) -> dict[str, Any]:
        return dict(self.line.get("classification") or {})

    @property
    def platform_doubtful(self) -> bool:
        """An ingredient the platform did not find proof for: the assistant must resolve it."""
        return self.kind == "ingredient" and bool(self.classification.get("doubtful", True))

    def said(self, field: str) -> str:
        """The classification's reason or evidence in the active language (as the platform said it that day)."""
        texts = self.classification.get(field) or {}
        return str(texts.get(translation.get_language() or "id") or texts.get("id") or "")

    @property
    def resolved_by(self) -> str:
        """What the line rests on, for the report: the assistant's resolution, else the platform's evidence."""
        if self.item is None:
            return ""
        if self.item.evidence in (Evidence.CERTIFICATE_SEEN, Evidence.EXEMPT_CONFIRMED, Evidence.SEEN_ON_SITE):
            return str(self.item.get_evidence_display())
        if self.kind == "ingredient":
            return self.said("evidence")
        return ""


def _practice_lines() -> list[dict[str, Any]]:
    return [{"code": p.code, "label": str(p.label), "detail": str(p.detail), "source": p.source} for p in PRACTICES]


def checklist(application: Application, verification: Verification | None = None) -> list[Subject]:
    """Every line of the case's checklist in order (product by name, its ingredients, then its steps; then the
    facility and practice lines), with the item recorded for it (None when not judged on this version)."""
    content = content_of(application)
    items: dict[str, VerificationItem] = {}
    if verification is not None and verification.pk is not None:
        items = {item.key: item for item in verification.items.all()}

    def subject(key: str, kind: str, product: ProductRef | None, line: dict[str, Any], digest: str) -> Subject:
        item = items.get(key)
        if item is not None and item.digest not in ("", digest):
            return Subject(key, kind, product, line, digest, None, item)
        return Subject(key, kind, product, line, digest, item)

    rows: list[Subject] = []
    for product in sorted(content.get("products") or [], key=lambda p: (p["name"], p["id"])):
        ref = ProductRef(product["id"], product["name"])
        for line in product["ingredients"]:
            rows.append(subject(line["key"], "ingredient", ref, line, line_digest(line)))
        for line in product["steps"]:
            rows.append(subject(line["key"], "step", ref, line, line_digest(line)))
    for practice, line in zip(PRACTICES, _practice_lines(), strict=True):
        rows.append(subject(practice.key, "practice", None, line, practice.code))
    return rows


def findings(application: Application) -> list[Subject]:
    """The lines judged "does not conform" or "doubtful", with their notes (what a return lists for the owner)."""
    verification = Verification.objects.filter(application=application).first()
    if verification is None:
        return []
    return [row for row in checklist(application, verification) if row.item is not None and row.item.is_finding]


def findings_text(rows: Sequence[Subject]) -> str:
    """The findings as lines for the return reason and the owner's notice (in the active language)."""
    return "\n".join(
        f"- {row.name}: {row.item.get_verdict_display()} — {row.item.note.strip()}"
        for row in rows
        if row.item is not None
    )


# --- Checking input (before anything is written) ---
def _visit_date(value: Any, today: date) -> date | None:
    if value in (None, ""):
        return None
    parsed = parse_iso_date(value)  # 30 February is "not a date", never a crash
    if parsed is None:
        raise _refuse("visit_date", _("Enter a valid date (YYYY-MM-DD)."))
    if parsed > today:
        raise _refuse("visit_date", _("The date cannot be in the future."))
    return parsed


def _coordinate(value: Any, key: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > 180:  # 1e309 is a finite Decimal; no coordinate passes 180
        raise _refuse(key, _("The GPS position is not a number. Take the position again."))
    return number.quantize(Decimal("0.000001"))


def check_position(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither, each a number within Indonesia's bounds."""
    lat, lon = _coordinate(latitude, "latitude"), _coordinate(longitude, "longitude")
    if (lat is None) != (lon is None):
        raise _refuse("latitude", _("The GPS position needs both a latitude and a longitude. Take the position again."))
    if lat is None or lon is None:
        return None, None
    if not (LATITUDE_BOUNDS[0] <= lat <= LATITUDE_BOUNDS[1] and LONGITUDE_BOUNDS[0] <= lon <= LONGITUDE_BOUNDS[1]):
        raise _refuse(
            "latitude",
            _(
                "The GPS position (%(lat)s, %(lon)s) is outside Indonesia. Take the position again at the business's "
                "site, or leave it empty."
            )
            % {"lat": lat, "lon": lon},
        )
    return lat, lon


def _check_items(rows: Sequence[Subject], entries: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, str, str]]:
    """{key: (verdict, evidence, note)} for every line given; refuses an unknown line, an unknown verdict, a note
    without a verdict, a finding without a note, and a doubtful ingredient passed without what resolved it."""
    by_key = {row.key: row for row in rows}
    verdicts = set(VerificationItem.Verdict.values)
    checked: dict[str, tuple[str, str, str]] = {}
    for key, entry in entries.items():
        row = by_key.get(key)
        if row is None:
            raise _refuse("items", _("The checklist line “%(key)s” is not part of this case.") % {"key": key})
        verdict = str(entry.get("verdict") or "").strip()
        note = str(entry.get("note") or "").strip()
        evidence = str(entry.get("evidence") or "").strip()
        if len(note) > MAX_NOTE_CHARS:
            raise _refuse(key, _("Keep the note under %(max)s characters.") % {"max": MAX_NOTE_CHARS})
        if not verdict:
            if note:
                raise _refuse(key, _("Choose a verdict for “%(name)s”.") % {"name": row.name})
            continue
        if verdict not in verdicts:
            raise _refuse(
                key,
                _("Choose “conforms”, “does not conform” or “doubtful” for “%(name)s”.") % {"name": row.name},
            )
        if verdict != VerificationItem.Verdict.CONFORMS:
            if not note:
                raise _refuse(
                    key,
                    _(
                        "Write a note for “%(name)s”: what does not conform or is doubtful, and what the owner should "
                        "do."
                    )
                    % {"name": row.name},
                )
            checked[key] = (verdict, "", note)
            continue
        checked[key] = (verdict, _conforming_evidence(row, evidence, note), note)
    return checked


def _conforming_evidence(row: Subject, evidence: str, note: str) -> str:
    """What a "conforms" rests on. A doubtful ingredient needs the assistant's resolution and a note of what was
    seen; everything else rests on the platform's check or on what the assistant saw on site."""
    if evidence and evidence not in Evidence.values:
        raise _refuse(row.key, _("Choose what “%(name)s” rests on from the list.") % {"name": row.name})
    if not row.platform_doubtful:
        if row.kind == "ingredient":
            return evidence or Evidence.PLATFORM
        return Evidence.SEEN_ON_SITE
    if evidence not in RESOLUTIONS:
        raise _refuse(
            row.key,
            _(
                "“%(name)s” is doubtful (%(reason)s): it conforms only once resolved. Say what you saw: a valid halal "
                "certificate, or a material that needs none. Otherwise mark it doubtful and return the case."
            )
            % {"name": row.name, "reason": row.said("reason").rstrip(".")},
        )
    if evidence == Evidence.EXEMPT_CONFIRMED and never_exempt_term(row.label):
        raise _refuse(
            row.key,
            _("“%(name)s” cannot be confirmed as needing no certificate: %(term)s is never exempt when processed.")
            % {"name": row.name, "term": never_exempt_term(row.label)},
        )
    if not note:
        raise _refuse(
            row.key,
            _(
                "Write what you saw for “%(name)s”: the certificate's number, issuer and validity, or why the material "
                "needs no certificate."
            )
            % {"name": row.name},
        )
    return evidence


# --- Writing ---
def _assigned_case(application_id: int, actor: Any) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk=application_id, assigned_pph_id=getattr(actor, "pk", None))
        .first()
    )
    if application is None:
        raise DomainError(_("Only the assistant assigned to this application can verify it."))
    if application.state != EDITABLE_STATE:
        raise DomainError(_("The verification can only be changed while the case is with the assistant."))
    return application


def verification_save(
    *,
    application_id: int,
    actor: Any,
    items: Mapping[str, Mapping[str, Any]] | None = None,
    visit_date: Any = None,
    latitude: Any = None,
    longitude: Any = None,
    recommendation: str | None = None,
    photos: Sequence[Any] = (),
    remove_photo_ids: Sequence[int] = (),
) -> Verification:
    """Record (part of) the verification. Lines not given keep their verdict; a line given with an empty verdict
        and note is left as it was. `visit_date`/`recommendation` None keep theirs; the position is replaced by the one
        given (both empty strings: no position); None keeps it. `remove_photo_ids`: photos of this record to drop (files
    deleted after commit). Every photo is checked and re-encoded before anything
        is written; any bad input writes nothing."""
    today = cal.today()
    with transaction.atomic():
        application = _assigned_case(application_id, actor)
        verification = Verification.objects.filter(application=application).first() or Verification(
            application=application
        )
        rows = checklist(application, verification)
        checked = _check_items(rows, items or {})
        day = _visit_date(visit_date, today) if visit_date is not None else verification.visit_date
        keep = latitude is None and longitude is None
        position = (verification.latitude, verification.longitude) if keep else check_position(latitude, longitude)
        text = verification.recommendation if recommendation is None else str(recommendation).strip()
        if len(text) > MAX_RECOMMENDATION_CHARS:
            raise _refuse(
                "recommendation",
                _("Keep the recommendation under %(max)s characters.") % {"max": MAX_RECOMMENDATION_CHARS},
            )
        existing = {p.pk: p for p in verification.photos.all()} if verification.pk else {}
        removed = [existing[pk] for pk in dict.fromkeys(remove_photo_ids) if pk in existing]
        if len(removed) != len(set(remove_photo_ids)):
            raise _refuse("photos", _("The photo to remove is not part of this verification."))
        if len(existing) - len(removed) + len(photos) > MAX_PHOTOS:
            raise _refuse("photos", _("At most %(n)s photos per site visit.") % {"n": MAX_PHOTOS})
        resized = [photo_resize(photo, field="photos") for photo in photos]
        verification.visit_date = day
        verification.latitude, verification.longitude = position
        verification.recommendation = text
        verification.updated_by = actor
        verification.save()
        by_key = {row.key: row for row in rows}
        for key, (verdict, evidence, note) in checked.items():
            VerificationItem.objects.update_or_create(
                verification=verification,
                key=key,
                defaults={"verdict": verdict, "evidence": evidence, "note": note, "digest": by_key[key].digest},
            )
        for item in resized:
            photo = VerificationPhoto(verification=verification, width=item.width, height=item.height)
            photo.photo.save("photo.jpg", ContentFile(item.photo), save=False)
            photo.thumbnail.save("thumb.jpg", ContentFile(item.thumbnail), save=False)
            photo.save()
        if removed:
            names = [name for p in removed for name in (p.photo.name, p.thumbnail.name)]
            storage = removed[0].photo.storage
            VerificationPhoto.objects.filter(pk__in=[p.pk for p in removed]).delete()
            transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return verification


# --- What the transitions read ---
def validation_ready(application: Application, *, visit_date: Any = None, report: Any = None) -> Verification:
    """`pph_validate`: the case's verification with every line judged, none "does not conform", a visit date and a
    recommendation (given here, as the older API and forms did, or recorded). Raises DomainError otherwise."""
    verification = Verification.objects.filter(application=application).first()
    rows = checklist(application, verification)
    missing = [row for row in rows if row.item is None]
    if verification is None or missing:
        names = ", ".join(row.name for row in missing[:5])
        more = len(missing) - 5
        message = _("Complete the checklist before validating: %(count)s lines have no verdict yet (%(names)s).") % {
            "count": len(missing) or len(rows),
            "names": names + (f" +{more}" if more > 0 else "") if names else "—",
        }
        raise _refuse("items", message)
    failing = [
        row for row in rows if row.item is not None and row.item.verdict == VerificationItem.Verdict.NOT_CONFORMING
    ]
    if failing:
        raise _refuse(
            "items",
            _(
                "%(count)s checklist lines do not conform (%(names)s): return the case to the owner with the findings "
                "instead of validating it."
            )
            % {"count": len(failing), "names": ", ".join(r.name for r in failing[:5])},
        )
    # Doubtful lines, and ingredients the platform found doubtful that were passed without a resolution (a verdict
    # recorded before resolutions were asked for).
    doubtful = [
        row
        for row in rows
        if row.item is not None
        and (
            row.item.verdict == VerificationItem.Verdict.DOUBTFUL
            or (row.platform_doubtful and row.item.evidence not in RESOLUTIONS)
        )
    ]
    if doubtful:
        raise _refuse(
            "items",
            _(
                "%(count)s checklist lines are still doubtful (%(names)s): resolve each one (the evidence you saw, or "
                "the ingredient replaced) or return the case with the finding."
            )
            % {"count": len(doubtful), "names": ", ".join(r.name for r in doubtful[:5])},
        )
    day = _visit_date(visit_date, cal.today()) if visit_date not in (None, "") else verification.visit_date
    if day is None:
        raise _refuse("visit_date", _("Record the date of the site visit before validating."))
    text = str(report).strip() if report not in (None, "") else verification.recommendation.strip()
    if not text:
        raise _refuse("recommendation", _("Write the recommendation before validating."))
    if (day, text) != (verification.visit_date, verification.recommendation):
        verification.visit_date, verification.recommendation = day, text
        verification.save(update_fields=["visit_date", "recommendation", "updated_at"])
    return verification
