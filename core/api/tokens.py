"""API tokens: made, limited and revoked here (django-rest-knox keeps them as SHA-512 digests with an expiry)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from core.errors import DomainError


def api_token_create(*, user: Any) -> tuple[str, datetime | None]:
    """A new token for `user` (returned once, never stored in clear) and when it expires. Expired tokens of the
    person are dropped first; past the per-person limit the request is refused, never an older token silently."""
    with transaction.atomic():
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and AuthToken.objects.select_for_update().filter(user=user).count() >= limit:
            raise DomainError(
                _("You hold %(count)s API tokens, the most allowed: revoke one (auth/token/revoke-all/) first.")
                % {"count": limit}
            )
        instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


def api_tokens_revoke(*, user: Any, token: AuthToken | None = None) -> int:
    """Revoke one token of `user` (the one given) or, without one, every token they hold. Returns how many."""
    tokens = AuthToken.objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(digest=token.digest)
    deleted, _rows = tokens.delete()
    return int(deleted)
