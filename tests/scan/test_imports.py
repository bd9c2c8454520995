"""Respondent imports as corporations really export them: Dutch headers, split names,
accents, group spellings, and every problem of a bad file in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.tabular import Column, normalise, read_table
from scan import services
from scan.models import Respondent
from tests import factories
from tests.fixtures.make_fixtures import BAD_PROBLEM_ROWS, DUTCH_EXPECTED

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _imported(round_a):
    return sorted(
        (r.name, r.email, r.group.kind)
        for r in Respondent.objects.filter(round=round_a).select_related("group")
    )


@pytest.mark.parametrize("filename", ["respondenten_nl.csv", "respondenten_nl.xlsx"])
def test_dutch_export_imports_every_row_with_names_intact(round_a, filename):
    content = (FIXTURES / filename).read_bytes()
    preview = services.respondents_import_preview(
        scan_round=round_a, filename=filename, content=content
    )
    assert preview.problems == []
    assert preview.empty_rows == 1
    assert not Respondent.objects.exists()  # a preview writes nothing
    report = services.respondents_import(scan_round=round_a, filename=filename, content=content)
    assert len(report.created) == len(DUTCH_EXPECTED)
    assert _imported(round_a) == sorted(DUTCH_EXPECTED)


def test_bad_file_lists_every_problem_with_spreadsheet_row_numbers(round_a):
    content = (FIXTURES / "respondenten_fout.csv").read_bytes()
    with pytest.raises(services.ImportRejected) as exc:
        services.respondents_import(scan_round=round_a, filename="fout.csv", content=content)
    errors = exc.value.errors
    rows = sorted({int(e.split(":")[0].split(",")[0].split()[1]) for e in errors})
    assert rows == BAD_PROBLEM_ROWS
    text = "\n".join(errors)
    assert "geen-adres" in text
    assert "dubbel@woonstad.example" in text and "rij 4" in text  # Dutch, as the page
    assert len([e for e in errors if e.startswith("Rij 7")]) == 1  # the long name once
    assert "Buitenaardsen" in text and "Medewerkers" in text
    assert "120" in text
    assert "@SUM(1+1)" in text and "=HYPERLINK" in text
    assert not Respondent.objects.exists()


def test_unknown_group_suggests_the_dutch_names_in_dutch(round_a):
    from django.utils import translation

    with translation.override("nl"), pytest.raises(services.ImportRejected) as exc:
        services.respondents_import(
            scan_round=round_a, filename="a.csv", content=b"email;groep\na@x.nl;aliens\n"
        )
    message = exc.value.errors[0]
    assert "Huurders" in message and "Medewerkers" in message
    assert "tenants" not in message


@pytest.mark.parametrize(
    "spelling,kind",
    [
        ("Bestuur/MT", "board"),
        ("bestuur & mt", "board"),
        ("BESTUUR EN MT", "board"),
        ("Board / management team", "board"),
        (" huurder ", "tenants"),
        ("Tenants", "tenants"),
        ("medewerkers", "staff"),
        ("Contractpartners", "partners"),
        ("leidinggevende", "managers"),
        ("staff", "staff"),
    ],
)
def test_group_spellings(round_a, spelling, kind):
    report = services.respondents_import(
        scan_round=round_a,
        filename="a.csv",
        content=f"E-mail;Groep\na@x.nl;{spelling}\n".encode(),
    )
    assert report.created[0].group.kind == kind


def test_headers_match_case_and_accent_insensitively():
    columns = [Column("email", "e-mail", ("E-mailadres",)), Column("name", "name", ("Naam",))]
    table = read_table(
        filename="a.csv", content=b"E-MAILADRES ,NA\xc3\xa0m\nA@x.nl,An\n", columns=columns
    )
    assert table.mapping == {"email": 0, "name": 1}
    assert normalise("Émail_Adrés ") == "email adres"


def test_corrected_column_mapping_is_used(round_a):
    content = b"Contact;Soort;Wie\na@x.nl;huurders;Ans\n"
    with pytest.raises(services.ImportRejected, match="ontbreekt"):
        services.respondents_import(scan_round=round_a, filename="a.csv", content=content)
    report = services.respondents_import(
        scan_round=round_a,
        filename="a.csv",
        content=content,
        mapping={"email": 0, "group": 1, "name": 2},
    )
    assert (report.created[0].email, report.created[0].name) == ("a@x.nl", "Ans")


def test_existing_respondents_are_reported_and_left_alone(round_a):
    factories.respondent(round_a, email="a@x.nl")
    report = services.respondents_import(
        scan_round=round_a, filename="b.csv", content=b"email,group\nA@x.nl,staff\nb@x.nl,staff\n"
    )
    assert [r.email for r in report.created] == ["b@x.nl"]
    assert report.duplicates and "a@x.nl" in report.duplicates[0]


@pytest.mark.parametrize("length", [10_001, 131_073, 140_000])
def test_huge_field_is_refused_with_its_row_without_a_server_error(round_a, length):
    # 131,073 characters is past Python's own csv field limit, 10,001 only past ours
    content = b"email,group,name\na@x.nl,staff,Ans\nb@x.nl,staff," + b"x" * length + b"\n"
    with pytest.raises(services.ImportRejected) as refused:
        services.respondents_import(scan_round=round_a, filename="a.csv", content=content)
    assert refused.value.errors == ["Rij 3: een veld is langer dan 10000 tekens."]
    assert not Respondent.objects.exists()


# --- the preview and confirm views ------------------------------------------------------------


def _upload(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes())


def _urls(round_a, org="alfa"):
    from django.urls import reverse

    kwargs = {"org": org, "pk": round_a.pk}
    return reverse("scan:respondent_import", kwargs=kwargs), reverse(
        "scan:respondent_import_confirm", kwargs=kwargs
    )


def test_preview_writes_nothing_and_confirm_imports_what_was_previewed(client, people, round_a):
    preview_url, confirm_url = _urls(round_a)
    client.force_login(people["coordinator_a"])
    response = client.post(preview_url, {"file": _upload("respondenten_nl.csv")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jan van der Berg" in page and "Anaïs Özdemir" in page
    assert not Respondent.objects.exists()
    upload = response.context["upload"]
    assert client.post(confirm_url, {"upload": "forged"}).status_code == 302
    assert not Respondent.objects.exists()
    response = client.post(confirm_url, {"upload": upload})
    assert response.status_code == 302
    assert _imported(round_a) == sorted(DUTCH_EXPECTED)
    # The same confirm again finds no waiting upload: nothing is imported twice.
    client.post(confirm_url, {"upload": upload})
    assert Respondent.objects.count() == len(DUTCH_EXPECTED)


def test_bad_file_view_lists_every_problem(client, people, round_a):
    preview_url, _confirm = _urls(round_a)
    client.force_login(people["coordinator_a"])
    response = client.post(preview_url, {"file": _upload("respondenten_fout.csv")})
    assert response.status_code == 400
    assert len(response.context["errors"]) >= len(BAD_PROBLEM_ROWS)
    assert not Respondent.objects.exists()


def test_unrecognised_headers_can_be_mapped_by_hand(client, people, round_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview_url, confirm_url = _urls(round_a)
    client.force_login(people["coordinator_a"])
    upload = SimpleUploadedFile("a.csv", b"Contact;Soort\na@x.nl;huurders\n")
    response = client.post(preview_url, {"file": upload})
    assert response.status_code == 400 and response.context["header"] == ["Contact", "Soort"]
    key = response.context["upload"]
    response = client.post(preview_url, {"upload": key, "map_email": "0", "map_group": "1"})
    assert response.status_code == 200
    client.post(confirm_url, {"upload": key, "map_email": "0", "map_group": "1"})
    assert Respondent.objects.get().group.kind == "tenants"


@pytest.mark.parametrize(
    "person,status",
    [
        ("coordinator_a", 200),
        ("consultant_a", 200),
        ("director_a", 403),
        ("coordinator_b", 404),
    ],
)
def test_import_preview_per_role_and_organisation(client, people, round_a, person, status):
    preview_url, _confirm = _urls(round_a)
    client.force_login(people[person])
    response = client.post(preview_url, {"file": _upload("respondenten_nl.csv")})
    assert response.status_code == status
    assert not Respondent.objects.exists()
