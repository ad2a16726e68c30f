from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import roles as r
from core.web.navigation import NavItem


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")
    navigation = [
        NavItem(_("My applications"), "certification:my-applications", (r.OWNER,), order=40),
        NavItem(_("Case queue"), "certification:queue", (r.REVIEWER, r.ADMIN), order=41),
        NavItem(_("Yearly confirmations"), "certification:composition-checks", r.STAFF_ROLES, order=42),
        NavItem(_("My assisted cases"), "certification:pph-cases", (r.PPH,), order=42),
        NavItem(_("Verify a certificate"), "certification:verify-lookup", None, order=43, public=True),
        NavItem(_("Certified products"), "certification:registry", None, order=44, public=True),
        NavItem(_("Product catalogue"), "certification:catalogue", None, order=45, public=True),
    ]

    def ready(self) -> None:
        from applicants.selectors import register_assistant_scope

        register_assistant_scope(assisted_business_ids)


def assisted_business_ids(user: Any) -> QuerySet[Any]:
    """The businesses of the cases assigned to this assistant (applicants narrows a PPH's reads with it)."""
    from certification.models import Application

    return Application.objects.filter(assigned_pph=user).values("business_id")
