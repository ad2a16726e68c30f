"""The Content-Security-Policy (style-src 'self', script-src 'self') as Chromium enforces it: pages that carried an
inline style (`/my/trainings/`, `/trainings/<id>/`) or an inline <style> (`/api/docs/`) broke (buttons stacked,
Swagger unstyled). A template check keeps inline styles out of every page that is not a PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from core.models import User
from tests.e2e.test_journeys import login
from tests.e2e.world import build_world
from tests.training.factories import ProgramFactory
from training.models import JoinRequest

ROOT = Path(__file__).resolve().parents[2]
INLINE_STYLE = re.compile(r"""<style[\s>]|\sstyle=["']""")


def test_no_page_template_carries_an_inline_style() -> None:
    pages = [
        path
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "pdf" not in path.parts and "_pdf" not in path.stem
    ]
    assert len(pages) > 50
    inline = [str(path.relative_to(ROOT)) for path in pages if INLINE_STYLE.search(path.read_text())]
    assert inline == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_reports_no_policy_violation_on_the_trainings_and_the_api_docs(
    page: Any,
    live_server: Any,
    alice: User,
    bob: User,
    pat: User,
    rina: User,
    oscar: User,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)
    # A pending request to join: the officer's page shows Approve/Decline, the owner's page Withdraw (inline forms).
    other = ProgramFactory(responsible_officer=oscar)
    JoinRequest.objects.create(program=other, business=world.business, status="pending", requested_by=alice)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    login(page, live_server, oscar)
    for url in [reverse("training:program-detail", args=[other.pk]), "/api/docs/"]:
        page.goto(f"{live_server.url}{url}", wait_until="networkidle")
    page.wait_for_selector(".swagger-ui .info")
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # swagger.css applied
    login(page, live_server, alice)
    page.goto(f"{live_server.url}{reverse('training:my-trainings')}", wait_until="networkidle")
    assert page.locator("form.inline").count() == 1  # Withdraw
    assert [text for text in violations if "Content Security Policy" in text] == []
