"""Officer pages: programmes, enrolment, the attendance sheet, follow-ups, overdue and lacking lists, join requests,
and the programme conversation (officers and participants)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.files.exports import CHUNK_SIZE, csv_response
from core.files.uploads import download_name
from core.web.pagination import CachedCountPaginator
from training import messaging as message_services
from training import selectors, services
from training.facilitation.selectors import facilitations_for
from training.forms import EnrollForm, FollowUpPlanForm, FollowUpRecordForm, LackingFilterForm, ProgramForm
from training.joining import services as join_services
from training.models import JoinRequest, Program

PAGE_SIZE = 25
ENROLL_CHOICES_LIMIT = 200


def _can_manage(user: Any) -> bool:
    return roles.has_role(user, *selectors.MANAGERS)


def _program(request: HttpRequest, pk: int) -> Program:
    return get_object_or_404(selectors.with_coverage(selectors.programs_for(request.user)), pk=pk)


@role_required(*selectors.STAFF_READERS, roles.OWNER)
def program_list(request: HttpRequest) -> HttpResponse:
    if not roles.has_role(request.user, *selectors.STAFF_READERS):
        return redirect("training:open-list")  # owners: the trainings they can join
    query = request.GET.get("q", "").strip()
    topic = request.GET.get("topic", "")
    programs = selectors.program_list(user=request.user, query=query, topic=topic)
    page = CachedCountPaginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    for program in page:
        program.coverage = selectors.coverage_percent(program)
    return render(
        request,
        "training/program_list.html",
        {
            "page": page,
            "query": query,
            "topic": topic,
            "topics": Program.Topic.choices,
            "can_manage": _can_manage(request.user),
        },
    )


@role_required(*selectors.MANAGERS)
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    program = _program(request, pk) if pk is not None else None
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if program is None:
                program = services.program_create(actor=request.user, **form.cleaned_data)
            else:
                program = services.program_update(program=program, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            for field, field_errors in error.errors.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.errors:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The training program was saved."))
            return redirect("training:program-detail", pk=program.pk)
    return render(request, "training/program_form.html", {"form": form, "program": program})


@role_required(*selectors.STAFF_READERS)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    program.coverage = selectors.coverage_percent(program)
    participants = list(selectors.enrollments_for(request.user, program=program))
    return render(
        request,
        "training/program_detail.html",
        {
            "program": program,
            "participants": participants,
            "program_messages": list(selectors.program_messages_for(request.user, programs=[program.pk])),
            "can_write_messages": roles.has_role(request.user, *message_services.WRITERS),
            "join_requests": selectors.program_join_requests(program=program),
            "can_manage": _can_manage(request.user),
            "today": timezone.localdate(),
            # BPOM trainings list the facilitation cases they led to (one more query, on those programs only).
            "facilitations": list(
                facilitations_for(request.user).filter(program=program).select_related("business").order_by("id")
            )
            if program.topic == Program.Topic.BPOM_REGISTRATION
            else None,
        },
    )


@role_required(*selectors.MANAGERS)
@require_http_methods(["GET", "POST"])
def program_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    query = request.GET.get("q", "").strip()
    candidates = list(
        selectors.businesses_to_enroll(program=program, query=query, user=request.user)[:ENROLL_CHOICES_LIMIT]
    )
    form = EnrollForm(
        request.POST or None,
        choices=[(business.pk, business.name) for business in candidates]
        if request.method == "GET"
        else [(int(value), value) for value in request.POST.getlist("businesses") if value.isdigit()],
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(
            selectors.businesses_to_enroll(program=program, user=request.user).filter(
                pk__in=form.cleaned_data["businesses"]
            )
        )
        try:
            created = services.enrollment_add(program=program, businesses=chosen, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)d business(es) enrolled.") % {"count": len(created)})
            return redirect("training:program-detail", pk=program.pk)
    free = max(program.capacity - program.enrolled_count, 0)
    return render(
        request,
        "training/program_enroll.html",
        {"program": program, "candidates": candidates, "query": query, "free": free, "form": form},
    )


def _session_day(request: HttpRequest, program: Program, value: str) -> Any:
    """The day named in the request (YYYY-MM-DD), else today within the program, else its first day."""
    days = program.session_days
    try:
        chosen = date.fromisoformat(value) if value else None
    except ValueError:
        chosen = None
    if chosen in days:
        return chosen
    if value:
        messages.error(request, _("Choose a day of the program."))
    today = timezone.localdate()
    return today if today in days else days[0]


@role_required(*selectors.MANAGERS)
@require_http_methods(["GET", "POST"])
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance of one session day (multi-day programs: a link per day)."""
    program = _program(request, pk)
    if request.method == "POST":
        value = request.POST.get("day", "")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            messages.error(request, _("Choose a day of the program."))
            return redirect("training:attendance", pk=program.pk)
        listed = [int(value) for value in request.POST.getlist("listed") if value.isdigit()]
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        try:
            written = services.attendance_record(
                program=program, marks={pk: pk in present for pk in listed}, day=day, actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Attendance of %(day)s saved for %(count)d participant(s).")
                % {"day": date_format(day, "j F Y"), "count": written},
            )
            return redirect(f"{reverse('training:attendance', args=[program.pk])}?day={day.isoformat()}")
    else:
        day = _session_day(request, program, request.GET.get("day", ""))
    participants = list(selectors.enrollments_for(request.user, program=program))
    marks = selectors.attendance_of_day(program=program, day=day)
    for enrollment in participants:
        enrollment.present_today = marks.get(enrollment.pk)
    return render(
        request,
        "training/attendance_sheet.html",
        {"program": program, "participants": participants, "day": day, "days": program.session_days},
    )


