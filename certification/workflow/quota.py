"""Sehati quota: one free self-declare place per case, ever, never more places than a pool has.

sehati_eligibility.json ("quota"): a self-declare case claims one place when it passes document verification, and
never a second one (returns and resubmissions keep the place it holds); reject or cancel releases it while the
quota year is open. Pools: a region's (the regency's, else the province's) and the national one. Until the
region's cut-over date a claim takes only the regional pool (or the national one where no regional pool exists);
after it, a claim that finds its region full falls back to the national pool.

Each claim is a row (`SehatiClaim`, unique per application) written in the same transaction as a conditional
`UPDATE ... SET used = used + 1 WHERE used < places` with a row-count check: under any concurrency a pool never
hands out more places than it has, and `used` always equals the number of claims not released.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.models import Business
from certification.models import Application, SehatiClaim, SehatiQuota
from core.errors import DomainError


def cutover_of(quota: SehatiQuota) -> date:
    """The day after which a full regional pool falls back to the national pool."""
    if quota.cutover is not None:
        return quota.cutover
    month, day = (int(part) for part in str(settings.SEHATI_CUTOVER_DAY).split("-"))
    return date(quota.year, month, day)


def pools_for(*, business: Business, year: int, today: date) -> list[SehatiQuota]:
    """The pools a claim may take, in order: the regional pool, then (after its cut-over) the national pool."""
    region = business.region
    region_ids = [region.pk] + ([region.parent_id] if region.parent_id else [])
    found = {
        q.region_id: q
        for q in SehatiQuota.objects.filter(Q(region_id__in=region_ids) | Q(region__isnull=True), year=year)
    }
    regional = next((found[key] for key in region_ids if key in found), None)
    national = found.get(None)
    if regional is None:
        return [national] if national is not None else []
    if national is not None and today > cutover_of(regional):
        return [regional, national]
    return [regional]


def quota_claim(*, application: Application, today: date) -> SehatiQuota:
    """Take the case's place (or keep the one it holds). Call inside the transaction of the state change, so a
    refused or failed transition gives the place back."""
    held = SehatiClaim.objects.select_related("quota").filter(application=application).first()
    if held is not None and held.released_at is None:
        return held.quota
    year = today.year
    pools = pools_for(business=application.business, year=year, today=today)
    if not pools:
        raise DomainError(_("There is no Sehati quota for %(year)s yet; ask the administrator.") % {"year": year})
    for pool in pools:
        if SehatiQuota.objects.filter(pk=pool.pk, used__lt=F("places")).update(used=F("used") + 1) == 1:
            if held is None:
                SehatiClaim.objects.create(application=application, quota=pool)
            else:  # a released place, taken again (the case was reopened): still one row per case
                held.quota, held.released_at, held.claimed_at = pool, None, timezone.now()
                held.save(update_fields=["quota", "released_at", "claimed_at"])
            return pool
    first = pools[0]
    if len(pools) == 1 and first.region_id is not None and pools_for_after_cutover(first):
        # The fallback starts the day after the cut-over date (`today > cutover` in pools_for): name that day.
        message = _(
            "The Sehati quota of %(where)s for %(year)s is used up (%(places)s places). From %(cutover)s a full "
            "region may take places from the national pool."
        ) % {
            "where": first.region,
            "year": year,
            "places": first.places,
            "cutover": date_format(cutover_of(first) + timedelta(days=1), "j F Y"),
        }
    else:
        message = _("The Sehati quota for %(year)s (%(where)s) is used up: all %(places)s free places are taken.") % {
            "year": year,
            "where": ", ".join(str(p.region or _("national")) for p in pools),
            "places": f"{sum(p.places for p in pools):,}".replace(",", "."),
        }
    raise DomainError(message)


def pools_for_after_cutover(quota: SehatiQuota) -> bool:
    """True when a national pool exists for the quota's year (so waiting for the cut-over would help)."""
    return SehatiQuota.objects.filter(year=quota.year, region__isnull=True).exists()


def quota_release(*, application: Application, today: date) -> bool:
    """Give the case's place back while its quota year is open (a reject or cancel); True when released."""
    claim = (
        SehatiClaim.objects.select_related("quota").filter(application=application, released_at__isnull=True).first()
    )
    if claim is None or claim.quota.year < today.year:
        return False
    updated = SehatiClaim.objects.filter(pk=claim.pk, released_at__isnull=True).update(released_at=timezone.now())
    if updated == 1:
        SehatiQuota.objects.filter(pk=claim.quota_id).update(used=F("used") - 1)
    return updated == 1
