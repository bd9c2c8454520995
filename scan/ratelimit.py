"""A small fixed-window rate limiter on the cache, for login, password reset and links.

With a shared cache (Redis in production) the limits hold across processes."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


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


def blocked(scope: str, ident: str, *, limit: int) -> bool:
    return (cache.get(_key(scope, ident)) or 0) >= limit


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))


def client_ip(request) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; it sets X-Forwarded-For.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (
        forwarded.split(",")[-1].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    ) or "unknown"
