"""A round's releases on its pages: the state of an open round without figures, and the
consultant's interim release."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import organisation_view
from scan.models import ScanRound
from scan.selectors import response_rates, round_of

from .models import ReleaseKind
from .permissions import HONEYCOMB_POLICY
from .release_services import ReleaseError, release_make


def unreleased_page(request, access, scan_round: ScanRound) -> HttpResponse:
    """What every results page of a round without a release shows: why there are no figures
    yet, and the response per group (counts only, for reminders)."""
    return render(
        request,
        "honeycomb/unreleased.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "rates": response_rates(scan_round),
        },
    )


@require_POST
@organisation_view(HONEYCOMB_POLICY.roles("make_interim_release"))
def release_interim(request, access, pk: int):
    scan_round = round_of(access, pk)
    try:
        release = release_make(scan_round=scan_round, kind=ReleaseKind.INTERIM, user=request.user)
    except ReleaseError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Release %(number)s is published: every results page now shows it.")
            % {"number": release.number},
        )
    return redirect("honeycomb:results", org=access.organisation.slug, pk=scan_round.pk)
