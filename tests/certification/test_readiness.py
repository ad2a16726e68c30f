""" "What you still need" (issue 32, item 3): one rule for the business page, the application page and the submit
service; the process flow drawn from the entered steps so the owner need not upload it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from applicants.models import Business, Document, ProcessStep, Product
from applicants.readiness import REQUIRED_DOCUMENTS, business_needs, refusal
from certification import services
from certification.models import Application
from certification.readiness import application_needs
from certification.workflow import table as wf
from core.calendar import days as cal
from core.errors import DomainError
from tests.certification import factories as f
from tests.pdftools import pdf_text


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _steps(product: Product) -> None:
    ingredient = product.ingredients.first()
    ProcessStep.objects.create(product=product, order=1, stage="receipt", description="Pisang diterima dan dicuci.")
    step = ProcessStep.objects.create(product=product, order=2, stage="processing", description="Digoreng 5 menit.")
    step.ingredients.add(ingredient)


def _app(owner: Any, b: Business, kinds: tuple[str, ...], pathway: str = "regular") -> Application:
    p = b.products.first() or f.product(b)
    docs = f.documents(b, kinds)
    extra = {"lph_id": f.lph().pk} if pathway == "regular" else {}
    app = services.application_create(
        actor=owner, business_id=b.pk, pathway=pathway, product_ids=[p.pk], document_ids=[d.pk for d in docs], **extra
    )
    if pathway == "self_declare":
        services.pledge_sign(application_id=app.pk, actor=owner)
    app.refresh_from_db()
    return app


def test_the_rule_knows_every_pathway_of_the_workflow() -> None:
    assert set(REQUIRED_DOCUMENTS) == set(wf.PATHWAYS)


@pytest.mark.parametrize(
    "kinds", [("nib",), ("nib", "product_photo"), ("nib", "product_photo", "process_flow"), ("product_photo",)]
)
def test_the_checklist_names_exactly_what_submit_refuses(cast: f.Cast, kinds: tuple[str, ...]) -> None:
    app = _app(cast.owner, f.business(cast.owner), kinds)
    first = refusal(application_needs(app, cal.today()))
    assert first is not None
    with pytest.raises(DomainError) as refused:
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert str(refused.value) == first.message
    app.refresh_from_db()
    assert app.state == "draft"


def test_the_business_page_lists_what_each_pathway_still_needs(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    f.product(b)
    f.documents(b, ("nib",))
    page = _client(cast.owner).get(f"/business/{b.pk}/").content.decode()
    assert 'id="needs-self_declare"' in page and 'id="needs-regular"' in page
    regular = {pathway: lines for pathway, _label, lines in business_needs(b)}["regular"]
    missing = [line.label for line in regular if not line.done]
    assert missing == ["Product photo", "Production process flow", "Halal assurance manual"]
    assert page.count("Halal assurance manual") >= 1


def test_staff_see_no_checklist_on_the_business_page(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    page = _client(cast.reviewer).get(f"/business/{b.pk}/").content.decode()
    assert 'id="needs"' not in page


def test_the_draft_page_shows_the_checklist_before_submit(cast: f.Cast) -> None:
    app = _app(cast.owner, f.business(cast.owner), ("nib",), pathway="self_declare")
    page = _client(cast.owner).get(f"/applications/{app.pk}/").content.decode()
    assert "Before you submit" in page
    needs = {n.code: n.done for n in application_needs(app, cal.today())}
    assert needs["document:product_photo"] is False and needs["pledge"] is True and needs["eligible"] is True


def test_entered_steps_stand_in_for_the_process_flow_document(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    product = f.product(b, name="Keripik Pisang Lampung")
    _steps(product)
    app = _app(cast.owner, b, ("nib", "product_photo", "halal_manual"))
    needs = {n.code: n for n in application_needs(app, cal.today())}
    assert needs["document:process_flow"].done and needs["document:process_flow"].note
    services.application_transition(
        application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
    )
    app.refresh_from_db()
    assert app.state == "verification"
    drawn = app.documents.get(kind=Document.Kind.PROCESS_FLOW)
    assert drawn.generated and drawn.original_name == "alur-proses-produksi.pdf"
    with drawn.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_text(data).split())  # pypdfium2, not poppler: `make test` needs no system programs
    assert "Keripik Pisang Lampung" in text and "Digoreng 5 menit." in text


def test_an_uploaded_process_flow_is_kept_and_nothing_is_drawn(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    _steps(f.product(b))
    app = _app(cast.owner, b, ("nib", "product_photo", "process_flow", "halal_manual"))
    services.application_transition(
        application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
    )
    flows = list(app.documents.filter(kind=Document.Kind.PROCESS_FLOW))
    assert len(flows) == 1 and not flows[0].generated


def test_a_product_without_steps_still_needs_the_document(cast: f.Cast) -> None:
    b = f.business(cast.owner)
    _steps(f.product(b, name="Keripik A"))
    other = f.product(b, name="Keripik B")  # no steps
    app = _app(cast.owner, b, ("nib", "product_photo", "halal_manual"))
    app.products.add(other)
    with pytest.raises(DomainError, match="Production process flow"):
        services.application_transition(
            application_id=app.pk, action="submit", actor=cast.owner, **f.payload_for("submit", cast)
        )
    assert not Document.objects.filter(business=b, kind="process_flow").exists()
