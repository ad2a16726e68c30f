"""Programmes belong to the organising office's region: officers see and run their own offices' programmes, national
staff all, owners every programme open to them; join-request decisions, the participants lacking follow-up (page
and CSV) and a programme's facilitation cases follow the same rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applicants.models import Region
from core.errors import DomainError
from tests.conftest import national, works_for
from tests.training.factories import BusinessFactory, EnrollmentFactory, ProgramFactory
from training.joining import services as joining
from training.models import JoinRequest, Program

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


@pytest.fixture
def asep(make_user: Any) -> Any:
    return works_for(make_user("asep@jabar.test", "officer", full_name="Asep Jabar"), "32")


@pytest.fixture
def two_offices(oscar: Any, asep: Any) -> dict[str, Program]:
    lampung = ProgramFactory(responsible_officer=oscar, title="Pelatihan Lampung")
    jabar = ProgramFactory(responsible_officer=asep, title="Pelatihan Bandung", region=Region.objects.get(code="32"))
    return {"lampung": lampung, "jabar": jabar}


def test_each_office_lists_its_own_programmes_and_national_staff_all(
    two_offices: dict[str, Program], oscar: Any, asep: Any, ayu: Any, django_assert_num_queries: Any
) -> None:
    url = reverse("training:program-list")
    lampung = _client(oscar).get(url).content.decode()
    assert "Pelatihan Lampung" in lampung and "Pelatihan Bandung" not in lampung
    jabar = _client(asep).get(url).content.decode()
    assert "Pelatihan Bandung" in jabar and "Pelatihan Lampung" not in jabar
    everything = _client(national(ayu)).get(url).content.decode()
    assert "Pelatihan Lampung" in everything and "Pelatihan Bandung" in everything
    detail = reverse("training:program-detail", args=[two_offices["lampung"].pk])
    assert _client(asep).get(detail).status_code == 404


def test_owners_still_see_every_programme_open_to_them(two_offices: dict[str, Program], alice: Any) -> None:
    Program.objects.update(open_for_registration=True, start_date=date.today() + timedelta(days=10),
                           end_date=date.today() + timedelta(days=11))  # fmt: skip
    BusinessFactory(owner=alice)
    page = _client(alice).get(reverse("training:open-list")).content.decode()
    assert "Pelatihan Lampung" in page and "Pelatihan Bandung" in page


def test_a_new_programme_takes_the_officers_region_and_another_region_is_refused(oscar: Any, api_as: Any) -> None:
    data = {
        "title": "Pemasaran digital",
        "topic": "digital_marketing",
        "organiser": "Dinas Perindustrian",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "venue": "Metro",
        "capacity": "20",
        "responsible_officer": str(oscar.pk),
        "follow_up_window_days": "30",
    }
    form = _client(oscar).get(reverse("training:program-create")).content.decode()
    lampung = Region.objects.get(code="18")
    assert f'<option value="{lampung.pk}" selected>' in form
    response = _client(oscar).post(reverse("training:program-create"), data)
    assert response.status_code == 302 and Program.objects.get(title="Pemasaran digital").region == lampung
    elsewhere = Region.objects.get(code="32")
    refused = _client(oscar).post(reverse("training:program-create"), {**data, "title": "Lain", "region": elsewhere.pk})
    assert refused.status_code == 200
    assert "Pilihan tersebut bukan salah satu dari pilihan yang tersedia." in refused.content.decode()  # not offered
    assert not Program.objects.filter(title="Lain").exists()
    api = api_as(oscar)  # the API's door: the same service refuses a region the officer does not work for
    api.credentials(HTTP_ACCEPT_LANGUAGE="id")
    answer = api.post("/api/v1/trainings/", {**data, "title": "Lewat API", "region": elsewhere.pk}, format="json")
    assert answer.status_code == 400 and "Anda tidak bertugas di Jawa Barat" in answer.json()["detail"]
    assert not Program.objects.filter(title="Lewat API").exists()


def test_another_office_cannot_decide_a_join_request(two_offices: dict[str, Program], asep: Any, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    request = JoinRequest.objects.create(
        program=two_offices["lampung"], business=business, status=JoinRequest.Status.PENDING, requested_by=alice
    )
    url = reverse("training:join-request-approve", args=[request.pk])
    assert _client(asep).post(url).status_code == 404
    with pytest.raises(DomainError, match="wilayah"), translation.override("id"):
        joining.join_request_approve(join_request=request, actor=asep)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING and request.decided_by is None


def test_participants_lacking_follow_up_and_their_csv_stay_in_the_office(
    two_offices: dict[str, Program], oscar: Any, asep: Any, alice: Any
) -> None:
    for program in two_offices.values():
        Program.objects.filter(pk=program.pk).update(follow_up_due_on=date(2026, 1, 2))
    EnrollmentFactory(program=two_offices["lampung"], business=BusinessFactory(owner=alice, name="Keripik Lampung"))
    bandung = Region.objects.get(code="3273")
    EnrollmentFactory(program=two_offices["jabar"], business=BusinessFactory(name="Kopi Bandung", region=bandung))
    for url in (reverse("training:participants-lacking"), reverse("training:participants-lacking-csv")):
        lampung = _client(oscar).get(url)
        body = b"".join(lampung.streaming_content) if lampung.streaming else lampung.content
        assert b"Keripik Lampung" in body and b"Kopi Bandung" not in body, url
        jabar = _client(asep).get(url)
        body = b"".join(jabar.streaming_content) if jabar.streaming else jabar.content
        assert b"Kopi Bandung" in body and b"Keripik Lampung" not in body, url
