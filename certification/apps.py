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
        from applicants.selectors import register_assistant_scope, register_evidence_hold, register_file_hold
        from applicants.services import register_replacement_hook
        from certification.evidence.selectors import document_hold, permit_file_hold, replace_in_open_cases
        from core.ops.checkpoints import register_integrity_check

        register_assistant_scope(assisted_business_ids)
        register_evidence_hold(document_hold)  # a document a submitted case rests on is never deleted
        register_file_hold(permit_file_hold)  # nor a permit scan a submission froze
        register_replacement_hook(replace_in_open_cases)  # open cases carry a replaced document's new version
        register_integrity_check(snapshot_integrity)  # verify_chains also recomputes every snapshot's hash
        _connect_dossier_generation()


def _connect_dossier_generation() -> None:
    """The case's choice of products and documents, and an LPH's name, are part of what its live dossier would freeze
    (certification.evidence.selectors.live_changes is kept under the dossier's generation)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from applicants.dossier.generation import REFERENCE, dossier_changed
    from certification.models import Application, Lph, SelfDeclareCategory
    from certification.owner_page import CATEGORIES
    from core import generations

    def chosen(sender: Any, instance: Any, **kwargs: Any) -> None:
        # From either side (application.products.set(...) or product.applications.add(...)): all of one business.
        dossier_changed(business_id=instance.business_id)

    def renamed(sender: Any, **kwargs: Any) -> None:
        generations.bump(REFERENCE)

    for through in (Application.products.through, Application.documents.through):
        m2m_changed.connect(chosen, sender=through, weak=False, dispatch_uid=f"dossier-generation-{through.__name__}")
    post_save.connect(renamed, sender=Lph, weak=False, dispatch_uid="dossier-reference-lph")

    def recategorised(sender: Any, **kwargs: Any) -> None:
        generations.bump(CATEGORIES)

    post_save.connect(recategorised, sender=SelfDeclareCategory, weak=False, dispatch_uid="sd-categories-save")
    post_delete.connect(recategorised, sender=SelfDeclareCategory, weak=False, dispatch_uid="sd-categories-del")


def assisted_business_ids(user: Any) -> QuerySet[Any]:
    """The businesses of the cases assigned to this assistant (applicants narrows a PPH's reads with it)."""
    from certification.models import Application

    return Application.objects.filter(assigned_pph=user).values("business_id")


def snapshot_integrity() -> list[str]:
    """Every evidence snapshot's content against its hash, and every sealed event's evidence hash against a stored
    snapshot (verify_chains reports each problem)."""
    from django.db.models import Exists, OuterRef

    from certification.evidence.services import content_hash
    from certification.models import ApplicationEvent, EvidenceSnapshot

    problems = []
    rows = EvidenceSnapshot.objects.order_by("pk").values_list(
        "pk", "application_id", "number", "content", "content_hash"
    )
    for pk, application_id, number, content, stored in rows.iterator(chunk_size=500):
        if content_hash(content) != stored:
            problems.append(
                f"certification.EvidenceSnapshot {pk} (case {application_id}, submission {number}) was altered: its "
                "content no longer matches its hash"
            )
    stored_snapshot = EvidenceSnapshot.objects.filter(
        application_id=OuterRef("application_id"), content_hash=OuterRef("snapshot_hash")
    )
    orphans = (
        ApplicationEvent.objects.exclude(snapshot_hash="")
        .filter(~Exists(stored_snapshot))
        .values_list("pk", "application_id", "snapshot_hash")
    )
    for pk, application_id, value in orphans.iterator(chunk_size=2000):
        problems.append(
            f"certification.ApplicationEvent {pk} (case {application_id}) names evidence {value[:12]}… that no "
            "snapshot of the case has: the snapshot was removed or altered"
        )
    return problems
