"""Sehati quota: claiming a free self-declare place, never more than the quota under any concurrency."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext as _

from applicants.models import Business
from certification.models import SehatiQuota
from core.errors import DomainError


def quota_for(*, business: Business, year: int) -> SehatiQuota | None:
    """The quota that serves a business: its regency's, else its province's, else the national pool."""
    region = business.region
    region_ids = [region.pk] + ([region.parent_id] if region.parent_id else [])
    candidates = {
        q.region_id: q
        for q in SehatiQuota.objects.filter(Q(region_id__in=region_ids) | Q(region__isnull=True), year=year)
    }
    for key in [*region_ids, None]:
        if key in candidates:
            return candidates[key]
    return None


def quota_claim(*, business: Business, year: int) -> SehatiQuota:
    """Take one place. A conditional UPDATE with a row-count check: two claims never take the last place twice.

    Call it inside the transaction of the state change, so a refused or failed transition gives the place back.
    """
    quota = quota_for(business=business, year=year)
    if quota is None:
        raise DomainError(_("There is no Sehati quota for %(year)s yet; ask the administrator.") % {"year": year})
    claimed = SehatiQuota.objects.filter(pk=quota.pk, used__lt=F("places")).update(used=F("used") + 1)
    if claimed != 1:
        raise DomainError(
            _("The Sehati quota for %(year)s (%(where)s) is used up: all %(places)s free places are taken.")
            % {"year": year, "where": str(quota.region or _("national")), "places": quota.places}
        )
    return quota
