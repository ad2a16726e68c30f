"""Reads of the certification app, scoped by user: what is outside a user's reach does not exist for them."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import Coalesce

from applicants.models import StaffRegion
from applicants.selectors import jurisdiction_q, staff_for_region, staff_overlapping_q
from certification.models import (
    Appeal,
    Application,
    ApplicationEvent,
    CaseDocument,
    Certificate,
    SehatiQuota,
    Verification,
)
from certification.workflow import clock
from certification.workflow import table as wf
from certification.workflow.quota import cutover_of
from core.access import roles
from core.calendar import days as cal


def case_reviewers(application: Application) -> QuerySet[Any]:
    """The reviewers a notice about a case may go to when none is assigned: those whose jurisdiction covers the
    case's region (the queue's rule, applicants.selectors.staff_for_region), never the business's owner."""
    return staff_for_region(application.business.region_id, roles.REVIEWER).exclude(pk=application.business.owner_id)


def applications_for(user: Any) -> QuerySet[Application]:
    """Reviewers and admins see the applications of their jurisdiction; owners their businesses'; assistants those
    assigned to them."""
    base = Application.objects.select_related(
        "business", "business__region", "assigned_reviewer", "assigned_pph", "lph"
    )
    held = roles.roles_of(user)
    if not held:
        return base.none()
    if held.intersection(wf.ACTOR_ROLES[wf.REVIEWER]):
        return base.filter(jurisdiction_q(user, "business__"))
    scope = Q(pk__in=[])
    if roles.OWNER in held:
        scope |= Q(business__owner=user)
    if roles.PPH in held:
        scope |= Q(assigned_pph=user)
    return base.filter(scope)


def applications_filtered(
    queryset: QuerySet[Application],
    *,
    user: Any,
    state: str = "",
    pathway: str = "",
    region: str = "",
    overdue: bool = False,
    assigned_to_me: bool = False,
) -> QuerySet[Application]:
    """The case queue's filters. `region` is a region code: a regency/city or (2 digits) a whole province."""
    if state:
        queryset = queryset.filter(state=state)
    if pathway:
        queryset = queryset.filter(pathway=pathway)
    if region:
        if len(region) == 2:
            queryset = queryset.filter(business__region__code__startswith=region)
        else:
            queryset = queryset.filter(business__region__code=region)
    if overdue:
        queryset = queryset.filter(due_on__lt=cal.today(), state__in=wf.OPEN_STATES)
    if assigned_to_me:
        queryset = queryset.filter(Q(assigned_reviewer=user) | Q(assigned_pph=user))
    return queryset


# The queue filter's "every state" choice (QueueFilterForm).
ALL_STATES = "all"


def case_queue(user: Any, filters: dict[str, Any]) -> QuerySet[Application]:
    """The staff case queue for the cleaned QueueFilterForm data: the queue page and its CSV/XLSX export, so an
    export always holds what the page shows. Without a state filter: every open state but draft; ALL_STATES: every
    case, closed ones and drafts too (the national export)."""
    state = filters.get("state", "")
    queryset = applications_filtered(
        applications_for(user),
        user=user,
        state="" if state == ALL_STATES else state,
        pathway=filters.get("pathway", ""),
        region=filters.get("region", ""),
        overdue=filters.get("overdue", False),
        assigned_to_me=filters.get("assigned_to_me", False),
    )
    if not filters.get("state"):
        queryset = queryset.filter(state__in=wf.OPEN_STATES - {"draft"})
    return queue_ordering(queryset, few=bool(filters.get("assigned_to_me")))


# Later than any due date: the same order as NULLS LAST, as an expression no index provides.
NO_DUE_DATE = datetime.date(9999, 12, 31)


def queue_ordering(queryset: QuerySet[Application], *, few: bool = False) -> QuerySet[Application]:
    """Earliest due date first; stages without a limit after them, oldest first.

    `few`: the filter keeps one person's cases (a workload, not a share of the nation). The same order, written so
    that no index can provide it: PostgreSQL then reads the person's cases by their own index and sorts them,
    rather than walking the national queue in order hoping to meet fifty of them (10 s at 1M for a person with
    none, bench/RESULTS.md)."""
    if few:
        return queryset.order_by(Coalesce("due_on", Value(NO_DUE_DATE)), "submitted_at", "id")
    return queryset.order_by(F("due_on").asc(nulls_last=True), "submitted_at", "id")


def is_overdue(application: Application, today: Any = None) -> bool:
    return clock.is_overdue(application, today)


