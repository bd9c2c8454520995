"""A small fixed-window rate limiter on the cache (respondent links, password reset mails),
and the one place that decides which address a request comes from.

Login failures are counted by django-axes (see cms/settings/base.py), not here. With a shared
cache (Redis in production, which refuses to start without one) the limits hold across
processes."""

from __future__ import annotations

import hashlib
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

UNKNOWN_IP = "0.0.0.0"  # noqa: S104 - a placeholder address, never bound to


def _key(scope: str, ident: str) -> str:
    return "rl:" + scope + ":" + hashlib.sha256(ident.encode()).hexdigest()[:32]


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the caller is still within ``limit`` per ``window`` s."""
    key = _key(scope, ident)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


# Guessing links: after this many unknown links from one address, its further unknown links
# get "too many" instead of "unknown". Respondent, open, pulse survey and card links share the
# one budget, so trying each kind does not multiply the guesses. Only misses count and a valid
# link always opens, so a workshop room behind one address is never locked out by a typo.
LINK_MISSES_PER_IP = 20
LINK_MISS_WINDOW = 10 * 60


def link_miss_allowed(request) -> bool:
    """Count one unknown link from the request's address; False once it has guessed too often."""
    return hit("link-miss", client_ip(request), limit=LINK_MISSES_PER_IP, window=LINK_MISS_WINDOW)


@lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, trusted) -> bool:
    return any(address in network for network in trusted)


def _trusted_networks():
    return _networks(tuple(getattr(settings, "KLANTRAAT_TRUSTED_PROXIES", ()) or ()))


def from_trusted_proxy(request) -> bool:
    """Whether the connection comes from one of KLANTRAAT_TRUSTED_PROXIES: only then are the
    X-Forwarded-* headers anything but the client's own words."""
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "")
    return remote is not None and _is_trusted(remote, _trusted_networks())


def client_ip(request) -> str:
    """The address the request came from, as a valid IP address string.

    X-Forwarded-For is anyone's to write, so it only counts when REMOTE_ADDR is one of
    KLANTRAAT_TRUSTED_PROXIES. Then the header is read from the right (each proxy appends the
    address it saw) past the trusted proxies; the first address that is not one of them is
    the client. Garbage in the header stops the walk at the last address a trusted proxy
    vouched for."""
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return UNKNOWN_IP
    trusted = _trusted_networks()

    def is_trusted(address) -> bool:
        return _is_trusted(address, trusted)

    client = remote
    if is_trusted(remote):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
            address = _parse(hop)
            if address is None:
                break
            client = address
            if not is_trusted(address):
                break
    if isinstance(client, ipaddress.IPv6Address) and client.ipv4_mapped:
        client = client.ipv4_mapped
    return str(client)
