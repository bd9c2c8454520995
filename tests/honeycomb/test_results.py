"""The one results object of a round: built from one answer query, the single rules for what
is shown, and a snapshot that gives the same figures back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from honeycomb.results import GAP_THRESHOLD, RoundResults, round_results, rule_texts
from scan.models import Answer
from tests import factories

pytestmark = pytest.mark.django_db

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def forced_answers(scan_round, kind: str, n: int, level: int, comment: str = "") -> None:
    """Submitted answers written straight through the ORM, as if they arrived from elsewhere."""
    for _ in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        Answer.objects.bulk_create(
            [
                Answer(respondent=respondent, statement_code=c, level=level, comment=comment)
                for c in STATEMENTS
            ]
        )
        respondent.submitted_at = timezone.now()
        respondent.save(update_fields=["submitted_at"])


def answer_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if '"scan_answer"' in q["sql"]]


def test_results_hold_figures_labels_and_the_one_threshold_rule(round_a):
    forced_answers(round_a, "staff", 5, 4)
    forced_answers(round_a, "tenants", 5, 2, comment="Goed bezig")
    forced_answers(round_a, "managers", 2, 5, comment="Alleen wij")
    factories.release(round_a)
    results = round_results(round_a)
    tenants = results.cell("KP1", "tenants")
    assert tenants.shown and tenants.mean == 2.0 and tenants.n == 5
    assert tenants.distribution[1] == 10
    hidden = results.cell("KP1", "managers")
    assert not hidden.shown and hidden.mean is None and hidden.n is None
    # Own organisation minus staff would give the two managers: disclosure control hides staff.
    assert not results.cell("KP1", "staff").shown
    assert results.overall().n == 12
    labels = results.group_labels()
    assert list(labels)[:2] == ["all", "organisation"] and labels["staff"]
    assert results.departments == [] and results.respondents == 12
    gaps = results.gaps()
    assert gaps and all(abs(g["gap"]) >= GAP_THRESHOLD for g in gaps)
    assert str(GAP_THRESHOLD).replace(".", ",") in rule_texts()["gap"]
    comments = results.comments("KP1")
    assert list(comments.values()) == [["Goed bezig"] * 10]  # managers (2) stay hidden


def test_pages_read_the_release_and_never_the_answers(org_a, version):
    before = factories.scan_round(org_a, version=version, title="Nulmeting", status="closed")
    forced_answers(before, "staff", 5, 2)
    factories.release(before)
    now = factories.scan_round(org_a, version=version, previous_round=before)
    forced_answers(now, "staff", 5, 3)
    assert not round_results(now).is_released  # open, no release: no figures at all
    assert round_results(now).cell("KP1").mean is None
    factories.release(now)
    forced_answers(now, "staff", 1, 5)  # an answer after the release changes nothing shown
    with CaptureQueriesContext(connection) as ctx:
        results = round_results(now)
        assert results.changes()["KP1"] == pytest.approx(1.0)
        assert results.cell("KP1").mean == 3.0 and results.cell("KP1").n == 5
    assert answer_queries(ctx) == []


def test_snapshot_round_trip_gives_the_same_figures(round_a):
    forced_answers(round_a, "staff", 5, 4)
    forced_answers(round_a, "tenants", 6, 1, comment="Traag")
    factories.release(round_a)
    results = round_results(round_a)
    data = results.to_snapshot(cell_codes=["KV1", "KP1", "KP2"])
    again = RoundResults.from_snapshot(data)
    assert again.is_frozen and not results.is_frozen
    for code in ("KV1", "KP1", "KP2"):
        for group in ("all", "organisation", "staff", "tenants"):
            assert again.cell(code, group) == results.cell(code, group)
    assert again.domain("KP", "tenants") == results.domain("KP", "tenants")
    assert again.statement("KP1.1", "staff") == results.statement("KP1.1", "staff")
    assert again.gaps(flagged_only=False) == results.gaps(flagged_only=False)
    assert again.group_labels() == results.group_labels()
    assert again.comments("KP1") == results.comments("KP1")
    assert again.respondents == 11
    # Stored as JSON: the snapshot survives the database.
    import json

    assert RoundResults.from_snapshot(json.loads(json.dumps(data))).cell("KP1") == results.cell(
        "KP1"
    )
