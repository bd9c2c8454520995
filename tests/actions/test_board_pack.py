"""The board pack: one content, two formats. The PDF is compact and numbered, the PowerPoint
deck is native (hexagon shapes, tables) and both show the figures the results page shows."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from honeycomb import services as honeycomb_services
from honeycomb.board_pack import board_pack_build
from honeycomb.chart_formats import fmt_score
from honeycomb.models import ReportJob
from honeycomb.results import round_results
from scan.selectors import model_doc
from tests import factories

from .conftest import answer_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack_round(org_a, version):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting", period="2025")
    answer_round(scan_round, "staff", 5, 2)
    answer_round(scan_round, "tenants", 5, 4)  # a second group: the perception gap
    answer_round(scan_round, "managers", 2, 5)  # too few: never shown
    scan_round.status = "closed"
    scan_round.save()
    return scan_round


def render(scan_round, kind: str, language: str = "nl") -> ReportJob:
    job = honeycomb_services.report_request(
        scan_round=scan_round, user=None, language=language, kind=kind
    )
    job = honeycomb_services.report_render(job.pk)
    assert job.status == "ready", job.error
    return job


def pdf_pages(job: ReportJob) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(bytes(job.file))).pages]


def test_the_pdf_is_compact_numbered_and_complete(pack_round):
    pages = pdf_pages(render(pack_round, "pdf"))
    assert len(pages) <= 5  # cover, honeycomb, tables: no page per domain
    for number, text in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in text
    text = " ".join(pages)
    doc = model_doc(pack_round)
    for cell in doc.cells:  # full names, never cut off
        assert cell.name["nl"] in text.replace("\n", " ")
    for heading in ("Kernboodschappen", "De honingraat", "Scores per domein", "Hoe de groepen"):
        assert heading in text
    assert not re.search(r"(?<![\w.])[0-5]\.\d(?![\w.])", text)  # Dutch decimal commas


def test_the_deck_draws_the_honeycomb_with_the_pages_figures(pack_round):
    deck = Presentation(io.BytesIO(bytes(render(pack_round, "pptx").file)))
    titles = [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame and shape.text_frame.text
    ]
    assert "Bestuursrapportage" in titles and "De honingraat" in titles
    honeycomb = next(
        slide
        for slide in deck.slides
        if any(s.has_text_frame and s.text_frame.text == "De honingraat" for s in slide.shapes)
    )
    doc = model_doc(pack_round)
    codes = {cell.code for cell in doc.cells}
    hexagons = [
        s for s in honeycomb.shapes if s.shape_type == MSO_SHAPE_TYPE.FREEFORM and s.name in codes
    ]
    assert len(hexagons) == len(doc.cells)
    results = round_results(pack_round)
    with translation.override("nl"):
        for cell in doc.cells:
            figure = results.cell(cell.code)
            shape = next(h for h in hexagons if h.text_frame.paragraphs[0].text == cell.name["nl"])
            shown = shape.text_frame.paragraphs[1].text
            expected = fmt_score(figure.mean) if figure.shown else "te weinig antwoorden"
            assert shown == expected


def test_a_group_below_the_threshold_shows_no_figure_in_either_format(pack_round):
    with translation.override("nl"):
        results = round_results(pack_round)
        pack = board_pack_build(
            results=results,
            doc=model_doc(pack_round),
            organisation="Alfa",
            round_title="Nulmeting",
            period="2025",
            language="nl",
            overlays={},
            sections=[],
        )
    header = pack.group_table[0]
    column = header.index("Leidinggevenden")
    assert {row[column] for row in pack.group_table[1:]} == {"–"}
    deck = Presentation(io.BytesIO(bytes(render(pack_round, "pptx").file)))
    cells = [
        shape.table.cell(r, column).text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table and shape.table.cell(0, column).text == "Leidinggevenden"
        for r in range(1, len(shape.table.rows))
    ]
    assert cells and set(cells) == {"–"}


def test_the_pack_reads_english_in_english(pack_round):
    pages = pdf_pages(render(pack_round, "pdf", language="en"))
    assert "Page 1 of" in pages[0] and "Key messages" in pages[0]
    assert "Board report" in pages[0]


def test_members_request_and_download_either_format(client, people, pack_round):
    client.force_login(people["director_a"])
    url = reverse("honeycomb:report", kwargs={"org": "alfa", "pk": pack_round.pk})
    assert client.post(url, {"kind": "docx"}).status_code == 400
    response = client.post(url, {"kind": "pptx"})
    assert response.status_code == 302
    job = honeycomb_services.report_render(ReportJob.objects.get(kind="pptx").pk)  # the task
    download = client.get(
        reverse(
            "honeycomb:report_download", kwargs={"org": "alfa", "pk": pack_round.pk, "job": job.pk}
        )
    )
    assert download.status_code == 200
    assert download["Content-Type"].endswith("presentationml.presentation")
    assert download["Content-Disposition"].endswith('.pptx"')
    client.force_login(people["director_b"])
    assert client.post(url, {"kind": "pptx"}).status_code in (403, 404)


def test_the_dashboard_shows_where_we_stand_with_the_packs_messages(client, people, pack_round):
    client.force_login(people["director_a"])
    page = client.get(reverse("actions:dashboard", kwargs={"org": "alfa"}))
    assert page.status_code == 200
    pack = page.context["pack"]
    html = page.content.decode()
    assert page.context["latest"] == pack_round and 'id="honeycomb-chart"' in html
    assert pack.key_messages and all(m in html for m in pack.key_messages)
    # The dashboard's honeycomb carries the same figures as the results page.
    results = client.get(reverse("honeycomb:results", kwargs={"org": "alfa", "pk": pack_round.pk}))
    assert [c.score for c in pack.cells] == [c.score for c in results.context["cells"]]


def test_every_text_column_of_a_report_table_wraps_and_numbers_stay_plain():
    from reportlab.platypus import Paragraph

    from honeycomb.report import report_table

    table = report_table(
        [["Cel", "Groep", "Verschil"], ["Reparaties", "Eigen organisatie (bestuur) (3,6)", "+1,3"]],
        numeric_from=2,
    )
    row = table._cellvalues[1]
    assert isinstance(row[0], Paragraph) and isinstance(row[1], Paragraph)  # no overlap
    assert row[2] == "+1,3"
