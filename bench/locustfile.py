"""Mixed load for Locust: owners, reviewers, officers and the public in the national mix of bench/load_mix.py.

Run by bench/cases/mixed_load.py (headless, on 127.0.0.1, bounded in time); by hand:

    BENCH_LOCUST_DATA=bench/out/mixed_load/data.json locust -f bench/locustfile.py --headless \
        --host http://127.0.0.1:8765 -u 20 -r 20 -t 20s

The data file (written by the case) holds logged-in sessions and the objects each role works on: owners with their
business and an application prepared for submitting, reviewer and officer sessions, open cases, training programs,
certificate numbers and verification tokens. No Django here: the load generator only speaks HTTP.

The server runs with DEBUG off, so its session and CSRF cookies are `Secure`; the load generator says it came
through the TLS proxy (X-Forwarded-Proto: https, as nginx would) and keeps the cookies itself, sending them back
as a Cookie header (a cookie jar would not send Secure cookies over plain HTTP). Forms are real: GET the page,
read the form's fields and its csrfmiddlewaretoken, POST them back with a same-origin Referer. A POST answers a
redirect when it is accepted; a form shown again (200) is a failure.
"""

from __future__ import annotations

import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

from bench import load_mix
from bench.html_forms import find_form

DATA: dict[str, Any] = {}
if os.environ.get("BENCH_LOCUST_DATA"):
    with open(os.environ["BENCH_LOCUST_DATA"]) as handle:
        DATA = json.load(handle)

WAIT = between(0.5, 1.5)  # the same for every role, so request shares follow the user weights
WEIGHTS = load_mix.user_weights()
FEE_BODIES = [
    {"annual_sales": 350_000_000, "operating_expenses": 210_000_000},
    {"annual_sales": 90_000_000, "operating_expenses": 40_000_000},
    {"annual_sales": 1_800_000_000, "operating_expenses": 1_100_000_000},
]


