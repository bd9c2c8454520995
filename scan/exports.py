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


def respondents_csv(scan_round: ScanRound) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what Dutch Excel opens without asking
    for row in respondent_rows(scan_round):
        writer.writerow([csv_safe(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8-sig")  # the mark tells Excel the file is UTF-8


def respondents_xlsx(scan_round: ScanRound) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Respondents")[:31]
    for row in respondent_rows(scan_round):
        append_row(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
