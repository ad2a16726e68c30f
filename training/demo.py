"""Demo trainings from seed 000 (section 4): digital marketing with 64 participants in Bandar Lampung, a modern
production tools training that ended without follow-up (reminders due), and one with full follow-up coverage.

Idempotent: programs are keyed by title, extra businesses by NIB, enrollments and follow-ups by their natural keys.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from applicants.models import Business, Region
from core.access import roles
from core.models import User
from training.models import Enrollment, FollowUp, Program, SessionAttendance, follow_up_due_on

OFFICER_EMAIL = "officer@demo.test"
DEMO_PROVINCE = "18"  # Lampung, where every demo business is
PARTICIPANTS = 64
EXTRA_NIB_PREFIX = "918870"  # demo-only NIBs: 918870 + 7 digits
EXTRA_NAMES = [
    "Keripik Pisang",
    "Kopi Robusta",
    "Sambal Lampung",
    "Kemplang Ikan",
    "Lempok Durian",
    "Gula Aren",
    "Tapis Snack",
    "Seruit Sambal",
]


def _businesses(needed: int) -> list[Business]:
    """The registry's first businesses, topped up with minimal demo businesses (own owners) when too few."""
    existing = list(Business.objects.order_by("id")[:needed])
    if len(existing) >= needed:
        return existing
    region = Region.objects.filter(code="1871").first() or Region.objects.filter(kind__in=["city", "regency"]).first()
    owner_group = Group.objects.filter(name=roles.OWNER).first()
    for number in range(1, needed - len(existing) + 1):
        nib = f"{EXTRA_NIB_PREFIX}{number:07d}"
        owner, created = User.objects.get_or_create(
            email=f"peserta{number:02d}@demo.test", defaults={"full_name": f"Peserta Pelatihan {number:02d}"}
        )
        if created:
            owner.set_unusable_password()
            owner.save(update_fields=["password"])
            if owner_group is not None:
                owner.groups.add(owner_group)
        business, _ = Business.objects.get_or_create(
            nib=nib,
            defaults={
                "owner": owner,
                "name": f"UMKM {EXTRA_NAMES[number % len(EXTRA_NAMES)]} {number:02d}",
                "address": f"Jl. Demo No. {number}, Bandar Lampung",
                "region": region,
                "kbli": "10794",
                "production_started": date(2018, 1, 1),
                "workforce": 1 + number % 5,
            },
        )
        existing.append(business)
    return existing[:needed]


def _program(title: str, officer: User, **fields: object) -> Program:
    end = fields["end_date"]
    window = int(fields.get("follow_up_window_days", 30))  # type: ignore[call-overload]
    region = Region.objects.filter(code=DEMO_PROVINCE).first()  # the demo's office: Lampung
    program, _ = Program.objects.get_or_create(
        title=title,
        defaults={
            **fields,
            "region": region,
            "responsible_officer": officer,
            "created_by": officer,
            "follow_up_due_on": follow_up_due_on(end, window),  # type: ignore[arg-type]
        },
    )
    if program.region_id is None and region is not None:  # a demo from before programmes had regions
        Program.objects.filter(pk=program.pk).update(region=region)
    return program


def _enroll(program: Program, businesses: list[Business], officer: User, *, attended: bool | None) -> list[Enrollment]:
    rows = []
    for business in businesses:
        enrollment, created = Enrollment.objects.get_or_create(
            program=program, business=business, defaults={"enrolled_by": officer}
        )
        if created and attended is not None:
            enrollment.attended = attended
            enrollment.attendance_recorded_at = timezone.now()
            enrollment.attendance_recorded_by = officer
            enrollment.save(update_fields=["attended", "attendance_recorded_at", "attendance_recorded_by"])
            SessionAttendance.objects.bulk_create(
                [
                    SessionAttendance(enrollment=enrollment, day=day, present=attended, recorded_by=officer)
                    for day in program.session_days
                ],
                ignore_conflicts=True,
            )
        rows.append(enrollment)
    return rows


