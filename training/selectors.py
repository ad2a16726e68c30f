"""Reads for training, scoped by user. Coverage is computed in SQL for many programs in one query."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from applicants.models import Business
from applicants.selectors import jurisdiction_q
from core.access import roles
from training.models import Enrollment, FollowUp, JoinRequest, Program, ProgramMessage, SessionAttendance

STAFF_READERS = (roles.OFFICER, roles.ADMIN, roles.REVIEWER)
MANAGERS = (roles.OFFICER, roles.ADMIN)


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) subquery over `queryset` (already filtered on OuterRef), 0 when empty."""
    counted = queryset.order_by().values("program").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def done_follow_up_exists() -> Exists:
    return Exists(FollowUp.objects.filter(enrollment=OuterRef("pk"), done_on__isnull=False))


def with_coverage(queryset: QuerySet[Program]) -> QuerySet[Program]:
    """Annotate `enrolled_count`, `attended_count` and `covered_count` (attended with >= 1 done follow-up)."""
    enrollments = Enrollment.objects.filter(program=OuterRef("pk"))
    attended = enrollments.filter(attended=True)
    return queryset.annotate(
        enrolled_count=_count_of(enrollments),
        attended_count=_count_of(attended),
        covered_count=_count_of(attended.filter(done_follow_up_exists())),
    )


def coverage_percent(program: Program) -> Decimal | None:
    """Coverage of an annotated program as a percentage with one decimal; None without attended participants."""
    attended = getattr(program, "attended_count", 0)
    if not attended:
        return None
    ratio = Decimal(getattr(program, "covered_count", 0)) * 100 / Decimal(attended)
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def programs_for(user: Any) -> QuerySet[Program]:
    """Programs a user may see: staff those of their regions (national staff all), owners those their businesses
    are enrolled in, others none."""
    queryset = Program.objects.select_related("responsible_officer", "region")
    if roles.has_role(user, *STAFF_READERS):
        return queryset.filter(jurisdiction_q(user))
    if roles.has_role(user, roles.OWNER):
        return queryset.filter(Exists(Enrollment.objects.filter(program=OuterRef("pk"), business__owner=user)))
    return queryset.none()


def program_list(*, user: Any, query: str = "", topic: str = "") -> QuerySet[Program]:
    queryset = with_coverage(programs_for(user))
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(venue__icontains=query))
    if topic:
        queryset = queryset.filter(topic=topic)
    return queryset.order_by("-start_date", "id")


def enrollments_for(user: Any, *, program: Program) -> QuerySet[Enrollment]:
    """Participants of a program the user may see, with their follow-ups: staff who run the programme (its region
    is theirs) all of them, other staff those of their regions, owners only their own businesses."""
    queryset = (
        Enrollment.objects.filter(program=program)
        .select_related("business", "business__region")
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("responsible_officer").order_by("planned_on", "id"),
            )
        )
        .annotate(has_done_follow_up=done_follow_up_exists())
        .order_by("business__name", "id")
    )
    if roles.has_role(user, *STAFF_READERS):
        return queryset.filter(jurisdiction_q(user, "business__") | jurisdiction_q(user, "program__"))
    if roles.has_role(user, roles.OWNER):
        return queryset.filter(business__owner=user)
    return queryset.none()


def follow_ups_for(user: Any) -> QuerySet[FollowUp]:
    queryset = FollowUp.objects.select_related(
        "enrollment__program", "enrollment__business", "responsible_officer"
    ).order_by("planned_on", "id")
    if roles.has_role(user, *STAFF_READERS):
        return queryset.filter(
            jurisdiction_q(user, "enrollment__business__") | jurisdiction_q(user, "enrollment__program__")
        )
    if roles.has_role(user, roles.OWNER):
        return queryset.filter(enrollment__business__owner=user)
    return queryset.none()


def overdue_follow_ups(*, officer: Any, today: date) -> QuerySet[FollowUp]:
    """Follow-ups the officer is responsible for whose planned date passed and that are not done."""
    return follow_ups_for(officer).filter(responsible_officer=officer, planned_on__lt=today, done_on__isnull=True)


