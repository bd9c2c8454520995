"""Disclosure control as pure functions: sets of respondents in, suppressed figures out."""

from honeycomb.disclosure import audit, find_leak, protect


def people(start: int, n: int) -> frozenset:
    return frozenset((start + i, None) for i in range(n))


def issue_example() -> dict:
    """Threshold 5: board 5, managers 4, staff 9, partners 3, tenants 20."""
    board, managers, staff = people(0, 5), people(100, 4), people(200, 9)
    partners, tenants = people(300, 3), people(400, 20)
    organisation = board | managers | staff
    sets = {
        "board": board,
        "managers": managers,
        "staff": staff,
        "partners": partners,
        "tenants": tenants,
        "organisation": organisation,
        "all": organisation | partners | tenants,
    }
    return {key: {"cell": members} for key, members in sets.items()}


def test_total_minus_its_shown_parts_is_found():
    figures = issue_example()
    shown = {k: v["cell"] for k, v in figures.items() if k not in ("managers", "partners")}
    leak = find_leak("cell", shown, 5)
    assert leak is not None and leak.respondents in (3, 4)
    assert leak.elements in (
        figures["managers"]["cell"],
        figures["partners"]["cell"],
    )


def test_protect_hides_small_groups_and_enough_neighbours():
    figures = issue_example()
    hidden = protect(figures, threshold=5)
    assert {"managers", "partners"} <= hidden
    # Not everything: the large groups stay visible.
    assert "tenants" not in hidden and "staff" not in hidden
    assert audit(figures, threshold=5, suppressed=hidden) == []


def test_hidden_parts_together_may_be_shown_when_large_enough():
    # Managers (4) and board (5) hidden: organisation minus staff = 9 respondents, allowed.
    board, managers, staff = people(0, 5), people(100, 4), people(200, 9)
    shown = {"organisation": board | managers | staff, "staff": staff}
    assert find_leak("cell", shown, 5) is None


def test_answer_level_figures_count_respondents_not_answers():
    # A cell's answers minus one statement's answers leave one respondent's answer.
    cell = frozenset({(1, "s1"), (2, "s1"), (3, "s1"), (1, "s2")})
    statement = frozenset({(1, "s1"), (2, "s1"), (3, "s1")})
    leak = find_leak("ans", {"cell": cell, "s1": statement}, 3)
    assert leak is not None and leak.elements == {(1, "s2")} and leak.respondents == 1
    hidden = protect({"cell": {"ans": cell}, "s1": {"ans": statement}}, threshold=3)
    assert hidden == {"s1"}  # the smaller figure goes, the cell stays


def test_crossed_departments_and_groups():
    # Staff 6 in Wonen 5 + Vastgoed 1: staff minus Wonen reveals one person.
    wonen, vastgoed = people(0, 5), people(10, 1)
    figures = {
        "staff": {"cell": wonen | vastgoed},
        "wonen": {"cell": wonen},
        "vastgoed": {"cell": vastgoed},
    }
    hidden = protect(figures, threshold=5)
    assert "vastgoed" in hidden and len(hidden) == 2
    assert audit(figures, threshold=5, suppressed=hidden) == []


def test_families_do_not_mix():
    # Different quantities cannot be subtracted from each other.
    figures = {"a": {"cell-1": people(0, 6)}, "b": {"cell-2": people(0, 5)}}
    assert protect(figures, threshold=5) == frozenset()
