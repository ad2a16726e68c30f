from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.access import roles
from core.web.navigation import NavItem


class CoreConfig(AppConfig):
    """The ground floor: users and roles, and the helpers every app uses. Imports no other app of the project."""

    name = "core"
    verbose_name = _("Users and platform")
    navigation = [
        NavItem(_("Office calendar"), "calendar", None, order=80, public=True),
        NavItem(_("Failed tasks"), "failed-tasks", (roles.ADMIN,), order=95),
    ]

    def ready(self) -> None:
        # The calendar's receivers drop its cache; Celery signal handlers (metrics, request ids, the dead-letter
        # record) run in web and worker processes alike.
        from core.ops import observability  # noqa: F401
