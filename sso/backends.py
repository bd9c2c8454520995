"""mozilla-django-oidc's backend, configured per organisation instead of by settings."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .discovery import Endpoints, endpoints
from .models import IdentityProvider
from .services import claimed_email, sso_decide


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Signs in through the provider the callback found for the request's state
    (``request.sso_provider``); any other login (a password) passes it by.

    It leaves ``request.sso_email`` and ``request.sso_refusal`` for the callback page, the
    lockout and the audit log."""

    provider: IdentityProvider
    endpoints: Endpoints

    def __init__(self, *args, **kwargs):
        # Endpoints and client belong to an organisation and are set in authenticate().
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "sso_provider", None)
        if provider is None:
            return None
        self.provider = provider
        self.endpoints = endpoints(provider.issuer)
        self.OIDC_OP_TOKEN_ENDPOINT = self.endpoints.token
        self.OIDC_OP_USER_ENDPOINT = self.endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = self.endpoints.jwks
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The library checks signature, expiry and nonce; the token must also come from this
        organisation's issuer and be meant for this client."""
        payload = super().verify_token(token, **kwargs)
        if payload.get("iss") != self.endpoints.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if not claimed_email(claims) and self.OIDC_OP_USER_ENDPOINT:
            claims.update(self.get_userinfo(access_token, id_token, payload))
        decision = sso_decide(provider=self.provider, claims=claims)
        self.request.sso_email = decision.email
        self.request.sso_refusal = decision.refusal
        return decision.user
