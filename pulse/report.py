"""The contract partner's scorecard as a PDF for the quarterly talk: the same figures as the
page (one computation, ``pulse.figures.pulse_figures``), drawn in the board pack's style."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from honeycomb.report import escape, render_pdf, report_table


def number(value: float | None) -> str:
    return "" if value is None else formats.number_format(value, 1)


def summary_text(label: str, row: dict | None) -> str:
    if not row:
        return _("%(label)s: no responses yet.") % {"label": label}
    if row["suppressed"]:
        return _("%(label)s: too few responses") % {"label": label}
    return _("%(label)s: mean grade %(mean)s · %(pct)s%% dissatisfied · %(n)s responses") % {
        "label": label,
        "mean": number(row["mean"]),
        "pct": row["dissatisfied_pct"],
        "n": row["n"],
    }


def moment_rows(rows: list[dict], threshold: int) -> list[list[str]]:
    table = [
        [
            _("Customer moment"),
            _("Mean grade"),
            # xgettext:no-python-format
            _("95% interval"),
            _("Dissatisfied (5 or lower)"),
            _("Responses"),
        ]
    ]
    for row in rows:
        if row["suppressed"]:
            table.append([row["label"], _("too few responses"), "", "", f"< {threshold}"])
            continue
        interval = (
            f"{number(row['low'])} – {number(row['high'])}"
            if row["low"] is not None
            else _("from 30 responses")
        )
        share = f"{row['dissatisfied_pct']}%"
        if row["basic_ok"] is False:
            share += " " + _("(above the %(line)s%% line)") % {"line": row["line_pct"]}
        table.append([row["label"], number(row["mean"]), interval, share, str(row["n"])])
    return table


def driver_rows(drivers: list[dict]) -> list[list[str]]:
    rows = [[_("Question"), _("Customer moment"), _("Yes")]]
    rows += [
        [d["text"], d["moment"], _("too few responses") if d["pct"] is None else f"{d['pct']}%"]
        for d in drivers
    ]
    return rows


def trend_rows(trend: list[dict], threshold: int) -> list[list[str]]:
    rows = [[_("Month"), _("Mean grade (12 months)"), _("Dissatisfied"), _("Responses")]]
    for point in trend:
        month = formats.date_format(point["month"], "YEAR_MONTH_FORMAT")
        if point["suppressed"]:
            rows.append([month, _("too few responses"), "", f"< {threshold}"])
        else:
            rows.append(
                [month, number(point["mean"]), f"{point['dissatisfied_pct']}%", str(point["n"])]
            )
    return rows


def explanation(threshold: int) -> str:
    return _(
        "Tenants grade each customer moment from 1 to 10. A grade of 5 or lower counts as dissatisfied; more than 15%% dissatisfied means the basic process is not in order. Figures appear from %(t)s responses, an interval from 30."
    ) % {"t": threshold}


def build_scorecard_pdf(
    *, partner_name: str, organisation_name: str, figures: dict, threshold: int, made_on: dt.date
) -> bytes:
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontSize=16, leading=20)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12.5, leading=16)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    title = _("Scorecard %(partner)s") % {"partner": partner_name}
    story: list = [
        Paragraph(escape(title), h1),
        Paragraph(escape(organisation_name), h2),
        Paragraph(
            escape(_("Made on %(date)s.") % {"date": formats.date_format(made_on, "DATE_FORMAT")}),
            small,
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(summary_text(_("This quarter"), figures["quarter"])), body),
        Paragraph(escape(summary_text(_("Last 12 months"), figures["year"])), body),
        Spacer(1, 3 * mm),
        Paragraph(escape(explanation(threshold)), small),
        Paragraph(_("Per customer moment"), h2),
    ]
    if figures["moments"]:
        story.append(report_table(moment_rows(figures["moments"], threshold), numeric_from=1))
    else:
        story.append(Paragraph(_("No responses yet."), body))
    if figures["drivers"]:
        story += [
            CondPageBreak(40 * mm),
            Paragraph(_("Drivers"), h2),
            report_table(driver_rows(figures["drivers"])),
        ]
    if figures["trend"]:
        story += [
            CondPageBreak(60 * mm),
            Paragraph(_("Rolling 12-month trend"), h2),
            report_table(trend_rows(figures["trend"], threshold), numeric_from=1),
        ]
    return render_pdf(
        story,
        title=f"{title} – {organisation_name}",
        footer=f"Klantraat · {organisation_name} · {title}",
    )
