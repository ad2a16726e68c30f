"""Every write of the certification app. The state of an application changes only in `application_transition`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from applicants.models import Business, Document, Product
from certification import calendar as cal
from certification import workflow as wf
from certification.certificate_services import certificate_create_at_issue, renewable_certificate
from certification.eligibility import sehati_eligibility
from certification.fee_snapshot import fee_snapshot_take
from certification.models import Application, ApplicationEvent, ApplicationState
from certification.quota import quota_claim
from core import roles
from core.errors import Conflict, DomainError
from core.tasks import enqueue_on_commit
from core.uploads import validate_upload

User = get_user_model()

PLEDGE_VERSION = "2023.1"
# Documents an application must carry before it is submitted (kinds of applicants.Document).
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    wf.SELF_DECLARE: (Document.Kind.NIB, Document.Kind.PRODUCT_PHOTO, Document.Kind.PROCESS_FLOW),
    wf.REGULAR: (
        Document.Kind.NIB,
        Document.Kind.PRODUCT_PHOTO,
        Document.Kind.PROCESS_FLOW,
        Document.Kind.HALAL_MANUAL,
    ),
}
PROFILE_FIELDS = ("name", "nib", "address", "region_id", "kbli", "production_started")


def _state_label(name: str) -> str:
    return str(ApplicationState(name).label)


# --- Creating a draft, the pledge, assignment ---
def application_create(
    *,
    actor: Any,
    business_id: int,
    pathway: str,
    product_ids: Iterable[int],
    document_ids: Iterable[int] = (),
    previous_certificate_id: int | None = None,
) -> Application:
    """A draft application for one of the actor's own businesses (a renewal names the certificate it replaces)."""
    business = Business.objects.filter(pk=business_id, owner=actor).first()
    if business is None or not roles.has_role(actor, roles.OWNER):
        raise DomainError(_("You can only apply for a business you own."), errors={"business": [_("Not found.")]})
    if pathway not in wf.PATHWAYS:
        raise DomainError(_("Choose the self-declare or the regular pathway."), errors={"pathway": [_("Invalid.")]})
    product_ids = list(dict.fromkeys(product_ids))
    products = list(Product.objects.filter(business=business, pk__in=product_ids))
    if len(products) != len(product_ids):
        raise DomainError(_("Choose products of this business."), errors={"products": [_("Invalid.")]})
    document_ids = list(dict.fromkeys(document_ids))
    documents = list(Document.objects.filter(business=business, pk__in=document_ids))
    if len(documents) != len(document_ids):
        raise DomainError(_("Choose documents of this business."), errors={"documents": [_("Invalid.")]})
    previous = None
    if previous_certificate_id is not None:
        previous = renewable_certificate(owner=actor, certificate_id=previous_certificate_id, business_id=business.pk)
    with transaction.atomic():
        application = Application.objects.create(
            business=business, pathway=pathway, created_by=actor, previous_certificate=previous
        )
        application.products.set(products)
        application.documents.set(documents)
        ApplicationEvent.objects.create(
            application=application, from_state="", to_state=application.state, action="create", actor=actor
        )
    return application


def application_update(
    *, application_id: int, actor: Any, product_ids: Iterable[int], document_ids: Iterable[int]
) -> Application:
    """The owner changes the products and documents of a draft or returned application (not a state change)."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.business.owner_id != actor.pk or not roles.has_role(actor, roles.OWNER):
            raise DomainError(_("Only the owner of the business can change the application."))
        if application.state not in ("draft", "returned"):
            raise DomainError(_("The application can only be changed while it is a draft or returned."))
        product_ids = list(dict.fromkeys(product_ids))
        products = list(Product.objects.filter(business_id=application.business_id, pk__in=product_ids))
        if not products or len(products) != len(product_ids):
            raise DomainError(_("Choose products of this business."), errors={"products": [_("Invalid.")]})
        document_ids = list(dict.fromkeys(document_ids))
        documents = list(Document.objects.filter(business_id=application.business_id, pk__in=document_ids))
        if len(documents) != len(document_ids):
            raise DomainError(_("Choose documents of this business."), errors={"documents": [_("Invalid.")]})
        application.products.set(products)
        application.documents.set(documents)
        application.save(update_fields=["updated_at"])
    return application


def pledge_sign(*, application_id: int, actor: Any, version: str = PLEDGE_VERSION) -> Application:
    """The owner signs the self-declare pledge (ikrar) on a draft or returned application."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.business.owner_id != actor.pk or not roles.has_role(actor, roles.OWNER):
            raise DomainError(_("Only the owner of the business can sign its pledge."))
        if application.pathway != wf.SELF_DECLARE:
            raise DomainError(_("A pledge is only signed for self-declare applications, not regular ones."))
        if application.state not in ("draft", "returned"):
            raise DomainError(_("The pledge can only be signed before the application is submitted."))
        application.pledge_version = version
        application.pledge_signed_at = timezone.now()
        application.save(update_fields=["pledge_version", "pledge_signed_at", "updated_at"])
    return application


