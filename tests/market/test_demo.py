"""The market-access demo: catalogue entries and facilitation cases, loaded once however often it runs."""

from __future__ import annotations

from typing import Any

import pytest

from applicants.models.listings import ProductListing
from reports import demo
from tests.certification import factories as cf
from tests.training.factories import EnrollmentFactory, ProgramFactory
from training.models import Program
from training.models.facilitation import FacilitationCase

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_certified_products_and_opens_facilitation_cases_once(cast: cf.Cast, oscar: Any) -> None:
    application = cf.issued(cast, products=2)
    program = ProgramFactory(responsible_officer=oscar, topic=Program.Topic.BPOM_REGISTRATION)
    EnrollmentFactory(program=program, business=application.business)
    users = {"officer@demo.test": oscar}
    assert demo.load(users=users) == "2 catalogue entries, 1 BPOM facilitation cases"
    assert demo.load(users=users) == "0 catalogue entries, 0 BPOM facilitation cases"
    assert ProductListing.objects.filter(published=True, thumbnail__gt="").count() == 2
    assert FacilitationCase.objects.get().state == "registered"
