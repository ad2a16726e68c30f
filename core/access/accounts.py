"""django-allauth adapter: everyone who signs up is an MSI owner; staff accounts are made by an admin.

allauth's e-mails (confirmation, password reset) are rendered in the request (they need it for their links) and
sent by the worker (`core.notify_account_email`, with retries), so a slow or failing SMTP server never holds up
or breaks the page.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from core.access import roles
from core.access.net import client_ip
from core.tasks import task_named

ACCOUNT_EMAIL_TASK = "core.notify_account_email"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's login and signup limits count per client as our proxies vouch for it (core.access.net)."""
        return client_ip(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            owner_group, _ = Group.objects.get_or_create(name=roles.OWNER)
            user.groups.add(owner_group)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        alternatives = [[str(content), str(mimetype)] for content, mimetype in getattr(message, "alternatives", [])]
        # The message is complete: the worker needs no row, so it is sent at once (not on commit).
        task_named(ACCOUNT_EMAIL_TASK).delay(
            subject=str(message.subject),
            body=str(message.body),
            from_email=str(message.from_email),
            to=list(message.to),
            alternatives=alternatives,
            subtype=message.content_subtype,
        )


def account_email_send(
    *, subject: str, body: str, from_email: str, to: list[str], alternatives: list[list[str]], subtype: str = "plain"
) -> int:
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    message.content_subtype = subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()
