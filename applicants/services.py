"""Every write to the registry. Services take the acting user, never a request; history rows name that user."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.dossier.classification import normalise_issuer
from applicants.dossier.generation import dossier_changed
from applicants.dossier.services import check_ingredients, check_steps, positive_entry_for, write_steps
from applicants.models import BUSINESS_FIELDS, AnnualFigures, Business, Document, Ingredient, Kbli, Product, Region
from applicants.selectors import evidence_holds
from core.access import roles
from core.errors import Conflict, DomainError
from core.files.uploads import file_sha256, stored_suffix, validate_upload
from core.validators import MAX_PEOPLE, MAX_RUPIAH, has_visible_text

FIGURES_MONEY = ("annual_sales", "operating_expenses", "capital", "export_value")
PRODUCT_FIELDS = (
    "name",
    "category",
    "description",
    "process",
    "preservation_methods",
    "irradiated",
    "ozonated",
    "genetically_engineered",
    "contains_slaughtered",
    "slaughterhouse_certificate",
    "brand",
    "packaging",
    "kbli",
)
INGREDIENT_FIELDS = (
    "name",
    "kind",
    "producer",
    "brand",
    "halal_certificate_number",
    "certificate_issuer",
    "certificate_body",
    "certificate_valid_until",
    "exempt_claim",
    "positive_list_entry",
    "supplier",
)
OLDEST_YEAR = 1945
# Rows per INSERT of a batch (batch_write).
BATCH_SIZE = 1000


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


def _full_clean(instance: Any, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's validators; their first message becomes a DomainError carrying every field's messages."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        field, messages = next(iter(errors.items()))
        raise DomainError(
            f"{instance._meta.get_field(field).verbose_name}: {messages[0]}" if field != "__all__" else messages[0],
            errors=errors,
        ) from None


def _ensure_owner(actor: Any, business: Business) -> None:
    """Only the owner changes a business's records (staff read; administrators correct in the admin site)."""
    if business.owner_id != actor.pk and not roles.has_role(actor, roles.ADMIN):
        raise _refuse("business", _("Only the owner of this business may change it."))


def _check_nib(nib: str, *, exclude_pk: int | None = None) -> None:
    if not (len(nib) == 13 and nib.isascii() and nib.isdigit()):
        raise _refuse("nib", _("The NIB must be exactly 13 digits."))
    clash = Business.objects.filter(nib=nib)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _refuse("nib", _("A business with NIB %(nib)s is already registered.") % {"nib": nib})


def _check_workforce(value: Any) -> None:
    if value is None or int(value) < 1:
        raise _refuse("workforce", _("The workforce must be at least 1 person (the owner counts)."))
    if int(value) > MAX_PEOPLE:
        raise _refuse("workforce", _("The workforce must be at most %(limit)s people.") % {"limit": f"{MAX_PEOPLE:,}"})


def kbli_codes() -> frozenset[str]:
    """Every code of the shipped KBLI list (one query): a batch (the office import) checks against it in memory."""
    return frozenset(Kbli.objects.values_list("code", flat=True))


def _check_kbli(code: str, field: str = "kbli", *, known: Collection[str] | None = None) -> None:
    """A food or beverage code (KBLI 2020 divisions 10 and 11) must be one of the shipped list; other divisions
    (catering is 56) are not listed here and stay free 5-digit codes. `known`: the list, already read (kbli_codes)."""
    if not code or code[:2] not in ("10", "11"):
        return
    listed = code in known if known is not None else Kbli.objects.filter(code=code).exists()
    if not listed:
        raise _refuse(
            field, _("KBLI %(code)s is not in the KBLI 2020 list; choose the code from the list.") % {"code": code}
        )


def _save_business(business: Business, *, actor: Any, update_fields: list[str] | None = None) -> Business:
    _check_nib(business.nib, exclude_pk=business.pk)
    _check_kbli(business.kbli)
    _check_workforce(business.workforce)
    _full_clean(business, exclude=["owner"])
    business._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            business.save(update_fields=update_fields)
    except IntegrityError:
        # Two submissions raced past the check above; the unique index decided.
        raise _refuse("nib", _("A business with NIB %(nib)s is already registered.") % {"nib": business.nib}) from None
    return business


