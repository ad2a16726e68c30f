"""No English on Indonesian screens (issue 19, item 13): a status label once, fee schedules and tiers as words,
friendly Indonesian 403 and 404 pages (also while developing with DEBUG on)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from certification.models import Application
from fees.models import FeeSchedule
from tests.certification import factories as f

ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_sees_the_status_once_in_indonesian(cast: f.Cast) -> None:
    app = f.issued(cast)
    html = _client(cast.owner).get(f"/applications/{app.pk}/", **ID).content.decode()
    assert "Sertifikat Halal Terbit" in html
    assert "Certificate issued" not in html
    mine = _client(cast.owner).get("/applications/", **ID).content.decode()
    assert "Certificate issued" not in mine


def test_the_case_page_shows_the_state_in_english_only_in_english(cast: f.Cast) -> None:
    app = f.issued(cast)
    html = _client(cast.reviewer).get(f"/cases/{app.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert app.public_state_en in html
    assert app.public_state_id not in html


@pytest.mark.django_db
def test_the_calculator_names_fee_schedules_and_tiers_in_indonesian(client: Client) -> None:
    html = client.get("/fees/calculator/", {"annual_sales": "20.000.000.000", "operating_expenses": "0"}, **ID)
    text = html.content.decode()
    assert "Tarif layanan BPJPH" in text
    assert "Rekomendasi biaya terjangkau" in text
    assert "service tariff" not in text and "Affordable fee recommendation" not in text
    assert "effective 1 Dec 2021" not in text
    assert "Menengah" in text
    assert "MED ·" not in text


@pytest.mark.django_db
def test_the_simulation_reads_tier_codes_as_indonesian_words(rina: Any) -> None:
    schedule = FeeSchedule.objects.get(slug="bpjph-tariff-2021", version=1)
    business = f.business(rina, sales=20_000_000_000)
    assert business.figures.exists()
    html = _client(rina).get("/staff/simulation/", {"schedules": [schedule.pk], "threshold": "2.5"}, **ID)
    table = html.content.decode().split('id="comparison"')[1].split("</table>")[0]
    assert "Menengah: 1" in table
    assert "MED" not in table and "UMK:" not in table
    assert "Tarif layanan BPJPH" in table


@pytest.mark.django_db
def test_a_staff_page_answers_an_owner_with_an_indonesian_403(alice: Any) -> None:
    response = _client(alice).get("/cases/", **ID)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Tidak ada akses ke halaman ini" in html
    assert "Forbidden" not in html
    assert 'lang="id"' in html


@pytest.mark.django_db
def test_a_missing_page_answers_with_an_indonesian_404(alice: Any) -> None:
    response = _client(alice).get("/business/999999/", **ID)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert "Not Found" not in html


def test_the_assistant_gets_the_friendly_404_for_another_case_even_with_debug_on(
    cast: f.Cast, make_user: Any, settings: Any
) -> None:
    other_pph = make_user("pph2@example.test", "pph", full_name="Pendamping Lain")
    app = f.issued(cast)
    assert Application.objects.filter(pk=app.pk).exists()
    settings.DEBUG = True
    response = _client(other_pph).get(f"/cases/{app.pk}/", **ID)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert "URLconf" not in html and "Raised by" not in html
