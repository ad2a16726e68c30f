"""Bulk training programs with enrollments, attendance, follow-ups and the reminders already sent.

Programs spread over the two years before `today` (and a few weeks after). Attendance is recorded for programs
that have ended; about half of the attended participants have a follow-up, most of them done. Programs whose
reminder steps fell due before `today` get the ReminderLog rows a daily scan would have left, so a scan on
`today` sees what it sees on an ordinary day, not a two-year backlog.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone

from bench.bulk import analyze, bulk_load, copy_rows, next_id, reset_sequences
from bench.bulk.applicants import users_write
from core.access import roles
from training.models import Enrollment, FollowUp, Program, ReminderLog, follow_up_due_on

TITLES = {
    "halal_procedure": "Pelatihan prosedur sertifikasi halal",
    "digital_marketing": "Pemasaran digital UMKM",
    "production_tools": "Alat produksi modern",
    "bpom_registration": "Pendaftaran BPOM",
    "export_readiness": "Kesiapan ekspor",
    "other": "Bimbingan teknis",
}
OFFICERS = 40
BULK_CLAIM = UUID(int=0)


def programs_write(
    *, programs: int, enrollments: int, business_ids: list[int], rng: random.Random, today: date
) -> dict[str, int]:
    if programs <= 0:
        return {"programs": 0, "enrollments": 0, "follow_ups": 0, "reminders": 0}
    if enrollments and not business_ids:
        raise RuntimeError("Enrollments need businesses: pass --businesses or seed them first.")
    officers = users_write(count=OFFICERS, rng=rng, role=roles.OFFICER, label="officer")
    now = timezone.now()
    first_program = next_id(Program)
    program_rows = []
    for index in range(programs):
        pid = first_program + index
        topic = rng.choice(list(TITLES))
        start = today - timedelta(days=rng.randrange(-45, 730))
        end = start + timedelta(days=rng.choice([0, 1, 2, 4]))
        window = rng.choice([14, 30, 30, 30, 60])
        officer = rng.choice(officers)
        program_rows.append(
            (
                pid,
                f"{TITLES[topic]} #{pid}",
                topic,
                "Dinas Perindustrian Provinsi Lampung",
                rng.choice(["APBD", "APBN", "CSR", ""]),
                start,
                end,
                "Balai Latihan Kerja",
                40,
                officer,
                window,
                follow_up_due_on(end, window),
                officer,
                now,
                now,
            )
        )
    with bulk_load(Program, Enrollment, FollowUp, ReminderLog):
        copy_rows(
            Program,
            [
                "id",
                "title",
                "topic",
                "organiser",
                "funding_source",
                "start_date",
                "end_date",
                "venue",
                "capacity",
                "responsible_officer_id",
                "follow_up_window_days",
                "follow_up_due_on",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            program_rows,
        )
        counts = {"programs": programs}
        followups: list[tuple[Any, ...]] = []
        counts["enrollments"] = copy_rows(
            Enrollment,
            [
                "id",
                "program_id",
                "business_id",
                "attended",
                "attendance_recorded_at",
                "attendance_recorded_by_id",
                "enrolled_by_id",
                "enrolled_at",
            ],
            _enrollments(rng, program_rows, enrollments, business_ids, today, now, followups),
        )
        counts["follow_ups"] = copy_rows(
            FollowUp,
            [
                "id",
                "enrollment_id",
                "kind",
                "planned_on",
                "done_on",
                "outcome",
                "evidence",
                "evidence_name",
                "evidence_content_type",
                "responsible_officer_id",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            followups,
        )
        counts["reminders"] = copy_rows(
            ReminderLog,
            [
                "id",
                "program_id",
                "step",
                "scan_date",
                "claim_token",
                "recipients",
                "lacking_count",
                "created_at",
                "sent_at",
            ],
            _past_reminders(program_rows, today, next_id(ReminderLog), now),
        )
    reset_sequences(Program, Enrollment, FollowUp, ReminderLog)
    analyze(Program, Enrollment, FollowUp, ReminderLog)
    return counts


def _enrollments(
    rng: random.Random,
    program_rows: list[tuple[Any, ...]],
    total: int,
    business_ids: list[int],
    today: date,
    now: datetime,
    followups: list[tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    """`total` enrollments spread evenly over the programs, each program a run of distinct businesses."""
    eid = next_id(Enrollment)
    fid = next_id(FollowUp)
    per_program, extra = divmod(total, len(program_rows))
    size = len(business_ids)
    for index, program in enumerate(program_rows):
        pid, end, officer = program[0], program[6], program[9]
        count = min(per_program + (1 if index < extra else 0), size)
        ended = end < today
        # A program whose follow-up is well done (most), half done or not done at all (the study's complaint).
        diligence = rng.choice([0.95, 0.95, 0.9, 0.6, 0.3, 0.0])
        start = rng.randrange(size)
        for offset in range(count):
            business = business_ids[(start + offset) % size]
            attended = (rng.random() < 0.85) if ended else None
            yield (eid, pid, business, attended, now if ended else None, officer if ended else None, officer, now)
            if attended and rng.random() < diligence:
                planned = end + timedelta(days=rng.randrange(5, 40))
                done = planned if planned < today and rng.random() < 0.9 else None
                followups.append(
                    (
                        fid,
                        eid,
                        rng.choice(["equipment", "mentoring", "evaluation", "market_access"]),
                        planned,
                        done,
                        "Kunjungan selesai" if done else "",
                        "",
                        "",
                        "",
                        officer,
                        officer,
                        now,
                        now,
                    )
                )
                fid += 1
            eid += 1


def _past_reminders(
    program_rows: list[tuple[Any, ...]], today: date, first_id: int, now: datetime
) -> Iterator[tuple[Any, ...]]:
    """The highest step already due before `today` for each program (earlier steps were superseded)."""
    rid = first_id
    for program in program_rows:
        due = program[11]
        days = (today - due).days
        step = 3 if days > 14 else 2 if days > 7 else 1 if days > 0 else 0
        if step:
            sent = datetime.combine(due + timedelta(days=(0, 0, 7, 14)[step]), datetime.min.time(), tzinfo=now.tzinfo)
            yield (rid, program[0], step, sent.date(), BULK_CLAIM, "", 0, sent, sent)
            rid += 1
