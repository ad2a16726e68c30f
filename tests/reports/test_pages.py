"""The staff dashboard, chart SVGs and the policy simulation page: access, numbers, bad input, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fees.models import FeeSchedule
from reports.models import MonthlyReport
from tests.conftest import national
from tests.reports import factories as f

pytestmark = pytest.mark.django_db

DASHBOARD = "/staff/dashboard/"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(DASHBOARD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["alice", "pat"])
def test_owners_and_assistants_are_refused(who: str, request: pytest.FixtureRequest) -> None:
    client = signed_in(request.getfixturevalue(who))
    for url in (
        DASHBOARD,
        "/staff/dashboard/charts/overdue.svg",
        "/staff/simulation/",
        "/staff/reports/",
        "/staff/exports/applications.csv",
        "/staff/exports/programs.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/reports/request/", {"month": "2026-01"}).status_code == 403
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("who", ["rina", "oscar", "ayu"])
def test_staff_see_the_dashboard_with_its_charts_and_tables(who: str, request: pytest.FixtureRequest) -> None:
    f.build(request.getfixturevalue("oscar"))
    # national figures: rina and oscar work for Lampung, whose dashboard would show Lampung's own pools
    response = signed_in(national(request.getfixturevalue(who))).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("applications", "overdue", "certificates-month", "quota", "coverage", "fee-ratio", "graduation"):
        assert f'id="table-{name}"' in html
        assert f"/staff/dashboard/charts/{name}.svg" in html
    assert "Sehati places used: 12; left: 108 of 120." in html
    assert "(1/2)" in html  # overall follow-up coverage


def test_the_dashboard_link_is_in_the_staff_navigation(rina: Any, alice: Any) -> None:
    assert reverse("dashboard:index") in signed_in(rina).get("/home/").content.decode()
    assert reverse("dashboard:index") not in signed_in(alice).get("/home/").content.decode()


def test_a_chart_is_an_svg_with_the_house_colours_and_no_script(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    response = signed_in(rina).get("/staff/dashboard/charts/applications.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "#670075" in svg and "#3DC3A3" in svg
    assert "<script" not in svg
    assert "script-src" not in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_an_unknown_chart_is_404(rina: Any) -> None:
    assert signed_in(rina).get("/staff/dashboard/charts/nope.svg").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-03-01", "end": "2026-01-01"}, "The period starts after it ends"),
        ({"region": "9999"}, "Unknown region."),
        ({"schedule": "999999"}, "Unknown fee schedule."),
    ],
)
def test_bad_dashboard_filters_are_refused_with_a_clear_message(rina: Any, query: dict[str, str], message: str) -> None:
    response = signed_in(rina).get(DASHBOARD, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="figures"' not in response.content.decode()
    assert signed_in(rina).get("/staff/dashboard/charts/overdue.svg", query).status_code == 400
    assert not MonthlyReport.objects.exists()


def test_the_region_filter_narrows_the_numbers(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    html = signed_in(rina).get(DASHBOARD, {"region": "1801"}).content.decode()
    assert "Sehati places used: 5; left: 15 of 20." in html
    assert "Kota Bandar Lampung</th>" not in html.split('id="table-certificates-regency"')[1].split("</table>")[0]


def test_the_dashboard_answers_in_a_fixed_number_of_queries(
    rina: Any, oscar: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    client = signed_in(rina)
    f.build(oscar)
    client.get(DASHBOARD)  # warm the session and the user
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import clear_test_cache

    clear_test_cache()  # cold: every figure computed
    client.force_login(rina)
    with CaptureQueriesContext(connection) as small:
        assert client.get(DASHBOARD).status_code == 200
    f.build(oscar, copies=4)
    clear_test_cache()
    client.force_login(rina)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(DASHBOARD).status_code == 200


def test_the_dashboard_serves_figures_from_the_cache_until_what_they_read_changes(
    rina: Any, oscar: Any, django_assert_num_queries: Any
) -> None:
    """Warm, the page reads no table a figure reads; a new case computes the case figures again (and shows it),
    while the training and business-figure charts stay cached."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(rina)
    data = f.build(oscar)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as warm:
        again = client.get(DASHBOARD)

    def charts(response: Any) -> list[Any]:
        return [(figure.name, figure.chart.rows) for figure in response.context["figures"]]

    assert charts(first) == charts(again)
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    for table in ("certification_application", "certification_certificate", "training_enrollment"):
        assert table in " ".join(q["sql"] for q in cold.captured_queries)
        assert table not in tables, table
    # A new submitted case: the applications chart changes at once; the coverage chart is not computed again.
    f.application(data.businesses[0], state="submitted", pathway="regular", created=f.TODAY)
    with CaptureQueriesContext(connection) as after:
        changed = client.get(DASHBOARD)
    sql = " ".join(q["sql"] for q in after.captured_queries)
    assert "certification_application" in sql
    assert "training_enrollment" not in sql
    assert charts(changed) != charts(again)
    before, now = dict(charts(again)), dict(charts(changed))
    assert before["coverage"] == now["coverage"]


def test_the_simulation_compares_schedules_side_by_side(rina: Any, oscar: Any) -> None:
    f.build(oscar)
    chosen = list(FeeSchedule.objects.filter(active=True).order_by("pk")[:2])
    assert len(chosen) == 2
    response = signed_in(rina).get("/staff/simulation/", {"schedules": [s.pk for s in chosen], "threshold": "2.5"})
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('id="comparison"')[1].split("</table>")[0]
    for schedule in chosen:
        assert schedule.name in table
    assert html.count("data:image/svg+xml;base64,") == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"threshold": "101"}, "The threshold must be a percentage from 0 to 100."),
        ({"threshold": "-1"}, "The threshold must be a percentage from 0 to 100."),
        ({"threshold": "2.5", "bad_schedule": True}, "Unknown fee schedule."),
        ({"threshold": "2.5", "region": "0000"}, "Unknown region."),
    ],
)
def test_bad_simulation_input_is_refused_with_a_clear_message(rina: Any, query: dict[str, Any], message: str) -> None:
    schedule = FeeSchedule.objects.filter(active=True).first()
    assert schedule is not None
    params: dict[str, Any] = {"schedules": [999999 if query.pop("bad_schedule", False) else schedule.pk], **query}
    response = signed_in(rina).get("/staff/simulation/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="comparison"' not in response.content.decode()


def test_period_defaults_to_the_current_year(rina: Any) -> None:
    response = signed_in(rina).get(DASHBOARD)
    assert response.context["form"].cleaned_data["start"] == dt.date(f.YEAR, 1, 1)
