"""People's names as Indonesians write them (a leaf module): a full name often starts with titles of respect,
religion or degree ("Ustaz Ahmad Fauzi", "Hj. Siti Aminah", "Dr. Ir. Budi Santoso"), which are not a first name.
"""

from __future__ import annotations

import re

# Compared lower-case without the final dot: "H." and "h" are the same title.
TITLES = frozenset(
    {
        "bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "saudara", "saudari", "tn", "ny", "nn",
        "ustaz", "ustadz", "ustad", "ustazah", "ustadzah", "kyai", "kiai", "kh", "k.h", "habib", "syekh", "gus",
        "h", "hj", "haji", "hajjah",
        "dr", "drs", "dra", "ir", "prof", "apt", "st", "se", "mr", "mrs", "ms",
    }
)  # fmt: skip


def is_title(word: str) -> bool:
    return word.lower().rstrip(".,") in TITLES


def first_name(full_name: str) -> str:
    """The first word of the name that is not a title: "Ustaz Ahmad Fauzi" -> "Ahmad"; "" when only titles."""
    words = [word for word in re.split(r"\s+", full_name.strip()) if word]
    return next((word.rstrip(",") for word in words if not is_title(word)), "")
