"""Issue 29's journey in a real browser: the owner submits, then renames, replaces and deletes things in the live
dossier; the reviewer's, the assistant's and the owner's case pages still show exactly what was submitted, with its
documents; the assistant returns the case; the resubmission shows what changed. Phones at 360 px, the reviewer at
1280 px, all in Indonesian."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from applicants.models import Document, Facility, Ingredient, ProcessStep, Region
from certification import services
from certification.models import Application, EvidenceSnapshot
from tests.certification import factories as f

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PRODUCT = "Keripik Pisang Lampung"
RENAMED = "Keripik Pisang Madu"


def _login(context: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def _context(browser: Any, width: int) -> Any:
    context = browser.new_context(
        locale="id-ID", viewport={"width": width, "height": 800}, extra_http_headers={"Accept-Language": "id"}
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def tabs(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    """A phone (360 px) for the owner and the assistant, a desktop (1280 px) for the reviewer."""
    phone, desk = _context(browser, 360), _context(browser, 1280)
    pages = (phone.new_page(), desk.new_page())
    yield pages
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for tab, name in zip(pages, ("phone", "desk"), strict=True):
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
    phone.close()
    desk.close()


def _fits(tab: Any, width: int) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= width


def _evidence(tab: Any) -> str:
    """The case page's frozen evidence, without the list of what the live dossier changed since."""
    section = tab.locator("#evidence")
    text = section.inner_text()
    live = section.locator("#live-changes")
    return text.replace(live.inner_text(), "") if live.count() else text


