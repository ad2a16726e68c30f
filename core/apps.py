from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: users and roles, and the helpers every app uses. Imports no other app of the project."""

    name = "core"
    verbose_name = _("Users and platform")
