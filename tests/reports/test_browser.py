"""The dashboard in a real browser: the SVG charts render with the house colours, no CSP violation, fits 360 px."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from tests.conftest import national
from tests.reports import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def _has_colour(png: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> bool:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    raw = image.tobytes()
    pixels = (raw[i : i + 3] for i in range(0, len(raw), 3))
    return any(all(abs(c - t) <= tolerance for c, t in zip(pixel, rgb, strict=True)) for pixel in pixels)


def test_charts_render_in_colour_without_csp_violations(page: Any, live_server: Any, rina: Any, oscar: Any) -> None:
    f.build(oscar)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    _login(page, live_server, national(rina))  # the national pool is a national figure
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/staff/dashboard/")
    chart = page.locator("#figure-applications img")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.chart img')].every(i => i.complete)")
    assert page.evaluate("[...document.querySelectorAll('.chart img')].every(i => i.naturalWidth > 0)")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + e.getBoundingClientRect().right).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    png = chart.screenshot()
    assert _has_colour(png, (0x67, 0x00, 0x75)), "the purple series is drawn"
    assert _has_colour(png, (0x3D, 0xC3, 0xA3)), "the toska series is drawn"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    # The data table behind the chart holds the same numbers.
    page.click("#figure-quota summary")
    assert "National pool" in page.inner_text("#table-quota") or "Kuota nasional" in page.inner_text("#table-quota")
    assert "108" in page.inner_text("#quota-summary")  # places left over every pool
