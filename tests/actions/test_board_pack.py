"""The board pack: one content, two formats. The PDF is compact and numbered, the PowerPoint
deck is native (hexagon shapes, tables) and both show the figures the results page shows."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
from .test_query_budget import answer_loads, two_rounds  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack_round(org_a, version):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting", period="2025")
    answer_round(scan_round, "staff", 5, 2)
    answer_round(scan_round, "tenants", 5, 4)  # a second group: the perception gap
    answer_round(scan_round, "managers", 2, 5)  # too few: never shown
    factories.release(scan_round)
    return scan_round


def render(scan_round, kind: str, language: str = "nl") -> ReportJob:
    job = honeycomb_services.report_request(
        scan_round=scan_round, user=None, language=language, kind=kind
    )
    job = honeycomb_services.report_render(job.pk)
    assert job.status == "ready", job.error
    return job


def pdf_pages(job: ReportJob) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(job.pack.read())).pages]


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
    deck = Presentation(io.BytesIO(render(pack_round, "pptx").pack.read()))
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
    deck = Presentation(io.BytesIO(render(pack_round, "pptx").pack.read()))
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


def hexagon_shapes(deck, codes):
    return [
        shape
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.FREEFORM and shape.name in codes
    ]


def assert_words_fit(shape):
    """No word of a hexagon's text is wider than its text frame, so PowerPoint wraps between
    words only (widths in Arial's metrics, which the deck's labels use)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    frame = shape.text_frame
    assert frame.word_wrap is True
    width = (shape.width - frame.margin_left - frame.margin_right) / 12700
    for paragraph in frame.paragraphs:
        size = paragraph.font.size.pt
        assert size >= 9, (shape.name, paragraph.text, size)  # readable
        for word in paragraph.text.split():
            font = "Helvetica-Bold" if paragraph.font.bold else "Helvetica"
            assert stringWidth(word, font, size) <= width, (shape.name, word, size, width)


def test_deck_labels_break_between_words_only(pack_round):
    import dataclasses

    from honeycomb.deck import build_deck

    deck = Presentation(io.BytesIO(render(pack_round, "pptx").pack.read()))
    doc = model_doc(pack_round)
    codes = {cell.code for cell in doc.cells}
    hexagons = hexagon_shapes(deck, codes)
    assert len(hexagons) == len(codes)
    names = {cell.code: cell.name["nl"] for cell in doc.cells}
    for shape in hexagons:
        assert_words_fit(shape)
        assert shape.text_frame.paragraphs[0].text == names[shape.name]  # never the code
    # A name with a word too long for any readable size shows the cell's code instead.
    with translation.override("nl"):
        pack = honeycomb_services.board_pack_for(pack_round, "nl")
        long = "Klanttevredenheidsverbeteringsprogrammaresultaten"
        cells = [
            dataclasses.replace(c, label=long if c.code == "KV1" else c.label) for c in pack.cells
        ]
        deck = Presentation(io.BytesIO(build_deck(dataclasses.replace(pack, cells=cells))))
    hexagons = hexagon_shapes(deck, codes)
    for shape in hexagons:
        assert_words_fit(shape)
    assert next(h for h in hexagons if h.name == "KV1").text_frame.paragraphs[0].text == "KV1"


