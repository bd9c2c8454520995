"""Site-wide pages of a signed-in person, outside any one organisation: their own API tokens
and, for consultants, the portfolio of the organisations they serve."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from actions import portfolio as cycle_portfolio
from core.permissions import consultant_required, organisations_for
from honeycomb import selectors as results_selectors
from honeycomb import services as results_services
from honeycomb.permissions import HONEYCOMB_POLICY
from scan.params import parse_id
from sso import selectors as sso_selectors

from .forms import EmailAuthenticationForm


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens for BI tools; they act with the user's own roles."""
    created = None
    if request.method == "POST":
        revoke = request.POST.get("revoke", "")
        if revoke:
            token_id = parse_id(revoke)
            if token_id and results_services.api_token_revoke(user=request.user, token_id=token_id):
                messages.success(request, _("The token no longer works."))
            return redirect("cms:api_tokens")
        _token, created = results_services.api_token_create(
            user=request.user, name=request.POST.get("name", "")
        )
    return render(
        request,
        "honeycomb/api_tokens.html",
        {
            "tokens": results_selectors.api_tokens_of(request.user),
            "created": created,
            "schema_url": reverse("api:openapi-json"),
            "coordinated": [
                a.organisation
                for a in organisations_for(request.user)
                if HONEYCOMB_POLICY.allows(a, "revoke_member_tokens")
            ],
        },
    )


@consultant_required
def portfolio(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "actions/portfolio.html",
        {
            "rows": cycle_portfolio.portfolio(request.user),
            "sector": cycle_portfolio.sector_comparison(),
            "minimum": cycle_portfolio.SECTOR_MINIMUM,
        },
    )


class SiteLoginView(auth_views.LoginView):
    """The site's login: e-mail and password, and, once any organisation has its own identity
    provider, "log in with your organisation's account"."""

    template_name = "cms/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Straight to where the person starts (see ``landing``), without a hop."""
        from actions.workload import lands_on_my_actions

        if self.next_page:
            return super().get_default_redirect_url()
        return reverse("cms:my_actions" if lands_on_my_actions(self.request.user) else "cms:start")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_offered"] = bool(sso_selectors.enabled_providers())
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context.get("sso_offered"):
            # The SSO form's answer is a redirect to the provider: form-action must allow it.
            response._csp_update = {"form-action": sso_selectors.provider_origins()}
        return response


@consultant_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """A consultant starts a new client here (the CMS keeps its model and mail texts); next
    step: invite its coordinator on the organisation's page."""
    from scan.forms_manage import OrganisationCreateForm
    from scan.services import ScanError
    from scan.services.organisations import organisation_create as create

    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create(user=request.user, **form.cleaned_data)
        except ScanError as exc:
            field = exc.code if exc.code in ("name", "slug") else None
            form.add_error(field, exc.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s is created. Now invite its coordinator.") % {"name": organisation.name},
            )
            return redirect(
                reverse("scan:organisation", kwargs={"org": organisation.slug}) + "#invite"
            )
    return render(
        request, "cms/organisation_create.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """A working-group member's start page: the actions they carry, themselves or through one
    of their working groups, in every organisation they belong to."""
    from actions.workload import my_actions as carried

    actions = list(carried(request.user))
    return render(
        request,
        "actions/my_actions.html",
        {
            "open_actions": [a for a in actions if a.is_open],
            "closed_actions": [a for a in actions if not a.is_open],
            "organisations": [a.organisation for a in organisations_for(request.user)],
        },
    )


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where a login leads: a working-group member to their actions, everyone else to their
    organisations (a contract partner from there to its scorecards)."""
    from actions.workload import lands_on_my_actions

    return redirect("cms:my_actions" if lands_on_my_actions(request.user) else "cms:start")
