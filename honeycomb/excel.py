"""The Excel workbook of a round: scores per cell and group, distributions, gaps. Only figures
above the threshold; never individual rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from scan.modeldoc import ModelDoc, localised

from .scoring import RULES, RoundScores

HEADER = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, HEADER_FILL
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, min(45, len(str(name)) + 4)
        )
    sheet.freeze_panes = "A2"


def _value(row: dict, key: str):
    if not row or row.get("suppressed"):
        return None
    value = row.get(key)
    return round(float(value), 2) if isinstance(value, float) else value


def build_workbook(
    *,
    scores: RoundScores,
    doc: ModelDoc,
    group_names: dict[str, str],
    language: str,
    labels: dict[str, str],
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    groups = [g for g in group_names if g in set(scores.groups())]
    score_rows = []
    for cell in doc.cells:
        for group in groups:
            row = scores.cell(cell.code, group)
            suppressed = not row or bool(row.get("suppressed"))
            score_rows.append(
                [
                    cell.domain_code,
                    cell.code,
                    localised(cell.name, language),
                    group_names[group],
                    labels["too_few"] if suppressed else _value(row, "mean"),
                    _value(row, "median"),
                    None if suppressed else int(row.get("n_respondents") or 0),
                    _value(row, "spread"),
                ]
            )
    _sheet(
        book,
        labels["scores"],
        [
            labels["domain"],
            labels["code"],
            labels["cell"],
            labels["group"],
            labels["mean"],
            labels["median"],
            labels["n"],
            labels["spread"],
        ],
        score_rows,
    )
    dist_rows = []
    for cell in doc.cells:
        for group in groups:
            row = scores.cell(cell.code, group)
            if not row or row.get("suppressed"):
                continue
            dist_rows.append(
                [
                    cell.code,
                    localised(cell.name, language),
                    group_names[group],
                    *[int(row.get(f"dist_{n}") or 0) for n in range(1, 6)],
                    int(row.get("na_answers") or 0),
                ]
            )
    _sheet(
        book,
        labels["distribution"],
        [labels["code"], labels["cell"], labels["group"], "1", "2", "3", "4", "5", labels["na"]],
        dist_rows,
    )
    gap_rows = [
        [
            row.cell,
            group_names.get(row.a, row.a),
            group_names.get(row.b, row.b),
            round(row.mean_a, 2),
            round(row.mean_b, 2),
            round(row.gap, 2),
            bool(row.flagged),
        ]
        for row in scores.gaps.dropna(subset=["gap"]).itertuples()
    ]
    _sheet(
        book,
        labels["gaps"],
        [labels["code"], "A", "B", "A", "B", labels["difference"], labels["large"]],
        gap_rows,
    )
    _sheet(book, labels["rules"], [labels["rule"]], [[str(text)] for text in RULES.values()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
