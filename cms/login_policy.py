"""One login policy for every login and password-reset form (the site's and Wagtail's).

Lockout after failed logins is django-axes' job (settings AXES_*); this module gives it the
normalised username, and limits how many reset mails one address or one mailbox can trigger."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from scan import ratelimit

RESETS_PER_ADDRESS = 3  # mails per mailbox per hour
RESETS_PER_IP = 10  # mails asked for from one client address per hour
RESET_WINDOW = 60 * 60


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a login attempt is for, as django-axes counts it.

    Both forms post ``username`` (an e-mail address, matched case-insensitively), so
    "Ann@X.nl" and "ann@x.nl " count as one account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return str(raw or "").strip().lower()[:254]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """What django-axes answers a locked-out login with, on /login/ and /cms/login/ alike."""
    return render(
        request,
        "cms/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
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


class RateLimitedPasswordResetForm(RateLimitedResetMixin, PasswordResetForm):
    """The site's reset form (/password/reset/)."""


class RateLimitedWagtailPasswordResetForm(RateLimitedResetMixin, WagtailPasswordResetForm):
    """Wagtail's reset form (/cms/password_reset/), set by WAGTAILADMIN_USER_PASSWORD_RESET_FORM."""
