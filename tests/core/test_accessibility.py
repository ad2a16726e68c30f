"""Every page of every role in the browser (issue 19, item 17; issue 32, items 13 and 14).

The pages come from the permission matrix (tests/e2e/pages.py): whatever a role may open and answers HTML. Each
is opened once in Chromium (Indonesian) and checked at 360 px and at 1280 px:

- axe-core finds no serious or critical WCAG 2.1 A/AA violation, nor the minor `aria-allowed-role` and
  `empty-table-header` ones a flash message and a header-less column used to add;
- at 360 px nothing is wider than the screen, no word is cut in the middle ("ditandatangan|i": only a word too long
  for its box, or a break after a hyphen or a slash, may wrap), checkboxes and radio buttons are at least 20 px,
  the header (brand, bell with a two-digit count, menu, language switch) stays on one row, and no e-mail address
  runs into the word after it ("baru1@demo.testTerverifikasi").

Each person has 12 unread notifications (the two-digit badge on every page) and lands on their home page with the
sign-in message showing. One browser, one logged-in tab per role.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from tests.conftest import PASSWORD
from tests.e2e.pages import Page, pages_for
from tests.e2e.test_indonesian_pages import tell_everyone
from tests.e2e.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RULES_ALSO = {"aria-allowed-role", "empty-table-header"}  # minor, but each once came with every flash message
SHOTS = os.environ.get("A11Y_SCREENSHOTS", "")  # a folder: a full-page PNG of every page at 360 px goes there

# The administrator opens every staff page too; the reviewer's and the officer's walks already checked those (the
# same templates, the same header), so the administrator's walk covers the pages only an administrator opens.
ALREADY_WALKED = {"admin": ("reviewer", "officer")}

# Allauth's own pages are outside the permission matrix (tests/e2e/test_permission_matrix.py says why); the ones
# people use are walked too.
ALLAUTH_SIGNED_IN = ["/accounts/email/", "/accounts/password/change/"]
ALLAUTH_ANONYMOUS = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]

LAYOUT = """() => {
  const width = window.innerWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1)
    problems.push('page ' + document.documentElement.scrollWidth + 'px wide');
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest('.table-wrap, [tabindex]'))
      problems.push('wider than the screen: ' + el.tagName + '.' + el.className + ' ' + Math.round(box.right));
    if (problems.length > 12) break;
  }
  for (const box of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
    const r = box.getBoundingClientRect();
    if (r.width && (r.width < 20 || r.height < 20))
      problems.push('small ' + box.type + ' ' + (box.name || box.id) + ' ' + r.width + 'x' + r.height);
  }
  const bar = document.querySelector('.topbar');
  if (bar) {
    const tops = [...bar.children].map(child => child.getBoundingClientRect())
      .filter(r => r.width).map(r => Math.round(r.top));
    if (Math.max(...tops) - Math.min(...tops) > 12) problems.push('header wraps: tops ' + tops.join(','));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, .sr-only, .bell-label, code, pre')) continue;
    // A word may wrap only when it is longer than a phone's line (a long e-mail address, a link): a box squeezed
    // narrower than its words by `overflow-wrap: anywhere` is the defect, not an excuse.
    const room = width - 32;
    const re = /\\S+/g;
    let match;
    while ((match = re.exec(node.data))) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      if (rects.length < 2) continue;
      const tops = new Set(rects.map(r => Math.round(r.top)));
      if (tops.size < 2) continue;
      const wide = rects.reduce((sum, r) => sum + r.width, 0);
      if (wide > room) continue;  // longer than its box: it must wrap somewhere
      let cut = -1;
      const first = Math.round(rects[0].top);
      for (let i = 1; i < match[0].length; i++) {
        range.setStart(node, match.index + i);
        range.setEnd(node, match.index + i + 1);
        const r = range.getClientRects()[0];
        if (r && Math.round(r.top) > first + 2) { cut = i; break; }
      }
      // after a hyphen or a slash a word may wrap, but not to leave a letter or two behind ("E-|mail")
      if (cut > 0 && !(cut > 2 && '-/'.includes(match[0][cut - 1])))
        problems.push('word cut: ' + match[0].slice(0, cut) + '|' + match[0].slice(cut));
    }
  }
  const text = document.body.innerText;
  const joined = text.match(/\\S+@[\\w-]+(\\.[\\w-]+)*\\.[a-z]{2,}(?=[A-Z])\\S*/g);
  if (joined) problems.push('runs together: ' + joined.join(' '));
  return problems;
}"""


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical") or violation["id"] in AXE_RULES_ALSO:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/home/")


def _walk(page: Any, base: str, paths: list[str], actor: str) -> dict[str, list[str]]:
    """Open each page once; check it at 360 px (layout and axe), then at 1280 px (axe)."""
    problems: dict[str, list[str]] = {}
    for path in paths:
        page.set_viewport_size({"width": 360, "height": 740})
        if path:  # "" is the page the browser is on (home with the sign-in message)
            page.goto(base + path)
        found = [f"360: {line}" for line in page.evaluate(LAYOUT) + _axe(page)]
        if SHOTS:
            folder = Path(SHOTS) / actor
            folder.mkdir(parents=True, exist_ok=True)
            name = (path or "/home-after-sign-in/").strip("/").replace("/", "_") or "landing"
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
        found += [f"1280: {line}" for line in _axe(page)]
        if found:
            problems[path or "/home/ (signed in)"] = found
    return problems


def test_the_check_itself_catches_a_violation(page: Any) -> None:
    page.set_content('<html lang="id"><body><main><input type="text"><img src="x.png"></main></body></html>')
    found = _axe(page)
    assert any(line.startswith("label ") for line in found), found


def test_the_layout_check_catches_a_cut_word_a_small_checkbox_and_a_wide_table(page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_content(
        '<html lang="id"><body style="margin:0"><div style="display:flex;width:200px;font-size:16px">'
        '<span style="overflow-wrap:anywhere">Ditandatangani</span><span style="flex:none;width:150px">x</span></div>'
        '<input type="checkbox" style="width:12px;height:12px" name="tiny">'
        '<table style="width:600px"><tr><td>lebar</td></tr></table>'
        "<p>baru1@demo.test<strong>Terverifikasi</strong></p>"
        '<p style="width:100px;font-size:16px">Alamat<br>xxxxxxx E-mail</p></body></html>'
    )
    problems = page.evaluate(LAYOUT)
    assert any(line.startswith("word cut: Ditan") for line in problems), problems
    assert "word cut: E-|mail" in problems, problems
    assert any(line.startswith("small checkbox tiny") for line in problems), problems
    assert any(line.startswith("page ") for line in problems), problems
    assert any(line.startswith("runs together: baru1@demo.testTerverifikasi") for line in problems), problems


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User, ayu: User) -> World:
    world = build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)
    for _round in range(12):  # a two-digit unread count on the bell of every page
        tell_everyone(world, alice, [alice, pat, rina, oscar, ayu])
    return world


@pytest.mark.parametrize("actor", ["anonymous", "owner_a", "pph", "reviewer", "officer", "admin"])
def test_every_page_of_every_role_is_accessible_and_fits_a_phone(
    actor: str, page: Any, live_server: Any, world: World, alice: User, pat: User, rina: User, oscar: User, ayu: User
) -> None:
    people = {"anonymous": None, "owner_a": alice, "pph": pat, "reviewer": rina, "officer": oscar, "admin": ayu}
    user = people[actor]
    seen = {p.name for other in ALREADY_WALKED.get(actor, ()) for p in pages_for(world, other, people[other])}
    paths = [p.url for p in pages_for(world, actor, user) if p.name not in seen]
    if user is None:
        paths += ALLAUTH_ANONYMOUS
    else:
        _log_in(page, live_server, user.email)
        assert page.locator("main .messages").count() == 1  # the sign-in message shows: walk this page first
        assert len(page.locator(".bell-count").inner_text()) == 2, "a two-digit unread count"
        paths = ["", *paths, *ALLAUTH_SIGNED_IN]
    assert len(paths) >= 4, paths
    problems = _walk(page, live_server.url, paths, actor)
    assert problems == {}


def test_pages_are_derived_from_the_url_conf_not_a_hand_list(world: World, alice: User, rina: User) -> None:
    owner = {page.name for page in pages_for(world, "owner_a", alice)}
    staff = {page.name for page in pages_for(world, "reviewer", rina)}
    assert {"applicants:business_detail", "certification:owner-application", "inbox"} <= owner
    assert {"certification:queue", "certification:case", "dashboard:index", "delivery-log"} <= staff
    assert all(isinstance(page, Page) for page in pages_for(world, "anonymous", None))
