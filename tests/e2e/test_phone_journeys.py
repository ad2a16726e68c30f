"""Issue 32: each role reaches the end of its job on a 360 px phone, with no dead end.

- the owner: from the list of applications (a card) to the bill, pays, uploads the proof, and later downloads
  the certificate;
- the reviewer: from the queue (cards, "Terlambat" first) to the case, records BPJPH's bill, confirms the payment;
- the assistant: from the assisted cases (cards) to the case, calls or writes to the business, finds it on the map,
  fills the verval checklist and validates.

The office's steps that are not a journey's point (audit, fatwa, issue) go through the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from applicants.models import Facility, Region
from certification import services
from certification.models import Application, Bill, Certificate
from certification.payments import services as payments
from core.calendar import days as cal
from core.models import User
from tests.certification import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PROOF = {"name": "struk-bank.pdf", "mimeType": "application/pdf", "buffer": f.PDF}
CODE = "820261234567890"


@pytest.fixture
def cast(alice: User, rina: User, pat: User) -> f.Cast:
    f.national_quota(places=100)
    return f.Cast(owner=alice, reviewer=rina, pph=pat)


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A 360 px phone in Indonesian."""
    context = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}, extra_http_headers={"Accept-Language": "id"}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _login(tab: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    tab.context.clear_cookies()
    tab.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _fits(tab: Any) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360


def _tap_card(tab: Any, row: Any) -> None:
    """Tap the card away from its link text (its right half, lower part): the whole card is the target."""
    row.scroll_into_view_if_needed()
    box = row.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300, box
    tab.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] - 10)
    tab.wait_for_load_state("load")


def _first_cell_is_the_deadline(row: Any) -> None:
    """On the card the deadline and then the status come first (flex order), above the case number."""
    due = row.locator("td.card-due").bounding_box()
    status = row.locator("td.card-status").bounding_box()
    title = row.locator("td.card-title").bounding_box()
    assert due["y"] < status["y"] < title["y"], (due, status, title)


def test_the_owner_pays_from_a_phone_and_gets_the_certificate(phone: Any, live_server: Any, cast: f.Cast) -> None:
    application = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)
    payments.bill_record(
        application_id=application.pk,
        actor=cast.reviewer,
        amount=application.fee_amount,
        channel="simponi",
        code=CODE,
        due_on=cal.today() + timedelta(days=10),
    )

    _login(phone, live_server, cast.owner)
    phone.goto(f"{live_server.url}/applications/")
    row = phone.locator(f"#my-applications tr:has(a[href$='/applications/{application.pk}/'])")
    assert row.locator("td.card-due").get_attribute("data-label") == "Bayar paling lambat"  # the owner's deadline
    _first_cell_is_the_deadline(row)
    _fits(phone)
    _tap_card(phone, row)
    phone.wait_for_url(f"**/applications/{application.pk}/")
    payment = phone.locator("#payment")
    assert CODE in payment.inner_text() and "Cara membayar" in payment.inner_text()
    assert "Rp" in phone.locator("#bill-amount").inner_text()
    _fits(phone)
    phone.set_input_files("#payment input[name=proof]", PROOF)
    phone.click("#payment button[type=submit]")
    phone.wait_for_selector("#proof-uploaded")
    assert "struk-bank.pdf" in phone.locator("#proof-uploaded").inner_text()

    # The office confirms, the LPH audits, the fatwa decides, the certificate is issued.
    payments.payment_confirm(application_id=application.pk, actor=cast.reviewer)
    for action, payload in (
        ("record_audit", {"audit_report": f.pdf("audit.pdf")}),
        (
            "declare_halal",
            {"fatwa_number": "MUI-2026/88", "fatwa_date": timezone.localdate(), "fatwa_body": "mui_session"},
        ),
        ("issue", f.payload_for("issue", cast)),
    ):
        services.application_transition(application_id=application.pk, action=action, actor=cast.reviewer, **payload)
    certificate = Certificate.objects.get(application=application)

    phone.goto(f"{live_server.url}/applications/{application.pk}/")
    link = phone.locator(f"a[href$='/certificates/{certificate.number}/pdf/']").first
    response = phone.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.ok and response.body().startswith(b"%PDF")
    _fits(phone)


