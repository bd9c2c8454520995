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
    respondents: np.ndarray  # positions in the round's respondents (not ids)
    elements: int


def _group_keys(group: str) -> tuple[str, ...]:
    return (ALL, ORGANISATION, group) if group in INTERNAL_GROUPS else (ALL, group)


def _tags(mask: int, releases: int) -> list:
    return [i for i in range(releases) if mask >> i & 1] + [NEW]


@dataclass
class _People:
    """The round's respondents, each once: group, department and the earlier releases that
    counted them; an element belongs to figures by these and by its unit alone."""

    groups: list[str]
    departments: list[str]
    group: np.ndarray  # code per respondent
    department: np.ndarray
    mask: np.ndarray  # bit i: counted by earlier release i

    def __post_init__(self) -> None:
        # Per respondent, the number of its class: (group, mask), and with the department.
        _, masks = np.unique(self.mask, return_inverse=True)
        plain = self.group.astype(np.int64) * (int(masks.max(initial=0)) + 1) + masks
        full = plain * max(len(self.departments), 1) + self.department
        self.classes = {False: _small_codes(plain), True: _small_codes(full)}

    def split(self, members: np.ndarray, *, department: bool):
        """``members`` in classes of equal (group, department if asked, mask): per class
        its group, department, mask and members."""
        if len(members) == 0:
            return
        key = self.classes[department][members]
        order = np.argsort(key, kind="stable")  # a radix sort: the codes are small integers
        people = members[order]
        starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]])
        for first, chunk in zip(people[starts], np.split(people, starts[1:]), strict=True):
            yield (
                self.groups[self.group[first]],
                self.departments[self.department[first]] if department else WHOLE,
                int(self.mask[first]),
                chunk,
            )


def _small_codes(values: np.ndarray) -> np.ndarray:
    codes = pd.factorize(values)[0]
    return codes.astype(np.int16) if len(codes) and codes.max() < 2**15 else codes


