"""Accounts (an e-mail login) and the public site: pages and site settings."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from .blocks import ContentBlock


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # No address is longer than the column: such a login is unknown, without a query
        # (SQLite refuses an over-long pattern for the case-insensitive match).
        if len(str(username)) > self.model._meta.get_field(self.model.USERNAME_FIELD).max_length:
            raise self.model.DoesNotExist
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """People with an account: consultants (staff) and members of corporations."""

    username = None  # type: ignore[assignment]  # the stubs cannot express a removed field
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="nl",
        choices=[("nl", "Nederlands"), ("en", "English")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Django documents BaseUserManager for an e-mail login; the stubs expect auth's UserManager.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def natural_key(self) -> tuple[str]:
        return (self.email,)

    @property
    def is_consultant(self) -> bool:
        """Consultants are staff users: they work in the CMS for many corporations."""
        return self.is_active and self.is_staff


class HomePage(Page):
    intro: models.TextField[str, str] = models.TextField(_("intro"), blank=True)
    body = StreamField(ContentBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.ContentPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    template = "cms/home_page.html"


class ContentPage(Page):
    """About the method, what the levels mean, privacy: plain editorial pages."""

    intro: models.TextField[str, str] = models.TextField(_("intro"), blank=True)
    body = StreamField(ContentBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    template = "cms/content_page.html"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, ClusterableModel):
    """Footer and contact details shown on every page; navigation comes from the page tree."""

    organisation_name: models.CharField[str, str] = models.CharField(
        _("organisation name"), max_length=120, default="Klantraat"
    )
    footer_text = RichTextField(
        _("footer text (Dutch)"), blank=True, features=["bold", "italic", "link"]
    )
    footer_text_en = RichTextField(
        _("footer text (English)"), blank=True, features=["bold", "italic", "link"]
    )
    contact_email: models.EmailField[str, str] = models.EmailField(_("contact e-mail"), blank=True)
    privacy_page: models.ForeignKey[Page | None, Page | None] = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy page"),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("footer_text"),
        FieldPanel("footer_text_en"),
        FieldPanel("contact_email"),
        FieldPanel("privacy_page"),
        InlinePanel("footer_links", label=_("footer links")),
    ]

    class Meta:
        verbose_name = _("site settings")


class FooterLink(Orderable):
    settings = ParentalKey(
        SiteSettings,
        related_name="footer_links",
        on_delete=models.CASCADE,
        verbose_name=_("settings"),
    )
    label: models.CharField[str, str] = models.CharField(_("label (Dutch)"), max_length=80)
    label_en: models.CharField[str, str] = models.CharField(
        _("label (English)"), max_length=80, blank=True
    )
    page: models.ForeignKey[Page, Page] = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [FieldPanel("label"), FieldPanel("label_en"), FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")