def test_pdf_prints_every_header_and_cell_name_whole(pack_round):
    pages = pdf_pages(render(pack_round, "pdf"))
    lines = [line.strip() for page in pages for line in page.splitlines()]
    words = {word for line in lines for word in line.split()}
    for header in ("Cel", "Score", "Respondenten", "Spreiding", "Iedereen", "Verschil"):
        assert header in words, header
    doc = model_doc(pack_round)
    for cell in doc.cells:  # in the table: the whole name on one line
        assert any(line.startswith(cell.name["nl"]) for line in lines), cell.name["nl"]
    assert "…" not in " ".join(pages)  # nothing cut off
    for word in ("Respondenten", "Spreiding", "Leidinggevenden", "Medewerkers"):
        stem = word[: len(word) // 2]
        assert not any(line.endswith(stem) for line in lines), word  # never split inside


def test_both_formats_print_the_signed_snapshot_not_later_answers(people, pack_round):
    from tests.actions.test_sign_off import sign
    from tests.honeycomb.test_results import forced_answers

    sign(pack_round, people)
    pack_round.refresh_from_db()
    signed = round_results(pack_round)
    assert signed.is_frozen
    forced_answers(pack_round, "staff", 7, 5, comment="Later")  # after the sign-off
    deck = Presentation(io.BytesIO(render(pack_round, "pptx").pack.read()))
    text = " ".join(pdf_pages(render(pack_round, "pdf")))
    doc = model_doc(pack_round)
    hexagons = {h.name: h for h in hexagon_shapes(deck, {c.code for c in doc.cells})}
    with translation.override("nl"):
        for cell in doc.cells:
            figure = signed.cell(cell.code)
            if not figure.shown:
                continue
            expected = fmt_score(figure.mean)
            assert hexagons[cell.code].text_frame.paragraphs[1].text == expected
            assert expected in text
    assert "Afgetekend door" in text
    # Everyone's later mean would be 3,8 ((5×2 + 5×4 + 7×5) / 17): printed nowhere.
    assert "3,8" not in text
    # Slides: cover, key messages, honeycomb, tables and the cycle's sections, all titled.
    assert 6 <= len(deck.slides) <= 16
    for slide in list(deck.slides)[1:]:
        assert any(s.has_text_frame and s.text_frame.text for s in slide.shapes)


DASHBOARD_BUDGET = 16


@pytest.mark.parametrize("previous_signed", [False, True])
def test_the_dashboard_reads_stored_releases_not_answers(
    client,
    people,
    two_rounds,  # noqa: F811 (the fixture imported above)
    django_assert_max_num_queries,
    previous_signed,
):
    before, now = two_rounds
    if previous_signed:
        from tests.actions.test_sign_off import sign

        sign(before, people)
    client.force_login(people["director_a"])
    url = reverse("actions:dashboard", kwargs={"org": "alfa"})
    client.get(url)  # warm the model cache, as a running site has it
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(DASHBOARD_BUDGET):
        page = client.get(url)
    assert page.status_code == 200
    assert answer_loads(ctx) == 0  # trend, honeycomb and key messages read stored releases
    pack = page.context["pack"]
    assert page.context["latest"] == now and not pack.signed
    kp1 = next(c for c in pack.cells if c.code == "KP1")
    assert kp1.change == pytest.approx(2.5 - 2.0)  # staff 3 and tenants 2 against 2
    assert pack.overall_change  # against the previous round's overall score


def test_the_pdf_embeds_its_fonts_and_prints_nothing_under_9_pt(pack_round):
    reader = PdfReader(io.BytesIO(render(pack_round, "pdf").pack.read()))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
        data = page.get_contents().get_data().decode("latin-1")
        sizes = [float(size) for size in re.findall(r"/\S+ ([\d.]+) Tf", data)]
        assert sizes and min(sizes) >= 9, min(sizes)
    assert fonts
    for name, font in fonts.items():  # every font travels with the file
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name


def test_the_deck_numbers_its_slides_and_splits_tables_evenly(pack_round):
    from honeycomb.deck_parts import ROWS_PER_SLIDE

    deck = Presentation(io.BytesIO(render(pack_round, "pptx").pack.read()))
    slides = list(deck.slides)
    for number, slide in enumerate(slides[1:], start=2):  # the cover carries no number
        marks = [s.text_frame.text for s in slide.shapes if s.name == "Slide number"]
        assert marks == [str(number)]
    parts: dict[str, list[int]] = {}
    for slide in slides:
        title = slide.shapes[0].text_frame.text
        split = re.match(r"(.*) \((\d+)/(\d+)\)$", title)
        tables = [s.table for s in slide.shapes if s.has_table]
        if split and tables:
            parts.setdefault(split.group(1), []).append(len(tables[0].rows) - 1)
    for title, rows in parts.items():  # no slide of a few leftover rows
        assert max(rows) - min(rows) <= 1 and max(rows) <= ROWS_PER_SLIDE, (title, rows)
    for slide in slides:  # no text under 9 pt
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    if paragraph.font.size is not None and paragraph.text:
                        assert paragraph.font.size.pt >= 9, paragraph.text


def test_the_pdf_honeycomb_names_every_cell_in_readable_text(pack_round):
    from reportlab.graphics.shapes import String
    from reportlab.lib.units import mm

    from honeycomb.report_drawing import honeycomb_drawing

    with translation.override("nl"):
        pack = honeycomb_services.board_pack_for(pack_round, "nl")
        drawing = honeycomb_drawing(
            pack.cells, max_height=150 * mm, domain_scores=pack.domain_scores
        )
    strings = [s for s in drawing.getContents() if isinstance(s, String)]
    assert strings and min(s.fontSize for s in strings) >= 9
    text = " ".join(s.text for s in strings)
    for cell in pack.cells:  # the name in whole words, never the code in its place
        assert cell.code not in {s.text for s in strings}
        assert all(word in text for word in cell.label.split())
    assert drawing.width <= 170 * mm + 0.01 and drawing.height <= 150 * mm + 0.01


def test_names_stay_whole_inside_the_dashed_outline_of_cells_below_their_ambition(pack_round):
    """Every cell below an ambition of 5: each name (one long word, such as "Ketenpartners",
    included) fits inside the dashed outline at 9 pt or more instead of giving way to its code."""
    import dataclasses

    from reportlab.graphics.shapes import String
    from reportlab.lib.units import mm

    from honeycomb.chart_geometry import below_ambition
    from honeycomb.report_drawing import honeycomb_drawing

    with translation.override("nl"):
        pack = honeycomb_services.board_pack_for(pack_round, "nl")
        cells = [dataclasses.replace(cell, target=5) for cell in pack.cells]
        cells[0] = dataclasses.replace(cells[0], label="Ketenpartners")  # one long word
        drawing = honeycomb_drawing(cells, max_height=150 * mm, domain_scores=pack.domain_scores)
    assert any(below_ambition(cell) for cell in cells)
    strings = {s.text for s in drawing.getContents() if isinstance(s, String)}
    assert not {cell.code for cell in cells if below_ambition(cell)} & strings
    assert "Ketenpartners" in strings


def test_the_deck_draws_its_bars_as_native_charts(pack_round):
    from pptx.enum.chart import XL_CHART_TYPE

    deck = Presentation(io.BytesIO(bytes(render(pack_round, "pptx").pack.read())))
    charts = {
        slide.shapes[0].text_frame.text: shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
    }
    domains = charts["Scores per domein"]  # editable in PowerPoint: a chart, not a picture
    assert domains.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    results = round_results(pack_round)
    doc = model_doc(pack_round)
    expected = [
        round(results.domain(d.code).mean, 1)
        for d in doc.domains
        if results.domain(d.code).mean is not None
    ]
    assert list(domains.plots[0].series[0].values)[::-1] == expected  # the first on top
    assert list(domains.plots[0].categories)[::-1][0] == doc.domains[0].name["nl"]
