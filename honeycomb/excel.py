"""The Excel workbook of a round: scores per cell and group, distributions, gaps, and a long
data sheet for analysts. Only figures that pass the disclosure check; never individual rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.spreadsheet import append_row
from scan.modeldoc import ModelDoc, localised

from .excel_data import data_header, data_rows, round2
from .results import RoundResults, rule_texts

HEADER = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
# A number format, not text: Excel shows it with the reader's own separators ("3,70" in a
# Dutch Excel, "3.70" in an English one).
DECIMAL = "0.00"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    """A sheet as a table an analyst can filter: bold head, autofilter, frozen head row,
    columns as wide as their content (within reason)."""
    sheet = book.create_sheet(title)
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    for row in rows:  # model texts and group names are user text: written as text only
        append_row(sheet, row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = DECIMAL
    for index, name in enumerate(header, start=1):
        longest = max(
            [len(str(name))] + [len(str(r[index - 1])) for r in rows if len(r) >= index],
        )
        sheet.column_dimensions[get_column_letter(index)].width = max(8, min(60, longest + 2))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def _about_sheet(book: Workbook, title: str, about: list[tuple[str, object]]) -> None:
    """The first sheet: what this file is (organisation, round, period, date, threshold)."""
    sheet = book.create_sheet(title)
    for label, value in about:
        append_row(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = HEADER
    sheet.column_dimensions["A"].width = max(len(str(label)) for label, _v in about) + 2
    sheet.column_dimensions["B"].width = min(80, max(len(str(v)) for _l, v in about) + 2)


def build_workbook(
    *,
    results: RoundResults,
    doc: ModelDoc,
    language: str,
    labels: dict[str, str],
    targets: dict[str, int] | None = None,
    about: list[tuple[str, object]] | None = None,
) -> bytes:
    """``about``: the first sheet's rows (label, value)."""
    book = Workbook()
    book.remove(book.active)
    if about:
        _about_sheet(book, labels["about"], about)
    group_names = results.group_labels()
    groups = [g for g in group_names if results.has_group(g, with_figures=True)]
    domain_names = {d.code: localised(d.name, language) for d in doc.domains}
    score_rows = []
    for cell in doc.cells:
        for group in groups:
            figure = results.cell(cell.code, group)
            # A hidden score is an empty cell (the column stays numeric), "shown" says why.
            score_rows.append(
                [
                    cell.domain_code,
                    domain_names.get(cell.domain_code, cell.domain_code),
                    cell.code,
                    localised(cell.name, language),
                    group_names[group],
                    figure.shown,
                    round2(figure.mean) if figure.shown else None,
                    round2(figure.median),
                    figure.n,
                    round2(figure.spread),
                ]
            )
    _sheet(
        book,
        labels["scores"],
        [
            labels["domain_code"],
            labels["domain"],
            labels["code"],
            labels["cell"],
            labels["group"],
            labels["shown"],
            labels["mean"],
            labels["median"],
            labels["n"],
            labels["spread"],
        ],
        score_rows,
    )
    domain_rows = []
    for domain in doc.domains:
        for group in groups:
            figure = results.domain(domain.code, group)
            domain_rows.append(
                [
                    domain.code,
                    domain_names[domain.code],
                    group_names[group],
                    figure.shown,
                    round2(figure.mean) if figure.shown else None,
                    figure.n,
                ]
            )
    _sheet(
        book,
        labels["domains"],
        [
            labels["domain_code"],
            labels["domain"],
            labels["group"],
            labels["shown"],
            labels["mean"],
            labels["n"],
        ],
        domain_rows,
    )
    dist_rows = []
    for cell in doc.cells:
        for group in groups:
            figure = results.cell(cell.code, group)
            if figure.shown:
                dist_rows.append(
                    [
                        cell.code,
                        localised(cell.name, language),
                        group_names[group],
                        *(figure.distribution or ()),  # a shown figure has one
                        figure.na,
                    ]
                )
    _sheet(
        book,
        labels["distribution"],
        [labels["code"], labels["cell"], labels["group"], "1", "2", "3", "4", "5", labels["na"]],
        dist_rows,
    )
    cell_names = {c.code: localised(c.name, language) for c in doc.cells}
    gap_rows = [
        [
            gap["cell"],
            cell_names.get(gap["cell"], gap["cell"]),
            group_names.get(gap["a"], gap["a"]),
            group_names.get(gap["b"], gap["b"]),
            round2(gap["mean_a"]),
            round2(gap["mean_b"]),
            round2(gap["gap"]),
            gap["flagged"],
        ]
        for gap in results.gaps(flagged_only=False)
    ]
    _sheet(
        book,
        labels["gaps"],
        [
            labels["code"],
            labels["cell"],
            labels["group_a"],
            labels["group_b"],
            labels["score_a"],
            labels["score_b"],
            labels["difference"],
            labels["large"],
        ],
        gap_rows,
    )
    _sheet(
        book,
        labels["data"],
        data_header(labels),
        list(data_rows(results, doc, language=language, targets=targets or {}, labels=labels)),
    )
    _sheet(book, labels["rules"], [labels["rule"]], [[text] for text in rule_texts().values()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
