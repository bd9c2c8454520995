"""Registrations only: the back office's permission policies, snippets, admin URLs, menu
items and buttons (what they register lives in admin_views.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from core.models import Membership, Organisation, Role
from core.permissions import is_consultant_user

from .admin_views import (
    AssignedOrganisationPolicy,
    KlantraatGroup,
    ReadOnlyPolicy,
    model_export_view,
    model_import_view,
)
from .models import MailTemplate, MaturityModel, ModelVersion

# Versions are created by publishing a model and can never be edited or deleted.
register_permission_policy(ModelVersion, ReadOnlyPolicy(ModelVersion))
register_permission_policy(Organisation, AssignedOrganisationPolicy(Organisation, "pk"))
register_permission_policy(Membership, AssignedOrganisationPolicy(Membership, "organisation_id"))
register_permission_policy(
    MailTemplate, AssignedOrganisationPolicy(MailTemplate, "organisation_id")
)
register_snippet(KlantraatGroup)


@hooks.register("register_admin_urls")
def register_model_file_urls():
    return [
        path("klantraat/models/import/", model_import_view, name="klantraat_model_import"),
        path(
            "klantraat/models/<int:pk>/export.<str:fmt>",
            model_export_view,
            name="klantraat_model_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_model_import_menu_item():
    return MenuItem(
        _("Import a model"), reverse("klantraat_model_import"), icon_name="upload", order=151
    )


@hooks.register("register_admin_menu_item")
def register_app_menu_item():
    return MenuItem(_("Back to the app"), reverse("cms:start"), icon_name="home", order=1)


@hooks.register("register_snippet_listing_buttons")
def model_export_buttons(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    if isinstance(snippet, Organisation):
        # Back from the CMS to the organisation's own pages in the app.
        yield ListingButton(
            _("Open in Klantraat"),
            reverse("scan:organisation", kwargs={"org": snippet.slug}),
            priority=80,
        )
    if isinstance(snippet, MaturityModel):
        yield ListingButton(
            _("Export YAML"),
            reverse("klantraat_model_export", args=[snippet.pk, "yaml"]),
            priority=90,
        )
        yield ListingButton(
            _("Export JSON"),
            reverse("klantraat_model_export", args=[snippet.pk, "json"]),
            priority=91,
        )


@hooks.register("after_create_snippet")
def assign_creating_consultant(request, instance):
    """A consultant who creates an organisation serves it from then on."""
    if isinstance(instance, Organisation) and is_consultant_user(request.user):
        Membership.objects.get_or_create(
            user=request.user, organisation=instance, defaults={"role": Role.CONSULTANT}
        )
