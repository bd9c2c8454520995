"""Reading uploaded tables (CSV or Excel) for every importer: respondents here, external
measures in actions.

One reader, configured per importer with a list of columns: headers are matched case- and
accent-insensitively against Dutch and English synonyms, every problem in the file is
collected in one pass with the row number the spreadsheet shows, empty rows are skipped but
counted, and text that a spreadsheet would run as a formula is refused."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import RuleError


class ImportRejected(RuleError):
    def __init__(self, errors: Sequence[str | Promise]):
        self.errors = [str(e) for e in errors]
        super().__init__(self.errors)


MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_FIELD_CHARS = 10_000
# An .xlsx is a zip archive: 2 MB can unpack to gigabytes ("zip bomb"), and openpyxl holds
# the shared strings in memory. 20,000 rows of real data unpack to a few tens of MB, and XML
# of real text compresses some 10 to 30 times; a bomb compresses 1,000 times.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ARCHIVE_MEMBERS = 1_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FILE_TOO_LARGE = gettext_lazy("The file is larger than 2 MB.")
FIELD_TOO_LARGE = gettext_lazy("Row %(row)s: a field is longer than %(n)s characters.")
TOO_MANY_ROWS = gettext_lazy("The file has more than %(n)s rows.")
NO_ROWS = gettext_lazy("The file has no rows.")
MISSING_COLUMNS = gettext_lazy(
    "Row %(row)s: the header must name the columns %(columns)s (missing: %(m)s)."
)
FORMULA_VALUE = gettext_lazy(
    "Row %(row)s, column %(column)s: '%(value)s' starts with %(prefix)s, which a spreadsheet "
    "would run as a formula. Remove that first character."
)
TOO_LONG = gettext_lazy(
    "Row %(row)s, column %(column)s: the value is %(n)s characters long (at most %(max)s)."
)
REQUIRED = gettext_lazy("Row %(row)s: column %(column)s is empty.")
UNPACKS_TOO_LARGE = gettext_lazy(
    "The Excel file unpacks to more than %(n)s MB or is packed unusually tightly: save it "
    "again as .xlsx or as CSV."
)


class _SemicolonExcel(csv.excel):
    delimiter = ";"


def normalise(text: str) -> str:
    """Lower case, accents off, punctuation to single spaces: 'E-mailadres ' -> 'e mailadres'."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _field_too_large(row: int) -> ImportRejected:
    return ImportRejected([FIELD_TOO_LARGE % {"row": row, "n": MAX_FIELD_CHARS}])


def check_archive(content: bytes) -> None:
    """Refuse an .xlsx whose parts would unpack too large, before anything is unpacked.

    The sizes come from the zip's central directory, which the sender writes; that is enough,
    because Python's zipfile (and so openpyxl) stops a part at its declared size and fails its
    checksum when more would come out."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportRejected(
            [_("The Excel file cannot be read: is it a real .xlsx file?")]
        ) from exc
    unpacked = sum(member.file_size for member in members)
    ratio = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 1024 * 1024),
        default=0.0,
    )
    if (
        len(members) > MAX_ARCHIVE_MEMBERS
        or unpacked > MAX_UNPACKED_BYTES
        or ratio > MAX_COMPRESSION_RATIO
    ):
        raise ImportRejected([UNPACKS_TOO_LARGE % {"n": MAX_UNPACKED_BYTES // (1024 * 1024)}])


def read_rows(filename: str, content: bytes) -> list[list[str]]:
    """The rows of an uploaded CSV or Excel file as text, cells as they are (not stripped), for
    every importer. Too large or unreadable files are rejected whole."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRejected([FILE_TOO_LARGE])
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        import openpyxl

        check_archive(content)

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(["" if v is None else str(v) for v in row])
                if any(len(cell) > MAX_FIELD_CHARS for cell in rows[-1]):
                    raise _field_too_large(len(rows))
                if len(rows) > MAX_IMPORT_ROWS + 1:
                    break
            return rows
        except ImportRejected:
            raise
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ImportRejected(
                [_("The Excel file cannot be read: is it a real .xlsx file?")]
            ) from exc
    if lower.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ImportRejected(
                    [_("The file is not a text file in UTF-8 or Windows encoding.")]
                ) from exc
        if "\x00" in text:
            raise ImportRejected([_("The file contains binary data: upload a CSV or Excel file.")])
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            # A dialect of our own: changing csv.excel would change it for every caller.
            dialect = _SemicolonExcel if text.count(";") > text.count(",") else csv.excel
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline=""), dialect):
                if any(len(cell) > MAX_FIELD_CHARS for cell in row):
                    raise _field_too_large(len(rows) + 1)
                rows.append(row)
        except csv.Error as exc:
            # Python's csv stops at 131,072 characters per field: the row being read is at fault.
            if "field larger" in str(exc):
                raise _field_too_large(len(rows) + 1) from exc
            raise ImportRejected(
                [_("The CSV file cannot be read: %(error)s.") % {"error": exc}]
            ) from exc
        return rows
    raise ImportRejected([_("Upload a .csv or .xlsx file.")])


