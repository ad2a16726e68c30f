"""The office calendar: days off (national holidays, cuti bersama, office closures) and the years already seeded."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models.access import User


class CalendarDay(models.Model):
    """A day the office does not work besides weekends: a national holiday, a collective leave day (cuti bersama)
    or an office closure (core/calendar/days.py counts working days from these rows).

    Holidays and cuti bersama are seeded from the `holidays` package once per year (CalendarYear) and then kept as
    they are; the admin adds closures and removes a wrong day. A removal is soft (`active=False` with who, when and
    why), so the calendar that gave any due date can be read back; at most one active row per date.
    """

    class Kind(models.TextChoices):
        NATIONAL_HOLIDAY = "national_holiday", _("national holiday")
        CUTI_BERSAMA = "cuti_bersama", _("collective leave (cuti bersama)")
        OFFICE_CLOSURE = "office_closure", _("office closure")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OFFICE_CLOSURE)
    name = models.CharField(_("name"), max_length=200, help_text=_("In Indonesian, as the decree or notice says."))
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Where the day comes from: the package and its version, a decree (SKB 3 Menteri), the office."),
    )
    active = models.BooleanField(_("active"), default=True)
    removed_reason = models.TextField(_("reason for removal"), blank=True)
    removed_by = models.ForeignKey(
        User, verbose_name=_("removed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("office calendar")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(active=True), name="core_calendarday_one_active_per_date"
            ),
            models.CheckConstraint(
                condition=models.Q(active=True) | ~models.Q(removed_reason=""),
                name="core_calendarday_removal_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays and cuti bersama were seeded (frozen: the package is never read again for it)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    seeded_at = models.DateTimeField(_("seeded at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=200, help_text=_("The `holidays` package and its version."))

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)
