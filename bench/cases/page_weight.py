"""First page load for an owner: <= 150 KB transferred, no third-party requests (Playwright + Debian Chromium).

Logs in as the demo owner through the login form, then opens the page the login lands on in a new browser
context that has only the session cookie (empty cache) and counts every request: HTML, CSS, scripts, images,
fonts. Transfer size is what Chromium reports (encoded body + headers).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from bench.report import Row
from bench.support import Context

WHAT = "owner first page load"
BUDGET = "<= 150 KB, no 3rd party"
CHROMIUM = "/usr/lib/chromium/chromium"
OWNER, PASSWORD = "owner1@demo.test", "halal-demo"


def measure(base_url: str) -> tuple[int, list[str], list[str], str]:
    """(bytes transferred, urls loaded, third-party urls, landing url)."""
    from playwright.sync_api import sync_playwright

    own_host = urlsplit(base_url).netloc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        try:
            # Log in, then open the landing page in a new context with only the session: an empty cache.
            login = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
            page = login.new_page()
            page.goto(f"{base_url}/accounts/login/")
            page.fill("input[name=login]", OWNER)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation(wait_until="networkidle"):
                page.click("form[action='/accounts/login/'] button[type=submit]")
            landing = page.url
            state = login.storage_state()
            login.close()
            context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740}, storage_state=state)
            page = context.new_page()
            requests: list = []
            page.on("requestfinished", lambda request: requests.append(request))
            page.on("requestfailed", lambda request: requests.append(request))
            page.goto(landing, wait_until="networkidle")
            total, urls, foreign = 0, [], []
            for request in requests:
                urls.append(request.url)
                if urlsplit(request.url).netloc != own_host and not request.url.startswith("data:"):
                    foreign.append(request.url)
                if request.failure is None:  # failed requests have no sizes
                    sizes = request.sizes()
                    total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            context.close()
        finally:
            browser.close()
    return total, urls, foreign, landing


def run(ctx: Context) -> list[Row]:
    if ctx.base_url is None:
        return [Row(what=WHAT, budget=BUDGET, note="skipped (run without --no-http)")]
    if not Path(CHROMIUM).exists():
        return [Row(what=WHAT, budget=BUDGET, note=f"skipped: no Chromium at {CHROMIUM}")]
    total, urls, foreign, landing = measure(ctx.base_url)
    if "/accounts/login" in landing:
        return [Row(what=WHAT, budget=BUDGET, result="FAIL", note="login failed (is `manage.py demo` loaded?)")]
    ok = total <= 150 * 1024 and not foreign
    path = urlsplit(landing).path
    return [
        Row(
            what=WHAT,
            budget=BUDGET,
            result=Row.verdict(ok),
            note=f"{total / 1024:.1f} KB in {len(urls)} requests to {path}, {len(foreign)} third-party",
        )
    ]