def business_create(*, actor: Any, fields: Mapping[str, Any], owner: Any = None) -> Business:
    """Register a business. An owner registers their own; staff may register one for an owner (a batch of them, the
    office import, goes through batch_add_business: the same checks)."""
    owner = owner or actor
    if owner.pk != actor.pk and not roles.is_staff_member(actor):
        raise _refuse("owner", _("You may only register your own business."))
    business = Business(owner=owner, **{k: v for k, v in fields.items() if k in BUSINESS_FIELDS})
    return _save_business(business, actor=actor)


def business_update(*, actor: Any, business: Business, fields: Mapping[str, Any]) -> Business:
    _ensure_owner(actor, business)
    changed = [k for k in fields if k in BUSINESS_FIELDS]
    for key in changed:
        setattr(business, key, fields[key])
    if not changed:
        return business
    return _save_business(business, actor=actor, update_fields=[*changed, "updated_at"])


def _check_figures(*, year: int, money: Mapping[str, int], workforce: int) -> None:
    this_year = timezone.localdate().year
    if year > this_year:
        raise _refuse("year", _("The year %(year)s is in the future.") % {"year": year})
    if year < OLDEST_YEAR:
        raise _refuse("year", _("The year must be %(oldest)s or later.") % {"oldest": OLDEST_YEAR})
    for field, value in money.items():
        label = getattr(AnnualFigures._meta.get_field(field), "verbose_name", field)
        if value is not None and int(value) < 0:
            raise _refuse(field, _("%(field)s cannot be negative.") % {"field": label})
        if value is not None and int(value) > MAX_RUPIAH:
            raise _refuse(field, _("%(field)s: at most Rp 1.000.000.000.000.000 (10^15).") % {"field": label})
    _check_workforce(workforce)


def _checked_figures(
    *, actor: Any, business: Business, year: int, workforce: int, money: dict[str, int]
) -> AnnualFigures:
    """The checks figures_create and the office import share, and the unsaved row they both write."""
    _ensure_owner(actor, business)
    _check_figures(year=year, money=money, workforce=workforce)
    figures = AnnualFigures(business=business, year=year, workforce=workforce, **money)
    figures._history_user = actor  # type: ignore[attr-defined]
    return figures


def figures_create(
    *,
    actor: Any,
    business: Business,
    year: int,
    annual_sales: int,
    operating_expenses: int,
    workforce: int,
    capital: int = 0,
    export_value: int = 0,
) -> AnnualFigures:
    money = {
        "annual_sales": annual_sales,
        "operating_expenses": operating_expenses,
        "capital": capital,
        "export_value": export_value,
    }
    figures = _checked_figures(actor=actor, business=business, year=year, workforce=workforce, money=money)
    if business.figures.filter(year=year).exists():
        raise _refuse("year", _("Figures for %(year)s are already filed; edit them instead.") % {"year": year})
    try:
        with transaction.atomic():
            figures.save()
    except IntegrityError:
        raise _refuse(
            "year", _("Figures for %(year)s are already filed; edit them instead.") % {"year": year}
        ) from None
    return figures


# --- Batches (the office import): the same checks, with what they read read once, and the writes in bulk ----------
@dataclass
class Batch:
    """What a batch's checks read once: the KBLI list, the regions, and the NIBs already taken (grown by every
    business the batch accepts, so a NIB twice in one file is refused like a NIB already registered)."""

    known_kbli: Collection[str]
    region_ids: Collection[int]
    taken_nibs: set[str]
    businesses: list[Business] = dataclass_field(default_factory=list)
    figures: list[AnnualFigures] = dataclass_field(default_factory=list)


