"""Every write of the certification app. The state of an application changes only in `application_transition`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applicants.models import Business, Document, Product
from applicants.selectors import covers, jurisdiction_q
from certification.assignment import assignable_q, assignee_check
from certification.certificates.services import developable_certificate, renewable_certificate
from certification.eligibility import sehati_eligibility
from certification.models import Application, ApplicationEvent, ApplicationState, EvidenceSnapshot, Lph
from certification.selectors import superior_may_decide
from certification.workflow import clock
from certification.workflow import table as wf
from certification.workflow.handlers import HANDLERS, extension_days
from core.access import roles
from core.calendar import days as cal
from core.errors import Conflict, DomainError
from core.tasks import enqueue_on_commit

User = get_user_model()

PLEDGE_VERSION = "2023.1"


def _state_label(name: str, pathway: str | None = None) -> str:
    """The stage as the person sees it: the workflow table's name on the case's pathway, in their language."""
    if pathway is None:
        return str(ApplicationState(name).label)
    return wf.public_label(name, get_language(), pathway)


# --- Creating a draft, the pledge, assignment ---
def application_create(
    *,
    actor: Any,
    business_id: int,
    pathway: str,
    product_ids: Iterable[int],
    document_ids: Iterable[int] = (),
    previous_certificate_id: int | None = None,
    lph_id: int | None = None,
    pph_id: int | None = None,
    developed_certificate_id: int | None = None,
) -> Application:
    """A draft application for one of the actor's own businesses (a renewal names the certificate it replaces).

    Regular: the owner picks an LPH from the directory (the reviewer confirms it at `appoint_lph`). Self-declare:
    the owner may pick an assistant; the case then goes straight to the assistant on submission."""
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
    documents = list(Document.objects.filter(business=business, pk__in=document_ids, retired_at__isnull=True))
    if len(documents) != len(document_ids):
        raise DomainError(_("Choose documents of this business."), errors={"documents": [_("Invalid.")]})
    previous = None
    if previous_certificate_id is not None:
        previous = renewable_certificate(owner=actor, certificate_id=previous_certificate_id, business_id=business.pk)
    developed = None
    if developed_certificate_id is not None:
        if previous is not None:
            message = _("An application either renews a certificate or develops it, not both.")
            raise DomainError(message, errors={"developed_certificate": [message]})
        developed = developable_certificate(
            owner=actor, certificate_id=developed_certificate_id, business_id=business.pk
        )
    if pathway == wf.SELF_DECLARE:
        _self_declare_check(business, products)
    lph = _chosen_lph(lph_id, business=business) if pathway == wf.REGULAR else None
    pph = _chosen_pph(pph_id, business=business) if pathway == wf.SELF_DECLARE else None
    with transaction.atomic():
        application = Application.objects.create(
            business=business,
            pathway=pathway,
            created_by=actor,
            previous_certificate=previous,
            developed_certificate=developed,
            lph=lph,
            assigned_pph=pph,
        )
        application.products.set(products)
        application.documents.set(documents)
        ApplicationEvent.objects.create(
            application=application, from_state="", to_state=application.state, action="create", actor=actor
        )
    return application


def _self_declare_check(business: Business, products: list[Product]) -> None:
    """A self-declare draft only for a business (and products) that meet the criteria, with the first reason why
    not; submit checks again (certification.readiness), since figures and products change meanwhile."""
    result = sehati_eligibility(business=business, products=products, today=cal.today())
    if not result.eligible:
        message = _("The business does not meet the self-declare criteria: %(reason)s") % {
            "reason": result.failing()[0].reason
        }
        raise DomainError(message, errors={"pathway": [message]})


def application_pathway_change(
    *, application_id: int, actor: Any, pathway: str, lph_id: int | None = None
) -> Application:
    """The owner switches a draft between self-declare and regular (not a workflow step: the case has not started).
    Self-declare must be open to the business; regular takes the chosen LPH. What belonged to the other pathway
    (the pledge, the chosen assistant, the LPH) is cleared."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.business.owner_id != actor.pk or not roles.has_role(actor, roles.OWNER):
            raise DomainError(_("Only the owner of the business can change the application."))
        if application.state != "draft":
            raise DomainError(_("The pathway can only be changed while the application is a draft."))
        if pathway not in wf.PATHWAYS:
            message = _("Choose the self-declare or the regular pathway.")
            raise DomainError(message, errors={"pathway": [message]})
        if pathway == wf.SELF_DECLARE:
            _self_declare_check(application.business, list(application.products.all()))
        application.lph = _chosen_lph(lph_id, business=application.business) if pathway == wf.REGULAR else None
        application.pathway = pathway
        application.assigned_pph = None
        application.pledge_signed_at, application.pledge_version = None, ""
        application.save(
            update_fields=["pathway", "lph", "assigned_pph", "pledge_signed_at", "pledge_version", "updated_at"]
        )
    return application


