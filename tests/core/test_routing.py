"""Reads that may lag go to the replica; a person's reads right after a write stay on the primary (core/routing.py).

A second connection named `replica` (the same test database, as Django's test MIRROR does) lets each test see which
connection served which query. The real streaming replica behind PgBouncer is exercised by scripts/topology_test.sh.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import routing
from core.models import User

pytestmark = pytest.mark.postgres
BOTH = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module")
def replica_alias(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The alias exists before each test's database fixture (which checks the aliases it is given)."""
    replica = copy.deepcopy(connections.settings["default"])
    connections.settings["replica"] = replica
    django_settings.DATABASES["replica"] = replica
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connections["replica"].close()
        with contextlib.suppress(KeyError, AttributeError):
            del connections["replica"]
        connections.settings.pop("replica", None)
        django_settings.DATABASES.pop("replica", None)


@pytest.fixture
def with_replica(replica_alias: None) -> Iterator[None]:
    yield
    connections.settings["replica"].pop("TRANSACTION_POOLED", None)


class Served:
    def __init__(self) -> None:
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])

    def __enter__(self) -> Served:
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def test_without_a_replica_everything_reads_the_primary(db: None) -> None:
    assert not routing.replica_configured()
    with routing.replica_reads() as alias:
        assert alias == "default"
    assert routing.PrimaryReplicaRouter().db_for_read(User) is None


@BOTH
def test_public_verification_and_the_catalogue_read_the_replica(with_replica: None) -> None:
    client = Client()
    for url in (reverse("certification:verify", args=["no-such-token"]), reverse("certification:catalogue")):
        with Served() as served:
            response = client.get(url)
        assert response.status_code in (200, 404), url
        assert len(served.replica.captured_queries) >= 1, url
        assert "primary_until" not in response.cookies


@BOTH
def test_pages_not_listed_and_writes_stay_on_the_primary(with_replica: None, alice: User) -> None:
    client = Client()
    client.force_login(alice)
    with Served() as served:
        assert client.get(reverse("home")).status_code == 200
    assert served.replica.captured_queries == [] and served.primary.captured_queries


@BOTH
def test_after_a_write_the_same_browser_reads_the_primary_for_a_while(with_replica: None, ayu: User) -> None:
    client = Client()
    client.force_login(ayu)
    dashboard = reverse("dashboard:index")
    with Served() as served:
        assert client.get(dashboard).status_code == 200
    assert served.replica.captured_queries  # lag-tolerant: the replica

    response = client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert response.status_code == 302
    until = float(response.cookies["primary_until"].value)
    assert response.cookies["primary_until"]["max-age"] == django_settings.REPLICA_PIN_SECONDS
    assert until > 0
    with Served() as served:
        assert client.get(dashboard).status_code == 200
    assert served.replica.captured_queries == []  # pinned: the primary sees what the person just did

    client.cookies["primary_until"] = "0"  # the pin ran out
    with Served() as served:
        assert client.get(dashboard).status_code == 200
    assert served.replica.captured_queries


@BOTH
def test_a_write_inside_a_lag_tolerant_context_moves_later_reads_to_the_primary(with_replica: None) -> None:
    with routing.replica_reads():
        assert routing.read_alias() == "replica"
        User.objects.create(email="new@example.test")
        assert routing.read_alias() == "default"
        assert User.objects.filter(email="new@example.test").exists()


@BOTH
def test_a_streamed_export_reads_the_replica_while_it_streams(with_replica: None, ayu: User) -> None:
    client = Client()
    client.force_login(ayu)
    response = client.get(reverse("dashboard:export-applications", args=["csv"]))
    assert response.status_code == 200 and response.streaming
    with Served() as served:
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith("\ufeff".encode())
    assert served.replica.captured_queries and not served.primary.captured_queries


@BOTH
def test_behind_a_transaction_pooler_streams_run_in_one_read_transaction(with_replica: None, ayu: User) -> None:
    connections.settings["replica"]["TRANSACTION_POOLED"] = True  # the same dict as settings.DATABASES["replica"]
    client = Client()
    client.force_login(ayu)
    response = client.get(reverse("dashboard:export-applications", args=["csv"]))
    with Served() as served:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    statements = [query["sql"] for query in served.replica.captured_queries]
    assert statements and not served.primary.captured_queries
    assert connections["replica"].in_atomic_block is False  # the transaction ended with the stream


def test_only_the_primary_is_migrated() -> None:
    router = routing.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "core") is True
    assert router.allow_migrate("replica", "core") is False