def application_assign(
    *, application_ids: Iterable[int], actor: Any, reviewer: Any | None = None, pph: Any | None = None
) -> int:
    """Assign a reviewer and/or a halal process assistant to many open applications (not a state change)."""
    if not roles.has_role(actor, *wf.ACTOR_ROLES[wf.REVIEWER]):
        raise DomainError(_("Only reviewers can assign applications."))
    if reviewer is None and pph is None:
        raise DomainError(_("Choose a reviewer or a halal process assistant."))
    if reviewer is not None and not User.objects.filter(pk=reviewer.pk, groups__name=roles.REVIEWER).exists():
        raise DomainError(_("%(name)s is not a reviewer.") % {"name": reviewer})
    if pph is not None and not User.objects.filter(pk=pph.pk, groups__name=roles.PPH).exists():
        raise DomainError(_("%(name)s is not a halal process assistant.") % {"name": pph})
    ids = list(application_ids)
    if not ids:
        raise DomainError(_("Choose at least one application."))
    with transaction.atomic():
        rows = Application.objects.select_for_update().filter(pk__in=ids, state__in=wf.OPEN_STATES)
        found = list(rows.values_list("pk", "pathway"))
        if len(found) != len(set(ids)):
            raise DomainError(_("Some of the chosen applications are closed or do not exist."))
        if pph is not None and any(pathway != wf.SELF_DECLARE for _pk, pathway in found):
            raise DomainError(_("Halal process assistants are only assigned to self-declare applications."))
        changes: dict[str, Any] = {"updated_at": timezone.now()}
        if reviewer is not None:
            changes["assigned_reviewer"] = reviewer
        if pph is not None:
            changes["assigned_pph"] = pph
        return Application.objects.filter(pk__in=ids).update(**changes)


# --- The one transition service ---
def _locked(application_id: int) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("business", "business__region")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise DomainError(_("Application not found."))
    return application


def _check_actor(edge: wf.Transition, application: Application, actor: Any) -> None:
    held = roles.roles_of(actor)
    action = wf.action_label(edge.action)
    if not wf.actor_may(edge, held):
        who = {wf.OWNER: _("the owner"), wf.REVIEWER: _("a reviewer"), wf.PPH: _("the assigned assistant")}
        raise DomainError(_("Only %(who)s can do “%(action)s”.") % {"who": who[edge.role], "action": action})
    if edge.role == wf.OWNER and application.business.owner_id != actor.pk:
        raise DomainError(_("Only the owner of the business can do “%(action)s”.") % {"action": action})
    if edge.role == wf.PPH and application.assigned_pph_id != actor.pk:
        raise DomainError(
            _("Only the assistant assigned to this application can do “%(action)s”.") % {"action": action}
        )


def _require(edge: wf.Transition, payload: dict[str, Any]) -> None:
    for key in edge.requires:
        value = payload.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            field = str(wf.FIELD_LABELS[key])
            message = _("The %(field)s is required to do “%(action)s”.") % {
                "field": field,
                "action": wf.action_label(edge.action),
            }
            raise DomainError(message, errors={key: [message]})


def _as_date(value: Any, key: str) -> date:
    parsed = value if isinstance(value, date) else parse_date(str(value))
    if parsed is None:
        message = _("Enter a valid date (YYYY-MM-DD).")
        raise DomainError(message, errors={key: [message]})
    if parsed > cal.today():
        message = _("The date cannot be in the future.")
        raise DomainError(message, errors={key: [message]})
    return parsed


def _check_complete(application: Application) -> None:
    """Submit and resubmit: a complete profile, products, required documents; self-declare: eligible and pledged."""
    business = application.business
    missing = [f for f in PROFILE_FIELDS if not getattr(business, f)]
    if missing:
        raise DomainError(_("Complete the business profile before submitting."))
    products = list(application.products.all())
    if not products:
        raise DomainError(_("Add at least one product to the application."))
    kinds = set(application.documents.values_list("kind", flat=True))
    lacking = [Document.Kind(k).label for k in REQUIRED_DOCUMENTS[application.pathway] if k not in kinds]
    if lacking:
        raise DomainError(
            _("Attach the required documents: %(kinds)s.") % {"kinds": ", ".join(str(k) for k in lacking)}
        )
    if application.pathway == wf.SELF_DECLARE:
        result = sehati_eligibility(business=business, products=products)
        if not result.eligible:
            first = result.failing()[0]
            raise DomainError(
                _("The business does not meet the self-declare criteria: %(reason)s") % {"reason": first.reason}
            )
        if application.pledge_signed_at is None:
            raise DomainError(_("Sign the self-declare pledge before submitting."))


