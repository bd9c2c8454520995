"""The respondent list of a round as a file (CSV or Excel), for the coordinator's own
administration. Text that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from core.spreadsheet import append_row
from core.tabular import FORMULA_PREFIXES

from .forms_manage import STATUS_LABELS
from .models import ScanRound
from .selectors import respondents_listed


def respondent_rows(scan_round: ScanRound) -> list[list[str]]:
    header = [_("Name"), _("E-mail"), _("Group"), _("Department"), _("Status")]
    rows = []
    for r in respondents_listed(scan_round).select_related("group"):
        state = getattr(r, "state", "")  # annotated by the selector
        rows.append(
            [r.name, r.email, r.group.label, r.department, str(STATUS_LABELS.get(state, state))]
        )
    return [header, *rows]


def csv_safe(value: str) -> str:
    """A CSV cell has no type: a leading apostrophe keeps '=…' from running as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def table_csv(rows: list[list]) -> bytes:
    """Rows as a CSV file Dutch Excel opens without asking; formula-like text stays text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what Dutch Excel opens without asking
    for row in rows:
        writer.writerow([csv_safe(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8-sig")  # the mark tells Excel the file is UTF-8


def table_xlsx(rows: list[list], title: str) -> bytes:
    """Rows as an Excel workbook of one sheet; every string is a text cell (append_row)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def respondents_csv(scan_round: ScanRound) -> bytes:
    return table_csv(respondent_rows(scan_round))


def respondents_xlsx(scan_round: ScanRound) -> bytes:
    return table_xlsx(respondent_rows(scan_round), _("Respondents"))
