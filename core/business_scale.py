"""PP 7/2021 Pasal 35 business scale bounds by annual sales, whole rupiah, inclusive (shared/domain/
business_scale.json).

A leaf module (imports no app) so that the rule has one home: applicants (scale and graduation) and fees (the
self-declare quote, the LPH examination cap) both read it; fees may not import applicants.
"""

from __future__ import annotations

MICRO_SALES_MAX = 2_000_000_000
SMALL_SALES_MAX = 15_000_000_000
MEDIUM_SALES_MAX = 50_000_000_000


def is_micro_or_small(annual_sales: int) -> bool:
    """Micro or small (UMK) by annual sales: at most Rp15 billion a year."""
    return annual_sales <= SMALL_SALES_MAX
