"""Sehati quota claims and two people acting on one case at once (real PostgreSQL, threads)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from celery.result import allow_join_result
from django.db import connection
from django.utils import timezone

from certification import services
from certification.models import Application, ApplicationEvent, SehatiQuota
from core.errors import Conflict, DomainError
from tests.certification import factories as f


def test_verifying_a_self_declare_case_claims_one_quota_place(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    app.refresh_from_db()
    quota = SehatiQuota.objects.get(region=None)
    assert (app.state, app.sehati_quota_id, quota.used) == ("fatwa", quota.pk, 1)


def test_a_regional_quota_is_used_before_the_national_pool(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    province = app.business.region.parent
    regional = SehatiQuota.objects.create(year=timezone.localdate().year, region=province, places=5)
    services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    regional.refresh_from_db()
    assert regional.used == 1
    assert SehatiQuota.objects.get(region=None).used == 0


def test_when_the_quota_is_used_up_verification_is_refused_and_nothing_written(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    SehatiQuota.objects.filter(region=None).update(places=3, used=3)
    events = ApplicationEvent.objects.filter(application=app).count()
    with pytest.raises(DomainError, match="is used up: all 3 free places are taken"):
        services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    app.refresh_from_db()
    assert (app.state, app.sehati_quota_id) == ("verification", None)
    assert ApplicationEvent.objects.filter(application=app).count() == events
    assert SehatiQuota.objects.get(region=None).used == 3


def test_without_any_quota_verification_is_refused(cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    SehatiQuota.objects.all().delete()
    with pytest.raises(DomainError, match="There is no Sehati quota"):
        services.application_transition(application_id=app.pk, action="verify", actor=cast.reviewer)
    app.refresh_from_db()
    assert app.state == "verification"


def _in_threads(count: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            barrier.wait()
            return work(i)
        except DomainError as error:
            return error
        finally:
            connection.close()

    # Eager Celery tasks (the e-mails sent on commit) run in these threads; celery keeps a process-wide
    # "join would block" flag that concurrent eager runs can leave set. allow_join_result restores it on exit.
    with allow_join_result(), ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_acting_on_one_case_at_once_exactly_one_wins(make_user: Any, alice: Any, pat: Any) -> None:
    rina = make_user("rina@example.test", "reviewer")
    dewi = make_user("dewi@example.test", "reviewer")
    cast = f.Cast(owner=alice, reviewer=rina, pph=pat)
    f.national_quota(places=10)
    app = f.drive(f.draft(alice, "self_declare"), "verification", cast)
    reviewers = [rina, dewi]

    def verify(i: int) -> Application:
        return services.application_transition(
            application_id=app.pk, action="verify", actor=reviewers[i], expected_state="verification"
        )

    results = _in_threads(2, verify)
    winners = [r for r in results if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], Conflict)
    assert "Someone else changed this application meanwhile" in str(losers[0])
    app.refresh_from_db()
    assert app.state == "fatwa"
    assert ApplicationEvent.objects.filter(application=app, action="verify").count() == 1
    assert SehatiQuota.objects.get().used == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_quota_claims_for_ten_places_grant_exactly_ten(
    make_user: Any, alice: Any, pat: Any, rina: Any
) -> None:
    cast = f.Cast(owner=alice, reviewer=rina, pph=pat)
    quota = f.national_quota(places=1000)
    apps = [f.drive(f.draft(alice, "self_declare"), "verification", cast) for _ in range(50)]
    SehatiQuota.objects.filter(pk=quota.pk).update(places=10, used=0)

    def verify(i: int) -> Application:
        return services.application_transition(application_id=apps[i].pk, action="verify", actor=rina)

    results = _in_threads(50, verify)
    granted = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(granted) == 10 and len(refused) == 40
    assert all("is used up" in str(error) for error in refused)
    quota.refresh_from_db()
    assert quota.used == 10
    assert Application.objects.filter(state="fatwa").count() == 10
    assert Application.objects.filter(sehati_quota=quota).count() == 10


def test_the_admin_cannot_shrink_a_quota_below_the_places_used(db: None) -> None:
    from django.core.exceptions import ValidationError

    quota = SehatiQuota.objects.create(year=2026, places=10)
    SehatiQuota.objects.filter(pk=quota.pk).update(used=4)
    quota.refresh_from_db()
    quota.places = 3
    with pytest.raises(ValidationError, match="4 places are already used"):
        quota.full_clean()
    quota.refresh_from_db()
    assert quota.places == 10
