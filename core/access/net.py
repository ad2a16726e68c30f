"""The client's address behind our own reverse proxies (a leaf module: imports no app).

`settings.TRUSTED_PROXIES` is the number of proxies in front of the app that we run (0 in development, 1 behind
the compose nginx). Each appends the address it saw to `X-Forwarded-For`, so the client is the entry that many
places from the right; whatever stands further left was written by the client and proves nothing. The same count
drives DRF's `NUM_PROXIES`, allauth's `ALLAUTH_TRUSTED_PROXY_COUNT` and django-ratelimit's key
(`RATELIMIT_IP_META_KEY` names `client_ip`), so rate limits, login limits and the audit trail agree on who asked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request to our first proxy (REMOTE_ADDR without proxies).

    Without a proxy the header is ignored (anyone can send it). When the header has fewer entries than proxies
    (a request that reached the app without passing every proxy), the peer address is used, never a client-written
    entry.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies > 0:
        hops = [hop for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
        if len(hops) >= proxies:
            chosen = _valid(hops[-proxies])
            if chosen:
                return chosen
    return _valid(remote) or "0.0.0.0"  # noqa: S104 - a placeholder address for a peer without one, never bound


@cache
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def address_in(address: str, networks: Iterable[str]) -> bool:
    """Whether `address` lies in one of the CIDR `networks` (e.g. "10.0.0.0/8", "::1/128")."""
    parsed = ipaddress.ip_address(address)
    return any(parsed in network for network in _networks(tuple(networks)) if parsed.version == network.version)
