from __future__ import annotations

from django.test import Client

from core.models import StaffAction, User


def test_a_staff_members_state_changing_request_is_recorded(client: Client, rina: User) -> None:
    client.force_login(rina)
    client.post("/i18n/setlang/", {"language": "en", "next": "/home/"}, REMOTE_ADDR="10.1.2.3")
    action = StaffAction.objects.get()
    assert (action.actor, action.method, action.path, action.status_code) == (rina, "POST", "/i18n/setlang/", 302)
    assert action.ip_address == "10.1.2.3"
    assert action.view_name == "set_language"


def test_reads_and_owners_requests_are_not_recorded(client: Client, rina: User, alice: User) -> None:
    client.force_login(rina)
    client.get("/home/")
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": "en"})
    assert StaffAction.objects.count() == 0
