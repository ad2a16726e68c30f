"""The inbox: a person's notifications, read and unread, with links to what they are about. Works without JS."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.access import roles
from core.access.decorators import role_required
from core.errors import DomainError
from core.models import User
from core.notifications import preferences as prefs
from core.notifications import selectors
from core.notifications.services import (
    KINDS,
    channel_configured,
    delivery_status_record,
    kind_named,
    notifications_mark_read,
    render_line,
    unsubscribe_read,
)

INBOX_PAGE = 30


def _me(request: HttpRequest) -> User:
    """The signed-in person (every view here requires a login)."""
    return cast(User, request.user)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(_me(request)), INBOX_PAGE).get_page(request.GET.get("page"))
    rows = [{"notification": n, "text": render_line(n)} for n in page.object_list]
    channels = [
        {"name": "WhatsApp", "on": channel_configured("whatsapp")},
        {"name": "SMS", "on": channel_configured("sms")},
    ]
    return render(request, "core/inbox.html", {"page": page, "rows": rows, "channels": channels})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (and open its link when asked), or all of them."""
    pk = request.POST.get("notification", "")
    if request.POST.get("all") == "1":
        count = notifications_mark_read(user=_me(request))
        messages.success(request, _("All notifications are marked read.") if count else _("Nothing was unread."))
        return redirect("inbox")
    if not pk.isdigit():
        messages.error(request, _("Choose a notification."))
        return redirect("inbox")
    notification = selectors.notifications_for(_me(request)).filter(pk=int(pk)).first()
    if notification is None:
        raise Http404
    notifications_mark_read(user=_me(request), ids=[notification.pk])
    target = notification.link if request.POST.get("open") == "1" else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which kinds on which channels, and the WhatsApp number with its one-time code."""
    if request.method == "POST":
        enabled = {
            tuple(value.split(":", 1))
            for value in request.POST.getlist("on")
            if value.count(":") == 1 and value.split(":", 1)[0] in KINDS
        }
        prefs.preferences_save(user=_me(request), enabled={(k, c) for k, c in enabled})
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications-settings")
    choices = prefs.preferences_of(_me(request))
    kinds: dict[str, dict[str, Any]] = {}
    for choice in choices:
        kinds.setdefault(choice.kind, {"label": choice.label, "channels": []})["channels"].append(choice)
    channels = [
        {"key": key, "name": name, "on": channel_configured(key)}
        for key, name in (("email", _("E-mail")), ("whatsapp", "WhatsApp"), ("sms", "SMS"))
    ]
    return render(request, "core/notification_settings.html", {"kinds": kinds, "channels": channels})


@login_required
@require_POST
def whatsapp_verify(request: HttpRequest) -> HttpResponse:
    try:
        if request.POST.get("action") == "confirm":
            prefs.whatsapp_code_confirm(user=_me(request), code=request.POST.get("code", ""))
            messages.success(request, _("Your WhatsApp number is verified."))
        else:
            prefs.whatsapp_code_send(user=_me(request), phone=request.POST.get("phone", ""))
            messages.success(request, _("A code was sent to your WhatsApp. Enter it below."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("notifications-settings")


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link at the foot of every e-mail: a button (POST) stops that kind by e-mail; no login needed."""
    found = unsubscribe_read(token)
    if found is None:
        raise Http404
    user_id, kind = found
    done = request.method == "POST" and prefs.email_unsubscribe(user_id=user_id, kind=kind)
    return render(request, "core/unsubscribe.html", {"label": KINDS[kind].label, "done": done})


DELIVERY_LOG_ROWS = 100


TOPICS = {
    "application": gettext_lazy("Application #%(number)s"),
    "certificate": gettext_lazy("Certificate #%(number)s"),
    "program": gettext_lazy("Training #%(number)s"),
    "report": gettext_lazy("Monthly report #%(number)s"),
}


def topic_label(topic: str) -> str:
    """What a notice was about, in words ("Permohonan 31"), never the stored key ("application:31")."""
    prefix, _sep, number = topic.partition(":")
    label = TOPICS.get(prefix)
    return str(label) % {"number": number} if label is not None and number else topic


@role_required(*roles.STAFF_ROLES)
def delivery_log(request: HttpRequest) -> HttpResponse:
    """Who was told what, when, by which channel, and whether it arrived: per case (?about=application:12), per
    person (?person=e-mail) or only the failed ones (?failed=1); newest first."""
    about = request.GET.get("about", "").strip()[:60]
    person_email = request.GET.get("person", "").strip()[:254]
    failed = request.GET.get("failed") == "1"
    topic = f"application:{about}" if about.isdigit() else about  # a case number, as people type it
    queryset = selectors.delivery_log(user=_me(request), topic=topic, person_email=person_email, failed_only=failed)
    rows = [
        {"notification": n, "text": render_line(n), "kind": kind_named(n.kind).label, "about": topic_label(n.topic)}
        for n in queryset[:DELIVERY_LOG_ROWS]
    ]
    context = {"rows": rows, "about": about, "person": person_email, "failed": failed, "limit": DELIVERY_LOG_ROWS}
    return render(request, "core/delivery_log.html", context)


@csrf_exempt
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    """The Cloud API's webhook: GET is Meta's subscription check (hub.verify_token), POST carries message statuses,
    signed with the app secret (X-Hub-Signature-256). Off (404) until WHATSAPP_APP_SECRET and
    WHATSAPP_VERIFY_TOKEN are set."""
    if not (settings.WHATSAPP_APP_SECRET and settings.WHATSAPP_VERIFY_TOKEN):
        raise Http404
    if request.method == "GET":
        token = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") != "subscribe" or not hmac.compare_digest(token, settings.WHATSAPP_VERIFY_TOKEN):
            return HttpResponse(status=403)
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    if request.method != "POST":
        return HttpResponse(status=405)
    expected = "sha256=" + hmac.new(settings.WHATSAPP_APP_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""), expected):
        return HttpResponse(status=403)
    try:
        statuses = webhook_statuses(json.loads(request.body))
    except (ValueError, RecursionError):  # not JSON, or not the Cloud API's shape: a clear 400, nothing written
        return JsonResponse(
            {"detail": "Malformed webhook body: expected the WhatsApp Cloud API's statuses."}, status=400
        )
    updated = 0
    for status in statuses:
        updated += delivery_status_record(
            channel="whatsapp", provider_id=status["id"], status=status["status"], answer=status["answer"]
        )
    return JsonResponse({"updated": updated})


def webhook_statuses(payload: Any) -> list[dict[str, str]]:
    """The message statuses of a Cloud API webhook body (entry[].changes[].value.statuses[]); ValueError when any
    level has the wrong shape (signed by Meta, yet not what the documentation promises: refused whole)."""

    def items(value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(f"{where} is not a list")
        return value

    def mapping(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueError(f"{where} is not an object")
        return value

    found = []
    for entry in items(mapping(payload, "body").get("entry"), "entry"):
        for change in items(mapping(entry, "entry").get("changes"), "changes"):
            value = mapping(mapping(change, "change").get("value", {}), "value")
            for status in items(value.get("statuses"), "statuses"):
                status = mapping(status, "status")
                ident, state = status.get("id"), status.get("status")
                if not isinstance(ident, str) or not isinstance(state, str) or not ident or len(ident) > 200:
                    raise ValueError("a status without a message id or a status")
                errors = items(status.get("errors"), "errors")
                found.append({"id": ident, "status": state[:30], "answer": json.dumps(errors) if errors else ""})
    return found
