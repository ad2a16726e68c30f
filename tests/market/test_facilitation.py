"""BPOM facilitation cases: requested -> documents complete -> submitted -> registered / not registered, run by
officers, due in working days the office sets, reminded once, linked to the training, counted on the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.calendar import days as calendar
from core.errors import DomainError
from core.models import Notification
from core.notifications.services import render_email
from tests.applicants.factories import BusinessFactory, ProductFactory
from tests.training.factories import EnrollmentFactory, ProgramFactory
from training.facilitation import services
from training.facilitation.reminders import facilitation_reminders_send
from training.models import Program
from training.models.facilitation import (
    FacilitationCase,
    FacilitationEvent,
    FacilitationReminder,
    FacilitationStageDays,
)
from training.tasks import send_facilitation_reminders

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


def _act(client: Client, case: FacilitationCase, action: str, **data: str) -> Any:
    return client.post(reverse("training:facilitation-act", args=[case.pk]), {"action": action, **data})


def _open(actor: Any, owner: Any, **fields: Any) -> FacilitationCase:
    """A case for one product of a new business of `owner` (a case is always about one product)."""
    product = ProductFactory(business=BusinessFactory(owner=owner))
    return services.facilitation_open(actor=actor, business=product.business, product=product, **fields)


def _bpom_training(oscar: Any, business: Any) -> Program:
    program = ProgramFactory(responsible_officer=oscar, topic=Program.Topic.BPOM_REGISTRATION)
    EnrollmentFactory(program=program, business=business)
    return program


def test_an_officer_takes_a_case_from_the_training_to_registered_and_the_dashboard_counts_it(
    oscar: Any, alice: Any
) -> None:
    business = BusinessFactory(owner=alice)
    ProductFactory(business=business, name="Keripik Pisang Lampung")
    program = _bpom_training(oscar, business)
    FacilitationStageDays.objects.filter(state="submitted").update(working_days=20)
    client = _client(oscar)
    response = client.post(
        reverse("training:facilitation-new"),
        {"nib": business.nib, "product": "keripik pisang  lampung", "program": program.pk, "note": "Setelah pelatihan"},
    )
    assert response.status_code == 302
    case = FacilitationCase.objects.get()
    today = calendar.today()
    assert (case.state, case.program, case.officer) == ("requested", program, oscar)
    assert case.due_on == calendar.add_working_days(today, 10)
    assert _act(client, case, "documents_complete").status_code == 302
    assert _act(client, case, "submit").status_code == 302
    case.refresh_from_db()
    assert case.due_on == calendar.add_working_days(today, 20)
    assert _act(client, case, "register", md_number="MD 224512345678").status_code == 302
    case.refresh_from_db()
    assert (case.state, case.md_number, case.due_on, case.closed_on) == ("registered", "MD224512345678", None, today)
    assert list(case.events.values_list("to_state", flat=True)) == [
        "requested",
        "documents_complete",
        "submitted",
        "registered",
    ]
    dashboard = client.get(reverse("dashboard:index"))
    assert dashboard.context["facilitation"] == {"open": 0, "registered": 1, "not_registered": 0}
    assert 'id="facilitation-summary"' in dashboard.content.decode()


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("register", {"md_number": "ML224512345678"}, "Nomor BPOM MD adalah MD diikuti 12 angka"),
        ("register", {"md_number": ""}, "Nomor BPOM MD adalah MD diikuti 12 angka"),
        ("not_register", {"reason": "  "}, "Tuliskan alasan BPOM tidak mendaftarkan produk"),
        ("documents_complete", {}, "tindakan itu tidak dapat dilakukan sekarang"),
    ],
)
def test_bad_outcomes_are_refused_in_indonesian_and_change_nothing(
    oscar: Any, alice: Any, action: str, data: dict[str, str], message: str
) -> None:
    case = _open(oscar, alice)
    for step in ("documents_complete", "submit"):
        services.facilitation_transition(case_id=case.pk, action=step, actor=oscar)
    events = FacilitationEvent.objects.count()
    response = _act(_client(oscar), case, action, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    case.refresh_from_db()
    assert (case.state, case.md_number, case.reason) == ("submitted", "", "")
    assert FacilitationEvent.objects.count() == events


def test_a_registration_records_the_md_permit_on_the_product(oscar: Any, alice: Any) -> None:
    from applicants.models.permits import DistributionPermit

    product = ProductFactory(business__owner=alice)
    DistributionPermit.objects.create(product=product, kind="none", created_by=alice)
    case = services.facilitation_open(actor=alice, business=product.business, product=product)
    for step in ("documents_complete", "submit"):
        services.facilitation_transition(case_id=case.pk, action=step, actor=oscar)
    services.facilitation_transition(case_id=case.pk, action="register", actor=oscar, md_number="MD224512345678")
    assert list(product.permits.values_list("kind", "number", "issuer")) == [("bpom_md", "MD224512345678", "BPOM RI")]


def test_a_bpom_training_page_lists_the_cases_it_led_to(oscar: Any, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    program = _bpom_training(oscar, business)
    case = services.facilitation_open(
        actor=oscar, business=business, product=ProductFactory(business=business), program=program
    )
    page = _client(oscar).get(reverse("training:program-detail", args=[program.pk])).content.decode()
    assert reverse("training:facilitation-detail", args=[case.pk]) in page
    assert f"/facilitation/new/?program={program.pk}" in page


def test_not_registered_keeps_the_reason(oscar: Any, alice: Any) -> None:
    case = _open(oscar, alice)
    for step in ("documents_complete", "submit"):
        services.facilitation_transition(case_id=case.pk, action=step, actor=oscar)
    _act(_client(oscar), case, "not_register", reason="Label belum sesuai ketentuan.")
    case.refresh_from_db()
    assert (case.state, case.reason) == ("not_registered", "Label belum sesuai ketentuan.")


def test_an_owner_asks_for_help_sees_only_their_cases_and_cannot_move_them(alice: Any, bob: Any) -> None:
    business = BusinessFactory(owner=alice)
    product = ProductFactory(business=business)
    BusinessFactory(owner=bob)
    response = _client(alice).post(
        reverse("training:facilitation-new"), {"business": business.pk, "product": product.pk, "note": "Mohon bantu"}
    )
    assert response.status_code == 302
    case = FacilitationCase.objects.get()
    assert (case.business, case.product, case.officer) == (business, product, None)
    detail = reverse("training:facilitation-detail", args=[case.pk])
    assert _client(alice).get(detail).status_code == 200
    assert _client(bob).get(detail).status_code == 404
    assert case not in _client(bob).get(reverse("training:facilitation-list")).context["page"].object_list
    assert _act(_client(alice), case, "documents_complete").status_code == 403
    case.refresh_from_db()
    assert case.state == "requested"


def test_a_case_cannot_name_a_training_the_business_did_not_attend(oscar: Any, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    product = ProductFactory(business=business)
    program = ProgramFactory(responsible_officer=oscar, topic=Program.Topic.BPOM_REGISTRATION)
    response = _client(oscar).post(
        reverse("training:facilitation-new"), {"nib": business.nib, "product": product.name, "program": program.pk}
    )
    assert "Usaha ini tidak mengikuti pelatihan tersebut" in response.content.decode()
    assert not FacilitationCase.objects.exists()


def test_a_stage_past_due_reminds_the_officer_once(oscar: Any, alice: Any) -> None:
    case = _open(oscar, alice)
    assert facilitation_reminders_send(today=case.due_on) == 0  # due today: not yet late
    late = case.due_on + dt.timedelta(days=1)
    assert facilitation_reminders_send(today=late) == 1
    assert facilitation_reminders_send(today=late + dt.timedelta(days=3)) == 0
    told = Notification.objects.get(kind="facilitation_due")
    assert told.recipient == oscar and told.region == case.business.region_id
    assert f"#{case.pk}" in render_email(told)[0]
    services.facilitation_transition(case_id=case.pk, action="documents_complete", actor=oscar)
    case.refresh_from_db()
    assert facilitation_reminders_send(today=case.due_on + dt.timedelta(days=1)) == 1  # the next stage, once
    assert FacilitationReminder.objects.count() == 2


def test_the_reminder_task_is_scheduled_and_idempotent(oscar: Any) -> None:
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.get(task="training.send_facilitation_reminders").enabled
    assert send_facilitation_reminders.delay().get() == 0


def test_the_case_list_takes_the_same_queries_for_one_case_and_many(
    oscar: Any, alice: Any, django_assert_num_queries: Any
) -> None:
    client = _client(oscar)
    counts = []
    for batch in (1, 5):
        for _ in range(batch):
            _open(oscar, alice)
        with django_assert_num_queries(5) as queries:
            assert client.get(reverse("training:facilitation-list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Issue 32, item 8: one product per case, its MD number, the owner told of each step ---
def test_a_case_without_a_product_is_refused_in_indonesian_and_nothing_is_written(oscar: Any, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    response = _client(alice).post(reverse("training:facilitation-new"), {"business": business.pk, "note": "Tolong"})
    assert response.status_code == 200 and "product" in response.context["form"].errors
    with pytest.raises(DomainError, match="Pilih produk yang akan didaftarkan ke BPOM"):
        services.facilitation_open(actor=oscar, business=business)
    ProductFactory(business=business, name="Sambal Lado")
    answer = _client(oscar).post(reverse("training:facilitation-new"), {"nib": business.nib, "product": "Rendang"})
    assert "Usaha ini tidak memiliki produk dengan nama itu. Produknya: Sambal Lado." in answer.content.decode()
    assert not FacilitationCase.objects.exists()


def test_no_md_number_is_recorded_once_the_product_is_gone(oscar: Any, alice: Any) -> None:
    case = _open(oscar, alice)
    for step in ("documents_complete", "submit"):
        services.facilitation_transition(case_id=case.pk, action=step, actor=oscar)
    case.product.delete()
    response = _act(_client(oscar), case, "register", md_number="MD224512345678")
    assert response.status_code == 400
    assert "Kasus ini tidak lagi memiliki produk" in response.content.decode()
    case.refresh_from_db()
    assert (case.state, case.md_number) == ("submitted", "")


def test_the_owner_is_told_each_step_in_their_language(
    oscar: Any, alice: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    case = _open(oscar, alice)
    with django_capture_on_commit_callbacks(execute=True):
        for step in ("documents_complete", "submit"):
            services.facilitation_transition(case_id=case.pk, action=step, actor=oscar)
        services.facilitation_transition(case_id=case.pk, action="register", actor=oscar, md_number="MD224512345678")
    told = Notification.objects.filter(recipient=alice, kind="facilitation_status").order_by("id")
    assert [n.context["case"]["state"] for n in told] == ["documents_complete", "submitted", "registered"]
    subject, body = render_email(told.last())
    assert "MD224512345678" in subject and case.product.name in body
    assert all(alice.email in m.to for m in mailoutbox) and len(mailoutbox) == 3
