"""Sehati quota, version 2: one place per case (a claim row), regional pools until the cut-over then the national
pool, release on reject or cancel while the year is open, the pools API for staff; races on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from celery.result import allow_join_result
from django.db import connection, transaction
from django.utils import translation

from applicants.models import Region
from certification import services
from certification.models import Application, ApplicationEvent, SehatiClaim, SehatiQuota
from certification.workflow import table as wf
from certification.workflow.quota import cutover_of, pools_for, quota_claim
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f


def _regional(places: int, year: int, cutover: date | None = None) -> SehatiQuota:
    province = Region.objects.get(code="18")
    return SehatiQuota.objects.create(year=year, region=province, places=places, cutover=cutover)


def test_the_cut_over_defaults_to_the_setting_of_the_year(db: None, settings: Any) -> None:
    settings.SEHATI_CUTOVER_DAY = "06-30"
    quota = _regional(10, 2026)
    assert cutover_of(quota) == date(2026, 6, 30)
    quota.cutover = date(2026, 7, 15)
    assert cutover_of(quota) == date(2026, 7, 15)


def test_before_the_cut_over_a_full_region_is_refused_and_after_it_takes_the_national_pool(cast: f.Cast) -> None:
    year = cal.today().year
    SehatiQuota.objects.filter(year=year, region=None).update(places=5)
    regional = _regional(1, year, cutover=cal.today() + timedelta(days=30))
    first = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    second = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    services.application_transition(application_id=first.pk, action="verify", actor=cast.reviewer)
    with pytest.raises(DomainError, match="full region may take places from the national pool"):
        services.application_transition(application_id=second.pk, action="verify", actor=cast.reviewer)
    second.refresh_from_db()
    assert second.state == "verification" and not SehatiClaim.objects.filter(application=second).exists()
    SehatiQuota.objects.filter(pk=regional.pk).update(cutover=cal.today() - timedelta(days=1))
    services.application_transition(application_id=second.pk, action="verify", actor=cast.reviewer)
    assert SehatiClaim.objects.get(application=second).quota.region_id is None
    assert list(SehatiQuota.objects.order_by("region").values_list("used", flat=True)) == [1, 1]


def test_a_cancelled_case_gives_its_place_back_only_while_the_year_is_open(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    services.application_transition(application_id=app.pk, action="return", actor=cast.reviewer, reason="Label")
    next_year = date(cal.today().year + 1, 1, 6)
    with cal.as_of(next_year):  # the quota year has closed: the place stays spent
        services.application_transition(application_id=app.pk, action="cancel", actor=cast.owner)
    assert SehatiClaim.objects.get(application=app).released_at is None
    assert SehatiQuota.objects.get(region=None).used == 1


def test_used_always_equals_the_places_held(cast: f.Cast) -> None:
    apps = [f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast) for _ in range(3)]
    decision = {**f.payload_for("reject", cast), "reason": "Pork"}  # a "not halal" decision at the fatwa stage
    services.application_transition(application_id=apps[0].pk, action="reject", actor=cast.reviewer, **decision)
    quota = SehatiQuota.objects.get(region=None)
    assert quota.used == SehatiClaim.objects.filter(quota=quota, released_at__isnull=True).count() == 2


def test_staff_read_the_pools_through_the_api_with_a_fixed_query_count(
    api_as: Any, cast: f.Cast, oscar: Any, django_assert_num_queries: Any
) -> None:
    year = cal.today().year
    _regional(3000, year)
    client = api_as(cast.reviewer)
    client.get("/api/v1/me/")
    with django_assert_num_queries(1):  # the pools with their regions (the test client is authenticated already)
        body = client.get("/api/v1/sehati-quotas/").json()
    national = next(p for p in body if p["region"] is None)
    regional = next(p for p in body if p["region"] is not None)
    assert (national["year"], national["cutover"]) == (year, None)
    assert regional["region"] == {"code": "18", "name": "Lampung"} and regional["places"] == 3000
    assert regional["cutover"] == f"{year}-06-30"
    for region in ("1871", "1801"):
        SehatiQuota.objects.create(year=year - 1, region=Region.objects.get(code=region), places=10)
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/sehati-quotas/").json()) == 4
    assert len(api_as(oscar).get(f"/api/v1/sehati-quotas/?year={year}").json()) == 2


@pytest.mark.parametrize("year", ["1999", "abc", "20260"])
def test_a_bad_year_filter_is_a_clear_400(api_as: Any, cast: f.Cast, year: str) -> None:
    response = api_as(cast.reviewer).get(f"/api/v1/sehati-quotas/?year={year}")
    assert response.status_code == 400
    assert response.json()["errors"]["year"] == ["Enter a year between 2000 and 2100."]


def test_owners_and_assistants_cannot_read_the_pools(api_as: Any, cast: f.Cast) -> None:
    assert api_as(cast.owner).get("/api/v1/sehati-quotas/").status_code == 403
    assert api_as(cast.pph).get("/api/v1/sehati-quotas/").status_code == 403


def test_the_pools_a_claim_may_take_follow_the_regency_then_the_province_then_the_nation(cast: f.Cast) -> None:
    year = cal.today().year
    province = _regional(10, year, cutover=cal.today() - timedelta(days=1))
    business = f.business(cast.owner)
    assert [p.pk for p in pools_for(business=business, year=year, today=cal.today())] == [
        province.pk,
        SehatiQuota.objects.get(year=year, region=None).pk,
    ]
    city = SehatiQuota.objects.create(year=year, region=business.region, places=5, cutover=cal.today() + timedelta(1))
    assert [p.pk for p in pools_for(business=business, year=year, today=cal.today())] == [city.pk]


def _threads(count: int, jobs: list[Any], work: Any) -> list[Any]:
    def run(job: Any) -> Any:
        try:
            return work(job)
        except DomainError as error:
            return error
        finally:
            connection.close()

    with allow_join_result(), ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, jobs))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_claims_after_the_cut_over_grant_exactly_the_places_there_are(
    alice: Any, pat: Any, rina: Any
) -> None:
    cast = f.Cast(owner=alice, reviewer=rina, pph=pat)
    year = cal.today().year
    f.national_quota(places=1000)
    apps = [f.drive(f.draft(alice, "self_declare"), "verification", cast) for _ in range(200)]
    SehatiQuota.objects.filter(year=year, region=None).update(places=70, used=0)
    regional = _regional(50, year, cutover=cal.today() - timedelta(days=1))

    def verify(app: Application) -> Application:
        return services.application_transition(application_id=app.pk, action="verify", actor=rina)

    results = _threads(40, apps, verify)
    granted = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(granted), len(refused)) == (120, 80)
    assert all("is used up" in str(error) for error in refused)
    regional.refresh_from_db()
    national = SehatiQuota.objects.get(year=year, region=None)
    assert (regional.used, national.used) == (50, 70)
    assert SehatiClaim.objects.filter(quota=regional).count() == 50
    assert SehatiClaim.objects.filter(quota=national).count() == 70
    assert Application.objects.filter(state="fatwa").count() == 120


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_return_and_a_resubmit_racing_a_reviewer_leave_one_legal_story(
    alice: Any, pat: Any, rina: Any, make_user: Any
) -> None:
    dewi = make_user("dewi@example.test", "reviewer")
    cast = f.Cast(owner=alice, reviewer=rina, pph=pat)
    f.national_quota(places=10)
    for _round in range(5):
        app = f.drive(f.draft(alice, "self_declare"), "fatwa", cast)
        jobs = [
            ("return", rina, {"reason": "Label photo", "expected_state": "fatwa"}),
            ("resubmit", alice, {"expected_state": "returned"}),
            ("declare_halal", dewi, {**f.payload_for("declare_halal", cast), "expected_state": "fatwa"}),
        ]

        def act(job: tuple[str, Any, dict[str, Any]], pk: int = app.pk) -> Application:
            action, actor, payload = job
            return services.application_transition(application_id=pk, action=action, actor=actor, **payload)

        _threads(3, jobs, act)
        app.refresh_from_db()
        events = list(ApplicationEvent.objects.filter(application=app).order_by("id"))
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state  # every step starts where the last one ended
            edges = wf.edges_for(after.action, after.from_state, app.pathway)
            assert edges, (after.action, after.from_state)
        assert app.state == events[-1].to_state and app.version == len(events)
        assert SehatiClaim.objects.filter(application=app).count() == 1
    quota = SehatiQuota.objects.get(region=None)
    assert quota.used == SehatiClaim.objects.filter(released_at__isnull=True).count() == 5


def test_quota_claim_is_idempotent_for_a_case_holding_a_place(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "fatwa", cast)
    assert quota_claim(application=app, today=cal.today()).region_id is None
    assert SehatiQuota.objects.get(region=None).used == 1


def test_the_refusal_names_the_first_day_a_full_region_may_take_national_places(cast: f.Cast) -> None:
    """The fallback starts the day after the cut-over date: on 30 June refused with "from 1 July", on 1 July taken."""
    year = cal.today().year
    SehatiQuota.objects.filter(year=year, region=None).update(places=5)
    regional = _regional(0, year, cutover=date(year, 6, 30))
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    refused = pytest.raises(DomainError, match=f"From 1 July {year} a full region")
    with translation.override("en"), refused as error, transaction.atomic():
        quota_claim(application=app, today=date(year, 6, 30))
    assert "30 June" not in str(error.value)
    assert not SehatiClaim.objects.filter(application=app).exists()
    with translation.override("id"), pytest.raises(DomainError, match=f"1 Juli {year}"), transaction.atomic():
        quota_claim(application=app, today=date(year, 6, 30))
    with transaction.atomic():
        assert quota_claim(application=app, today=date(year, 7, 1)).region_id is None
    regional.refresh_from_db()
    assert regional.used == 0
