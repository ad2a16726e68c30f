"""The verification page on a 360 px phone: the status badge is big and nothing overflows."""

from __future__ import annotations

from typing import Any

import pytest

from certification.models import Certificate
from tests.certification import factories as f


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_verification_page_fits_a_phone(alice: Any, rina: Any, pat: Any, live_server: Any, page: Any) -> None:
    cast = f.Cast(owner=alice, reviewer=rina, pph=pat)
    f.national_quota(places=10)
    certificate = Certificate.objects.get(application=f.issued(cast, products=5))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/verify/{certificate.token}/")
    badge = page.locator(".verify-status")
    assert badge.inner_text().strip() in {"VALID", "BERLAKU"}
    assert badge.bounding_box()["height"] >= 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert certificate.number in page.content()
