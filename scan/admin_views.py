"""The consultants' back office in the Wagtail admin: permission policies scoped to the
organisations a consultant serves, the snippet viewsets, and the model import/export views.
Registered in wagtail_hooks.py."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.blocks.base import BlockWidget
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup
from wagtail.snippets.widgets import AdminSnippetChooser

from core.models import Membership, Organisation
from core.permissions import consultant_required, is_consultant_user, organisations_served_by

from . import services
from .forms import ModelImportForm
from .modelfile import FILE_TOO_LARGE, MAX_MODEL_FILE_BYTES, ModelFileError
from .models import MailKind, MailTemplate, MaturityModel, ModelVersion


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ("view",) and is_consultant_user(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AssignedOrganisationPolicy(ModelPermissionPolicy):
    """Consultants see and change only the organisations they serve (superusers: all)."""

    def __init__(self, model, organisation_field: str):
        super().__init__(model)
        self.organisation_field = organisation_field

    def _allowed(self, user, instance) -> bool:
        if user.is_superuser:
            return True
        organisation_id = getattr(instance, self.organisation_field)
        return served_organisations(user).filter(pk=organisation_id).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._allowed(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._allowed(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = super().instances_user_has_any_permission_for(user, actions)
        return (
            qs
            if user.is_superuser
            else qs.filter(**{f"{self.organisation_field}__in": served_organisations(user)})
        )


class AssignedOnly:
    """Object views that look records up only among the organisations the user serves."""

    def get_object(self, *args, **kwargs):
        # The history and usage views take no queryset argument: pass on what we got.
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ["view", "change", "delete"], obj
        ):
            raise Http404
        return obj


def assigned_views(viewset_class):
    from wagtail.snippets.views import snippets as views

    for attr, base in (
        ("edit_view_class", views.EditView),
        ("delete_view_class", views.DeleteView),
        ("history_view_class", views.HistoryView),
        ("usage_view_class", views.UsageView),
        ("inspect_view_class", views.InspectView),
    ):
        setattr(viewset_class, attr, type(f"Assigned{base.__name__}", (AssignedOnly, base), {}))
    return viewset_class


def listed(request, model):
    """What the snippet's own listing shows this user (its viewset's queryset)."""
    queryset = model.snippet_viewset.get_queryset(request)
    return model._default_manager.all() if queryset is None else queryset


# Wagtail's chooser modal reads ``model.objects`` directly: without these, the organisation and
# membership choosers (and their search, by name or city) would list every client.
class ListedChooseView(ChooseView):
    def get_object_list(self):
        return listed(self.request, self.model_class)


class ListedChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return listed(self.request, self.model_class)


class ListedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return listed(self.request, self.model_class).get(pk=pk)


class ListedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return listed(self.request, self.model_class).filter(pk__in=pks)


class ListedChooserViewSet(SnippetChooserViewSet):
    """A chooser that offers exactly what the listing shows: the organisations a consultant
    serves and their records, never another client's."""

    choose_view_class = ListedChooseView
    choose_results_view_class = ListedChooseResultsView
    chosen_view_class = ListedChosenView
    chosen_multiple_view_class = ListedChosenMultipleView


class MaturityModelViewSet(SnippetViewSet):
    model = MaturityModel
    icon = "table"
    menu_label = _("Maturity models")
    list_display = ["name_nl", "code", BooleanColumn("live", label=_("Published"))]


class ModelVersionViewSet(SnippetViewSet):
    model = ModelVersion
    icon = "lock"
    menu_label = _("Published versions")
    list_display = ["model", "number", "published_at", "published_by"]
    inspect_view_enabled = True


class BoundedSearchIndexView(IndexView):
    """A search term longer than any name finds nothing, without asking the database (SQLite
    refuses a LIKE pattern that long)."""

    def search_queryset(self, queryset):
        if len(self.search_query) > 255:
            return queryset.none()
        return super().search_queryset(queryset)


@assigned_views
class OrganisationViewSet(SnippetViewSet):
    chooser_viewset_class = ListedChooserViewSet
    model = Organisation
    index_view_class = BoundedSearchIndexView

    def get_queryset(self, request):
        return AssignedOrganisationPolicy(Organisation, "pk").instances_user_has_any_permission_for(
            request.user, ["view", "change"]
        )

    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "slug", "city"]
    search_fields = ["name", "city"]


@assigned_views
class MembershipViewSet(SnippetViewSet):
    chooser_viewset_class = ListedChooserViewSet
    model = Membership

    def get_queryset(self, request):
        return AssignedOrganisationPolicy(
            Membership, "organisation_id"
        ).instances_user_has_any_permission_for(request.user, ["view", "change"])

    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organisation", "role"]
    # No organisation filter: its choices would list every client's name.
    list_filter = ["role"]


