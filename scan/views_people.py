"""The people of an organisation on its page: consultants invite, re-invite, re-role and remove;
every other member sees the list read-only (who can see the organisation's results should be
visible to all who can). Invitees choose a password on the welcome page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Membership, Role
from core.permissions import organisation_view

from . import selectors
from .forms import MemberInviteForm, MemberRoleForm
from .permissions import SCAN_POLICY
from .services import ScanError
from .services.people import (
    UNKNOWN_ROLE,
    member_reinvite,
    member_remove,
    member_role_change,
    members_invite,
)


def organisation_page(request, access, *, invite_form=None, status: int = 200):
    """The organisation's page: its rounds and its people."""
    can_manage = SCAN_POLICY.allows(access, "manage_people")
    return render(
        request,
        "scan/organisation_home.html",
        {
            "access": access,
            "organisation": access.organisation,
            "rounds": selectors.rounds_for(access.organisation),
            "members": selectors.members_of(access.organisation),
            "invite_form": (invite_form or MemberInviteForm()) if can_manage else None,
            "roles": Role.choices,
        },
        status=status,
    )


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_people"))
def member_invite(request, access):
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = members_invite(
                organisation=access.organisation,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                invited_by=request.user,
            )
        except ScanError as exc:
            form.add_error("email", exc)
        else:
            who = result.membership.user.email
            if result.new_account:
                messages.success(
                    request,
                    _("%(email)s is invited and gets a link to choose a password.")
                    % {"email": who},
                )
            else:
                messages.success(
                    request,
                    _("%(email)s already had an account: added, and told by mail.")
                    % {"email": who},
                )
            return redirect(_people_url(access))
    return organisation_page(request, access, invite_form=form, status=400)


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_people"))
def member_reinvite_view(request, access, member_pk: int):
    membership = _membership(access, member_pk)
    who = _who(membership)
    if not request.POST.get("confirm"):
        return _confirm(
            request,
            access,
            title=_("Invite again"),
            what=_(
                "%(who)s gets a new link to choose a password. Links sent earlier keep working "
                "until they expire or a password is chosen."
            )
            % {"who": who},
            button=_("Invite again"),
        )
    try:
        member_reinvite(membership=membership, invited_by=request.user)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("A new link is mailed to %(who)s.") % {"who": who})
    return redirect(_people_url(access))


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_people"))
def member_role(request, access, member_pk: int):
    membership = _membership(access, member_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, UNKNOWN_ROLE)
        return redirect(_people_url(access))
    role = form.cleaned_data["role"]
    if not request.POST.get("confirm"):
        return _confirm(
            request,
            access,
            title=_("Change role"),
            what=_("%(who)s becomes %(role)s in %(organisation)s (now: %(previous)s).")
            % {
                "who": _who(membership),
                "role": Role(role).label,
                "organisation": access.organisation.name,
                "previous": membership.get_role_display(),
            },
            button=_("Change role"),
            fields=[("role", role)],
        )
    try:
        member_role_change(membership=membership, role=role, changed_by=request.user)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("%(who)s is now %(role)s.") % {"who": _who(membership), "role": Role(role).label},
        )
    return redirect(_people_url(access))


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_people"))
def member_remove_view(request, access, member_pk: int):
    membership = _membership(access, member_pk)
    who = _who(membership)
    if not request.POST.get("confirm"):
        return _confirm(
            request,
            access,
            title=_("Remove from the organisation"),
            what=_(
                "%(who)s can no longer open %(organisation)s. Their account stays; what they "
                "did is kept in the audit log."
            )
            % {"who": who, "organisation": access.organisation.name},
            button=_("Remove"),
        )
    try:
        member_remove(membership=membership, removed_by=request.user)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(who)s is removed.") % {"who": who})
    return redirect(_people_url(access))


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invitation link: choose a password, be logged in, land in the organisation.
    Django's view checks the token, moves it out of the URL into the session (so it does not
    leak through the Referer header) and voids it by changing the password."""

    template_name = "scan/welcome.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None  # blocked: link void

    def get_success_url(self) -> str:
        membership = (
            Membership.objects.filter(user=self.user)
            .select_related("organisation")
            .order_by("-created_at", "-pk")
            .first()
        )
        if membership is None:
            return reverse("cms:start")
        if membership.role == Role.WORKGROUP:
            return reverse("cms:landing")  # a working-group member starts on their actions
        return reverse("scan:organisation", kwargs={"org": membership.organisation.slug})

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome! Your password is saved."))
        return response


welcome = WelcomeView.as_view()


# --- helpers ------------------------------------------------------------------------------


def _membership(access, member_pk: int) -> Membership:
    """A membership of this organisation only: another organisation's id is a 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=member_pk,
        organisation=access.organisation,
    )


def _who(membership: Membership) -> str:
    user = membership.user
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _people_url(access) -> str:
    return reverse("scan:organisation", kwargs={"org": access.organisation.slug}) + "#people"


def _confirm(request, access, *, title, what, button, fields=()):
    return render(
        request,
        "scan/confirm.html",
        {
            "access": access,
            "organisation": access.organisation,
            "title": title,
            "what": what,
            "count": None,
            "button": button,
            "fields": fields,
            "cancel_url": _people_url(access),
        },
    )
