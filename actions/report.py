"""Sections the improvement cycle adds to the board report: review, actions, trend."""

from __future__ import annotations

from django.utils.translation import gettext as _

from honeycomb import selectors as honeycomb_selectors
from honeycomb.report import ReportSection
from scan.models import ScanRound

from . import selectors
from .models import ActionStatus, Review


def sections(scan_round: ScanRound, language: str) -> list[ReportSection]:
    organisation = scan_round.organisation
    out = []
    review = Review.objects.filter(round=scan_round).first()
    if review and (review.summary or review.is_signed_off):
        paragraphs = [review.summary] if review.summary else []
        if review.is_signed_off:
            paragraphs.append(
                _("Signed off by %(name)s on %(date)s. %(comment)s")
                % {
                    "name": review.signed_off_by,
                    "date": review.signed_off_at.strftime("%d-%m-%Y"),
                    "comment": review.sign_off_comment,
                }
            )
        out.append(ReportSection(title=_("Review"), paragraphs=paragraphs))
    actions = organisation.actions.order_by("status", "due_on")
    if actions:
        rows = [[_("Action"), _("Status"), _("Owner"), _("Due")]] + [
            [
                a.title,
                a.get_status_display(),
                str(a.owner or "–"),
                a.due_on.strftime("%d-%m-%Y") if a.due_on else "–",
            ]
            for a in actions
        ]
        counts = selectors.dashboard(organisation)
        out.append(
            ReportSection(
                title=_("Improvement actions"),
                paragraphs=[
                    _("%(open)s open, of which %(overdue)s overdue; %(done)s done.") % counts
                ],
                table=rows,
            )
        )
    rounds = honeycomb_selectors.trend_rounds(scan_round)
    if len(rounds) > 1:
        rows = [[_("Round"), _("Overall score")]] + [
            [r.period, "–" if (v := selectors._overall(r)) is None else f"{v:.1f}"] for r in rounds
        ]
        effect = selectors.action_effect(organisation, scan_round)
        paragraphs = [
            _(
                "Actions completed between rounds, beside the change in the cell: evidence to discuss, not proof of cause."
            )
        ]
        paragraphs += [
            f"{row['cell']}: {row['completed']} × {ActionStatus.DONE.label.lower()}, "
            + ("–" if row["change"] is None else f"{row['change']:+.1f}")
            for row in effect
            if row["completed"]
        ]
        out.append(ReportSection(title=_("Trend"), paragraphs=paragraphs, table=rows))
    return out
