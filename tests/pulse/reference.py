"""The pulse's figures computed straight from the raw answers with pandas, as they were before
the monthly summaries: the reference the summary-based figures must equal."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Organisation
from pulse.models import ContractPartner, CustomerMoment
from pulse.presenters import figure_row

from .frames import driver_shares, figures_by, grade_figure, monthly_trend, responses_frame


def raw_pulse_figures(
    organisation: Organisation, partner: ContractPartner | None, threshold: int
) -> dict:
    """The overview's and a scorecard's figures from the raw answers."""
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=365)
    frame = responses_frame(organisation=organisation, partner=partner, since=since)
    moments = {m.pk: m for m in CustomerMoment.objects.filter(organisation=organisation)}
    language = translation.get_language() or "nl"
    rows = []
    for moment_id, figure in figures_by(frame, "moment_id", threshold=threshold).items():
        label = (
            moments[int(moment_id)].name(language)
            if moment_id != "__other__"
            else _("Other moments")
        )
        rows.append(figure_row(label, figure))
    quarter_start = _quarter_start(timezone.localdate())
    quarter = frame[frame["month"] >= quarter_start] if not frame.empty else frame
    drivers = []
    for moment in moments.values():
        questionnaire = moment.questionnaires.order_by("-number").first()
        part = frame[frame["moment_id"] == moment.pk] if not frame.empty else frame
        if questionnaire is None or part.empty:
            continue
        shares = driver_shares(
            part, [d["code"] for d in questionnaire.document["drivers"]], threshold=threshold
        )
        for driver in questionnaire.document["drivers"]:
            share = shares.get(driver["code"])
            drivers.append(
                {
                    "moment": moment.name(language),
                    "text": driver["text"].get(language) or driver["text"]["nl"],
                    "pct": None if share is None else round(share * 100),
                }
            )
    return {
        "year": _summary(_("Last 12 months"), frame, threshold),
        "quarter": _summary(_("This quarter"), quarter, threshold),
        "moments": rows,
        "trend": [
            {"month": p["month"], **figure_row("", p["figure"])}
            for p in monthly_trend(frame, threshold=threshold)
        ],
        "drivers": drivers,
    }


def _summary(label: str, frame, threshold: int) -> dict | None:
    if frame.empty:
        return None
    return figure_row(label, grade_figure(frame["grade"], threshold=threshold))


def _quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def raw_partner_rows(organisation, threshold: int) -> list[dict]:
    partners = []
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=365)
    frame = responses_frame(organisation=organisation, since=since)
    names = {str(p.pk): p for p in ContractPartner.objects.filter(organisation=organisation)}
    for key, figure in figures_by(
        frame.fillna({"partner_id": 0}).astype({"partner_id": int}) if not frame.empty else frame,
        "partner_id",
        threshold=threshold,
    ).items():
        partner = names.get(key)
        label = partner.name if partner else (_("Other partners and own staff"))
        partners.append({"partner": partner, **figure_row(label, figure)})
    return partners
