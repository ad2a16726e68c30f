"""The office calendar: the one place that knows which days are working days (README, "Office calendar").

- `days`: the reads every legal clock uses (`from core.calendar import days as cal`; `cal.add_working_days(...)`)
- `services`: the writes (an office closure, a removed day, seeding a year from the `holidays` package)
- `views`, `api`: the public pages (`/calendar/<year>/`) and the public API (`/api/v1/calendar/...`)
"""
