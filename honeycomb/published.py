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
Pure: a DataFrame in (scoring's ANSWER_COLUMNS), keys out. The classes of elements are found
with pandas (``figure_atoms``); ``tests/honeycomb/reference_figures.py`` walks every answer
into these sets, as the reference the fast tables are compared with.
"""

from __future__ import annotations

import pandas as pd

from .figure_atoms import WHOLE, release_suppression
from .scoring_rules import ALL

__all__ = ["WHOLE", "listed_departments", "suppressed_figures"]


def suppressed_figures(answers: pd.DataFrame, *, threshold: int) -> frozenset:
    """The keys of the round's figures that must not be shown (primary and secondary), for
    answers published once (a release checks against its earlier releases itself)."""
    return release_suppression(answers, threshold=threshold)


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
