"""The PPH directory: assistants belong to an LP3H, serve regions, and owners pick one serving their regency."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from certification import selectors, services
from certification.forms import ApplyForm
from certification.models import Application, ApplicationEvent, Lp3h, PphProfile
from core.access import roles
from core.errors import DomainError
from core.models import User
from tests.certification import factories as f
from tests.conftest import national, works_for


@pytest.fixture
def lp3h(db: None) -> Lp3h:
    return Lp3h.objects.create(name="LP3H Unila", city="Bandar Lampung")


@pytest.fixture
def jabar_pph(make_user: Callable[..., User]) -> User:
    """An assistant serving West Java only."""
    return works_for(make_user("ujang@jabar.test", roles.PPH, full_name="Ujang Jabar"), "32")


def test_an_assistant_of_another_province_is_not_offered_and_cannot_be_chosen(
    cast: f.Cast, jabar_pph: User, lp3h: Lp3h
) -> None:
    PphProfile.objects.create(user=cast.pph, lp3h=lp3h)
    business = f.business(cast.owner)  # Kota Bandar Lampung
    assert jabar_pph not in set(services.pph_choices(business=business))
    product = f.product(business)
    with translation.override("id"), pytest.raises(DomainError) as error:
        services.application_create(
            actor=cast.owner,
            business_id=business.pk,
            pathway="self_declare",
            product_ids=[product.pk],
            pph_id=jabar_pph.pk,
        )
    assert str(error.value.message) == "Pilih Pendamping PPH dari daftar."
    assert not Application.objects.filter(business=business).exists()


def test_the_owner_sees_the_least_busy_assistant_first_with_lp3h_and_open_cases(
    cast: f.Cast, make_user: Callable[..., User], lp3h: Lp3h
) -> None:
    PphProfile.objects.create(user=cast.pph, lp3h=lp3h)
    busy = f.draft(cast.owner, "self_declare")
    Application.objects.filter(pk=busy.pk).update(assigned_pph=cast.pph)
    idle = works_for(make_user("zaki@lampung.test", roles.PPH, full_name="Zaki Lampung"), "18")
    business = f.business(cast.owner)
    choices = list(services.pph_choices(business=business))
    assert choices[0] == idle and cast.pph in choices
    form = ApplyForm(business=business)
    with translation.override("id"):
        labels = [label for _value, label in form.fields["pph"].choices][1:]
    assert labels[0] == "Zaki Lampung — tanpa LP3H — 0 kasus terbuka"
    assert f"{cast.pph} — LP3H Unila — 1 kasus terbuka" in labels


def _staff_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_each_assistants_workload_in_one_query_for_the_counts(
    cast: f.Cast, jabar_pph: User, lp3h: Lp3h, rina: User, django_assert_num_queries: Any
) -> None:
    PphProfile.objects.create(user=cast.pph, lp3h=lp3h)
    app = f.draft(cast.owner, "self_declare")
    Application.objects.filter(pk=app.pk).update(assigned_pph=cast.pph)
    client = _staff_client(rina)
    with django_assert_num_queries(6):  # session, user, roles, group ids, assistants+counts, regions
        response = client.get(reverse("certification:assistants"), HTTP_ACCEPT_LANGUAGE="id")
    body = response.content.decode()
    assert response.status_code == 200
    assert "LP3H Unila" in body and "Ujang Jabar" not in body  # Lampung's directory: who can take Lampung's cases
    since = timezone.now() - timedelta(days=183)
    assert [u.pk for u in selectors.assistant_workload(user=rina, since=since)] == [cast.pph.pk]
    rows = {u.pk: u for u in selectors.assistant_workload(user=national(rina), since=since)}
    assert rows[cast.pph.pk].open_cases == 1 and rows[jabar_pph.pk].open_cases == 0


def test_the_half_year_export_counts_each_assistants_validations(cast: f.Cast, lp3h: Lp3h, rina: User) -> None:
    PphProfile.objects.create(user=cast.pph, lp3h=lp3h)
    app = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    assert ApplicationEvent.objects.filter(application=app, action="pph_validate").exists()
    today = timezone.localdate()
    half = f"{today.year}-{1 if today.month <= 6 else 2}"
    response = _staff_client(rina).get(reverse("certification:assistants"), {"format": "csv", "half": half})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(r for r in table[1:] if r[1] == cast.pph.email)
    assert row[2] == "LP3H Unila" and row[4] == "1"
    other = _staff_client(rina).get(reverse("certification:assistants"), {"format": "csv", "half": "2020-1"})
    table = list(csv.reader(io.StringIO(b"".join(other.streaming_content).decode("utf-8-sig"))))
    assert next(r for r in table[1:] if r[1] == cast.pph.email)[4] == "0"


def test_a_bad_half_year_is_refused_in_indonesian(rina: User) -> None:
    count = ApplicationEvent.objects.count()
    response = _staff_client(rina).get(
        reverse("certification:assistants"), {"format": "csv", "half": "2026-3"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 400
    assert "Pilih semester" in response.content.decode()
    assert ApplicationEvent.objects.count() == count


@pytest.mark.browser
def test_the_assistant_page_fits_a_phone(page: Any, live_server: Any, cast: f.Cast, lp3h: Lp3h, rina: User) -> None:
    from django.conf import settings

    PphProfile.objects.create(user=cast.pph, lp3h=lp3h)
    client = _staff_client(rina)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}{reverse('certification:assistants')}")
        page.screenshot(path=f"test-artifacts/assistants-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.get_by_text("LP3H Unila").is_visible()