def batch_start(*, nibs: Iterable[str]) -> Batch:
    """Read once what the batch's checks need (three queries whatever its size)."""
    wanted = list({nib for nib in nibs if nib})
    taken = set(Business.objects.filter(nib__in=wanted).values_list("nib", flat=True)) if wanted else set()
    return Batch(known_kbli=kbli_codes(), region_ids=set(Region.objects.values_list("pk", flat=True)), taken_nibs=taken)


def batch_add_business(batch: Batch, *, actor: Any, fields: Mapping[str, Any], owner: Any) -> Business:
    """Every check of business_create (same order, same messages), against the batch's data, without a query;
    the business is written by batch_write."""
    if owner.pk != actor.pk and not roles.is_staff_member(actor):
        raise _refuse("owner", _("You may only register your own business."))
    business = Business(owner=owner, **{k: v for k, v in fields.items() if k in BUSINESS_FIELDS})
    nib = business.nib
    if not (len(nib) == 13 and nib.isascii() and nib.isdigit()):
        raise _refuse("nib", _("The NIB must be exactly 13 digits."))
    if nib in batch.taken_nibs:
        raise _refuse("nib", _("A business with NIB %(nib)s is already registered.") % {"nib": nib})
    _check_kbli(business.kbli, known=batch.known_kbli)
    _check_workforce(business.workforce)
    # The region is checked against the regions read once (full_clean would read it again for every row).
    _full_clean(business, exclude=["owner", "region"])
    if business.region_id not in batch.region_ids:
        raise _refuse("region", _("Choose a region from the list."))
    batch.taken_nibs.add(nib)
    business._history_user = actor  # type: ignore[attr-defined]
    batch.businesses.append(business)
    return business


def batch_add_figures(
    batch: Batch,
    *,
    actor: Any,
    business: Business,
    year: int,
    annual_sales: int,
    operating_expenses: int,
    workforce: int,
    capital: int = 0,
    export_value: int = 0,
) -> AnnualFigures:
    """Every check of figures_create for a business of this batch (new, so no year is filed yet)."""
    money = {
        "annual_sales": annual_sales,
        "operating_expenses": operating_expenses,
        "capital": capital,
        "export_value": export_value,
    }
    figures = _checked_figures(actor=actor, business=business, year=year, workforce=workforce, money=money)
    batch.figures.append(figures)
    return figures


def batch_write(batch: Batch) -> None:
    """Write the batch's businesses and figures with their history rows, in bulk (a handful of queries per 1,000).
    The unique index on the NIB still decides a race with someone registering the same NIB meanwhile."""
    from simple_history.utils import bulk_create_with_history

    try:
        with transaction.atomic():
            bulk_create_with_history(batch.businesses, Business, batch_size=BATCH_SIZE)
            bulk_create_with_history(batch.figures, AnnualFigures, batch_size=BATCH_SIZE)
    except IntegrityError:
        raise _refuse(
            "nib", _("A business with one of these NIBs was registered meanwhile; check the file again.")
        ) from None


def figures_update(*, actor: Any, figures: AnnualFigures, fields: Mapping[str, Any]) -> AnnualFigures:
    _ensure_owner(actor, figures.business)
    if "year" in fields and fields["year"] != figures.year:
        raise _refuse(
            "year",
            _("The year of filed figures cannot be changed; file the figures of %(year)s as a new year instead.")
            % {"year": fields["year"]},
        )
    allowed = [k for k in fields if k in (*FIGURES_MONEY, "workforce")]
    for key in allowed:
        setattr(figures, key, fields[key])
    _check_figures(
        year=figures.year, money={k: getattr(figures, k) for k in FIGURES_MONEY}, workforce=figures.workforce
    )
    figures._history_user = actor  # type: ignore[attr-defined]
    if allowed:
        figures.save(update_fields=allowed)
    return figures


def figures_upsert(*, actor: Any, business: Business, year: int, **values: Any) -> AnnualFigures:
    """File a year's figures, or correct them when that year is already filed."""
    existing = business.figures.filter(year=year).first()
    if existing is None:
        return figures_create(actor=actor, business=business, year=year, **values)
    return figures_update(actor=actor, figures=existing, fields=values)


