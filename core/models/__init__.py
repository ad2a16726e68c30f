"""core's models; Django finds them all here, and every app imports them from here.

- access: the user (e-mail login, roles as groups) and the hash-chained trail of staff actions
- calendar: the office calendar's days off and seeded years
- notifications: the inbox, deliveries per channel, channel settings, WhatsApp number verification
- ops: the dead-letter list of tasks that failed for good, and the daily checkpoints of every hash chain's head
"""

from __future__ import annotations

from core.models.access import (
    StaffAction,
    User,
    UserManager,
)
from core.models.calendar import (
    CalendarDay,
    CalendarYear,
)
from core.models.notifications import (
    Delivery,
    Notification,
    NotificationPreference,
    PhoneVerification,
)
from core.models.ops import (
    ChainCheckpoint,
    ChainCheckpointHead,
    FailedTask,
)

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "ChainCheckpoint",
    "ChainCheckpointHead",
    "Delivery",
    "FailedTask",
    "Notification",
    "NotificationPreference",
    "PhoneVerification",
    "StaffAction",
    "User",
    "UserManager",
]