@dataclass(frozen=True)
class Column:
    """One column an importer understands. ``label`` names it in messages; ``synonyms`` are
    the headers that mean it (matched after ``normalise``)."""

    key: str
    label: str | Promise  # a lazy translation, shown in the page's language
    synonyms: tuple[str, ...]
    required: bool = False
    max_length: int = 120
    text: bool = True  # free text: refused when a spreadsheet would run it as a formula

    def matches(self, header: str) -> bool:
        return normalise(header) in {normalise(s) for s in (self.key, *self.synonyms)}

    def loosely_matches(self, header: str) -> bool:
        """A synonym as whole words inside a longer header: 'E-mailadres zakelijk'."""
        words = f" {normalise(header)} "
        return any(f" {normalise(s)} " in words for s in (self.key, *self.synonyms) if len(s) >= 4)


@dataclass
class Row:
    number: int  # the row number a spreadsheet shows
    values: dict[str, str]


@dataclass
class Table:
    header: list[str]
    mapping: dict[str, int]  # column key -> index in the file
    rows: list[Row] = field(default_factory=list)
    empty_rows: int = 0
    # Every problem with the spreadsheet row it is on, so an importer can merge its own checks
    # in row order; ``problems`` is the text of each.
    located: list[tuple[int, str]] = field(default_factory=list)
    header_row: int = 1
    ignored_rows: int = 0  # a total row and whatever follows it

    @property
    def problems(self) -> list[str]:
        return [text for _row, text in self.located]

    @property
    def unmapped_headers(self) -> list[tuple[int, str]]:
        used = set(self.mapping.values())
        return [(i, h) for i, h in enumerate(self.header) if h.strip() and i not in used]


def in_row_order(located: Sequence[tuple[int, str]]) -> list[str]:
    """Problems sorted by row (stable, so a row keeps its own order), each named once."""
    seen: set[str] = set()
    ordered = []
    for _row, text in sorted(located, key=lambda item: item[0]):
        if text not in seen:
            seen.add(text)
            ordered.append(text)
    return ordered