def edge_for(application: Application, action: str, user: Any, today: Any = None) -> wf.Transition | None:
    """The edge this user would take with `action` now (actor, identity and guard checked), or None. No query."""
    held = roles.roles_of(user)
    today = today or cal.today()
    for edge in wf.edges_for(action, application.state, application.pathway):
        if edge.role == wf.SYSTEM or not wf.actor_may(edge, held) or not edge.holds_for(application, today):
            continue
        if edge.role == wf.OWNER and application.business.owner_id != user.pk:
            continue
        if edge.role == wf.PPH and application.assigned_pph_id != user.pk:
            continue
        if edge.role in (wf.REVIEWER, wf.PPH) and application.business.owner_id == user.pk:
            continue  # conflict of interest: never staff on a case of one's own business
        if edge.action in ("uphold_appeal", "dismiss_appeal") and application.rejected_by_id == user.pk:
            continue  # the reviewer who rejected never decides the appeal
        return edge
    return None


def allowed_actions(application: Application, user: Any, today: Any = None) -> list[str]:
    """The actions this user may take on this application now. Needs `business` loaded; runs no query."""
    today = today or cal.today()
    return [a for a in wf.ACTIONS if edge_for(application, a, user, today) is not None]


def events_of(application: Application) -> QuerySet[ApplicationEvent]:
    return (
        ApplicationEvent.objects.filter(application=application)
        .select_related("actor", "application")
        .order_by("created_at", "id")
    )


def latest_appeal(application: Application) -> Appeal | None:
    """The case's latest appeal, or None; queried only for a case that was rejected (no query otherwise)."""
    if application.appeal_filed_on is None and application.state != "appeal":
        return None
    return Appeal.objects.filter(application=application).select_related("decided_by").first()


def case_documents_of(application: Application) -> QuerySet[CaseDocument]:
    """The documents the platform wrote for the case (STTD, not-halal statement), rendered or still queued."""
    return CaseDocument.objects.filter(application=application).order_by("created_at", "id")


def sehati_pools(*, year: int | None = None) -> list[dict[str, Any]]:
    """Every Sehati pool (a year's regional and national pools) with its places, used places and cut-over date."""
    queryset = SehatiQuota.objects.select_related("region").order_by("-year", F("region__code").asc(nulls_first=True))
    if year is not None:
        queryset = queryset.filter(year=year)
    return [
        {
            "year": q.year,
            "region": None if q.region is None else {"code": q.region.code, "name": q.region.name},
            "places": q.places,
            "used": q.used,
            "cutover": None if q.region is None else cutover_of(q),
        }
        for q in queryset
    ]


# --- Certificates ---
def certificates_for(user: Any) -> QuerySet[Certificate]:
    """Staff see the certificates of their jurisdiction; owners their businesses'; everyone else none."""
    held = roles.roles_of(user)
    if held.intersection(roles.STAFF_ROLES):
        return Certificate.objects.filter(jurisdiction_q(user, "application__business__"))
    if roles.OWNER in held:
        return Certificate.objects.filter(application__business__owner=user)
    return Certificate.objects.none()


def _selected_with(application: Application, relation: str) -> bool:
    """Whether the case was read with this one-to-one relation (select_related): no query to follow it."""
    return bool(application._meta.get_field(relation).is_cached(application))  # type: ignore[union-attr]


def certificate_of(application: Application) -> Certificate | None:
    if _selected_with(application, "certificate"):
        return getattr(application, "certificate", None)
    return Certificate.objects.filter(application=application).first()


# --- Assistants ---
def assistant_workload(*, user: Any, since: Any, until: Any = None) -> QuerySet[Any]:
    """The halal process assistants who can take some case of `user`'s regions (the queue's rule; national staff:
    all), with their LP3H and regions served, annotated in one query with `open_cases` (assigned cases not yet
    closed) and `validated` (their field validations, pph_validate events, from `since` up to `until`)."""
    period = Q(
        assisted_applications__events__action="pph_validate",
        assisted_applications__events__actor=F("pk"),
        assisted_applications__events__created_at__gte=since,
    )
    if until is not None:
        period &= Q(assisted_applications__events__created_at__lt=until)
    regions = Prefetch("jurisdiction", StaffRegion.objects.select_related("region").order_by("region__code"))
    return (
        get_user_model()
        .objects.filter(roles.holders(roles.PPH), staff_overlapping_q(user), is_active=True)
        .select_related("pph_profile__lp3h")
        .prefetch_related(regions)
        .annotate(
            open_cases=Count(
                "assisted_applications",
                filter=Q(assisted_applications__state__in=wf.OPEN_STATES),
                distinct=True,
            ),
            validated=Count("assisted_applications__events", filter=period, distinct=True),
        )
        .order_by("full_name", "id")
    )


def verification_of(application: Application) -> Verification | None:
    """The assistant's verification of a case (with its items and photos prefetched), or None."""
    if _selected_with(application, "verification"):
        verification: Verification | None = getattr(application, "verification", None)
        if verification is not None:
            prefetch_related_objects([verification], "items", "photos")
        return verification
    return (
        Verification.objects.prefetch_related("items", "photos")
        .select_related("updated_by")
        .filter(application=application)
        .first()
    )
