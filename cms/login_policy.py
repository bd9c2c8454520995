"""One login policy for every login and password-reset form (the site's and Wagtail's).

Lockout after failed logins is django-axes' job (settings AXES_*): per account and address at
AXES_FAILURE_LIMIT failures. This module gives it the normalised username, adds a much higher
limit per client address over all accounts (password spraying: one address trying many
accounts), and limits how many reset mails one address or one mailbox can trigger."""

from __future__ import annotations

import hashlib

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from core import ratelimit
from scan.services.people import password_reset_queue

RESETS_PER_ADDRESS = 3  # mails per mailbox per hour
RESETS_PER_IP = 10  # mails asked for from one client address per hour
RESET_WINDOW = 60 * 60
# Failed logins from one client address, whatever the account, before that address is refused
# for AXES_COOLOFF_TIME. Only failures count: an office behind one address logs in freely.
ADDRESS_FAILURE_LIMIT = 30


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a login attempt is for, as django-axes counts it.

    Both forms post ``username`` (an e-mail address, matched case-insensitively), so
    "Ann@X.nl" and "ann@x.nl " count as one account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        # A sign-in through an identity provider counts for the address it claimed.
        raw = request.POST.get("username", "") or getattr(request, "sso_email", "")
    return str(raw or "").strip().lower()[:254]


def _address_key(kind: str, ip: str) -> str:
    return f"login-address-{kind}:" + hashlib.sha256(ip.encode()).hexdigest()[:32]


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def address_locked(request: HttpRequest) -> bool:
    """Whether the request's client address has had ADDRESS_FAILURE_LIMIT failed logins."""
    return bool(cache.get(_address_key("locked", ratelimit.client_ip(request))))


def address_failure(request: HttpRequest) -> bool:
    """Count one failed login for the client address (in the shared cache, for one cool-off
    period from the first failure); True once the address is locked."""
    ip = ratelimit.client_ip(request)
    # Like axes' own limit, the failure that reaches the limit is the one that locks.
    if not ratelimit.hit(
        "login-address", ip, limit=ADDRESS_FAILURE_LIMIT - 1, window=_cooloff_seconds()
    ):
        cache.set(_address_key("locked", ip), True, timeout=_cooloff_seconds())
    return address_locked(request)


class LoginPolicyHandler(AxesDatabaseHandler):
    """django-axes' database handler (per account and address), plus the per-address limit
    over all accounts, checked before any password like axes' own lock."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and address_failure(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """What django-axes answers a locked-out login with, on /login/ and /cms/login/ alike."""
    return render(
        request,
        "cms/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "address_locked": address_locked(request),
            "address_failure_limit": ADDRESS_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def password_reset_allowed(request: HttpRequest | None, email: str) -> bool:
    """Count one reset mail for this address and mailbox; False once either is over its limit."""
    ip = ratelimit.client_ip(request) if request is not None else ratelimit.UNKNOWN_IP
    if not ratelimit.hit("reset-ip", ip, limit=RESETS_PER_IP, window=RESET_WINDOW):
        return False
    return ratelimit.hit(
        "reset-address", email.strip().lower(), limit=RESETS_PER_ADDRESS, window=RESET_WINDOW
    )


class RateLimitedResetMixin:
    """Sends the mail only while ``password_reset_allowed``; the page looks the same either way,
    so the form tells nobody whether an account exists or a limit was reached."""

    def save(self, *args, request=None, **kwargs):
        if not password_reset_allowed(request, self.cleaned_data.get("email") or ""):
            return None
        return super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """Through the outbox (retried there, sent after commit); the reset link's token is
        made as the mail leaves, so no live link is ever stored."""
        password_reset_queue(
            user=context["user"],
            to=to_email,
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=context,
        )


class RateLimitedPasswordResetForm(RateLimitedResetMixin, PasswordResetForm):
    """The site's reset form (/password/reset/)."""


class RateLimitedWagtailPasswordResetForm(RateLimitedResetMixin, WagtailPasswordResetForm):
    """Wagtail's reset form (/cms/password_reset/), set by WAGTAILADMIN_USER_PASSWORD_RESET_FORM."""
