"""Verification means verified: the checklist comes from the case's evidence, a doubtful ingredient conforms only
with what resolved it, and `pph_validate` refuses while a line is doubtful (issue 29)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from applicants.models import Ingredient
from applicants.services import product_update
from certification import services
from certification.models import Application, Verification, VerificationItem
from certification.verification import services as verification_services
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f

pytestmark = pytest.mark.django_db


def _case_with(cast: f.Cast, name: str) -> Application:
    """A self-declare case with the assistant whose product also has `name`, claimed exempt by the owner."""
    draft = f.draft(cast.owner, "self_declare")
    Ingredient.objects.create(product=draft.products.get(), name=name, exempt_claim=True)
    return f.drive(draft, "pph_verification", cast)


def _line(app: Application, label: str) -> verification_services.Subject:
    record = Verification.objects.filter(application=app).first()
    return next(row for row in verification_services.checklist(app, record) if row.label == label)


def _save(app: Application, pph: Any, items: dict[str, dict[str, str]]) -> None:
    verification_services.verification_save(application_id=app.pk, actor=pph, items=items)


def _items(app: Application) -> int:
    return VerificationItem.objects.filter(verification__application=app).count()


def test_a_claimed_ingredient_is_doubtful_on_the_checklist(cast: f.Cast) -> None:
    app = _case_with(cast, "Daun pandan")
    line = _line(app, "Daun pandan")
    assert line.platform_doubtful and line.classification["basis"] == "claim"
    page = Client()
    page.force_login(cast.pph)
    body = page.get(reverse("certification:verval", args=[app.pk])).content.decode()
    assert f'name="evidence-{line.key}" value="exempt_confirmed"' in body
    assert "The owner believes it is exempt; the assistant confirms it on site." in body


def test_a_doubtful_ingredient_marked_conforming_without_a_resolution_is_refused(cast: f.Cast) -> None:
    app = _case_with(cast, "Daun pandan")
    key = _line(app, "Daun pandan").key
    with pytest.raises(DomainError, match="it conforms only once resolved") as error:
        _save(app, cast.pph, {key: {"verdict": "conforms", "note": ""}})
    assert key in error.value.errors and _items(app) == 0
    with pytest.raises(DomainError, match="Write what you saw"):
        _save(app, cast.pph, {key: {"verdict": "conforms", "evidence": "exempt_confirmed", "note": " "}})
    assert _items(app) == 0


def test_a_never_exempt_name_cannot_be_confirmed_as_needing_no_certificate(cast: f.Cast) -> None:
    app = _case_with(cast, "Perisa keju")  # a claim written around the services (an older record)
    key = _line(app, "Perisa keju").key
    with pytest.raises(DomainError, match="perisa"):
        _save(app, cast.pph, {key: {"verdict": "conforms", "evidence": "exempt_confirmed", "note": "Dilihat."}})
    assert _items(app) == 0
    _save(
        app,
        cast.pph,
        {key: {"verdict": "conforms", "evidence": "certificate_seen", "note": "SH ID18110000012340125 BPJPH."}},
    )
    assert VerificationItem.objects.get(key=key).evidence == "certificate_seen"


def test_validation_needs_every_doubtful_ingredient_resolved(cast: f.Cast) -> None:
    app = _case_with(cast, "Daun pandan")
    key = _line(app, "Daun pandan").key
    items = {row.key: {"verdict": "conforms"} for row in verification_services.checklist(app) if row.key != key}
    items[key] = {"verdict": "doubtful", "note": "Belum terlihat di dapur."}
    verification_services.verification_save(
        application_id=app.pk, actor=cast.pph, items=items, visit_date=cal.today(), recommendation="Layak."
    )
    with pytest.raises(DomainError, match="1 checklist lines are still doubtful"):
        services.application_transition(application_id=app.pk, action="pph_validate", actor=cast.pph)
    _save(
        app,
        cast.pph,
        {key: {"verdict": "conforms", "evidence": "exempt_confirmed", "note": "Daun pandan segar dari kebun sendiri."}},
    )
    app = services.application_transition(application_id=app.pk, action="pph_validate", actor=cast.pph)
    assert app.state == "verification"


def test_a_line_that_changed_on_resubmission_is_judged_again(cast: f.Cast) -> None:
    draft = f.draft(cast.owner, "self_declare")
    product = draft.products.get()
    app = f.drive(draft, "pph_verification", cast)
    f.verify_all(app, cast.pph)
    first = _line(app, "Bahan 0")
    assert first.item is not None
    services.application_transition(application_id=app.pk, action="return", actor=cast.pph, reason="Ganti pemasok.")
    product_update(
        actor=cast.owner,
        product=product,
        fields={},
        ingredients=[
            {"name": "Bahan 0", "halal_certificate_number": "ID18110000012340125", "certificate_issuer": "bpjph"},
            {"name": "Bahan 1", "positive_list_entry": f.positive("beras")},
        ],
    )
    app = services.application_transition(application_id=app.pk, action="resubmit", actor=cast.owner)
    assert app.state == "pph_verification"
    changed, kept = _line(app, "Bahan 0"), _line(app, "Bahan 1")
    assert changed.key == first.key and changed.item is None and changed.earlier is not None
    assert kept.item is not None  # an unchanged line keeps its verdict
    with pytest.raises(DomainError, match="1 lines have no verdict yet"):
        services.application_transition(application_id=app.pk, action="pph_validate", actor=cast.pph)


def test_validating_with_an_open_doubtful_line_through_the_api_answers_400_in_indonesian_and_writes_nothing(
    cast: f.Cast, api_as: Any
) -> None:
    from certification.models import ApplicationEvent, CaseDocument

    app = _case_with(cast, "Daun pandan")
    f.verify_all(app, cast.pph, verdict="doubtful")
    client = api_as(cast.pph)
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    response = client.post(
        reverse("api-application-transitions", args=[app.pk]), {"action": "pph_validate"}, format="json"
    )
    assert response.status_code == 400
    assert "baris daftar periksa masih diragukan" in response.json()["detail"]
    app.refresh_from_db()
    assert (app.state, app.pph_report) == ("pph_verification", "")
    assert not ApplicationEvent.objects.filter(application=app, action="pph_validate").exists()
    assert not CaseDocument.objects.filter(application=app).exists()
