"""The mixed-load case's own logic: the national mix's arithmetic, reading Locust's stats CSV, picking the sustained
step, and reading forms the way the load generator does. No load is run here (no timings are asserted); the CSV
fixtures were written by real runs of `python -m bench --only mixed_load` (u4, u12: quick; u5, u10: 200,000
applications on a busy machine, where the 10-user step missed p95)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from bench import load_mix
from bench.cases.mixed_load import Step, best_sustained, failures_of, heaviest, parse_stats, past_the_knee
from bench.html_forms import find_form, forms_of

FIXTURES = Path(__file__).parent / "fixtures_mixed"
LOCUSTFILE = Path(load_mix.__file__).parent / "locustfile.py"


def test_role_shares_come_from_the_yearly_volumes_and_sum_to_one() -> None:
    volumes = {volume.role: volume.requests_per_year for volume in load_mix.yearly_requests()}
    assert volumes["owner"] == 1_500_000 * 45
    assert volumes["reviewer"] == 1_500_000 * 12
    assert volumes["officer"] == 200_000 * 5
    assert volumes["public"] == 5_000_000 * 4 + 10_000_000 + 1_500_000 * 2
    shares = load_mix.role_shares()
    assert sum(shares.values()) == pytest.approx(1)
    assert shares["owner"] == pytest.approx(volumes["owner"] / sum(volumes.values()))


def test_peak_hour_rate_is_the_yearly_total_over_working_hours_times_the_peak_factor() -> None:
    total = sum(volume.requests_per_year for volume in load_mix.yearly_requests())
    assert load_mix.working_hours_per_year() == 245 * 8
    assert load_mix.peak_hour_requests_per_second() == pytest.approx(total / 1960 * 3 / 3600)
    assert 40 < load_mix.peak_hour_requests_per_second() < 60  # ~51 req/s with the figures in the docstring
    assert "~51 req/s" in load_mix.model_summary()


def test_task_weights_give_each_role_the_requests_per_application_of_the_derivation() -> None:
    def requests(role: str) -> float:
        tasks = load_mix.TASKS[role]
        return sum(weight * load_mix.REQUESTS_PER_TASK[role][name] for name, weight in tasks.items())

    # The owner's tasks are twice the per-application figures (1.5 submits made whole); the others are 1:1.
    assert requests("owner") == 2 * load_mix.OWNER_REQUESTS_PER_APPLICATION
    assert requests("reviewer") == load_mix.REVIEWER_REQUESTS_PER_APPLICATION
    assert requests("officer") == load_mix.OFFICER_REQUESTS_PER_PARTICIPANT
    public = load_mix.PUBLIC_TASKS
    assert public["verify_api"] == public["verify_page"]  # verifications: half JSON, half the QR page
    assert public["verify_api"] + public["verify_page"] == 2 * public["catalogue"]  # 20 M verifications, 10 M views
    assert load_mix.requests_per_task("public") == 1


def test_user_weights_times_requests_per_task_follow_the_role_shares() -> None:
    weights = load_mix.user_weights()
    shares = load_mix.role_shares()
    produced = {role: weights[role] * load_mix.requests_per_task(role) for role in weights}
    total = sum(produced.values())
    for role in ("owner", "reviewer", "public"):  # large enough that rounding to whole users does not matter
        assert produced[role] / total == pytest.approx(shares[role], rel=0.05)
    assert min(weights.values()) >= 1


def test_every_locust_task_is_named_after_its_weight_in_the_mix() -> None:
    """@task(load_mix.OWNER_TASKS["home"]) decorates `home`, and every weighted task exists (read from the source:
    importing Locust in a test process would monkey-patch it with gevent)."""
    tree = ast.parse(LOCUSTFILE.read_text())
    found: dict[str, set[str]] = {}
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        for method in (node for node in cls.body if isinstance(node, ast.FunctionDef)):
            for decorator in method.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "task":
                    key = decorator.args[0]
                    assert isinstance(key, ast.Subscript)
                    assert isinstance(key.slice, ast.Constant)
                    assert key.slice.value == method.name
                    table = key.value.attr  # type: ignore[attr-defined]
                    found.setdefault(table, set()).add(method.name)
    assert found == {
        "OWNER_TASKS": set(load_mix.OWNER_TASKS),
        "REVIEWER_TASKS": set(load_mix.REVIEWER_TASKS),
        "OFFICER_TASKS": set(load_mix.OFFICER_TASKS),
        "PUBLIC_TASKS": set(load_mix.PUBLIC_TASKS),
    }


def test_stats_csv_gives_the_aggregated_row_and_requests_per_role() -> None:
    step = parse_stats(FIXTURES / "u12_stats.csv", users=12)
    assert step.users == 12
    assert step.requests == 44 and step.failures == 0
    assert step.rps == pytest.approx(15.013320126231088)
    assert (step.p50, step.p95, step.p99) == (45.0, 230.0, 310.0)
    assert step.per_role == {"owner": 26, "reviewer": 7, "officer": 0, "public": 11}
    assert sum(step.per_role.values()) == step.requests
    assert step.sustained


def test_stats_csv_without_an_aggregated_row_is_refused(tmp_path: Path) -> None:
    lines = (FIXTURES / "u12_stats.csv").read_text().splitlines()
    broken = tmp_path / "broken_stats.csv"
    broken.write_text("\n".join(line for line in lines if ",Aggregated," not in line))
    with pytest.raises(ValueError, match="No Aggregated row"):
        parse_stats(broken)


def test_sustained_rate_is_the_fastest_step_that_held_p95_and_the_failure_limit() -> None:
    low = parse_stats(FIXTURES / "u4_stats.csv", users=4)
    high = parse_stats(FIXTURES / "u12_stats.csv", users=12)
    slow = parse_stats(FIXTURES / "u10_stats.csv", users=10)
    assert (slow.rps, slow.p95, slow.requests, slow.failures) == (pytest.approx(11.488487237308911), 340.0, 276, 0)
    failing = Step(users=30, rps=55.0, p50=90.0, p95=250.0, p99=400.0, requests=1000, failures=20)  # 2 % failed
    medium = parse_stats(FIXTURES / "u5_stats.csv", users=5)
    assert low.rps < high.rps
    assert medium.sustained and medium.rps < slow.rps  # the faster step of that run missed p95: it does not count
    assert best_sustained([medium, slow]) is medium
    assert not slow.sustained and not failing.sustained
    assert best_sustained([low, high, failing, slow]) is high
    assert best_sustained([slow, failing]) is None
    assert best_sustained([]) is None


def test_heaviest_requests_are_those_with_most_server_time() -> None:
    # u10: owner case page 75 x 61 ms, the largest count x mean; then the officers' participants page (11 x 302 ms).
    text = heaviest(FIXTURES / "u10_stats.csv")
    names = [part.rsplit(" ", 1)[0] for part in text.split(", ")]
    assert names[:2] == ["owner: case page", "officer: participants lacking follow-up"]
    assert len(names) == 3
    assert all(part.endswith("%") for part in text.split(", "))


def test_stepping_stops_after_two_missed_steps_in_a_row_or_one_far_past_the_limit() -> None:
    held = Step(users=5, rps=5.0, p50=30.0, p95=200.0, p99=300.0, requests=100, failures=0)
    missed = Step(users=10, rps=10.0, p50=30.0, p95=340.0, p99=500.0, requests=200, failures=0)
    far = Step(users=20, rps=12.0, p50=300.0, p95=1200.0, p99=2000.0, requests=250, failures=0)
    assert not past_the_knee([])
    assert not past_the_knee([held])
    assert not past_the_knee([held, missed])  # one miss may be a neighbour's burst on a shared machine
    assert past_the_knee([held, missed, missed])
    assert not past_the_knee([missed, held])
    assert past_the_knee([held, far])


def test_failures_are_listed_most_frequent_first(tmp_path: Path) -> None:
    path = tmp_path / "u8_failures.csv"
    path.write_text(
        "Method,Name,Error,Occurrences\n"
        "POST,owner: submit,CatchResponseError('200 on POST'),2\n"
        "GET,reviewer: queue,CatchResponseError('500 on GET'),7\n"
    )
    assert failures_of(path).startswith("reviewer: queue: CatchResponseError('500 on GET') x7; owner: submit")
    assert failures_of(tmp_path / "missing.csv") == ""


PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t0"></form>
<form method="post" class="card"><input type="hidden" name="csrfmiddlewaretoken" value="t1">
  <select name="kind"><option value="" selected>---------</option><option value="outlet">Outlet</option>
    <option value="warehouse">Warehouse</option></select>
  <select name="region"><option value="7">A</option><option value="9" selected>B</option></select>
  <input type="text" name="name" value="Toko &amp; Gudang"><textarea name="address">Jl. 1</textarea>
  <input type="checkbox" name="present" value="3" checked><input type="checkbox" name="present2" value="4">
  <input type="file" name="photo"><button type="submit">Save</button>
</form>
<form method="post" action="/applications/5/act/"><input type="hidden" name="action" value="return"></form>
"""


