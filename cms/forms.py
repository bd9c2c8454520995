from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from scan import ratelimit

LOGIN_FAILURES_PER_ACCOUNT = 5  # then the account is locked for LOCKOUT_SECONDS
LOGIN_ATTEMPTS_PER_IP = 30
LOCKOUT_SECONDS = 15 * 60
RESETS_PER_ADDRESS = 3
RESETS_PER_IP = 10


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        # Deliberately the same message whether or not the account exists.
        "invalid_login": _("The e-mail address or password is not correct."),
        "inactive": _("The e-mail address or password is not correct."),
        "locked": _("Too many attempts. Wait 15 minutes and try again, or reset your password."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})

    def clean(self):
        email = (self.data.get("username") or "").strip().lower()
        ip = ratelimit.client_ip(self.request) if self.request else "unknown"
        # Locked accounts and busy addresses get the same answer, existing account or not.
        if ratelimit.blocked(
            "login-account", email, limit=LOGIN_FAILURES_PER_ACCOUNT
        ) or not ratelimit.hit("login-ip", ip, limit=LOGIN_ATTEMPTS_PER_IP, window=LOCKOUT_SECONDS):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            ratelimit.hit(
                "login-account", email, limit=LOGIN_FAILURES_PER_ACCOUNT, window=LOCKOUT_SECONDS
            )
            raise
        ratelimit.reset("login-account", email)
        return cleaned


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Sends at most a few reset mails per address and per IP; the page looks the same."""

    request = None

    def save(self, *args, request=None, **kwargs):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        ip = ratelimit.client_ip(request) if request else "unknown"
        if not ratelimit.hit("reset-ip", ip, limit=RESETS_PER_IP, window=3600):
            return
        if not ratelimit.hit("reset-address", email, limit=RESETS_PER_ADDRESS, window=3600):
            return
        return super().save(*args, request=request, **kwargs)
