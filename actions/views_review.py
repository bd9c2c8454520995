"""The director's review of a closed round: the page, the summary, signing off, withdrawing,
and the sign-off history with each earlier signed version."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.permissions import organisation_view
from honeycomb.models import FrozenResults
from honeycomb.results import RoundResults, round_results
from honeycomb.selectors import review_panels
from scan.models import RoundStatus
from scan.params import MAX_ID
from scan.selectors import model_doc

from . import presenters, selectors, services
from .forms import SignOffForm, SummaryForm, WithdrawForm
from .history import sign_off_history
from .models import Review, WithdrawnSignOff
from .permissions import ACTIONS_POLICY


@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def review(request, access, pk: int):
    """GET only reads (nothing is written until someone posts a form)."""
    scan_round, the_review = selectors.review_with_round(access.organisation, pk)
    if scan_round.status != RoundStatus.CLOSED:
        messages.info(request, _("A review is possible once the round is closed."))
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    if request.method == "POST":
        return _review_post(request, access, scan_round)
    the_review = the_review or Review(round=scan_round)
    # A sign-off from before snapshots existed froze no review content: show it live.
    signed = the_review.is_signed_off and "actions" in (the_review.frozen or {})
    results = round_results(scan_round)
    data: dict = (
        (the_review.frozen or {}) if signed else services.review_snapshot(scan_round, results)
    )

    def url_for(code: str) -> str:
        return reverse(
            "honeycomb:cell",
            kwargs={"org": access.organisation.slug, "pk": scan_round.pk, "cell": code},
        )

    context = presenters.review_page(
        results, model_doc(scan_round), data, language=request.LANGUAGE_CODE, url_for=url_for
    )
    context.update(
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "results": results,
            "review": the_review,
            "summary": data.get("summary", the_review.summary) if signed else the_review.summary,
            "summary_is_draft": not signed and not the_review.summary_final,
            "summary_form": SummaryForm(
                initial={
                    "summary": the_review.summary,
                    "final": the_review.summary_final,
                    "revision": the_review.revision,
                }
            ),
            "sign_form": SignOffForm(initial={"revision": the_review.revision}),
            "withdraw_form": WithdrawForm(),
            "panels": review_panels(scan_round, request.LANGUAGE_CODE),
            "history": sign_off_history(the_review),
        }
    )
    return render(request, "actions/review.html", context)


@require_GET
@organisation_view(ACTIONS_POLICY.roles("view_cycle"))
def signed_version(request, access, pk: int, version: int):
    """An earlier signed version of the review, as it was frozen, with who withdrew it and
    why. Read only; the live review and its sign-off in force stay on the review page."""
    scan_round, the_review = selectors.review_with_round(access.organisation, pk)
    if the_review is None or not 0 < version <= MAX_ID:
        raise Http404
    entry = next((e for e in sign_off_history(the_review) if e["pk"] == version), None)
    withdrawn = WithdrawnSignOff.objects.filter(pk=version, review=the_review).first()
    frozen = (withdrawn.frozen or {}) if withdrawn else {}
    # 0 when the version froze no results: no snapshot has that id
    snapshot = FrozenResults.objects.filter(pk=frozen.get("results", 0), round=scan_round).first()
    if entry is None or snapshot is None or "actions" not in frozen:
        raise Http404
    results = RoundResults.from_snapshot(snapshot.data)
    # No links to cell pages: they show the round as it is now, not as it was signed.
    context = presenters.review_page(
        results, model_doc(scan_round), frozen, language=request.LANGUAGE_CODE
    )
    context.update(
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": scan_round,
            "entry": entry,
            "summary": frozen.get("summary", ""),
        }
    )
    return render(request, "actions/review_signed_version.html", context)


def _review_post(request, access, scan_round):
    back = redirect("review:round", org=access.organisation.slug, pk=scan_round.pk)
    which = request.POST.get("form")
    forms = {"summary": SummaryForm, "sign": SignOffForm, "withdraw": WithdrawForm}
    form = forms.get(which, SignOffForm)(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return back
    try:
        if which == "summary":
            services.review_save_summary(scan_round=scan_round, access=access, **form.cleaned_data)
            messages.success(request, _("Summary saved."))
        elif which == "withdraw":
            services.review_withdraw(scan_round=scan_round, access=access, **form.cleaned_data)
            messages.success(request, _("Sign-off withdrawn. The results are no longer frozen."))
        else:
            services.review_sign_off(scan_round=scan_round, access=access, **form.cleaned_data)
            messages.success(
                request, _("Review signed off. The results and summary are now frozen.")
            )
    except services.CycleError as exc:
        messages.error(request, exc.messages[0])
    return back
