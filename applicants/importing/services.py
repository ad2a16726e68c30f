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

Up to MAX_ROWS rows a file. The write runs as a background job (ImportJob, the task `applicants.run_import_job`)
with its progress in rows; a small file (up to PREVIEW_ROWS rows) is checked first on the upload page, a larger one
goes straight to the job, which checks and writes in the same run (a bad row there also writes nothing). For speed
at 10,000 rows (profiled: a dozen queries a row took 27-50 s on this machine) the owners a file names are read in one
query and new owner accounts created in one insert; each row then goes through business_create's and figures_create's
checks in their batch form (applicants.services.batch_add_business / batch_add_figures: same checks and messages,
against the KBLI list, regions and taken NIBs read once) and the batch is written in bulk with its history rows
(batch_write): about 9 s for 10,000 rows, a fixed number of queries per file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applicants.models import BUSINESS_FIELDS, Business, Region
from applicants.models.imports import ImportJob
from applicants.services import Batch, batch_add_business, batch_add_figures, batch_start, batch_write
from core.access import roles
from core.errors import DomainError
from core.tasks import enqueue_on_commit

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
MAX_ROWS = 10_000
# Files up to this many rows are checked on the upload page before the job is started; larger ones go to the job.
PREVIEW_ROWS = 200
# The job's progress is published every this many rows.
PROGRESS_EVERY = 100


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
        raise _too_many(len(table) - 1)
    return [
        {name: str(row[i]).strip() if i < len(row) else "" for i, name in enumerate(header) if name in COLUMNS}
        for row in table[1:]
    ]


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_many(count: int) -> DomainError:
    return DomainError(
        _(
            "This file has %(count)s rows; at most %(n)s rows can be imported at once. Split the list into files of "
            "%(n)s rows or fewer and import them one after another."
        )
        % {"count": _thousands(count), "n": _thousands(MAX_ROWS)}
    )


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


class _Owners:
    """The owner accounts a file names: existing ones read in one query (with their roles), unknown addresses created
    in one insert as owner accounts without a password. Runs inside the import's transaction, so the new accounts
    roll back with everything else when any row fails."""

    def __init__(self, rows: list[RowResult]) -> None:
        names: dict[str, str] = {}
        for row in rows:
            email = row.values.get("owner_email", "").strip().lower()
            if "@" in email:
                names.setdefault(email, row.values.get("owner_name", ""))
        user_model = get_user_model()
        self.users: dict[str, Any] = {}
        existing = (
            user_model.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=list(names))
            .prefetch_related("groups")
        )
        for found in existing:
            account: Any = found  # roles.roles_of reads the cache that an annotated queryset row can carry too
            account._role_cache = frozenset(group.name for group in account.groups.all())
            self.users[account.email.lower()] = account
        new: list[Any] = []
        for email, name in names.items():
            if email in self.users:
                continue
            user = user_model(email=email, full_name=name, is_staff=False, is_superuser=False)
            user.set_unusable_password()
            new.append(user)
        if not new:
            return
        user_model.objects.bulk_create(new, batch_size=1000)
        owner = Group.objects.get(name=roles.OWNER)
        membership = user_model.groups.through
        links = [membership(user_id=user.pk, group_id=owner.pk) for user in new]
        membership.objects.bulk_create(links, batch_size=1000)
        for user in new:
            user._role_cache = frozenset({roles.OWNER})
            self.users[user.email] = user

    def of(self, values: dict[str, str]) -> Any:
        email = values.get("owner_email", "").strip().lower()
        if "@" not in email:
            raise DomainError(_("owner_email: not an e-mail address."))
        user = self.users[email]
        if not roles.has_role(user, roles.OWNER):
            raise DomainError(_("owner_email: %(email)s is not an owner account.") % {"email": email})
        return user


def _field_value(name: str, values: dict[str, str], regions: dict[str, Region]) -> Any:
    """One business field from its column, converted by the model field's kind."""
    column = COLUMN_OF.get(name, name)
    raw = values.get(column, "").strip()
    model_field: Any = Business._meta.get_field(name)
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


def _import_row(
    values: dict[str, str], *, actor: Any, regions: dict[str, Region], owners: _Owners, batch: Batch
) -> None:
    for name in REQUIRED:
        if not values.get(name):
            raise DomainError(_("%(column)s is required.") % {"column": name})
    fields = {name: _field_value(name, values, regions) for name in BUSINESS_FIELDS}
    business = batch_add_business(batch, actor=actor, fields=fields, owner=owners.of(values))
    year = _integer(values, "year")
    if year is not None:
        batch_add_figures(
            batch,
            actor=business.owner,
            business=business,
            year=year,
            annual_sales=_integer(values, "annual_sales", 0) or 0,
            operating_expenses=_integer(values, "operating_expenses", 0) or 0,
            capital=_integer(values, "capital", 0) or 0,
            export_value=_integer(values, "export_value", 0) or 0,
            workforce=fields["workforce"] or 0,
        )


