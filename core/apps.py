from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


class CoreConfig(AppConfig):
    """The ground floor: users and roles, and the helpers every app uses. Imports no other app of the project."""

    name = "core"
    verbose_name = _("Users and platform")
    navigation = [NavItem(_("Office calendar"), "calendar", None, order=80, public=True)]

    def ready(self) -> None:
        from core import calendar  # noqa: F401 - connects the receivers that drop the cached calendar