def _follow_up(
    enrollment: Enrollment, officer: User, kind: str, planned: date, done: date | None, outcome: str
) -> None:
    FollowUp.objects.get_or_create(
        enrollment=enrollment,
        kind=kind,
        planned_on=planned,
        defaults={"done_on": done, "outcome": outcome, "responsible_officer": officer, "created_by": officer},
    )


def load(*, users: dict[str, User]) -> str:
    officer = users[OFFICER_EMAIL]
    today = timezone.localdate()
    businesses = _businesses(PARTICIPANTS)

    marketing = _program(
        "Pelatihan Digital Marketing untuk Pemulihan Ekonomi",
        officer,
        topic=Program.Topic.DIGITAL_MARKETING,
        organiser="Dinas Perindustrian Provinsi Lampung",
        funding_source="APBD Provinsi Lampung 2023",
        start_date=date(2023, 8, 14),
        end_date=date(2023, 8, 16),
        venue="Bandar Lampung",
        capacity=70,
    )
    participants = _enroll(marketing, businesses[:PARTICIPANTS], officer, attended=True)
    for enrollment in participants[:40]:
        _follow_up(
            enrollment,
            officer,
            FollowUp.Kind.EVALUATION,
            date(2023, 9, 10),
            date(2023, 9, 12),
            "Toko daring aktif; penjualan naik.",
        )

    tools_end = today - timedelta(days=40)
    tools = _program(
        "Pelatihan Penggunaan Alat Produksi Modern",
        officer,
        topic=Program.Topic.PRODUCTION_TOOLS,
        organiser="Dinas Perindustrian Provinsi Lampung",
        funding_source="APBD Provinsi Lampung",
        start_date=tools_end - timedelta(days=2),
        end_date=tools_end,
        venue="UPTD Balai Industri, Bandar Lampung",
        capacity=25,
    )
    _enroll(tools, businesses[:20], officer, attended=True)

    halal_end = today - timedelta(days=60)
    halal = _program(
        "Bimbingan Teknis Sertifikasi Halal (Sehati)",
        officer,
        topic=Program.Topic.HALAL_PROCEDURE,
        organiser="Satgas Halal Lampung dan Kemenag Provinsi Lampung",
        funding_source="BPJPH",
        start_date=halal_end,
        end_date=halal_end,
        venue="Aula Kanwil Kemenag, Bandar Lampung",
        capacity=30,
    )
    for enrollment in _enroll(halal, businesses[:12], officer, attended=True):
        _follow_up(
            enrollment,
            officer,
            FollowUp.Kind.MENTORING,
            halal_end + timedelta(days=14),
            halal_end + timedelta(days=15),
            "Pendampingan pengisian dokumen Sehati selesai.",
        )

    upcoming_start = today + timedelta(days=21)
    upcoming = _program(
        "Registrasi BPOM untuk Produk Pangan Olahan",
        officer,
        topic=Program.Topic.BPOM_REGISTRATION,
        organiser="Dinas Perindustrian Provinsi Lampung",
        funding_source="APBN Dekonsentrasi",
        start_date=upcoming_start,
        end_date=upcoming_start + timedelta(days=1),
        venue="Metro",
        capacity=40,
        open_for_registration=True,  # owners find it on their home page and join it themselves
        registration_closes_on=upcoming_start - timedelta(days=7),
    )
    _enroll(upcoming, businesses[:8], officer, attended=None)
    packaging_start = today + timedelta(days=35)
    _program(
        "Desain Kemasan dan Label Halal",
        officer,
        topic=Program.Topic.DIGITAL_MARKETING,
        organiser="Dinas Perindustrian Provinsi Lampung",
        funding_source="APBD Provinsi Lampung",
        start_date=packaging_start,
        end_date=packaging_start + timedelta(days=2),
        venue="UPTD Balai Industri, Bandar Lampung",
        capacity=15,
        open_for_registration=True,
        requires_approval=True,  # the officer picks the participants among those who ask
    )
    return (
        f"{Program.objects.count()} training programs, {Enrollment.objects.count()} enrollments, "
        f"{FollowUp.objects.count()} follow-ups"
    )
