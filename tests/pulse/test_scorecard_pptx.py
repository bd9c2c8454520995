"""The partner's scorecard as a PowerPoint deck: the page's figures, nothing below the
threshold, for the partner and the corporation only."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from pptx import Presentation

from pulse import figures, services
from pulse.views import PPTX
from tests.pulse.test_scorecard_pdf import answers, jansen  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def deck_of(response) -> Presentation:
    assert response.status_code == 200
    assert response["Content-Type"] == PPTX
    assert response["Content-Disposition"].endswith('.pptx"')
    return Presentation(BytesIO(response.content))


def slide_texts(deck) -> list[str]:
    texts = []
    for slide in deck.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append("\n".join(parts))
    return texts


def url(partner, name="pulse:scorecard_pptx"):
    return reverse(name, kwargs={"org": partner.organisation.slug, "code": partner.code})


def test_the_deck_carries_the_pages_figures(client, jansen, moments):  # noqa: F811
    answers(moments["reparatie"], jansen, [8, 8, 7, 9, 4, 6] * 6)  # 36: with an interval
    # Two answers are too few: rolled up with the smallest other moment, neither shown alone.
    answers(moments["woning_verlaten"], jansen, [9, 9])
    answers(moments["woning_betrekken"], jansen, [10] * 6)
    client.force_login(jansen.users.get())
    page = client.get(url(jansen, "pulse:scorecard")).content.decode()
    assert url(jansen) in page
    deck = deck_of(client.get(url(jansen)))
    texts = slide_texts(deck)
    # cover, key figures, per moment, drivers, trend
    assert len(texts) == 5
    assert "Scorekaart Bouwbedrijf Jansen" in texts[0]
    assert jansen.organisation.name in texts[0]
    shown = figures.pulse_figures(jansen.organisation, jansen, 5)
    year = shown["year"]
    mean = formats.number_format(year["mean"], 1)
    assert f"gemiddeld cijfer {mean}" in texts[1] and f"{year['n']} reacties" in texts[1]
    moment_rows = texts[2]
    repair = next(r for r in shown["moments"] if r["label"] == "Reparatie")
    for value in (
        formats.number_format(repair["mean"], 1),
        f"{formats.number_format(repair['low'], 1)} – {formats.number_format(repair['high'], 1)}",
        f"{repair['dissatisfied_pct']}%",
        str(repair["n"]),
    ):
        assert value in moment_rows and value in page
    assert "Woning verlaten" not in moment_rows and "Woning betrekken" not in moment_rows
    assert "10,0" not in "\n".join(texts)
    assert "Was de reparatie in één keer goed?" in texts[3]
    month = formats.date_format(timezone.localdate().replace(day=1), "YEAR_MONTH_FORMAT")
    assert month in texts[4]


def test_no_figure_below_the_threshold(client, people, jansen, moments):  # noqa: F811
    answers(moments["reparatie"], jansen, [3, 3, 3, 3])
    client.force_login(people["director_a"])
    texts = "\n".join(slide_texts(deck_of(client.get(url(jansen)))))
    assert "te weinig reacties" in texts
    assert "3,0" not in texts and "100%" not in texts


def test_a_partner_without_answers_gets_a_short_deck(client, people, jansen):  # noqa: F811
    client.force_login(people["director_a"])
    texts = slide_texts(deck_of(client.get(url(jansen))))
    assert len(texts) == 2
    assert "nog geen reacties" in texts[1]


def test_nobody_else_gets_the_deck(client, people, org_a, jansen, moments):  # noqa: F811
    other = services.partner_create(organisation=org_a, name="Schilder De Vries")
    client.force_login(jansen.users.get())
    assert client.get(url(other)).status_code == 404
    client.force_login(people["director_b"])
    assert client.get(url(jansen)).status_code == 404
    client.logout()
    assert client.get(url(jansen)).status_code == 302
