"""Phone numbers are read in one place, core/phones.py (Google's libphonenumber data through `phonenumbers`), and a
landline is never taken for a WhatsApp number."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import phones
from core.errors import DomainError
from core.models import PhoneVerification, User
from core.notifications.preferences import whatsapp_code_send

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("spelling", ["0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890", "0062 812 3456 7890"])
def test_every_spelling_of_a_mobile_number_gives_the_same_digits(spelling: str) -> None:
    assert phones.whatsapp_digits(spelling) == "6281234567890"
    assert phones.compact(spelling) == "081234567890"


@pytest.mark.parametrize("landline", ["0721 123456", "(021) 5551234", "+62 21 5551234"])
def test_a_landline_is_a_phone_but_never_a_whatsapp_number(landline: str) -> None:
    assert phones.digits(landline).startswith("62") and phones.whatsapp_digits(landline) == ""


@pytest.mark.django_db
def test_asking_for_a_whatsapp_code_on_a_landline_is_refused_and_writes_nothing(alice: User) -> None:
    with pytest.raises(DomainError, match="0812 3456 7890"):
        whatsapp_code_send(user=alice, phone="0721 123456")
    assert not PhoneVerification.objects.exists()


def test_phonenumbers_is_read_only_in_core_phones() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and path != ROOT / "core" / "phones.py"
        and "phonenumbers" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
