"""Issue 32, item 5: a self-declare draft only for an eligible business, with the reason why not; the owner may
switch a draft's pathway."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from certification import services
from certification.models import Application
from core.errors import DomainError
from core.models import User
from tests.certification import factories as f


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_self_declare_draft_is_refused_for_an_ineligible_business_and_nothing_is_written(cast: f.Cast) -> None:
    b = f.business(cast.owner, outlets=3)
    p = f.product(b)
    with pytest.raises(DomainError) as refused:
        services.application_create(actor=cast.owner, business_id=b.pk, pathway="self_declare", product_ids=[p.pk])
    assert str(refused.value).startswith("The business does not meet the self-declare criteria: ")
    assert "pathway" in refused.value.errors
    assert not Application.objects.exists()


def test_the_refusal_is_in_indonesian(cast: f.Cast) -> None:
    b = f.business(cast.owner, outlets=3)
    p = f.product(b)
    with translation.override("id"), pytest.raises(DomainError) as refused:
        services.application_create(actor=cast.owner, business_id=b.pk, pathway="self_declare", product_ids=[p.pk])
    assert str(refused.value).startswith("Usaha belum memenuhi kriteria self-declare")
    assert not Application.objects.exists()


def test_the_owner_switches_a_draft_from_regular_to_self_declare_and_back(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "regular")
    services.application_pathway_change(application_id=app.pk, actor=cast.owner, pathway="self_declare")
    app.refresh_from_db()
    assert (app.pathway, app.lph_id, app.state) == ("self_declare", None, "draft")
    services.pledge_sign(application_id=app.pk, actor=cast.owner)
    lph = f.lph()
    services.application_pathway_change(application_id=app.pk, actor=cast.owner, pathway="regular", lph_id=lph.pk)
    app.refresh_from_db()
    assert (app.pathway, app.lph_id, app.pledge_signed_at) == ("regular", lph.pk, None)


def test_switching_to_self_declare_is_refused_for_an_ineligible_business(cast: f.Cast) -> None:
    b = f.business(cast.owner, outlets=3)
    app = f.draft(cast.owner, "regular", b)
    with pytest.raises(DomainError, match="does not meet the self-declare criteria"):
        services.application_pathway_change(application_id=app.pk, actor=cast.owner, pathway="self_declare")
    app.refresh_from_db()
    assert app.pathway == "regular" and app.lph_id is not None


def test_only_a_draft_of_ones_own_changes_pathway(cast: f.Cast, bob: User) -> None:
    app = f.draft(cast.owner, "regular")
    with pytest.raises(DomainError, match="Only the owner"):
        services.application_pathway_change(application_id=app.pk, actor=bob, pathway="self_declare")
    assert _client(bob).post(f"/applications/{app.pk}/pathway/", {"pathway": "self_declare"}).status_code == 404
    f.drive(app, "verification", cast)
    with pytest.raises(DomainError, match="only be changed while the application is a draft"):
        services.application_pathway_change(application_id=app.pk, actor=cast.owner, pathway="self_declare")
    app.refresh_from_db()
    assert app.pathway == "regular"


def test_the_draft_page_offers_the_pathway_change(cast: f.Cast) -> None:
    app = f.draft(cast.owner, "regular")
    client = _client(cast.owner)
    assert f'action="/applications/{app.pk}/pathway/"' in client.get(f"/applications/{app.pk}/").content.decode()
    client.post(f"/applications/{app.pk}/pathway/", {"pathway": "self_declare"})
    app.refresh_from_db()
    assert app.pathway == "self_declare"