def _chosen_lph(lph_id: int | None, *, business: Business) -> Lph | None:
    if lph_id is None:
        return None
    lph = Lph.objects.filter(pk=lph_id).first()
    if lph is None or not lph.serves(business):
        message = _("Choose an LPH from the directory that serves your province.")
        raise DomainError(message, errors={"lph": [message]})
    return lph


def _chosen_pph(pph_id: int | None, *, business: Business) -> Any:
    if pph_id is None:
        return None
    pph = pph_choices(business=business).filter(pk=pph_id).first()
    if pph is None:
        message = _("Choose a halal process assistant from the list.")
        raise DomainError(message, errors={"pph": [message]})
    return pph


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
        documents = list(
            Document.objects.filter(business_id=application.business_id, pk__in=document_ids, retired_at__isnull=True)
        )
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
    """Assign a reviewer and/or a halal process assistant to many open applications. A self-declare case waiting for
    an assistant (`submitted`) moves on to the assistant through the `assign_pph` transition; the others keep their
    state."""
    if not roles.has_role(actor, *wf.ACTOR_ROLES[wf.REVIEWER]):
        raise DomainError(_("Only reviewers can assign applications."))
    if reviewer is None and pph is None:
        raise DomainError(_("Choose a reviewer or a halal process assistant."))
    ids = list(application_ids)
    if not ids:
        raise DomainError(_("Choose at least one application."))
    with transaction.atomic():
        rows = Application.objects.select_for_update().filter(
            jurisdiction_q(actor, "business__"), pk__in=ids, state__in=wf.OPEN_STATES
        )
        found = list(rows.values_list("pk", "pathway", "state"))
        if len(found) != len(set(ids)):
            raise DomainError(_("Some of the chosen applications are closed or do not exist."))
        chosen = Application.objects.filter(pk__in=ids)
        for person, role in ((reviewer, roles.REVIEWER), (pph, roles.PPH)):
            if person is not None:  # the same check as the API's assign_pph (certification.assignment)
                assignee_check(person=person, role=role, applications=chosen)
        if pph is not None and any(pathway != wf.SELF_DECLARE for _pk, pathway, _state in found):
            raise DomainError(_("Halal process assistants are only assigned to self-declare applications."))
        waiting = [pk for pk, _pathway, state in found if pph is not None and state == "submitted"]
        changes: dict[str, Any] = {"updated_at": timezone.now()}
        if reviewer is not None:
            changes["assigned_reviewer"] = reviewer
        Application.objects.filter(pk__in=ids).update(**changes)
        if pph is not None:
            Application.objects.filter(pk__in=ids).exclude(pk__in=waiting).update(assigned_pph=pph)
        for pk in waiting:
            application_transition(application_id=pk, action="assign_pph", actor=actor, pph=pph)
        return len(found)


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
    action = wf.action_label(edge.action)
    if edge.role == wf.SYSTEM:
        if actor is not None:
            raise DomainError(_("“%(action)s” is done by the platform's clock, not by a person.") % {"action": action})
        return
    if actor is None or not wf.actor_may(edge, roles.roles_of(actor)):
        who = {
            wf.OWNER: _("the owner"),
            wf.REVIEWER: _("a reviewer"),
            wf.PPH: _("the assigned assistant"),
            wf.SUPERIOR: _("the superior office (a national reviewer or an administrator)"),
        }
        raise DomainError(_("Only %(who)s can do “%(action)s”.") % {"who": who[edge.role], "action": action})
    if edge.role == wf.OWNER and application.business.owner_id != actor.pk:
        raise DomainError(_("Only the owner of the business can do “%(action)s”.") % {"action": action})
    if edge.role == wf.SUPERIOR and not superior_may_decide(application, actor):
        raise DomainError(
            _(
                "A banding is decided by the superior office: a national reviewer or an administrator who decided "
                "neither the rejection nor the objection (UU 30/2014 Pasal 78)."
            )
        )
    if edge.role in (wf.REVIEWER, wf.PPH, wf.SUPERIOR) and application.business.owner_id == actor.pk:
        # Conflict of interest: staff who also own the business never act on its cases.
        raise DomainError(_("You own this business, so you cannot act on its case as staff; another officer must."))
    if edge.role == wf.REVIEWER and not covers(actor, application.business.region_id):
        # The queue's jurisdiction rule holds for every door (page, API, task), not only for the lists.
        raise DomainError(_("This case belongs to a region you do not work for."))
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


