"""The partner's scorecard as a PDF: the page's figures, for the partner and the corporation."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pulse import aggregates, services
from pulse.models import PulseResponse
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def answers(moment, partner, grades):
    aggregates.responses_add(
        PulseResponse(
            organisation=moment.organisation,
            moment=moment,
            questionnaire=moment.questionnaires.first(),
            partner=partner,
            month=timezone.localdate().replace(day=1),
            grade=grade,
        )
        for grade in grades
    )


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def jansen(org_a, moments):
    partner = services.partner_create(organisation=org_a, name="Bouwbedrijf Jansen")
    user = get_user_model().objects.create_user(email="planner@jansen.nl", password=PASSWORD)
    partner.users.add(user)
    return partner


def urls(partner):
    kwargs = {"org": partner.organisation.slug, "code": partner.code}
    return reverse("pulse:scorecard", kwargs=kwargs), reverse("pulse:scorecard_pdf", kwargs=kwargs)


def test_the_pdf_carries_the_pages_figures(client, jansen, moments):
    answers(moments["reparatie"], jansen, [8, 8, 7, 9, 4, 6])
    client.force_login(jansen.users.get())
    page_url, pdf_url = urls(jansen)
    page = client.get(page_url).content.decode()
    assert pdf_url in page
    assert "7,0" in page and "17%" in page
    text = pdf_text(client.get(pdf_url))
    assert "Scorekaart Bouwbedrijf Jansen" in text
    assert "7,0" in text and "17%" in text


def test_no_figure_below_the_threshold(client, people, jansen, moments):
    answers(moments["reparatie"], jansen, [3, 3, 3, 3])
    client.force_login(people["director_a"])
    text = pdf_text(client.get(urls(jansen)[1]))
    assert "te weinig reacties" in text
    assert "3,0" not in text


def test_nobody_else_gets_the_pdf(client, people, org_a, jansen, moments):
    other = services.partner_create(organisation=org_a, name="Schilder De Vries")
    client.force_login(jansen.users.get())
    assert client.get(urls(other)[1]).status_code == 404
    client.force_login(people["director_b"])
    assert client.get(urls(jansen)[1]).status_code == 404
    client.logout()
    assert client.get(urls(jansen)[1]).status_code == 302
