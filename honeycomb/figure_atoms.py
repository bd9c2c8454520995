"""Disclosure control's tables, built from the answers with pandas group-bys.

Which published figures hold an element is decided by a few columns of its row: a respondent
mean of a cell belongs to the figures of the respondent's groups ("everyone", "own
organisation", the group), in the whole round and in the respondent's department, in every
release that counted the respondent. So the elements fall into classes by (unit, group,
department, releases), found by one group-by per family, and the linear algebra of
``honeycomb.disclosure`` runs over those atoms, never over people or answers one by one.

The keys, families and atoms are exactly those ``published`` describes; the reference that
walks every answer (``tests/honeycomb/reference_figures.py``) decides the same on random
rounds (``tests/honeycomb/test_figure_atoms.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .disclosure import _Table, family_order, incidence, secondary
from .scoring_rules import ALL, INTERNAL_GROUPS, ORGANISATION

WHOLE = ""  # the scope of figures of the whole round (else a department's name)

NEW = "new"


@dataclass(frozen=True)
class EarlierRelease:
    """What the checker needs of a release: who it counted and what it hid."""

    respondents: frozenset[int]
    hidden: frozenset[tuple]


@dataclass
class _Class:
    family: tuple
    keys: list
    respondents: np.ndarray
    elements: int


def _group_keys(group: str) -> tuple[str, ...]:
    return (ALL, ORGANISATION, group) if group in INTERNAL_GROUPS else (ALL, group)


def _tags(mask: int, releases: int) -> list:
    return [i for i in range(releases) if mask >> i & 1] + [NEW]


def _classes(frame: pd.DataFrame, releases: int) -> list[_Class]:
    """Every class of elements with the same figures, per family."""
    answered = frame[frame["answered"]]
    out: list[_Class] = []

    def emit(rows: pd.DataFrame, by: list[str], family, keys_of):
        # One sort instead of a DataFrame per group: the groups' respondents are slices.
        if rows.empty:
            return
        codes = rows.groupby(by, sort=True, observed=True).ngroup().to_numpy()
        order = np.argsort(codes, kind="stable")
        people = rows["respondent"].to_numpy()[order]
        starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
        firsts = rows[by].to_numpy()[order[starts]]
        for values, chunk in zip(firsts, np.split(people, starts[1:]), strict=True):
            row = dict(zip(by, values, strict=True))
            base = keys_of(row)
            out.append(
                _Class(
                    family(row),
                    [(tag, key) for tag in _tags(int(row["mask"]), releases) for key in base],
                    chunk,
                    len(chunk),
                )
            )

    def scopes(row) -> list[str]:
        return [WHOLE, row["department"]] if row["department"] else [WHOLE]

    emit(
        answered.drop_duplicates(["respondent", "cell"]),
        ["cell", "group", "department", "mask"],
        lambda r: ("resp", "cell", r["cell"]),
        lambda r: [(s, g, "cell", r["cell"]) for s in scopes(r) for g in _group_keys(r["group"])],
    )
    emit(
        answered.drop_duplicates(["respondent"]),
        ["group", "department", "mask"],
        lambda r: ("resp", "overall", None),
        lambda r: [(s, g, "overall", None) for s in scopes(r) for g in _group_keys(r["group"])],
    )
    emit(
        answered.drop_duplicates(["respondent", "domain"]),
        ["domain", "group", "mask"],
        lambda r: ("resp", "domain", r["domain"]),
        lambda r: [(WHOLE, g, "domain", r["domain"]) for g in _group_keys(r["group"])],
    )
    for name, rows in (("ans", answered), ("part", frame)):
        emit(
            rows,
            ["cell", "statement", "group", "mask"],
            lambda r, name=name: (name, "cell", r["cell"]),
            lambda r: [
                (WHOLE, g, kind, unit)
                for g in _group_keys(r["group"])
                for kind, unit in (("cell", r["cell"]), ("statement", r["statement"]))
            ],
        )
    return out


def _categories(column: pd.Series) -> pd.Categorical:
    """A text column as categories; one that already is (``scoring_tables.as_categorical``,
    as a release loads its answers) is not factorised again."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array
    return pd.Categorical(column.fillna("").astype(str))


def _required(key: tuple, statement_cell: dict) -> tuple | None:
    """The family a key always publishes in, even when nobody gave a score (then it is empty
    and the key hidden): a cell's respondent means, a statement's answers."""
    _tag, (scope, _group, kind, unit) = key
    if kind == "cell" and scope == WHOLE:
        return ("resp", "cell", unit)
    if kind == "statement":
        return ("ans", "cell", statement_cell[key])
    return None


