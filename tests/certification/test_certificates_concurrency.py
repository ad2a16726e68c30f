"""Twenty reviewers issue twenty certificates at the same moment: twenty distinct, consecutive numbers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from celery.result import allow_join_result
from django.db import connection

from certification import services
from certification.models import Application, Certificate, CertificateCounter
from core.errors import DomainError
from tests.certification import factories as f


@pytest.fixture(autouse=True)
def _issuing_authority(settings: Any) -> None:
    """These tests are about platform mode: a deployment run by the issuing authority numbers its own certificates
    (the default, CERTIFICATE_ISSUER=bpjph, records BPJPH's: tests/certification/test_issued_by_bpjph.py)."""
    settings.CERTIFICATE_ISSUER = "platform"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_get_twenty_consecutive_numbers(alice: Any, rina: Any, pat: Any) -> None:
    cast = f.Cast(owner=alice, reviewer=rina, pph=pat)
    f.national_quota(places=100)
    business = f.business(alice)
    apps = [f.drive(f.draft(alice, "self_declare", business), "issuance", cast) for _ in range(20)]
    barrier = threading.Barrier(len(apps))

    def issue(app: Application) -> Any:
        try:
            barrier.wait()
            return services.application_transition(application_id=app.pk, action="issue", actor=rina)
        except DomainError as error:
            return error
        finally:
            connection.close()

    with allow_join_result(), ThreadPoolExecutor(max_workers=len(apps)) as pool:
        results = list(pool.map(issue, apps))
    assert all(isinstance(r, Application) for r in results), results
    numbers = list(Certificate.objects.values_list("number", flat=True))
    sequences = sorted(int(n[6:15]) for n in numbers)
    assert len(set(numbers)) == 20
    assert sequences == list(range(1, 21))
    assert CertificateCounter.objects.get(province_code="18").last_value == 20
    assert Certificate.objects.exclude(pdf="").count() == 20  # rendered by the (eager) task after each commit
