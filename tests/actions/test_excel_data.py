"""The analysts' data sheet: long format (cell and statement × group × department) with the
ambition and the change, and a hidden figure without any number."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions import services as cycle
from tests import factories

from .conftest import answer_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_round(org_a, version, people, closed_round):
    scan_round = factories.scan_round(
        org_a, version=version, title="Herhaling", period="2026", previous_round=closed_round
    )
    answer_round(scan_round, "staff", 5, 3)
    answer_round(scan_round, "tenants", 2, 5)  # too few: hidden
    factories.release(scan_round)
    cycle.ambition_set(
        organisation=org_a,
        statement="Klant centraal",
        horizon=timezone.localdate() + dt.timedelta(days=400),
        targets={"KP1": (4, "Beter")},
        user=people["consultant_a"],
    )
    return scan_round


def data_sheet(client, scan_round) -> list[dict]:
    response = client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": scan_round.pk}))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Gegevens"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_data_sheet_has_every_figure_in_long_format(client, people, data_round):
    client.force_login(people["director_a"])
    rows = data_sheet(client, data_round)
    staff_cell = next(
        r for r in rows if r["Code"] == "KP1" and r["Groepcode"] == "staff" and r["Niveau"] == "cel"
    )
    assert staff_cell["Score"] == 3 and staff_cell["Respondenten"] == 5
    assert staff_cell["Ambitie"] == 4
    assert staff_cell["Verandering sinds vorige ronde"] == 1  # 2 → 3
    statements = {r["Code"] for r in rows if r["Niveau"] == "stelling"}
    assert {"KP1.1", "KP1.2"} <= statements


def test_a_hidden_figure_keeps_its_row_but_no_number(client, people, data_round):
    client.force_login(people["director_a"])
    tenants = [r for r in data_sheet(client, data_round) if r["Groepcode"] == "tenants"]
    assert tenants and all(r["Getoond"] is False for r in tenants)
    for row in tenants:
        numbers = (
            "Respondenten",
            "Score",
            "Mediaan",
            "Spreiding",
            "Verandering sinds vorige ronde",
        )
        assert all(row[key] is None for key in numbers)
