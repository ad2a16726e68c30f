"""Client addresses behind our reverse proxy (core/access/net.py, settings.TRUSTED_PROXIES).

One list of trusted proxy networks drives DRF's throttles, django-ratelimit, allauth's login limits, /metrics and the
audit trail. A client that writes its own X-Forwarded-For neither escapes a limit nor changes the address in the
audit trail, whether it comes through the proxy or straight to gunicorn; two clients behind the same proxy each get
their own budget.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from knox.models import AuthToken as Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from core.access.net import address_in, client_ip
from core.access.throttling import FixedWindowRateThrottle
from core.models import StaffAction, User
from tests.core.test_settings import run_python
from tests.e2e.world import World, build_world

PROXY = "172.30.200.10"  # compose's nginx, as the app sees it (REMOTE_ADDR)
PROXIES = ["172.30.200.10/32"]  # what compose sets


@pytest.fixture
def behind_one_proxy(settings: Any) -> None:
    """What compose's TRUSTED_PROXIES sets (halalmsi/settings.py), applied to a running test."""
    settings.TRUSTED_PROXIES = PROXIES


@pytest.fixture
def small_rates(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    rates = {"token": "2/min", "fee_quote": "2/min", "public_verify": "2/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: 6_030.0)  # mid-window: no reset mid-test
    settings.CERTIFICATE_VERIFY_RATE = "2/h"  # an hour-long window: no window boundary in the middle of a test


def via_proxy(client: str, forged: str = "") -> dict[str, str]:
    """The headers nginx passes on: whatever the client wrote, then the address nginx saw."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {client}" if forged else client}


def test_one_setting_of_networks_feeds_every_reader_and_a_count_is_refused() -> None:
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.TRUSTED_PROXIES, s.REST_FRAMEWORK['NUM_PROXIES'], s.RATELIMIT_IP_META_KEY]))"
    )
    for env, expected in [({}, []), ({"TRUSTED_PROXIES": "0"}, []), ({"TRUSTED_PROXIES": "172.30.200.10/32"}, PROXIES)]:
        result = run_python(probe, DJANGO_SETTINGS_MODULE="halalmsi.settings", **env)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1]) == [expected, None, "core.access.net.client_ip"]
    refused = run_python(probe, DJANGO_SETTINGS_MODULE="halalmsi.settings", TRUSTED_PROXIES="1")
    assert refused.returncode != 0 and "no longer their number" in refused.stderr
    from core.access.accounts import AccountAdapter

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert AccountAdapter().get_client_ip(request) == "203.0.113.7"  # allauth's limits read the same address


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        ([], {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "203.0.113.7"),
        (PROXIES, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}, "203.0.113.7"),
        (PROXIES, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
        (PROXIES, {"REMOTE_ADDR": PROXY}, PROXY),
        (PROXIES, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        # straight to gunicorn, past the proxy: the peer is not ours, so its header is ignored
        (PROXIES, {"REMOTE_ADDR": "172.30.0.7", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}, "172.30.0.7"),
        (PROXIES, {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "203.0.113.7"),
        # a load balancer in front of nginx: both networks trusted, the client is the first address neither wrote
        (
            [*PROXIES, "10.0.0.0/24"],
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 10.0.0.1"},
            "203.0.113.7",
        ),
        (PROXIES, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 10.0.0.1"}, "10.0.0.1"),
        (PROXIES, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, 2001:db8::1"}, "2001:db8::1"),
        (["::ffff:172.30.200.10/128"], {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, PROXY),
    ],
)
def test_the_client_is_the_entry_our_proxies_wrote_never_one_the_client_wrote(
    settings: Any, proxies: list[str], meta: dict[str, str], expected: str
) -> None:
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_networks_are_matched_by_address_family() -> None:
    assert address_in("172.30.4.2", ["172.30.0.0/16"]) and address_in("::1", ["127.0.0.1/32", "::1/128"])
    assert not address_in("203.0.113.7", ["172.30.0.0/16", "::1/128"])


@pytest.mark.parametrize("proxied", [False, True])
def test_a_forged_x_forwarded_for_does_not_escape_the_token_limit(
    small_rates: None, settings: Any, alice: User, proxied: bool
) -> None:
    if proxied:
        settings.TRUSTED_PROXIES = PROXIES
    client = APIClient()
    body = {"email": alice.email, "password": "wrong"}
    codes = []
    for n in range(4):
        forged = f"198.51.100.{n}"
        headers = via_proxy("203.0.113.7", forged) if proxied else {"HTTP_X_FORWARDED_FOR": forged}
        codes.append(client.post("/api/v1/auth/token/", body, format="json", **headers).status_code)
    assert codes == [400, 400, 429, 429]
    assert not Token.objects.exists()


def test_a_forged_x_forwarded_for_does_not_escape_the_login_limit(
    behind_one_proxy: None, settings: Any, alice: User
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    client = Client()
    codes = [
        client.post(
            "/accounts/login/", {"login": alice.email, "password": "wrong"}, **via_proxy("203.0.113.7", f"10.9.9.{n}")
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("proxied", [False, True])
def test_a_forged_x_forwarded_for_does_not_change_the_logged_ip(settings: Any, rina: User, proxied: bool) -> None:
    settings.TRUSTED_PROXIES = PROXIES if proxied else []
    client = Client()
    client.force_login(rina)
    headers = via_proxy("203.0.113.7", "6.6.6.6") if proxied else {"REMOTE_ADDR": "203.0.113.7"}
    if not proxied:
        headers["HTTP_X_FORWARDED_FOR"] = "6.6.6.6"
    client.post("/i18n/setlang/", {"language": "en", "next": "/home/"}, **headers)
    assert StaffAction.objects.get().ip_address == "203.0.113.7"


@pytest.fixture
def world(alice: User, bob: User, pat: User, rina: User, oscar: User, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(alice=alice, bob=bob, pat=pat, rina=rina, oscar=oscar)


def test_two_clients_behind_the_proxy_have_separate_buckets_on_verify_and_the_fee_quote(
    behind_one_proxy: None, small_rates: None, world: World
) -> None:
    page = reverse("certification:verify", kwargs={"token": world.certificate.token})
    quote, body = "/api/v1/fees/quote/", {"annual_sales": 500_000_000, "operating_expenses": 100_000_000}
    web, api = Client(), APIClient()
    first = [web.get(page, **via_proxy("198.51.100.1")).status_code for _ in range(3)]
    second = [web.get(page, **via_proxy("198.51.100.2")).status_code for _ in range(2)]
    assert first[:2] == [200, 200] and first[2] == 429
    assert second == [200, 200]
    first = [api.post(quote, body, format="json", **via_proxy("198.51.100.1")).status_code for _ in range(3)]
    second = [api.post(quote, body, format="json", **via_proxy("198.51.100.2")).status_code for _ in range(2)]
    assert first == [200, 200, 429]
    assert second == [200, 200]


def test_a_forged_x_forwarded_for_does_not_escape_the_verify_limit(
    behind_one_proxy: None, small_rates: None, world: World
) -> None:
    page = reverse("certification:verify", kwargs={"token": world.certificate.token})
    codes = [Client().get(page, **via_proxy("198.51.100.9", f"10.1.1.{n}")).status_code for n in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429
