"""The forms of an HTML page as a browser would submit them (for the load generator; standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class FormParser(HTMLParser):
    """Every <form> on a page: its action, its fields as the browser would send them (a select's selected option,
    else its first; checked boxes only; textareas with their text), and each select's non-empty option values
    (`options`), for a person who picks one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            self._form = {"action": a.get("action", ""), "method": method, "fields": {}, "options": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._form["options"][name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if "selected" in a or self._select not in fields:
                fields[self._select] = value
            if value:
                self._form["options"][self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def find_form(
    html: str, *, action: str = "", field: tuple[str, str] | None = None, has: str = ""
) -> dict[str, Any] | None:
    """The first POST form on the page whose action ends with `action`, with a field of that value, or a field of
    that name."""
    for form in forms_of(html):
        if form["method"] != "post":
            continue
        if action and not form["action"].endswith(action):
            continue
        if field and form["fields"].get(field[0]) != field[1]:
            continue
        if has and has not in form["fields"]:
            continue
        return form
    return None
