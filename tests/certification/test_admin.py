"""The admin site shows certificates, their events and the number counters, and changes none of them: issuing,
revoking and numbering belong to the certificate services."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from certification.models import Certificate, CertificateCounter, CertificateEvent
from core.models import User
from tests.certification import factories as f


@pytest.fixture
def superuser(ayu: User) -> Client:
    ayu.is_superuser = True
    ayu.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(ayu)
    return client


@pytest.fixture
def certificate(cast: f.Cast) -> Certificate:
    return Certificate.objects.get(application=f.issued(cast))


@pytest.mark.parametrize("model", ["certificate", "certificateevent", "certificatecounter"])
def test_certificates_events_and_counters_are_listed_and_cannot_be_added(
    superuser: Client, certificate: Certificate, model: str
) -> None:
    assert superuser.get(reverse(f"admin:certification_{model}_changelist")).status_code == 200
    assert superuser.get(reverse(f"admin:certification_{model}_add")).status_code == 403


def test_a_certificate_cannot_be_changed_or_deleted_in_the_admin_and_shows_its_history_is_intact(
    superuser: Client, certificate: Certificate
) -> None:
    page = superuser.get(reverse("admin:certification_certificate_change", args=[certificate.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html and certificate.number in html
    assert 'alt="True"' in html  # the history-intact flag
    before = (certificate.status, certificate.business_name)
    response = superuser.post(
        reverse("admin:certification_certificate_change", args=[certificate.pk]),
        {"status": "revoked", "business_name": "Forged"},
    )
    assert response.status_code == 403
    delete = superuser.post(reverse("admin:certification_certificate_delete", args=[certificate.pk]), {"post": "yes"})
    assert delete.status_code == 403
    certificate.refresh_from_db()
    assert (certificate.status, certificate.business_name) == before


def test_a_counter_cannot_be_moved_back_in_the_admin(superuser: Client, cast: f.Cast, settings: Any) -> None:
    settings.CERTIFICATE_ISSUER = "platform"  # only an issuing authority numbers its own certificates
    f.issued(cast)
    counter = CertificateCounter.objects.get()
    response = superuser.post(
        reverse("admin:certification_certificatecounter_change", args=[counter.pk]), {"last_value": 0}
    )
    assert response.status_code == 403
    counter.refresh_from_db()
    assert counter.last_value == 1


def test_the_history_flag_turns_false_when_an_event_was_altered(superuser: Client, certificate: Certificate) -> None:
    event = CertificateEvent.objects.filter(certificate=certificate).first()
    assert event is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE certification_certificateevent SET note = %s WHERE id = %s", ["edited", event.pk])
    html = superuser.get(reverse("admin:certification_certificate_change", args=[certificate.pk])).content.decode()
    assert 'alt="False"' in html


@pytest.mark.parametrize("certificates", [1, 3])
def test_the_certificate_event_list_runs_a_fixed_number_of_queries(
    superuser: Client, cast: f.Cast, certificates: int, django_assert_num_queries: Any
) -> None:
    for _ in range(certificates):
        f.issued(cast)
    url = reverse("admin:certification_certificateevent_changelist")
    superuser.get(url)
    with django_assert_num_queries(9):
        assert superuser.get(url).status_code == 200
