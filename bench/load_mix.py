"""The mixed-load traffic model: how many requests of each kind the platform gets at the national peak hour.

Plain numbers, no Django and no Locust (the locustfile and the mixed-load case both import it; importing Locust
monkey-patches the standard library with gevent, which a test process must not do).

Derivation (every figure is an assumption stated here, so a reader can change one and see the effect):

- Volume: Sehati's free self-declare quota is 1,350,000 certificates a year (2026, shared/domain/
  sehati_eligibility.json); regular (paid, LPH-audited) certificates add about 150,000 a year. So about
  1,500,000 applications a year reach the platform.
- Owners, per application over its life: 30 page views of their home and case page (following the status),
  6 dossier edits (person responsible, facilities: a form GET and a POST each, so 12 requests) and 1.5 submits
  (submit, plus a resubmit after half of the cases are returned: GET and POST, 3 requests): 45 requests.
- Reviewers, per application: 4 queue pages, 5 case pages and 3 transitions (verify, return or assign: a POST
  each, the case page before it already counted): 12 requests.
- Officers: 200,000 training participants a year; per participant 2 attendance requests (sheet and the save)
  and 3 follow-up list views: 5 requests.
- The public: certificates stay valid and are scanned by buyers; about 5,000,000 certificates in force (four
  years of national volume), each verified 4 times a year (JSON API and the HTML page the QR code opens, half
  each); the catalogue gets 10,000,000 page views a year; the fee calculator 2 quotes per application.
- Time: owners and staff work 8 hours a day on 245 working days (1,960 hours a year). All traffic, the public's
  included, is put in those hours (conservative: the public also comes in the evening). The peak hour carries
  3 times the mean working hour (the quota opening, the days before a deadline).

The mix below is the share of requests per role at that peak; the locustfile gives each role a user class with
that weight (all users wait the same time between tasks, so the request shares follow the weights) and each
task the weight of its share within the role.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICATIONS_PER_YEAR = 1_350_000 + 150_000  # Sehati quota (2026) + regular certificates
WORKING_DAYS = 245
HOURS_PER_DAY = 8
PEAK_HOUR_FACTOR = 3.0

OWNER_REQUESTS_PER_APPLICATION = 30 + 6 * 2 + 1.5 * 2  # views + dossier edits (GET+POST) + submits (GET+POST)
REVIEWER_REQUESTS_PER_APPLICATION = 4 + 5 + 3  # queue pages + case pages + transitions
TRAINING_PARTICIPANTS_PER_YEAR = 200_000
OFFICER_REQUESTS_PER_PARTICIPANT = 2 + 3  # attendance sheet and save + follow-up list views
CERTIFICATES_IN_FORCE = 5_000_000
VERIFICATIONS_PER_CERTIFICATE_PER_YEAR = 4
CATALOGUE_VIEWS_PER_YEAR = 10_000_000
FEE_QUOTES_PER_APPLICATION = 2


@dataclass(frozen=True)
class RoleVolume:
    role: str
    requests_per_year: float


def yearly_requests() -> list[RoleVolume]:
    public = (
        CERTIFICATES_IN_FORCE * VERIFICATIONS_PER_CERTIFICATE_PER_YEAR
        + CATALOGUE_VIEWS_PER_YEAR
        + APPLICATIONS_PER_YEAR * FEE_QUOTES_PER_APPLICATION
    )
    return [
        RoleVolume("owner", APPLICATIONS_PER_YEAR * OWNER_REQUESTS_PER_APPLICATION),
        RoleVolume("reviewer", APPLICATIONS_PER_YEAR * REVIEWER_REQUESTS_PER_APPLICATION),
        RoleVolume("officer", TRAINING_PARTICIPANTS_PER_YEAR * OFFICER_REQUESTS_PER_PARTICIPANT),
        RoleVolume("public", public),
    ]


def working_hours_per_year() -> int:
    return WORKING_DAYS * HOURS_PER_DAY


def peak_hour_requests_per_second() -> float:
    """The national peak hour's request rate, all roles together."""
    total = sum(volume.requests_per_year for volume in yearly_requests())
    return total / working_hours_per_year() * PEAK_HOUR_FACTOR / 3600


def role_shares() -> dict[str, float]:
    """Each role's share of all requests (sums to 1)."""
    volumes = yearly_requests()
    total = sum(volume.requests_per_year for volume in volumes)
    return {volume.role: volume.requests_per_year / total for volume in volumes}


# Within a role, each task's weight is its share of that role's tasks; a task is one page, or a form's GET and
# POST (two requests), or for the dossier a person edit (2) or a facility added and deleted (4): 3 on average.
OWNER_TASKS = {"home": 20, "case_page": 40, "dossier_edit": 8, "submit": 3}
REVIEWER_TASKS = {"queue": 4, "case_page": 2, "transition": 3}  # a transition: its case page GET and the POST
OFFICER_TASKS = {"attendance": 1, "follow_ups": 3}  # attendance: the sheet GET and the save POST
PUBLIC_TASKS = {"verify_api": 10, "verify_page": 10, "catalogue": 10, "fee_quote": 3}
REQUESTS_PER_TASK = {
    "owner": {"home": 1, "case_page": 1, "dossier_edit": 3, "submit": 2},
    "reviewer": {"queue": 1, "case_page": 1, "transition": 2},
    "officer": {"attendance": 2, "follow_ups": 1},
    "public": {"verify_api": 1, "verify_page": 1, "catalogue": 1, "fee_quote": 1},
}
TASKS = {"owner": OWNER_TASKS, "reviewer": REVIEWER_TASKS, "officer": OFFICER_TASKS, "public": PUBLIC_TASKS}


def requests_per_task(role: str) -> float:
    """The mean number of HTTP requests one task of `role` makes."""
    tasks = TASKS[role]
    return sum(weight * REQUESTS_PER_TASK[role][name] for name, weight in tasks.items()) / sum(tasks.values())


def user_weights(scale: int = 100) -> dict[str, int]:
    """Integer Locust user weights: every user waits the same between tasks, so a role's request share is its
    user weight times its requests per task; each role gets at least 1 user, so each one is exercised."""
    raw = {role: share / requests_per_task(role) for role, share in role_shares().items()}
    total = sum(raw.values())
    return {role: max(1, round(value / total * scale)) for role, value in raw.items()}


def model_summary() -> str:
    """One line for the report: the derivation's result."""
    shares = ", ".join(f"{role} {share:.0%}" for role, share in role_shares().items())
    return (
        f"national peak hour ~{peak_hour_requests_per_second():.0f} req/s "
        f"({sum(v.requests_per_year for v in yearly_requests()) / 1e6:.0f} M requests/year in "
        f"{working_hours_per_year():,} working hours, x{PEAK_HOUR_FACTOR:g} at the peak; {shares})"
    )
