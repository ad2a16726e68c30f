"""Workflow version 2 for the cases already there, the LPH directory, Sehati places as claims, the daily clock.

- A regular case waiting in `submitted` (version 1 had an intake step) goes to document verification with 1 working
  day; a returned case remembers the stage it was returned from (its last `return` event); a case waiting on its
  owner gets the owner's window from today. History and due dates already given are kept.
- The legal working days already used are summed from each case's timeline (time in legal stages only). This uses the
  calendar as it stood (the `holidays` package's holidays and cuti bersama, which the office calendar is seeded from,
  and the collective leave table), counted by core.calendar.days's pure functions: a one-time estimate, noted here.
- Every Sehati place a case took becomes one claim row; a pool's `used` becomes the number of places held, which
  repairs the version-1 double claims (a case returned from fatwa and verified again took two places).
- The LPH directory is seeded from certification/data/lph_directory.json (sources and unverified entries kept).
- Celery beat runs the daily clock (Komite Fatwa escalation, owner-window reminders) at 06:30 Asia/Jakarta.
"""

import json
from pathlib import Path

import holidays
from django.db import migrations
from django.utils import timezone

from core.calendar.days import count_between, count_forward

LEGAL = {
    "regular": {"verification", "lph_appointment", "lph_examination", "fatwa", "issuance"},
    "self_declare": {"pph_verification", "verification", "fatwa", "issuance"},
}
OPEN = {"draft", "submitted", "pph_verification", "verification", "lph_appointment", "awaiting_payment",
        "lph_examination", "fatwa", "issuance", "returned"}
TASK_NAME = "certification: daily clock"
TASK = "certification.clock_tick"


def _days_off(apps):
    """Days off of a year: the package's holidays and cuti bersama, and the collective leave table's days."""
    try:  # the table is gone after 0007 (its rows moved into the office calendar); tests rerun this on today's models
        table = apps.get_model("certification", "CollectiveLeaveDay")
    except LookupError:
        table = apps.get_model("core", "CalendarDay")
    rows = table.objects.filter(active=True) if table.__name__ == "CalendarDay" else table.objects.all()
    leave = frozenset(rows.values_list("date", flat=True))
    years = {}

    def of(year):
        if year not in years:
            years[year] = leave | frozenset(
                holidays.country_holidays("ID", years=year, categories=("public", "government"))
            )
        return years[year]

    return of


def seed_lph(apps, schema_editor):
    Lph = apps.get_model("certification", "Lph")
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "lph_directory.json").read_text("utf-8"))
    for entry in data["entries"]:
        Lph.objects.update_or_create(
            name=entry["name"],
            defaults={
                "accreditation_number": entry["accreditation_number"],
                "national": entry["national"],
                "province_codes": entry["province_codes"],
                "website": entry["website"],
                "verified": entry["verified"],
                "source": f"{entry['source']} {data['source']}",
            },
        )


def cases_to_v2(apps, schema_editor):
    Application = apps.get_model("certification", "Application")
    Event = apps.get_model("certification", "ApplicationEvent")
    days_off = _days_off(apps)
    today = timezone.localdate()
    for app in Application.objects.filter(state__in=OPEN).iterator():
        events = list(Event.objects.filter(application=app).order_by("created_at", "id"))
        changed = []
        if app.pathway == "regular" and app.state == "submitted":
            app.state = "verification"
            app.due_on = count_forward(today, 1, days_off)
            changed += ["state", "due_on"]
        if app.state == "returned":
            returns = [e for e in events if e.action == "return"]
            source = returns[-1].from_state if returns else ""
            if app.pathway == "regular" and source == "submitted":
                source = "verification"
            app.returned_from = source or ("verification" if app.pathway == "regular" else "submitted")
            changed.append("returned_from")
        if app.state == "returned":
            app.owner_due_on = count_forward(today, 10, days_off)
            changed.append("owner_due_on")
        if app.state == "awaiting_payment":
            app.owner_due_on = count_forward(today, 14, days_off)
            changed.append("owner_due_on")
        if events:
            app.stage_entered_on = timezone.localtime(events[-1].created_at).date()
            used = 0
            for current, following in zip(events, events[1:]):
                if current.to_state in LEGAL[app.pathway]:
                    used += count_between(
                        timezone.localtime(current.created_at).date(),
                        timezone.localtime(following.created_at).date(),
                        days_off,
                    )
            app.legal_days_used = min(used, 32767)
            changed += ["stage_entered_on", "legal_days_used"]
        if changed:
            app.save(update_fields=changed)


def quota_claims(apps, schema_editor):
    Application = apps.get_model("certification", "Application")
    Claim = apps.get_model("certification", "SehatiClaim")
    Quota = apps.get_model("certification", "SehatiQuota")
    year = timezone.localdate().year
    now = timezone.now()
    for app in Application.objects.filter(sehati_quota__isnull=False).select_related("sehati_quota").iterator():
        released = app.state in ("rejected", "cancelled") and app.sehati_quota.year >= year
        Claim.objects.get_or_create(
            application=app, defaults={"quota": app.sehati_quota, "released_at": now if released else None}
        )
    for quota in Quota.objects.all():
        quota.used = min(Claim.objects.filter(quota=quota, released_at__isnull=True).count(), quota.places)
        quota.save(update_fields=["used"])


def daily_clock_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "crontab": crontab, "enabled": True, "description": "Daily at 06:30 Asia/Jakarta"},
    )


def no_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0005_workflow_v2"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(seed_lph, migrations.RunPython.noop),
        migrations.RunPython(cases_to_v2, migrations.RunPython.noop),
        migrations.RunPython(quota_claims, migrations.RunPython.noop),
        migrations.RunPython(daily_clock_schedule, no_schedule),
    ]
