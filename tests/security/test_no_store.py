"""Personal and results pages carry ``Cache-Control: no-store``: one row per kind of page.
Public pages seen anonymously keep their caching."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from honeycomb.models import ReportJob
from honeycomb.services import api_token_create
from pulse import services as pulse_services
from scan import services
from tests import factories
from tests.pulse.conftest import event, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(people, round_a, org_a):
    token = services.respondent_issue_link(factories.respondent(round_a, email="r@a.nl"))
    pulse_services.moments_install_defaults(organisation=org_a)
    pulse_event = pulse_services.events_ingest(organisation=org_a, items=[event(1)]).events[0]
    job = ReportJob.objects.create(
        round=round_a,
        status="ready",
        pack=ContentFile(b"%PDF-1.4", name="board-pack.pdf"),
        progress=100,
    )
    org = {"org": "alfa"}
    rnd = {"org": "alfa", "pk": round_a.pk}
    return {
        # kind of page: (who asks, url)
        "respondent's wizard": (None, f"/r/{token}/KV1/"),
        "pulse survey": (None, f"/p/{token_of(pulse_event)}/"),
        "results": ("director_a", reverse("honeycomb:results", kwargs=rnd)),
        "cell results": ("director_a", reverse("honeycomb:cell", kwargs={**rnd, "cell": "KP1"})),
        "Excel export": ("director_a", reverse("honeycomb:excel", kwargs=rnd)),
        "board pack": (
            "director_a",
            reverse("honeycomb:report_download", kwargs={**rnd, "job": job.pk}),
        ),
        "organisation home": ("director_a", reverse("scan:organisation", kwargs=org)),
        "pulse overview": ("coordinator_a", reverse("pulse:overview", kwargs=org)),
        "portfolio": ("consultant_a", reverse("cms:portfolio")),
        "API": ("api", "/api/v1/organisations"),
        "CMS": ("consultant_a", "/cms/"),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "respondent's wizard",
        "pulse survey",
        "results",
        "cell results",
        "Excel export",
        "board pack",
        "organisation home",
        "pulse overview",
        "portfolio",
        "API",
        "CMS",
    ],
)
def test_personal_and_results_pages_are_never_stored(client, people, pages, kind):
    who, url = pages[kind]
    headers = {}
    if who == "api":
        headers["HTTP_AUTHORIZATION"] = (
            "Bearer " + api_token_create(user=people["director_a"], name="bi")[1]
        )
    elif who:
        client.force_login(people[who])
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert "no-store" in response.get("Cache-Control", ""), kind


def test_an_anonymous_public_page_keeps_its_caching(client):
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
