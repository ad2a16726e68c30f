"""Issue 19, item 17: an owner applies using only the keyboard, and form errors are announced to screen readers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from certification.models import Application
from tests.certification import factories as f
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const form = el.closest('main form');
  return {tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '', checked: !!el.checked,
          inMain: !!form, submit: el.type === 'submit'};
}"""


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/home/")


@pytest.mark.parametrize("width", [360, 1280])
def test_an_owner_applies_using_only_the_keyboard(page: Any, live_server: Any, cast: f.Cast, width: int) -> None:
    business = f.business(cast.owner)
    f.product(business)
    f.documents(business)
    page.set_viewport_size({"width": width, "height": 800})
    _log_in(page, live_server, cast.owner.email)
    page.goto(f"{live_server.url}/applications/new/")
    submitted = False
    for _step in range(120):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if not el["inMain"]:
            continue
        if el["tag"] == "SELECT" and not el["value"]:
            page.keyboard.press("ArrowDown")
        elif el["type"] == "radio" and el["name"] == "pathway":
            for _move in range(3):
                if page.evaluate(FOCUSED)["value"] == "self_declare" and page.evaluate(FOCUSED)["checked"]:
                    break
                page.keyboard.press("ArrowDown")
        elif el["type"] == "checkbox" and not el["checked"]:
            page.keyboard.press("Space")
        elif el["submit"]:
            page.keyboard.press("Enter")
            submitted = True
            break
    assert submitted, "the submit button was never reached by Tab"
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    application = Application.objects.get(business=business)
    assert application.pathway == "self_declare"
    assert application.pledge_signed_at is not None
    assert application.products.count() == 1


def test_form_errors_are_announced_and_linked_to_their_field(page: Any, live_server: Any, cast: f.Cast) -> None:
    business = f.business(cast.owner)
    page.set_viewport_size({"width": 360, "height": 800})
    _log_in(page, live_server, cast.owner.email)
    page.goto(f"{live_server.url}/business/{business.pk}/figures/new/")
    page.fill("#id_year", "2024")
    page.fill("#id_annual_sales", "1,5 juta")
    page.fill("#id_operating_expenses", "1.000")
    page.fill("#id_capital", "0")
    page.fill("#id_workforce", "3")
    page.fill("#id_export_value", "0")
    page.locator("main form button[type=submit]").click()
    field = page.locator("#id_annual_sales")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    errors = [page.locator(f"#{ident}").inner_text() for ident in described if "error" in ident]
    assert errors and "rupiah" in errors[0].lower()
    assert page.locator("#id_operating_expenses").get_attribute("aria-invalid") is None
