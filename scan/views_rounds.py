"""Changing a round's details, and asking the consultant for what a coordinator may not do.
Views only orchestrate: the rules live in ``services.round_edit`` and ``services.asks``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import organisation_view

from . import services
from .forms_manage import RoundEditForm
from .models import RoundStatus, ScanRound
from .params import parse_id
from .permissions import SCAN_POLICY
from .selectors import round_of
from .services import ScanError
from .services.asks import consultant_ask
from .views import confirm_page


@organisation_view(SCAN_POLICY.roles("manage_rounds"))
def round_edit(request, access, pk: int):
    scan_round = round_of(access, pk)
    locked = services.round_has_answers(scan_round)
    # The form checks the values against a copy; the service changes the round itself.
    copy = ScanRound.objects.get(pk=scan_round.pk)
    form = RoundEditForm(request.POST or None, instance=copy, threshold_locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.RoundChange(
            title=data["title"],
            period=data["period"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            min_group_size=data["min_group_size"],
        )
        try:
            changed = services.round_update(scan_round=scan_round, change=change, user=request.user)
        except ScanError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if changed:
                messages.success(request, _("The round's details are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            for warning in services.round_date_warnings(change.opens_on, change.closes_on):
                if scan_round.status == "draft":
                    messages.warning(request, warning)
            return redirect("scan:round", org=access.organisation.slug, pk=pk)
    return render(
        request,
        "scan/round_edit.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "form": form,
            "threshold_locked": locked,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_view(SCAN_POLICY.roles("ask_consultant"))
def ask_consultant(request, access):
    """One button for what only the consultant may do: the ask is mailed to them."""
    what = request.POST.get("what", "")
    pk = parse_id(request.POST.get("round"))
    scan_round = round_of(access, pk) if pk is not None else None
    try:
        result = consultant_ask(access=access, what=what, scan_round=scan_round)
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        if result.repeated:
            messages.info(
                request,
                _("You asked this less than an hour ago; the consultant has your mail."),
            )
        else:
            messages.success(
                request,
                _("Your consultant has been asked by mail. You will see the change here."),
            )
    if scan_round is not None:
        return redirect("scan:round", org=access.organisation.slug, pk=scan_round.pk)
    return redirect("scan:organisation", org=access.organisation.slug)


STATUS_CONFIRMATIONS = {
    RoundStatus.OPEN: (
        lambda: _("Open round"),
        lambda: _(
            "Respondents can answer from now on, until the closing date. Invitations are not "
            "sent yet: you send them from the round's page."
        ),
    ),
    RoundStatus.CLOSED: (
        lambda: _("Close round"),
        lambda: _(
            "Nobody can answer any more, and today becomes the closing date. The round's figures "
            "are published now, for everyone in the organisation. You can reopen the round later "
            "as long as its evaluation has not been signed off."
        ),
    ),
}


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_rounds"))
def round_status(request, access, pk: int):
    scan_round = round_of(access, pk)
    status = request.POST.get("status", "")
    problem = services.round_status_problem(scan_round, status)
    if problem is not None:
        messages.error(request, problem)
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    if status in STATUS_CONFIRMATIONS and not request.POST.get("confirm"):
        title, what = STATUS_CONFIRMATIONS[RoundStatus(status)]
        return confirm_page(
            request,
            access,
            scan_round,
            title=title(),
            what=what(),
            count=None,
            button=title(),
            fields=[("status", status)],
        )
    try:
        services.round_set_status(scan_round=scan_round, status=request.POST.get("status", ""))
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("The round is now %(status)s.") % {"status": scan_round.get_status_display().lower()},
        )
    return redirect("scan:round", org=access.organisation.slug, pk=pk)
