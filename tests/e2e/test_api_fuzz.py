"""Schemathesis against /api/schema/, in-process through the WSGI app and the test database.

For an anonymous caller, an owner (owner A, whose objects the path parameters point at) and a reviewer, every API
operation is fed schema-generated input (valid and invalid), bounded and derandomised so CI stays fast and repeatable.
Every answer must be no 5xx, have a status code and content type the schema documents, and a body matching the
documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken as Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.models import User
from tests.e2e.world import World, build_world

MAX_EXAMPLES = 8  # per operation, per generation mode, per actor
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User) -> World:
    return build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)


def path_parameters_for(path: str, world: World) -> dict[str, Any]:
    """Point path parameters at owner A's objects, so generated bodies reach real objects, not just 404."""
    values = _object_ids(path.replace("{id}", "{pk}"), world)
    if "{id}" in path and "pk" in values:  # drf-spectacular names a model view's `pk` `id`
        values["id"] = values.pop("pk")
    return values


def _object_ids(path: str, world: World) -> dict[str, Any]:
    if path.startswith("/api/v1/trainings/"):
        return {"pk": world.program.pk}
    if path.startswith("/api/v1/applications/"):
        return {"pk": world.application.pk}
    if path.startswith("/api/v1/businesses/{business_pk}/"):
        child = {
            "products": world.product.pk,
            "documents": world.document.pk,
        }
        values: dict[str, Any] = {"business_pk": world.business.pk}
        for segment, pk in child.items():
            if f"/{segment}/{{pk}}/" in path:
                values["pk"] = pk
        if "{year}" in path:
            values["year"] = world.figures.year
        if "{product_pk}" in path:
            values["product_pk"] = world.product.pk
            values.pop("pk", None)  # a permit id: none exists, generated ids answer 404
        return values
    if path.startswith("/api/v1/businesses/{pk}/"):
        return {"pk": world.business.pk}
    return {}


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI app sends request_started/finished, which close the database connection; inside a test that would
    end the test's transaction (PostgreSQL). Django's own test client disconnects the same receiver."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz(actor: User | None, world: World) -> dict[str, str]:
    """Run every operation; return {operation: first failure} (an empty dict is a pass)."""
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    headers = {}
    if actor is not None:
        headers["Authorization"] = f"Token {Token.objects.create(user=actor)[1]}"
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        params = path_parameters_for(operation.path, world)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=params or None)

            @given(case=strategy)
            @settings(
                max_examples=MAX_EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid (e.g. no parameters but the fixed path): no negative case exists
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported per operation
                failures[f"{label} [{mode.value}]"] = str(error)[:1500]
    return failures


@pytest.mark.parametrize("who", ["anonymous", "owner", "reviewer"])
def test_the_api_answers_every_generated_request_as_its_schema_documents(
    who: str, world: World, alice: User, rina: User
) -> None:
    actor = {"anonymous": None, "owner": alice, "reviewer": rina}[who]
    failures = fuzz(actor, world)
    assert not failures, "\n\n".join(f"{op}:\n{text}" for op, text in failures.items())
