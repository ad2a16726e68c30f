from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.access import roles as r
from core.web.navigation import NavItem


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Businesses")
    navigation = [
        NavItem(_("My business"), "applicants:mine", (r.OWNER,), order=10),
        NavItem(_("Registry"), "applicants:registry", r.STAFF_ROLES, order=11),
    ]

    def ready(self) -> None:
        from applicants.dossier import generation
        from applicants.selectors import jurisdiction_q
        from core.access import jurisdiction

        jurisdiction.register(jurisdiction_q)  # core's delivery log applies the same rule as the queue
        generation.connect()  # results computed from a live dossier are keyed on its generation
