"""Unguessable links: 256 random bits in the URL, only a SHA-256 digest in the database."""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database lookup (43 url-safe characters)."""
    return 40 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)


def digests_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
