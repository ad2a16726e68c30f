from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.web.navigation import NavItem


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = _("Fees")
    navigation = [NavItem(_("Fee calculator"), "fees:calculator", None, order=30, public=True)]

    def ready(self) -> None:
        from fees import signals  # noqa: F401 - connects the cache invalidation receivers
