"""Issue 16's journey in a real browser at 360 px: the owner sees the doubtful ingredient, downloads the generated
SJPH manual and application letter, applies self-declare; the assistant verifies on a phone (checklist, GPS from
the browser, a photo), validates, and the validation report PDF appears on the case."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from applicants.models import Document, Ingredient, ProcessStep
from certification import services
from certification.models import Application, CaseDocument, Verification, VerificationItem
from tests.certification import factories as f

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAMPUNG = {"latitude": -5.42, "longitude": 105.26}


def _login(context: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A 360 px phone, Indonesian, that allows the site to read its position (Bandar Lampung)."""
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": 360, "height": 740},
        geolocation=LAMPUNG,
        permissions=["geolocation"],
        extra_http_headers={"Accept-Language": "id"},
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _fits(tab: Any) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360


def _pdf(tab: Any, href: str) -> None:
    response = tab.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF"), href


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_journey_owner_applies_and_the_assistant_verifies_on_a_phone(
    phone: Any, live_server: Any, cast: f.Cast, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    ARTIFACTS.mkdir(exist_ok=True)
    business = f.business(cast.owner)
    product = f.product(business, name="Keripik Pisang Lampung")
    oil = Ingredient.objects.create(product=product, name="Minyak goreng curah", producer="Pabrik X")  # doubtful
    ProcessStep.objects.create(product=product, order=1, stage="receipt", description="Pisang diterima dari kebun.")
    ProcessStep.objects.create(product=product, order=2, stage="processing", description="Pisang digoreng.")
    f.documents(business, ("nib", "product_photo", "process_flow"))
    context = phone.context

    # The owner, on a phone: the doubtful ingredient is listed before applying; the generated documents download.
    _login(context, live_server, cast.owner)
    phone.goto(f"{live_server.url}/business/{business.pk}/")
    assert "Minyak goreng curah" in phone.locator("#doubtful").inner_text()
    _fits(phone)
    for kind in ("halal_manual", "application_letter"):
        phone.locator(f"form[action$='/documents/generate/{kind}/'] button").click()
        phone.wait_for_load_state("load")
    phone.reload()
    generated = Document.objects.filter(business=business, generated=True)
    assert sorted(generated.values_list("kind", flat=True)) == ["application_letter", "halal_manual"]
    for document in generated:
        href = reverse("applicants:document_download", args=[document.pk])
        assert phone.locator(f"a[href='{href}']").count() == 1  # listed on the business page
        _pdf(phone, f"{live_server.url}{href}")
    phone.screenshot(path=str(ARTIFACTS / "verval-journey-owner-business-360.png"), full_page=True)

    # Self-declare needs no doubtful ingredient: the owner adds the supplier's halal certificate (the product form
    # has its own tests), and the list is empty.
    Ingredient.objects.filter(pk=oil.pk).update(
        halal_certificate_number="ID00110012345670123",
        certificate_issuer="bpjph",
        certificate_valid_until=timezone.localdate().replace(year=timezone.localdate().year + 2),
    )
    phone.reload()
    assert phone.locator("#doubtful").count() == 0

    phone.goto(f"{live_server.url}/applications/new/?business={business.pk}")
    phone.check("input[name=pathway][value=self_declare]")
    phone.check("label:has-text('Keripik Pisang Lampung') input")
    for box in phone.locator("input[name=documents]").all():
        box.check()
    phone.check("#id_pledge")
    phone.click("button:has-text('Simpan draf')")
    phone.wait_for_url("**/applications/*/")
    application = Application.objects.get(business=business)
    # The office facilitates (CERTIFICATE_ISSUER=bpjph): the owner names the case's SIHALAL registration.
    submit_form = "form.action-form:has(input[name=action][value=submit])"
    phone.fill(f"{submit_form} [name=sihalal_registration]", "SH2026-1-004712")
    phone.click(f"{submit_form} button[type=submit]")
    phone.wait_for_selector(".msg")
    application.refresh_from_db()
    assert application.state == "submitted"
    services.application_assign(application_ids=[application.pk], actor=cast.reviewer, pph=cast.pph)

    # The assistant, on a phone with location allowed: checklist, GPS, a photo, the recommendation.
    _login(context, live_server, cast.pph)
    phone.goto(f"{live_server.url}/cases/{application.pk}/")
    phone.click("#verification a.button")
    phone.wait_for_url(f"**/cases/{application.pk}/verval/")
    _fits(phone)
    items = phone.locator("fieldset.verval-item")
    assert items.count() == 12  # three ingredients, two process steps, seven facility and practice lines
    for i in range(items.count()):
        item = items.nth(i)
        item.locator("input[value=conforms]").check()
        if "Minyak goreng curah" in item.locator("legend").inner_text():
            item.locator("textarea").fill("Sertifikat halal pemasok ID00110012345670123 dilihat di dapur.")
    phone.fill("#id_visit_date", timezone.localdate().isoformat())
    phone.click("#gps-take")
    phone.wait_for_selector("#gps-status:has-text('-5.420000')")  # the page's own script (CSP: no eval here)
    assert phone.locator("#id_latitude").input_value() == "-5.420000"
    picture = tmp_path / "dapur.png"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (61, 195, 163)).save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())
    phone.set_input_files("#id_photos", str(picture))
    phone.fill("#id_recommendation", "Bahan dan proses sesuai; sertifikat minyak goreng pemasok dilihat.")
    phone.screenshot(path=str(ARTIFACTS / "verval-journey-assistant-checklist-360.png"), full_page=True)
    phone.click("button[name=done]")
    phone.wait_for_url(f"**/cases/{application.pk}/")
    verification = Verification.objects.get(application=application)
    assert (float(verification.latitude), float(verification.longitude)) == (-5.42, 105.26)
    assert verification.photos.count() == 1
    assert VerificationItem.objects.filter(verification=verification, verdict="conforms").count() == 12
    _fits(phone)

    # Validate; the worker renders the report, which the case links.
    phone.click("form.action-form:has(input[name=action][value=pph_validate]) button[type=submit]")
    phone.wait_for_selector(".msg")
    application.refresh_from_db()
    assert application.state == "verification"
    assert CaseDocument.objects.get(application=application, kind="validation_report").file
    phone.reload()
    link = phone.locator("a[href$='/documents/validation_report.pdf']")
    assert link.count() == 1
    _pdf(phone, f"{live_server.url}{link.get_attribute('href')}")
    assert phone.locator("#verification img").count() == 1
    _fits(phone)
    phone.screenshot(path=str(ARTIFACTS / "verval-journey-case-360.png"), full_page=True)

    # The owner's page links the report too.
    _login(context, live_server, cast.owner)
    phone.goto(f"{live_server.url}/applications/{application.pk}/")
    assert phone.locator("a[href$='/documents/validation_report.pdf']").count() == 1
    _fits(phone)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_verval_page_at_1280_px(browser: Any, live_server: Any, cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "pph_verification", cast)
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
    try:
        tab = context.new_page()
        _login(context, live_server, cast.pph)
        tab.goto(f"{live_server.url}/cases/{app.pk}/verval/")
        assert tab.locator("fieldset.verval-item").count() == 9  # two ingredients, seven facility and practice lines
        assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "verval-page-1280.png"), full_page=True)
    finally:
        context.close()
