"""Results and workshop pages: every role of the organisation, nobody else; the threshold holds."""

import pytest
from django.urls import reverse

from scan import services
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "workgroup", "director", "consultant"]
ALL_STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def answered(scan_round, kind, n, level=3):
    for _ in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        codes = [c for c in ALL_STATEMENTS if not (kind == "tenants" and c == "KV1.2")]
        services.answers_save(respondent=respondent, answers=[AnswerInput(c, level) for c in codes])
        services.respondent_submit(respondent)


@pytest.mark.parametrize("role", ROLES)
def test_results_for_every_role_of_own_organisation_only(client, people, round_a, role):
    url = reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk})
    client.force_login(people[f"{role}_a"])
    assert client.get(url).status_code == 200
    client.force_login(people[f"{role}_b"])
    assert client.get(url).status_code == 404


def test_results_suppress_groups_below_threshold_everywhere(client, people, round_a):
    answered(round_a, "staff", 5, level=4)
    answered(round_a, "tenants", 4, level=1)  # below the threshold of 5
    client.force_login(people["director_a"])
    staff = client.get(
        reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk}) + "?group=staff"
    )
    assert [c.score for c in staff.context["cells"]] == [4.0, 4.0, 4.0]
    tenants = client.get(
        reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk}) + "?group=tenants"
    )
    cells = tenants.context["cells"]
    assert all(c.suppressed and c.score is None and c.n == 0 for c in cells)
    html = tenants.content.decode()
    assert "n = 4" not in html and '"1.0"' not in html
    detail = client.get(
        reverse("honeycomb:cell", kwargs={"org": "alfa", "pk": round_a.pk, "cell": "KP1"})
    )
    rows = {r["kind"]: r for r in detail.context["rows"]}
    assert rows["tenants"]["suppressed"] and not rows["staff"]["suppressed"]


def test_unknown_group_or_cell_is_404(client, people, round_a):
    client.force_login(people["director_a"])
    assert (
        client.get(
            reverse("honeycomb:results", kwargs={"org": "alfa", "pk": round_a.pk}) + "?group=aliens"
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("honeycomb:cell", kwargs={"org": "alfa", "pk": round_a.pk, "cell": "ZZ9"})
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role,status",
    [("consultant", 200), ("coordinator", 403), ("director", 403), ("workgroup", 403)],
)
def test_workshop_is_for_consultants(client, people, round_a, role, status):
    client.force_login(people[f"{role}_a"])
    assert (
        client.get(
            reverse("honeycomb:workshop", kwargs={"org": "alfa", "pk": round_a.pk})
        ).status_code
        == status
    )


def test_workshop_records_consensus_and_refuses_bad_levels(client, people, round_a):
    answered(round_a, "staff", 5)
    answered(round_a, "tenants", 2)
    client.force_login(people["consultant_a"])
    url = reverse("honeycomb:workshop", kwargs={"org": "alfa", "pk": round_a.pk})
    page = client.get(url)
    kp1 = next(c for c in page.context["cells"] if c["code"] == "KP1")
    rows = {r["kind"]: r for r in kp1["rows"]}
    assert rows["staff"]["distribution"] == [0, 0, 10, 0, 0]
    assert rows["tenants"]["suppressed"] and rows["tenants"]["distribution"] is None
    client.post(url, {"cell": "KP1", "level": "2", "reason": "Afspraken worden niet nagekomen"})
    assert round_a.consensus.get(cell_code="KP1").level == 2
    client.post(url, {"cell": "KP1", "level": "9", "reason": "x"})
    client.post(url, {"cell": "XX", "level": "3", "reason": "x"})
    assert round_a.consensus.get(cell_code="KP1").level == 2
    assert round_a.consensus.count() == 1