def _on_submit(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    _check_complete(app)
    app.submitted_at = timezone.now()
    return ["submitted_at"]


def _on_resubmit(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    _check_complete(app)
    return []


def _on_assign_pph(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    value = payload["pph"]
    pph_id = getattr(value, "pk", value)
    pph = User.objects.filter(pk=pph_id, groups__name=roles.PPH, is_active=True).first()
    if pph is None:
        message = _("Choose a halal process assistant.")
        raise DomainError(message, errors={"pph": [message]})
    app.assigned_pph = pph
    return ["assigned_pph"]


def _on_pph_validate(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    app.pph_visit_date = _as_date(payload["visit_date"], "visit_date")
    app.pph_report = str(payload["report"]).strip()
    return ["pph_visit_date", "pph_report"]


def _on_verify(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    year = cal.today().year
    if app.pathway == wf.SELF_DECLARE:
        app.sehati_quota = quota_claim(business=app.business, year=year)
        return ["sehati_quota"]
    return fee_snapshot_take(application=app, year=year)


def _on_record_payment(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    validate_upload(payload["payment_proof"], field="payment_proof")
    app.payment_proof = payload["payment_proof"]
    app.paid_at = timezone.now()
    return ["payment_proof", "paid_at"]


def _on_record_audit(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    validate_upload(payload["audit_report"], field="audit_report")
    app.audit_report = payload["audit_report"]
    app.lph_name = str(payload.get("lph_name") or "").strip()[:200]
    return ["audit_report", "lph_name"]


def _on_declare_halal(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    app.fatwa_number = str(payload["fatwa_number"]).strip()[:60]
    app.fatwa_date = _as_date(payload["fatwa_date"], "fatwa_date")
    return ["fatwa_number", "fatwa_date"]


def _on_issue(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    certificate_create_at_issue(application=app, actor=actor)
    return []


def _on_return(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    app.return_reason = str(payload["reason"]).strip()
    return ["return_reason"]


def _on_reject(app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]:
    app.rejection_reason = str(payload["reason"]).strip()
    return ["rejection_reason"]


class Handler(Protocol):
    def __call__(self, app: Application, payload: dict[str, Any], *, actor: Any) -> list[str]: ...


HANDLERS: dict[str, Handler] = {
    "submit": _on_submit,
    "resubmit": _on_resubmit,
    "assign_pph": _on_assign_pph,
    "pph_validate": _on_pph_validate,
    "verify": _on_verify,
    "record_payment": _on_record_payment,
    "record_audit": _on_record_audit,
    "declare_halal": _on_declare_halal,
    "issue": _on_issue,
    "return": _on_return,
    "reject": _on_reject,
}


def _run_clock(app: Application, edge: wf.Transition) -> list[str]:
    """Due date of the new stage. Paused states keep the working days left; leaving them resumes with those days."""
    target = wf.state(edge.target)
    today = cal.today()
    if target.paused:
        remaining = None
        if edge.action == "return" and app.due_on is not None:
            remaining = cal.working_days_between(today, app.due_on)
        app.paused_remaining_days = remaining
        app.due_on = None
    elif target.terminal:
        app.due_on = None
        app.paused_remaining_days = None
    else:
        days = target.sla_days(app.pathway)
        if days is not None:
            app.due_on = cal.add_working_days(today, days)
        elif app.state in wf.PAUSED_STATES and app.paused_remaining_days is not None:
            app.due_on = cal.add_working_days(today, app.paused_remaining_days)
        else:
            app.due_on = None
        app.paused_remaining_days = None
    return ["due_on", "paused_remaining_days"]


def application_transition(
    *,
    application_id: int,
    action: str,
    actor: Any,
    expected_state: str | None = None,
    expected_version: int | None = None,
    note: str = "",
    **payload: Any,
) -> Application:
    """Move an application along one edge of the workflow, or refuse with a message for a person.

    Raises DomainError when the action is unknown, not possible in the current state, not the actor's, or its
    requirements are missing; Conflict when the caller saw another state or version (someone acted meanwhile).
    """
    if action not in wf.ACTIONS:
        raise DomainError(_("Unknown action “%(action)s”.") % {"action": action}, errors={"action": [_("Unknown.")]})
    with transaction.atomic():
        app = _locked(application_id)
        if (expected_state is not None and app.state != expected_state) or (
            expected_version is not None and app.version != expected_version
        ):
            raise Conflict(
                _("Someone else changed this application meanwhile: it is now “%(state)s”. Reload and try again.")
                % {"state": _state_label(app.state)}
            )
        edge = wf.transition_for(action, app.state, app.pathway)
        if edge is None:
            raise DomainError(
                _("“%(action)s” is not possible while the application is “%(state)s”.")
                % {"action": wf.action_label(action), "state": _state_label(app.state)}
            )
        _check_actor(edge, app, actor)
        _require(edge, payload)
        fields = HANDLERS[action](app, payload, actor=actor) if action in HANDLERS else []
        fields += _run_clock(app, edge)
        from_state = app.state
        app.state = edge.target
        app.version += 1
        app.save(update_fields=[*dict.fromkeys(fields), "state", "version", "updated_at"])
        text = (note or "").strip() or str(payload.get("reason") or "").strip()
        event = ApplicationEvent.objects.create(
            application=app, from_state=from_state, to_state=edge.target, action=action, actor=actor, note=text
        )
        enqueue_on_commit("certification.notify_owner_of_event", event.pk)
        if action == "resubmit":
            enqueue_on_commit("certification.notify_reviewers_of_resubmission", event.pk)
    return app