def _edge(app: Application, action: str, actor: Any, today: Any) -> wf.Transition:
    """The edge this actor takes with this action now, or a refusal that says why."""
    edges = wf.edges_for(action, app.state, app.pathway)
    if not edges:
        raise DomainError(
            _("“%(action)s” is not possible while the application is “%(state)s”.")
            % {"action": wf.action_label(action), "state": _state_label(app.state, app.pathway)}
        )
    held = roles.roles_of(actor) if actor is not None else frozenset()
    mine = [e for e in edges if (e.role == wf.SYSTEM) == (actor is None) and (actor is None or wf.actor_may(e, held))]
    open_edges = [e for e in mine if e.holds_for(app, today)]
    if open_edges:
        return open_edges[0]
    if mine and mine[0].guard == "owner_window_passed":
        raise DomainError(
            _("Staff can cancel only after the owner's window has passed (it ends on %(day)s).")
            % {"day": app.owner_due_on}
        )
    if mine and mine[0].guard == "appeal_window_open":
        if app.appeal_filed_on is not None:
            raise DomainError(_("An appeal against this rejection was already filed; only one is possible."))
        ends = wf.appeal_window_ends(app)
        raise DomainError(
            _(
                "An objection can be filed only within %(days)s working days of the rejection (UU 30/2014 Pasal 77), "
                "that is until %(day)s."
            )
            % {"days": settings.APPEAL_WINDOW_WORKING_DAYS, "day": date_format(ends, "j F Y") if ends else "-"}
        )
    if mine and mine[0].guard == "banding_window_open":
        if app.banding_filed_on is not None:
            raise DomainError(_("A banding against this decision was already filed; only one is possible."))
        ends = wf.banding_window_ends(app)
        if ends is None:
            raise DomainError(
                _("A banding is possible only after an objection (keberatan) against the rejection was dismissed.")
            )
        raise DomainError(
            _(
                "A banding can be filed only within %(days)s working days of the objection's decision "
                "(UU 30/2014 Pasal 78), that is until %(day)s."
            )
            % {"days": settings.BANDING_WINDOW_WORKING_DAYS, "day": date_format(ends, "j F Y")}
        )
    if mine and mine[0].guard == "past_mui_limit":
        raise DomainError(_("The case is still within the MUI fatwa session's limit."))
    _check_actor(edges[0], app, actor)  # explains whose action it is
    raise DomainError(_("“%(action)s” is not possible now.") % {"action": wf.action_label(action)})


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

    `actor` is the person acting, or None for the platform's own clock (an escalation). Raises DomainError when the
    action is unknown, not possible in the current state, not the actor's, or its requirements are missing;
    Conflict when the caller saw another state or version (someone acted meanwhile).
    """
    if action not in wf.ACTIONS:
        raise DomainError(_("Unknown action “%(action)s”.") % {"action": action}, errors={"action": [_("Unknown.")]})
    today = cal.today()
    with transaction.atomic():
        app = _locked(application_id)
        if (expected_state is not None and app.state != expected_state) or (
            expected_version is not None and app.version != expected_version
        ):
            raise Conflict(
                _("Someone else changed this application meanwhile: it is now “%(state)s”. Reload and try again.")
                % {"state": _state_label(app.state, app.pathway)}
            )
        edge = _edge(app, action, actor, today)
        _check_actor(edge, app, actor)
        _require(edge, payload)
        fields = HANDLERS[action](app, payload, actor=actor, today=today) if action in HANDLERS else []
        target = edge.target or app.returned_from
        extra = extension_days(payload) if action == "extend_audit" else 0
        fields += clock.advance(app, edge, target, today, extra_days=extra)
        from_state = app.state
        app.state = target
        app.version += 1
        app.save(update_fields=[*dict.fromkeys(fields), "state", "version", "updated_at"])
        text = (note or "").strip() or str(payload.get("reason") or "").strip()
        event = ApplicationEvent.objects.create(
            application=app,
            from_state=from_state,
            to_state=target,
            action=action,
            actor=actor,
            note=text,
            due_on=app.due_on or app.owner_due_on,
            data=_event_data(app, action, payload, extra),
            snapshot_hash=_evidence_hash(app),
        )
        enqueue_on_commit("certification.notify_owner_of_event", event.pk)
        if action == "resubmit":
            enqueue_on_commit("certification.notify_reviewers_of_resubmission", event.pk)
        if action in ("file_appeal", "file_banding"):
            enqueue_on_commit("certification.notify_reviewers_of_appeal", event.pk)
    return app


def _evidence_hash(app: Application) -> str:
    """The content hash of the evidence the case rests on after this step ("" before the first submission)."""
    if app.evidence_id is None:
        return ""
    cached = app._state.fields_cache.get("evidence")
    if cached is not None:
        return str(cached.content_hash)
    found = EvidenceSnapshot.objects.filter(pk=app.evidence_id).values_list("content_hash", flat=True).first()
    return found or ""


def _event_data(app: Application, action: str, payload: dict[str, Any], extra: int) -> dict[str, Any]:
    """What the timeline shows besides the states: the extension, the deciding body, the LPH, the resumed days."""
    data: dict[str, Any] = {}
    if extra:
        data["extra_days"] = extra
    if action in ("appoint_lph", "record_audit") and app.lph_id:
        data["lph"] = str(app.lph)
    if action == "declare_halal":
        data["fatwa_body"] = app.fatwa_body
    if action == "return" and app.paused_remaining_days is not None:
        data["days_left"] = app.paused_remaining_days
    if app.owner_due_on is not None:
        data["owner_due_on"] = app.owner_due_on.isoformat()
    return data


def pph_choices(*, business: Business) -> Any:
    """The assistants an owner may choose from when applying self-declare: those whose jurisdiction covers the
    business's region (never the owner themself)."""
    users = User.objects.filter(assignable_q(role=roles.PPH, business=business))
    open_cases = Count(
        "assisted_applications", filter=Q(assisted_applications__state__in=wf.OPEN_STATES), distinct=True
    )
    users = users.select_related("pph_profile__lp3h").annotate(open_cases=open_cases)
    return users.order_by("open_cases", "full_name", "id")


def lph_choices(*, business: Business) -> list[Lph]:
    """The directory's LPHs that serve the business's province (national ones first by name)."""
    return [lph for lph in Lph.objects.filter(active=True) if lph.serves(business)]
