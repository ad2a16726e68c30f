"""Factories for training tests (businesses are built directly from applicants' models)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import factory
from django.contrib.auth.models import Group

from applicants.models import Business, Region
from core.access import roles
from core.models import User
from training.models import Enrollment, FollowUp, Program

_nib = itertools.count(1)


def bandar_lampung() -> Region:
    """The city from applicants' region migration (re-created when a transactional test flushed it)."""
    province, _ = Region.objects.get_or_create(code="18", defaults={"name": "Lampung", "kind": "province"})
    city, _ = Region.objects.get_or_create(
        code="1871", defaults={"name": "Kota Bandar Lampung", "kind": "city", "parent": province}
    )
    return city


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"owner{n}@factory.test")
    full_name = factory.Sequence(lambda n: f"Owner {n}")

    @factory.post_generation
    def owner_role(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.groups.add(*Group.objects.filter(name=roles.OWNER))


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    owner = factory.SubFactory(OwnerFactory)
    name = factory.Sequence(lambda n: f"UMKM Test {n:04d}")
    nib = factory.LazyFunction(lambda: f"{9100000000000 + next(_nib)}")
    address = "Jl. Test 1, Bandar Lampung"
    region = factory.LazyFunction(bandar_lampung)
    kbli = "10794"
    production_started = date(2019, 1, 1)
    workforce = 3


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Pelatihan {n}")  # a name people read on Indonesian pages
    topic = Program.Topic.PRODUCTION_TOOLS
    organiser = "Dinas Perindustrian Provinsi Lampung"
    region = factory.LazyFunction(lambda: Region.objects.get(code="18"))  # Lampung, where oscar works
    start_date = date(2026, 1, 5)
    end_date = date(2026, 1, 7)
    venue = "Bandar Lampung"
    capacity = 50
    follow_up_window_days = 30
    follow_up_due_on = factory.LazyAttribute(lambda o: o.end_date + timedelta(days=o.follow_up_window_days))
    responsible_officer = None  # pass an officer
    created_by = factory.LazyAttribute(lambda o: o.responsible_officer)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    program = factory.SubFactory(ProgramFactory)
    business = factory.SubFactory(BusinessFactory)
    attended = True
    enrolled_by = factory.LazyAttribute(lambda o: o.program.responsible_officer)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = FollowUp.Kind.MENTORING
    planned_on = date(2026, 1, 20)
    done_on = None
    responsible_officer = factory.LazyAttribute(lambda o: o.enrollment.program.responsible_officer)
    created_by = factory.LazyAttribute(lambda o: o.responsible_officer)


def program_with(
    officer: User, *, attended: int = 2, covered: int = 0, end: date = date(2026, 1, 7), **fields: Any
) -> Program:
    """A program with `attended` attended participants, `covered` of them with a completed follow-up."""
    program = ProgramFactory(responsible_officer=officer, end_date=end, start_date=end - timedelta(days=2), **fields)
    for index in range(attended):
        enrollment = EnrollmentFactory(program=program)
        if index < covered:
            FollowUpFactory(enrollment=enrollment, done_on=end + timedelta(days=5))
    return program
