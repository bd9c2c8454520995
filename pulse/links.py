"""Survey links: derived from a per-invitation nonce and the secret key, stored only hashed."""

from __future__ import annotations

from core.tokens import derived_token, new_nonce, token_digest

__all__ = ["link_hash", "link_token", "new_nonce"]


def link_token(nonce: str) -> str:
    return derived_token("pulse-link", nonce)


def link_hash(nonce: str) -> str:
    return token_digest(link_token(nonce))
