"""The public calendar page (/calendar/, /calendar/<year>/), its menu entry, and the calendar_seed command."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from core.calendar import days as cal
from core.calendar import services
from core.models import CalendarDay, CalendarYear
from core.web.navigation import items_for

pytestmark = pytest.mark.django_db


def _page(year: int | None = None, language: str = "id") -> str:
    url = reverse("calendar") if year is None else reverse("calendar-year", args=[year])
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _cell(page: str, month: int, day: int) -> str:
    table = page.split(f'id="month-{month}"')[1].split("</table>")[0]
    match = re.search(rf"<td[^>]*>{day}(<span[^<]*</span>)?</td>", table)
    assert match, f"no cell for {day}/{month}"
    return match.group(0)


def test_the_2026_page_marks_each_kind_of_day_off_with_an_accessible_label(ayu: Any) -> None:
    services.calendar_day_add(day=date(2026, 3, 4), name="Kantor tutup: banjir", actor=ayu)
    page = _page(2026)
    assert "<h1>Kalender kantor 2026</h1>" in page
    assert "<caption>Maret 2026</caption>" in page
    assert '<abbr title="Senin">Sen</abbr>' in page and '<abbr title="Minggu">Min</abbr>' in page
    assert _cell(page, 3, 18) == (
        '<td class="off cuti_bersama">18<span class="sr-only">: Cuti Bersama Hari Suci Nyepi (cuti bersama)</span></td>'
    )
    assert _cell(page, 3, 19) == (
        '<td class="off national_holiday">19<span class="sr-only">: Hari Suci Nyepi (hari libur nasional)</span></td>'
    )
    assert _cell(page, 3, 4) == (
        '<td class="off office_closure">4<span class="sr-only">: Kantor tutup: banjir (kantor tutup)</span></td>'
    )
    assert _cell(page, 3, 28) == '<td class="weekend">28</td>'
    assert _cell(page, 3, 25) == "<td>25</td>"
    # The legend names each kind with its count; the list gives every day its name.
    assert 'Hari libur nasional <span class="muted">(17)</span>' in page
    assert 'Cuti bersama <span class="muted">(8)</span>' in page
    assert 'Kantor tutup <span class="muted">(1)</span>' in page
    row = page.split('id="day-2026-03-18"')[1].split("</tr>")[0]
    assert "Rabu, 18 Maret 2026" in row and "Cuti Bersama Hari Suci Nyepi" in row
    assert "Tahun 2026 memiliki 239 hari kerja." in page  # 240 less the closure
    assert page.count('<table class="cal-month"') == 12
    assert "<script" not in page


def test_the_page_speaks_english_when_asked() -> None:
    page = _page(2026, language="en")
    assert "<caption>March 2026</caption>" in page
    assert '<abbr title="Monday">Mon</abbr>' in page
    assert "(collective leave (cuti bersama))" in _cell(page, 3, 18)
    assert "2026 has 240 working days." in page


def test_the_calendar_without_a_year_shows_this_year_with_today_marked() -> None:
    with cal.as_of(date(2026, 3, 17)):
        page = _page()
    assert "<h1>Kalender kantor 2026</h1>" in page
    assert _cell(page, 3, 17) == '<td aria-current="date">17</td>'


def test_previous_and_next_years_are_linked_within_the_bounds() -> None:
    page = _page(2026)
    assert f'href="{reverse("calendar-year", args=[2025])}" rel="prev"' in page
    assert f'href="{reverse("calendar-year", args=[2027])}" rel="next"' in page
    assert 'rel="prev"' not in _page(cal.FIRST_YEAR)
    assert 'rel="next"' not in _page(cal.LAST_YEAR)


@pytest.mark.parametrize("year", [2014, 2051])
def test_a_year_outside_the_calendar_is_not_found_and_seeds_nothing(year: int) -> None:
    assert Client().get(reverse("calendar-year", args=[year])).status_code == 404
    assert not CalendarYear.objects.exists()


def test_a_removed_day_is_not_shown(ayu: Any) -> None:
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    services.calendar_day_remove(day_id=day.pk, reason="SKB revised", actor=ayu)
    page = _page(2026)
    assert _cell(page, 3, 18) == "<td>18</td>"
    assert 'id="day-2026-03-18"' not in page


@pytest.mark.parametrize("closures", [0, 1, 15])
def test_the_page_costs_two_queries_cold_and_none_cached_whatever_the_number_of_days(
    ayu: Any,
    closures: int,
    django_assert_num_queries: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    cal.ensure_year(2026)
    for day in [d for d in (date(2026, 7, 1 + i) for i in range(31)) if cal.is_working_day(d)][:closures]:
        services.calendar_day_add(day=day, name="Kantor tutup", actor=ayu)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2):  # seeded?, the days
        cold = client.get(reverse("calendar-year", args=[2026]))
    with django_assert_num_queries(0):
        warm = client.get(reverse("calendar-year", args=[2026]))
    for response in (cold, warm):
        page = response.content.decode()
        assert page.count('class="off office_closure"') == closures
        assert page.count('class="off national_holiday"') == 17


def test_everyone_finds_the_calendar_in_the_menu(alice: Any, rina: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    url = reverse("calendar")
    for user in (AnonymousUser(), alice, rina):
        assert url in [item["url"] for item in items_for(user)]
    assert f'href="{url}"' in _page(2026)


# --- calendar_seed -------------------------------------------------------------------------------------------------
def _seed(*args: str) -> str:
    out = StringIO()
    call_command("calendar_seed", *args, stdout=out)
    return out.getvalue()


def test_the_command_seeds_a_year_and_prints_what_it_seeded_then_changes_nothing() -> None:
    first = _seed("--year", "2026")
    assert first == "2026: seeded from holidays 0.109: 17 national holiday(s), 8 cuti bersama, 0 office closure(s).\n"
    rows = CalendarDay.objects.count()
    again = _seed("--year", "2026")
    assert again.startswith("2026: already seeded on ")
    assert again.endswith(" (frozen): 17 national holiday(s), 8 cuti bersama, 0 office closure(s).\n")
    assert " from holidays 0.109 (frozen)" in again
    assert CalendarDay.objects.count() == rows == 25


def test_the_command_seeds_a_range_of_years() -> None:
    out = _seed("--from", "2025", "--to", "2027")
    assert [line.split(":")[0] for line in out.splitlines()] == ["2025", "2026", "2027"]
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2025, 2026, 2027]
    assert "2025: seeded from holidays 0.109: 17 national holiday(s), 11 cuti bersama" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2051"], "Years run from 2015 to 2050; 2051 is outside them."),
        (["--from", "2027", "--to", "2026"], "--from 2027 is after --to 2026."),
        (["--from", "2026"], "A range needs both --from and --to."),
        (["--year", "2026", "--to", "2027"], "Give either --year or --from/--to, not both."),
    ],
)
def test_the_command_refuses_bad_years_with_a_message_and_seeds_nothing(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        _seed(*args)
    assert not CalendarYear.objects.exists()


def test_without_years_the_command_seeds_this_year_and_the_next() -> None:
    with cal.as_of(date(2026, 11, 29)):
        out = _seed()
    assert [line[:4] for line in out.splitlines()] == ["2026", "2027"]


def test_add_missing_adds_only_days_the_calendar_never_had(ayu: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _seed("--year", "2027")
    removed = CalendarDay.objects.get(date=date(2027, 12, 24))
    services.calendar_day_remove(day_id=removed.pk, reason="not decreed", actor=ayu)
    original = cal.package_days

    def upgraded(year: int) -> list[cal.Day]:
        extra = cal.Day(date=date(year, 4, 1), kind="cuti_bersama", name="Cuti Bersama Baru", source="holidays 1.0")
        return [*original(year), extra]

    monkeypatch.setattr(cal, "package_days", upgraded)
    out = _seed("--year", "2027", "--add-missing")
    assert "2027: added 2027-04-01 Cuti Bersama Baru (cuti_bersama, holidays 1.0).\n" in out
    assert not cal.is_working_day(date(2027, 4, 1))
    assert cal.is_working_day(date(2027, 12, 24))  # removed by the office: not brought back
    assert "nothing to add" in _seed("--year", "2027", "--add-missing")


def test_the_command_warns_when_the_package_has_no_cuti_bersama_for_a_year(monkeypatch: pytest.MonkeyPatch) -> None:
    original = cal.package_days
    monkeypatch.setattr(cal, "package_days", lambda year: [d for d in original(year) if d.kind != "cuti_bersama"])
    out = _seed("--year", "2030")
    assert "2030: the package lists no cuti bersama for 2030 (the SKB may not be decreed yet)." in out


def test_the_current_year_opens_at_the_current_month_with_the_past_months_folded() -> None:
    today = cal.today()
    page = _page()
    opened = page.split("</details>")[-1] if today.month > 1 else page
    first_table = re.search(r'<table class="cal-month" id="month-(\d+)"', opened)
    assert first_table and int(first_table.group(1)) == today.month
    if today.month > 1:
        folded = page.split('<details class="cal-earlier">')[1].split("</details>")[0]
        assert 'id="month-1"' in folded and f'id="month-{today.month}"' not in folded
    # Another year opens at January, nothing folded.
    other = _page(today.year + 1)
    assert "cal-earlier" not in other
    assert re.search(r'<table class="cal-month" id="month-(\d+)"', other).group(1) == "1"


def test_a_holiday_names_its_decree_not_the_package_and_its_version() -> None:
    page = _page(2026)
    row = page.split('id="day-2026-03-19"')[1].split("</tr>")[0]
    assert "SKB 3 Menteri" in row
    assert "holidays 0." not in page and ", public" not in page and ", government" not in page
