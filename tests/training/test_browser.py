"""The attendance sheet in a real browser on a 360 px phone screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.training.factories import EnrollmentFactory, ProgramFactory
from training.models import Enrollment


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_records_attendance_on_a_phone(page: Any, live_server: Any, oscar: Any) -> None:
    program = ProgramFactory(responsible_officer=oscar, title="Alat Produksi Modern")
    first, second = (EnrollmentFactory(program=program, attended=None) for _ in range(2))
    client = Client()
    client.force_login(oscar)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/trainings/{program.pk}/attendance/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.check(f"#p{first.business_id}")
    page.click("button[type=submit]:has-text('Simpan kehadiran')")
    page.wait_for_url(f"{live_server.url}/trainings/{program.pk}/attendance/?day=2026-01-05")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    attended = dict(Enrollment.objects.values_list("business_id", "attended"))
    assert attended == {first.business_id: True, second.business_id: False}