def _check_product(product: Product, ingredients: list[Mapping[str, Any]]) -> None:
    if not has_visible_text(product.name or ""):
        raise _refuse("name", _("The product needs a name."))
    if len(ingredients) > settings.API_MAX_NESTED_ITEMS:
        raise _refuse(
            "ingredients",
            _("A product may list at most %(limit)s ingredients; this one lists %(count)s.")
            % {"limit": settings.API_MAX_NESTED_ITEMS, "count": len(ingredients)},
        )
    if product.contains_slaughtered and not product.slaughterhouse_certificate:
        raise _refuse(
            "slaughterhouse_certificate",
            _("A product with slaughtered-animal ingredients needs the slaughterhouse's halal certificate number."),
        )
    for row in ingredients:
        if not has_visible_text(row.get("name") or ""):
            raise _refuse("ingredients", _("Every ingredient needs a name."))
    check_ingredients(ingredients)
    _check_kbli(product.kbli)
    twin = Product.objects.filter(business_id=product.business_id, name__iexact=(product.name or "").strip())
    if twin.exclude(pk=product.pk).exists():
        raise _refuse("name", _("This business already has a product named “%(name)s”.") % {"name": product.name})
    _full_clean(product, exclude=["business"])


def _write_ingredients(product: Product, ingredients: list[Mapping[str, Any]]) -> None:
    product.ingredients.all().delete()
    rows = []
    for row in ingredients:
        values = {k: v for k, v in row.items() if k in INGREDIENT_FIELDS and v is not None}
        values["kind"] = values.get("kind") or Ingredient.Kind.RAW
        number = str(values.get("halal_certificate_number") or "").strip().upper()
        values["halal_certificate_number"] = number
        values["certificate_issuer"] = normalise_issuer(values.get("certificate_issuer"), number) if number else ""
        values["certificate_body"] = str(values.get("certificate_body") or "").strip() if number else ""
        entry = positive_entry_for(row)
        values["positive_list_entry"] = entry
        # A claim is only a claim where nothing proves the ingredient: a positive-list match or a certificate wins.
        values["exempt_claim"] = bool(row.get("exempt_claim")) and entry is None and not number
        rows.append(Ingredient(product=product, **values))
    Ingredient.objects.bulk_create(rows)
    dossier_changed(business_id=product.business_id)  # bulk_create sends no signal


def _ingredient_names(ingredients: list[Mapping[str, Any]]) -> set[str]:
    return {" ".join(str(row.get("name") or "").lower().split()) for row in ingredients}


@transaction.atomic
def product_create(
    *,
    actor: Any,
    business: Business,
    fields: Mapping[str, Any],
    ingredients: list[Mapping[str, Any]],
    steps: list[Mapping[str, Any]] | None = None,
) -> Product:
    _ensure_owner(actor, business)
    product = Product(business=business, **{k: v for k, v in fields.items() if k in PRODUCT_FIELDS})
    _check_product(product, ingredients)
    check_steps(product, steps or [], _ingredient_names(ingredients))
    product.save()
    _write_ingredients(product, ingredients)
    if steps:
        write_steps(product, steps)
    return product


@transaction.atomic
def product_update(
    *,
    actor: Any,
    product: Product,
    fields: Mapping[str, Any],
    ingredients: list[Mapping[str, Any]] | None = None,
    steps: list[Mapping[str, Any]] | None = None,
) -> Product:
    """Change a product; when `ingredients` (or `steps`) is given it replaces the whole list."""
    _ensure_owner(actor, product.business)
    changed = [k for k in fields if k in PRODUCT_FIELDS]
    for key in changed:
        setattr(product, key, fields[key])
    _check_product(product, ingredients or [])
    names = (
        _ingredient_names(ingredients)
        if ingredients is not None
        else {" ".join(i.name.lower().split()) for i in product.ingredients.all()}
    )
    check_steps(product, steps or [], names)
    if changed:
        product.save(update_fields=changed)
    if ingredients is not None:
        # The steps name ingredients; replacing the ingredients keeps the steps' links by name.
        kept = steps if steps is not None else _steps_of(product)
        _write_ingredients(product, ingredients)
        write_steps(product, kept)
    elif steps is not None:
        write_steps(product, steps)
    return product


