"""The rule for a sign-in through an identity provider: the provider proves who someone is,
Klantraat decides whether that person may come in. No account is ever created here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser

from core.models import Membership
from core.permissions import role_held

from .models import IdentityProvider
from .selectors import email_domain


class Refusal(StrEnum):
    """Why a sign-in through the provider did not let someone in."""

    NO_EMAIL = "no_email"  # the provider gave no usable e-mail address
    DOMAIN = "domain"  # the address is not of a domain the organisation allows
    NO_ACCESS = "no_access"  # a colleague without an account or membership: ask the coordinator
    FAILED = "failed"  # state, nonce, code or token did not check out


@dataclass(frozen=True)
class Decision:
    user: AbstractBaseUser | None
    refusal: Refusal | None
    email: str


def claimed_email(claims: dict) -> str:
    """The address the provider vouches for: ``email``, else Entra ID's ``preferred_username``
    when it is an address (Entra ID leaves ``email`` out unless it is configured)."""
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()[:254]
    return ""


def sso_decide(*, provider: IdentityProvider, claims: dict) -> Decision:
    """Let in the active account with this address that holds a role in the provider's
    organisation; refuse everyone else, saying why."""
    email = claimed_email(claims)
    if not email or claims.get("email_verified") is False:
        return Decision(None, Refusal.NO_EMAIL, email)
    if email_domain(email) not in provider.domains:
        return Decision(None, Refusal.DOMAIN, email)
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return Decision(None, Refusal.NO_ACCESS, email)
    membership = Membership.objects.filter(user=user, organisation=provider.organisation).first()
    if membership is None or not role_held(user, membership.role):
        return Decision(None, Refusal.NO_ACCESS, email)
    return Decision(user, None, email)
