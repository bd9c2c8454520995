"""Chart geometry and content: no overlaps, every cell once, nothing hidden leaks."""

import itertools
import json
import math

import pytest
from django.utils import translation

from honeycomb.chart_formats import (
    LEVEL_COLOURS,
    SUPPRESSED_FILL,
    contrast_ratio,
    level_colour,
    relative_luminance,
    text_colour,
)
from honeycomb.chart_geometry import HexCell, domain_borders, honeycomb_layout
from honeycomb.charts import gap_figure, honeycomb_figure, trend_figure

SQRT3 = math.sqrt(3)


def make_cells(n: int, domains: int, **kwargs) -> list[HexCell]:
    return [
        HexCell(
            code=f"C{i}",
            label=f"Cel {i}",
            domain_code=f"D{i % domains}",
            domain_label=f"Domein {i % domains}",
            score=1 + (i % 5),
            n=7,
            **kwargs,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("n,domains", [(1, 1), (4, 2), (15, 4), (16, 4), (24, 6), (19, 1)])
def test_hexagons_never_overlap_and_every_cell_is_placed_once(n, domains):
    cells = sorted(make_cells(n, domains), key=lambda c: c.domain_code)
    layout = honeycomb_layout(cells)
    assert sorted(layout) == sorted(c.code for c in cells)
    for (a, pa), (b, pb) in itertools.combinations(layout.items(), 2):
        assert math.dist(pa, pb) >= SQRT3 - 1e-9, (a, b)


def is_connected(codes, layout) -> bool:
    remaining, stack = set(codes[1:]), [codes[0]]
    while stack:
        here = stack.pop()
        near = {c for c in remaining if math.dist(layout[here], layout[c]) < SQRT3 + 1e-6}
        remaining -= near
        stack.extend(near)
    return not remaining


@pytest.mark.parametrize("n,domains", [(15, 4), (16, 4), (24, 6), (8, 2), (12, 3)])
def test_domains_are_contiguous_regions_of_one_honeycomb(n, domains):
    cells = sorted(make_cells(n, domains), key=lambda c: c.domain_code)
    layout = honeycomb_layout(cells)
    for domain in {c.domain_code for c in cells}:
        assert is_connected([c.code for c in cells if c.domain_code == domain], layout)
    assert is_connected([c.code for c in cells], layout)  # no gaps between the domains
    borders = domain_borders(cells, layout)
    assert borders and all(math.dist(a, b) == pytest.approx(1.0) for a, b in borders)


@pytest.mark.parametrize("sizes", [(2, 4, 1, 3), (1, 6, 1), (7, 1, 1, 1, 5)])
def test_uneven_domains_stay_contiguous(sizes):
    cells = [
        HexCell(f"D{d}C{i}", "x", f"D{d}", f"Domein {d}", score=3, n=7)
        for d, size in enumerate(sizes)
        for i in range(size)
    ]
    layout = honeycomb_layout(cells)
    for d in range(len(sizes)):
        assert is_connected([c.code for c in cells if c.domain_code == f"D{d}"], layout)


def test_layout_is_deterministic():
    cells = make_cells(15, 4)
    assert honeycomb_layout(cells) == honeycomb_layout(list(cells))


def test_figure_has_one_shape_and_one_hover_point_per_cell():
    cells = make_cells(15, 4, url="/x/")
    fig = honeycomb_figure(cells)
    hexes = [s for s in fig.layout.shapes if s.type == "path"]
    assert len(hexes) == 15
    points = fig.data[0]
    assert sorted(c[0] for c in points.customdata) == sorted(c.code for c in cells)
    assert all(c[1] == "/x/" for c in points.customdata)


def test_suppressed_cells_expose_no_figures():
    secret = 3.1415
    cells = [
        HexCell("A", "Zichtbaar", "D", "Domein", score=2.5, n=8, spread=0.4),
        HexCell("B", "Verborgen", "D", "Domein", score=None, n=0, spread=None, suppressed=True),
    ]
    fig = honeycomb_figure(cells)
    dumped = fig.to_json()
    assert str(secret) not in dumped
    hover_b = fig.data[0].hovertext[1]
    assert "n =" not in hover_b and any(word in hover_b for word in ("too few", "te weinig"))
    assert "2,5" in fig.data[0].text[0]  # Dutch decimal comma, as in the tables
    with translation.override("en"):
        assert "2.5" in honeycomb_figure(cells).data[0].text[0]


def test_overlays_appear_when_given():
    cell = HexCell(
        "A",
        "Reparaties",
        "KP",
        "Klantprocessen",
        score=2.4,
        n=9,
        target=4,
        change=0.6,
        change_clear=True,
        annotation="3 acties",
    )
    text = honeycomb_figure([cell]).data[0].text[0]
    assert "→ 4" in text and "▲0,6" in text and "3 acties" in text
    down = HexCell(
        "A", "Reparaties", "KP", "Klantprocessen", score=2.4, n=9, change=-0.3, change_clear=True
    )
    assert "▼0,3" in honeycomb_figure([down]).data[0].text[0]
    # A change within its uncertainty gets no arrow; the hover says so.
    vague = HexCell("A", "Reparaties", "KP", "Klantprocessen", score=2.4, n=9, change=0.2)
    with translation.override("nl"):
        fig = honeycomb_figure([vague])
    assert "▲" not in fig.data[0].text[0]
    assert "geen duidelijke verandering" in fig.data[0].hovertext[0]


def test_colours_follow_the_score_continuously_and_text_stays_readable():
    from honeycomb.chart_scale import delta_e, scale_colours, to_lab

    luminances = [relative_luminance(level_colour(score)) for score in (1, 2, 3, 4, 5)]
    assert all(a > b for a, b in itertools.pairwise(luminances))  # darker per level
    # Scores 0,3 apart differ visibly anywhere on the scale (CIE76 ΔE ≥ 7, lightness ≥ 4),
    # equal shown scores look the same.
    scores = [1 + step / 100 for step in range(401)]
    for a in scores:
        b = a + 0.3
        if b > 5:
            break
        assert delta_e(level_colour(a), level_colour(b)) >= 7, (a, b)
        assert to_lab(level_colour(a))[0] - to_lab(level_colour(b))[0] >= 4, (a, b)
    assert level_colour(3.44) == level_colour(3.35) != level_colour(3.34)
    assert level_colour(None) == SUPPRESSED_FILL
    for colour in [*LEVEL_COLOURS, *scale_colours()]:
        assert contrast_ratio(colour, text_colour(colour)) >= 4.5, colour


def test_the_demo_scores_get_distinct_colours():
    # The demo's scores lie between 2,9 and 3,7: still at least four fills.
    demo = [3.0, 3.1, 3.1, 3.0, 3.4, 2.9, 2.9, 2.9, 2.9, 2.9, 3.1, 3.7, 3.2, 3.4, 3.3]
    assert len({level_colour(s) for s in demo}) >= 6


def test_the_stylesheet_of_the_scale_is_generated_from_it():
    from pathlib import Path

    from django.conf import settings

    from honeycomb.chart_scale import css_class, scale_css

    path = Path(settings.BASE_DIR) / "static" / "css" / "scale.css"
    assert path.read_text() == scale_css(), "regenerate static/css/scale.css with scale_css()"
    assert css_class(3.44) == "scale-34" and css_class(None) == "scale-none"


def test_the_hover_names_the_level():
    cell = HexCell("A", "Reparaties", "KP", "Klantprocessen", score=3.4, n=9)
    with translation.override("nl"):
        hover = honeycomb_figure([cell], level_names={3: "Gevestigd"}).data[0].hovertext[0]
    assert "3,4 (niveau 3 Gevestigd)" in hover


def test_gap_figure_skips_suppressed_and_highlights_large_gaps():
    a = [
        HexCell("A", "Een", "D", "D", 4.0, 6),
        HexCell("B", "Twee", "D", "D", 3.0, 6),
        HexCell("C", "Drie", "D", "D", 3.0, 6),
    ]
    b = [
        HexCell("A", "Een", "D", "D", 2.0, 6),
        HexCell("B", "Twee", "D", "D", 2.8, 6),
        HexCell("C", "Drie", "D", "D", None, 0, suppressed=True),
    ]
    bar = gap_figure(a, b, name_a="MT", name_b="Medewerkers").data[0]
    assert list(bar.y) == ["Een", "Twee"] and list(bar.x) == [2.0, 0.2]
    assert bar.marker.color[0] != bar.marker.color[1]


def test_trend_figure_lines_and_ambition():
    fig = trend_figure({"Iedereen": [("2025", 2.5), ("2026", None), ("2027", 3.1)]}, target=4)
    assert list(fig.data[0].y) == [2.5, None, 3.1]
    assert any(shape.y0 == 4 for shape in fig.layout.shapes)
    json.loads(fig.to_json())


def test_a_phone_gets_compact_texts_with_codes_and_scores():
    cells = make_cells(4, 2)
    cells[1] = HexCell("C1", "Cel 1", "D1", "Domein 1", score=None, n=2, suppressed=True)
    compact = honeycomb_figure(cells).layout.meta["compact"]
    assert compact["text"][0] == "<b>C0</b><br>1,0" and compact["text"][1] == "<b>C1</b><br>–"
    assert compact["annotations"] == {
        "<b>Domein 0</b>": "<b>D0</b>",
        "<b>Domein 1</b>": "<b>D1</b>",
    }


def test_cells_where_respondents_disagree_carry_the_spread_mark_explained_in_the_legend():
    from honeycomb.chart_formats import spread_mark_name
    from honeycomb.chart_geometry import hexagon_points
    from honeycomb.presenters import disagrees
    from honeycomb.scoring_rules import DISAGREEMENT_SPREAD

    assert disagrees(DISAGREEMENT_SPREAD) and not disagrees(DISAGREEMENT_SPREAD - 0.01)
    assert not disagrees(None)
    cells = [
        HexCell("A", "Eens", "D", "Domein", score=3.0, n=8, spread=0.4),
        HexCell("B", "Oneens", "D", "Domein", score=3.0, n=8, spread=1.3, disagreement=True),
        HexCell("C", "Verborgen", "D", "Domein", score=None, suppressed=True, disagreement=True),
    ]
    with translation.override("nl"):
        fig = honeycomb_figure(cells)
        marks = next(t for t in fig.data if t.meta == "spread")
        assert marks.showlegend is not False and marks.name == spread_mark_name()
        assert "≥ 1,0" in marks.name
    assert [c[0] for c in marks.customdata] == ["B"]  # the hidden cell never shows it
    assert "1,3" in marks.hovertext[0]  # the value is in the hover
    codes = [c[0] for c in fig.data[0].customdata]
    centre = dict(zip(codes, zip(fig.data[0].x, fig.data[0].y, strict=True), strict=True))
    x, y = marks.x[0], marks.y[0]
    cx, cy = centre["B"]
    corners = hexagon_points(cx, cy, 0.97)
    assert min(p[0] for p in corners) < x < max(p[0] for p in corners)
    assert cy < y < max(p[1] for p in corners)  # inside the hexagon, above the middle
    # Without any such cell the legend still explains the mark (the key stays the same).
    with translation.override("nl"):
        calm = next(t for t in honeycomb_figure(cells[:1]).data if t.meta == "spread")
    assert calm.name == marks.name and not calm.customdata


@pytest.mark.parametrize("value", [3.35, 3.39, 2.96, 2.25, 1.05, 4.0, 3.349])
def test_chart_numbers_round_like_the_tables_beside_them(value):
    from django.template.defaultfilters import floatformat

    from honeycomb.chart_formats import fmt_score

    with translation.override("nl"):
        assert fmt_score(value) == floatformat(value, 1)
