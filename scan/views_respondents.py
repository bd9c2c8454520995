"""Acting on respondents from the round page's list: deleting one, and inviting, reminding or
revoking the links of the selected ones. Each shows what will happen first (``confirm_page``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import organisation_view

from . import selectors, services
from .forms_manage import BulkActionForm
from .models import Respondent, RoundStatus
from .permissions import SCAN_POLICY
from .selectors import round_of
from .services import ScanError
from .services.respondents import respondent_has_answered
from .views import confirm_page


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def respondent_delete(request, access, pk: int, respondent_pk: int):
    scan_round = round_of(access, pk)
    respondent = get_object_or_404(
        Respondent, pk=respondent_pk, round=scan_round, personal_data_erased_at__isnull=True
    )
    who = respondent.email or respondent.name or _("this respondent")
    if not request.POST.get("confirm"):
        if respondent_has_answered(respondent):
            what = _(
                "%(who)s has already answered. Their name, e-mail address, department, "
                "comments and links are erased; the answers stay, anonymously, so the results "
                "do not change. This cannot be undone."
            )
        else:
            what = _(
                "%(who)s is removed from this round with their links and mails. This cannot "
                "be undone."
            )
        return confirm_page(
            request,
            access,
            scan_round,
            title=_("Delete respondent"),
            what=what % {"who": who},
            count=1,
            button=_("Delete respondent"),
        )
    outcome = services.respondent_delete(respondent=respondent, user=request.user)
    if outcome == "erased":
        messages.success(
            request,
            _("The personal data of %(who)s were erased; the anonymous answers stay.")
            % {"who": who},
        )
    else:
        messages.success(request, _("%(who)s was removed from the round.") % {"who": who})
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


NOT_OPEN_FOR_MAIL = gettext_lazy("Invitations and reminders go out only while the round is open.")

BULK_TEXTS = {
    "invite": (
        lambda: _("Invite the selected respondents"),
        lambda: _(
            "The selected respondents with an e-mail address who have not been invited yet get "
            "an invitation with a personal link. Nobody is invited twice."
        ),
    ),
    "remind": (
        lambda: _("Remind the selected respondents"),
        lambda: _(
            "The selected respondents who were invited and have not submitted yet get a "
            "reminder with a new personal link (at most one reminder a day)."
        ),
    ),
    "revoke": (
        lambda: _("Revoke the links of the selected respondents"),
        lambda: _(
            "The links the selected respondents have now stop working. Answers given so far "
            "are kept. You can mail them a new link later."
        ),
    ),
}


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def respondents_bulk(request, access, pk: int):
    """Invite, remind or revoke the links of the respondents ticked on the list."""
    scan_round = round_of(access, pk)
    form = BulkActionForm(request.POST, scan_round=scan_round)
    ids = request.POST.getlist("respondent")
    selected = selectors.respondents_selected(scan_round, ids)
    back = request.POST.get("next", "")
    back_url = redirect("scan:round", org=access.organisation.slug, pk=pk).url
    if back.startswith("?"):
        back_url += back
    if not form.is_valid():
        if scan_round.status != RoundStatus.OPEN and request.POST.get("action") in BULK_TEXTS:
            messages.error(request, NOT_OPEN_FOR_MAIL)
        else:
            messages.error(request, _("Choose what to do with the selected respondents."))
        return redirect(back_url)
    if not selected.exists():
        messages.error(request, _("Select at least one respondent."))
        return redirect(back_url)
    action = form.cleaned_data["action"]
    if not request.POST.get("confirm"):
        title, what = BULK_TEXTS[action]
        return confirm_page(
            request,
            access,
            scan_round,
            title=title(),
            what=what(),
            count=selectors.bulk_action_count(scan_round, selected, action),
            button=title(),
            fields=[("action", action), ("next", back)]
            + [("respondent", r.pk) for r in selected.only("pk")],
        )
    try:
        if action == "invite":
            n = services.invitations_queue(
                scan_round=scan_round, respondents=selected, user=request.user
            )
            text = _("%(n)s invitations are being sent.")
        elif action == "remind":
            n = services.reminders_queue(
                scan_round=scan_round, respondents=selected, user=request.user
            )
            text = _("%(n)s reminders are being sent.")
        else:
            n = 0
            for respondent in selected.select_related("round__organisation"):
                services.respondent_revoke_links(respondent=respondent, user=request.user)
                n += 1
            text = _("The links of %(n)s respondents no longer work.")
    except ScanError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, text % {"n": n})
    return redirect(back_url)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def respondents_export(request, access, pk: int, fmt: str):
    """The round's respondents as CSV or Excel; audited as an export."""
    from django.http import Http404, HttpResponse
    from django.utils.text import slugify

    from core.audit import audit

    from .exports import respondents_csv, respondents_xlsx

    scan_round = round_of(access, pk)
    if fmt not in EXPORT_TYPES:
        raise Http404("Unknown format")
    content = respondents_csv(scan_round) if fmt == "csv" else respondents_xlsx(scan_round)
    audit(
        "export",
        organisation=access.organisation,
        request=request,
        what=f"respondents ({fmt})",
        round=scan_round.pk,
    )
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="respondenten-{slugify(scan_round.title)}.{fmt}"'
    )
    return response
