"""The assistant and the office reach the business: address, tap-to-call, WhatsApp and a map link per facility, on
the case and verval pages, for the assigned assistant and the staff of the case's region only."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from applicants.dossier import services as dossier
from applicants.models import Facility, Region
from certification.models import Application
from core.access import roles
from core.errors import DomainError
from core.models import User
from tests.certification import factories as f
from tests.conftest import works_for


@pytest.fixture
def visited(cast: f.Cast) -> Application:
    """A self-declare case with the assistant pat, of a business with a phone and a located production facility."""
    business = f.business(cast.owner, phone="0812-3456-7890", address="Jl. Pagar Alam No. 7")
    dossier.facility_add(
        actor=cast.owner,
        business=business,
        fields={
            "kind": "production",
            "name": "Dapur utama",
            "address": "Jl. Pagar Alam No. 7 (belakang)",
            "region": Region.objects.get(code="1871"),
            "latitude": "-5.3807",
            "longitude": "105.2594",
        },
    )
    return f.drive(f.draft(cast.owner, "self_declare", business), "pph_verification", cast)


def _page(user: User, url: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    answer = client.get(url)
    return answer.status_code, answer.content.decode()


def test_the_assigned_assistant_can_call_write_and_find_the_business(cast: f.Cast, visited: Application) -> None:
    for url in (f"/cases/{visited.pk}/", f"/cases/{visited.pk}/verval/"):
        status, page = _page(cast.pph, url)
        assert status == 200
        assert 'href="tel:+6281234567890"' in page
        assert 'href="https://wa.me/6281234567890"' in page
        assert "https://www.google.com/maps/search/?api=1&amp;query=-5.380700,105.259400" in page
        assert "Jl. Pagar Alam No. 7" in page and "Dapur utama" in page


def test_staff_of_the_region_see_the_contact(cast: f.Cast, visited: Application) -> None:
    status, page = _page(cast.reviewer, f"/cases/{visited.pk}/")
    assert status == 200 and 'id="contact"' in page and "tel:+6281234567890" in page


def test_everyone_else_gets_404_and_the_owner_page_has_no_contact_card(
    cast: f.Cast, visited: Application, bob: User, make_user: Callable[..., User]
) -> None:
    other_pph = works_for(make_user("putri@example.test", roles.PPH), "18")
    elsewhere = works_for(make_user("dewi@example.test", roles.REVIEWER), "31")
    for outsider in (bob, other_pph, elsewhere):
        assert _page(outsider, f"/cases/{visited.pk}/")[0] in (403, 404)
        assert _page(outsider, f"/cases/{visited.pk}/verval/")[0] in (403, 404)
    status, page = _page(cast.owner, f"/applications/{visited.pk}/")
    assert status == 200 and 'id="contact"' not in page


def test_without_coordinates_the_map_link_searches_the_address(cast: f.Cast) -> None:
    from certification.contact import map_link

    assert map_link(address="Jl. Kartini 5, Kota Bandar Lampung") == (
        "https://www.google.com/maps/search/?api=1&query=Jl.+Kartini+5%2C+Kota+Bandar+Lampung"
    )
    assert map_link(latitude=Decimal("-5.1"), longitude=Decimal("105.2")).endswith("query=-5.1,105.2")


@pytest.mark.parametrize(("latitude", "longitude"), [("-95", "105"), ("-5.4", ""), ("utara", "105")])
def test_a_facility_position_out_of_range_is_refused_and_nothing_is_written(
    cast: f.Cast, latitude: str, longitude: str
) -> None:
    business = f.business(cast.owner)
    fields: dict[str, Any] = {
        "kind": "production",
        "name": "Dapur",
        "address": "Jl. Kartini 5",
        "region": Region.objects.get(code="1871"),
        "latitude": latitude,
        "longitude": longitude,
    }
    with pytest.raises(DomainError) as refused:
        dossier.facility_add(actor=cast.owner, business=business, fields=fields)
    assert "decimal degrees" in str(refused.value)
    assert not Facility.objects.filter(business=business).exists()
