"""Optional error tracking: settings call `sentry_init` only when SENTRY_DSN is set, so nothing is loaded otherwise.

Events carry no personal data. Two layers, both in `scrub_event` (before_send), so what leaves for Sentry is checked
after every integration added its part:
- by name: a request body field, header, cookie, frame variable, `extra` or breadcrumb entry whose key names a
  personal or secret field (NIK, phone, WhatsApp, name, e-mail, address, token, password, code..., and every key of
  sentry-sdk's own deny lists) is replaced, at any depth (sentry-sdk's default EventScrubber runs first, for its
  exact keys; ours matches parts of keys too, "owner_phone", and looks inside nested values);
- by value: in every remaining string (messages, exception values, frame variables of any name, the request body
  as text, URLs), a NIK (16 digits), an e-mail address, an Indonesian phone number and an Authorization token are
  replaced, so a NIK in a variable called `row` or in an error message goes too; and every value the key rule
  removed (a name typed in a form, say) is removed wherever else it appears, e.g. echoed in an error message.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from core.ops.requestid import request_id_var

FILTERED = "[Filtered]"
# Keys (lower case, matched whole and as a part: "owner_phone", "person_nik") of personal or secret fields.
PERSONAL_KEYS = (
    "nik",
    "phone",
    "whatsapp",
    "telepon",
    "name",
    "nama",
    "email",
    "e_mail",
    "mail",
    "address",
    "alamat",
    "token",
    "password",
    "passwd",
    "secret",
    "code",
    "authorization",
    "cookie",
    "session",
    "csrf",
    "api_key",
    "signature",
    "nib",
    "npwp",
)


@cache
def _sdk_denylist() -> frozenset[str]:
    """sentry-sdk's own deny lists (imported only once Sentry is on: without a DSN sentry-sdk is never loaded)."""
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST

    return frozenset(key.lower().replace("-", "_") for key in (*DEFAULT_DENYLIST, *DEFAULT_PII_DENYLIST))


# Keys that merely contain one of the words above but name nothing personal.
HARMLESS_KEYS = {"filename", "function", "module", "abs_path", "kind", "view_name", "url_name", "hostname", "tags"}
_VALUES = [
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[NIK]"),
    (re.compile(r"(?i)\b(token|bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [Filtered]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[e-mail]"),
    (re.compile(r"(?<![\d+])(?:\+?62|0)[\s.-]?8\d(?:[\s.-]?\d){6,11}(?!\d)"), "[phone]"),
]
# The parts of an event that hold data (the key rule applies inside them); the rest is sentry-sdk's own structure
# (frames, modules, contexts such as the runtime's "name"), where only the value rule applies.
DATA_SECTIONS = {"vars", "data", "headers", "cookies", "query_string", "env", "extra", "user", "request", "spans"}


def _personal(key: str) -> bool:
    lowered = key.lower().replace("-", "_")
    if lowered in HARMLESS_KEYS:
        return False
    return lowered in _sdk_denylist() or any(word in lowered for word in PERSONAL_KEYS)


def scrub_text(text: str) -> str:
    """A string with NIKs, e-mail addresses, Indonesian phone numbers and tokens replaced."""
    for pattern, replacement in _VALUES:
        text = pattern.sub(replacement, text)
    return text


def _seen(value: Any, found: set[str], *, keyed: bool = False) -> set[str]:
    """The text values of personal fields inside data sections (to remove them wherever else they appear)."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if keyed and _personal(name) and isinstance(item, str | int) and len(str(item)) >= 4:
                found.add(str(item))
            _seen(item, found, keyed=keyed or name in DATA_SECTIONS)
    elif isinstance(value, list | tuple):
        if keyed and len(value) == 2 and isinstance(value[0], str) and _personal(value[0]) and value[1]:
            found.add(str(value[1]))
        for item in value:
            _seen(item, found, keyed=keyed)
    return found


def _without(value: Any, known: list[str]) -> Any:
    if isinstance(value, dict):
        return {key: _without(item, known) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without(item, known) for item in value]
    if isinstance(value, str):
        for text in known:
            value = value.replace(text, FILTERED)
    return value


def scrub(value: Any, *, keyed: bool = False) -> Any:
    """`value` with personal values (by pattern) replaced at any depth, and inside data sections (`keyed`) every
    field whose key names something personal or secret."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            name = str(key)
            if keyed and _personal(name) and not isinstance(item, dict | list | tuple):
                result[key] = FILTERED
            else:
                result[key] = scrub(item, keyed=keyed or name in DATA_SECTIONS)
        return result
    if isinstance(value, list | tuple):
        # headers and query strings come as [name, value] pairs: judge the pair by its name
        if keyed and len(value) == 2 and isinstance(value[0], str) and _personal(value[0]):
            return [value[0], FILTERED]
        return [scrub(item, keyed=keyed) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_event(event: Any, hint: Any) -> Any:
    """before_send: scrub the whole event, then name the request (or task) it came from, to find its log lines."""
    known = sorted(_seen(event, set()), key=len, reverse=True)  # longest first: "Siti Aminah R." before "Siti"
    cleaned = scrub(_without(dict(event), known) if known else dict(event))
    cleaned.setdefault("tags", {})["request_id"] = request_id_var.get()
    return cleaned


def tag_request_id(event: Any, hint: Any) -> Any:
    """Every event names the request (or task) it came from, to find its log lines."""
    event.setdefault("tags", {})["request_id"] = request_id_var.get()
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # owners' personal data stays here
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=lambda crumb, hint: scrub(crumb, keyed=True),
    )
