import pytest

from scan import services
from scan.services import AnswerInput
from tests import factories

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def answer_round(scan_round, kind: str, n: int, level: int) -> None:
    for _ in range(n):
        r = factories.respondent(scan_round, kind=kind)
        codes = [c for c in STATEMENTS if not (kind == "tenants" and c == "KV1.2")]
        services.answers_save(respondent=r, answers=[AnswerInput(c, level) for c in codes])
        services.respondent_submit(r)


@pytest.fixture
def closed_round(org_a, version):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting", period="2025")
    answer_round(scan_round, "staff", 5, 2)
    factories.release(scan_round)
    return scan_round
