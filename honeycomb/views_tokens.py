"""A coordinator's page of the API tokens of the organisation's people."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.permissions import organisation_view
from scan.params import parse_id

from . import selectors, services
from .permissions import HONEYCOMB_POLICY


@organisation_view(HONEYCOMB_POLICY.roles("revoke_member_tokens"))
def member_api_tokens(request, access):
    """A coordinator sees and revokes the API tokens of the organisation's people whose only
    role is here (a token acts with all of its owner's roles)."""
    if request.method == "POST":
        token_id = parse_id(request.POST.get("revoke", ""))
        if token_id and services.api_token_revoke_in_organisation(
            actor=request.user, organisation=access.organisation, token_id=token_id
        ):
            messages.success(request, _("The token no longer works."))
        return redirect("api_tokens:organisation", org=access.organisation.slug)
    return render(
        request,
        "honeycomb/member_api_tokens.html",
        {
            "access": access,
            "organisation": access.organisation,
            "tokens": selectors.organisation_api_tokens(access.organisation),
        },
    )
