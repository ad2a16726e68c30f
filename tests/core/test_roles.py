from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from core.access import roles
from core.models import User


@pytest.mark.django_db
def test_every_role_exists_as_a_group_after_migrate() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    assert roles.ALL_ROLES == ("owner", "pph", "reviewer", "officer", "admin")


def test_a_person_may_hold_several_roles(make_user) -> None:
    user = make_user("multi@example.test", roles.REVIEWER, roles.OFFICER)
    user = User.objects.get(pk=user.pk)
    assert user.roles == frozenset({roles.REVIEWER, roles.OFFICER})
    assert roles.has_role(user, roles.OFFICER)
    assert not roles.has_role(user, roles.OWNER)
    assert roles.is_staff_member(user)


def test_roles_are_read_once_per_user_object(make_user, django_assert_num_queries) -> None:
    user = User.objects.get(pk=make_user("once@example.test", roles.OWNER).pk)
    with django_assert_num_queries(1):
        assert roles.has_role(user, roles.OWNER)
        assert roles.has_role(user, roles.OWNER, roles.PPH)
        assert not roles.is_staff_member(user)


def test_anonymous_holds_no_role() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert roles.roles_of(AnonymousUser()) == frozenset()
    assert not roles.has_role(None, roles.OWNER)
