"""External customer measures imported from CSV/Excel."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy

from core.models import Organisation
from core.tabular import Column, normalise, read_table
from scan import services as scan_services

from ..models import (
    ExternalMeasure,
)

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


# --- external measures --------------------------------------------------------------------

MEASURE_ALIASES = {
    "moving_in": {"moving_in", "betrekken", "woning betrekken", "nieuwe huurders"},
    "repairs": {"repairs", "reparaties", "reparatieverzoeken"},
    "moving_out": {"moving_out", "verlaten", "woning verlaten", "vertrokken huurders"},
    "tenant_rating": {"tenant_rating", "huurderswaardering", "klantwaardering"},
    "other": {"other", "anders", "overig"},
}


def _date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(value)


MEASURE_COLUMNS = (
    Column("source", gettext_lazy("source"), ("bron",), required=True),
    Column(
        "measure", gettext_lazy("measure"), ("meting", "onderwerp"), required=True, max_length=60
    ),
    Column("period", gettext_lazy("period"), ("periode",), required=True, max_length=20),
    Column(
        "period_end",
        gettext_lazy("period end"),
        ("einddatum", "periode eind", "einde periode", "end date"),
        required=True,
        max_length=20,
        text=False,
    ),
    Column(
        "value", gettext_lazy("value"), ("waarde", "cijfer", "score"), required=True, text=False
    ),
    Column("scale", gettext_lazy("scale"), ("schaal",), text=False),
    Column(
        "sector_average",
        gettext_lazy("sector average"),
        ("sectorgemiddelde", "branchegemiddelde", "sector", "benchmark"),
        text=False,
    ),
)

MEASURE_NAMES = ("betrekken", "reparaties", "verlaten", "huurderswaardering", "overig")
UNKNOWN_MEASURE = gettext_lazy("Row %(row)s: unknown measure '%(m)s' (use one of: %(allowed)s).")
NOT_A_DATE = gettext_lazy("Row %(row)s: '%(d)s' is not a date (use 2026-03-31).")
NOT_NUMBERS = gettext_lazy("Row %(row)s: value and scale must be numbers.")
OUTSIDE_SCALE = gettext_lazy("Row %(row)s: value %(v)s is outside the scale 0–%(s)s.")
BAD_SECTOR_AVERAGE = gettext_lazy(
    "Row %(row)s: sector average '%(v)s' must be a number on the scale 0–%(s)s (or left empty)."
)


def _sector_average(raw: str, scale: int | None) -> Decimal | None:
    """The optional sector average of a row; ValueError when given but not a number on the
    row's scale."""
    if not raw:
        return None
    try:
        average = Decimal(raw.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    if not average.is_finite() or scale is None or not 0 <= average <= scale:
        raise ValueError(raw)
    return average


def measures_import(*, organisation: Organisation, filename: str, content: bytes) -> int:
    """All or nothing: columns source, measure, period, period_end, value, scale and
    sector_average (both optional).
    Every problem in the file is reported at once, with the spreadsheet's row numbers."""
    table = read_table(filename=filename, content=content, columns=MEASURE_COLUMNS)
    kinds = {normalise(alias): kind for kind, names in MEASURE_ALIASES.items() for alias in names}
    errors, pending = list(table.problems), {}
    for row in table.rows:
        number, cell = row.number, row.values.get
        kind = kinds.get(normalise(cell("measure", "")))
        if kind is None and cell("measure"):
            errors.append(
                UNKNOWN_MEASURE
                % {
                    "row": number,
                    "m": cell("measure"),
                    "allowed": ", ".join(MEASURE_NAMES),
                }
            )
        end, period_end = None, cell("period_end")
        if period_end:
            try:
                end = _date(period_end)
            except ValueError:
                errors.append(NOT_A_DATE % {"row": number, "d": period_end})
        value = scale = None
        try:
            value = Decimal(cell("value", "").replace(",", "."))
            scale = int(cell("scale") or 10)
        except (InvalidOperation, ValueError):
            if cell("value"):
                errors.append(NOT_NUMBERS % {"row": number})
        if value is not None and not value.is_finite():
            errors.append(NOT_NUMBERS % {"row": number})
            value = None
        if (
            value is not None
            and scale is not None
            and (not 0 <= value <= scale or scale not in (5, 10, 100))
        ):
            errors.append(OUTSIDE_SCALE % {"row": number, "v": value, "s": scale})
            value = None
        try:
            average = _sector_average(cell("sector_average", ""), scale)
        except ValueError:
            errors.append(
                BAD_SECTOR_AVERAGE % {"row": number, "v": cell("sector_average"), "s": scale or 10}
            )
            continue
        if kind is None or end is None or value is None or scale is None:
            continue
        pending[(cell("source"), kind, cell("period"))] = (end, value, scale, average)
    if errors:
        raise scan_services.ImportRejected(errors)
    with transaction.atomic():
        for (source, kind, period), (end, value, scale, average) in pending.items():
            ExternalMeasure.objects.update_or_create(
                organisation=organisation,
                source=source,
                kind=kind,
                period=period,
                defaults={
                    "period_end": end,
                    "value": value,
                    "scale_max": scale,
                    "sector_average": average,
                },
            )
    return len(pending)
