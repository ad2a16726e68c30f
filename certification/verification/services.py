"""The assistant's verification (verval) of a self-declare case: every write of it, and the checks `pph_validate`
and the assistant's `return` read.

The checklist has one line per ingredient and per process step of the case's products (conforms / does not
conform / doubtful; the last two need a note). The site visit has a date, an optional GPS position (taken by the
browser when the assistant allows it, within Indonesia's bounds) and photos (decoded and re-encoded by
core.files.images, so only real images are kept, without their metadata). Only the assistant assigned to the case edits
it, while the case is in `pph_verification`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Ingredient, ProcessStep
from certification.models import Application, Verification, VerificationItem, VerificationPhoto
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


def _refuse(key: str, message: str) -> DomainError:
    return DomainError(message, errors={key: [message]})


@dataclass(frozen=True)
class Subject:
    """One line of the checklist: an ingredient or a process step of one of the case's products."""

    key: str  # "ingredient-12" or "step-7": the form's and the API's name of the line
    kind: str  # "ingredient" or "step"
    product: Any
    obj: Any
    item: VerificationItem | None

    @property
    def label(self) -> str:
        if self.kind == "ingredient":
            return str(self.obj.name)
        return f"{self.obj.order}. {self.obj.get_stage_display()}"


def checklist(application: Application, verification: Verification | None = None) -> list[Subject]:
    """Every line of the case's checklist in order (product by name, its ingredients, then its steps), with the
    item recorded for it (None when the assistant has not judged it yet). Three queries."""
    products = list(application.products.order_by("name", "id"))
    ids = [p.pk for p in products]
    ingredients = list(Ingredient.objects.filter(product_id__in=ids).order_by("id"))
    steps = list(ProcessStep.objects.filter(product_id__in=ids).order_by("order", "id"))
    items: dict[str, VerificationItem] = {}
    if verification is not None and verification.pk is not None:
        for item in verification.items.all():
            key = f"ingredient-{item.ingredient_id}" if item.ingredient_id else f"step-{item.step_id}"
            items[key] = item
    rows: list[Subject] = []
    for product in products:
        for ingredient in (i for i in ingredients if i.product_id == product.pk):
            key = f"ingredient-{ingredient.pk}"
            rows.append(Subject(key, "ingredient", product, ingredient, items.get(key)))
        for step in (s for s in steps if s.product_id == product.pk):
            key = f"step-{step.pk}"
            rows.append(Subject(key, "step", product, step, items.get(key)))
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
        f"- {row.product.name} · {row.label}: {row.item.get_verdict_display()} — {row.item.note.strip()}"
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


def _check_items(rows: Sequence[Subject], entries: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, str]]:
    """{key: (verdict, note)} for every line given; refuses an unknown line, an unknown verdict, a note without a
    verdict and a finding without a note."""
    by_key = {row.key: row for row in rows}
    verdicts = set(VerificationItem.Verdict.values)
    checked: dict[str, tuple[str, str]] = {}
    for key, entry in entries.items():
        row = by_key.get(key)
        if row is None:
            raise _refuse("items", _("The checklist line “%(key)s” is not part of this case.") % {"key": key})
        verdict = str(entry.get("verdict") or "").strip()
        note = str(entry.get("note") or "").strip()
        name = f"{row.product.name} · {row.label}"
        if len(note) > MAX_NOTE_CHARS:
            raise _refuse(key, _("Keep the note under %(max)s characters.") % {"max": MAX_NOTE_CHARS})
        if not verdict:
            if note:
                raise _refuse(key, _("Choose a verdict for “%(name)s”.") % {"name": name})
            continue
        if verdict not in verdicts:
            raise _refuse(
                key,
                _("Choose “conforms”, “does not conform” or “doubtful” for “%(name)s”.") % {"name": name},
            )
        if verdict != VerificationItem.Verdict.CONFORMS and not note:
            raise _refuse(
                key,
                _("Write a note for “%(name)s”: what does not conform or is doubtful, and what the owner should do.")
                % {"name": name},
            )
        checked[key] = (verdict, note)
    return checked


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
        for key, (verdict, note) in checked.items():
            row = by_key[key]
            target = {"ingredient": row.obj} if row.kind == "ingredient" else {"step": row.obj}
            VerificationItem.objects.update_or_create(
                verification=verification, **target, defaults={"verdict": verdict, "note": note}
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
        names = ", ".join(f"{row.product.name} · {row.label}" for row in missing[:5])
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
            % {"count": len(failing), "names": ", ".join(f"{r.product.name} · {r.label}" for r in failing[:5])},
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
