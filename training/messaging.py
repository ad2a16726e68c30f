"""Messages on a training program: the officer's announcements (and answers) go to every participant; an owner's
questions go to the program's officer and stay between them and the office. Each message tells the other side
through the notification service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import roles
from core.errors import DomainError
from core.files.uploads import download_name, validate_upload
from core.notifications.services import Message, notifications_send
from training.models import Enrollment, Program, ProgramMessage

MAX_LENGTH = 4000
WRITERS = (roles.OFFICER, roles.ADMIN)


def _kind_for(program: Program, author: Any) -> str:
    if roles.has_role(author, *WRITERS):
        return ProgramMessage.Kind.ANNOUNCEMENT
    if (
        roles.has_role(author, roles.OWNER)
        and Enrollment.objects.filter(program=program, business__owner=author).exists()
    ):
        return ProgramMessage.Kind.QUESTION
    raise DomainError(_("Only the training's officers and its participants can write here."))


def program_message_post(*, program: Program, author: Any, body: str, attachment: Any = None) -> ProgramMessage:
    """Store an announcement (officer, admin) or a question (a participant's owner) and tell the other side."""
    kind = _kind_for(program, author)
    body = (body or "").strip()
    if not body and attachment is None:
        raise DomainError(_("Write a message or attach a file."), errors={"body": [_("Write a message.")]})
    if len(body) > MAX_LENGTH:
        raise DomainError(_("The message is too long (at most %(limit)s characters).") % {"limit": MAX_LENGTH})
    name = ""
    if attachment is not None:  # the kept name carries the suffix of the sniffed type (never `.html`)
        name = download_name(
            str(getattr(attachment, "name", "") or ""), validate_upload(attachment, field="attachment")
        )
    with transaction.atomic():
        message = ProgramMessage.objects.create(
            program=program,
            author=author,
            kind=kind,
            body=body,
            attachment=attachment or "",
            attachment_name=name[:200],
        )
        _tell_the_other_side(message)
    return message


def _recipients(message: ProgramMessage) -> tuple[list[Any], str, str]:
    """Who hears of the message, the notification kind and the page they open."""
    program = message.program
    if message.kind == ProgramMessage.Kind.ANNOUNCEMENT:
        owners = (
            get_user_model()
            .objects.filter(is_active=True, businesses__training_enrollments__program=program)
            .distinct()
        )
        link = reverse("training:my-trainings") + f"#program-{program.pk}-messages"
        return [user for user in owners if user.pk != message.author_id], "training_announcement", link
    officer = program.responsible_officer
    link = reverse("training:program-detail", args=[program.pk]) + "#messages"
    told = [officer] if officer.is_active and officer.pk != message.author_id else []
    return told, "training_question", link


def _tell_the_other_side(message: ProgramMessage) -> None:
    recipients, kind, link = _recipients(message)
    context = {
        "program": {"pk": message.program_id, "title": message.program.title},
        "author": message.author.full_name or message.author.email,
        "excerpt": message.body[:300] if message.body else f"[{message.attachment_name}]",
    }
    notifications_send(
        [
            Message(
                recipient=user,
                kind=kind,
                context=context,
                link=link,
                topic=f"program:{message.program_id}",
                region_id=message.program.region_id,
            )
            for user in recipients
        ]
    )
