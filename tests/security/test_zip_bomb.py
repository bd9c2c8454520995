"""An .xlsx is a zip archive: a small upload that unpacks to hundreds of MB is refused by
every importer (respondents, external measures, pulse moments) before openpyxl opens it."""

from __future__ import annotations

import functools
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.tabular import MAX_IMPORT_BYTES, ImportRejected, read_rows

pytestmark = pytest.mark.django_db


def workbook(rows=(("e-mail", "naam"), ("a@example.nl", "An"))) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@functools.cache
def bomb(unpacked_mb: int) -> bytes:
    """A real workbook with one extra part of ``unpacked_mb`` MB of repeated text."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("xl/sharedStrings.xml", b"<t>A</t>" * (unpacked_mb * 131_072))
    return out.getvalue()


@pytest.fixture
def no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_small_file_that_unpacks_large_is_refused_before_openpyxl_opens_it(no_openpyxl):
    content = bomb(100)
    assert len(content) < MAX_IMPORT_BYTES
    with pytest.raises(ImportRejected) as refused:
        read_rows("bom.xlsx", content)
    assert refused.value.errors == [
        "Het Excelbestand pakt uit tot meer dan 64 MB of is ongewoon sterk ingepakt: sla het "
        "opnieuw op als .xlsx of als CSV."
    ]


def test_a_tightly_packed_part_is_refused_even_when_small(no_openpyxl):
    with pytest.raises(ImportRejected) as refused:
        read_rows("bom.xlsx", bomb(2))  # 2 MB of one letter: packed a thousand times
    assert refused.value.errors[0].startswith("Het Excelbestand pakt uit")


def test_an_ordinary_workbook_still_reads():
    assert read_rows("lijst.xlsx", workbook()) == [["e-mail", "naam"], ["a@example.nl", "An"]]


def test_a_file_that_is_no_zip_is_refused_as_unreadable(no_openpyxl):
    with pytest.raises(ImportRejected) as refused:
        read_rows("lijst.xlsx", b"PK\x03\x04 no archive")
    assert "kan niet worden gelezen" in refused.value.errors[0]


@pytest.fixture
def uploads(people, round_a, org_a):
    from pulse import services as pulse_services

    pulse_services.moments_install_defaults(organisation=org_a)
    return {
        "respondents": reverse("scan:respondent_import", kwargs={"org": "alfa", "pk": round_a.pk}),
        "measures": reverse("actions:measures_import", kwargs={"org": "alfa"}),
        "pulse": reverse("pulse:events_upload", kwargs={"org": "alfa"}),
    }


@pytest.mark.parametrize("kind", ["respondents", "measures", "pulse"])
def test_every_upload_refuses_the_bomb_with_a_message(client, people, uploads, kind, no_openpyxl):
    client.force_login(people["coordinator_a"])
    response = client.post(uploads[kind], {"file": SimpleUploadedFile("bom.xlsx", bomb(100))})
    assert response.status_code == 400
    assert "pakt uit tot meer dan 64 MB" in response.content.decode()
