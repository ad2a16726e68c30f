"""A small, varied dataset for the dashboard: businesses in two regencies, applications in many states, trainings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import factory
from django.utils import timezone

from applicants.models import AnnualFigures, Business, Region
from certification.models import Application, ApplicationEvent, Certificate, SehatiQuota
from tests.training.factories import BusinessFactory, EnrollmentFactory, FollowUpFactory, ProgramFactory

TODAY = timezone.localdate()
YEAR = TODAY.year


def regency(code: str) -> Region:
    return Region.objects.get(code=code)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    business = factory.SubFactory(BusinessFactory)
    pathway = "self_declare"
    state = "submitted"
    created_by = factory.LazyAttribute(lambda o: o.business.owner)


def application(business: Business, *, state: str, pathway: str, created: dt.date, **fields: Any) -> Application:
    app = ApplicationFactory(business=business, state=state, pathway=pathway, **fields)
    Application.objects.filter(pk=app.pk).update(created_at=aware(created))
    return app


def issue(app: Application, on: dt.date) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=app, from_state="issuance", to_state="issued", action="issue", actor=app.created_by
    )
    ApplicationEvent.objects.filter(pk=event.pk).update(created_at=aware(on))
    business = app.business
    Certificate.objects.create(
        application=app,
        number=f"ID{business.region.code[:2]}11{app.pk:09d}{on:%m%y}",
        token=f"token-{app.pk}",
        issued_at=aware(on),
        business_name=business.name,
        business_address=business.address,
        nib=business.nib,
        region_name=business.region.name,
        region_code=business.region.code,
        sector=business.sector,
        fatwa_number=f"KF-{app.pk}",
        fatwa_date=on,
        pathway=app.pathway,
    )
    return event


def figures(business: Business, *rows: tuple[int, int, int, int]) -> None:
    """rows: (year, annual sales, operating expenses, workforce)."""
    for year, sales, expenses, workforce in rows:
        AnnualFigures.objects.create(
            business=business, year=year, annual_sales=sales, operating_expenses=expenses, workforce=workforce
        )


@dataclass
class Dataset:
    businesses: list[Business] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    programs: list[Any] = field(default_factory=list)


def build(officer: Any, *, copies: int = 1) -> Dataset:
    """`copies` repeats the same pattern (for query-count tests with more rows)."""
    data = Dataset()
    jan = dt.date(YEAR, 1, 15)
    earlier = min(TODAY, dt.date(YEAR, 2, 10))
    SehatiQuota.objects.get_or_create(year=YEAR, region=None, defaults={"places": 100, "used": 7})
    SehatiQuota.objects.get_or_create(year=YEAR, region=regency("1801"), defaults={"places": 20, "used": 5})
    for _copy in range(copies):
        city = [BusinessFactory(region=regency("1871"), sector=s) for s in ("snacks", "snacks", "bakery")]
        south = [BusinessFactory(region=regency("1801"), sector=s) for s in ("beverages", "snacks")]
        data.businesses += city + south
        # Figures: two graduate (workforce 3 -> 6) in YEAR - 1, others stay micro.
        figures(city[0], (YEAR - 2, 300_000_000, 200_000_000, 3), (YEAR - 1, 400_000_000, 250_000_000, 6))
        figures(city[1], (YEAR - 2, 150_000_000, 140_000_000, 2), (YEAR - 1, 160_000_000, 150_000_000, 2))
        figures(city[2], (YEAR - 1, 900_000_000, 600_000_000, 4))
        figures(south[0], (YEAR - 2, 100_000_000, 50_000_000, 3), (YEAR - 1, 120_000_000, 60_000_000, 7))
        figures(south[1], (YEAR - 1, 50_000_000, 60_000_000, 1))
        issued_city = application(city[0], state="issued", pathway="self_declare", created=jan)
        issue(issued_city, earlier)
        issued_south = application(south[0], state="issued", pathway="regular", created=jan)
        issue(issued_south, earlier)
        data.applications += [
            issued_city,
            issued_south,
            application(
                city[1], state="verification", pathway="self_declare", created=jan, due_on=TODAY - dt.timedelta(days=3)
            ),
            application(city[2], state="submitted", pathway="regular", created=earlier),
            application(
                south[1], state="lph_examination", pathway="regular", created=jan, due_on=TODAY - dt.timedelta(days=1)
            ),
            application(south[1], state="rejected", pathway="self_declare", created=dt.date(YEAR - 1, 6, 1)),
        ]
        # Training: city[0] and south[0] trained; a program ending in January, one follow-up done of two attended.
        program = ProgramFactory(
            responsible_officer=officer, start_date=dt.date(YEAR, 1, 5), end_date=dt.date(YEAR, 1, 7)
        )
        done = EnrollmentFactory(program=program, business=city[0], attended=True)
        FollowUpFactory(enrollment=done, done_on=dt.date(YEAR, 1, 20))
        EnrollmentFactory(program=program, business=south[0], attended=True)
        EnrollmentFactory(program=program, business=city[1], attended=False)
        data.programs.append(program)
    return data
