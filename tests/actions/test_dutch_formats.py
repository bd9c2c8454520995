"""A Dutch round reads Dutch: decimal commas in every score, Dutch month names, on the results
page, the review and the board report (PDF)."""

import io
import re

import pytest
from django.urls import reverse

from actions import services as cycle
from core.permissions import access_for
from honeycomb import services as honeycomb_services
from scan import services
from scan.services import AnswerInput
from tests import factories

from .conftest import STATEMENTS

pytestmark = pytest.mark.django_db

DECIMAL_POINT = re.compile(r"(?<![\w.])[0-5]\.\d{1,2}(?![\w.])")
ENGLISH_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mei)\b"
)


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def signed_round(org_a, version, people):
    scan_round = factories.scan_round(org_a, version=version, title="Nulmeting", period="2026")
    for level in (2, 2, 3, 3, 2, 4):  # means with decimals: 2,7 and the like
        r = factories.respondent(scan_round, kind="staff")
        services.answers_save(respondent=r, answers=[AnswerInput(c, level) for c in STATEMENTS])
        services.respondent_submit(r)
    factories.release(scan_round)
    review = cycle.review_for(scan_round)
    review = cycle.review_save_summary(
        scan_round=scan_round,
        access=access_for(people["consultant_a"], scan_round.organisation),
        summary="Een goede nulmeting.",
        revision=review.revision,
        final=True,
    )
    cycle.review_sign_off(
        scan_round=scan_round,
        access=access_for(people["director_a"], scan_round.organisation),
        comment="Akkoord",
        revision=review.revision,
    )
    return scan_round


def test_results_review_and_report_use_dutch_formats(client, people, signed_round):
    client.force_login(people["director_a"])
    kwargs = {"org": "alfa", "pk": signed_round.pk}
    pages = {
        "results": client.get(reverse("honeycomb:results", kwargs=kwargs)),
        "review": client.get(reverse("review:round", kwargs=kwargs)),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = visible_text(response.content.decode())
        assert re.search(r"\b[1-5],\d\b", text), f"{name}: no score with a decimal comma"
        assert not DECIMAL_POINT.search(text), f"{name}: {DECIMAL_POINT.findall(text)}"
        assert not ENGLISH_MONTH.search(text), f"{name}: {ENGLISH_MONTH.findall(text)}"
    # The chart draws with a decimal comma too.
    assert '"separators":",."' in pages["results"].content.decode()

    from pypdf import PdfReader

    job = honeycomb_services.report_request(
        scan_round=signed_round, user=people["director_a"], language="nl"
    )
    job = honeycomb_services.report_render(job.pk)
    job.refresh_from_db()
    assert job.pack, job.error
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(job.pack.read())).pages)
    assert re.search(r"\b[1-5],\d\b", text)
    assert not DECIMAL_POINT.search(text), DECIMAL_POINT.findall(text)
    assert not ENGLISH_MONTH.search(text), ENGLISH_MONTH.findall(text)


def test_english_pages_keep_english_formats(client, people, signed_round):
    client.force_login(people["director_a"])
    url = "/en" + reverse("honeycomb:results", kwargs={"org": "alfa", "pk": signed_round.pk})
    html = client.get(url).content.decode()
    assert '"separators":".,"' in html
    assert re.search(r"\b[1-5]\.\d\b", visible_text(html))
