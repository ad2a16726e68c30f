"""Every write to distribution permits. Only the product's owner writes; bad input writes nothing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applicants.models import Product
from applicants.models.permits import MD_PATTERN, PIRT_PATTERN, DistributionPermit
from applicants.selectors import file_held
from core.access import roles
from core.errors import DomainError
from core.files.uploads import stored_suffix, validate_upload

PERMIT_FIELDS = ("kind", "number", "issuer", "issued_on", "expires_on")
_SEPARATORS = str.maketrans("", "", " .-/")


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


def normalise_number(kind: str, number: str) -> str:
    """The number as stored: without the spaces, dots, dashes and slashes people type; MD in capitals."""
    value = (number or "").strip().upper().translate(_SEPARATORS)
    if kind == DistributionPermit.Kind.PIRT and value.startswith("PIRTNO"):
        value = value[len("PIRTNO") :]
    elif kind == DistributionPermit.Kind.PIRT and value.startswith("PIRT"):
        value = value[len("PIRT") :]
    if kind == DistributionPermit.Kind.BPOM_MD and value.startswith("BPOMRI"):
        value = value[len("BPOMRI") :]
    return value


@lru_cache(maxsize=1)
def pirt_rules() -> dict[str, Any]:
    """The SPP-IRT rules with their sources (applicants/data/pirt_rules.json)."""
    return dict(json.loads((Path(__file__).resolve().parent.parent / "data" / "pirt_rules.json").read_text("utf-8")))


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def needs_md(product_name: str) -> dict[str, Any] | None:
    """The food type, by the product's name, that cannot carry a PIRT and needs a BPOM MD registration, or None."""
    name = product_name.lower()
    return next((row for row in pirt_rules()["needs_md"] if any(t in name for t in row["terms"])), None)


def _check_pirt_and_md(kind: str, number: str, issued_on: Any, expires_on: Any, product_name: str) -> None:
    rules = pirt_rules()
    if kind == DistributionPermit.Kind.PIRT and product_name:
        food = needs_md(product_name)
        if food is not None:
            raise _refuse(
                "kind",
                _("“%(product)s” is %(food)s: it cannot carry a PIRT and needs a BPOM MD registration (%(source)s).")
                % {"product": product_name, "food": food["name"], "source": rules["needs_md_source"]},
            )
    if kind == DistributionPermit.Kind.PIRT and expires_on and int(number[-2:]) != expires_on.year % 100:
        raise _refuse(
            "expires_on",
            _(
                "The last two digits of the P-IRT number (%(digits)s) give the year it ends, 20%(digits)s, but the "
                "expiry date entered is in %(year)s. Check the number and the date."
            )
            % {"digits": number[-2:], "year": expires_on.year},
        )
    years = rules["max_validity_years"].get(kind)
    if years and issued_on and expires_on and expires_on > years_after(issued_on, years):
        raise _refuse(
            "expires_on",
            _("A %(kind)s is valid for at most %(years)s years (%(source)s): from %(issued)s it ends by %(last)s.")
            % {
                "kind": DistributionPermit.Kind(kind).label,
                "years": years,
                "source": rules["validity_sources"][kind],
                "issued": issued_on.strftime("%d-%m-%Y"),
                "last": years_after(issued_on, years).strftime("%d-%m-%Y"),
            },
        )


def check_permit(fields: Mapping[str, Any], *, product_name: str = "") -> dict[str, Any]:
    """Validate a permit's fields (for the product named, when given); return them cleaned, or raise a DomainError
    naming the field."""
    kind = fields.get("kind") or ""
    if kind not in DistributionPermit.Kind.values:
        raise _refuse("kind", _("Choose the kind of permit."))
    number = normalise_number(kind, str(fields.get("number") or ""))
    issued_on: datetime.date | None = fields.get("issued_on")
    expires_on: datetime.date | None = fields.get("expires_on")
    issuer = str(fields.get("issuer") or "").strip()[:150]
    if kind == DistributionPermit.Kind.NONE:
        return {"kind": kind, "number": "", "issuer": "", "issued_on": None, "expires_on": None}
    if kind == DistributionPermit.Kind.PIRT and not PIRT_PATTERN.match(number):
        raise _refuse("number", _("A PIRT number has exactly 15 digits, for example 206187101012325."))
    if kind == DistributionPermit.Kind.BPOM_MD and not MD_PATTERN.match(number):
        raise _refuse("number", _("A BPOM MD number is MD followed by 12 digits, for example MD 224512345678."))
    if issued_on and expires_on and expires_on <= issued_on:
        raise _refuse("expires_on", _("The expiry date must be after the issue date."))
    if expires_on and not issued_on:
        raise _refuse("issued_on", _("Enter the issue date as well as the expiry date."))
    _check_pirt_and_md(kind, number, issued_on, expires_on, product_name)
    return {"kind": kind, "number": number, "issuer": issuer, "issued_on": issued_on, "expires_on": expires_on}


