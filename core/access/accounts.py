"""django-allauth adapter: everyone who signs up is an MSI owner; staff accounts are made by an admin.

allauth's e-mails (confirmation, password reset) are rendered in the request (they need it for their links) and
sent by the worker (`core.notify_account_email`, with retries), so a slow or failing SMTP server never holds up
or breaks the page.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import phones
from core.access import roles
from core.access.names import first_name
from core.access.net import client_ip
from core.errors import DomainError
from core.models import User
from core.tasks import task_named

ACCOUNT_EMAIL_TASK = "core.notify_account_email"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's login and signup limits count per client as our proxies vouch for it (core.access.net)."""
        return client_ip(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.full_name = " ".join(str(form.cleaned_data.get("full_name", "")).split())
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


def account_profile_update(*, user: User, full_name: str, phone: str) -> User:
    """The person's own name and phone ("Akun saya"). A changed number loses its WhatsApp verification: messages
    go to a verified number only (core.notifications)."""
    name = " ".join(full_name.split())
    errors: dict[str, list[str]] = {}
    if not first_name(name):
        errors["full_name"] = [_("Write your name, e.g. “Siti Rahmawati” (a title alone is not a name).")]
    elif len(name) > (User._meta.get_field("full_name").max_length or 150):
        errors["full_name"] = [_("The name is too long.")]
    stored = phones.compact(phone) if phone.strip() else ""
    if phone.strip() and not stored:
        errors["phone"] = [_("Write a phone number, e.g. 0812 3456 7890.")]
    if errors:
        raise DomainError(" ".join(message for messages in errors.values() for message in messages), errors=errors)
    fields = ["full_name", "phone"]
    if phones.digits(stored) != phones.digits(user.phone):
        user.whatsapp_verified_at = None
        fields.append("whatsapp_verified_at")
    user.full_name, user.phone = name, stored
    user.save(update_fields=fields)
    return user


class SignupName(forms.Form):
    """allauth's signup form asks for the name too (ACCOUNT_SIGNUP_FORM_CLASS): a new owner is greeted by it, and
    staff see who filed a case, not an e-mail address."""

    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=150,
        help_text=gettext_lazy("As on your ID card (KTP), e.g. Siti Rahmawati."),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not first_name(name):
            raise forms.ValidationError(_("Write your name, e.g. “Siti Rahmawati” (a title alone is not a name)."))
        return name

    def signup(self, request: HttpRequest, user: User) -> None:
        """The name is saved with the user (AccountAdapter.save_user)."""
