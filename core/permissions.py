"""The one place that decides who may do what in an organisation.

Membership is checked once for every page under ``org/<slug:org>/``: cms/urls.py wraps that
whole subtree in ``organisation_member_required``, which resolves the person's ``Access``.
Each view then names the roles it allows with ``organisation_view``. Consultants act in
organisations they are assigned to; other apps may grant an outside role (a contract
partner's login) through the ``klantraat_external_role`` hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from wagtail import hooks

from core.models import Membership, Organisation, Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class Access:
    """Who acts in which organisation with which role: resolved once per request and handed
    to views, services and templates, which ask a policy what it allows."""

    organisation: Organisation
    role: str
    user: Any = field(default=None, compare=False, repr=False)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


class Policy:
    """One app's rules: which roles hold each capability (Wagtail's permission policies are
    the model). Views, services, admin hooks and templates (``can.<capability>``) all ask the
    app's policy; none compares a role itself."""

    def __init__(self, rules: Mapping[str, Iterable[str]]):
        self.rules = {capability: frozenset(roles) for capability, roles in rules.items()}

    def roles(self, capability: str) -> frozenset[str]:
        return self.rules[capability]

    def allows(self, access: Access | None, capability: str) -> bool:
        return access is not None and access.role in self.rules[capability]

    def require(self, access: Access | None, capability: str, message: str | Promise = "") -> None:
        """Raise PermissionDenied (with ``message``) unless ``access`` holds ``capability``."""
        if not self.allows(access, capability):
            raise PermissionDenied(message or "Your role does not allow this")

    def capabilities(self, access: Access | None) -> dict[str, bool]:
        return {capability: self.allows(access, capability) for capability in self.rules}


def role_held(user, role: str) -> bool:
    """Whether a membership's role counts: a consultant role only for staff accounts."""
    return role != Role.CONSULTANT or user.is_staff


def role_in(user, organisation: Organisation) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    membership = (
        Membership.objects.filter(user=user, organisation=organisation).only("role").first()
    )
    if membership is None or not role_held(user, membership.role):
        return None
    return membership.role


EXTERNAL_ROLE_HOOK = "klantraat_external_role"


def external_role(user, organisation: Organisation) -> str | None:
    """A role someone holds in an organisation without being a member (a contract partner's
    own login), as granted by an app through the ``klantraat_external_role`` hook."""
    if not user.is_authenticated or not user.is_active:
        return None
    for grant in hooks.get_hooks(EXTERNAL_ROLE_HOOK):
        if role := grant(user, organisation):
            return role
    return None


def organisation_member_required(view: Callable) -> Callable:
    """Guards every view under ``org/<slug:org>/`` (applied by cms/urls.py to the subtree):
    anonymous people go to the login page, anyone who is neither a member nor holds an
    outside role gets 404 (an organisation's existence is not revealed). The resolved access
    is left on the request for the view's own role check."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, org: str, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = access_by_slug(request.user, org)
        if access is None:
            raise Http404("Not a member of this organisation")
        request.organisation_access = access  # type: ignore[attr-defined]  # read by views
        return view(request, *args, org=org, **kwargs)

    wrapper.organisation_guarded = True  # type: ignore[attr-defined]  # read by the URL-tree test
    return wrapper


def access_by_slug(user, slug: str) -> Access | None:
    """A member's access to the organisation with this slug, with the organisation, in one
    query; otherwise an outside role granted through the hook, or None."""
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=slug)
        .first()
    )
    if membership is not None and role_held(user, membership.role):
        if not user.is_active:
            return None
        return Access(organisation=membership.organisation, role=membership.role, user=user)
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return None
    role = external_role(user, organisation)
    return None if role is None else Access(organisation=organisation, role=role, user=user)


def require_role(user, organisation: Organisation, roles: Iterable[str] = ALL_ROLES) -> Access:
    """Raise 404 for non-members (an organisation's existence is not revealed) and 403 for
    members whose role does not allow the action."""
    role = role_in(user, organisation)
    if role is None:
        raise Http404("Not a member of this organisation")
    if role not in set(roles):
        raise PermissionDenied("Your role does not allow this")
    return Access(organisation=organisation, role=role, user=user)


def access_for(user, organisation: Organisation) -> Access | None:
    """The access ``user`` has in ``organisation`` (None for non-members): for callers outside
    a request, such as commands, tasks and tests."""
    role = role_in(user, organisation)
    return None if role is None else Access(organisation=organisation, role=role, user=user)


def organisation_view(roles: Iterable[str]) -> Callable:
    """Decorator for views taking ``org`` (slug): resolves it, checks the role and passes
    ``access`` to the view. ``roles`` are a capability's, asked of the app's policy
    (``SCAN_POLICY.roles("manage_rounds")``), never a list of roles written out."""
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, *args, **kwargs) -> HttpResponse:
            access = getattr(request, "organisation_access", None)
            if access is None:  # a view mounted outside the organisation subtree
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                organisation = get_object_or_404(Organisation, slug=org)
                access = require_role(request.user, organisation, allowed)
            elif access.role not in ALL_ROLES:  # an outside role sees only its own pages
                raise Http404("Not a member of this organisation")
            elif access.role not in allowed:
                raise PermissionDenied("Your role does not allow this")
            return view(request, access, *args, **kwargs)

        wrapper.required_roles = allowed  # type: ignore[attr-defined]  # read by the access-control tests
        return wrapper

    return decorator


def held_memberships(user) -> QuerySet[Membership]:
    """The memberships whose role counts (``role_held``): a consultant's only for an active
    staff account; none for an anonymous or inactive person."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return Membership.objects.none()
    memberships = Membership.objects.filter(user=user)
    return memberships if user.is_staff else memberships.exclude(role=Role.CONSULTANT)


def organisations_served_by(user) -> QuerySet[Organisation]:
    """The organisations a consultant serves: the one answer for the portfolio, the CMS
    listings and choosers, copying rounds and the API (a superuser's wider reach in the CMS
    is the CMS's own rule)."""
    served = held_memberships(user).filter(role=Role.CONSULTANT).values("organisation_id")
    return Organisation.objects.filter(pk__in=served)


def organisations_for(user) -> list[Access]:
    """Every organisation the user may act in, with the role there."""
    memberships = held_memberships(user).select_related("organisation")
    return [Access(organisation=m.organisation, role=m.role, user=user) for m in memberships]


def is_consultant_user(user) -> bool:
    """Whether the user works across organisations as a consultant (portfolio, model files,
    the CMS): the one test for it, used by views and by the menu alike."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def site_capabilities(user) -> dict[str, bool]:
    """What the site-wide menu may offer this user (templates ask ``can.portfolio``, never a
    role or ``is_staff``)."""
    consultant = is_consultant_user(user)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "portfolio": consultant,
        "cms": consultant,
        "create_organisation": consultant,
        "api_tokens": signed_in,
    }


def consultant_required(view: Callable) -> Callable:
    """For pages consultants use across organisations (portfolio, model files). Anyone not
    logged in goes to the login page; a logged-in user who is not a consultant gets 403 (a
    redirect to the login page would send them straight back: a redirect loop)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "cms:login")
        if not is_consultant_user(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
