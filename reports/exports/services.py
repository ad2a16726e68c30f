"""XLSX exports built by a worker: the list's own export view (same filters, columns and permission checks), run for
the person who asked, writing a write-only workbook into storage with its progress in rows.

A job stores the export's address and filters, not a query: the worker calls the export view as that person, so the
jurisdiction and role checks of the moment apply and the columns are exactly the download's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files.exports import XLSX_MAX_ROWS, TooManyRows, xlsx_progress
from core.routing import read_transaction, replica_reads
from core.tasks import enqueue_on_commit
from reports.models import ExportJob

# The XLSX exports a job may run (url names); each checks its own permissions again in the worker.
EXPORTS = {
    "applicants:export_xlsx",
    "dashboard:export-applications",
    "dashboard:export-programs",
    "dashboard:export-certificates",
    "dashboard:export-follow-ups",
}


def _resolve(path: str) -> Any:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in EXPORTS or match.kwargs.get("fmt", "xlsx") != "xlsx":
        return None
    return match


def export_job_start(*, user: Any, path: str, query: str = "") -> ExportJob:
    """Queue an XLSX export of one of the lists (`path` is its XLSX address, `query` its filters)."""
    path, query = (path or "").strip(), (query or "").strip().lstrip("?")
    if not path.startswith("/") or len(path) > 200 or _resolve(path) is None:
        raise DomainError(_("This list cannot be exported."))
    if len(query) > 2000:
        raise DomainError(_("The filters are too long to export."))
    job = ExportJob.objects.create(user=user, path=path, query=query)
    enqueue_on_commit("reports.run_export_job", job.pk)
    return job


def _request(job: ExportJob) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.META = {"SERVER_NAME": "worker", "SERVER_PORT": "80", "REQUEST_METHOD": "GET", "QUERY_STRING": job.query}
    request.user = job.user
    return request


def _fail(job: ExportJob, message: str) -> ExportJob:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build one queued job's workbook (a job already done or failed is left as it is)."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    match = _resolve(job.path)
    if match is None:
        return _fail(job, _("This list cannot be exported."))

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows=rows)

    token = xlsx_progress.set(progress)
    try:
        # The rows may come from the replica (core/routing.py), in one read transaction behind a pooler.
        with replica_reads(), read_transaction():
            response = match.func(_request(job), *match.args, **match.kwargs)
    except TooManyRows:
        return _fail(
            job,
            _(
                "This selection has more than %(limit)s rows, more than one Excel sheet holds: narrow the filters "
                "(a region, a period, a state) or download the CSV, which has no limit."
            )
            % {"limit": f"{XLSX_MAX_ROWS:,}".replace(",", ".")},
        )
    except (PermissionDenied, Http404):
        return _fail(job, _("You may no longer export this list."))
    finally:
        xlsx_progress.reset(token)
    if response.status_code != 200:
        return _fail(job, _("The export could not be made (answer %(status)s).") % {"status": response.status_code})
    name = job.path.rsplit("/", 1)[-1]
    stream = getattr(response, "file_to_stream", None)
    content = File(stream, name=name) if stream is not None else ContentFile(response.content, name=name)
    try:
        job.file.save(name, content, save=False)
    finally:
        if stream is not None:  # not response.close(): that signals request_finished, which closes DB connections
            stream.close()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, file=job.file.name, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def export_jobs_for(user: Any) -> Any:
    """A person's own export jobs (nobody else's: they hold that person's view of the data)."""
    return ExportJob.objects.filter(user=user)
