"""Which respondents stand behind each figure a round publishes, for disclosure control.

A figure's key is ``(scope, group, kind, unit)``: scope ``""`` for the whole round or a
department's name; group a respondent group, ``"all"`` or ``"organisation"``; kind
``"cell"``, ``"statement"``, ``"domain"`` or ``"overall"``; unit the code (None for overall).

Families (figures that add up, so that subtraction between them means something):

- ``("resp", kind, unit)``: respondent means (mean, median, spread, number of respondents);
  elements ``(respondent, None)`` for respondents who answered the unit (N/A does not count).
- ``("ans", "cell", cell)``: answers on the cell's statements (distribution per level, statement
  means, answer counts); elements ``(respondent, statement)`` for answered statements.
- ``("part", "cell", cell)``: answers including N/A (counts of N/A); elements
  ``(respondent, statement)`` for every answer row.

The whole round publishes every kind; a department publishes its cell scores (the department
filter of the results page) and its overall row decides whether it is listed at all.
Pure: a DataFrame in (scoring's ANSWER_COLUMNS), sets out.
"""

from __future__ import annotations

import pandas as pd

from . import disclosure

ALL = "all"
ORGANISATION = "organisation"
INTERNAL_GROUPS = ("board", "managers", "staff")
WHOLE = ""


def _group_keys(group: str) -> tuple[str, ...]:
    return (ALL, ORGANISATION, group) if group in INTERNAL_GROUPS else (ALL, group)


def round_figures(answers: pd.DataFrame) -> dict:
    """Per figure key: its element set per family."""
    figures: dict = {}

    def add(key, family, element):
        figures.setdefault(key, {}).setdefault(family, set()).add(element)

    if answers.empty:
        return figures
    columns = zip(
        answers["respondent"].tolist(),
        answers["group"].astype(str).tolist(),
        answers["department"].fillna("").astype(str).tolist(),
        answers["statement"].astype(str).tolist(),
        answers["cell"].astype(str).tolist(),
        answers["domain"].astype(str).tolist(),
        answers["level"].notna().tolist(),
        strict=True,
    )
    for respondent, group, department, statement, cell, domain, answered in columns:
        person, pair = (respondent, None), (respondent, statement)
        for key_group in _group_keys(group):
            # A figure of N/A answers only exists, with an empty set: it is never shown.
            figures.setdefault((WHOLE, key_group, "cell", cell), {}).setdefault(
                ("resp", "cell", cell), set()
            )
            figures.setdefault((WHOLE, key_group, "statement", statement), {}).setdefault(
                ("ans", "cell", cell), set()
            )
            if answered:
                for scope in (WHOLE, department) if department else (WHOLE,):
                    add((scope, key_group, "cell", cell), ("resp", "cell", cell), person)
                    add((scope, key_group, "overall", None), ("resp", "overall", None), person)
                add((WHOLE, key_group, "domain", domain), ("resp", "domain", domain), person)
                add((WHOLE, key_group, "cell", cell), ("ans", "cell", cell), pair)
                add((WHOLE, key_group, "statement", statement), ("ans", "cell", cell), pair)
            add((WHOLE, key_group, "cell", cell), ("part", "cell", cell), pair)
            add((WHOLE, key_group, "statement", statement), ("part", "cell", cell), pair)
    return {
        key: {family: frozenset(members) for family, members in per_family.items()}
        for key, per_family in figures.items()
    }


_CACHE: dict[tuple, frozenset] = {}
CACHE_SIZE = 64


def suppressed_figures(answers: pd.DataFrame, *, threshold: int) -> frozenset:
    """The keys of the round's figures that must not be shown (primary and secondary).

    Remembered per distinct answers and threshold, since pages score a round several times."""
    if answers.empty:
        return frozenset()
    columns = ["respondent", "group", "department", "statement", "cell", "domain", "level"]
    digest = (
        threshold,
        len(answers),
        int(pd.util.hash_pandas_object(answers[columns].astype(str), index=False).sum()),
    )
    if digest not in _CACHE:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[digest] = disclosure.protect(round_figures(answers), threshold=threshold)
    return _CACHE[digest]


def listed_departments(
    answers: pd.DataFrame, *, threshold: int, hidden: frozenset | None = None
) -> list[str]:
    """Departments that may be offered as a filter: each once, alphabetically, only those
    whose figures can be shown. No counts."""
    if answers.empty:
        return []
    if hidden is None:
        hidden = suppressed_figures(answers, threshold=threshold)
    answered = answers[answers["level"].notna()]
    names = {str(d) for d in answered["department"].dropna().unique() if str(d)}
    return sorted(d for d in names if (d, ALL, "overall", None) not in hidden)