def test_forms_are_read_as_a_browser_would_send_them() -> None:
    forms = forms_of(PAGE)
    assert [form["action"] for form in forms] == ["/accounts/logout/", "", "/applications/5/act/"]
    fields = forms[1]["fields"]
    assert fields == {
        "csrfmiddlewaretoken": "t1",
        "kind": "",
        "region": "9",
        "name": "Toko & Gudang",
        "address": "Jl. 1",
        "present": "3",
    }
    assert forms[1]["options"] == {"kind": ["outlet", "warehouse"], "region": ["7", "9"]}


def test_find_form_by_field_name_by_field_value_and_by_action() -> None:
    assert find_form(PAGE, has="address")["fields"]["csrfmiddlewaretoken"] == "t1"  # type: ignore[index]
    assert find_form(PAGE, field=("action", "return"))["action"] == "/applications/5/act/"  # type: ignore[index]
    assert find_form(PAGE, action="/logout/")["fields"] == {"csrfmiddlewaretoken": "t0"}  # type: ignore[index]
    assert find_form(PAGE, field=("action", "resubmit")) is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_preparation_gives_owners_complete_applications_and_every_role_a_session(tmp_path: Path, settings: Any) -> None:
    """The owner pool: regular applications in verification (or returned from it), one per owner, that pass the
    submit checks once the case has uploaded the lacking documents; sessions that Django recognises."""
    import json
    from io import StringIO

    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    from bench.cases.mixed_load import prepare
    from bench.seeding.management.commands.seed_bulk import Command as SeedBulk
    from bench.support import QUICK, Context
    from certification import selectors
    from certification.models import Application
    from certification.readiness import check_complete

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command(SeedBulk(), businesses=300, applications=1500, programs=10, enrollments=100, seed=3, stdout=StringIO())
    ctx = Context(quick=True, sizes=QUICK, seconds=3, out=tmp_path)
    path, data = prepare(ctx, tmp_path / "mixed_load")

    assert json.loads(path.read_text()) == data
    assert 0 < len(data["owners"]) <= 6
    pool = Application.objects.filter(pk__in=[owner["application"] for owner in data["owners"]])
    assert len({a.business.owner_id for a in pool}) == len(data["owners"])
    today = selectors.cal.today()
    for application in pool:
        assert application.pathway == "regular"
        assert application.state == "verification" or application.returned_from == "verification"
        check_complete(application, today)  # raises when the dossier is not complete
    cookies = [owner["cookie"] for owner in data["owners"]] + data["reviewers"] + data["officers"]
    keys = [cookie.partition("=")[2] for cookie in cookies]
    assert Session.objects.filter(session_key__in=keys).count() == len(keys)
    assert data["open_cases"] and data["programs"] and data["certificates"]
    # A second preparation reuses the documents it uploaded: nothing more to upload.
    documents = sum(a.documents.count() for a in pool)
    prepare(ctx, tmp_path / "mixed_load")
    assert sum(a.documents.count() for a in pool) == documents
