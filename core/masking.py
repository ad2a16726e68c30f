"""Masking of personal numbers in lists (a leaf module: no project imports).

Lists show many people's data at once, to staff who need to recognise a row, not to copy the number: the business
number (NIB, 13 digits) keeps its first and last four digits (`1234*****8901`), a phone number its first four and last
three (`0812*****321`). Detail pages, exports for the authority and the owner's own pages keep the full value.
"""

from __future__ import annotations

MASK = "*"


def mask_middle(value: object, *, keep_start: int, keep_end: int) -> str:
    """Replace every character between the kept head and tail by `*`; values too short to mask are fully masked."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) <= keep_start + keep_end:
        return MASK * len(text)
    hidden = len(text) - keep_start - keep_end
    return f"{text[:keep_start]}{MASK * hidden}{text[len(text) - keep_end :]}"


def mask_nib(value: object) -> str:
    """`1234567898901` -> `1234*****8901`."""
    return mask_middle(value, keep_start=4, keep_end=4)


def mask_phone(value: object) -> str:
    """`081234567321` -> `0812*****321`; spaces and dashes are dropped first so the tail is always digits."""
    text = "" if value is None else "".join(ch for ch in str(value) if ch not in " -.")
    return mask_middle(text, keep_start=4, keep_end=3)
