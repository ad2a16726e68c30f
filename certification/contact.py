"""How the assistant and the office reach a case's business: the address, a phone number to tap (tel:) or to write
to on WhatsApp (wa.me), and a map link per facility (its coordinates, else its address).

Shown on the case and verval pages only, which answer 404 to anyone but the assigned assistant and the staff whose
jurisdiction covers the case (certification.selectors.applications_for); the owner's own page never shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from applicants.models import Facility
from certification.models import Application
from certification.workflow import table as wf
from core import phones
from core.access import roles

MAPS = "https://www.google.com/maps/search/?api=1&query="


@dataclass(frozen=True)
class Place:
    label: str
    address: str
    map_url: str


@dataclass(frozen=True)
class Contact:
    owner_name: str
    phone: str
    tel_url: str
    whatsapp_url: str
    places: list[Place]


def map_link(*, latitude: Any = None, longitude: Any = None, address: str = "") -> str:
    """A map search that opens the phone's map app: the coordinates when known, else the address."""
    if latitude is not None and longitude is not None:
        return f"{MAPS}{latitude},{longitude}"
    return f"{MAPS}{quote_plus(address)}" if address.strip() else ""


def may_see_contact(application: Application, user: Any) -> bool:
    """The assigned assistant and staff of the case (who reach this page at all); never the owner of the case."""
    if application.business.owner_id == user.pk:
        return False
    if application.assigned_pph_id == user.pk:
        return True
    return roles.has_role(user, *wf.ACTOR_ROLES[wf.REVIEWER])


def contact_of(application: Application, user: Any) -> Contact | None:
    """The business's contact for this user, or None when they may not see it (two queries: owner, facilities)."""
    if not may_see_contact(application, user):
        return None
    business = application.business
    owner = business.owner
    phone = business.phone or owner.phone
    region = business.region.name if business.region_id else ""
    home = f"{business.address}, {region}".strip(", ")
    places = [Place(business.name, home, map_link(address=home))]
    facilities = Facility.objects.filter(business=business).select_related("region").order_by("kind", "id")
    for facility in facilities:
        address = f"{facility.address}, {facility.region.name}"
        link = map_link(latitude=facility.latitude, longitude=facility.longitude, address=address)
        places.append(Place(f"{facility.get_kind_display()}: {facility.name}", address, link))
    return Contact(
        owner_name=owner.full_name or owner.email,
        phone=phones.display(phone) if phone else "",
        tel_url=phones.tel_link(phone),
        whatsapp_url=phones.whatsapp_link(phone),
        places=places,
    )
