"""The conversation on a case: the owner, the assigned assistant and the office write; the office may also write
internal notes the owner never sees. Each message tells the other side through the notification service."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.models import Application, CaseMessage
from certification.selectors import case_reviewers
from core.access import roles
from core.errors import DomainError
from core.files.uploads import validate_upload
from core.notifications.services import Message, notifications_send

MAX_LENGTH = 4000


def is_owner_of(application: Application, user: Any) -> bool:
    return bool(application.business.owner_id == user.pk)


def messages_for(application: Application, user: Any) -> QuerySet[CaseMessage]:
    """The messages this person may read: the owner never gets internal notes."""
    queryset = CaseMessage.objects.filter(application=application).select_related("author").order_by("created_at", "id")
    if is_owner_of(application, user) or not roles.has_role(user, *roles.STAFF_ROLES, roles.PPH):
        queryset = queryset.filter(internal=False)
    return queryset


def _office_side(application: Application) -> list[Any]:
    """The assigned reviewer and assistant; without a reviewer, the reviewers whose jurisdiction covers the case."""
    assigned = [user for user in (application.assigned_reviewer, application.assigned_pph) if user is not None]
    if application.assigned_reviewer is None:
        assigned += [user for user in case_reviewers(application) if user not in assigned]
    return assigned


def case_message_post(
    *, application: Application, author: Any, body: str, internal: bool = False, attachment: Any = None
) -> CaseMessage:
    """Store a message (or an internal note) on the case and tell the other side."""
    body = (body or "").strip()
    owner = is_owner_of(application, author)
    if internal and (owner or not roles.has_role(author, *roles.STAFF_ROLES)):
        raise DomainError(_("Only the office can write internal notes."))
    if not body and attachment is None:
        raise DomainError(_("Write a message or attach a file."), errors={"body": [_("Write a message.")]})
    if len(body) > MAX_LENGTH:
        raise DomainError(_("The message is too long (at most %(limit)s characters).") % {"limit": MAX_LENGTH})
    if attachment is not None:
        validate_upload(attachment, field="attachment")
    with transaction.atomic():
        message = CaseMessage.objects.create(
            application=application,
            author=author,
            body=body,
            internal=internal,
            attachment=attachment or "",
            attachment_name=str(getattr(attachment, "name", "") or "")[:200],
        )
        _tell_the_other_side(message, owner_wrote=owner)
    return message


def _tell_the_other_side(message: CaseMessage, *, owner_wrote: bool) -> None:
    application = message.application
    owner_user = application.business.owner
    recipients = [user for user in _office_side(application) if user.pk != message.author_id]
    if not owner_wrote and not message.internal and owner_user.pk != message.author_id:
        recipients.insert(0, owner_user)
    context = {
        "application": {"pk": application.pk},
        "author": message.author.full_name or message.author.email,
        "excerpt": message.body[:300] if message.body else f"[{message.attachment_name}]",
    }
    kind = "case_note" if message.internal else "case_message"
    notifications_send(
        [
            Message(
                recipient=user,
                kind=kind,
                context=context,
                link=(
                    reverse("certification:owner-application", args=[application.pk])
                    if user.pk == owner_user.pk
                    else reverse("certification:case", args=[application.pk])
                )
                + "#conversation",
                topic=f"application:{application.pk}",
                region_id=application.business.region_id,
            )
            for user in recipients
            if not (message.internal and user.pk == owner_user.pk)  # never: an internal note to the owner
        ]
    )
