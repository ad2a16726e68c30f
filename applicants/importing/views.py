"""The office's import pages: the template, the upload with its preview, the confirmation, the job's progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from applicants import selectors
from applicants.forms import ImportForm
from applicants.importing import services as importing
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError

ERRORS_SHOWN = 500
SESSION_KEY = "applicants_import_rows"


@role_required(*roles.STAFF_ROLES)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("\ufeff" + importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="business-import-template.csv"'
    return response


def _import_context(
    request: HttpRequest, form: ImportForm, result: importing.ImportResult | None = None
) -> dict[str, Any]:
    return {
        "form": form,
        "result": result,
        "columns": importing.COLUMNS,
        "required": importing.REQUIRED,
        "max_rows": importing.MAX_ROWS,
        "preview_rows": importing.PREVIEW_ROWS,
        "jobs": selectors.import_jobs_for(request.user)[:5],
    }


@role_required(*roles.STAFF_ROLES)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file. Up to PREVIEW_ROWS rows: every row is checked here (nothing written) and a button starts the job;
    a larger file starts the job at once (the worker checks and writes, all or nothing)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.UPLOAD_MAX_BYTES:
                raise DomainError(_("The file is too large."))
            rows = importing.read_rows(upload.read())
            if len(rows) > importing.PREVIEW_ROWS:
                job = importing.import_job_start(actor=request.user, rows=rows, file_name=upload.name)
                return redirect("applicants:import_job", job.pk)
            result = importing.businesses_import(actor=request.user, rows=rows, commit=False)
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            if result.ok:
                request.session[SESSION_KEY] = {"rows": rows, "file_name": upload.name[:200]}
            else:
                request.session.pop(SESSION_KEY, None)
    return render(request, "applicants/import.html", _import_context(request, form, result))


@role_required(*roles.STAFF_ROLES)
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Start the job that writes the previewed rows, all or nothing (checked again: the registry may have changed)."""
    if request.method != "POST":
        return redirect("applicants:import")
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not isinstance(pending, dict) or not pending.get("rows"):
        messages.error(request, _("Nothing to import: upload a file first."))
        return redirect("applicants:import")
    try:
        job = importing.import_job_start(actor=request.user, rows=pending["rows"], file_name=pending["file_name"])
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("applicants:import")
    return redirect("applicants:import_job", job.pk)


@role_required(*roles.STAFF_ROLES)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One's own import job: progress while it runs (the page refreshes itself), the bad rows when it failed."""
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    done = importing.import_job_progress(job)
    context = {"job": job, "done": done, "percent": 100 * done // job.total if job.total else 0}
    context["shown_errors"] = job.errors[:ERRORS_SHOWN]
    return render(request, "applicants/import_job.html", context)