def _weight(people: np.ndarray, uncounted: np.ndarray) -> int:
    if len(uncounted) == 0:
        return len(people)
    personal = int((~np.isin(people, uncounted)).sum())
    return personal if personal else len(people)


def release_suppression(
    answers: pd.DataFrame,
    *,
    threshold: int,
    earlier: Sequence[EarlierRelease] = (),
    open_link: frozenset[int] = frozenset(),
) -> frozenset:
    """The keys (scope, group, kind, unit) a release of these answers must hide, checked with
    every earlier release of the round (their figures are out and cannot be hidden)."""
    if answers.empty:
        return frozenset()
    releases = len(earlier)
    frame = pd.DataFrame(
        {
            "respondent": answers["respondent"].to_numpy(),
            # Categories: every group-by below works on small integer codes.
            "group": _categories(answers["group"]),
            "department": _categories(answers["department"]),
            "statement": _categories(answers["statement"]),
            "cell": _categories(answers["cell"]),
            "domain": _categories(answers["domain"]),
            "answered": answers["level"].notna().to_numpy(),
        }
    )
    mask = np.zeros(len(frame), dtype=np.int64)
    for index, release in enumerate(earlier):
        mask |= np.isin(frame["respondent"].to_numpy(), list(release.respondents)) << index
    frame["mask"] = mask
    classes = _classes(frame, releases)
    uncounted = np.array(sorted(open_link), dtype=frame["respondent"].dtype)

    # Per key and family: the people and elements behind it.
    people: dict = defaultdict(list)
    elements: dict = defaultdict(int)
    statement_cell: dict = {}
    for item in classes:
        for key in item.keys:
            people[(key, item.family)].append(item.respondents)
            elements[(key, item.family)] += item.elements
            if key[1][2] == "statement":
                statement_cell[key] = item.family[2]
    # A respondent is in one class per family, so a key's classes are disjoint and simply
    # joined; only a cell's answers (one class per statement) hold people more than once.
    merged = {
        fk: np.unique(np.concatenate(arrays))
        if fk[1][0] != "resp" and len(arrays) > 1 and fk[0][1][2] == "cell"
        else np.concatenate(arrays)
        for fk, arrays in people.items()
    }
    families_of: dict = defaultdict(set)
    for key, family in merged:
        families_of[key].add(family)

    # An earlier release's figures: hidden then (never combined), or out (fixed).
    out: set = set()
    suppressed: set = set()
    for tag, key in families_of:
        if tag != NEW:
            (suppressed if key in earlier[tag].hidden else out).add((tag, key))
    published = frozenset(out)
    for key, families in families_of.items():
        if key in published or key in suppressed:
            continue
        required = _required(key, statement_cell)
        if required is not None and required not in families:
            suppressed.add(key)
            continue
        if any(_weight(merged[(key, f)], uncounted) < threshold for f in families):
            suppressed.add(key)

    tables = _tables(classes, merged, elements, suppressed, frozenset(open_link), uncounted)
    hidden = secondary(tables, threshold=threshold, suppressed=suppressed, published=published)
    return frozenset(key for tag, key in hidden if tag == NEW)


def _tables(classes, merged, elements, suppressed, free: frozenset, uncounted) -> list[_Table]:
    by_family: dict = defaultdict(list)
    for item in classes:
        by_family[item.family].append(item)
    tables = []
    for family in sorted(by_family, key=family_order):
        keys = sorted(
            {
                key
                for item in by_family[family]
                for key in item.keys
                if key not in suppressed and len(merged[(key, family)])
            },
            key=repr,
        )
        if not keys:
            continue
        row = {key: index for index, key in enumerate(keys)}
        atoms: dict[tuple, list] = defaultdict(list)
        for item in by_family[family]:
            signature = tuple(sorted(row[k] for k in item.keys if k in row))
            if signature:
                atoms[signature].append(item.respondents)
        signatures = sorted(atoms)
        tables.append(
            _Table(
                family,
                keys,
                [len(merged[(k, family)]) for k in keys],
                [elements[(k, family)] for k in keys],
                [_weight(merged[(k, family)], uncounted) for k in keys],
                [None] * len(signatures),
                [frozenset(np.concatenate(atoms[s]).tolist()) for s in signatures],
                incidence(signatures, len(keys)),
                free,
            )
        )
    return tables
