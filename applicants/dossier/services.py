"""Writes of the dossier: people, facilities, and the checks on a product's ingredients and process steps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.dossier.classification import certificate_problem, never_exempt_term, normalise_issuer
from applicants.models import Business, Document, Facility, Ingredient, Person, PositiveListEntry, ProcessStep, Product
from applicants.nik import InvalidNik, nik_read
from applicants.scale import RANK, Scale, scale_by_sales
from applicants.selectors import latest_figures
from core.access import roles
from core.errors import DomainError
from core.validators import has_visible_text

PERSON_FIELDS = ("name", "position", "phone", "nik", "religion", "appointment_letter", "cv", "training_certificate")
FACILITY_FIELDS = ("kind", "name", "address", "region", "latitude", "longitude")
MAX_STEPS = 50


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


def _ensure_owner(actor: Any, business: Business) -> None:
    if business.owner_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise _refuse("business", _("Only the owner of this business may change it."))


def check_nik(nik: str) -> str:
    """The NIK as stored (digits only), or a refusal naming what is wrong (applicants.nik)."""
    try:
        return nik_read(nik).number
    except InvalidNik as error:
        raise _refuse("nik", str(error)) from None


@transaction.atomic
def person_save(*, actor: Any, business: Business, role: str, fields: Mapping[str, Any]) -> Person:
    """Create or replace the business's person in `role` (one person responsible, one halal supervisor)."""
    _ensure_owner(actor, business)
    if role not in Person.Role.values:
        raise _refuse("role", _("Choose the person's role."))
    values = {k: fields.get(k) for k in PERSON_FIELDS if k in fields}
    owner_acts = role == Person.Role.SUPERVISOR and bool(fields.get("owner_acts"))
    if owner_acts:
        _check_owner_may_supervise(business)
        values["name"] = (values.get("name") or "").strip() or business.owner.full_name
        values["position"] = values.get("position") or _("Owner")
        values["phone"] = values.get("phone") or business.phone
    values["owner_acts"] = owner_acts
    if not has_visible_text(values.get("name") or ""):
        raise _refuse("name", _("Enter the person's name."))
    nik = (values.get("nik") or "").strip()
    values["nik"] = nik
    if role == Person.Role.SUPERVISOR:
        values["nik"] = check_nik(nik)
        if values.get("religion") != Person.Religion.ISLAM:
            raise _refuse("religion", _("The halal supervisor must be a Muslim (UU 33/2014 art. 28)."))
    elif nik:
        values["nik"] = check_nik(nik)
    if values.get("religion") and values["religion"] not in Person.Religion.values:
        raise _refuse("religion", _("Choose the religion from the list."))
    for key in ("appointment_letter", "cv", "training_certificate"):
        document = values.get(key)
        if document is not None and (not isinstance(document, Document) or document.business_id != business.pk):
            raise _refuse(key, _("The document belongs to another business."))
    for key in ("position", "phone", "religion"):
        values[key] = values.get(key) or ""
    with transaction.atomic():
        person, _created = Person.objects.update_or_create(business=business, role=role, defaults=values)
        if role == Person.Role.SUPERVISOR and business.halal_supervisor != person.name:
            # One supervisor, one place: the business's supervisor field is derived from the person record.
            business.halal_supervisor = person.name
            business._history_user = actor  # type: ignore[attr-defined]
            business.save(update_fields=["halal_supervisor", "updated_at"])
    return person


def _check_owner_may_supervise(business: Business) -> None:
    """Only a micro or small business's owner may be its own halal supervisor (PP 42/2024, as PP 39/2021 before it;
    shared/domain/regulations.json); a medium or large one (PP 7/2021, latest sales) appoints a trained supervisor."""
    figures = latest_figures(business)
    if figures is not None and RANK[scale_by_sales(max(figures.annual_sales, 0))] >= RANK[Scale.MEDIUM]:
        raise _refuse(
            "owner_acts",
            _(
                "Only the owner of a micro or small business may act as its halal supervisor; a medium or large "
                "business appoints a trained halal supervisor."
            ),
        )


def facility_add(*, actor: Any, business: Business, fields: Mapping[str, Any]) -> Facility:
    _ensure_owner(actor, business)
    values = {k: fields.get(k) for k in FACILITY_FIELDS}
    if values["kind"] not in Facility.Kind.values:
        raise _refuse("kind", _("Choose the kind of facility."))
    if not has_visible_text(values.get("name") or ""):
        raise _refuse("name", _("Enter the facility's name."))
    if not has_visible_text(values.get("address") or ""):
        raise _refuse("address", _("Enter the facility's address."))
    if values.get("region") is None:
        raise _refuse("region", _("Choose the facility's regency or city."))
    values["latitude"], values["longitude"] = _position(values.get("latitude"), values.get("longitude"))
    return Facility.objects.create(business=business, **values)


