from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = _("Fees")

    def ready(self) -> None:
        from fees import signals  # noqa: F401 - connects the cache invalidation receivers
