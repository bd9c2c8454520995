"""Respondent imports of files as HR systems export them (tests/fixtures/hr_exports.py)."""

from __future__ import annotations

import pytest
from django.utils import translation

from scan import services
from scan.models import Respondent
from scan.services.respondent_import import respondents_import_preview
from tests.fixtures.hr_exports import EXPECTED, hr_csv, hr_xlsx

pytestmark = pytest.mark.django_db

FILES = {
    "medewerkers.xlsx": hr_xlsx,
    "medewerkers-ansi.csv": lambda: hr_csv("cp1252"),
    "medewerkers-utf8.csv": lambda: hr_csv("utf-8-sig"),
}


@pytest.mark.parametrize("filename", list(FILES))
def test_hr_export_with_title_rows_imports_with_names_intact(round_a, filename):
    content = FILES[filename]()
    preview = respondents_import_preview(scan_round=round_a, filename=filename, content=content)
    assert preview.problems == []
    assert preview.header_row == 4 and preview.ignored_rows == 2
    assert "Roepnaam" in preview.header and "Doelgroep" in preview.header
    groups = {g.value: g.group.kind for g in preview.groups}
    assert groups["Bestuur / MT"] == "board"
    services.respondents_import(scan_round=round_a, filename=filename, content=content)
    imported = sorted(
        (r.name, r.email, r.group.kind) for r in Respondent.objects.select_related("group")
    )
    assert imported == EXPECTED


def test_problems_are_named_once_each_in_row_order(round_a):
    content = (
        b"Overzicht\n\nNaam;E-mail;Groep\n"
        b"A;a@x.nl;Marsmannetjes\n"
        b"B;geen-adres;medewerkers\n"
        b"C;=HYPERLINK(1);medewerkers\n"
        b"D;d@x.nl;Marsmannetjes\n"
        b"E;b@x.nl;\n"
    )
    with translation.override("nl"):
        preview = respondents_import_preview(scan_round=round_a, filename="a.csv", content=content)
    rows = [int(p.split(":")[0].replace(",", " ").split()[1]) for p in preview.problems]
    assert rows == sorted(rows)
    assert len(preview.problems) == len(set(preview.problems))
    assert sum("Marsmannetjes" in p for p in preview.problems) == 1  # once, naming rows 4, 7
    assert any("4, 7" in p for p in preview.problems)


def test_chosen_columns_and_group_values_are_remembered_for_the_organisation(round_a):
    content = b"Lijst\nWerkmail;Soort;Naam\na@x.nl;Raad;A\nb@x.nl;Raad;B\n"
    with pytest.raises(services.ImportRejected):
        respondents_import_preview(scan_round=round_a, filename="a.csv", content=content)
    preview = respondents_import_preview(
        scan_round=round_a, filename="a.csv", content=content, mapping={"email": 0, "group": 1}
    )
    assert [g.value for g in preview.unknown_groups] == ["Raad"]
    services.respondents_import(
        scan_round=round_a,
        filename="a.csv",
        content=content,
        mapping={"email": 0, "group": 1},
        group_values={"Raad": "board"},
    )
    assert Respondent.objects.filter(group__kind="board").count() == 2
    round_a.organisation.refresh_from_db()
    again = b"Werkmail;Soort\nc@x.nl;Raad\n"
    preview = respondents_import_preview(scan_round=round_a, filename="b.csv", content=again)
    assert preview.problems == [] and preview.pending[0].group.kind == "board"
