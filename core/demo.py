"""Demo users: one per role, all with the password `halal-demo` (DESIGN.md, "Interfaces")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core.access import roles
from core.models import User

DEMO_PASSWORD = "halal-demo"  # noqa: S105 - published demo password, documented in the README


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    roles: tuple[str, ...]
    is_taskforce_lead: bool = False
    is_admin_site: bool = False


DEMO_USERS = [
    DemoUser("owner1@demo.test", "Siti Rahmawati", (roles.OWNER,)),
    DemoUser("owner2@demo.test", "Budi Santoso", (roles.OWNER,)),
    DemoUser("pph@demo.test", "Ustaz Ahmad Fauzi", (roles.PPH,)),
    DemoUser("reviewer@demo.test", "Dewi Lestari", (roles.REVIEWER,)),
    DemoUser("officer@demo.test", "Rudi Hartono", (roles.OFFICER,), is_taskforce_lead=True),
    DemoUser("admin@demo.test", "Admin Dinas Perindustrian", (roles.ADMIN,), is_admin_site=True),
]


def demo_password_hash() -> str:
    """The demo password hashed once per process: every demo account shares it, and hashing it for each of the
    40-odd accounts (PBKDF2, about half a second each) was a third of the demo load on a fresh clone. Kept per
    hasher setting, so a process that changes PASSWORD_HASHERS (the tests do) never reuses another hasher's hash."""
    return _hashed(tuple(settings.PASSWORD_HASHERS))


@cache
def _hashed(hashers: tuple[str, ...]) -> str:
    return make_password(DEMO_PASSWORD)


def load_users() -> dict[str, User]:
    """Create or refresh the demo users; running it again changes nothing."""
    users = {}
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(email=spec.email, defaults={"full_name": spec.full_name})
        if created:
            user.password = demo_password_hash()
            user.is_taskforce_lead = spec.is_taskforce_lead
            user.is_staff = spec.is_admin_site
            user.is_superuser = spec.is_admin_site
            user.save()
        user.groups.add(*Group.objects.filter(name__in=spec.roles))
        EmailAddress.objects.get_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
        users[spec.email] = user
    return users
