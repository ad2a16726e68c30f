"""The inbox: a person's notifications, read and unread, with links to what they are about. Works without JS."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import notification_selectors as selectors
from core.notifications import channel_configured, notifications_mark_read, render_line

INBOX_PAGE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), INBOX_PAGE).get_page(request.GET.get("page"))
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
        count = notifications_mark_read(user=request.user)
        messages.success(request, _("All notifications are marked read.") if count else _("Nothing was unread."))
        return redirect("inbox")
    if not pk.isdigit():
        messages.error(request, _("Choose a notification."))
        return redirect("inbox")
    notification = selectors.notifications_for(request.user).filter(pk=int(pk)).first()
    if notification is None:
        raise Http404
    notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.link if request.POST.get("open") == "1" else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox")
