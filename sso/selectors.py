"""Reads: which identity provider signs in an address, and where the login page may send people."""

from __future__ import annotations

from urllib.parse import urlsplit

from .models import IdentityProvider


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider whose allowed domains include the address's domain."""
    domain = email_domain(email)
    if not domain or "@" not in email:
        return None
    for provider in enabled_providers():
        if domain in provider.domains:
            return provider
    return None


def enabled_providers() -> list[IdentityProvider]:
    return list(IdentityProvider.objects.filter(enabled=True).select_related("organisation"))


def provider_origins() -> list[str]:
    """The issuers' origins: the login page's form may lead there (CSP form-action), since its
    sign-in form ends in a redirect to the provider."""
    origins = set()
    for provider in enabled_providers():
        parts = urlsplit(provider.issuer)
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
