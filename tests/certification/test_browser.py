"""The owner's application page and the reviewer's queue in a real browser on a 360 px phone screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.certification import factories as f


def _login(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page.set_viewport_size({"width": 360, "height": 740})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_owner_reads_the_reason_and_resubmits_on_a_phone(page: Any, live_server: Any, cast: f.Cast) -> None:
    app = f.drive(f.draft(cast.owner, "self_declare"), "returned", cast)
    _login(page, live_server, cast.owner)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "The process flow document is unreadable." in page.inner_text("#return-reason")
    page.click("button[type=submit]:has-text('Ajukan ulang')")
    page.wait_for_selector(".msg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    app.refresh_from_db()
    assert app.state == "submitted"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_queue_fits_a_phone(page: Any, live_server: Any, cast: f.Cast) -> None:
    f.drive(f.draft(cast.owner, "self_declare"), "submitted", cast)
    _login(page, live_server, cast.reviewer)
    page.goto(f"{live_server.url}/cases/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("#queue tbody tr").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [360, 1280])
def test_journey_a_reviewer_opens_a_document_and_the_ingredients_from_the_case_page(
    page: Any, live_server: Any, cast: f.Cast, width: int
) -> None:
    """Issue 19's journey, the reviewer's part: the case page lists each product with its ingredients and their
    classification (as submitted: the case's evidence), and every document is a link that downloads the file."""
    from applicants.models import Ingredient

    draft = f.draft(cast.owner, "self_declare")
    Ingredient.objects.create(product=draft.products.get(), name="Daun pandan", exempt_claim=True)
    app = f.drive(draft, "verification", cast)
    _login(page, live_server, cast.reviewer)
    page.set_viewport_size({"width": width, "height": 800})
    page.context.set_extra_http_headers({"Accept-Language": "id"})
    page.goto(f"{live_server.url}/cases/{app.pk}/")
    ingredients = page.inner_text("#evidence ul.ingredients")
    assert "Bahan 0" in ingredients and "Tidak diragukan" in ingredients
    assert "Daun pandan" in ingredients and "Dinyatakan dikecualikan" in ingredients  # the owner's claim
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    link = page.locator("#evidence a[href*='/documents/']").first
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
