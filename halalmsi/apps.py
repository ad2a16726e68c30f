from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HalalmsiConfig(AppConfig):
    name = "halalmsi"
    verbose_name = _("halalmsi platform")
