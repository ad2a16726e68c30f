"""The client's address behind our own reverse proxies (a leaf module: imports no app).

`settings.TRUSTED_PROXIES` lists the networks (CIDR) of the proxies in front of the app that we run: empty in
development (the default), the compose nginx's address in production. A proxy appends the address it saw to
`X-Forwarded-For`. The header is read only when the peer that sent the request (REMOTE_ADDR) is one of our proxies,
from the right, hop by hop, as long as each hop is one of our proxies; the first address that is not is the client.
Whatever stands further left was written by the client and proves nothing. So a request that reaches gunicorn
directly, past the proxy, is judged by its own address whatever header it forges.

Every reader of the client's address calls `client_ip`: DRF's throttles (core.access.throttling), django-ratelimit
(`RATELIMIT_IP_META_KEY`), allauth's login limits (the account adapter), the `/metrics` address check and the audit
trail, so rate limits, login limits and the metrics check agree on who asked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _valid(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    mapped = getattr(parsed, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped or parsed


@cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"Not a network in CIDR form: {error}") from None


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _is_proxy(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the first of our proxies saw it (REMOTE_ADDR when no proxy of ours sent it)."""
    peer = _valid(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return "0.0.0.0"  # noqa: S104 - a placeholder address for a peer without one, never bound
    proxies = trusted_proxies()
    if not proxies or not _is_proxy(peer, proxies):
        return str(peer)
    client = peer
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    for hop in reversed(hops):
        address = _valid(hop)
        if address is None:
            break  # garbage in the header: stop at the last address our proxies vouch for
        client = address
        if not _is_proxy(address, proxies):
            break
    return str(client)


def address_in(address: str, networks: Iterable[str]) -> bool:
    """Whether `address` lies in one of the CIDR `networks` (e.g. "10.0.0.0/8", "::1/128")."""
    parsed = _valid(address)
    return parsed is not None and _is_proxy(parsed, _networks(tuple(networks)))