def _steps_of(product: Product) -> list[dict[str, Any]]:
    return [
        {"stage": s.stage, "description": s.description, "ingredients": [i.name for i in s.ingredients.all()]}
        for s in product.steps.prefetch_related("ingredients")
    ]


def product_delete(*, actor: Any, product: Product) -> None:
    _ensure_owner(actor, product.business)
    product.delete()


def document_upload(
    *, actor: Any, business: Business, kind: str, file: Any, product: Product | None = None
) -> Document:
    """Store a validated file under a random name; the original name is kept for display only, the content's
    SHA-256 for the evidence of the submissions that will rest on it."""
    _ensure_owner(actor, business)
    if kind not in Document.Kind.values:
        raise _refuse("kind", _("Choose the kind of document."))
    if product is not None and product.business_id != business.pk:
        raise _refuse("product", _("The product belongs to another business."))
    content_type = validate_upload(file)
    document = Document(
        business=business,
        product=product,
        kind=kind,
        original_name=str(file.name)[:255],
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
        sha256=file_sha256(file),
    )
    # Stored under the suffix of the sniffed type (a PDF named `.html` is stored, and downloaded, as `.pdf`).
    document.file.save(f"document{stored_suffix(content_type)}", file, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_fingerprint(*, document: Document) -> str:
    """The document's SHA-256; for a file uploaded before hashes were kept, computed from the stored file once and
    recorded. "" when the stored file cannot be read."""
    if document.sha256:
        return document.sha256
    try:
        with document.file.open("rb") as handle:
            digest = file_sha256(handle)
    except (FileNotFoundError, OSError, ValueError):
        return ""
    Document.objects.filter(pk=document.pk, sha256="").update(sha256=digest)
    document.sha256 = digest
    return digest


def document_delete(*, actor: Any, document: Document) -> None:
    """Delete a document of the live dossier, unless a submitted case rests on it (or its retention period runs):
    then it is refused with the reason, and the owner replaces it instead."""
    _ensure_owner(actor, document.business)
    with transaction.atomic():
        locked = Document.objects.select_for_update().filter(pk=document.pk).first()
        if locked is None:
            return
        holds = evidence_holds(locked)
        if holds:
            raise Conflict(
                _(
                    "“%(name)s” cannot be deleted: %(reason)s. Upload a replacement instead: the case keeps this one, "
                    "the next submission takes the new one."
                )
                % {"name": locked.original_name, "reason": holds[0]},
                errors={"document": [holds[0]]},
            )
        stored = locked.file
        locked.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def document_replace(*, actor: Any, document: Document, file: Any) -> Document:
    """Upload a new version of a document. The old file is never overwritten: when a submitted case rests on it, it
    is retired (kept with that case, out of the live dossier); otherwise it is deleted. Open applications that
    carried the old one carry the new one for their next submission (a hook the case app registers)."""
    _ensure_owner(actor, document.business)
    if document.retired_at is not None:
        raise Conflict(_("This document was already replaced; replace its newest version."))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        new = document_upload(
            actor=actor, business=locked.business, kind=locked.kind, file=file, product=locked.product
        )
        for hook in _replacement_hooks:
            hook(locked, new)
        if evidence_holds(locked):
            locked.retired_at = timezone.now()
            locked.replaced_by = new
            locked.save(update_fields=["retired_at", "replaced_by"])
        else:
            stored = locked.file
            locked.delete()
            transaction.on_commit(lambda: stored.delete(save=False))
    return new


# Called inside document_replace's transaction with (old, new): the app that owns cases moves its drafts over.
_replacement_hooks: list[Callable[[Document, Document], None]] = []


def register_replacement_hook(hook: Callable[[Document, Document], None]) -> None:
    if hook not in _replacement_hooks:
        _replacement_hooks.append(hook)
