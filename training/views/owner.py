"""The owner's training pages: my trainings (with each programme's conversation), open programmes to join, join and
leave."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from applicants.models import Business
from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from training import selectors
from training.joining import services as join_services
from training.models import JoinRequest, Program

PAGE_SIZE = 25  # open programmes listed at once


@role_required(roles.OWNER)
def my_trainings(request: HttpRequest) -> HttpResponse:
    enrollments = list(selectors.owner_enrollments(owner=request.user))
    # One conversation per program, shown on the first of its enrollments (an owner may enroll two businesses).
    by_program: dict[int, list[Any]] = {}
    for message in selectors.program_messages_for(request.user, programs={e.program_id for e in enrollments}):
        by_program.setdefault(message.program_id, []).append(message)
    shown: set[int] = set()
    for enrollment in enrollments:
        enrollment.show_messages = enrollment.program_id not in shown
        enrollment.program_messages = by_program.get(enrollment.program_id, [])
        enrollment.messages_anchor = f"program-{enrollment.program_id}-messages"
        shown.add(enrollment.program_id)
    return render(
        request,
        "training/my_trainings.html",
        {
            "enrollments": enrollments,
            "join_requests": selectors.owner_join_requests(owner=request.user),
            "today": timezone.localdate(),
        },
    )


def _owner_business(request: HttpRequest) -> Business:
    """The owner's business named in the POST (someone else's or unknown: 404)."""
    value = request.POST.get("business", "")
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Business.objects.filter(owner=request.user), pk=int(value))


@role_required(roles.OWNER)
def open_list(request: HttpRequest) -> HttpResponse:
    """Trainings an owner can join (a fixed number of queries whatever the number of programs)."""
    today = timezone.localdate()
    programs = list(selectors.open_programs(today=today)[:PAGE_SIZE])
    registrations = selectors.owner_registrations(owner=request.user, programs=programs)
    businesses = list(Business.objects.filter(owner=request.user).order_by("name", "id"))
    for program in programs:
        program.free = max(program.capacity - program.enrolled_count, 0)
        program.mine = registrations[program.pk]
        taken = {row.business_id for row in program.mine}
        program.can_join = [business for business in businesses if business.pk not in taken]
    return render(
        request,
        "training/open_list.html",
        {"programs": programs, "businesses": businesses, "today": today},
    )


_JOINED_MESSAGES = {
    JoinRequest.Status.PENDING: _lazy("%(name)s asked to join; an officer will approve the request."),
    JoinRequest.Status.WAITING: _lazy(
        "The training is full: %(name)s is on the waiting list and moves up when a place frees."
    ),
}


@role_required(roles.OWNER)
@require_http_methods(["POST"])
def program_join(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk, open_for_registration=True)
    business = _owner_business(request)
    try:
        result = join_services.training_join(program=program, business=business, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("training:open-list")
    if isinstance(result, JoinRequest):
        messages.success(request, str(_JOINED_MESSAGES[result.status]) % {"name": business.name})
    else:
        messages.success(
            request, _("%(name)s is enrolled in %(title)s.") % {"name": business.name, "title": program.title}
        )
    return redirect("training:my-trainings")


@role_required(roles.OWNER)
@require_http_methods(["POST"])
def program_leave(request: HttpRequest, pk: int) -> HttpResponse:
    business = _owner_business(request)
    program = get_object_or_404(Program, pk=pk)
    try:
        join_services.training_leave(program=program, business=business, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s left %(title)s.") % {"name": business.name, "title": program.title})
    return redirect("training:my-trainings")
