"""Who has had no follow-up, per participant (issue 19, item 7): filters, CSV with outcomes, reminders naming them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from applicants.models import Region
from tests.training.factories import BusinessFactory, EnrollmentFactory, FollowUpFactory, ProgramFactory, bandar_lampung
from training import reminders, selectors
from training.models import FollowUp

pytestmark = pytest.mark.django_db
URL = "/trainings/overdue/participants/"


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    client.force_login(user)
    return client


def lampung_selatan() -> Region:
    city = bandar_lampung()
    region, _ = Region.objects.get_or_create(
        code="1801", defaults={"name": "Kabupaten Lampung Selatan", "kind": "regency", "parent": city.parent}
    )
    return region


@pytest.fixture
def world(oscar: Any) -> dict[str, Any]:
    """Two programs due 20 and 40 days ago; participants in two regencies, some followed up."""
    today = timezone.localdate()
    recent = ProgramFactory(
        responsible_officer=oscar,
        title="Pemasaran Digital",
        end_date=today - timedelta(days=50),
        start_date=today - timedelta(days=52),
        follow_up_window_days=30,
    )
    older = ProgramFactory(
        responsible_officer=oscar,
        title="Alat Produksi",
        end_date=today - timedelta(days=70),
        start_date=today - timedelta(days=72),
        follow_up_window_days=30,
    )
    south = lampung_selatan()
    rows = {
        "ani": EnrollmentFactory(program=recent, business=BusinessFactory(name="Keripik Ani", phone="0812001")),
        "budi": EnrollmentFactory(program=recent, business=BusinessFactory(name="Kopi Budi", region=south)),
        "covered": EnrollmentFactory(program=recent, business=BusinessFactory(name="Sambal Citra")),
        "absent": EnrollmentFactory(program=recent, business=BusinessFactory(name="Tidak Hadir"), attended=False),
        "dedi": EnrollmentFactory(program=older, business=BusinessFactory(name="Dodol Dedi", region=south)),
    }
    FollowUpFactory(enrollment=rows["covered"], done_on=today - timedelta(days=3), outcome="Sudah dikunjungi")
    FollowUpFactory(
        enrollment=rows["dedi"],
        kind=FollowUp.Kind.MENTORING,
        done_on=today - timedelta(days=2),
        outcome="Pendampingan kemasan",
    )
    FollowUpFactory(enrollment=rows["ani"], kind=FollowUp.Kind.EQUIPMENT, planned_on=today - timedelta(days=5))
    return {"recent": recent, "older": older, "south": south, "today": today, **rows}


def names(queryset: Any) -> list[str]:
    return [enrollment.business.name for enrollment in queryset]


def test_the_selector_lists_each_attended_participant_without_a_done_follow_up(
    world: dict[str, Any], oscar: Any
) -> None:
    today = world["today"]
    assert names(selectors.participants_lacking_follow_up(user=oscar, today=today)) == ["Keripik Ani", "Kopi Budi"]
    assert names(selectors.participants_lacking_follow_up(user=oscar, today=today, region_id=world["south"].pk)) == [
        "Kopi Budi"
    ]
    by_kind = selectors.participants_lacking_follow_up(user=oscar, today=today, kind=FollowUp.Kind.EQUIPMENT)
    assert names(by_kind) == ["Dodol Dedi", "Keripik Ani", "Kopi Budi", "Sambal Citra"]  # none had equipment done
    assert names(selectors.participants_lacking_follow_up(user=oscar, today=today, overdue_days=21)) == []
    older_kind = selectors.participants_lacking_follow_up(
        user=oscar, today=today, kind=FollowUp.Kind.EQUIPMENT, overdue_days=21
    )
    assert names(older_kind) == ["Dodol Dedi"]
    assert names(selectors.participants_lacking_follow_up(user=oscar, today=today, program_id=world["older"].pk)) == []


def test_the_page_lists_participants_with_filters_in_a_fixed_number_of_queries(
    oscar: Any, world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = client_for(oscar)
    client.get(URL)  # warm the session
    with django_assert_num_queries(9):
        page = client.get(URL, {"region": world["south"].pk, "kind": "", "overdue_days": "0"}).content.decode()
    assert "Kopi Budi" in page and "Keripik Ani" not in page
    for index in range(10):
        EnrollmentFactory(
            program=world["recent"], business=BusinessFactory(name=f"Baru {index}", region=world["south"])
        )
    with django_assert_num_queries(9):
        page = client.get(URL, {"region": world["south"].pk}).content.decode()
    assert "Baru 9" in page
    page = client.get(URL).content.decode()
    assert "Keripik Ani" in page and "0812001" in page and "Bantuan peralatan" in page
    assert "Sambal Citra" not in page and "Tidak Hadir" not in page


def test_a_bad_filter_says_why_in_indonesian_and_lists_nobody(oscar: Any, world: dict[str, Any]) -> None:
    page = client_for(oscar).get(URL, {"overdue_days": "-3"}).content.decode()
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 0." in page
    assert "Keripik Ani" not in page


def test_the_csv_has_one_row_per_follow_up_with_outcomes(oscar: Any, world: dict[str, Any]) -> None:
    response = client_for(oscar).get(f"{URL[:-1]}.csv", {"kind": FollowUp.Kind.EQUIPMENT})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Usaha", "NIB"] and "Hasil" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Dodol Dedi", "Keripik Ani", "Kopi Budi", "Sambal Citra"}
    assert "Pendampingan kemasan" in by_name["Dodol Dedi"]
    assert by_name["Keripik Ani"][7] == "Bantuan peralatan" and by_name["Keripik Ani"][9] == ""


def test_owners_and_reviewers_cannot_open_the_list(alice: Any, rina: Any) -> None:
    assert client_for(alice).get(URL).status_code == 403
    assert client_for(rina).get(f"{URL[:-1]}.csv").status_code == 403


def test_the_reminder_names_the_participants_with_regency_and_links_the_list(
    oscar: Any, world: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        reminders.followup_reminders_send(today=world["recent"].follow_up_due_on)
    body = next(m.body for m in mailoutbox if "Pemasaran Digital" in m.body)
    assert "Keripik Ani (NIB" in body and "Kota Bandar Lampung, 0812001)" in body
    assert "Kopi Budi" in body and "Kabupaten Lampung Selatan" in body
    assert "Sambal Citra" not in body
    assert f"/trainings/overdue/participants/?program={world['recent'].pk}" in body


def test_past_a_hundred_programs_the_filter_asks_for_the_program_number(
    oscar: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national office has thousands of programs lacking follow-up: no select of thousands of options; the number
    is typed, a wrong one is refused in Indonesian and lists nobody."""
    from training import forms

    client = client_for(oscar)
    small = client.get(URL).content.decode()
    assert '<select name="program"' in small
    monkeypatch.setattr(forms, "PROGRAM_SELECT_LIMIT", 0)
    page = client.get(URL).content.decode()
    assert '<select name="program"' not in page
    assert 'type="number" name="program"' in page
    chosen = client.get(URL, {"program": world["recent"].pk}).content.decode()
    assert "Keripik Ani" in chosen and "Dodol Dedi" not in chosen
    wrong = client.get(URL, {"program": 987654321}).content.decode()
    assert "Tidak ada program dengan nomor itu" in wrong
    assert "Keripik Ani" not in wrong