def _position(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither, in range (decimal degrees, as a phone's map shows them)."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lng = Decimal(str(latitude).replace(",", ".")), Decimal(str(longitude).replace(",", "."))
    except InvalidOperation:
        raise _refuse(
            "latitude", _("Enter both coordinates as decimal degrees, for example -5.4292 and 105.2610.")
        ) from None
    if not (lat.is_finite() and lng.is_finite() and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise _refuse("latitude", _("Enter both coordinates as decimal degrees, for example -5.4292 and 105.2610."))
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


def facility_delete(*, actor: Any, facility: Facility) -> None:
    _ensure_owner(actor, facility.business)
    facility.delete()


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def check_ingredients(rows: Sequence[Mapping[str, Any]]) -> None:
    """Duplicates, the halal certificate (issuer, number format per issuer, validity), and positive-list matches or
    exemption claims on names that are never exempt; refused before anything is written."""
    seen: set[str] = set()
    today = timezone.localdate()
    for row in rows:
        name = str(row.get("name") or "").strip()
        if _key(name) in seen:
            raise _refuse("ingredients", _("The ingredient “%(name)s” is listed twice.") % {"name": name})
        seen.add(_key(name))
        kind = row.get("kind")
        if kind and kind not in Ingredient.Kind.values:
            raise _refuse("ingredients", _("“%(name)s”: choose the ingredient's type.") % {"name": name})
        number = str(row.get("halal_certificate_number") or "").strip().upper()
        issuer = normalise_issuer(row.get("certificate_issuer"), number)
        if row.get("certificate_issuer") and not issuer:
            raise _refuse(
                "ingredients",
                _("“%(name)s”: choose who issued the halal certificate (BPJPH, MUI or a foreign halal body).")
                % {"name": name},
            )
        if (row.get("certificate_valid_until") or issuer) and not number:
            raise _refuse(
                "ingredients",
                _("“%(name)s”: enter the halal certificate's number with its issuer and validity.") % {"name": name},
            )
        if number:
            problem = certificate_problem(
                number=number,
                issuer=issuer,
                body=str(row.get("certificate_body") or ""),
                valid_until=row.get("certificate_valid_until"),
                today=today,
            )
            if problem:
                message = _(
                    "“%(name)s”: %(problem)s. Ask the producer for the current certificate or choose another "
                    "ingredient."
                ) % {"name": name, "problem": problem}
                raise _refuse("ingredients", message)
        term = never_exempt_term(name)
        entry = row.get("positive_list_entry")
        if entry is not None:
            if not isinstance(entry, PositiveListEntry) or not entry.active:
                raise _refuse(
                    "ingredients",
                    _("“%(name)s”: choose a material that is on the positive list.") % {"name": name},
                )
            if term:
                raise _refuse(
                    "ingredients",
                    _(
                        "“%(name)s” cannot be matched to the positive list entry “%(entry)s”: %(term)s is never exempt "
                        "when processed. Enter its halal certificate instead."
                    )
                    % {"name": name, "entry": entry.name, "term": term},
                )
        if row.get("exempt_claim") and term and not number:
            raise _refuse(
                "ingredients",
                _(
                    "“%(name)s” cannot be claimed exempt: %(term)s is never exempt when processed. Enter its halal "
                    "certificate instead."
                )
                % {"name": name, "term": term},
            )


def positive_entry_for(row: Mapping[str, Any]) -> PositiveListEntry | None:
    """The chosen positive-list entry, or the active entry whose name is the ingredient's name (never for a name
    that is never exempt)."""
    entry = row.get("positive_list_entry")
    if isinstance(entry, PositiveListEntry):
        return entry
    name = _key(str(row.get("name") or ""))
    if never_exempt_term(name):
        return None
    return PositiveListEntry.objects.filter(active=True, name__iexact=name).first()


def check_steps(product: Product, steps: Sequence[Mapping[str, Any]], ingredient_names: set[str]) -> None:
    if len(steps) > MAX_STEPS:
        raise _refuse("steps", _("A product may have at most %(limit)s process steps.") % {"limit": MAX_STEPS})
    for number, step in enumerate(steps, start=1):
        if step.get("stage") not in ProcessStep.Stage.values:
            raise _refuse("steps", _("Step %(n)s: choose the stage.") % {"n": number})
        if not has_visible_text(str(step.get("description") or "")):
            raise _refuse("steps", _("Step %(n)s: describe what happens at this step.") % {"n": number})
        for name in step.get("ingredients") or []:
            if _key(str(name)) not in ingredient_names:
                raise _refuse(
                    "steps",
                    _("Step %(n)s uses “%(name)s”, which is not among the product's ingredients.")
                    % {"n": number, "name": name},
                )


def write_steps(product: Product, steps: Sequence[Mapping[str, Any]]) -> None:
    """Replace the product's steps, in the order given, linking each to its ingredients by name (a name no longer
    among the ingredients is dropped from the step, the step stays)."""
    product.steps.all().delete()
    by_name = {_key(i.name): i for i in product.ingredients.all()}
    for order, step in enumerate(steps, start=1):
        row = ProcessStep.objects.create(
            product=product, order=order, stage=step["stage"], description=str(step["description"]).strip()
        )
        row.ingredients.set([by_name[_key(str(n))] for n in step.get("ingredients") or [] if _key(str(n)) in by_name])
