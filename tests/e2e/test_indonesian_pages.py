"""Issue 32, item 12: every page of every role, answered in Indonesian, shows no English word, no raw key
("application_status application:31") and no ISO date in its visible text (the words people read, with the
placeholders, titles and labels a screen reader says)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from certification.emails import owner_event_email_send
from certification.models import ApplicationEvent
from core.models import User
from core.notifications.services import notification_send
from tests.e2e.pages import pages_for
from tests.e2e.world import World, build_world

pytestmark = pytest.mark.django_db

# English that once reached Indonesian screens (issue 32) and its near relatives. Whole words, case as written.
ENGLISH = [
    "Edit", "Delete", "Save", "Cancel", "Submit", "Search", "Download", "Upload", "Back", "Next", "Previous",
    "unverified", "verified", "positive list", "service tariff", "accepted for", "Accepted", "Rejected", "Pending",
    "Status", "Date", "Name", "Yes", "No", "None", "Unknown", "required", "optional", "Details", "View", "Open",
    "Close", "Show", "Add", "Remove", "Sign in", "Sign out", "Sign up", "Settings", "Notifications", "Home",
    "Product", "Products", "Business", "Application", "Certificate", "Training", "Report", "Reports", "Total",
    "month", "year", "days", "working days", "overdue", "due", "draft", "issued", "revoked", "expired", "active",
    "inactive", "Address", "Phone", "Email address", "Password", "created", "updated", "by", "of", "the", "and",
    "with", "for", "from", "to", "on", "at", "is", "are", "not", "your", "this", "that", "here", "there",
]  # fmt: skip
# A raw notification key or "target" (application_status application:31) and an ISO date in a sentence.
RAW = [
    re.compile(r"\b[a-z]+(?:_[a-z]+)+\b(?!\.\w)"),
    re.compile(r"\b[a-z_]+:\d+\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])\b(?!-)"),
]
NAMES = re.compile(r"\S+@\S+|\S+://\S+|(?<!\S)/\S*")
ALLOWED = {  # words that are Indonesian too, or names
    "Status", "Total", "Email", "No",
}  # fmt: skip
WORDS = [w for w in ENGLISH if w not in ALLOWED]


class Visible(HTMLParser):
    """Text a person reads (not scripts, styles or hidden templates) and the attributes a screen reader says."""

    SKIP = {"script", "style", "template", "code", "pre", "textarea"}
    SAID = ("placeholder", "title", "aria-label", "alt")

    LABELS = {"label", "th", "dt", "legend", "button", "summary", "h1", "h2", "h3"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.labels: list[str] = []  # the first words of each label, header and button
        self.label_open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        if tag in self.LABELS:
            self.label_open = True
        for name, value in attrs:
            if name in self.SAID and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in {"submit", "button"} and dict(attrs).get("value"):
            self.parts.append(dict(attrs)["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.parts.append(data.strip())
            if self.label_open:
                self.labels.append(data.strip())
                self.label_open = False


def lowercase_labels(html: str) -> list[str]:
    """Labels, headers and buttons that start with a small letter ("nama usaha" where "Nama usaha" is meant)."""
    parser = Visible()
    parser.feed(html)
    return [label for label in parser.labels if label[0].islower()]


def visible_text(html: str) -> list[str]:
    parser = Visible()
    parser.feed(html)
    return parser.parts


def english_in(parts: list[str]) -> list[str]:
    found = []
    for part in parts:
        part = NAMES.sub(" ", part)  # e-mail addresses, links and paths are names, not words
        for word in WORDS:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", part):
                found.append(f"{word!r} in {part[:80]!r}")
        for pattern in RAW:
            match = pattern.search(part)
            if match:
                found.append(f"{match.group(0)!r} in {part[:80]!r}")
    return found


def tell_everyone(world: World, alice: User, staff: list[User]) -> None:
    """What people were told, in their inbox: the owner every step of the case, the staff a monthly report."""
    for event in ApplicationEvent.objects.filter(application__business=world.business):
        owner_event_email_send(event_id=event.pk)
    for user in staff:
        notification_send(
            recipient=user,
            kind="report_ready",
            context={"report": {"pk": 1, "month": "2026-10-01", "region": "Lampung"}},
            link="/staff/reports/1/",
            topic="report:1",
        )


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User, ayu: User) -> World:
    world = build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)
    tell_everyone(world, alice, [pat, rina, oscar, ayu])
    return world


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    with translation.override("id"):
        yield


def test_the_check_itself_finds_english_raw_keys_and_iso_dates() -> None:
    parts = visible_text(
        '<p>Edit</p><p title="positive list">x</p><p>Berproduksi sejak 2018-11-05</p><p>application_status '
        "application:31</p><script>var Edit = 1;</script><p>Laporan bulanan 2026-11</p>"
    )
    found = english_in(parts)
    assert len(found) == 6, found
    assert english_in(visible_text("<p>Ubah</p><p>Daftar positif</p><p>5 November 2018</p>")) == []


@pytest.mark.parametrize("actor", ["anonymous", "owner_a", "pph", "reviewer", "officer", "admin"])
def test_every_page_of_every_role_speaks_indonesian(
    actor: str, world: World, alice: User, pat: User, rina: User, oscar: User, ayu: User
) -> None:
    user = {"anonymous": None, "owner_a": alice, "pph": pat, "reviewer": rina, "officer": oscar, "admin": ayu}[actor]
    pages = pages_for(world, actor, user)
    assert len(pages) >= 5, pages
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    if user is not None:
        client.force_login(user)
    dump = os.environ.get("DUMP_VISIBLE_TEXT")
    problems: dict[str, Any] = {}
    for page in pages:
        html = client.get(page.url).content.decode()
        parts = visible_text(html)
        if dump:
            folder = Path(dump) / actor
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{page.name.replace(':', '_')}.txt").write_text("\n".join(parts))
        found = english_in(parts) + [f"lowercase label {label!r}" for label in lowercase_labels(html)]
        if found:
            problems[f"{page.name} {page.url}"] = found
    assert problems == {}
