"""Import of business lists (CSV or XLSX) kept by the Department of Industry.

One row = one business plus, optionally, one year of figures. Columns (header row required, order free):

    owner_email*, owner_name, then one column per business field (BUSINESS_FIELDS in applicants/models.py; the
    region as region_code), then year, annual_sales, operating_expenses, capital, export_value. Required (*):
    owner_email, name, nib, address, region_code, kbli, production_started, workforce.

Owner: `owner_email` names the owner's account. An existing account must hold the owner role; an unknown address
gets a new owner account without a password (the owner sets one with "forgot password"). Staff never own imports.

All or nothing: every row goes through the same services as the owner pages inside one transaction; when any row
fails, the transaction is rolled back and the per-row errors are reported. The preview is the same run, always
rolled back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils.translation import gettext as _

from applicants.models import BUSINESS_FIELDS, Business, Region
from applicants.services import business_create, figures_create
from core import roles
from core.errors import DomainError

# A column per business field (BUSINESS_FIELDS; the region by its code), then one year of figures.
COLUMN_OF = {"region": "region_code"}
FIGURE_COLUMNS = ["year", "annual_sales", "operating_expenses", "capital", "export_value"]
COLUMNS = ["owner_email", "owner_name", *(COLUMN_OF.get(name, name) for name in BUSINESS_FIELDS), *FIGURE_COLUMNS]
DEFAULTS: dict[str, Any] = {
    "legal_form": Business.LegalForm.INDIVIDUAL,
    "sector": Business.Sector.FOOD,
    "outlets": 1,
    "production_facilities": 1,
}
YES, NO = {"1", "ya", "yes", "true", "y"}, {"0", "tidak", "no", "false", "n"}
REQUIRED = ["owner_email", "name", "nib", "address", "region_code", "kbli", "production_started", "workforce"]
MAX_ROWS = 2000


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    written: bool = False

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def read_rows(content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts of stripped strings."""
    if content[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # noqa: BLE001 - any unreadable workbook is the same error to a person
            raise DomainError(_("The XLSX file could not be read.")) from error
        table = [
            ["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_("The CSV file must be UTF-8 text.")) from None
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise DomainError(_("The file is empty."))
    header = [str(cell).strip().lower() for cell in table[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise DomainError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if len(table) - 1 > MAX_ROWS:
        raise DomainError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return [
        {name: str(row[i]).strip() if i < len(row) else "" for i, name in enumerate(header) if name in COLUMNS}
        for row in table[1:]
    ]


def _cell_text(cell: Any) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _integer(values: dict[str, str], name: str, default: int | None = None) -> int | None:
    raw = values.get(name, "").replace("Rp", "").replace(".", "").replace(",", "").replace(" ", "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise DomainError(_("%(column)s: not a whole number.") % {"column": name}) from None


def _owner(values: dict[str, str]) -> Any:
    email = values.get("owner_email", "").strip().lower()
    if "@" not in email:
        raise DomainError(_("owner_email: not an e-mail address."))
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, password=None, full_name=values.get("owner_name", ""))
        user.groups.add(Group.objects.get(name=roles.OWNER))
        return user
    if not roles.has_role(user, roles.OWNER):
        raise DomainError(_("owner_email: %(email)s is not an owner account.") % {"email": email})
    return user


def _field_value(name: str, values: dict[str, str], regions: dict[str, Region]) -> Any:
    """One business field from its column, converted by the model field's kind."""
    column = COLUMN_OF.get(name, name)
    raw = values.get(column, "").strip()
    model_field = Business._meta.get_field(name)
    if name == "region":
        region = regions.get(raw)
        if region is None:
            raise DomainError(_("region_code: unknown region %(code)s.") % {"code": raw})
        return region
    if not raw:
        return DEFAULTS.get(name, None if model_field.null else "")
    if isinstance(model_field, models.DateField):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise DomainError(_("%(column)s: use the form YYYY-MM-DD.") % {"column": column}) from None
    if isinstance(model_field, models.BooleanField):
        if raw.lower() not in YES | NO:
            raise DomainError(_("%(column)s: write ya or tidak.") % {"column": column})
        return raw.lower() in YES
    if isinstance(model_field, models.IntegerField):
        return _integer(values, column)
    return raw


def _import_row(values: dict[str, str], *, actor: Any, regions: dict[str, Region]) -> None:
    for name in REQUIRED:
        if not values.get(name):
            raise DomainError(_("%(column)s is required.") % {"column": name})
    fields = {name: _field_value(name, values, regions) for name in BUSINESS_FIELDS}
    business = business_create(actor=actor, fields=fields, owner=_owner(values))
    year = _integer(values, "year")
    if year is not None:
        figures_create(
            actor=business.owner,
            business=business,
            year=year,
            annual_sales=_integer(values, "annual_sales", 0) or 0,
            operating_expenses=_integer(values, "operating_expenses", 0) or 0,
            capital=_integer(values, "capital", 0) or 0,
            export_value=_integer(values, "export_value", 0) or 0,
            workforce=fields["workforce"] or 0,
        )


def businesses_import(*, actor: Any, rows: list[dict[str, str]], commit: bool) -> ImportResult:
    """Run every row; write only when `commit` and no row failed (one transaction, rolled back otherwise)."""
    if not roles.is_staff_member(actor):
        raise DomainError(_("Only staff may import business lists."))
    regions = {region.code: region for region in Region.objects.all()}
    result = ImportResult(rows=[RowResult(line=i + 2, values=values) for i, values in enumerate(rows)])
    with transaction.atomic():
        for row in result.rows:
            try:
                with transaction.atomic():
                    _import_row(row.values, actor=actor, regions=regions)
            except DomainError as error:
                row.errors.append(str(error.message))
        if commit and result.ok:
            result.written = True
        else:
            transaction.set_rollback(True)
    return result


EXAMPLE_ROW = {
    "owner_email": "pemilik@contoh.id",
    "owner_name": "Sri Wahyuni",
    "name": "Keripik Pisang Sri",
    "nib": "1234567890123",
    "legal_form": "individual",
    "address": "Jl. Ikan Kakap No. 5, Teluk Betung",
    "region_code": "1871",
    "kbli": "10794",
    "sector": "snacks",
    "production_started": "2019-03-01",
    "outlets": "1",
    "production_facilities": "1",
    "workforce": "3",
    "phone": "081234567890",
    "halal_supervisor": "Sri Wahyuni",
    "separate_halal_facility": "ya",
    "year": "2025",
    "annual_sales": "180000000",
    "operating_expenses": "120000000",
    "capital": "25000000",
    "export_value": "0",
}


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW.get(column, "") for column in COLUMNS])
    return buffer.getvalue()
