"""Indonesian phone numbers, read and written in one place (a leaf module: imports no app).

People write one number many ways: `0812-3456-7890`, `+62 812 3456 7890`, `62812 3456 7890`, `0062 812...`. Every
place that stores, sends to or links a number (WhatsApp verification and delivery, a catalogue entry's WhatsApp and
phone, the assistant's tap-to-call) reads it here, with Google's libphonenumber data (the `phonenumbers` package),
so they agree: the same digits for the same number, and a landline is never taken for a WhatsApp number.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

REGION = "ID"
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def parse(value: str | None) -> PhoneNumber | None:
    """The number `value` names, or None when it names no valid number.

    Without a leading `+`, a number is read as Indonesian: `0812...` and `812...` nationally; `62812...` (written
    without its plus, as WhatsApp shows numbers) and `0062812...` (the international call prefix) internationally.
    """
    text = (value or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits or len(digits) > 17:
        return None
    if text.startswith("+"):
        candidates = ["+" + digits]
    elif digits.startswith("00"):
        candidates = ["+" + digits[2:]]
    elif digits.startswith("62"):
        candidates = ["+" + digits, digits]
    else:
        candidates = [digits]
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, REGION)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


def is_indonesian_mobile(number: PhoneNumber | None) -> bool:
    return (
        number is not None
        and phonenumbers.region_code_for_number(number) == REGION
        and phonenumbers.number_type(number) in _MOBILE_TYPES
    )


def digits(value: str | None) -> str:
    """Any valid number in international form, digits only (`6281234567890`); "" when `value` is no number."""
    number = parse(value)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:] if number is not None else ""


def whatsapp_digits(value: str | None) -> str:
    """An Indonesian mobile number as WhatsApp wants it (`6281234567890`); "" for anything else, landlines included."""
    number = parse(value)
    if number is None or not is_indonesian_mobile(number):
        return ""
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]


def compact(value: str | None) -> str:
    """What to store for a phone a person gave: `0721123456` for an Indonesian number, `+16502530000` for another;
    "" when `value` is no valid number."""
    number = parse(value)
    if number is None:
        return ""
    if phonenumbers.region_code_for_number(number) == REGION:
        return re.sub(r"\D", "", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display(value: str | None) -> str:
    """How a person reads it: `0812-3456-7890` for an Indonesian number, `+1 650-253-0000` for another; the text
    as given when it is no valid number."""
    number = parse(value)
    if number is None:
        return (value or "").strip()
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def tel_link(value: str | None) -> str:
    """`tel:+6281234567890` for a tap-to-call link; "" when `value` is no valid number."""
    found = digits(value)
    return f"tel:+{found}" if found else ""


def whatsapp_link(value: str | None) -> str:
    """`https://wa.me/6281234567890` for an Indonesian mobile number; "" otherwise."""
    found = whatsapp_digits(value)
    return f"https://wa.me/{found}" if found else ""
