from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import roles
from core.navigation import NavItem


class CoreConfig(AppConfig):
    """The ground floor: users and roles, and the helpers every app uses. Imports no other app of the project."""

    name = "core"
    verbose_name = _("Users and platform")
    navigation = [NavItem(_("Failed tasks"), "failed-tasks", (roles.ADMIN,), order=95)]

    def ready(self) -> None:
        # Celery signal handlers (metrics, request ids, the dead-letter record), in web and worker processes alike.
        from core import metrics, observability, tasks  # noqa: F401