def businesses_import(
    *, actor: Any, rows: list[dict[str, str]], commit: bool, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Check every row; write only when `commit` and no row failed (one transaction, rolled back otherwise).
    `progress` is called with the number of rows checked every PROGRESS_EVERY rows and at the end.

    The rows go through the services' batch checks (applicants.services.batch_add_*: business_create's and
    figures_create's checks, with the KBLI list, the regions and the NIBs taken read once) and are written in bulk
    with their history (batch_write): a fixed number of queries per file rather than a dozen per row."""
    if not roles.is_staff_member(actor):
        raise DomainError(_("Only staff may import business lists."))
    if len(rows) > MAX_ROWS:
        raise _too_many(len(rows))
    regions = {region.code: region for region in Region.objects.all()}
    result = ImportResult(rows=[RowResult(line=i + 2, values=values) for i, values in enumerate(rows)])
    with transaction.atomic():
        owners = _Owners(result.rows)
        batch = batch_start(nibs=[row.values.get("nib", "") for row in result.rows])
        for done, row in enumerate(result.rows, start=1):
            try:
                _import_row(row.values, actor=actor, regions=regions, owners=owners, batch=batch)
            except DomainError as error:
                row.errors.append(str(error.message))
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(result.rows)):
                progress(done)
        if commit and result.ok:
            try:
                batch_write(batch)
            except DomainError as error:
                result.rows[0].errors.append(str(error.message))
                transaction.set_rollback(True)
                return result
            result.written = True
        else:
            transaction.set_rollback(True)
    return result


# --- The background job -----------------------------------------------------------------------------------------
def _progress_key(job_id: int) -> str:
    return f"applicants:import-job:{job_id}:done"


def import_job_start(*, actor: Any, rows: list[dict[str, str]], file_name: str = "") -> ImportJob:
    """Queue the import of `rows` (read_rows' output) as `actor`; the worker checks and writes them, all or nothing."""
    if not roles.is_staff_member(actor):
        raise DomainError(_("Only staff may import business lists."))
    if not rows:
        raise DomainError(_("The file is empty."))
    if len(rows) > MAX_ROWS:
        raise _too_many(len(rows))
    job = ImportJob.objects.create(user=actor, file_name=file_name[:200], total=len(rows), rows=rows)
    enqueue_on_commit("applicants.run_import_job", job.pk)
    return job


def import_job_progress(job: ImportJob) -> int:
    """Rows done so far. While the job runs its transaction is open, so the count is published in the cache."""
    if job.status != ImportJob.Status.RUNNING:
        return job.done
    return int(cache.get(_progress_key(job.pk), job.done))


def _finish(job: ImportJob, **fields: Any) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(rows=[], finished_at=timezone.now(), **fields)
    cache.delete(_progress_key(job.pk))
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run one queued job (a job already running, done or failed is left as it is)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    key = _progress_key(job.pk)
    cache.set(key, 0, timeout=24 * 3600)

    def progress(done: int) -> None:
        cache.set(key, done, timeout=24 * 3600)

    try:
        result = businesses_import(actor=job.user, rows=job.rows, commit=True, progress=progress)
    except DomainError as error:
        return _finish(job, status=ImportJob.Status.FAILED, error=str(error.message))
    except Exception:
        _finish(job, status=ImportJob.Status.FAILED, error=_("The import stopped unexpectedly; nothing was written."))
        raise
    if result.written:
        return _finish(job, status=ImportJob.Status.DONE, done=len(result.rows), written=len(result.rows))
    errors = [
        {
            "line": row.line,
            "name": row.values.get("name", ""),
            "nib": row.values.get("nib", ""),
            "owner_email": row.values.get("owner_email", ""),
            "errors": row.errors,
        }
        for row in result.rows
        if row.errors
    ]
    return _finish(
        job,
        status=ImportJob.Status.FAILED,
        done=len(result.rows),
        errors=errors,
        error=ngettext(
            "%(n)s row has errors; nothing was imported.", "%(n)s rows have errors; nothing was imported.", len(errors)
        )
        % {"n": _thousands(len(errors))},
    )


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
