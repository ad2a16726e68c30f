"""The issue's journey in a real browser at 360 px: an owner publishes a certified product with a photo and a PIRT
number from a phone; a visitor finds it by regency, sees the wa.me link and follows the verification link; after a
revocation the product is gone. No request leaves our own server."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import TestCase
from PIL import Image

from applicants.models.listings import ProductListing
from applicants.models.permits import DistributionPermit
from certification.certificates import services as certificate_services
from certification.models import Certificate
from tests.certification import factories as cf
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> dict[str, Any]:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (180, 140, 60)).save(buffer, format="PNG")
    return {"name": "keripik.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_owner_publishes_and_a_visitor_buys_then_a_revocation_removes_it(
    browser: Any, page: Any, live_server: Any, alice: Any, rina: Any, pat: Any
) -> None:
    cf.national_quota(places=10)
    application = cf.issued(cf.Cast(owner=alice, reviewer=rina, pph=pat))
    product = application.products.get()
    business = application.business

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/business/{business.pk}/")
    page.click(f"a[href='/business/{business.pk}/products/{product.pk}/permits/new/']")
    page.select_option("#id_kind", "pirt")
    page.fill("#id_number", "2061871010123-30")
    page.fill("#id_issued_on", "2025-01-10")
    page.fill("#id_expires_on", "2030-01-10")
    _fits(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/business/{business.pk}/")
    page.click(f"a[href='/business/{business.pk}/products/{product.pk}/listing/']")
    page.check("#id_published")
    page.set_input_files("#id_photo", _png())
    page.fill("#id_description", "Keripik pisang renyah dari Bandar Lampung.")
    page.fill("#id_price_min", "15000")
    page.fill("#id_whatsapp", "0812 3456 7890")
    _fits(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/business/{business.pk}/")
    assert DistributionPermit.objects.get(product=product).number == "206187101012330"
    listing = ProductListing.objects.get(product=product, published=True)

    visitor = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    hosts: set[str] = set()
    visitor.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    tab = visitor.new_page()
    tab.goto(f"{live_server.url}/katalog/")
    tab.select_option("#cat-region", business.region.code)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url(f"**/katalog/?*region={business.region.code}*")
    _fits(tab)
    tab.click(f"a[href='/katalog/{listing.pk}/']")
    tab.wait_for_url(f"**/katalog/{listing.pk}/")
    _fits(tab)
    whatsapp = tab.locator("a", has_text="WhatsApp").get_attribute("href")
    assert whatsapp == "https://wa.me/6281234567890"
    assert "206187101012330" in tab.content()
    assert tab.evaluate("document.querySelector('img.product-photo').naturalWidth") == 960
    certificate = Certificate.objects.get(application=application)
    tab.click(f"a[href='/verify/{certificate.token}/']")
    tab.wait_for_url(f"**/verify/{certificate.token}/")
    assert tab.locator(f"a[href='/katalog/{listing.pk}/']").count() == 1
    assert hosts == {urlparse(live_server.url).netloc}

    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_services.certificate_revoke(certificate=certificate, actor=rina, reason="Bahan tidak halal.")
    tab.goto(f"{live_server.url}/katalog/?region={business.region.code}")
    assert tab.locator(f"a[href='/katalog/{listing.pk}/']").count() == 0
    assert tab.goto(f"{live_server.url}/katalog/{listing.pk}/").status == 404
    visitor.close()


def test_an_officer_takes_a_bpom_case_to_registered_on_a_phone_and_the_dashboard_counts_it(
    page: Any, live_server: Any, oscar: Any, alice: Any
) -> None:
    from tests.applicants.factories import BusinessFactory, ProductFactory
    from tests.training.factories import EnrollmentFactory, ProgramFactory
    from training.models import Program
    from training.models.facilitation import FacilitationCase

    business = BusinessFactory(owner=alice)
    product = ProductFactory(business=business, name="Rendang Daging Kemasan")
    program = ProgramFactory(responsible_officer=oscar, topic=Program.Topic.BPOM_REGISTRATION, title="Pelatihan BPOM")
    EnrollmentFactory(program=program, business=business)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", oscar.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/facilitation/new/")
    page.fill("#id_nib", business.nib)
    page.fill("#id_product", "rendang daging  kemasan")  # as an officer types it: any case and spacing
    page.select_option("#id_program", str(program.pk))
    _fits(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/facilitation/*/")
    for button in ("documents_complete", "submit"):
        page.click(f"button[value={button}]")
        page.wait_for_load_state()
    page.fill("input[name=md_number]", "MD 224512345678")
    _fits(page)
    page.click("button[value=register]")
    page.wait_for_load_state()
    assert page.locator("#facilitation-state").inner_text() == "Terdaftar"
    case = FacilitationCase.objects.get()
    assert (case.state, case.md_number, case.program_id) == ("registered", "MD224512345678", program.pk)
    assert case.product == product
    page.goto(f"{live_server.url}/staff/dashboard/")
    assert "Terdaftar: 1" in page.locator("#facilitation-summary").inner_text()
