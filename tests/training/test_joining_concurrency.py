"""The last place under real concurrency (PostgreSQL): owners joining at the same moment never overfill a program."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connections

from tests.training.factories import BusinessFactory, OwnerFactory, ProgramFactory
from training.joining import services as js
from training.models import Enrollment, JoinRequest

TODAY = date(2026, 3, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_owners_racing_for_one_place_give_one_enrollment_and_a_waiting_list_of_three(
    oscar: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = TODAY + timedelta(days=10)
    program = ProgramFactory(
        responsible_officer=oscar, open_for_registration=True, capacity=1, start_date=start, end_date=start
    )
    businesses = [BusinessFactory(owner=OwnerFactory()) for _ in range(4)]
    barrier = threading.Barrier(len(businesses), timeout=30)
    original = js._check_owner

    def check_then_wait(actor: Any, business: Any) -> None:
        original(actor, business)
        barrier.wait()  # every thread is inside its transaction before any takes the program lock

    monkeypatch.setattr(js, "_check_owner", check_then_wait)
    errors: list[BaseException] = []

    def join(business: Any) -> None:
        try:
            js.training_join(program=program, business=business, actor=business.owner, today=TODAY)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(business,)) for business in businesses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert Enrollment.objects.filter(program=program).count() == 1
    assert JoinRequest.objects.filter(program=program, status=JoinRequest.Status.WAITING).count() == 3
