"""Training's models; Django finds them all here, and other apps import them from here.

- programs: programs, enrollments with attendance, follow-ups, join requests, messages, the reminder log
- facilitation: BPOM facilitation cases, their events, stage allowances and reminders
"""

from __future__ import annotations

from training.models.facilitation import (
    DEFAULT_STAGE_DAYS,
    OPEN_STATES,
    FacilitationCase,
    FacilitationEvent,
    FacilitationReminder,
    FacilitationStageDays,
    FacilitationState,
)
from training.models.programs import (
    PROGRAM_FIELDS,
    Enrollment,
    FollowUp,
    JoinRequest,
    Program,
    ProgramMessage,
    ReminderLog,
    SessionAttendance,
    evidence_upload_to,
    follow_up_due_on,
    program_message_upload_to,
)

__all__ = [
    "DEFAULT_STAGE_DAYS",
    "Enrollment",
    "FacilitationCase",
    "FacilitationEvent",
    "FacilitationReminder",
    "FacilitationStageDays",
    "FacilitationState",
    "FollowUp",
    "JoinRequest",
    "OPEN_STATES",
    "PROGRAM_FIELDS",
    "Program",
    "ProgramMessage",
    "ReminderLog",
    "SessionAttendance",
    "evidence_upload_to",
    "follow_up_due_on",
    "program_message_upload_to",
]