def _shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_journey_what_was_submitted_stays_on_every_case_page_and_the_resubmission_shows_what_changed(
    tabs: tuple[Any, Any], live_server: Any, cast: f.Cast, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    phone, desk = tabs
    business = f.business(cast.owner)
    product = f.product(business, name=PRODUCT)
    ProcessStep.objects.create(product=product, order=1, stage="processing", description="Pisang diiris dan digoreng.")
    Ingredient.objects.create(product=product, name="Daun pandan", exempt_claim=True)  # the owner's claim
    f.documents(business, ("nib", "product_photo", "process_flow"))
    kitchen = Facility.objects.create(
        business=business,
        kind="production",
        name="Dapur Bu Alice",
        address="Jl. Kenanga 3",
        region=Region.objects.get(code="1871"),
    )
    nib = Document.objects.get(business=business, kind="nib")

    # The owner applies and submits on a phone.
    _login(phone.context, live_server, cast.owner)
    phone.goto(f"{live_server.url}/applications/new/?business={business.pk}")
    phone.check("input[name=pathway][value=self_declare]")
    phone.check(f"label:has-text('{PRODUCT}') input")
    for box in phone.locator("input[name=documents]").all():
        box.check()
    phone.check("#id_pledge")
    phone.click("button:has-text('Simpan draf')")
    phone.wait_for_url("**/applications/*/")
    app = Application.objects.get(business=business)
    submit = "form.action-form:has(input[name=action][value=submit])"
    phone.fill(f"{submit} [name=sihalal_registration]", "SH2026-1-000321")  # the default: registered in SIHALAL
    phone.click(f"{submit} button[type=submit]")
    phone.wait_for_selector("#evidence")
    app.refresh_from_db()
    assert app.state == "submitted" and app.evidence is not None
    services.application_assign(application_ids=[app.pk], actor=cast.reviewer, pph=cast.pph)

    # Then the owner keeps editing the live dossier: renames the product, replaces the NIB (deleting it is refused,
    # with the reason and the way out), deletes the kitchen after confirming.
    phone.goto(f"{live_server.url}/business/{business.pk}/products/{product.pk}/")
    phone.fill("#id_name", RENAMED)
    phone.click("form.card button[type=submit]")
    phone.wait_for_url(f"**/business/{business.pk}/")
    phone.click(f"a[href$='/documents/{nib.pk}/delete/']")
    refusal = phone.locator("#delete-refused").inner_text()
    assert f"menjadi bukti kasus #{app.pk}" in refusal and phone.locator("#confirm-delete").count() == 0
    _fits(phone, 360)
    _shot(phone, "evidence-journey-delete-refused-360.png")
    phone.click("a:has-text('Unggah pengganti')")
    new_nib = tmp_path / "nib-2026.pdf"
    new_nib.write_bytes(f.PDF)
    phone.set_input_files("#id_file", str(new_nib))
    phone.click("form.card button[type=submit]")
    phone.wait_for_url(f"**/business/{business.pk}/")
    phone.click(f"a[href$='/facilities/{kitchen.pk}/delete/']")
    assert "Tindakan ini tidak dapat dibatalkan." in phone.content()
    phone.click("#confirm-delete")
    phone.wait_for_url(f"**/business/{business.pk}/")
    assert not Facility.objects.filter(pk=kitchen.pk).exists()
    nib.refresh_from_db()
    assert nib.retired_at is not None and nib.replaced_by is not None

    # The reviewer (desktop): the case still shows what was submitted, with its documents.
    _login(desk.context, live_server, cast.reviewer)
    desk.goto(f"{live_server.url}/cases/{app.pk}/")
    frozen = _evidence(desk)
    assert PRODUCT in frozen and RENAMED not in frozen and "Dapur Bu Alice" in frozen and "nib.pdf" in frozen
    assert "nib-2026.pdf" not in frozen
    download = desk.locator(f"#evidence a[href='{reverse('applicants:document_download', args=[nib.pk])}']")
    assert download.count() == 1
    assert desk.request.get(f"{live_server.url}{download.get_attribute('href')}").body().startswith(b"%PDF")
    assert "berbeda dari pengajuan ini pada 3 hal" in desk.locator("#live-changes summary").inner_text()
    _fits(desk, 1280)
    _shot(desk, "evidence-journey-reviewer-1280.png")

    # The assistant (phone): the case and the checklist are the submitted ones; a finding returns the case.
    _login(phone.context, live_server, cast.pph)
    phone.goto(f"{live_server.url}/cases/{app.pk}/")
    frozen = _evidence(phone)
    assert PRODUCT in frozen and RENAMED not in frozen and "Dapur Bu Alice" in frozen
    _fits(phone, 360)
    phone.goto(f"{live_server.url}/cases/{app.pk}/verval/")
    assert phone.locator("h3", has_text=PRODUCT).count() == 1 and RENAMED not in phone.content()
    assert phone.locator("fieldset.verval-item").count() == 3 + 1 + 7  # ingredients, the step, facility lines
    pandan = phone.locator("fieldset.verval-item", has_text="Daun pandan")
    assert "Dinyatakan dikecualikan" in pandan.inner_text()
    pandan.locator("input[value=conforms]").check()
    pandan.locator("input[value=exempt_confirmed]").check()
    pandan.locator("textarea").fill("Daun pandan segar dari kebun sendiri, dilihat di dapur.")
    separation = phone.locator("fieldset#item-p-separation")
    separation.locator("input[value=doubtful]").check()
    separation.locator("textarea").fill("Dapur dipakai bersama warung nasi; pisahkan alat penggorengan.")
    _shot(phone, "evidence-journey-verval-360.png")
    phone.click("form.verval .sticky-actions button[type=submit]:not([name])")
    phone.wait_for_selector(".msg")
    phone.goto(f"{live_server.url}/cases/{app.pk}/")
    returning = phone.locator("form.action-form:has(input[name=action][value=return])")
    returning.locator("textarea[name=reason]").fill("Perbaiki temuan di dapur.")
    returning.locator("button[type=submit]").click()
    phone.wait_for_selector(".msg")
    app.refresh_from_db()
    assert app.state == "returned"

    # The owner (phone) sees the findings and what was submitted, then resubmits.
    _login(phone.context, live_server, cast.owner)
    phone.goto(f"{live_server.url}/applications/{app.pk}/")
    assert "pisahkan alat penggorengan" in phone.locator("#return-reason").inner_text()
    frozen = _evidence(phone)
    assert PRODUCT in frozen and RENAMED not in frozen
    _fits(phone, 360)
    _shot(phone, "evidence-journey-owner-returned-360.png")
    phone.click("form.action-form:has(input[name=action][value=resubmit]) button[type=submit]")
    phone.wait_for_selector(".msg")
    app.refresh_from_db()
    assert app.state == "pph_verification"
    first, second = EvidenceSnapshot.objects.filter(application=app).order_by("number")

    # Every case page now shows the resubmission and what changed since the first submission.
    changes = phone.locator("#evidence .evidence-changes").inner_text()
    assert "3 perubahan sejak pengajuan sebelumnya" in changes
    assert RENAMED in changes and "nib-2026.pdf" in changes and "Dapur Bu Alice" in changes
    _fits(phone, 360)
    _shot(phone, "evidence-journey-owner-resubmitted-360.png")
    desk.goto(f"{live_server.url}/cases/{app.pk}/")
    assert RENAMED in _evidence(desk) and "3 perubahan sejak pengajuan sebelumnya" in _evidence(desk)
    history = desk.locator(".evidence-history li")
    assert history.count() == 2
    desk.click(f"a[href='{reverse('certification:evidence', args=[app.pk, 1])}']")
    assert PRODUCT in _evidence(desk) and first.short_hash in desk.content()
    _shot(desk, "evidence-journey-reviewer-first-submission-1280.png")
    assert second.short_hash != first.short_hash


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_owner_picks_an_ingredient_from_the_positive_list_as_they_type(
    tabs: tuple[Any, Any], live_server: Any, cast: f.Cast
) -> None:
    phone, _desk = tabs
    business = f.business(cast.owner)
    _login(phone.context, live_server, cast.owner)
    phone.goto(f"{live_server.url}/business/{business.pk}/products/new/")
    phone.fill("#id_name", "Kue kelapa")
    phone.fill("#id_ing-0-name", "Kelapa parut")
    search = phone.locator("fieldset.ingredient").first.locator("input.positive-search")
    search.fill("kelapa par")
    select = phone.locator("#id_ing-0-positive_list_entry")
    note = phone.locator("fieldset.ingredient").first.locator(".positive-chosen")
    note.filter(has_text="1 bahan ditemukan").wait_for()  # the page's own script asked the API (CSP: no eval)
    assert select.locator("option").count() == 2  # the empty choice and the one entry found
    select.select_option(label="kelapa parut kering")
    chosen = note.inner_text()
    assert chosen.startswith("Dipilih: kelapa parut kering — Bahan dari tumbuhan")
    _fits(phone, 360)
    _shot(phone, "evidence-positive-list-search-360.png")
    phone.click("form.card button[type=submit]")
    phone.wait_for_url("**/documents/new/")
    ingredient = Ingredient.objects.get(product__business=business)
    assert ingredient.positive_list_entry is not None and ingredient.positive_list_entry.name == "kelapa parut kering"
    assert not ingredient.is_doubtful
