"""Thin Celery tasks: one service call each."""

from __future__ import annotations

from celery import shared_task

from applicants.dossier.documents import generated_document_render
from applicants.importing.services import import_job_run
from applicants.permits.reminders import permit_reminders_send
from core.tasks import RETRY_OUTSIDE


@shared_task(name="applicants.send_permit_reminders", soft_time_limit=300, time_limit=360, **RETRY_OUTSIDE)
def send_permit_reminders() -> int:
    """Daily at 07:15 Asia/Jakarta (beat schedule created by migration); safe to run twice or retry."""
    return permit_reminders_send()


@shared_task(
    name="applicants.render_generated_document",
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def render_generated_document(business_id: int, kind: str, actor_id: int, product_ids: list[int] | None = None) -> str:
    document = generated_document_render(business_id=business_id, kind=kind, actor_id=actor_id, product_ids=product_ids)
    return document.file.name if document is not None else ""


# 10,000 rows take well under a minute (bench office_import); ten minutes is a fault, not a big file.
@shared_task(name="applicants.run_import_job", soft_time_limit=600, time_limit=660)
def run_import_job(job_id: int) -> str:
    return import_job_run(job_id=job_id).status
