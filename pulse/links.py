"""Survey links: derived from a per-invitation nonce and the secret key, stored only hashed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

from core.tokens import token_digest


def new_nonce() -> str:
    return secrets.token_hex(16)


def link_token(nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"pulse-link:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def link_hash(nonce: str) -> str:
    return token_digest(link_token(nonce))
