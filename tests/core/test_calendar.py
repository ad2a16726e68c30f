"""The office calendar (core.calendar.days): the issue's due dates, every 2026 cuti bersama, seeding, freezing,
closures, removals and the year bounds."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connections
from django.utils import translation

from core.calendar import days as cal
from core.calendar import services
from core.errors import DomainError
from core.models import CalendarDay, CalendarYear
from tests.conftest import clear_test_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):  # messages are asserted in English; one test checks the Indonesian
        yield


# SKB 1497/2025, 2/2025, 5/2025 (2026) and SKB 1017/2024 as amended by SKB 933/2025 (2025), as cross-checked date by
# date in the project's reference data (staging/domain/cuti_bersama.json): holidays 0.109 gives exactly these.
NATIONAL_HOLIDAYS = {
    2025: [
        "01-01", "01-27", "01-29", "03-29", "03-31", "04-01", "04-18", "04-20", "05-01",
        "05-12", "05-29", "06-01", "06-06", "06-27", "08-17", "09-05", "12-25",
    ],
    2026: [
        "01-01", "01-16", "02-17", "03-19", "03-21", "03-22", "04-03", "04-05", "05-01",
        "05-14", "05-27", "05-31", "06-01", "06-16", "08-17", "08-25", "12-25",
    ],
}  # fmt: skip
CUTI_BERSAMA = {
    2025: ["01-28", "03-28", "04-02", "04-03", "04-04", "04-07", "05-13", "05-30", "06-09", "08-18", "12-26"],
    2026: ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"],
}


def _dates(year: int, days: list[str]) -> set[date]:
    return {date.fromisoformat(f"{year}-{day}") for day in days}


# --- The examples ----------------------------------------------------------------------------------------
def test_verification_entered_on_17_march_2026_is_due_on_25_march() -> None:
    # 18 cuti bersama (Nyepi), 19 Nyepi, 20 cuti bersama (Idul Fitri), 21-22 Idul Fitri (a weekend), 23-24 cuti bersama.
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)


def test_an_lph_audit_from_2_march_2026_with_15_working_days_is_due_on_30_march() -> None:
    assert cal.add_working_days(date(2026, 3, 2), 15) == date(2026, 3, 30)


def test_pph_verification_from_16_march_2026_with_10_working_days_is_due_on_7_april() -> None:
    # 17, 25, 26, 27, 30, 31 March, 1, 2 April, (3 April Good Friday), 6, 7 April.
    assert cal.add_working_days(date(2026, 3, 16), 10) == date(2026, 4, 7)


@pytest.mark.parametrize("day", sorted(_dates(2026, CUTI_BERSAMA[2026])), ids=str)
def test_every_2026_cuti_bersama_is_not_a_working_day(day: date) -> None:
    assert day.weekday() < 5  # each falls on a weekday: only the calendar makes it a day off
    assert not cal.is_working_day(day)
    assert cal.add_working_days(day - timedelta(days=1), 1) != day


def test_idul_fitri_2026_and_weekends_are_not_working_days_and_an_ordinary_weekday_is() -> None:
    assert not cal.is_working_day(date(2026, 3, 21))  # Idul Fitri 1447 H (a Saturday)
    assert not cal.is_working_day(date(2026, 3, 22))
    assert not cal.is_working_day(date(2026, 3, 28))  # an ordinary Saturday
    assert not cal.is_working_day(date(2026, 3, 29))  # an ordinary Sunday
    assert cal.is_working_day(date(2026, 3, 25))
    assert cal.add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 12)  # Friday + 1 -> Monday


def test_zero_working_days_give_the_start_and_between_counts_after_the_start_up_to_the_end() -> None:
    assert cal.add_working_days(date(2026, 3, 18), 0) == date(2026, 3, 18)
    assert cal.working_days_between(date(2026, 3, 17), date(2026, 3, 25)) == 1
    assert cal.working_days_between(date(2026, 3, 25), date(2026, 3, 17)) == 0


def test_a_year_counts_its_working_days_as_the_day_by_day_count_does() -> None:
    assert cal.working_days_in(2026) == 240  # 261 weekdays less 21 holidays and cuti bersama on weekdays
    assert cal.working_days_in(2026) == cal.working_days_between(date(2025, 12, 31), date(2026, 12, 31))
    assert cal.working_days_in(cal.FIRST_YEAR) > 0  # the day before the first year is never looked up


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_seeded_year_matches_the_decrees_date_by_date_with_indonesian_names(year: int) -> None:
    days = cal.days_of(year)
    by_kind = {kind: {d.date for d in days if d.kind == kind} for kind in CalendarDay.Kind.values}
    assert by_kind["national_holiday"] == _dates(year, NATIONAL_HOLIDAYS[year])
    assert by_kind["cuti_bersama"] == _dates(year, CUTI_BERSAMA[year])
    assert by_kind["office_closure"] == set()
    names = {d.date: d.name for d in days}
    assert names[date(year, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert all(d.source.startswith("holidays ") for d in days)
    assert CalendarYear.objects.get(year=year).source == cal.package_source()


# --- Seeding and freezing --------------------------------------------------------------------------------------
def test_a_year_is_seeded_once_when_first_needed_and_counting_into_the_next_year_seeds_it() -> None:
    assert not CalendarYear.objects.exists()
    assert cal.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)  # 24 cuti bersama, 25 Christmas
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2026]
    assert cal.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)  # 1 Jan 2027 is New Year
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2026, 2027]
    rows = CalendarDay.objects.count()
    assert cal.ensure_year(2026) is False
    assert CalendarDay.objects.count() == rows


def test_a_seeded_year_is_frozen_when_the_package_later_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cal.days_of(2026)
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)

    def changed_package(country: str, *, years: int, categories: tuple[str, ...], language: str) -> dict[date, str]:
        # A later release that moves Nyepi's cuti bersama and adds a day: neither may reach a frozen year.
        return {date(years, 3, 17): "Hari baru"} if categories == ("government",) else {}

    monkeypatch.setattr(cal.holidays, "country_holidays", changed_package)
    monkeypatch.setattr(cal.holidays, "__version__", "9.999")
    clear_test_cache()  # as after a restart: nothing is left in the cache

    assert cal.days_of(2026) == before
    assert cal.add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 17)
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    result = services.calendar_year_seed(year=2026)
    assert (result.seeded, result.source) == (False, "holidays 0.109")
    # A year not seeded yet does take the new package: the patch is real, the freezing is what kept 2026.
    assert [(d.date, d.name) for d in cal.days_of(2031)] == [(date(2031, 3, 17), "Hari baru")]
    assert CalendarYear.objects.get(year=2031).source == "holidays 9.999"


def test_seeding_keeps_a_day_the_office_entered_before_the_year_was_seeded(ayu: Any) -> None:
    # e.g. a collective leave day copied in from the old table: the package's day on that date is not added again.
    CalendarDay.objects.create(date=date(2026, 3, 18), kind="cuti_bersama", name="Cuti bersama Nyepi", source="SKB")
    cal.ensure_year(2026)
    assert CalendarDay.objects.filter(date=date(2026, 3, 18)).count() == 1
    assert CalendarDay.objects.get(date=date(2026, 3, 18)).source == "SKB"
    assert len(cal.days_of(2026)) == len(NATIONAL_HOLIDAYS[2026]) + len(CUTI_BERSAMA[2026])


def test_the_seeded_days_have_their_first_history_record() -> None:
    cal.ensure_year(2026)
    nyepi = CalendarDay.objects.get(date=date(2026, 3, 19))
    assert [h.history_type for h in nyepi.history.all()] == ["+"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_seeding_the_same_year_at_once_seed_it_exactly_once(monkeypatch: pytest.MonkeyPatch) -> None:
    workers = 2
    barrier = threading.Barrier(workers, timeout=30)
    original = cal.package_days

    def read_then_wait(year: int) -> list[cal.Day]:
        days = original(year)
        barrier.wait()  # both have seen "not seeded" before either inserts
        return days

    monkeypatch.setattr(cal, "package_days", read_then_wait)
    results: list[bool] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(cal.ensure_year(2026))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(results) == [False, True]
    assert CalendarYear.objects.filter(year=2026).count() == 1
    assert CalendarDay.objects.filter(date__year=2026).count() == len(NATIONAL_HOLIDAYS[2026]) + len(CUTI_BERSAMA[2026])


# --- Closures and removals -----------------------------------------------------------------------------------------
def test_an_office_closure_moves_a_due_date_and_is_audited(ayu: Any) -> None:
    assert cal.add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 5)
    row = services.calendar_day_add(day=date(2026, 3, 4), name="Kantor tutup: banjir", actor=ayu)
    assert cal.add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 6)
    assert not cal.is_working_day(date(2026, 3, 4))
    row.refresh_from_db()
    assert (row.kind, row.source, row.created_by, row.active) == ("office_closure", "office", ayu, True)
    assert [(h.history_type, h.history_user) for h in row.history.all()] == [("+", ayu)]


def test_a_removed_day_counts_as_a_working_day_again_and_the_removal_is_audited(ayu: Any) -> None:
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    wrong = CalendarDay.objects.get(date=date(2026, 3, 18), active=True)
    services.calendar_day_remove(day_id=wrong.pk, reason="SKB revised: 18 March is a working day", actor=ayu)
    assert cal.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 18)
    assert cal.is_working_day(date(2026, 3, 18))
    wrong.refresh_from_db()
    assert (wrong.active, wrong.removed_by, wrong.removed_reason) == (
        False,
        ayu,
        "SKB revised: 18 March is a working day",
    )
    assert wrong.removed_at is not None
    assert [h.history_type for h in wrong.history.all()] == ["~", "+"]
    assert wrong.history.first().history_user == ayu


def test_removing_a_day_twice_changes_nothing_the_second_time(ayu: Any) -> None:
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    services.calendar_day_remove(day_id=day.pk, reason="wrong", actor=ayu)
    services.calendar_day_remove(day_id=day.pk, reason="again", actor=ayu)
    day.refresh_from_db()
    assert (day.removed_reason, day.history.count()) == ("wrong", 2)


def test_a_removal_without_a_reason_is_refused_with_a_clear_message_and_writes_nothing(ayu: Any) -> None:
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    for reason in ("", "   "):
        with pytest.raises(DomainError) as refused:
            services.calendar_day_remove(day_id=day.pk, reason=reason, actor=ayu)
        assert "reason" in refused.value.errors
        assert str(refused.value) == "Give the reason for removing the day (e.g. the decree that cancelled it)."
    day.refresh_from_db()
    assert (day.active, day.removed_reason, day.history.count()) == (True, "", 1)


def test_the_refusal_is_in_indonesian_for_an_indonesian_user(ayu: Any) -> None:
    cal.ensure_year(2026)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    with translation.override("id"), pytest.raises(DomainError) as refused:
        services.calendar_day_remove(day_id=day.pk, reason="", actor=ayu)
    assert str(refused.value) == "Tuliskan alasan penghapusan hari ini (mis. keputusan yang membatalkannya)."


@pytest.mark.parametrize("who", ["alice", "rina", "oscar"])
def test_only_an_administrator_changes_the_calendar(request: pytest.FixtureRequest, who: str) -> None:
    actor = request.getfixturevalue(who)
    cal.ensure_year(2026)
    rows = CalendarDay.objects.count()
    with pytest.raises(DomainError, match="Only an administrator"):
        services.calendar_day_add(day=date(2026, 3, 4), name="Tutup", actor=actor)
    day = CalendarDay.objects.get(date=date(2026, 3, 18))
    with pytest.raises(DomainError, match="Only an administrator"):
        services.calendar_day_remove(day_id=day.pk, reason="wrong", actor=actor)
    day.refresh_from_db()
    assert (CalendarDay.objects.count(), day.active) == (rows, True)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"day": date(2026, 3, 18)}, "date", "is already a day off (Cuti Bersama Hari Suci Nyepi)"),
        ({"day": date(2026, 3, 7)}, "date", "is a weekend day"),
        ({"name": "  "}, "name", "Give the day its name"),
        ({"kind": "cuti_bersama"}, "source", "Name the decree"),
        ({"kind": "birthday"}, "kind", "Choose the kind of day"),
        ({"day": date(2051, 3, 3)}, "year", "covers the years 2015 to 2050"),
    ],
)
def test_a_day_that_cannot_be_added_is_refused_with_its_reason_and_nothing_is_written(
    ayu: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    cal.ensure_year(2026)
    rows = CalendarDay.objects.count()
    values = {"day": date(2026, 3, 4), "name": "Kantor tutup", "kind": "office_closure", "source": "", **fields}
    with pytest.raises(DomainError) as refused:
        services.calendar_day_add(actor=ayu, **values)
    assert message in str(refused.value)
    assert field in refused.value.errors
    assert CalendarDay.objects.count() == rows


def test_a_day_a_decree_adds_later_can_be_entered_with_its_source(ayu: Any) -> None:
    # 2025: SKB 933/2025 made 18 August a cuti bersama on 7 August 2025; an office entering such a change by hand.
    row = services.calendar_day_add(
        day=date(2026, 8, 18), kind="cuti_bersama", name="Cuti Bersama Kemerdekaan", source="SKB 3 Menteri", actor=ayu
    )
    assert (row.kind, row.source) == ("cuti_bersama", "SKB 3 Menteri")
    assert not cal.is_working_day(date(2026, 8, 18))


def test_a_replaced_day_may_be_entered_again_after_its_removal(ayu: Any) -> None:
    cal.ensure_year(2026)
    old = CalendarDay.objects.get(date=date(2026, 3, 18))
    services.calendar_day_remove(day_id=old.pk, reason="the office closes for the whole week instead", actor=ayu)
    services.calendar_day_add(day=date(2026, 3, 18), name="Kantor tutup", actor=ayu)
    assert CalendarDay.objects.filter(date=date(2026, 3, 18)).count() == 2
    assert CalendarDay.objects.get(date=date(2026, 3, 18), active=True).kind == "office_closure"


def test_the_database_holds_one_active_row_per_date_and_a_reason_for_every_removal() -> None:
    from django.db import IntegrityError, transaction

    CalendarDay.objects.create(date=date(2026, 3, 4), kind="office_closure", name="A", source="office")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=date(2026, 3, 4), kind="office_closure", name="B", source="office")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.filter(date=date(2026, 3, 4)).update(active=False)
    assert CalendarDay.objects.filter(date=date(2026, 3, 4), active=True).count() == 1


# --- Bounds and bad arguments --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: cal.add_working_days(date(2014, 12, 31), 1),
        lambda: cal.add_working_days(date(2050, 12, 30), 2),  # runs into 2051
        lambda: cal.working_days_between(date(2026, 1, 1), date(2051, 1, 1)),
        lambda: cal.is_working_day(date(2051, 1, 2)),
        lambda: cal.days_of(2014),
        lambda: cal.ensure_year(2051),
    ],
)
def test_years_outside_the_calendar_are_refused_with_a_clear_message(call: Any) -> None:
    with pytest.raises(DomainError, match="covers the years 2015 to 2050"):
        call()
    assert not CalendarYear.objects.filter(year__in=[2014, 2051]).exists()


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(DomainError, match="must not be negative"):
        cal.add_working_days(date(2026, 3, 2), -1)


def test_as_of_sets_today_for_the_block_only() -> None:
    real = cal.today()
    with cal.as_of(date(2026, 3, 17)):
        assert cal.today() == date(2026, 3, 17)
    assert cal.today() == real