class Browser(HttpUser):
    """A person with a session: keeps the cookies, fills forms with their CSRF token."""

    abstract = True
    wait_time = WAIT

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}

    def login(self, cookie: str) -> None:
        name, _, value = cookie.partition("=")
        self.cookies[name] = value

    def _headers(self, path: str) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "id"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Referer"] = "https://" + self.host.split("://", 1)[1].rstrip("/") + path
        return headers

    def _keep_cookies(self, response: Any) -> None:
        for name, value in response.cookies.items():
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)

    def get(self, path: str, name: str) -> Any:
        with self.client.get(path, headers=self._headers(path), name=name, catch_response=True) as response:
            self._keep_cookies(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code} on GET")
            return response

    def post_form(self, path: str, form: dict[str, Any], changes: dict[str, str], name: str) -> Any:
        """POST a form read from a page (with its CSRF token), with some fields changed; success is a redirect."""
        data = {**form["fields"], **changes}
        action = form["action"] or path
        with self.client.post(
            action, data=data, headers=self._headers(path), name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep_cookies(response)
            if response.status_code != 302:
                response.failure(f"{response.status_code} on POST (form refused?)")
            return response


class Owner(Browser):
    """A business owner: home page, case page, dossier edits (the person responsible's phone; a facility added and
    deleted again), submitting (resubmitting the returned application)."""

    weight = WEIGHTS["owner"]

    def on_start(self) -> None:
        super().on_start()
        self.me = random.choice(DATA["owners"])
        self.login(self.me["cookie"])

    @task(load_mix.OWNER_TASKS["home"])
    def home(self) -> None:
        self.get("/home/", "owner: home")

    @task(load_mix.OWNER_TASKS["case_page"])
    def case_page(self) -> None:
        self.get(f"/applications/{self.me['application']}/", "owner: case page")

    @task(load_mix.OWNER_TASKS["dossier_edit"])
    def dossier_edit(self) -> None:
        business = self.me["business"]
        if random.random() < 0.5:
            path = f"/business/{business}/people/responsible/"
            page = self.get(path, "owner: dossier form")
            form = find_form(page.text, has="phone")
            if form is None:
                return
            changes = {"phone": f"08{random.randrange(10**9, 10**10)}"}
            if not form["fields"].get("name"):
                changes["name"] = "Penanggung Jawab Bench"
            self.post_form(path, form, changes, "owner: dossier person save")
            return
        path = f"/business/{business}/facilities/new/"
        page = self.get(path, "owner: dossier form")
        form = find_form(page.text, has="address")
        if form is None:
            return
        changes = {
            "kind": random.choice(form["options"].get("kind") or [""]),
            "region": random.choice(form["options"].get("region") or [""]),
            "name": f"Gudang bench {random.randrange(10**6)}",
            "address": "Jl. Uji Beban 1",
        }
        saved = self.post_form(path, form, changes, "owner: dossier facility add")
        if saved.status_code != 302:
            return
        detail = self.get(f"/business/{business}/", "owner: business page")
        # The facility this user added (another user may be the same owner): the delete form after its name.
        mine = re.search(
            re.escape(changes["name"]) + rf".*?/business/{business}/facilities/(\d+)/delete/", detail.text, re.S
        )
        delete = find_form(detail.text, action=f"/facilities/{mine.group(1)}/delete/") if mine else None
        if delete is not None:
            self.post_form(delete["action"], delete, {}, "owner: dossier facility delete")

    @task(load_mix.OWNER_TASKS["submit"])
    def submit(self) -> None:
        path = f"/applications/{self.me['application']}/"
        page = self.get(path, "owner: case page")
        form = find_form(page.text, field=("action", "resubmit")) or find_form(page.text, field=("action", "submit"))
        if form is not None:  # else a reviewer has not returned it yet: the page view was the visit
            self.post_form(path, form, {}, "owner: submit")


class Reviewer(Browser):
    """Office staff: the case queue, case pages, and transitions (returning a prepared case to its owner with a
    reason; the owners resubmit it, so the cycle goes on for as long as the run)."""

    weight = WEIGHTS["reviewer"]

    def on_start(self) -> None:
        super().on_start()
        self.login(random.choice(DATA["reviewers"]))

    @task(load_mix.REVIEWER_TASKS["queue"])
    def queue(self) -> None:
        page = random.choice(["", "", "?page=2", "?overdue=on"])
        self.get(f"/cases/{page}", "reviewer: queue")

    @task(load_mix.REVIEWER_TASKS["case_page"])
    def case_page(self) -> None:
        self.get(f"/cases/{random.choice(DATA['open_cases'])}/", "reviewer: case page")

    @task(load_mix.REVIEWER_TASKS["transition"])
    def transition(self) -> None:
        application = random.choice(DATA["owners"])["application"]
        path = f"/cases/{application}/"
        page = self.get(path, "reviewer: case page")
        form = find_form(page.text, field=("action", "return"))
        if form is not None:  # else its owner has not resubmitted yet: the page view was the work
            reason = "Mohon lengkapi foto produk (uji beban)."
            self.post_form(path, form, {"reason": reason, "note": reason}, "reviewer: transition (return)")


class Officer(Browser):
    """Task-force officer: a program's attendance sheet (read and saved) and the follow-up lists."""

    # About 1 % of the requests: by weight, the first officer comes at about 50 users. The quick run asks for one
    # at any user count (BENCH_LOCUST_OFFICERS=1) so that CI exercises the officer's pages too.
    weight = WEIGHTS["officer"]
    fixed_count = int(os.environ.get("BENCH_LOCUST_OFFICERS", "0"))

    def on_start(self) -> None:
        super().on_start()
        self.login(random.choice(DATA["officers"]))

    @task(load_mix.OFFICER_TASKS["attendance"])
    def attendance(self) -> None:
        path = f"/trainings/{random.choice(DATA['programs'])}/attendance/"
        page = self.get(path, "officer: attendance sheet")
        form = find_form(page.text, has="day")
        if form is None:
            return
        listed = re.findall(r'name="listed" value="(\d+)"', page.text)
        data = {**form["fields"], "listed": listed, "present": [pk for pk in listed if random.random() < 0.8]}
        self.post_form(path, {"action": form["action"], "fields": data}, {}, "officer: attendance save")

    @task(load_mix.OFFICER_TASKS["follow_ups"])
    def follow_ups(self) -> None:
        if random.random() < 0.5:
            self.get("/trainings/overdue/", "officer: follow-ups due")
        else:
            self.get("/trainings/overdue/participants/", "officer: participants lacking follow-up")


class Public(Browser):
    """Anyone: certificate verification (JSON and the page the QR code opens), the catalogue, the fee quote."""

    weight = WEIGHTS["public"]

    @task(load_mix.PUBLIC_TASKS["verify_api"])
    def verify_api(self) -> None:
        number, _token = random.choice(DATA["certificates"])
        self.get(f"/api/v1/public/certificates/{number}/", "public: verify API")

    @task(load_mix.PUBLIC_TASKS["verify_page"])
    def verify_page(self) -> None:
        _number, token = random.choice(DATA["certificates"])
        self.get(f"/verify/{token}/", "public: verify page")

    @task(load_mix.PUBLIC_TASKS["catalogue"])
    def catalogue(self) -> None:
        self.get(random.choice(["/katalog/", "/katalog/?page=2", "/katalog/?q=keripik"]), "public: catalogue")

    @task(load_mix.PUBLIC_TASKS["fee_quote"])
    def fee_quote(self) -> None:
        with self.client.post(
            "/api/v1/fees/quote/",
            json=random.choice(FEE_BODIES),
            headers={"X-Forwarded-Proto": "https"},
            name="public: fee quote",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on fee quote")