def _classes(
    people: _People,
    person: np.ndarray,
    unit_codes: dict[str, np.ndarray],
    unit_names: dict[str, list[str]],
    answered: np.ndarray,
    releases: int,
) -> list[_Class]:
    """Every class of elements with the same figures, per family: per unit, the members
    (respondents who answered it, or gave any answer row) split by their figures' columns."""
    out: list[_Class] = []
    n = len(people.group)

    def members_per_unit(unit: str, rows: np.ndarray) -> list[np.ndarray]:
        # A respondent x unit table of presence: each respondent once per unit, no sort.
        width = len(unit_names[unit])
        present = np.zeros((width, n), dtype=bool)
        present[unit_codes[unit][rows], person[rows]] = True
        return [np.flatnonzero(row) for row in present]

    def emit(family, members: np.ndarray, department: bool, keys_of) -> None:
        for group, scope_department, mask, chunk in people.split(members, department=department):
            base = keys_of(group, scope_department)
            keys = [(tag, key) for tag in _tags(mask, releases) for key in base]
            out.append(_Class(family, keys, chunk, len(chunk)))

    def scopes(department: str) -> list[str]:
        return [WHOLE, department] if department else [WHOLE]

    every = np.arange(len(person))
    with_score = every[answered]
    for cell, members in zip(unit_names["cell"], members_per_unit("cell", with_score), strict=True):
        emit(
            ("resp", "cell", cell),
            members,
            True,
            lambda g, d, cell=cell: [
                (s, k, "cell", cell) for s in scopes(d) for k in _group_keys(g)
            ],
        )
    scored = np.zeros(n, dtype=bool)
    scored[person[with_score]] = True
    emit(
        ("resp", "overall", None),
        np.flatnonzero(scored),
        True,
        lambda g, d: [(s, k, "overall", None) for s in scopes(d) for k in _group_keys(g)],
    )
    for domain, members in zip(
        unit_names["domain"], members_per_unit("domain", with_score), strict=True
    ):
        emit(
            ("resp", "domain", domain),
            members,
            False,
            lambda g, _d, domain=domain: [(WHOLE, k, "domain", domain) for k in _group_keys(g)],
        )
    cell_of = unit_codes["statement_cell"]
    for name, rows in (("ans", with_score), ("part", every)):
        per_statement = members_per_unit("statement", rows)
        for index, (statement, members) in enumerate(
            zip(unit_names["statement"], per_statement, strict=True)
        ):
            if cell_of[index] < 0:
                continue
            cell = unit_names["cell"][cell_of[index]]
            emit(
                (name, "cell", cell),
                members,
                False,
                lambda g, _d, cell=cell, statement=statement: [
                    (WHOLE, k, kind, unit)
                    for k in _group_keys(g)
                    for kind, unit in (("cell", cell), ("statement", statement))
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


class _Counter:
    """Distinct respondents of arrays that may repeat one (a cell's answers: one element per
    statement), and how many of them answered through a personal link; linear, no sort."""

    def __init__(self, open_link: np.ndarray):
        self.open_link = open_link
        self.any_open = bool(open_link.any())
        self.slot = np.zeros(len(open_link), dtype=np.int64)

    def _distinct(self, people: np.ndarray) -> int:
        positions = np.arange(len(people))
        self.slot[people] = positions
        return int(np.count_nonzero(self.slot[people] == positions))

    def count(self, people: np.ndarray, *, distinct: bool) -> tuple[int, int]:
        if not self.any_open:
            return (len(people) if distinct else self._distinct(people),) * 2  # type: ignore[return-value]
        if distinct:
            first = people
        else:
            # Each respondent's slot ends up holding one of its positions: that one counts.
            positions = np.arange(len(people))
            self.slot[people] = positions
            first = people[self.slot[people] == positions]
        return len(first), int(np.count_nonzero(~self.open_link[first]))


def _weight(counts: tuple[int, int]) -> int:
    """See ``disclosure.weight``: the personal-link respondents, or all when there are none."""
    everyone, personal = counts
    return personal if personal else everyone


class _AtomPeople(Sequence):
    """An atom's respondent ids as a frozenset, built only for the atoms the search looks
    into (the small ones): the large ones are counted, never listed."""

    def __init__(self, atoms: list[np.ndarray], ids: np.ndarray):
        self.atoms, self.ids = atoms, ids
        self.made: dict[int, frozenset] = {}

    def __len__(self) -> int:
        return len(self.atoms)

    def __getitem__(self, index):  # type: ignore[override]
        if index not in self.made:
            self.made[index] = frozenset(self.ids[self.atoms[index]].tolist())
        return self.made[index]


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    values = _categories(column)
    return np.asarray(values.codes), [str(c) for c in values.categories]


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
    # Respondents by position: each one's group, department and releases, once.
    person, ids = pd.factorize(answers["respondent"].to_numpy())
    ids = np.asarray(ids)
    first = np.zeros(len(ids), dtype=np.int64)
    first[person[::-1]] = np.arange(len(person))[::-1]
    group, groups = _codes(answers["group"])
    department, departments = _codes(answers["department"])
    mask = np.zeros(len(ids), dtype=np.int64)
    for index, release in enumerate(earlier):
        mask |= np.isin(ids, list(release.respondents)).astype(np.int64) << index
    people = _People(groups, departments, group[first], department[first], mask)
    unit_codes, unit_names = {}, {}
    for unit in ("statement", "cell", "domain"):
        unit_codes[unit], unit_names[unit] = _codes(answers[unit])
    statement_cell = np.full(len(unit_names["statement"]), -1, dtype=np.int64)
    statement_cell[unit_codes["statement"]] = unit_codes["cell"]
    unit_codes["statement_cell"] = statement_cell
    answered = answers["level"].notna().to_numpy()
    classes = _classes(people, person, unit_codes, unit_names, answered, releases)
    counter = _Counter(np.isin(ids, list(open_link)))

    # Per key and family: the people and elements behind it.
    arrays: dict = defaultdict(list)
    elements: dict = defaultdict(int)
    statement_of: dict = {}
    for item in classes:
        for key in item.keys:
            arrays[(key, item.family)].append(item.respondents)
            elements[(key, item.family)] += item.elements
            if key[1][2] == "statement":
                statement_of[key] = item.family[2]
    # A respondent is in one class per family, so a key's classes are disjoint; only a cell's
    # answers (one class per statement) hold people more than once.
    counts = {
        fk: counter.count(
            np.concatenate(parts),
            distinct=fk[1][0] == "resp" or len(parts) == 1 or fk[0][1][2] != "cell",
        )
        for fk, parts in arrays.items()
    }
    families_of: dict = defaultdict(set)
    for key, family in counts:
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
        required = _required(key, statement_of)
        if required is not None and required not in families:
            suppressed.add(key)
            continue
        if any(_weight(counts[(key, f)]) < threshold for f in families):
            suppressed.add(key)

    free = frozenset(open_link)
    tables = _tables(classes, counts, elements, suppressed, free, counter, ids)
    hidden = secondary(tables, threshold=threshold, suppressed=suppressed, published=published)
    return frozenset(key for tag, key in hidden if tag == NEW)


def _tables(classes, counts, elements, suppressed, free, counter, ids) -> list[_Table]:
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
                if key not in suppressed and counts[(key, family)][0]
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
        members = [np.concatenate(atoms[s]) for s in signatures]
        distinct = [counter.count(m, distinct=family[0] == "resp") for m in members]
        tables.append(
            _Table(
                family,
                keys,
                [counts[(k, family)][0] for k in keys],
                [elements[(k, family)] for k in keys],
                [_weight(counts[(k, family)]) for k in keys],
                [None] * len(signatures),
                _AtomPeople(members, ids),
                incidence(signatures, len(keys)),
                free,
                atom_personal=[personal for _everyone, personal in distinct],
            )
        )
    return tables
