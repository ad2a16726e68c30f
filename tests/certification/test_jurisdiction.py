"""Staff jurisdiction: a reviewer or assistant works for regions; cases outside them do not exist for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applicants.models import Region
from applicants.selectors import businesses_for, covers
from certification import selectors, services
from certification.models import Application
from core.access import roles
from core.errors import DomainError
from core.models import User
from tests.certification import factories as f
from tests.conftest import works_for


@pytest.fixture
def bandung_case(bob: User, cast: f.Cast) -> Application:
    return f.draft(bob, "regular", f.business(bob, region_code="3273"))


@pytest.fixture
def dewi(make_user: Callable[..., User]) -> User:
    """A reviewer of Kota Bandung only (a regency-level jurisdiction)."""
    return works_for(make_user("dewi@jabar.test", roles.REVIEWER, full_name="Dewi Jabar"), "3273")


def _submitted(app: Application, cast: f.Cast) -> Application:
    return f.drive(app, "verification", cast)


def test_a_regency_reviewer_sees_only_cases_of_her_regency(
    cast: f.Cast, bandung_case: Application, dewi: User, rina: User
) -> None:
    lampung = f.draft(cast.owner, "regular")
    assert set(selectors.applications_for(dewi)) == {bandung_case}
    assert lampung in set(selectors.applications_for(rina)) and bandung_case not in set(
        selectors.applications_for(rina)
    )
    client = Client()
    client.force_login(dewi)
    assert client.get(reverse("certification:case", args=[lampung.pk])).status_code == 404
    assert client.get(reverse("applicants:business_detail", args=[lampung.business_id])).status_code == 404
    assert client.get(reverse("applicants:business_detail", args=[bandung_case.business_id])).status_code == 200
    assert set(businesses_for(dewi)) == {bandung_case.business}


def test_national_staff_and_staff_without_a_jurisdiction_see_every_region(
    cast: f.Cast, bandung_case: Application, make_user: Callable[..., User]
) -> None:
    lampung = f.draft(cast.owner, "regular")
    unscoped = make_user("lama@kantor.test", roles.REVIEWER)  # no StaffRegion row: national, as before jurisdictions
    national = works_for(make_user("pusat@kantor.test", roles.REVIEWER), "32")
    national.groups.add(Group.objects.get(name=roles.NATIONAL))
    for user in (unscoped, national):
        assert {lampung, bandung_case} <= set(selectors.applications_for(user))
    assert covers(unscoped, Region.objects.get(code="3273").pk) and covers(national, None)


def test_a_province_covers_its_regencies_and_not_others(rina: User) -> None:
    assert covers(rina, Region.objects.get(code="1801").pk)
    assert not covers(rina, Region.objects.get(code="3273").pk)


def test_assigning_a_case_outside_the_reviewers_jurisdiction_is_refused_and_writes_nothing(
    cast: f.Cast, dewi: User, ayu: User
) -> None:
    app = f.draft(cast.owner, "regular")
    app = _submitted(app, cast)
    before = Application.objects.get(pk=app.pk).assigned_reviewer_id
    with pytest.raises(DomainError) as error:
        services.application_assign(application_ids=[app.pk], actor=ayu, reviewer=dewi)
    assert "does not work for the region" in str(error.value.message)
    assert Application.objects.get(pk=app.pk).assigned_reviewer_id == before


def test_a_reviewer_cannot_assign_a_case_outside_her_own_jurisdiction(
    cast: f.Cast, bandung_case: Application, rina: User
) -> None:
    with pytest.raises(DomainError):
        services.application_assign(application_ids=[bandung_case.pk], actor=rina, reviewer=rina)
    assert Application.objects.get(pk=bandung_case.pk).assigned_reviewer_id is None


def test_owners_choose_only_assistants_who_work_for_their_region(
    cast: f.Cast, bandung_case: Application, make_user: Callable[..., User], pat: User
) -> None:
    jabar_pph = works_for(make_user("ujang@jabar.test", roles.PPH), "32")
    assert set(services.pph_choices(business=bandung_case.business)) == {jabar_pph}
    lampung_choices = set(services.pph_choices(business=f.business(cast.owner)))
    assert pat in lampung_choices and jabar_pph not in lampung_choices


def test_the_dashboard_of_a_one_region_reviewer_covers_her_region(dewi: User, rina: User, bandung_case: Any) -> None:
    from reports.forms import DashboardFilterForm

    form = DashboardFilterForm({}, user=dewi)
    assert form.is_valid() and form.cleaned_data["region"].code == "3273"
    outside = DashboardFilterForm({"region": "1801"}, user=dewi)
    assert not outside.is_valid() and "region" in outside.errors
    two = works_for(rina, "3273")
    two.__dict__.pop("_jurisdiction_cache", None)
    with translation.override("en"):
        both = DashboardFilterForm({}, user=two)
        assert not both.is_valid()
        assert "Choose one of the regions you work for." in str(both.errors["region"])


def test_the_queue_offers_only_regions_and_staff_of_the_assigners_jurisdiction(
    cast: f.Cast, dewi: User, rina: User, make_user: Callable[..., User]
) -> None:
    from certification.filters import QueueFilterForm
    from certification.forms import AssignForm

    lampung_reviewer = works_for(make_user("budi@lampung.test", roles.REVIEWER), "1801")
    jabar_reviewer = works_for(make_user("ujang@jabar.test", roles.REVIEWER), "32")
    unscoped = make_user("lama@kantor.test", roles.REVIEWER)
    offered = set(AssignForm(applications=Application.objects.none(), actor=rina).fields["reviewer"].queryset)
    assert {rina, lampung_reviewer, unscoped} <= offered and not {dewi, jabar_reviewer} & offered
    offered_to_dewi = set(AssignForm(applications=Application.objects.none(), actor=dewi).fields["reviewer"].queryset)
    assert {dewi, jabar_reviewer, unscoped} <= offered_to_dewi and not {rina, lampung_reviewer} & offered_to_dewi
    codes = {r.code for r in QueueFilterForm(user=dewi).fields["region"].queryset}
    assert codes == {"3273"}
    assert not QueueFilterForm({"region": "1801"}, user=dewi).is_valid()
