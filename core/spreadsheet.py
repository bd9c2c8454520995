"""Writing spreadsheets: every string goes into its cell as text, never as a formula.

openpyxl turns a string that starts with "=" into a live formula (and "#N/A" and the like
into an error value), so a model cell named ``=HYPERLINK("…","klik")`` would run in the
reader's Excel. Excel, LibreOffice and Google Sheets also start a formula from "+", "-", "@",
a tab or a carriage return once such a cell is edited or its text is pasted elsewhere.

We choose text typing with Excel's own quote prefix over OWASP's advice to prepend an
apostrophe: the apostrophe would become part of the value (a name "-5 %" would read "'-5 %"
in every sort, filter and formula of the reader), while a string-typed cell keeps the text
exactly as entered and the quote prefix (the hidden apostrophe Excel itself sets when one
types '=…) keeps it text when someone edits the cell. Every writer appends rows through
``append_row``; ``tests/security/test_hardening.py`` loads the files back to check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from .tabular import FORMULA_PREFIXES


def as_text(cell) -> None:
    """Make a cell holding a string a text cell, whatever the string starts with."""
    if not isinstance(cell.value, str):
        return
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def _clean(value: Any) -> Any:
    # Control characters cannot be stored in the file's XML: openpyxl refuses the whole row.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append one row; strings are written as text (see the module's docstring)."""
    sheet.append([_clean(value) for value in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)
