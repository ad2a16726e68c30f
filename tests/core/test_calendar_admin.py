"""The office calendar in the Django admin: an administrator adds a closure and removes a wrong day with a reason;
nothing is edited in place or deleted; other staff may only look."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from core.access import roles
from core.calendar import days as cal
from core.models import CalendarDay, CalendarYear, User

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:core_calendarday_changelist"
REASON_REQUIRED = "Give the reason for removing the day (e.g. the decree that cancelled it)."


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user("dinas-admin@example.test", roles.ADMIN, is_staff=True, is_superuser=True)


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _remove(client: Client, days: list[CalendarDay], **extra: str) -> Any:
    data = {"action": "remove_days", "_selected_action": [str(d.pk) for d in days], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_an_administrator_adds_an_office_closure_and_it_moves_due_dates(admin_user: User) -> None:
    assert cal.add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 5)
    response = _client(admin_user).post(
        reverse("admin:core_calendarday_add"),
        {"date": "2026-03-04", "kind": "office_closure", "name": "Kantor tutup: banjir", "source": ""},
    )
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=date(2026, 3, 4))
    assert (row.kind, row.source, row.created_by, row.active) == ("office_closure", "office", admin_user, True)
    assert row.history.get().history_user == admin_user
    assert cal.add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 6)


def test_the_add_form_refuses_a_date_that_is_already_off_with_the_message_and_writes_nothing(
    admin_user: User,
) -> None:
    cal.ensure_year(2026)
    rows = CalendarDay.objects.count()
    response = _client(admin_user).post(
        reverse("admin:core_calendarday_add"),
        {"date": "2026-03-18", "kind": "office_closure", "name": "Tutup", "source": ""},
    )
    assert response.status_code == 200
    assert "is already a day off (Cuti Bersama Hari Suci Nyepi)" in response.content.decode()
    assert CalendarDay.objects.count() == rows


def test_removing_a_day_asks_for_a_reason_and_refuses_none(admin_user: User) -> None:
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    client = _client(admin_user)
    form = _remove(client, [day])
    assert form.status_code == 200
    assert "Reason for removal" in form.content.decode() and "Cuti Bersama Hari Suci Nyepi" in form.content.decode()
    for blank in ("", "   "):
        refused = _remove(client, [day], apply="1", reason=blank)
        assert refused.status_code == 200
        assert REASON_REQUIRED in refused.content.decode()
    day.refresh_from_db()
    assert (day.active, day.removed_reason, day.history.count()) == (True, "", 1)


def test_removing_a_day_with_a_reason_is_soft_and_audited(admin_user: User) -> None:
    cal.ensure_year(2026)
    days = list(CalendarDay.objects.filter(date__in=[date(2026, 3, 18), date(2026, 3, 20)]))
    response = _remove(_client(admin_user), days, apply="1", reason="SKB amended on 1 March")
    assert response.status_code == 302
    for day in days:
        day.refresh_from_db()
        assert (day.active, day.removed_reason, day.removed_by) == (False, "SKB amended on 1 March", admin_user)
        assert day.history.first().history_user == admin_user
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 18)


def test_the_admin_never_edits_a_day_in_place_nor_deletes_it(admin_user: User) -> None:
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    client = _client(admin_user)
    assert client.get(reverse("admin:core_calendarday_change", args=[day.pk])).status_code == 200  # view only
    edit = client.post(reverse("admin:core_calendarday_change", args=[day.pk]), {"active": ""})
    assert edit.status_code == 403
    assert client.post(reverse("admin:core_calendarday_delete", args=[day.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:core_calendarday_history", args=[day.pk])).status_code == 200
    day.refresh_from_db()
    assert day.active


def test_staff_without_the_administrator_role_may_look_but_not_change(make_user: Callable[..., User]) -> None:
    reviewer = make_user("staff@example.test", roles.REVIEWER, is_staff=True)
    calendar_permissions = Permission.objects.filter(content_type__app_label="core", codename__contains="calendar")
    reviewer.user_permissions.add(*calendar_permissions)
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    client = _client(reviewer)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse("admin:core_calendarday_add")).status_code == 403
    assert client.get(reverse("admin:core_calendaryear_add")).status_code == 403
    refused = _remove(client, [day], apply="1", reason="I think it is wrong")
    assert refused.status_code in (200, 302)  # Django answers an unknown action with the list
    day.refresh_from_db()
    assert day.active


def test_an_administrator_seeds_a_year_from_the_admin_once(admin_user: User) -> None:
    client = _client(admin_user)
    response = client.post(reverse("admin:core_calendaryear_add"), {"year": "2027"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == cal.package_source()
    assert CalendarDay.objects.filter(date__year=2027).count() == 26
    again = client.post(reverse("admin:core_calendaryear_add"), {"year": "2027"})
    assert "2027 is already seeded; a seeded year is never read from the package again." in again.content.decode()
    outside = client.post(reverse("admin:core_calendaryear_add"), {"year": "2051"})
    assert "covers the years 2015 to 2050" in outside.content.decode()
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2027]
    seeded = CalendarYear.objects.get(year=2027)
    assert client.post(reverse("admin:core_calendaryear_delete", args=[seeded.pk]), {"post": "yes"}).status_code == 403
    assert CalendarYear.objects.filter(year=2027).exists()  # deleting it would unfreeze the year
