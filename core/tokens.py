"""Unguessable links: 256 random bits in the URL, only a SHA-256 digest in the database.

A link that is mailed is derived at send time from a random nonce and the secret key
(``derived_token``), so the outbox never holds the link itself."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database lookup (43 url-safe characters)."""
    return 40 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)


def new_nonce() -> str:
    return secrets.token_hex(16)


def derived_token(purpose: str, nonce: str) -> str:
    """HMAC-SHA-256 of the nonce under the secret key: the link's token, never stored."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
