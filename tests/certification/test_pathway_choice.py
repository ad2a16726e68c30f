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


# --- The same switch through the API (issue 32, item 16) -------------------------------------------------------------
def _switch(api_as: Any, user: Any, app: Application, **body: Any) -> Any:
    return api_as(user).post(f"/api/v1/applications/{app.pk}/pathway/", body, format="json", HTTP_ACCEPT_LANGUAGE="id")


def test_the_owner_switches_a_draft_through_the_api_with_the_pages_service(cast: f.Cast, api_as: Any) -> None:
    app = f.draft(cast.owner, "regular")
    response = _switch(api_as, cast.owner, app, pathway="self_declare")
    assert response.status_code == 200, response.json()
    assert response.json()["pathway"] == "self_declare"
    app.refresh_from_db()
    assert (app.pathway, app.lph_id, app.state) == ("self_declare", None, "draft")
    lph = f.lph()
    response = _switch(api_as, cast.owner, app, pathway="regular", lph=lph.pk)
    app.refresh_from_db()
    assert response.status_code == 200 and (app.pathway, app.lph_id) == ("regular", lph.pk)


def test_an_ineligible_business_cannot_switch_to_self_declare_through_the_api_and_nothing_changes(
    cast: f.Cast, api_as: Any
) -> None:
    app = f.draft(cast.owner, "regular", f.business(cast.owner, outlets=3))
    lph = app.lph_id
    response = _switch(api_as, cast.owner, app, pathway="self_declare")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Usaha belum memenuhi kriteria self-declare")
    assert "pathway" in response.json()["errors"]
    app.refresh_from_db()
    assert (app.pathway, app.lph_id) == ("regular", lph)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"pathway": "express"}, "Pilih jalur self-declare atau reguler."),
        ({"pathway": "regular", "lph": 999_999}, "Pilih LPH dari daftar yang melayani provinsi Anda."),
    ],
)
def test_a_bad_pathway_or_lph_is_explained_and_nothing_changes(
    cast: f.Cast, api_as: Any, body: dict[str, Any], message: str
) -> None:
    app = f.draft(cast.owner, "self_declare")
    response = _switch(api_as, cast.owner, app, **body)
    assert response.status_code == 400 and response.json()["detail"] == message
    app.refresh_from_db()
    assert (app.pathway, app.lph_id) == ("self_declare", None)


def test_a_submitted_case_keeps_its_pathway_through_the_api(cast: f.Cast, api_as: Any) -> None:
    app = f.drive(f.draft(cast.owner, "regular"), "verification", cast)
    response = _switch(api_as, cast.owner, app, pathway="self_declare")
    assert response.status_code == 400
    assert response.json()["detail"] == "Jalur hanya dapat diubah selama permohonan masih draf."
    app.refresh_from_db()
    assert app.pathway == "regular"


@pytest.mark.parametrize("who", ["bob", "reviewer", "pph", "anonymous"])
def test_nobody_but_the_owner_switches_a_draft_through_the_api(cast: f.Cast, api_as: Any, bob: User, who: str) -> None:
    app = f.draft(cast.owner, "regular")
    user = {"bob": bob, "reviewer": cast.reviewer, "pph": cast.pph, "anonymous": None}[who]
    response = _switch(api_as, user, app, pathway="self_declare")
    assert response.status_code == (401 if user is None else 404)
    app.refresh_from_db()
    assert app.pathway == "regular"
