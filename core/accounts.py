"""django-allauth adapter: everyone who signs up is an MSI owner; staff accounts are made by an admin."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.http import HttpRequest

from core import roles


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            owner_group, _ = Group.objects.get_or_create(name=roles.OWNER)
            user.groups.add(owner_group)
        return user
