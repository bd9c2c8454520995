"""Signing in through an organisation's identity provider: the start (from the login pages),
the provider's callback, and a plain page when someone is not let in."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .discovery import DiscoveryError, endpoints
from .models import IdentityProvider
from .selectors import provider_for_email
from .services import Refusal

logger = logging.getLogger("klantraat.sso")

STATUS = {Refusal.FAILED: 400, Refusal.NO_EMAIL: 403, Refusal.DOMAIN: 403, Refusal.NO_ACCESS: 403}


class _ProviderRequestView(OIDCAuthenticationRequestView):
    """The library's redirect to the provider, with this organisation's endpoint and client."""

    provider: IdentityProvider | None = None
    login_hint = ""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)
        assert self.provider is not None
        self.OIDC_OP_AUTH_ENDPOINT = endpoints(self.provider.issuer).authorization
        self.OIDC_RP_CLIENT_ID = self.provider.client_id

    def get_extra_params(self, request):
        return {"login_hint": self.login_hint} if self.login_hint else {}


def _login_page(request: HttpRequest) -> HttpResponse:
    url = reverse("cms:login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


def sso_start(request: HttpRequest) -> HttpResponse:
    """From the login page's "log in with your organisation's account" form (an e-mail
    address): on to the provider of that address's domain, with state, nonce and PKCE."""
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
    email = request.GET.get("email", "").strip()[:254]
    provider = provider_for_email(email)
    if provider is None:
        messages.error(
            request,
            _(
                "There is no organisation account for this address. Log in with your "
                "password, or ask your coordinator."
            ),
        )
        return _login_page(request)
    try:
        response = _ProviderRequestView.as_view(provider=provider, login_hint=email)(request)
    except DiscoveryError:
        logger.warning("identity provider of %s unreachable", provider.organisation, exc_info=True)
        messages.error(
            request,
            _("Your organisation's sign-in service cannot be reached now. Try again later."),
        )
        return _login_page(request)
    # Remember which organisation this state belongs to, and the page's language.
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    request.session["oidc_states"][state].update(
        provider=provider.pk, language=translation.get_language()
    )
    request.session.modified = True
    return response


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. The library checks state, nonce and PKCE and fetches the tokens;
    the backend checks the token and decides; this view shows why someone was not let in."""

    def get(self, request):
        entry = request.session.get("oidc_states", {}).get(request.GET.get("state", ""), {})
        provider = IdentityProvider.objects.filter(
            pk=entry.get("provider") or 0, enabled=True
        ).first()
        if entry.get("language"):
            translation.activate(entry["language"])
        request.sso_provider = provider
        self.provider = provider
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, DiscoveryError, jwt.PyJWTError):
            # A tampered or replayed state, a wrong nonce, an expired or reused code.
            logger.warning("sign-in through an identity provider failed", exc_info=True)
            user_login_failed.send(
                sender=__name__,
                credentials={"username": getattr(request, "sso_email", "")},
                request=request,
            )
            return _refused(request, Refusal.FAILED, provider)

    def login_failure(self):
        refusal = getattr(self.request, "sso_refusal", None) or Refusal.FAILED
        return _refused(self.request, refusal, self.provider)

    def login_success(self):
        self.request.login_method = "sso"  # the audit log says how someone came in
        return super().login_success()


def _refused(request: HttpRequest, refusal: Refusal, provider: IdentityProvider | None):
    return render(
        request,
        "sso/refused.html",
        {
            "refusal": refusal.value,
            "email": getattr(request, "sso_email", ""),
            "organisation": provider.organisation if provider else None,
            "domains": provider.domains if provider else [],
        },
        status=STATUS[refusal],
    )


callback = SsoCallbackView.as_view()
