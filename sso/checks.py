"""Deploy checks (manage.py check --deploy) for signing in through identity providers."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Settings of mozilla-django-oidc that must keep these values: no account created by a
# sign-in, PKCE and nonce on, TLS verified, unsigned tokens refused.
REQUIRED = {
    "OIDC_CREATE_USER": False,
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_VERIFY_SSL": True,
    "OIDC_ALLOW_UNSECURED_JWT": False,
}
DEFAULTS = {"OIDC_USE_NONCE": True, "OIDC_VERIFY_SSL": True, "OIDC_ALLOW_UNSECURED_JWT": False}


@register(Tags.security, deploy=True)
def check_oidc_settings(app_configs=None, **kwargs) -> list[Warning]:
    problems = []
    for name, wanted in REQUIRED.items():
        value = getattr(settings, name, DEFAULTS.get(name))
        if value != wanted:
            problems.append(
                Warning(
                    f"{name} is {value!r}: signing in with an organisation's account needs "
                    f"{wanted!r}.",
                    id="sso.W001",
                )
            )
    if "sso.backends.OrganisationOIDCBackend" not in settings.AUTHENTICATION_BACKENDS:
        problems.append(
            Warning("sso.backends.OrganisationOIDCBackend is not a backend.", id="sso.W002")
        )
    return problems
