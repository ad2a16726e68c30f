from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.access import roles as r
from core.web.navigation import NavItem


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    navigation = [
        NavItem(_("Trainings"), "training:program-list", (r.OFFICER, r.ADMIN, r.REVIEWER), order=20),
        NavItem(_("Overdue follow-ups"), "training:overdue", (r.OFFICER, r.ADMIN), order=21),
        NavItem(_("My trainings"), "training:my-trainings", (r.OWNER,), order=22),
        NavItem(
            _("BPOM facilitation"), "training:facilitation-list", (r.OWNER, r.OFFICER, r.ADMIN, r.REVIEWER), order=23
        ),
    ]