def test_the_reviewer_works_the_queue_on_a_phone_records_the_bill_and_confirms_the_payment(
    phone: Any, live_server: Any, cast: f.Cast
) -> None:
    late = f.drive(f.draft(cast.owner, "self_declare"), "verification", cast)
    Application.objects.filter(pk=late.pk).update(due_on=cal.today() - timedelta(days=3))
    waiting = f.drive(f.draft(cast.owner, "regular"), "awaiting_payment", cast)

    _login(phone, live_server, cast.reviewer)
    phone.goto(f"{live_server.url}/cases/")
    overdue = phone.locator(f"#queue tr:has(a[href$='/cases/{late.pk}/'])")
    assert "Terlambat" in overdue.locator("td.card-due").inner_text()
    _first_cell_is_the_deadline(overdue)
    _fits(phone)
    _tap_card(phone, phone.locator(f"#queue tr:has(a[href$='/cases/{waiting.pk}/'])"))
    phone.wait_for_url(f"**/cases/{waiting.pk}/")

    bill = phone.locator("#payment form[action$='/payment/bill/']")
    bill.locator("input[name=amount]").fill(str(waiting.fee_amount))
    bill.locator("input[name=channel][value=simponi]").check()
    bill.locator("input[name=code]").fill(CODE)
    bill.locator("input[name=due_on]").fill((cal.today() + timedelta(days=7)).isoformat())
    bill.locator("button[type=submit]").click()
    phone.wait_for_selector("#bill-code")
    assert Bill.objects.get(application=waiting).code == CODE
    _fits(phone)

    payments.payment_proof_upload(application_id=waiting.pk, actor=cast.owner, proof=f.pdf("struk.pdf"))
    phone.reload()
    phone.click("#confirm-payment")
    phone.wait_for_load_state("load")
    waiting.refresh_from_db()
    assert waiting.state == "lph_examination" and waiting.payment_proof


def test_the_assistant_reaches_the_business_and_validates_on_a_phone(
    phone: Any, live_server: Any, cast: f.Cast
) -> None:
    business = f.business(cast.owner, phone="081234567890")
    Facility.objects.create(
        business=business,
        kind="production",
        name="Dapur belakang",
        address="Jl. Teuku Umar 12",
        region=Region.objects.get(code="1871"),
        latitude=Decimal("-5.397140"),
        longitude=Decimal("105.266790"),
    )
    application = f.drive(f.draft(cast.owner, "self_declare", business), "pph_verification", cast)

    _login(phone, live_server, cast.pph)
    phone.goto(f"{live_server.url}/assist/")
    row = phone.locator(f"#pph-cases tr:has(a[href$='/cases/{application.pk}/'])")
    _first_cell_is_the_deadline(row)
    _fits(phone)
    _tap_card(phone, row)
    phone.wait_for_url(f"**/cases/{application.pk}/")
    contact = phone.locator("#contact")
    assert contact.locator("a#contact-call").get_attribute("href") == "tel:+6281234567890"
    assert contact.locator("a#contact-whatsapp").get_attribute("href") == "https://wa.me/6281234567890"
    assert "-5.397140,105.266790" in contact.locator("a.map-link").last.get_attribute("href")
    call = contact.locator("a#contact-call").bounding_box()
    assert call["height"] >= 44
    _fits(phone)

    phone.click("#verification a.button")
    phone.wait_for_url(f"**/cases/{application.pk}/verval/")
    assert phone.locator("#contact a#contact-call").count() == 1
    items = phone.locator("fieldset.verval-item")
    for i in range(items.count()):
        items.nth(i).locator("input[value=conforms]").check()
        if items.nth(i).locator("input[name^=evidence-]").count():
            items.nth(i).locator("input[name^=evidence-]").first.check()
            items.nth(i).locator("textarea").fill("Dilihat di dapur.")
    phone.fill("#id_visit_date", timezone.localdate().isoformat())
    phone.fill("#id_recommendation", "Bahan dan proses sesuai ikrar.")
    phone.click("button[name=done]")
    phone.wait_for_url(f"**/cases/{application.pk}/")
    phone.click("form.action-form:has(input[name=action][value=pph_validate]) button[type=submit]")
    phone.wait_for_selector(".msg")
    application.refresh_from_db()
    assert application.state == "verification"
    _fits(phone)