def _apply_errors(form: Any, error: DomainError) -> None:
    for field, field_errors in error.errors.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.message)


@role_required(*selectors.MANAGERS)
@require_http_methods(["GET", "POST"])
def follow_up_plan(request: HttpRequest, pk: int, enrollment_pk: int) -> HttpResponse:
    program = _program(request, pk)
    enrollment = get_object_or_404(selectors.enrollments_for(request.user, program=program), pk=enrollment_pk)
    form = FollowUpPlanForm(request.POST or None, request.FILES or None, initial={"responsible_officer": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.followup_create(
                enrollment=enrollment,
                kind=data["kind"],
                planned_on=data["planned_on"],
                responsible_officer=data["responsible_officer"],
                done_on=data["done_on"],
                outcome=data["outcome"],
                evidence=data["evidence"] or None,
                actor=request.user,
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("training:program-detail", pk=program.pk)
    return render(request, "training/follow_up_form.html", {"program": program, "enrollment": enrollment, "form": form})


@role_required(*selectors.MANAGERS)
@require_http_methods(["GET", "POST"])
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    form = FollowUpRecordForm(
        request.POST or None,
        request.FILES or None,
        initial={"done_on": follow_up.done_on or timezone.localdate(), "outcome": follow_up.outcome},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.followup_record(
                follow_up=follow_up,
                done_on=data["done_on"],
                outcome=data["outcome"],
                evidence=data["evidence"] or None,
                actor=request.user,
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("training:program-detail", pk=follow_up.enrollment.program_id)
    return render(
        request,
        "training/follow_up_form.html",
        {
            "program": follow_up.enrollment.program,
            "enrollment": follow_up.enrollment,
            "follow_up": follow_up,
            "form": form,
        },
    )


@role_required(*roles.ALL_ROLES)
def follow_up_evidence(request: HttpRequest, pk: int) -> FileResponse:
    follow_up = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    if not follow_up.evidence:
        raise Http404
    return FileResponse(
        follow_up.evidence.open("rb"),
        as_attachment=True,
        filename=download_name(
            follow_up.evidence_name or follow_up.evidence.name.rsplit("/", 1)[-1], follow_up.evidence_content_type
        ),
        content_type=follow_up.evidence_content_type or "application/octet-stream",
    )


@role_required(*selectors.MANAGERS)
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    follow_ups = list(selectors.overdue_follow_ups(officer=request.user, today=today)[:200])
    programs = list(selectors.programs_lacking_follow_up(today=today, officer=request.user)[:200])
    for program in programs:
        program.coverage = selectors.coverage_percent(program)
    return render(request, "training/overdue.html", {"follow_ups": follow_ups, "programs": programs, "today": today})


@role_required(*selectors.MANAGERS)
@require_http_methods(["POST"])
def join_request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    join_request = get_object_or_404(
        selectors.join_requests_for(request.user).select_related("program", "business"), pk=pk
    )
    try:
        if decision == "approve":
            result = join_services.join_request_approve(join_request=join_request, actor=request.user)
            if isinstance(result, JoinRequest):
                message = _("Approved: the training is full, so %(name)s is on the waiting list.")
            else:
                message = _("Approved: %(name)s is enrolled.")
        else:
            join_services.join_request_decline(join_request=join_request, actor=request.user)
            message = _("Declined: %(name)s was told on their trainings page.")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message % {"name": join_request.business.name})
    return redirect("training:program-detail", pk=join_request.program_id)


def _lacking(request: HttpRequest) -> tuple[LackingFilterForm, Any, Any]:
    """The filter form and the filtered participants (none when a filter is invalid: the form says why)."""
    today = timezone.localdate()
    lacking_programs = selectors.programs_lacking_follow_up(today=today, user=request.user)
    form = LackingFilterForm(request.GET or None, programs=lacking_programs, user=request.user)
    if request.GET and not form.is_valid():
        return form, selectors.participants_lacking_follow_up(user=request.user, today=today).none(), today
    data = form.cleaned_data if request.GET else {}
    participants = selectors.participants_lacking_follow_up(
        user=request.user,
        today=today,
        region_id=data["region"].pk if data.get("region") else None,
        program_id=data["program"].pk if data.get("program") else None,
        kind=data.get("kind") or "",
        overdue_days=data.get("overdue_days") or 0,
    )
    return form, participants, today


@role_required(*selectors.MANAGERS)
def participants_lacking(request: HttpRequest) -> HttpResponse:
    """Who has had no follow-up: one row per participant, filtered, with a CSV of the same rows."""
    form, participants, today = _lacking(request)
    page = CachedCountPaginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    for enrollment in page:
        enrollment.overdue_days = (today - enrollment.program.follow_up_due_on).days
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/participants_lacking.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": today},
    )


@role_required(*selectors.MANAGERS)
def participants_lacking_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, one row per follow-up (or one row without follow-up), with outcomes; streamed."""
    form, participants, today = _lacking(request)
    header = [
        _("Business"),
        _("NIB"),
        _("Phone / WhatsApp"),
        _("Regency / city"),
        _("Program"),
        _("Follow-up due"),
        _("Days overdue"),
        _("Follow-up kind"),
        _("Planned date"),
        _("Done date"),
        _("Outcome"),
        _("Responsible officer"),
    ]

    def rows() -> Any:
        for enrollment in participants.iterator(chunk_size=CHUNK_SIZE):
            business, program = enrollment.business, enrollment.program
            start = [
                business.name,
                business.nib,
                business.phone,
                str(business.region),
                program.title,
                program.follow_up_due_on.isoformat(),
                (today - program.follow_up_due_on).days,
            ]
            follow_ups = list(enrollment.follow_ups.all())
            if not follow_ups:
                yield [*start, "", "", "", "", str(program.responsible_officer)]
            for follow_up in follow_ups:
                yield [
                    *start,
                    follow_up.get_kind_display(),
                    follow_up.planned_on.isoformat(),
                    follow_up.done_on.isoformat() if follow_up.done_on else "",
                    follow_up.outcome,
                    str(follow_up.responsible_officer),
                ]

    return csv_response(f"tanpa-tindak-lanjut-{today:%Y%m%d}.csv", header, rows())


# --- Messages on a program: the officer's announcements, the participants' questions ---
@role_required(roles.OWNER, *message_services.WRITERS)
@require_POST
def program_message(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(selectors.programs_for(request.user), pk=pk)  # an owner: only programs they are in
    try:
        message_services.program_message_post(
            program=program,
            author=request.user,
            body=request.POST.get("body", ""),
            attachment=request.FILES.get("attachment"),
        )
        messages.success(request, _("Your message was sent."))
    except DomainError as error:
        messages.error(request, str(error))
    if roles.has_role(request.user, *message_services.WRITERS):
        return redirect(reverse("training:program-detail", args=[program.pk]) + "#messages")
    return redirect(reverse("training:my-trainings") + f"#program-{program.pk}-messages")


@role_required(roles.OWNER, *selectors.STAFF_READERS)
def program_message_file(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    program = get_object_or_404(selectors.programs_for(request.user), pk=pk)
    message = get_object_or_404(selectors.program_messages_for(request.user, programs=[program.pk]), pk=message_pk)
    if not message.attachment:
        raise Http404
    response = FileResponse(message.attachment.open("rb"), as_attachment=True, filename=message.attachment_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
