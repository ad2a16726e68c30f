"""Shared test fixtures: a small cast of actors, API clients, Celery mode, a real browser.

The cast (STYLE.md): alice and bob own businesses (bob is the "other owner" alice must never see), pat is a
halal process assistant, rina a reviewer, oscar a task-force officer, ayu an administrator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from core.access import roles
from core.models import User
from halalmsi.celery import app as celery_app

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "correct-horse-battery-staple"


# --- Skips are failures in CI -------------------------------------------------------------------------------
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; every test must run in CI.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Outside CI, tests that need PostgreSQL, Redis or Chromium are skipped when those are absent."""
    on_postgres = "postgres" in os.environ.get("DATABASE_URL", "")
    has_redis = bool(os.environ.get("REDIS_URL"))
    has_browser = Path(CHROMIUM).exists()
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis and a worker (set REDIS_URL)"))
        if "browser" in item.keywords and not has_browser:
            item.add_marker(pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}"))


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- Celery: eager by default; tests marked `redis` use the real broker and a real worker ----------------------
@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest) -> Iterator[None]:
    eager = "redis" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = previous


def pytest_configure(config: pytest.Config) -> None:
    """Each test process gets its own cache key prefix: with Redis the cache is shared by xdist workers and holds
    the Celery broker's keys too, so tests must never flush the whole database (see `_fresh_cache`)."""

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{worker}-{os.getpid()}"


def clear_test_cache() -> None:
    from bench.support import clear_own_cache
    from core.access.throttling import answers, leases

    leases.clear()  # units a throttle took from the cache belong with it
    answers.clear()  # and so do the answers this process holds
    clear_own_cache()  # this process's keys only: never the whole (shared) Redis database


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and cached pages live in the cache; every test starts with an empty one (its own keys only)."""
    clear_test_cache()
    yield
    clear_test_cache()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request answered in English leaves English active in this thread; every test starts in the site's language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- Reference data from data migrations, restored after a transactional test flushed every table ------------------
PROJECT_APPS = ("core", "fees", "applicants", "training", "certification", "reports")


def reseed_reference_data() -> None:
    """Re-run every data migration (RunPython) of the project's apps, in migration order.

    Transactional tests (browser, concurrency, real worker) end with a flush that empties every table, including the
    rows data migrations created (roles, regions, fee schedules, beat schedules). Data migrations are idempotent
    (get_or_create), so running them again restores exactly what `migrate` made.
    """
    from types import SimpleNamespace

    from django.apps import apps as global_apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for app in PROJECT_APPS:
        for leaf in loader.graph.leaf_nodes(app):
            plan.extend(node for node in loader.graph.forwards_plan(leaf) if node not in plan)
    editor = SimpleNamespace(connection=connection)
    for node in plan:
        if node[0] not in PROJECT_APPS:
            continue
        for operation in loader.graph.nodes[node].operations:
            if isinstance(operation, RunPython):
                operation.code(global_apps, editor)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    db_fixtures = {"db", "transactional_db", "live_server", "django_db_reset_sequences"} & set(request.fixturenames)
    if marker is None and not db_fixtures:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & db_fixtures
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not Group.objects.filter(name=roles.OWNER).exists():
        reseed_reference_data()


# --- Actors ------------------------------------------------------------------------------------------------------
@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(email: str, *role_names: str, full_name: str = "", **extra: Any) -> User:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name, **extra)
        if role_names:
            user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in role_names))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user("alice@example.test", roles.OWNER, full_name="Alice Wulandari")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user("bob@example.test", roles.OWNER, full_name="Bob Saputra")


def works_for(user: User, *codes: str) -> User:
    """Give a staff member a jurisdiction (region codes: a province covers its regencies and cities)."""
    from applicants.models import Region, StaffRegion

    for code in codes:
        StaffRegion.objects.create(user=user, region=Region.objects.get(code=code))
    return user


def national(user: User) -> User:
    """Lift a staff member's jurisdiction: they see every region (the "national" group)."""
    user.groups.add(Group.objects.get(name=roles.NATIONAL))
    user.__dict__.pop("_role_cache", None)
    return user


# pat, rina and oscar work for Lampung (province 18), where every test's businesses are; ayu (admin) is national.
@pytest.fixture
def pat(make_user: Callable[..., User]) -> User:
    return works_for(make_user("pat@example.test", roles.PPH, full_name="Pat Hidayat"), "18")


@pytest.fixture
def rina(make_user: Callable[..., User]) -> User:
    return works_for(make_user("rina@example.test", roles.REVIEWER, full_name="Rina Kusuma"), "18")


@pytest.fixture
def oscar(make_user: Callable[..., User]) -> User:
    return works_for(make_user("oscar@example.test", roles.OFFICER, full_name="Oscar Pratama"), "18")


@pytest.fixture
def ayu(make_user: Callable[..., User]) -> User:
    return make_user("ayu@example.test", roles.ADMIN, full_name="Ayu Maharani", is_staff=True)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client: APIClient) -> Callable[[User | None], APIClient]:
    """`api_as(alice)` returns a fresh API client authenticated as alice (None: anonymous)."""

    def login(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return login


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- A real browser (Debian Chromium driven by Playwright) --------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser tab (Indonesian locale, phone-sized unless a test resizes it); failures leave a screenshot."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1024, "height": 800})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


# --- A real Celery worker process, consuming a private queue on the real Redis broker ------------------------------
@pytest.fixture
def real_worker(transactional_db: None) -> Iterator[str]:
    """Start `celery worker` as a separate process on the test database; yields the queue to send tasks to.

    Tests using it are marked `redis` (so Celery is not eager) and use `transactional_db`, because the worker reads
    rows through its own connection and sees only committed data.
    """
    import subprocess
    import sys
    import uuid

    from django.conf import settings

    db = settings.DATABASES["default"]
    assert db["ENGINE"].endswith("postgresql"), "a real worker needs the PostgreSQL test database"
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "halalmsi.settings"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "halalmsi", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        from core.tasks import ping

        assert ping.apply_async(args=["ready"], queue=queue).get(timeout=60) == "ready"
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
