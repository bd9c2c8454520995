"""Bearer tokens for the APIs, one model for every kind: what a token may do is its scope.

A results token (``results:read``) is a person's own: it acts with that person's roles. A pulse
token (``pulse:events``) is an organisation's, for its systems to send events. Only the
SHA-256 of a token is stored; the raw token is shown once, when it is created."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class TokenScope(models.TextChoices):
    """Every scope a token can have; an app names one of these, it never invents its own."""

    RESULTS_READ = "results:read", _("Read results")
    PULSE_EVENTS = "pulse:events", _("Send pulse events")


# Who a token belongs to follows from its scope: a person or an organisation, never both, so a
# personal token can never stand in for an organisation (or end up in its backup).
PERSONAL_SCOPES = (TokenScope.RESULTS_READ,)
ORGANISATION_SCOPES = (TokenScope.PULSE_EVENTS,)


class AccessTokenQuerySet(models.QuerySet):
    def for_scope(self, scope: TokenScope) -> AccessTokenQuerySet:
        """The tokens that may authenticate where ``scope`` is asked for."""
        return self.filter(scope=scope)


class AccessToken(models.Model):
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64)
    scope = models.CharField(_("scope"), max_length=40, choices=TokenScope.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_tokens",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A token forgotten in a BI tool or an integration stops working by itself.
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # The bearer lookup is ``token_hash = %s AND scope = %s``: the hash alone finds at
            # most one row through this unique index, and the scope is checked on that row.
            models.UniqueConstraint(fields=["token_hash"], name="access_token_hash_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        scope__in=PERSONAL_SCOPES, user__isnull=False, organisation__isnull=True
                    )
                    | models.Q(
                        scope__in=ORGANISATION_SCOPES,
                        organisation__isnull=False,
                        user__isnull=True,
                    )
                ),
                name="access_token_owner_fits_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
