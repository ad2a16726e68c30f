"""The dead-letter list: tasks that failed for good, read and worked through by administrators."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import roles
from core.errors import DomainError
from core.models import FailedTask
from core.tasks import task_named

RETRIED = "retried"
DISMISSED = "dismissed"


def failed_tasks_for(user: Any, *, include_resolved: bool = False) -> QuerySet[FailedTask]:
    """Administrators see the list; anyone else sees nothing."""
    if not roles.has_role(user, roles.ADMIN):
        return FailedTask.objects.none()
    queryset = FailedTask.objects.select_related("resolved_by")
    return queryset if include_resolved else queryset.filter(resolved_at__isnull=True)


def _claim(*, failed_task: FailedTask, actor: Any, resolution: str) -> bool:
    if not roles.has_role(actor, roles.ADMIN):
        raise DomainError(_("Only administrators may work the failed-task list."))
    claimed = FailedTask.objects.filter(pk=failed_task.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )
    failed_task.refresh_from_db()
    return bool(claimed)


def failed_task_retry(*, failed_task: FailedTask, actor: Any) -> bool:
    """Send the task again with its arguments (once, however often this is called); False when already resolved."""
    with transaction.atomic():
        if not _claim(failed_task=failed_task, actor=actor, resolution=RETRIED):
            return False
        try:
            task = task_named(failed_task.task_name)
        except KeyError:
            raise DomainError(
                _("The task %(name)s no longer exists; dismiss it instead.") % {"name": failed_task.task_name}
            ) from None
        args, kwargs = tuple(failed_task.args), dict(failed_task.kwargs)
        transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
    return True


def failed_task_dismiss(*, failed_task: FailedTask, actor: Any) -> bool:
    """Mark it handled without running it again; False when already resolved."""
    return _claim(failed_task=failed_task, actor=actor, resolution=DISMISSED)
