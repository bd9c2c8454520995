"""Releases instead of live figures: when figures appear, who may publish interim figures,
what bad requests get, and erasure that reaches every published copy."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse
from pptx import Presentation

from core.models import AuditEvent
from honeycomb import services as honeycomb_services
from honeycomb.models import FrozenResults, Release, ReleaseKind, ReportJob
from honeycomb.release_services import ReleaseError, release_make
from honeycomb.results import round_results
from scan import services
from scan.models import RoundStatus
from scan.services import AnswerInput
from tests import factories
from tests.actions.test_sign_off import pdf_text, sign

pytestmark = pytest.mark.django_db

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def answered(scan_round, kind: str, n: int, level: int, comment: str = "") -> list:
    people = []
    for _ in range(n):
        respondent = factories.respondent(scan_round, kind=kind)
        services.answers_save(
            respondent=respondent,
            answers=[
                AnswerInput(c, level, comment)
                for c in STATEMENTS
                if not (kind == "tenants" and c == "KV1.2")
            ],
        )
        services.respondent_submit(respondent)
        people.append(respondent)
    return people


def results_url(scan_round, name: str = "honeycomb:results", **kwargs) -> str:
    return reverse(
        name, kwargs={"org": scan_round.organisation.slug, "pk": scan_round.pk, **kwargs}
    )


def test_an_open_round_shows_response_counts_and_no_figures(client, people, round_a):
    answered(round_a, "staff", 6, 4)
    client.force_login(people["director_a"])
    for name, extra in (
        ("honeycomb:results", {}),
        ("honeycomb:compare", {}),
        ("honeycomb:trend", {}),
        ("honeycomb:cell", {"cell": "KP1"}),
        ("honeycomb:excel", {}),
    ):
        page = client.get(results_url(round_a, name, **extra))
        html = page.content.decode()
        assert page.status_code == 200 and 'id="results-unreleased"' in html, name
        assert "4,0" not in html and "4.0" not in html
    page = client.get(results_url(round_a))
    assert [(r.name, r.submitted) for r in page.context["rates"] if r.kind == "staff"] == [
        ("Medewerkers", 6)
    ]
    rows = client.get(
        f"/api/v1/organisations/alfa/rounds/{round_a.pk}/scores",
        HTTP_AUTHORIZATION="Bearer "
        + honeycomb_services.api_token_create(user=people["director_a"], name="BI")[1],
    ).json()
    assert rows == []


def test_closing_publishes_and_later_answers_wait_for_the_next_release(client, people, round_a):
    answered(round_a, "staff", 5, 3)
    services.round_set_status(
        scan_round=round_a, status=RoundStatus.CLOSED, user=people["consultant_a"]
    )
    release = Release.objects.get(round=round_a)
    assert release.number == 1 and release.kind == ReleaseKind.CLOSING
    assert AuditEvent.objects.filter(kind="release_made", actor=people["consultant_a"]).exists()
    services.round_set_status(scan_round=round_a, status=RoundStatus.OPEN)
    answered(round_a, "staff", 1, 5)  # one more answer while reopened
    client.force_login(people["director_a"])
    page = client.get(results_url(round_a) + "?group=staff")
    assert [c.score for c in page.context["cells"]] == [3.0, 3.0, 3.0]
    assert 'id="results-release"' in page.content.decode()
    # Closing again: the one new answer would be the difference, so the new release hides
    # whatever would isolate it and the staff figures stay those of release 1.
    services.round_set_status(scan_round=round_a, status=RoundStatus.CLOSED)
    assert Release.objects.filter(round=round_a).count() == 2
    staff = round_results(round_a).cell("KP1", "staff")
    assert not staff.shown or staff.mean == 3.0


def test_reopened_and_closed_without_new_answers_adds_no_release(round_a):
    answered(round_a, "staff", 5, 3)
    services.round_set_status(scan_round=round_a, status=RoundStatus.CLOSED)
    services.round_set_status(scan_round=round_a, status=RoundStatus.OPEN)
    services.round_set_status(scan_round=round_a, status=RoundStatus.CLOSED)
    assert Release.objects.filter(round=round_a).count() == 1


def test_bad_release_requests_get_a_clear_message_and_change_nothing(people, org_a, version):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    with pytest.raises(ReleaseError, match="conceptronde"):
        release_make(scan_round=draft, kind=ReleaseKind.INTERIM, user=people["consultant_a"])
    open_round = factories.scan_round(org_a, version=version)
    answered(open_round, "staff", 5, 3)
    answered(open_round, "tenants", 2, 1)
    release_make(scan_round=open_round, kind=ReleaseKind.INTERIM, user=people["consultant_a"])
    with pytest.raises(ReleaseError, match="niets veranderd"):
        release_make(scan_round=open_round, kind=ReleaseKind.INTERIM)
    answered(open_round, "tenants", 3, 1)
    with pytest.raises(ReleaseError) as refused:
        release_make(scan_round=open_round, kind=ReleaseKind.INTERIM)
    assert "Medewerkers (0)" in str(refused.value)  # staff were shown and gained nobody
    with pytest.raises(ReleaseError, match="als de ronde sluit"):
        release_make(scan_round=open_round, kind=ReleaseKind.CLOSING)
    assert Release.objects.filter(round=open_round).count() == 1
    assert Release.objects.filter(round=draft).count() == 0


@pytest.mark.parametrize(
    "role,status",
    [("consultant", 302), ("coordinator", 403), ("director", 403), ("workgroup", 403)],
)
def test_only_the_consultant_publishes_interim_figures(client, people, round_a, role, status):
    answered(round_a, "staff", 5, 3)
    client.force_login(people[f"{role}_a"])
    url = results_url(round_a, "honeycomb:release_interim")
    assert client.get(url).status_code in (403, 405)
    assert client.post(url).status_code == status
    assert Release.objects.filter(round=round_a).exists() == (status == 302)
    client.force_login(people[f"{role}_b"])
    assert client.post(url).status_code == 404


def test_a_second_interim_request_is_refused_with_a_message(client, people, round_a):
    answered(round_a, "staff", 5, 3)
    client.force_login(people["consultant_a"])
    url = results_url(round_a, "honeycomb:release_interim")
    client.post(url)
    page = client.post(url, follow=True)
    assert "Er is niets veranderd sinds de vorige publicatie" in page.content.decode()
    assert Release.objects.filter(round=round_a).count() == 1


def test_erasing_a_respondent_reaches_every_published_copy(client, people, org_a, version):
    scan_round = factories.scan_round(org_a, version=version)
    answered(scan_round, "staff", 4, 3, comment="Gewoon goed")
    (secret,) = answered(scan_round, "staff", 1, 2, comment="Mijn leidinggevende luistert niet")
    factories.release(scan_round)
    sign(scan_round, people)
    honeycomb_services.report_render(
        honeycomb_services.report_request(
            scan_round=scan_round, user=None, language="nl", kind="pdf"
        ).pk
    )
    services.respondent_erase_personal_data(respondent=secret)
    words = "Mijn leidinggevende luistert niet"
    for stored in [*Release.objects.values_list("data", flat=True)] + [
        *FrozenResults.objects.values_list("data", flat=True)
    ]:
        assert words not in json.dumps(stored) and "Gewoon goed" in json.dumps(stored)
    assert not ReportJob.objects.filter(round=scan_round).exists()
    client.force_login(people["director_a"])
    cell = client.get(results_url(scan_round, "honeycomb:cell", cell="KP1")).content.decode()
    assert words not in cell and "Gewoon goed" in cell
    job = honeycomb_services.report_render(
        honeycomb_services.report_request(
            scan_round=scan_round, user=None, language="nl", kind="pdf"
        ).pk
    )
    text = pdf_text(job.pack.read())
    assert words not in text and "Gewoon goed" in text
    deck = honeycomb_services.report_render(
        honeycomb_services.report_request(
            scan_round=scan_round, user=None, language="nl", kind="pptx"
        ).pk
    )
    slides = Presentation(io.BytesIO(deck.pack.read())).slides
    texts = " ".join(
        shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame
    )
    assert words not in texts  # the deck prints no comments at all, and never this one
    token = honeycomb_services.api_token_create(user=people["director_a"], name="BI")[1]
    for path in ("scores", "gaps"):
        api = client.get(
            f"/api/v1/organisations/alfa/rounds/{scan_round.pk}/{path}",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert api.status_code == 200 and words not in api.content.decode()
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(results_url(scan_round, "honeycomb:excel")).content)
    )
    assert all(
        words not in str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    assert round_results(scan_round).cell("KP1", "staff").n == 5  # figures stay


def test_upgrading_releases_the_closed_rounds_that_have_none(org_a, version):
    from django.core.management import call_command

    closed = factories.scan_round(org_a, version=version)
    answered(closed, "staff", 5, 3)
    closed.status = RoundStatus.CLOSED  # closed before releases existed
    closed.save(update_fields=["status"])
    still_open = factories.scan_round(org_a, version=version)
    answered(still_open, "staff", 5, 3)
    call_command("release_closed_rounds")
    call_command("release_closed_rounds")  # twice changes nothing
    assert Release.objects.filter(round=closed).count() == 1
    assert not Release.objects.filter(round=still_open).exists()
    assert round_results(closed).cell("KP1").mean == 3.0