def lacking_follow_up(*, region_id: int | None = None) -> QuerySet[Enrollment]:
    """Attended participants without a completed follow-up (of a regency, or a province and its regencies)."""
    queryset = Enrollment.objects.filter(attended=True).exclude(done_follow_up_exists())
    if region_id is not None:
        queryset = queryset.filter(Q(business__region_id=region_id) | Q(business__region__parent_id=region_id))
    return queryset


def programs_lacking_follow_up(
    *, today: date, officer: Any | None = None, region_id: int | None = None, user: Any = None
) -> QuerySet[Program]:
    """Programs past their follow-up due date where some attended participant has no completed follow-up.

    The one definition: the officer's dashboard, the overdue page, and the monthly report (with the month's last day
    as `today` and its region) all call this, so they cannot disagree.
    """
    lacking = lacking_follow_up(region_id=region_id).filter(program=OuterRef("pk"))
    queryset = with_coverage(Program.objects.select_related("responsible_officer")).filter(
        Exists(lacking), follow_up_due_on__lte=today
    )
    if officer is not None:
        queryset = queryset.filter(responsible_officer=officer)
    if user is not None:
        queryset = queryset.filter(jurisdiction_q(user))
    return queryset.order_by("follow_up_due_on", "id")


def owner_enrollments(*, owner: Any) -> QuerySet[Enrollment]:
    """An owner's enrollments with program and follow-ups (for "my trainings")."""
    return (
        Enrollment.objects.filter(business__owner=owner)
        .select_related("program", "business")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("planned_on", "id")))
        .order_by("-program__start_date", "business__name", "id")
    )


def businesses_to_enroll(*, program: Program, query: str = "", user: Any = None) -> QuerySet[Business]:
    """Registry businesses (of the user's jurisdiction) not yet enrolled in the program, searched by name or NIB."""
    queryset = Business.objects.select_related("region")
    if user is not None:
        queryset = queryset.filter(jurisdiction_q(user))
    queryset = queryset.exclude(Exists(Enrollment.objects.filter(program=program, business=OuterRef("pk"))))
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(nib__startswith=query))
    return queryset.order_by("name", "id")


def open_programs(*, today: date) -> QuerySet[Program]:
    """Programs owners can still join today, soonest first, with `enrolled_count` and `waiting_count` (one query).

    Open: flagged open by the officer, and today is on or before the closing date and before the start.
    """
    closes_in_time = Q(registration_closes_on__isnull=True) | Q(registration_closes_on__gte=today)
    waiting = JoinRequest.objects.filter(program=OuterRef("pk"), status=JoinRequest.Status.WAITING)
    return (
        Program.objects.filter(closes_in_time, open_for_registration=True, start_date__gt=today)
        .annotate(enrolled_count=_count_of(Enrollment.objects.filter(program=OuterRef("pk"))))
        .annotate(waiting_count=_count_of(waiting))
        .order_by("start_date", "id")
    )


def owner_registrations(*, owner: Any, programs: list[Program]) -> dict[int, list[Any]]:
    """For each program, the owner's enrollments and requests (two queries), to show "joined", "waiting" etc."""
    ids = [program.pk for program in programs]
    found: dict[int, list[Any]] = {pk: [] for pk in ids}
    for enrollment in Enrollment.objects.filter(program_id__in=ids, business__owner=owner).select_related("business"):
        enrollment.registration = "enrolled"  # type: ignore[attr-defined]  # shown by the template
        found[enrollment.program_id].append(enrollment)
    for request in JoinRequest.objects.filter(program_id__in=ids, business__owner=owner).select_related("business"):
        request.registration = request.status  # type: ignore[attr-defined]
        found[request.program_id].append(request)
    return found


def owner_join_requests(*, owner: Any) -> list[JoinRequest]:
    """The owner's open and declined requests, each waiting one with its `position` on the list (two queries)."""
    requests = list(
        JoinRequest.objects.filter(business__owner=owner)
        .select_related("program", "business")
        .order_by("program__start_date", "id")
    )
    waiting = [request for request in requests if request.status == JoinRequest.Status.WAITING]
    if waiting:
        ahead = JoinRequest.objects.filter(
            program=OuterRef("program"), status=JoinRequest.Status.WAITING, queued_at__lt=OuterRef("queued_at")
        )
        positions = dict(
            JoinRequest.objects.filter(pk__in=[request.pk for request in waiting])
            .annotate(ahead=_count_of(ahead))
            .values_list("pk", "ahead")
        )
        for request in waiting:
            request.position = positions[request.pk] + 1  # type: ignore[attr-defined]
    return requests


