from pathlib import Path

import pytest
import yaml
from django.utils.translation import override

from scan.modeldoc import ModelDoc
from scan.modelfile import ModelFileError, dump_document, parse_model_file, validate_document
from tests.model_document import document


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The messages are checked in English; one test checks them in Dutch."""
    with override("en"):
        yield


DEFAULT_MODEL = (
    Path(__file__).resolve().parents[2] / "scan" / "default_models" / "woningcorporatie.yaml"
)


def test_valid_document_round_trips_through_yaml_and_json():
    doc = document()
    assert parse_model_file(dump_document(doc, "yaml")) == doc
    assert parse_model_file(dump_document(doc, "json")) == doc


def test_default_model_is_valid_and_complete():
    doc = parse_model_file(DEFAULT_MODEL.read_text(encoding="utf-8"))
    model = ModelDoc(doc)
    assert [d.code for d in model.domains] == ["KV", "KP", "DI", "GE"]
    assert 12 <= len(model.cells) <= 16
    assert len(model.statements) >= 40
    for cell in model.cells:
        assert set(cell.descriptors) == {"1", "2", "3", "4", "5"}
        assert len(cell.statements_for("staff")) >= 2
    # Tenants are not asked about internal matters, and get their own wording somewhere.
    assert any(not s.asks("tenants") for s in model.statements)
    assert any("tenants" in s.wording for s in model.statements)


def test_yaml_syntax_error_names_the_line():
    text = dump_document(document(), "yaml").replace("code: KP1\n", "code: [KP1\n", 1)
    with pytest.raises(ModelFileError) as exc:
        parse_model_file(text)
    assert "line" in exc.value.errors[0]
    assert "not valid YAML" in exc.value.errors[0]


def test_schema_errors_name_line_and_field_and_all_are_reported():
    doc = document()
    statement = doc["domains"][0]["cells"][0]["statements"][1]["code"]
    cell = doc["domains"][1]["cells"][0]["code"]
    del doc["domains"][1]["cells"][0]["descriptors"]["3"]
    doc["domains"][0]["cells"][0]["statements"][1]["groups"] = ["aliens"]
    text = dump_document(doc, "yaml")
    with pytest.raises(ModelFileError) as exc:
        parse_model_file(text)
    errors = exc.value.errors
    assert len(errors) == 2
    assert any(f"{cell} → level descriptors" in e and "level 3 is missing" in e for e in errors)
    assert any(f"{statement} → groups" in e and "'aliens' is not allowed" in e for e in errors)
    assert not any("domains[" in e for e in errors)
    lines = text.splitlines()
    for error in errors:
        line = int(error.split(",")[0].removeprefix("line "))
        assert 1 <= line <= len(lines)


def test_errors_name_the_place_in_dutch_on_dutch_pages():
    doc = document()
    statement = doc["domains"][0]["cells"][0]["statements"][1]["code"]
    doc["domains"][0]["cells"][0]["statements"][1]["groups"] = ["aliens"]
    with override("nl"), pytest.raises(ModelFileError) as exc:
        parse_model_file(dump_document(doc, "yaml"))
    assert f"{statement} → groepen" in exc.value.errors[0]
    assert exc.value.errors[0].startswith("regel ")


def test_duplicate_codes_are_rejected():
    doc = document()
    doc["domains"][1]["cells"][1]["statements"][0]["code"] = "KP1.1"
    errors = validate_document(doc)
    assert any("code 'KP1.1' is used twice" in e for e in errors)


def test_wording_for_a_group_that_is_not_asked_is_rejected():
    doc = document()
    doc["domains"][0]["cells"][0]["statements"][1]["wording"] = {"tenants": {"nl": "x", "en": "y"}}
    assert any("not asked this statement" in e for e in validate_document(doc))


def test_levels_must_be_one_to_five():
    doc = document()
    doc["levels"][4]["level"] = 4
    assert any("exactly 1, 2, 3, 4 and 5" in e for e in validate_document(doc))


def test_empty_and_non_mapping_files():
    with pytest.raises(ModelFileError, match="empty"):
        parse_model_file("   ")
    with pytest.raises(ModelFileError, match="mapping"):
        parse_model_file(yaml.safe_dump(["a", "b"]))


def test_statement_wording_and_group_limits():
    model = ModelDoc(document())
    kp = model.statement_by_code["KP1.1"]
    assert kp.text_for("tenants", "nl") == "De corporatie komt afspraken met mij na."
    assert kp.text_for("staff", "en") == "We keep repair appointments."
    assert not model.statement_by_code["KV1.2"].asks("tenants")
    assert [c.code for c in model.cells_for("tenants")] == ["KV1", "KP1", "KP2"]
    assert [s.code for s in model.cell_by_code["KV1"].statements_for("tenants")] == ["KV1.1"]


def test_default_model_speaks_to_tenants_and_partners_in_their_own_words():
    model = ModelDoc(parse_model_file(DEFAULT_MODEL.read_text(encoding="utf-8")))
    kv1 = model.cell_by_code["KV1"]
    for group in ("tenants", "partners"):
        assert group in kv1.group_descriptors
        for level in range(1, 6):
            assert "collega" not in kv1.descriptor_for(level, group, "nl").lower()
    assert "collega" in kv1.descriptor_for(2, "staff", "nl").lower()
    for statement in model.statements:
        if statement.asks("partners"):
            assert "als corporatie" not in statement.text_for("partners", "nl")


def test_group_descriptors_need_all_five_levels():
    doc = document()
    cell = doc["domains"][0]["cells"][0]
    cell["group_descriptors"] = {"tenants": {"1": {"nl": "a", "en": "b"}}}
    errors = validate_document(doc)
    assert any(f"{cell['code']} → level descriptors per group → Tenants" in e for e in errors)
    cell["group_descriptors"] = {
        "tenants": {str(n): {"nl": f"huurder {n}", "en": f"tenant {n}"} for n in range(1, 6)}
    }
    assert validate_document(doc) == []
    parsed = ModelDoc(doc).cell_by_code[cell["code"]]
    assert parsed.descriptor_for(3, "tenants", "nl") == "huurder 3"
    assert parsed.descriptor_for(3, "staff", "nl") == cell["descriptors"]["3"]["nl"]


def test_the_wizard_step_shows_the_groups_own_descriptors():
    from scan.forms import step_form_class

    model = ModelDoc(parse_model_file(DEFAULT_MODEL.read_text(encoding="utf-8")))
    cell = model.cell_by_code["KV1"]
    tenant = step_form_class(cell, "tenants", "nl", model.levels)
    staff = step_form_class(cell, "staff", "nl", model.levels)
    assert tenant.descriptors["2"] == cell.group_descriptors["tenants"]["2"]["nl"]
    assert staff.descriptors["2"] == cell.descriptors["2"]["nl"]
