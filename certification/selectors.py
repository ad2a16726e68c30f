"""Reads of the certification app, scoped by user: what is outside a user's reach does not exist for them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from certification import calendar as cal
from certification import workflow as wf
from certification.models import Application, ApplicationEvent
from halalmsi import roles


def applications_for(user: Any) -> QuerySet[Application]:
    """Reviewers and admins see every application; owners their businesses'; assistants those assigned to them."""
    base = Application.objects.select_related("business", "business__region", "assigned_reviewer", "assigned_pph")
    held = roles.roles_of(user)
    if not held:
        return base.none()
    if held.intersection(wf.ACTOR_ROLES[wf.REVIEWER]):
        return base
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


def queue_ordering(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Earliest due date first; stages without a limit after them, oldest first."""
    from django.db.models import F

    return queryset.order_by(F("due_on").asc(nulls_last=True), "submitted_at", "id")


def is_overdue(application: Application, today: Any = None) -> bool:
    return (
        application.due_on is not None
        and application.state in wf.OPEN_STATES
        and application.due_on < (today or cal.today())
    )


def allowed_actions(application: Application, user: Any) -> list[str]:
    """The actions this user may take on this application now. Needs `business` loaded; runs no query."""
    held = roles.roles_of(user)
    result = []
    for edge in wf.transitions_from(application.state, application.pathway):
        if not wf.actor_may(edge, held):
            continue
        if edge.role == wf.OWNER and application.business.owner_id != user.pk:
            continue
        if edge.role == wf.PPH and application.assigned_pph_id != user.pk:
            continue
        if edge.action not in result:
            result.append(edge.action)
    return result


def events_of(application: Application) -> QuerySet[ApplicationEvent]:
    return ApplicationEvent.objects.filter(application=application).select_related("actor").order_by("created_at", "id")
