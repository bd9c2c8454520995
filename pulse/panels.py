"""The pulse beside the honeycomb: the cell page and the dashboard show how tenants graded the
customer moments whose questions inform a cell, between rounds. Reached through the honeycomb's
hooks (pulse/wagtail_hooks.py), so the honeycomb never imports the pulse."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Organisation
from honeycomb.extensions import Panel, PanelTable
from scan.models import ScanRound
from scan.models.rounds import RoundStatus

from . import selectors
from .figures import moment_figures
from .models import CustomerMoment, Questionnaire
from .questionnaires import tagged_cells
from .scoring import DISSATISFIED_LINE, GradeFigure

OPEN_ROUND_MONTHS = 12
DASHBOARD_MONTHS = 3


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def moments_for_cell(organisation: Organisation, cell_code: str) -> list[CustomerMoment]:
    """Active moments whose latest questionnaire tags the cell."""
    latest: dict[int, dict] = {}
    for moment_id, document in Questionnaire.objects.filter(
        moment__organisation=organisation, moment__active=True
    ).values_list("moment_id", "document"):
        latest.setdefault(moment_id, document)  # ordered newest version first (Meta)
    wanted = [pk for pk, document in latest.items() if cell_code in tagged_cells(document)]
    return list(CustomerMoment.objects.filter(pk__in=wanted).order_by("code"))


def between_rounds(scan_round: ScanRound, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """(first month, end) of the pulse that belongs beside a round: from the month it closed
    until the next round opens; for a round that is still open, the last 12 months."""
    closed = (
        scan_round.status == RoundStatus.CLOSED
        or scan_round.signed_at
        or (scan_round.status == RoundStatus.OPEN and scan_round.closes_on < today)
    )
    if not closed:
        return months_back(today, OPEN_ROUND_MONTHS - 1), None
    since = min(scan_round.closes_on, today).replace(day=1)
    following = adjacent_round(scan_round, after=True)
    return since, following.opens_on if following else None


def adjacent_round(scan_round: ScanRound, *, after: bool) -> ScanRound | None:
    """The organisation's next (``after``) or previous round, drafts left out.

    The next one is the first to open after this round opened (its opening ends the pulse
    "since" this round). The previous one counts only once it has closed, and only if it
    closed before this round did: a round still open, or one that ran on past this round's
    end, is no "round before" (it gave the review "January 2027 to November 2026")."""
    rounds = ScanRound.objects.filter(organisation_id=scan_round.organisation_id).exclude(
        status=RoundStatus.DRAFT
    )
    if after:
        return rounds.filter(opens_on__gt=scan_round.opens_on).order_by("opens_on").first()
    return (
        rounds.filter(
            status=RoundStatus.CLOSED,
            opens_on__lt=scan_round.opens_on,
            closes_on__lt=scan_round.closes_on,
        )
        .exclude(pk=scan_round.pk)
        .order_by("-closes_on", "-opens_on")
        .first()
    )


def _shown(figure: GradeFigure) -> tuple[str, int]:
    """(mean as text, share dissatisfied in %) of a figure that is not suppressed."""
    if figure.mean is None or figure.dissatisfied_share is None:
        raise ValueError("a suppressed figure has nothing to show")
    return formats.number_format(figure.mean, 1), round(figure.dissatisfied_share * 100)


def _grade_cells(figure: GradeFigure, threshold: int) -> list[str]:
    if figure.suppressed:
        return [_("too few responses"), "", _("fewer than %(t)s") % {"t": threshold}]
    mean, share = _shown(figure)
    line = round(DISSATISFIED_LINE * 100)
    verdict = (
        _("above the %(line)s%% line")
        if not figure.basic_process_in_order
        else _("within the %(line)s%% line")
    ) % {"line": line}
    return [mean, f"{share}% ({verdict})", str(figure.n)]


def cell_panels(scan_round: ScanRound, cell_code: str, language: str) -> list[Panel]:
    organisation = scan_round.organisation
    moments = moments_for_cell(organisation, cell_code)
    if not moments:
        return []
    threshold = selectors.threshold_for(organisation)
    since, until = between_rounds(scan_round, timezone.localdate())
    found = moment_figures(
        organisation,
        threshold=threshold,
        since=since,
        until=until,
        moment_ids=[m.pk for m in moments],
    )
    with translation.override(language):
        rows = []
        for moment in moments:
            figure = found[moment.pk]["figure"] if moment.pk in found else GradeFigure(0, True)
            rows.append([moment.name(language), *_grade_cells(figure, threshold)])
        start = formats.date_format(since, "YEAR_MONTH_FORMAT")
        period = (
            _("From %(start)s until the next round opened (%(end)s).")
            % {"start": start, "end": formats.date_format(until, "DATE_FORMAT")}
            if until
            else _("Since %(start)s.") % {"start": start}
        )
        return [
            Panel(
                title=_("Tenant pulse between rounds"),
                lines=[
                    _("How tenants graded the customer moments whose questions inform this cell.")
                    + " "
                    + period,
                    _(
                        "A grade of 5 or lower counts as dissatisfied; more than %(line)s%% dissatisfied means the basic process is not in order. Figures appear from %(t)s responses."
                    )
                    % {"line": round(DISSATISFIED_LINE * 100), "t": threshold},
                ],
                table=PanelTable(
                    head=[
                        _("Customer moment"),
                        _("Mean grade"),
                        _("Dissatisfied (5 or lower)"),
                        _("Responses"),
                    ],
                    rows=rows,
                ),
                url=reverse("pulse:overview", kwargs={"org": organisation.slug}),
                link_text=_("The whole tenant pulse"),
            )
        ]


def dashboard_panels(organisation: Organisation, language: str) -> list[Panel]:
    moments = list(CustomerMoment.objects.filter(organisation=organisation, active=True))
    if not moments:
        return []
    threshold = selectors.threshold_for(organisation)
    since = months_back(timezone.localdate(), DASHBOARD_MONTHS - 1)
    found = moment_figures(organisation, threshold=threshold, since=since)
    with translation.override(language):
        lines = []
        for moment in moments:
            if moment.pk not in found:
                continue
            figure = found[moment.pk]["figure"]
            if figure.suppressed:
                text = _("too few responses")
            else:
                mean, share = _shown(figure)
                text = _("%(mean)s · %(share)s%% dissatisfied · %(n)s responses") % {
                    "mean": mean,
                    "share": share,
                    "n": figure.n,
                }
                if not figure.basic_process_in_order:  # flagged as on the cell page
                    text += " · ⚠ " + _("above the %(line)s%% line") % {
                        "line": round(DISSATISFIED_LINE * 100)
                    }
            lines.append(f"{moment.name(language)}: {text}")
        lines = lines or [_("No responses in the last three months.")]
        due = selectors.open_call_backs(organisation=organisation).values_list(
            "deadline", flat=True
        )
        if due:
            lines.append(
                ngettext(
                    "%(n)s tenant asked to be called back, the first before %(date)s.",
                    "%(n)s tenants asked to be called back, the first before %(date)s.",
                    len(due),
                )
                % {"n": len(due), "date": formats.date_format(due[0], "DATE_FORMAT")}
            )
        return [
            Panel(
                title=_("Tenant pulse, last three months"),
                lines=lines,
                table=None,
                url=reverse("pulse:overview", kwargs={"org": organisation.slug}),
                link_text=_("The whole tenant pulse"),
            )
        ]
