"""Owners find and join open trainings (issue 19, item 6): capacity, closing date, waiting list, officer approval.

Bad input (closed, not open, twice, someone else's business) gets a clear message and writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError
from tests.training.factories import BusinessFactory, EnrollmentFactory, ProgramFactory
from training import selectors, services
from training.joining import services as js
from training.models import Enrollment, JoinRequest, Program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_services() -> Any:
    """Services answer in the active language: English here (a page request before may have left Indonesian)."""
    with translation.override("en"):
        yield


TODAY = date(2026, 3, 1)


def open_program(officer: Any, **fields: Any) -> Any:
    start = fields.pop("start_date", TODAY + timedelta(days=14))
    defaults = {
        "open_for_registration": True,
        "capacity": 2,
        "start_date": start,
        "end_date": start + timedelta(days=2),
    }
    return ProgramFactory(responsible_officer=officer, **{**defaults, **fields})


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


def test_an_owner_joins_an_open_program_with_a_free_place(oscar: Any, alice: Any) -> None:
    program = open_program(oscar)
    business = BusinessFactory(owner=alice)
    result = js.training_join(program=program, business=business, actor=alice, today=TODAY)
    assert isinstance(result, Enrollment)
    assert (result.program, result.business, result.enrolled_by) == (program, business, alice)


def test_a_full_program_puts_the_owner_on_the_waiting_list_and_a_freed_place_moves_it_up(
    oscar: Any, alice: Any, bob: Any
) -> None:
    program = open_program(oscar, capacity=1)
    bobs = BusinessFactory(owner=bob)
    js.training_join(program=program, business=bobs, actor=bob, today=TODAY)
    alices, alices_second = BusinessFactory(owner=alice), BusinessFactory(owner=alice)
    first = js.training_join(program=program, business=alices, actor=alice, today=TODAY)
    second = js.training_join(program=program, business=alices_second, actor=alice, today=TODAY)
    assert isinstance(first, JoinRequest) and first.status == JoinRequest.Status.WAITING
    assert [r.position for r in selectors.owner_join_requests(owner=alice)] == [1, 2]
    assert Enrollment.objects.filter(program=program).count() == 1  # capacity holds

    js.training_leave(program=program, business=bobs, actor=bob, today=TODAY)
    assert list(Enrollment.objects.filter(program=program).values_list("business", flat=True)) == [alices.pk]
    assert list(JoinRequest.objects.values_list("pk", flat=True)) == [second.pk]
    assert [r.position for r in selectors.owner_join_requests(owner=alice)] == [1]


def test_raising_the_capacity_gives_the_waiting_list_its_places(oscar: Any, alice: Any, bob: Any) -> None:
    program = open_program(oscar, capacity=1)
    js.training_join(program=program, business=BusinessFactory(owner=bob), actor=bob, today=TODAY)
    js.training_join(program=program, business=BusinessFactory(owner=alice), actor=alice, today=TODAY)
    services.program_update(program=program, actor=oscar, capacity=2)
    assert Enrollment.objects.filter(program=program).count() == 2
    assert not JoinRequest.objects.exists()


def test_a_program_needing_approval_waits_for_the_officer(oscar: Any, alice: Any) -> None:
    program = open_program(oscar, requires_approval=True)
    business = BusinessFactory(owner=alice)
    request = js.training_join(program=program, business=business, actor=alice, today=TODAY)
    assert isinstance(request, JoinRequest) and request.status == JoinRequest.Status.PENDING
    assert not Enrollment.objects.exists()
    enrollment = js.join_request_approve(join_request=request, actor=oscar)
    assert isinstance(enrollment, Enrollment) and enrollment.business == business
    assert not JoinRequest.objects.exists()


def test_approval_of_a_full_program_goes_to_the_waiting_list(oscar: Any, alice: Any, bob: Any) -> None:
    program = open_program(oscar, requires_approval=True, capacity=1)
    EnrollmentFactory(program=program, business=BusinessFactory(owner=bob), attended=None)
    request = js.training_join(program=program, business=BusinessFactory(owner=alice), actor=alice, today=TODAY)
    result = js.join_request_approve(join_request=request, actor=oscar)
    assert isinstance(result, JoinRequest) and result.status == JoinRequest.Status.WAITING
    assert result.queued_at is not None and result.decided_by == oscar


def test_a_declined_request_stays_declined_and_cannot_be_asked_again(oscar: Any, alice: Any) -> None:
    program = open_program(oscar, requires_approval=True)
    business = BusinessFactory(owner=alice)
    request = js.training_join(program=program, business=business, actor=alice, today=TODAY)
    js.join_request_decline(join_request=request, actor=oscar)
    with pytest.raises(DomainError, match="declined"):
        js.training_join(program=program, business=business, actor=alice, today=TODAY)
    assert JoinRequest.objects.get().status == JoinRequest.Status.DECLINED


@pytest.mark.parametrize(
    ("fields", "today", "message"),
    [
        ({"open_for_registration": False}, TODAY, "not open for registration"),
        ({"registration_closes_on": TODAY - timedelta(days=1)}, TODAY, "closed on 28-02-2026"),
        ({"start_date": TODAY}, TODAY, "closed on 28-02-2026"),  # started today: too late
    ],
)
def test_a_closed_or_unopened_program_refuses_and_writes_nothing(
    oscar: Any, alice: Any, fields: dict[str, Any], today: date, message: str
) -> None:
    program = open_program(oscar, **fields)
    with pytest.raises(DomainError, match=message):
        js.training_join(program=program, business=BusinessFactory(owner=alice), actor=alice, today=today)
    assert not Enrollment.objects.exists() and not JoinRequest.objects.exists()


def test_joining_twice_is_refused_and_writes_nothing(oscar: Any, alice: Any) -> None:
    program = open_program(oscar, capacity=1)
    business = BusinessFactory(owner=alice)
    js.training_join(program=program, business=business, actor=alice, today=TODAY)
    with pytest.raises(DomainError, match="already enrolled"):
        js.training_join(program=program, business=business, actor=alice, today=TODAY)
    other = BusinessFactory(owner=alice)
    js.training_join(program=program, business=other, actor=alice, today=TODAY)  # waiting list
    with pytest.raises(DomainError, match="already asked"):
        js.training_join(program=program, business=other, actor=alice, today=TODAY)
    assert (Enrollment.objects.count(), JoinRequest.objects.count()) == (1, 1)


def test_an_owner_cannot_join_with_someone_elses_business(oscar: Any, alice: Any, bob: Any) -> None:
    program = open_program(oscar)
    with pytest.raises(DomainError, match="your own business"):
        js.training_join(program=program, business=BusinessFactory(owner=bob), actor=alice, today=TODAY)
    assert not Enrollment.objects.exists()


def test_leaving_after_the_start_is_refused(oscar: Any, alice: Any) -> None:
    program = open_program(oscar)
    business = BusinessFactory(owner=alice)
    js.training_join(program=program, business=business, actor=alice, today=TODAY)
    with pytest.raises(DomainError, match="has started"):
        js.training_leave(program=program, business=business, actor=alice, today=program.start_date)
    assert Enrollment.objects.count() == 1


def test_the_closing_date_after_the_start_is_refused_on_the_program(oscar: Any) -> None:
    with pytest.raises(DomainError, match="on or before the start date"):
        services.program_create(
            actor=oscar,
            title="Ekspor",
            topic="export_readiness",
            organiser="Dinas",
            start_date=TODAY,
            end_date=TODAY,
            venue="Metro",
            capacity=5,
            responsible_officer=oscar,
            open_for_registration=True,
            registration_closes_on=TODAY + timedelta(days=1),
        )


# Pages


def test_trainings_sends_an_owner_to_the_trainings_she_can_join(alice: Any) -> None:
    response = client_for(alice).get("/trainings/")
    assert response.status_code == 302 and response["Location"] == reverse("training:open-list")


def test_the_owner_home_lists_open_programs_and_the_owner_joins_from_the_page(
    oscar: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    start = timezone.localdate() + timedelta(days=10)
    program = open_program(oscar, title="Pemasaran Digital Metro", start_date=start)
    open_program(oscar, title="Belum dibuka", start_date=start, open_for_registration=False)
    business = BusinessFactory(owner=alice, name="Keripik Alice")
    client = client_for(alice)
    home = client.get(reverse("home")).content.decode()
    assert "Pemasaran Digital Metro" in home and "Belum dibuka" not in home
    for _ in range(5):
        open_program(oscar, start_date=start)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("training:open-list"))
    assert "Pemasaran Digital Metro" in page.content.decode()
    response = client.post(reverse("training:program-join", args=[program.pk]), {"business": business.pk}, follow=True)
    assert "Keripik Alice terdaftar di Pemasaran Digital Metro." in response.content.decode()
    assert Enrollment.objects.filter(program=program, business=business).exists()


def test_the_homes_open_trainings_are_read_once_for_every_owner_and_move_with_an_enrolment(
    oscar: Any, alice: Any, bob: Any, django_assert_num_queries: Any
) -> None:
    program = open_program(
        oscar, title="Pemasaran Digital Metro", capacity=2, start_date=timezone.localdate() + timedelta(days=10)
    )
    BusinessFactory(owner=alice, name="Keripik Alice")
    theirs = BusinessFactory(owner=bob, name="Dodol Bob")
    alice_client, bob_client = client_for(alice), client_for(bob)
    with translation.override("en"):
        first = alice_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pemasaran Digital Metro" in first
    bob_client.get(reverse("home"))
    # session, user, roles, the owner's businesses, the yearly confirmations: the trainings come from the cache
    with django_assert_num_queries(5):
        page = bob_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 places left" in page
    js.training_join(actor=bob, program=program, business=theirs)
    page = alice_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 place left" in page  # the enrolment moved the training generation


def test_joining_twice_on_the_page_says_so_in_indonesian(oscar: Any, alice: Any) -> None:
    program = open_program(oscar, start_date=timezone.localdate() + timedelta(days=10))
    business = BusinessFactory(owner=alice, name="Keripik Alice")
    client = client_for(alice)
    client.post(reverse("training:program-join", args=[program.pk]), {"business": business.pk})
    response = client.post(reverse("training:program-join", args=[program.pk]), {"business": business.pk}, follow=True)
    assert "Keripik Alice sudah terdaftar di pelatihan ini." in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_joining_with_another_owners_business_answers_404(oscar: Any, alice: Any, bob: Any) -> None:
    program = open_program(oscar, start_date=timezone.localdate() + timedelta(days=10))
    response = client_for(alice).post(
        reverse("training:program-join", args=[program.pk]), {"business": BusinessFactory(owner=bob).pk}
    )
    assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_the_officer_approves_a_request_from_the_program_page(oscar: Any, alice: Any) -> None:
    program = open_program(oscar, requires_approval=True, start_date=timezone.localdate() + timedelta(days=10))
    request = js.training_join(
        program=program, business=BusinessFactory(owner=alice, name="Keripik Alice"), actor=alice
    )
    page = client_for(oscar).get(reverse("training:program-detail", args=[program.pk])).content.decode()
    assert "Menunggu persetujuan petugas" in page
    response = client_for(oscar).post(reverse("training:join-request-approve", args=[request.pk]), follow=True)
    assert "Disetujui: Keripik Alice terdaftar." in response.content.decode()
    assert Enrollment.objects.filter(program=program).count() == 1


def test_an_owner_cannot_approve_requests(oscar: Any, alice: Any) -> None:
    program = open_program(oscar, requires_approval=True, start_date=timezone.localdate() + timedelta(days=10))
    request = js.training_join(program=program, business=BusinessFactory(owner=alice), actor=alice)
    assert client_for(alice).post(reverse("training:join-request-approve", args=[request.pk])).status_code == 403
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


def test_my_trainings_lists_requests_with_the_waiting_list_position(oscar: Any, alice: Any, bob: Any) -> None:
    program = open_program(oscar, capacity=1, start_date=timezone.localdate() + timedelta(days=10))
    js.training_join(program=program, business=BusinessFactory(owner=bob), actor=bob)
    js.training_join(program=program, business=BusinessFactory(owner=alice, name="Keripik Alice"), actor=alice)
    page = client_for(alice).get(reverse("training:my-trainings")).content.decode()
    assert "Keripik Alice" in page and "Dalam daftar tunggu" in page and "nomor 1 dalam daftar" in page


def test_the_officer_opens_a_program_to_owners_from_the_form(oscar: Any) -> None:
    data = {
        "title": "Pelatihan BPOM",
        "topic": "bpom_registration",
        "organiser": "Dinas Perindustrian",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "venue": "Metro",
        "capacity": "30",
        "responsible_officer": str(oscar.pk),
        "follow_up_window_days": "30",
        "open_for_registration": "on",
        "registration_closes_on": "2026-02-20",
        "requires_approval": "on",
    }
    client = client_for(oscar)
    form = client.get(reverse("training:program-create")).content.decode()
    assert 'name="registration_closes_on"' in form and 'type="date"' in form
    assert client.post(reverse("training:program-create"), data).status_code == 302
    program = Program.objects.get()
    assert (program.open_for_registration, program.registration_closes_on, program.requires_approval) == (
        True,
        date(2026, 2, 20),
        True,
    )
    edit = client.get(reverse("training:program-edit", args=[program.pk])).content.decode()
    assert 'value="2026-02-20"' in edit  # the closing date round-trips through the date input


def test_a_closing_date_after_the_start_on_the_form_says_so_and_writes_nothing(oscar: Any) -> None:
    data = {
        "title": "Pelatihan BPOM",
        "topic": "bpom_registration",
        "organiser": "Dinas Perindustrian",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "venue": "Metro",
        "capacity": "30",
        "responsible_officer": str(oscar.pk),
        "follow_up_window_days": "30",
        "open_for_registration": "on",
        "registration_closes_on": "2026-03-05",
    }
    page = client_for(oscar).post(reverse("training:program-create"), data).content.decode()
    assert "Pendaftaran harus ditutup paling lambat pada tanggal mulai." in page
    assert not Program.objects.exists()


def test_the_officer_home_shows_programs_with_requests_awaiting_approval(oscar: Any, alice: Any) -> None:
    program = open_program(
        oscar, title="Desain Kemasan", requires_approval=True, start_date=timezone.localdate() + timedelta(days=10)
    )
    js.training_join(program=program, business=BusinessFactory(owner=alice), actor=alice)
    page = client_for(oscar).get(reverse("home")).content.decode()
    assert "Pemilik usaha menunggu persetujuan Anda" in page
    assert f'href="/trainings/{program.pk}/#join-requests">Desain Kemasan</a>: <strong class="num">1</strong>' in page


def test_an_owner_moving_up_the_waiting_list_is_told_of_the_place_and_no_one_else_is(
    oscar: Any, alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from core.models import Notification

    program = open_program(oscar, capacity=1)
    bobs = BusinessFactory(owner=bob)
    js.training_join(program=program, business=bobs, actor=bob, today=TODAY)
    js.training_join(
        program=program, business=BusinessFactory(owner=alice, name="Warung Alice"), actor=alice, today=TODAY
    )
    assert not Notification.objects.filter(kind="training_place").exists()  # waiting is not a place
    with django_capture_on_commit_callbacks(execute=True):
        js.training_leave(program=program, business=bobs, actor=bob, today=TODAY)
    notice = Notification.objects.get(kind="training_place")
    assert notice.recipient == alice
    assert notice.link.startswith(reverse("training:my-trainings"))
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert program.title in mail.outbox[0].subject and "Warung Alice" in mail.outbox[0].body
