"""The pulse beside a round's review and the trend: per honeycomb cell, how tenants graded the
customer moments whose questions inform it, in the run-up to each round and since the latest.
Reached through the honeycomb's hooks (pulse/wagtail_hooks.py); figures from the monthly
summaries, with the organisation's threshold (nothing shows below it)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from honeycomb.extensions import Panel, PanelTable
from scan.models import ScanRound
from scan.models.rounds import RoundStatus
from scan.selectors import model_doc

from . import selectors
from .figures import moment_figures
from .models import CustomerMoment, Questionnaire
from .panels import adjacent_round, between_rounds, months_back
from .questionnaires import tagged_cells
from .scoring import DISSATISFIED_LINE, GradeFigure

RUN_UP_MONTHS = 12


def tagged_moments(organisation) -> dict[str, list[CustomerMoment]]:
    """Per cell code, the active moments whose latest questionnaire informs it."""
    latest: dict[int, dict] = {}
    for moment_id, document in Questionnaire.objects.filter(
        moment__organisation=organisation, moment__active=True
    ).values_list("moment_id", "document"):
        latest.setdefault(moment_id, document)  # newest version first (Meta ordering)
    moments = {m.pk: m for m in CustomerMoment.objects.filter(pk__in=latest).order_by("code")}
    cells: dict[str, list[CustomerMoment]] = {}
    for pk, moment in moments.items():
        for code in sorted(tagged_cells(latest[pk])):
            cells.setdefault(code, []).append(moment)
    return cells


def run_up(scan_round: ScanRound, today: dt.date) -> tuple[dt.date, dt.date]:
    """(first month, end) of the pulse leading up to a round: from the month the round before it
    closed (12 months without one) until the month this round closed, where the pulse "since the
    round" (``panels.between_rounds``) begins."""
    end = min(scan_round.closes_on, today).replace(day=1)
    before = adjacent_round(scan_round, after=False)
    since = before.closes_on.replace(day=1) if before else months_back(end, RUN_UP_MONTHS)
    return since, end


def _text(found: dict, moment: CustomerMoment) -> str:
    if moment.pk not in found:
        return _("no responses")
    figure: GradeFigure = found[moment.pk]["figure"]
    if figure.suppressed or figure.mean is None or figure.dissatisfied_share is None:
        return _("too few responses")
    text = _("%(mean)s · %(share)s%% dissatisfied · %(n)s responses") % {
        "mean": formats.number_format(figure.mean, 1),
        "share": round(figure.dissatisfied_share * 100),
        "n": figure.n,
    }
    if not figure.basic_process_in_order:  # flagged as on the cell page and the dashboard
        text += " · ⚠ " + _("above the %(line)s%% line") % {"line": round(DISSATISFIED_LINE * 100)}
    return text


def _figures(organisation, threshold: int, span: tuple[dt.date, dt.date | None], ids) -> dict:
    return moment_figures(
        organisation, threshold=threshold, since=span[0], until=span[1], moment_ids=ids
    )


def _period(span: tuple[dt.date, dt.date | None]) -> str:
    start = formats.date_format(span[0], "YEAR_MONTH_FORMAT")
    if span[1] is None:
        return _("since %(start)s") % {"start": start}
    # The end is exclusive: a round opening on the 21st still counts its month's answers.
    last = formats.date_format(span[1] - dt.timedelta(days=1), "YEAR_MONTH_FORMAT")
    return _("%(start)s to %(end)s") % {"start": start, "end": last}


def review_panels(scan_round: ScanRound, language: str) -> list[Panel]:
    """Per cell the round measured: the pulse before the round and since it."""
    organisation = scan_round.organisation
    cells = tagged_moments(organisation)
    doc = model_doc(scan_round)
    cells = {code: moments for code, moments in cells.items() if code in doc.cell_by_code}
    if not cells:
        return []
    threshold = selectors.threshold_for(organisation)
    today = timezone.localdate()
    before, since = run_up(scan_round, today), between_rounds(scan_round, today)
    ids = sorted({m.pk for moments in cells.values() for m in moments})
    found_before = _figures(organisation, threshold, before, ids)
    found_since = _figures(organisation, threshold, since, ids)
    with translation.override(language):
        rows = []
        for domain in doc.domains:
            for cell in domain.cells:
                for moment in cells.get(cell.code, []):
                    name = cell.name.get(language) or cell.name["nl"]
                    rows.append(
                        [
                            f"{cell.code} {name}",
                            moment.name(language),
                            _text(found_before, moment),
                            _text(found_since, moment),
                        ]
                    )
        return [
            Panel(
                title=_("Tenant pulse for the cells of this round"),
                lines=[
                    _(
                        "How tenants graded the customer moments whose questions inform a cell: before this round (%(before)s) and since it (%(since)s). A grade of 5 or lower counts as dissatisfied. Figures appear from %(t)s responses."
                    )
                    % {"before": _period(before), "since": _period(since), "t": threshold}
                ],
                table=PanelTable(
                    head=[
                        _("Cell"),
                        _("Customer moment"),
                        _("Before the round"),
                        _("Since the round"),
                    ],
                    rows=rows,
                ),
                url=reverse("pulse:overview", kwargs={"org": organisation.slug}),
                link_text=_("The whole tenant pulse"),
            )
        ]


def trend_panels(scan_round: ScanRound, cell_code: str, language: str) -> list[Panel]:
    """For one cell: the pulse in the run-up to each round of the trend, and since the last."""
    organisation = scan_round.organisation
    moments = tagged_moments(organisation).get(cell_code, [])
    if not moments:
        return []
    threshold = selectors.threshold_for(organisation)
    today = timezone.localdate()
    rounds = list(
        ScanRound.objects.filter(organisation=organisation, opens_on__lte=scan_round.opens_on)
        .exclude(status=RoundStatus.DRAFT)
        .order_by("opens_on")
    )
    ids = [m.pk for m in moments]
    with translation.override(language):
        rows = []
        for each in rounds:
            span = run_up(each, today)
            found = _figures(organisation, threshold, span, ids)
            label = _("Before %(round)s (%(period)s)") % {
                "round": each.period_label or each.title,
                "period": _period(span),
            }
            rows.append([label, *(_text(found, m) for m in moments)])
        latest = between_rounds(scan_round, today)
        found = _figures(organisation, threshold, latest, ids)
        label = _("Since %(round)s (%(period)s)") % {
            "round": scan_round.period_label or scan_round.title,
            "period": _period(latest),
        }
        rows.append([label, *(_text(found, m) for m in moments)])
        return [
            Panel(
                title=_("Tenant pulse beside the rounds"),
                lines=[
                    _(
                        "How tenants graded the customer moments whose questions inform this cell, in the months before each round and since the latest: to read beside the scores above. Figures appear from %(t)s responses."
                    )
                    % {"t": threshold}
                ],
                table=PanelTable(
                    head=[_("Period"), *(m.name(language) for m in moments)],
                    rows=rows,
                ),
                url=reverse("pulse:overview", kwargs={"org": organisation.slug}),
                link_text=_("The whole tenant pulse"),
            )
        ]
