from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.access import roles as r
from core.web.navigation import NavItem


class ReportsConfig(AppConfig):
    """The top floor: the staff dashboard, the monthly report and the exports that join several apps."""

    name = "reports"
    verbose_name = _("Dashboard and reports")
    navigation = [
        NavItem(_("Dashboard"), "dashboard:index", r.STAFF_ROLES, order=90),
        NavItem(_("Products without a permit"), "dashboard:permit-gaps", r.STAFF_ROLES, order=91),
    ]

    def ready(self) -> None:
        from reports.freshness import connect

        connect()
