"""An organisation's OpenID Connect identity provider (Entra ID or any standard provider)."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Organisation


def split_domains(text: str) -> list[str]:
    """ "linde.nl, Linde-Wonen.nl" → ["linde.nl", "linde-wonen.nl"]."""
    return sorted(
        {d.strip().lower().lstrip("@") for d in text.replace("\n", ",").split(",") if d.strip()}
    )


class IdentityProvider(models.Model):
    """Sign-in through one organisation's identity provider.

    The provider proves who someone is; the person's membership and role in Klantraat decide
    what they may do. The client secret never sits in the database: ``secret_variable``
    names the environment variable that holds it."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name of the service"),
        max_length=80,
        default="Microsoft",
        help_text=_("Which service this is, for example Microsoft Entra ID."),
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_(
            "For Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0. Klantraat reads "
            "the provider's endpoints from <issuer>/.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    secret_variable = models.CharField(
        _("environment variable with the client secret"),
        max_length=100,
        help_text=_("The name of the variable, for example KLANTRAAT_OIDC_SECRET_LINDE."),
    )
    email_domains = models.TextField(
        _("allowed e-mail domains"),
        help_text=_("Comma-separated, for example linde.nl, linde-wonen.nl."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.name}"

    @property
    def domains(self) -> list[str]:
        return split_domains(self.email_domains)

    @property
    def client_secret(self) -> str:
        return os.environ.get(self.secret_variable, "")

    def clean(self) -> None:
        if not self.domains:
            raise ValidationError({"email_domains": _("Name at least one e-mail domain.")})
        taken = IdentityProvider.objects.exclude(pk=self.pk)
        for other in taken:
            shared = set(other.domains) & set(self.domains)
            if shared:
                raise ValidationError(
                    {
                        "email_domains": _("%(domain)s already signs in through %(other)s.")
                        % {"domain": sorted(shared)[0], "other": other.organisation}
                    }
                )
        if not self.secret_variable.replace("_", "").isalnum():
            raise ValidationError({"secret_variable": _("Only letters, digits and underscores.")})