def match_header(header: Sequence[str], columns: Sequence[Column]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for column in columns:
        for index, name in enumerate(header):
            if index not in mapping.values() and column.matches(name):
                mapping[column.key] = index
                break
    # Then, for what is still missing, a known name inside a longer header.
    for column in columns:
        if column.key in mapping:
            continue
        for index, name in enumerate(header):
            if index not in mapping.values() and column.loosely_matches(name):
                mapping[column.key] = index
                break
    return mapping


# Exports from HR and housing systems put a title, a date and blank rows above the header.
HEADER_SEARCH_ROWS = 30
TOTAL_WORDS = ("totaal", "total", "totalen", "totals", "aantal", "som", "sum", "count")


def _filled(cells: Sequence[str]) -> int:
    return sum(1 for c in cells if str(c).strip())


def find_header(numbered: Sequence[tuple[int, list[str]]], columns: Sequence[Column]) -> int | None:
    """The index (in ``numbered``) of the header row: among the first rows, the one naming
    the most known columns; when none names any, the first row as wide as the table (a title
    row has one cell, a header several)."""
    candidates = [(i, cells) for i, (_n, cells) in enumerate(numbered[:HEADER_SEARCH_ROWS])]
    candidates = [(i, cells) for i, cells in candidates if _filled(cells)]
    if not candidates:
        return None
    best, best_score = None, 0
    for i, cells in candidates:
        score = len(match_header([c.strip() for c in cells], columns))
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    widest = max(_filled(cells) for _i, cells in candidates)
    wide = [i for i, cells in candidates if _filled(cells) >= max(2, (widest + 1) // 2)]
    return wide[0] if wide else candidates[0][0]


def is_total_row(cells: Sequence[str]) -> bool:
    """'Totaal: 9 medewerkers', 'Total', 'Aantal 12' in the first filled cell."""
    first = next((c for c in cells if str(c).strip()), "")
    words = normalise(first).split()
    return bool(words) and words[0] in TOTAL_WORDS


def read_table(
    *,
    filename: str,
    content: bytes,
    columns: Sequence[Column],
    mapping: dict[str, int] | None = None,
    remembered: dict[str, str] | None = None,
) -> Table:
    """Parse a file against ``columns``. A file that cannot be read at all, or lacks required
    columns, raises ImportRejected; problems in rows are collected in ``table.located`` (all
    of them, one pass). The header row is found below title and blank rows; reading stops at
    a total row. ``remembered`` (key -> header name) maps columns as chosen for an earlier
    file; ``mapping`` (key -> column index) overrides both it and the recognised headers."""
    raw = read_rows(filename, content)
    numbered = list(enumerate(raw, start=1))
    start = find_header(numbered, columns)
    if start is None:
        raise ImportRejected([NO_ROWS])
    header_number, header_cells = numbered[start]
    header = [c.strip() for c in header_cells]
    found = match_header(header, columns)
    if remembered:
        by_name = {normalise(h): i for i, h in enumerate(header) if h.strip()}
        known = {c.key for c in columns}
        for key, name in remembered.items():
            index = by_name.get(normalise(name))
            if key in known and index is not None:
                found = {k: i for k, i in found.items() if i != index}
                found[key] = index
    if mapping:
        for key, index in mapping.items():
            if 0 <= index < len(header):
                found = {k: i for k, i in found.items() if i != index or k == key}
                found[key] = index
    missing = [str(c.label) for c in columns if c.required and c.key not in found]
    if missing:
        raise ImportRejected(
            [
                MISSING_COLUMNS
                % {
                    "row": header_number,
                    "columns": ", ".join(str(c.label) for c in columns if c.required),
                    "m": ", ".join(missing),
                }
            ]
        )
    body = numbered[start + 1 :]
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportRejected([TOO_MANY_ROWS % {"n": MAX_IMPORT_ROWS}])
    table = Table(header=header, mapping=found, header_row=header_number)
    by_key = {c.key: c for c in columns}
    for position, (number, cells) in enumerate(body):
        if not any(c.strip() for c in cells):
            table.empty_rows += 1
            continue
        if is_total_row(cells):
            table.ignored_rows = len(body) - position
            break
        values = {}
        for key, index in found.items():
            column = by_key[key]
            value = cells[index] if index < len(cells) else ""
            if column.text and value.startswith(FORMULA_PREFIXES):
                table.located.append(
                    (
                        number,
                        FORMULA_VALUE
                        % {
                            "row": number,
                            "column": header[index] or column.label,
                            "value": value.strip()[:40],
                            "prefix": repr(value[0]).strip("'"),
                        },
                    )
                )
            value = value.strip()
            if len(value) > column.max_length:
                table.located.append(
                    (
                        number,
                        TOO_LONG
                        % {
                            "row": number,
                            "column": header[index] or column.label,
                            "n": len(value),
                            "max": column.max_length,
                        },
                    )
                )
            values[key] = value
        for column in columns:
            if column.required and not values.get(column.key):
                table.located.append((number, REQUIRED % {"row": number, "column": column.label}))
        table.rows.append(Row(number=number, values=values))
    if not table.rows:
        raise ImportRejected([NO_ROWS])
    return table
