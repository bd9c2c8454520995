"""Disclosure control for published figures: primary and secondary (complementary) suppression.

A published figure (a mean, a count, a distribution) aggregates the contributions of a set of
elements. An element is a tuple whose first item is a respondent id: ``(respondent, None)``
for a respondent-level figure (a cell mean over respondent means), ``(respondent, statement)``
for an answer-level figure (a distribution, a statement mean, answer counts).

Figures of the same *family* (the same quantity of the same unit, e.g. "respondent means of
cell KP1") can be added and subtracted: a total minus its published parts gives the figure of
the rest. Figures of different families cannot be combined that way.

The rule, as statistics offices apply it to linked tables (primary suppression under a
threshold, then secondary suppression found by Gaussian elimination, cf. Hundepool et al.,
*Statistical Disclosure Control*, 2012, and Statistics Norway's GaussSuppression):

1. Primary: a figure whose set has fewer than ``threshold`` respondents is suppressed.
2. Secondary: within each family, no set of elements that can be computed from the published
   figures (any linear combination of published sets: differences, a total minus its
   published subsets, sums of those) may hold 1 … threshold−1 respondents. While such a set
   exists, one more figure of the combination is suppressed, the smallest first.

A figure is identified by a key; one key (a row on a page) may hold figures of several
families and is suppressed as a whole. Everything here is pure: sets in, keys out.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Key = Hashable
Family = Hashable
Element = tuple

TOLERANCE = 1e-7
MAX_ENUMERATED_DIMENSION = 14  # above this, any derivable small combination counts as a leak


def respondents_of(elements: Iterable[Element]) -> set:
    """The distinct respondents behind a set of elements."""
    return {element[0] for element in elements}


def weight(respondents: set, uncounted: frozenset = frozenset()) -> int:
    """How many respondents a set counts for towards the threshold. Answers someone can
    produce themselves (``uncounted``: open-link respondents) never lift a set that holds
    personal-link respondents: such a set counts its personal-link respondents only. A set of
    open-link answers alone counts them all (it is as anonymous as the link allows)."""
    if not uncounted:
        return len(respondents)
    personal = len(respondents - uncounted)
    return personal if personal else len(respondents)


@dataclass(frozen=True)
class Leak:
    """A set of elements, derivable from published figures, with too few respondents."""

    family: Family
    elements: frozenset
    respondents: int
    figures: tuple  # keys of the published figures that combine to it


def _atoms(sets: list[frozenset]) -> tuple[list[frozenset], np.ndarray]:
    """Partition the elements by which published sets hold them. No published combination
    can tell elements of one atom apart, so every derivable set is a union of atoms. Atoms are
    ordered by their signature, so the result does not depend on the order of iteration."""
    signature: dict[Element, list[int]] = {}
    for index, members in enumerate(sets):
        for element in members:
            signature.setdefault(element, []).append(index)
    classes: dict[tuple, set] = {}
    for element, where in signature.items():
        classes.setdefault(tuple(where), set()).add(element)
    order = sorted(classes)
    atoms = [frozenset(classes[where]) for where in order]
    return atoms, incidence(order, len(sets))


def incidence(signatures: list[tuple], rows: int) -> np.ndarray:
    """The 0/1 matrix of published sets (rows) by atoms (columns, one per signature)."""
    matrix = np.zeros((rows, len(signatures)))
    for column, where in enumerate(signatures):
        matrix[list(where), column] = 1.0
    return matrix


def _null_left(matrix: np.ndarray) -> np.ndarray:
    """Rows y with y @ matrix == 0 (a basis, as rows)."""
    if matrix.shape[1] == 0:
        return np.eye(matrix.shape[0])
    _u, singular, vt = np.linalg.svd(matrix.T, full_matrices=True)
    rank = int((singular > TOLERANCE * max(1.0, singular.max(initial=0.0))).sum())
    return vt[rank:]


def _rref(matrix: np.ndarray) -> np.ndarray:
    """Reduced row echelon form, dropping zero rows."""
    rows = matrix.astype(float).copy()
    pivot_row = 0
    for column in range(rows.shape[1]):
        if pivot_row >= rows.shape[0]:
            break
        best = pivot_row + int(np.argmax(np.abs(rows[pivot_row:, column])))
        if abs(rows[best, column]) < TOLERANCE:
            continue
        rows[[pivot_row, best]] = rows[[best, pivot_row]]
        rows[pivot_row] /= rows[pivot_row, column]
        others = np.arange(rows.shape[0]) != pivot_row
        rows[others] -= np.outer(rows[others, column], rows[pivot_row])
        pivot_row += 1
    rows[np.abs(rows) < TOLERANCE] = 0.0
    return rows[:pivot_row]


def _representation(matrix: np.ndarray, target: np.ndarray) -> np.ndarray | None:
    """Coefficients y with y @ matrix == target, or None when target is not derivable."""
    if matrix.shape[0] == 0:
        return None
    solution, *_rest = np.linalg.lstsq(matrix.T, target, rcond=None)
    if np.abs(solution @ matrix - target).max(initial=0.0) > 1e-6:
        return None
    return solution


@dataclass
class _Table:
    """One family's published sets, split into atoms once. Per key: its respondents, its
    elements and its weight; per atom: its respondents, its elements (when known; the fast
    builder in ``honeycomb.figure_atoms`` keeps counts only)."""

    family: Family
    keys: list
    key_respondents: list[int]
    key_elements: list[int]
    sizes: list[int]  # weights (see ``weight``)
    atoms: list[frozenset | None]
    atom_respondents: Sequence[frozenset]
    matrix: np.ndarray
    uncounted: frozenset = frozenset()
    # Per atom: its respondents outside ``uncounted`` (counted once, when the builder knows).
    atom_personal: list[int] | None = None

    def personal(self, atom: int) -> int:
        if self.atom_personal is not None:
            return self.atom_personal[atom]
        return len(self.atom_respondents[atom] - self.uncounted)

    @classmethod
    def build(
        cls, family: Family, published: Mapping[Key, frozenset], uncounted: frozenset = frozenset()
    ) -> _Table:
        keys = sorted((k for k, members in published.items() if members), key=repr)
        sets = [frozenset(published[k]) for k in keys]
        atoms, matrix = _atoms(sets)
        return cls(
            family,
            keys,
            [len(respondents_of(s)) for s in sets],
            [len(s) for s in sets],
            [weight(respondents_of(s), uncounted) for s in sets],
            list(atoms),
            [frozenset(respondents_of(a)) for a in atoms],
            matrix,
            uncounted,
        )

    def elements_of(self, chosen) -> frozenset:
        """The elements of a union of atoms (their respondents where elements are not kept)."""
        if all(self.atoms[i] is not None for i in chosen):
            return frozenset().union(*(self.atoms[i] for i in chosen))  # type: ignore[arg-type]
        return frozenset((r, None) for i in chosen for r in self.atom_respondents[i])

    def leak(self, threshold: int, hidden: set) -> Leak | None:
        found = self.leak_and_target(threshold, hidden)
        return found[0] if found else None

    def derivable(self, target: np.ndarray | None, hidden: set) -> bool:
        rows = [i for i, k in enumerate(self.keys) if k not in hidden]
        if target is None:
            return any(self.sizes[i] for i in rows)
        return _representation(self.matrix[rows], target) is not None

    def leak_and_target(self, threshold: int, hidden: set):
        rows = [i for i, k in enumerate(self.keys) if k not in hidden]
        for i in rows:
            if self.sizes[i] < threshold:
                row = np.nonzero(self.matrix[i])[0]
                leak = Leak(self.family, self.elements_of(row), self.sizes[i], (self.keys[i],))
                return leak, None
        matrix = self.matrix[rows]
        used = np.nonzero(matrix.any(axis=0))[0]
        small = [int(i) for i in used if self.personal(int(i)) < threshold]
        if not small:
            return None
        small_set = set(small)
        big = [int(i) for i in used if int(i) not in small_set]
        basis = _rref(_null_left(matrix[:, big]) @ matrix[:, small])
        if basis.shape[0] == 0:
            return None
        chosen = self._smallest(basis, small, threshold)
        if chosen is None:
            return None
        elements = self.elements_of(chosen)
        target = np.zeros(matrix.shape[1])
        target[chosen] = 1.0
        coefficients = _representation(matrix, target)
        keys = [self.keys[i] for i in rows]
        figures = (
            tuple(k for k, c in zip(keys, coefficients, strict=True) if abs(c) > 1e-6)
            if coefficients is not None
            else tuple(keys)
        )
        size = weight(set().union(*(self.atom_respondents[i] for i in chosen)), self.uncounted)
        return Leak(self.family, elements, size, figures), target

    def _smallest(self, basis: np.ndarray, small: list[int], threshold: int) -> list[int] | None:
        """The atoms of the smallest derivable 0/1 combination below the threshold."""
        if basis.shape[0] > MAX_ENUMERATED_DIMENSION:
            return [small[i] for i in np.nonzero(np.abs(basis[0]) > TOLERANCE)[0]]
        people = sorted(set().union(*(self.atom_respondents[i] for i in small)), key=repr)
        position = {p: j for j, p in enumerate(people)}
        incidence = np.zeros((len(small), len(people)))
        for row, i in enumerate(small):
            incidence[row, [position[p] for p in self.atom_respondents[i]]] = 1.0
        choices = np.array(list(itertools.product((0.0, 1.0), repeat=basis.shape[0]))[1:])
        vectors = choices @ basis
        binary = np.all((np.abs(vectors) < TOLERANCE) | (np.abs(vectors - 1.0) < TOLERANCE), axis=1)
        vectors = vectors[binary] > 0.5
        if len(vectors) == 0:
            return None
        covered = (vectors.astype(float) @ incidence) > 0.5
        counted = np.array([p not in self.uncounted for p in people], dtype=bool)
        personal = covered[:, counted].sum(axis=1)
        counts = np.where(personal > 0, personal, covered.sum(axis=1))
        below = np.nonzero((counts > 0) & (counts < threshold))[0]
        if len(below) == 0:
            return None
        best = below[np.argmin(counts[below])]
        return [small[i] for i in np.nonzero(vectors[best])[0]]


def find_leak(family: Family, published: Mapping[Key, frozenset], threshold: int) -> Leak | None:
    """A derivable set of elements with 1 … threshold−1 respondents, or None.

    Exact for sums: the derivable sets are the 0/1 vectors (over atoms) in the row space of
    the published sets. Only atoms with fewer than ``threshold`` respondents can be part of
    a small derivable set, so the search runs in the subspace that is zero on the others."""
    return _Table.build(family, published).leak(threshold, set())


def _families(figures: Mapping[Key, Mapping[Family, frozenset]], hidden: set) -> dict:
    families: dict[Family, dict[Key, frozenset]] = {}
    for key, per_family in figures.items():
        if key in hidden:
            continue
        for family, members in per_family.items():
            if members:
                families.setdefault(family, {})[key] = frozenset(members)
    return families


def protect(
    figures: Mapping[Key, Mapping[Family, frozenset]],
    *,
    threshold: int,
    primary: Iterable[Key] = (),
    fixed: Iterable[Key] = (),
    uncounted: Iterable = (),
) -> frozenset:
    """The keys to suppress so that no family leaks a set below the threshold.

    ``figures``: per key, the element set of each family the key publishes in. ``primary``:
    keys the caller already hides. ``fixed``: keys that are published already (an earlier
    release): they take part in every combination but are never chosen to hide, so what an
    earlier release showed protects the new one. ``uncounted``: respondents whose answers
    someone could have produced themselves (see ``weight``). Primary suppression: every key
    with a set below the threshold in any family (an empty set too: nothing to show).
    Secondary: for each leak, the smallest figure taking part in the combination is hidden,
    until no family leaks."""
    published = frozenset(fixed)
    free = frozenset(uncounted)
    suppressed = set(primary) - published
    for key, per_family in figures.items():
        if key in published:
            continue
        if not per_family or any(
            weight(respondents_of(m), free) < threshold for m in per_family.values()
        ):
            suppressed.add(key)
    families = _families(figures, suppressed)
    tables = [_Table.build(f, families[f], free) for f in sorted(families, key=family_order)]
    return secondary(tables, threshold=threshold, suppressed=suppressed, published=published)


_FAMILY_RANK = {("resp", "cell"): 0, ("ans", "cell"): 1, ("resp", "overall"): 2}


def family_order(family: Family) -> tuple:
    """The order families are checked in: a cell's respondent means first, then its answers,
    the overall and domain means, answers with N/A last. The first leak found decides which
    figure is hidden, so the order is fixed (the most telling figures settle first)."""
    if isinstance(family, tuple) and len(family) == 3:
        return (_FAMILY_RANK.get(family[:2], 3 if family[0] == "resp" else 4), repr(family[2]))
    return (5, repr(family))


def secondary(
    tables: list[_Table], *, threshold: int, suppressed: set, published: frozenset
) -> frozenset:
    """Secondary suppression over the families' tables (in a stable order): while a family
    leaks, hide the cheapest figure of the combination."""
    changed = True
    while changed:
        changed = False
        for table in tables:
            while (found := table.leak_and_target(threshold, suppressed)) is not None:
                leak, target = found
                key = _cheapest(table, leak, target, suppressed, published)
                if key is None:
                    # The leak lies within figures published before: hiding new figures of
                    # this quantity is all that is left to do.
                    suppressed.update(k for k in table.keys if k not in published)
                    break
                suppressed.add(key)
                changed = True
    return frozenset(suppressed)


def _cheapest(
    table: _Table, leak: Leak, target, suppressed: set, published: frozenset = frozenset()
) -> Key | None:
    """The figure to hide next: among those combining to the leak, the cheapest whose hiding
    makes the leaked set underivable; cost: fewest respondents, then fewest elements (a
    statement before its cell), then a stable order. If no single figure does, the cheapest.
    None when every figure of the combination is published already."""
    cost = {
        k: (people, elements, repr(k))
        for k, people, elements in zip(
            table.keys, table.key_respondents, table.key_elements, strict=True
        )
    }
    pool = sorted(
        (k for k in leak.figures if k not in suppressed and k not in published),
        key=cost.__getitem__,  # the leak's figures are the table's
    )
    if not pool:
        return None
    if target is None or len(pool) == 1:
        return pool[0]
    for key in pool:
        if not table.derivable(target, suppressed | {key}):
            return key
    return pool[0]


def audit(
    figures: Mapping[Key, Mapping[Family, frozenset]],
    *,
    threshold: int,
    suppressed: Iterable[Key] = (),
    uncounted: Iterable = (),
) -> list[Leak]:
    """Every family's first leak among the figures that are not suppressed (empty: safe)."""
    hidden = set(suppressed)
    free = frozenset(uncounted)
    leaks = []
    for family, sets in _families(figures, hidden).items():
        leak = _Table.build(family, sets, free).leak(threshold, set())
        if leak is not None:
            leaks.append(leak)
    return leaks
