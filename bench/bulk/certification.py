"""Bulk applications in every state of both pathways, with their timeline, products and Sehati quota use.

Written against the fields of `certification.models.Application` / `ApplicationEvent` / `SehatiQuota`; columns not
named here get their model default, so new optional fields do not break the writer.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from bench.bulk import analyze, bulk_load, completed, copy_rows, next_id, reset_sequences
from bench.bulk.applicants import ApplicantsSeed, users_write
from core.access import roles

# The happy path of each pathway as (state reached, action that reached it) - shared/domain/workflow.json.
HAPPY = {
    "self_declare": [
        ("submitted", "submit"),
        ("pph_verification", "assign_pph"),
        ("verification", "pph_validate"),
        ("fatwa", "verify"),
        ("issuance", "declare_halal"),
        ("issued", "issue"),
    ],
    "regular": [
        ("verification", "submit"),
        ("lph_appointment", "verify"),
        ("awaiting_payment", "appoint_lph"),
        ("lph_examination", "record_payment"),
        ("fatwa", "record_audit"),
        ("issuance", "declare_halal"),
        ("issued", "issue"),
    ],
}
# How far along the path an application is (index into HAPPY), or a side exit after some steps.
OUTCOMES = ["draft", 0, 1, 2, 3, 4, 5, 6, "returned", "rejected", "cancelled"]
OUTCOME_WEIGHTS = [5, 6, 5, 6, 6, 5, 5, 45, 8, 3, 6]
SLA_DAYS = {
    "submitted": 1,
    "pph_verification": 10,
    "verification": 1,
    "lph_appointment": 1,
    "lph_examination": 15,
    "fatwa": 3,
    "issuance": 1,
}
# Where each side exit may happen (workflow.json version 2); otherwise the case is cancelled or left where it is.
EXITS = {
    "returned": ("submitted", "pph_verification", "verification", "lph_appointment", "lph_examination", "fatwa"),
    "rejected": ("verification", "lph_examination", "fatwa"),
    "cancelled": ("draft", "submitted", "pph_verification", "returned", "awaiting_payment"),
}
REVIEWERS = 30
ASSISTANTS = 120
CHUNK = 250_000  # applications generated and copied at a time
DAYS_BACK = 1460  # four years of national volume
APPEALED = 0.2  # share of rejections the owner objects to


def applications_write(*, count: int, applicants: ApplicantsSeed, rng: random.Random, today: date) -> dict[str, int]:
    if count <= 0:
        return {"applications": 0, "events": 0}
    if not applicants.business_ids:
        raise RuntimeError("Applications need businesses: pass --businesses or seed them first.")
    from certification.models import Appeal, Application, ApplicationEvent, Lph, SehatiClaim, SehatiQuota
    from core.models import Notification

    counts: dict[str, int] = {}

    reviewers = users_write(count=REVIEWERS, rng=rng, role=roles.REVIEWER, label="reviewer")
    assistants = users_write(count=ASSISTANTS, rng=rng, role=roles.PPH, label="pph")
    years = range(today.year - 3, today.year + 1)
    quota_of = {}
    for year in years:
        quota, _ = SehatiQuota.objects.get_or_create(year=year, region=None, defaults={"places": 0})
        quota_of[year] = quota.pk
    now = timezone.now()
    app_fields, app_defaults = completed(
        Application,
        [
            "id",
            "business_id",
            "pathway",
            "state",
            "assigned_reviewer_id",
            "assigned_pph_id",
            "due_on",
            "pledge_version",
            "pledge_signed_at",
            "fee_amount",
            "paid_at",
            "sehati_quota_id",
            "lph_id",
            "returned_from",
            "owner_due_on",
            "stage_entered_on",
            "submitted_at",
            "created_by_id",
            "created_at",
            "updated_at",
            "version",
        ],
    )
    event_fields, event_defaults = completed(
        ApplicationEvent, ["id", "application_id", "from_state", "to_state", "action", "actor_id", "created_at"]
    )
    context = {
        "rng": rng,
        "today": today,
        "now": now,
        "reviewers": reviewers,
        "assistants": assistants,
        "quota_of": quota_of,
        "applicants": applicants,
        "event_defaults": event_defaults,
        "lph": Lph.objects.filter(national=True).values_list("pk", flat=True).first(),
        "event_id": next_id(ApplicationEvent),
        "link_id": next_id(Application.products.through),
        "appeal_id": next_id(Appeal),
        "notification_id": next_id(Notification),
    }
    Link = Application.products.through
    written = event_count = 0
    first_app = next_id(Application)
    notification_fields, notification_defaults = completed(
        Notification, ["id", "recipient_id", "kind", "context", "link", "topic", "created_at", "read_at"]
    )
    appeal_fields, appeal_defaults = completed(
        Appeal,
        ["id", "application_id", "rejected_from", "rejected_by_id", "reason", "filed_by_id", "filed_at", "decide_by"],
    )
    with bulk_load(Application, ApplicationEvent, Link, Appeal, Notification):
        # In chunks: 5,000,000 applications carry over 20,000,000 events, too many to hold as tuples at once.
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            chunk: dict[str, list[tuple[Any, ...]]] = {"events": [], "links": [], "appeals": [], "notices": []}
            rows = list(_applications(size, first_app + start, context, chunk))
            written += copy_rows(Application, app_fields, (row + app_defaults for row in rows))
            del rows
            event_count += copy_rows(ApplicationEvent, event_fields, chunk["events"])
            copy_rows(Link, ["id", "application_id", "product_id"], chunk["links"])
            copy_rows(Appeal, appeal_fields, (row + appeal_defaults for row in chunk["appeals"]))
            copy_rows(Notification, notification_fields, (row + notification_defaults for row in chunk["notices"]))
            counts["appeals"] = counts.get("appeals", 0) + len(chunk["appeals"])
            counts["notifications"] = counts.get("notifications", 0) + len(chunk["notices"])
    first = next_id(Application) - written
    claims = Application.objects.filter(pk__gte=first, sehati_quota__isnull=False).values_list("pk", "sehati_quota_id")
    first_claim = next_id(SehatiClaim)  # once: in the generator below it was a MAX(id) query per row
    with bulk_load(SehatiClaim):
        copy_rows(
            SehatiClaim,
            ["id", "application_id", "quota_id", "claimed_at"],
            ((first_claim + i, pk, quota, now) for i, (pk, quota) in enumerate(claims.iterator(chunk_size=5000))),
        )
    _quota_used(SehatiQuota, SehatiClaim)
    reset_sequences(SehatiClaim)
    reset_sequences(Application, ApplicationEvent, Link, Appeal, Notification)
    certificates, checks = certificates_write(first_application_id=next_id(Application) - written, rng=rng, today=today)
    analyze(Application, ApplicationEvent, Link, SehatiQuota, Appeal, Notification)
    return {
        "applications": written,
        "events": event_count,
        **counts,
        "certificates": certificates,
        "yearly checks": checks,
    }


def certificates_write(*, first_application_id: int, rng: random.Random, today: date) -> tuple[int, int]:
    """A certificate for every issued application written by this run, numbered per province after the counters.

    Numbers follow the platform's format (prefix, province, '11', 9-digit sequence, MMYY of the issue); the counters
    are moved past the numbers used, so certificates issued later through the service never collide.
    """
    import secrets

    from django.conf import settings

    from certification.models import Application, Certificate, CertificateCounter, CompositionCheck

    issued = (
        Application.objects.filter(pk__gte=first_application_id, state="issued")
        .order_by("pk")
        .values_list(
            "pk",
            "stage_entered_on",  # the day it reached "issued" (updated_at is auto_now: bulk_create overwrites it)
            "pathway",
            "business__name",
            "business__address",
            "business__nib",
            "business__region__name",
            "business__region__code",
            "business__sector",
        )
    )
    counters = dict(CertificateCounter.objects.values_list("province_code", "last_value"))
    fields, defaults = completed(
        Certificate,
        [
            "id",
            "application_id",
            "number",
            "token",
            "issued_at",
            "business_name",
            "business_address",
            "nib",
            "region_name",
            "region_code",
            "sector",
            "products",
            "products_text",
            "fatwa_number",
            "fatwa_date",
            "pathway",
            "status",
        ],
    )
    first_id = next_id(Certificate)

    def rows() -> Iterator[tuple[Any, ...]]:
        for offset, (app_id, day, pathway, name, address, nib, region_name, code, sector) in enumerate(
            issued.iterator(chunk_size=5000)
        ):
            province = code[:2]
            counters[province] = counters.get(province, 0) + 1
            at = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
            local = timezone.localtime(at)
            number = f"{settings.CERTIFICATE_PREFIX}{province}11{counters[province]:09d}{local:%m%y}"
            product = {"name": f"Produk {app_id}", "category": "simple_products"}
            yield (
                first_id + offset,
                app_id,
                number,
                secrets.token_urlsafe(24),
                at,
                name,
                address,
                nib,
                region_name,
                code,
                sector,
                [product],
                product["name"],
                f"KF-{local:%Y%m%d}-{app_id}",
                local.date(),
                pathway,
                "valid",
                *defaults,
            )

    with bulk_load(Certificate):
        written = copy_rows(Certificate, fields, rows())
    for province, last in counters.items():
        counter, _ = CertificateCounter.objects.get_or_create(province_code=province)
        CertificateCounter.objects.filter(pk=counter.pk, last_value__lt=last).update(last_value=last)
    reset_sequences(Certificate)
    checks = composition_checks_write(first_certificate_id=first_id, rng=rng, today=today)
    analyze(Certificate, CompositionCheck)
    return written, checks


def composition_checks_write(*, first_certificate_id: int, rng: random.Random, today: date) -> int:
    """The yearly composition question for each anniversary passed by the new certificates (issue 17): most owners
    answer "nothing changed", some report a change, and some have not answered yet (waiting or overdue)."""
    from certification.models import Certificate, CompositionCheck

    fields, defaults = completed(
        CompositionCheck,
        ["id", "certificate_id", "year", "anniversary", "asked_at", "answer", "answered_at", "answered_by_id"],
    )
    owners = Certificate.objects.filter(pk__gte=first_certificate_id).values_list(
        "pk", "issued_at", "application__business__owner_id"
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        check_id = next_id(CompositionCheck)
        for pk, issued_at, owner in owners.iterator(chunk_size=10_000):
            issued = timezone.localtime(issued_at).date()
            for year in range(1, 4):
                try:
                    anniversary = issued.replace(year=issued.year + year)
                except ValueError:  # 29 February
                    anniversary = issued.replace(year=issued.year + year, day=28)
                if anniversary > today:
                    break
                asked = timezone.make_aware(datetime.combine(anniversary, datetime.min.time()))
                roll = rng.random()
                answer = "unchanged" if roll < 0.75 else ("changed" if roll < 0.8 else "")
                answered = asked + timedelta(days=rng.randint(0, 20)) if answer else None
                yield (check_id, pk, year, anniversary, asked, answer, answered, owner if answer else None, *defaults)
                check_id += 1

    with bulk_load(CompositionCheck):
        written = copy_rows(CompositionCheck, fields, rows())
    reset_sequences(CompositionCheck)
    return written


def _applications(
    count: int, first_id: int, ctx: dict[str, Any], chunk: dict[str, list[tuple[Any, ...]]]
) -> Iterator[tuple[Any, ...]]:
    rng: random.Random = ctx["rng"]
    today: date = ctx["today"]
    now: datetime = ctx["now"]
    applicants: ApplicantsSeed = ctx["applicants"]
    events, links, appeals, notices = chunk["events"], chunk["links"], chunk["appeals"], chunk["notices"]
    event_defaults = ctx["event_defaults"]
    businesses = applicants.business_ids
    for offset in range(count):
        app_id = first_id + offset
        business = businesses[rng.randrange(len(businesses))]
        owner = applicants.owner_of[business]
        pathway = "self_declare" if rng.random() < 0.7 else "regular"
        path = HAPPY[pathway]
        outcome = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
        if outcome == "draft":
            steps = 0
        elif isinstance(outcome, int):
            steps = min(outcome + 1, len(path))
        else:
            steps = rng.randint(1, 3)
        created = now - timedelta(days=rng.randrange(0, DAYS_BACK), seconds=rng.randrange(86400))
        reviewer = rng.choice(ctx["reviewers"]) if steps >= 2 else None
        pph = rng.choice(ctx["assistants"]) if pathway == "self_declare" and steps >= 2 else None
        state, at = "draft", created
        for index in range(steps):
            reached, action = path[index]
            at = at + timedelta(days=rng.randint(0, 6), seconds=rng.randrange(3600))
            actor = owner if action == "submit" else (pph if action == "pph_validate" else reviewer or owner)
            events.append((ctx["event_id"], app_id, state, reached, action, actor, at, *event_defaults))
            ctx["event_id"] += 1
            state = reached
        returned_from = ""
        if isinstance(outcome, str) and outcome != "draft" and state not in EXITS[outcome]:
            outcome = "cancelled" if state in EXITS["cancelled"] else ""
        if isinstance(outcome, str) and outcome not in ("draft", ""):
            at = at + timedelta(days=rng.randint(0, 6))
            action = {"returned": "return", "rejected": "reject", "cancelled": "cancel"}[outcome]
            events.append((ctx["event_id"], app_id, state, outcome, action, reviewer or owner, at, *event_defaults))
            ctx["event_id"] += 1
            returned_from = state if outcome == "returned" else ""
            roll = rng.random()
            if outcome == "rejected" and roll < APPEALED:
                # An objection filed within the window (issue 17): the case waits in "appeal" for a decision.
                filed = at + timedelta(days=rng.randint(1, 10))
                events.append(
                    (ctx["event_id"], app_id, "rejected", "appeal", "file_appeal", owner, filed, *event_defaults)
                )
                ctx["event_id"] += 1
                appeals.append(
                    (
                        ctx["appeal_id"],
                        app_id,
                        state,
                        reviewer,
                        "Bahan sudah bersertifikat halal.",
                        owner,
                        filed,
                        timezone.localtime(filed).date() + timedelta(days=14),
                    )
                )
                ctx["appeal_id"] += 1
                at, outcome = filed, "appeal"
            state = outcome
        if steps:
            # The owner's latest notice about the case (most are read), as the notification service leaves it.
            notices.append(
                (
                    ctx["notification_id"],
                    owner,
                    "application_status",
                    {"application": {"pk": app_id}, "event": {"to_state": state}},
                    f"/applications/{app_id}/",
                    f"application:{app_id}",
                    at,
                    at + timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.8 else None,
                )
            )
            ctx["notification_id"] += 1
        submitted = created + timedelta(hours=1) if steps else None
        due = None
        if state in SLA_DAYS:
            due = today + timedelta(days=rng.randint(-10, SLA_DAYS[state] + 10))
        elif state == "appeal":
            due = today + timedelta(days=rng.randint(-5, 14))
        owner_due = today + timedelta(days=rng.randint(-5, 14)) if state in ("returned", "awaiting_payment") else None
        claimed = pathway == "self_declare" and steps >= 4
        year = max(min(created.year, today.year), today.year - 3)
        for product in applicants.products_of.get(business, [])[:2]:
            links.append((ctx["link_id"], app_id, product))
            ctx["link_id"] += 1
        yield (
            app_id,
            business,
            pathway,
            state,
            reviewer,
            pph,
            due,
            "2023-1" if pathway == "self_declare" and steps else "",
            created if pathway == "self_declare" and steps else None,
            None if pathway == "self_declare" or steps < 3 else rng.choice([300_000, 650_000, 2_500_000]),
            at if pathway == "regular" and steps >= 4 else None,
            ctx["quota_of"][year] if claimed else None,
            ctx["lph"] if pathway == "regular" else None,
            returned_from,
            owner_due,
            timezone.localtime(at).date(),
            submitted,
            owner,
            created,
            at,
            steps + 1,
        )


def _quota_used(SehatiQuota: Any, SehatiClaim: Any) -> None:
    """Each quota's `used` is the places held from it; places leave some room for the year."""
    for quota in SehatiQuota.objects.filter(region__isnull=True):
        used = SehatiClaim.objects.filter(quota=quota, released_at__isnull=True).count()
        SehatiQuota.objects.filter(pk=quota.pk).update(used=used, places=max(quota.places, used + 1000))