def _ensure_owner(actor: Any, product: Product) -> None:
    if product.business.owner_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise _refuse("product", _("Only the owner of this business may change it."))


def _attach(permit: DistributionPermit, file: Any) -> None:
    content_type = validate_upload(file, field="document")
    permit.document_name = str(file.name)[:255]
    permit.document_content_type = content_type
    permit.document.save(f"permit{stored_suffix(content_type)}", file, save=False)


def _save(permit: DistributionPermit, *, new_file: bool) -> DistributionPermit:
    try:
        with transaction.atomic():
            permit.save()
            if permit.kind != DistributionPermit.Kind.NONE:
                # A real permit replaces the "none yet" placeholder.
                DistributionPermit.objects.filter(product=permit.product, kind=DistributionPermit.Kind.NONE).delete()
    except IntegrityError:
        if new_file and permit.document:
            permit.document.delete(save=False)
        raise _refuse("kind", _("This product already has a permit of this kind; edit that one.")) from None
    return permit


def permit_create(*, actor: Any, product: Product, fields: Mapping[str, Any], file: Any = None) -> DistributionPermit:
    _ensure_owner(actor, product)
    values = check_permit(fields, product_name=product.name)
    if (
        values["kind"] == DistributionPermit.Kind.NONE
        and product.permits.exclude(kind=DistributionPermit.Kind.NONE).exists()
    ):
        raise _refuse("kind", _("This product already has a permit; edit or delete it instead."))
    if file is not None:
        validate_upload(file, field="document")
    permit = DistributionPermit(product=product, created_by=actor, **values)
    if file is not None:
        _attach(permit, file)
    return _save(permit, new_file=file is not None)


def permit_update(
    *, actor: Any, permit: DistributionPermit, fields: Mapping[str, Any], file: Any = None
) -> DistributionPermit:
    _ensure_owner(actor, permit.product)
    current = {name: getattr(permit, name) for name in PERMIT_FIELDS}
    values = check_permit({**current, **fields}, product_name=permit.product.name)
    if file is not None:
        validate_upload(file, field="document")
    old_name = permit.document.name if file is not None and permit.document else None
    for name, value in values.items():
        setattr(permit, name, value)
    if file is not None:
        _attach(permit, file)
    saved = _save(permit, new_file=file is not None)
    if old_name and old_name != permit.document.name and not file_held(old_name):  # evidence keeps its scan
        storage = permit.document.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return saved


def permit_delete(*, actor: Any, permit: DistributionPermit) -> None:
    _ensure_owner(actor, permit.product)
    stored = permit.document
    permit.delete()
    if stored and not file_held(stored.name):  # a scan a submitted case rests on stays with that case
        transaction.on_commit(lambda: stored.delete(save=False))


def permit_record_bpom_registration(*, product: Product, number: str, recorded_by: Any) -> DistributionPermit:
    """Record the BPOM MD number a facilitation case obtained (the office saw the registration itself).

    Called by the facilitation service inside its transaction; replaces the "none yet" placeholder and updates an
    MD permit already recorded for the product."""
    values = check_permit({"kind": DistributionPermit.Kind.BPOM_MD, "number": number, "issuer": "BPOM RI"})
    permit = DistributionPermit.objects.filter(product=product, kind=DistributionPermit.Kind.BPOM_MD).first()
    if permit is None:
        permit = DistributionPermit(product=product, created_by=recorded_by, **values)
    else:
        permit.number, permit.issuer = values["number"], values["issuer"]
    return _save(permit, new_file=False)
