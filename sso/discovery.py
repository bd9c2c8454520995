"""A provider's endpoints, read from its OpenID Connect discovery document and cached."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.core.cache import cache

CACHE_SECONDS = 60 * 60
TIMEOUT = 10


class DiscoveryError(Exception):
    """The provider's discovery document could not be read or lacks an endpoint."""


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorization: str
    token: str
    jwks: str
    userinfo: str


def endpoints(issuer: str) -> Endpoints:
    """The endpoints of the provider at ``issuer`` (cached for an hour in the shared cache)."""
    key = "oidc-discovery:" + issuer
    document = cache.get(key)
    if document is None:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise DiscoveryError(f"{url}: {exc}") from exc
        if not isinstance(document, dict):
            raise DiscoveryError(f"{url}: not a JSON object")
        cache.set(key, document, CACHE_SECONDS)
    try:
        return Endpoints(
            issuer=str(document["issuer"]),
            authorization=str(document["authorization_endpoint"]),
            token=str(document["token_endpoint"]),
            jwks=str(document["jwks_uri"]),
            userinfo=str(document.get("userinfo_endpoint", "")),
        )
    except KeyError as exc:
        raise DiscoveryError(f"{issuer}: the discovery document lacks {exc}") from exc