def join_requests_for(user: Any) -> QuerySet[JoinRequest]:
    """Join requests a staff member may decide: those of the programmes of their regions."""
    return JoinRequest.objects.filter(program__in=programs_for(user).values("pk"))


def program_join_requests(*, program: Program) -> list[JoinRequest]:
    """Pending requests and the waiting list of a program, in order (for the officer's program page)."""
    return list(
        JoinRequest.objects.filter(program=program)
        .exclude(status=JoinRequest.Status.DECLINED)
        .select_related("business", "business__region", "requested_by")
        .order_by("status", "queued_at", "requested_at", "id")
    )


def participants_lacking_follow_up(
    *,
    user: Any,
    today: date,
    region_id: int | None = None,
    program_id: int | None = None,
    kind: str = "",
    overdue_days: int = 0,
) -> QuerySet[Enrollment]:
    """Attended participants of programs past their follow-up due date (by at least `overdue_days`) who have had
    no completed follow-up (of `kind`, when given), with their program, business, regency and follow-ups.

    The same rule as `programs_lacking_follow_up`, one row per participant: the officer sees who to visit, of the
    programmes they run and the businesses of their regions (enrollments_for's rule).
    """
    done = FollowUp.objects.filter(enrollment=OuterRef("pk"), done_on__isnull=False)
    if kind:
        done = done.filter(kind=kind)
    queryset = Enrollment.objects.filter(
        attended=True, program__follow_up_due_on__lte=today - timedelta(days=max(overdue_days, 0))
    ).exclude(Exists(done))
    queryset = queryset.filter(jurisdiction_q(user, "business__") | jurisdiction_q(user, "program__"))
    if region_id is not None:
        queryset = queryset.filter(Q(business__region_id=region_id) | Q(business__region__parent_id=region_id))
    if program_id is not None:
        queryset = queryset.filter(program_id=program_id)
    return (
        queryset.select_related("program", "program__responsible_officer", "business", "business__region")
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("responsible_officer").order_by("planned_on", "id"),
            )
        )
        .order_by("program__follow_up_due_on", "program_id", "business__name", "id")
    )


def attendance_of_day(*, program: Program, day: date) -> dict[int, bool]:
    """Enrollment id -> present on that session day (participants without a mark for the day are absent from it)."""
    return dict(
        SessionAttendance.objects.filter(enrollment__program=program, day=day).values_list("enrollment_id", "present")
    )


def programs_awaiting_approval(*, officer: Any) -> QuerySet[Program]:
    """The officer's programs with owners' requests awaiting approval, with `pending_count`, soonest start first."""
    pending = JoinRequest.objects.filter(program=OuterRef("pk"), status=JoinRequest.Status.PENDING)
    return (
        Program.objects.filter(responsible_officer=officer)
        .annotate(pending_count=_count_of(pending))
        .filter(pending_count__gt=0)
        .order_by("start_date", "id")
    )


def program_messages_for(user: Any, *, programs: Any) -> QuerySet[ProgramMessage]:
    """Messages on these programs the user may read: staff every message; an owner the announcements of programs
    their businesses are enrolled in and their own questions; anyone else none."""
    queryset = ProgramMessage.objects.filter(program__in=programs).select_related("author").order_by("created_at", "id")
    if roles.has_role(user, *STAFF_READERS):
        return queryset.filter(jurisdiction_q(user, "program__"))
    if roles.has_role(user, roles.OWNER):
        enrolled = Enrollment.objects.filter(program=OuterRef("program"), business__owner=user)
        return queryset.filter(Exists(enrolled)).filter(Q(kind=ProgramMessage.Kind.ANNOUNCEMENT) | Q(author=user))
    return queryset.none()
