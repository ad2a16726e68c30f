"""What changed between two evidence snapshots (or a snapshot and the live dossier), as plain data the pages show.

Each change: {"section", "change" (added / removed / changed / replaced), "subject", "product" (for an ingredient or a
step), "fields": [[field, before, after], ...]}. People are matched by role, products, facilities and documents by
id, ingredients by their line key (product and name), steps by their order; a document removed and another of the
same kind added is a replacement; a product's distribution permits are matched by their kind.
"""

from __future__ import annotations

from typing import Any

BUSINESS_FIELDS = (
    "name",
    "nib",
    "legal_form",
    "address",
    "region",
    "kbli",
    "sector",
    "production_started",
    "outlets",
    "production_facilities",
    "workforce",
    "phone",
    "halal_supervisor",
    "separate_halal_facility",
)
FIGURES_FIELDS = ("year", "annual_sales", "operating_expenses", "workforce")
PERSON_FIELDS = ("name", "position", "phone", "nik", "religion", "owner_acts")
FACILITY_FIELDS = ("kind", "name", "address", "region")
PRODUCT_FIELDS = (
    "name",
    "brand",
    "category",
    "description",
    "process",
    "preservation_methods",
    "packaging",
    "kbli",
    "contains_slaughtered",
    "slaughterhouse_certificate",
    "irradiated",
    "ozonated",
    "genetically_engineered",
)
INGREDIENT_FIELDS = ("kind", "producer", "brand", "supplier", "certificate", "positive_list", "exempt_claim")
STEP_FIELDS = ("stage", "description", "ingredients")
PERMIT_FIELDS = ("number", "issuer", "issued_on", "expires_on", "document_name", "document_sha256")


def _shown(value: Any) -> Any:
    """A value as a change lists it: a region or a positive-list entry by name, a certificate by its number."""
    if isinstance(value, dict):
        if "number" in value:
            parts = [value.get("number"), value.get("issuer"), value.get("valid_until")]
            return " · ".join(str(p) for p in parts if p)
        return value.get("name", "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _fields(before: dict[str, Any], after: dict[str, Any], names: tuple[str, ...]) -> list[list[Any]]:
    # A field an older snapshot did not freeze yet (the special treatments, who acts as supervisor) is no change.
    return [
        [name, _shown(before.get(name)), _shown(after.get(name))]
        for name in names
        if (name in before or name not in after) and _shown(before.get(name)) != _shown(after.get(name))
    ]


def _change(section: str, change: str, subject: str, fields: list[list[Any]] | None = None, **extra: Any) -> dict:
    return {"section": section, "change": change, "subject": subject, "fields": fields or [], **extra}


def _by(rows: list[dict[str, Any]] | None, key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in rows or []}


def _matched(
    section: str,
    before: list[dict[str, Any]] | None,
    after: list[dict[str, Any]] | None,
    key: str,
    fields: tuple[str, ...],
    name: str = "name",
    **extra: Any,
) -> list[dict[str, Any]]:
    old, new = _by(before, key), _by(after, key)
    out = []
    for k, row in new.items():
        if k not in old:
            out.append(_change(section, "added", str(row.get(name, k)), **extra))
        else:
            changed = _fields(old[k], row, fields)
            if changed:
                out.append(_change(section, "changed", str(row.get(name, k)), changed, **extra))
    out += [_change(section, "removed", str(row.get(name, k)), **extra) for k, row in old.items() if k not in new]
    return out


def _products(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = _matched("product", before, after, "id", PRODUCT_FIELDS)
    old = _by(before, "id")
    for product in after:
        previous = old.get(product["id"])
        if previous is None:
            continue
        where = {"product": product["name"]}
        out += _matched(
            "ingredient", previous["ingredients"], product["ingredients"], "key", INGREDIENT_FIELDS, **where
        )
        out += _matched("step", previous["steps"], product["steps"], "order", STEP_FIELDS, name="order", **where)
        out += (
            _matched(  # snapshots taken before permits were frozen have none: nothing to compare then
                "permit", previous.get("permits"), product.get("permits"), "kind", PERMIT_FIELDS, name="kind", **where
            )
            if "permits" in previous
            else []
        )
    return out


def _documents(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    old, new = _by(before, "id"), _by(after, "id")
    added = [row for k, row in new.items() if k not in old]
    removed = [row for k, row in old.items() if k not in new]
    out = []
    for row in added:
        twin = next((r for r in removed if r["kind"] == row["kind"]), None)
        if twin is not None:
            removed.remove(twin)
            fields = []  # only what differs: a re-upload of the same bytes under a new name shows the name alone
            if twin["original_name"] != row["original_name"]:
                fields.append(["original_name", twin["original_name"], row["original_name"]])
            if twin["sha256"] != row["sha256"]:
                fields.append(["sha256", twin["sha256"][:12], row["sha256"][:12]])
            out.append(_change("document", "replaced", row["original_name"], fields, kind=row["kind"]))
        else:
            out.append(_change("document", "added", row["original_name"], kind=row["kind"]))
    out += [_change("document", "removed", row["original_name"], kind=row["kind"]) for row in removed]
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Every change from `before` to `after` (two snapshot contents), business first, documents last."""
    out: list[dict[str, Any]] = []
    business = _fields(before.get("business") or {}, after.get("business") or {}, BUSINESS_FIELDS)
    if business:
        out.append(_change("business", "changed", (after.get("business") or {}).get("name", ""), business))
    figures = _fields(before.get("figures") or {}, after.get("figures") or {}, FIGURES_FIELDS)
    if figures:
        out.append(_change("figures", "changed", str((after.get("figures") or {}).get("year", "")), figures))
    out += _matched("person", before.get("people"), after.get("people"), "role", PERSON_FIELDS)
    out += _matched("facility", before.get("facilities"), after.get("facilities"), "id", FACILITY_FIELDS)
    out += _products(before.get("products") or [], after.get("products") or [])
    out += _documents(before.get("documents") or [], after.get("documents") or [])
    return out