@assigned_views
class MailTemplateViewSet(SnippetViewSet):
    """A consultant sees and edits the mail texts of the organisations they serve; the
    built-in defaults and other clients' texts are not theirs to change."""

    model = MailTemplate
    chooser_viewset_class = ListedChooserViewSet

    def get_queryset(self, request):
        return AssignedOrganisationPolicy(
            MailTemplate, "organisation_id"
        ).instances_user_has_any_permission_for(request.user, ["view", "change"])

    icon = "mail"
    menu_label = _("Mail templates")
    list_display = ["kind", "language", "subject"]


class KlantraatGroup(SnippetViewSetGroup):
    menu_label = _("Klantraat")
    menu_icon = "site"
    menu_order = 150
    items = (
        MaturityModelViewSet,
        ModelVersionViewSet,
        OrganisationViewSet,
        MembershipViewSet,
        MailTemplateViewSet,
    )


@consultant_required
def model_import_view(request):
    form = ModelImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_MODEL_FILE_BYTES:  # refused before it is read into memory
                raise ModelFileError([str(FILE_TOO_LARGE)])
            text = upload.read().decode("utf-8-sig")
        except ModelFileError as exc:
            errors = exc.errors
        except UnicodeDecodeError:
            errors = [str(_("The file is not UTF-8 text."))]
        else:
            try:
                model = services.model_import(text=text, user=request.user)
            except ModelFileError as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _("Imported as a draft of '%(name)s'. Review and publish it.")
                    % {"name": model},
                )
                return redirect(reverse("wagtailsnippets_scan_maturitymodel:edit", args=[model.pk]))
    return render(
        request,
        "scan/admin/model_import.html",
        {"form": form, "errors": errors},
        status=400 if errors else 200,
    )


@consultant_required
def model_export_view(request, pk: int, fmt: str):
    model = get_object_or_404(MaturityModel, pk=pk)
    fmt = "json" if fmt == "json" else "yaml"
    response = HttpResponse(
        services.model_export(model, fmt), content_type=f"application/{fmt}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{model.code}.{fmt}"'
    return response


def served_organisations(user):
    """What the CMS shows a user: the organisations they serve as a consultant, every one
    for a superuser (Wagtail's administrator)."""
    if user.is_superuser:
        return Organisation.objects.all()
    return organisations_served_by(user)


class IdSnippetChooser(AdminSnippetChooser):
    """Wagtail's chooser shows a posted id again after a form error; an id that is no number
    ("abc") is shown as nothing chosen instead of a server error."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError):
            return None


class ServedOrganisationForm(WagtailAdminModelForm):
    """Choosers list only what the consultant serves: their organisations and the people of
    those organisations (by name and e-mail), never another client's."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        chooser = self.fields.get("organisation")
        if chooser is not None and isinstance(chooser.widget, AdminSnippetChooser):
            chooser.widget = IdSnippetChooser(chooser.widget.model_class)
        if for_user is None or for_user.is_superuser:
            return
        served = served_organisations(for_user)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = served
            self.fields["organisation"].required = True
            # Only an administrator writes the defaults for every organisation.
            self.fields["organisation"].help_text = _("The organisation you serve this is for.")
        if "user" in self.fields:
            field = self.fields["user"]
            field.queryset = (
                field.queryset.model.objects.filter(memberships__organisation__in=served)
                .distinct()
                .order_by("email")
            )
            field.label_from_instance = lambda user: (
                f"{user.get_full_name() or user.email} <{user.email}>"
            )


INCOMPLETE_POST = _(
    "The form arrived incomplete (part of the levels or domains is missing): reload the page "
    "and make your changes again."
)


class TolerantBlockWidget(BlockWidget):
    """A StreamField whose posted management fields ('levels-count', a block's type or order)
    are missing or garbled reads as empty and marks itself, instead of raising KeyError."""

    incomplete = False

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError):
            self.incomplete = True
            return self.block_def.get_default()


class CompletePostForm(WagtailAdminModelForm):
    """The maturity model's edit form: an incomplete POST is shown again with an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is BlockWidget:  # the form's own copy of the widget
                field.widget.__class__ = TolerantBlockWidget

    def clean(self):
        cleaned = super().clean()
        if any(getattr(f.widget, "incomplete", False) for f in self.fields.values()):
            self.add_error(None, INCOMPLETE_POST)
        return cleaned


class MailTemplateForm(ServedOrganisationForm):
    """A new mail text starts from the built-in invitation (in Dutch, for every group), so a
    consultant edits a working text instead of starting blank."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is not None:
            return
        from .mail_defaults import default_text

        subject, body = default_text(MailKind.INVITATION, "", "nl")
        self.initial.setdefault("kind", MailKind.INVITATION)
        self.initial.setdefault("language", "nl")
        self.initial.setdefault("subject", subject)
        self.initial.setdefault("body", body)


# Wagtail builds the snippets' edit forms on the model's base_form_class.
MaturityModel.base_form_class = CompletePostForm  # type: ignore[attr-defined]
Membership.base_form_class = ServedOrganisationForm  # type: ignore[attr-defined]
MailTemplate.base_form_class = MailTemplateForm  # type: ignore[attr-defined]
