"""The NIK (Nomor Induk Kependudukan), checked as the population registry writes it.

16 digits, PP RR SS DDMMYY XXXX (Permendagri 72/2019 on the KTP-el; https://id.wikipedia.org/wiki/Nomor_Induk_Kependudukan):
- PP the province of registration: one of the provinces in our regions table (Kemendagri codes, applicants.0010);
- RR SS the regency/city and district, not checked: a NIK keeps the codes of a regency that was later split or
  renamed, so today's table would refuse real cards;
- DD the day of birth, plus 40 for women (41 to 71), MM the month, YY the year (19YY or 20YY, whichever is not in
  the future): the date must exist (no 30 February, no month 13, no day 99);
- XXXX a serial number from 0001.

python-stdnum's `stdnum.id.nik` reads the same layout; its compact() strips the spaces, dots and dashes people type.
Its own date check accepts any day (it takes the day modulo 40) and its place check uses its own list, so the date and
the province are checked here against our data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.id import nik as stdnum_nik

from applicants.models import Region


@dataclass(frozen=True)
class Nik:
    number: str
    province_code: str
    birth_date: dt.date
    female: bool


class InvalidNik(ValueError):
    """The NIK is not one; the message says why, fit for the person who typed it."""


def nik_read(value: str) -> Nik:
    """The NIK `value` names (spaces, dots and dashes allowed), or InvalidNik with the reason."""
    number = stdnum_nik.compact(value or "")
    if not (len(number) == 16 and number.isascii() and number.isdigit()):
        raise InvalidNik(_("The NIK must be exactly 16 digits."))
    province = number[:2]
    if not Region.objects.filter(code=province, kind=Region.Kind.PROVINCE).exists():
        raise InvalidNik(_("The NIK starts with %(code)s, which is no province code.") % {"code": province})
    day, month, year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    female = day > 40
    if female:
        day -= 40
    birth = _birth_date(day, month, year)
    if birth is None:
        raise InvalidNik(
            _("Digits 7 to 12 of the NIK are no date of birth (DDMMYY, with 40 added to the day for women).")
        )
    if number[12:] == "0000":
        raise InvalidNik(_("The last four digits of the NIK cannot be 0000."))
    return Nik(number=number, province_code=province, birth_date=birth, female=female)


def _birth_date(day: int, month: int, year: int) -> dt.date | None:
    today = timezone.localdate()
    for century in (2000, 1900):  # the latest century that gives a real date not in the future
        try:
            born = dt.date(century + year, month, day)
        except ValueError:
            continue  # 30 February, month 13, day 0; 29 February 1900 (2000 was a leap year, 1900 was not)
        if born <= today:
            return born
    return None
