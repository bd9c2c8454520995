"""The reference for disclosure control's tables: every answer walked into the element sets
of every figure it belongs to (see ``honeycomb.published`` for keys and families). Slow, plain
and obviously right; ``honeycomb.figure_atoms`` must decide exactly as this does."""

from __future__ import annotations

import pandas as pd

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
