"""Sections the improvement cycle adds to the board report (through the
``klantraat_report_sections`` hook): review, actions, trend. A signed round shows what was
signed; a draft summary is marked as a draft."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from honeycomb.board_pack import LineChart
from honeycomb.chart_formats import fmt_change, fmt_score
from honeycomb.report import ReportSection
from honeycomb.results import overall_score, round_results, trend_results
from scan.modeldoc import localised
from scan.models import ScanRound
from scan.periods import period_of, quarter_label
from scan.selectors import model_doc

from .models import ActionStatus, MeasureKind, Review
from .services import review_snapshot


def sections(scan_round: ScanRound, language: str) -> list[ReportSection]:
    review = Review.objects.filter(round=scan_round).select_related("signed_off_by").first()
    signed_off = (
        review
        if review is not None and review.is_signed_off and "actions" in (review.frozen or {})
        else None
    )
    data: dict[str, Any] = (
        (signed_off.frozen or {})
        if signed_off
        else review_snapshot(scan_round, round_results(scan_round))
    )
    out = []
    summary = data.get("summary", "") if signed_off else (review.summary if review else "")
    if summary or signed_off:
        paragraphs = []
        if summary:
            draft = not signed_off and review is not None and not review.summary_final
            paragraphs.append(_("Draft: %(summary)s") % {"summary": summary} if draft else summary)
        if signed_off and signed_off.signed_off_at is not None:
            paragraphs.append(
                _("Signed off by %(name)s on %(date)s. %(comment)s")
                % {
                    "name": signed_off.signed_off_by,
                    "date": date_format(
                        timezone.localtime(signed_off.signed_off_at), "DATE_FORMAT"
                    ),
                    "comment": signed_off.sign_off_comment,
                }
            )
        out.append(ReportSection(title=_("Review"), paragraphs=paragraphs))
    actions = data["actions"]
    if actions["list"]:
        rows = [[_("Action"), _("Status"), _("Cells")]] + [
            [a["title"], ActionStatus(a["status"]).label, ", ".join(a["cells"]) or "–"]
            for a in actions["list"]
        ]
        out.append(
            ReportSection(
                title=_("Improvement actions"),
                paragraphs=[
                    _("%(open)s open, of which %(overdue)s overdue; %(done)s done.") % actions
                ],
                table=rows,
            )
        )
    scored = trend_results(scan_round)
    if len(scored) > 1:
        doc = model_doc(scan_round)
        domains = [(d.code, localised(d.name, language)) for d in doc.domains]
        rows = [[_("Round"), _("Overall score"), *[name for _code, name in domains]]] + [
            [
                period_of(r),
                "–" if (v := overall_score(res)) is None else fmt_score(v),
                *[
                    "–" if (m := res.domain(code).mean) is None else fmt_score(m)
                    for code, _name in domains
                ],
            ]
            for r, res in scored
        ]
        chart = LineChart(
            categories=[period_of(r) for r, _res in scored],
            series={
                _("Overall score"): [overall_score(res) for _r, res in scored],
                **{name: [res.domain(code).mean for _r, res in scored] for code, name in domains},
            },
            axis_title=_("score (1–5)"),
        )
        paragraphs = [
            _(
                "Actions completed between rounds, beside the change in the cell: evidence to discuss, not proof of cause."
            )
        ]
        paragraphs += [
            f"{row['cell']}: {row['completed']} × {ActionStatus.DONE.label.lower()}, "
            + ("–" if row["change"] is None else fmt_change(row["change"]))
            for row in data["effect"]
            if row["completed"]
        ]
        out.append(ReportSection(title=_("Trend"), paragraphs=paragraphs, table=rows, chart=chart))
    measures = data.get("measures") or []
    if measures:  # the external measures of the round's period, as the review shows them
        rows = [[_("Measure"), _("Source"), _("Period"), _("Value")]] + [
            [
                str(MeasureKind(m["kind"]).label) if m["kind"] in MeasureKind else m["kind"],
                m["source"],
                quarter_label(m["period"]),
                f"{fmt_score(float(m['value']))} / {m['scale_max']}",
            ]
            for m in measures
        ]
        out.append(ReportSection(title=_("External customer measures"), table=rows))
    return out
