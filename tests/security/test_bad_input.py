"""Malformed values the form fuzz (test_form_fuzz.py) found giving a server error, each held
to a clear 4xx or an empty answer. The database refuses what PostgreSQL refuses (NUL
characters, over-long text) while these run, so SQLite shows the same as production."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from actions import services as action_services
from core.permissions import access_for
from honeycomb.models import ApiToken
from tests.security.test_form_fuzz import HUGE, pg_lengths, pg_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres_rules():
    pre_save.connect(pg_lengths)
    with connection.execute_wrapper(pg_rules):
        yield
    pre_save.disconnect(pg_lengths)


@pytest.fixture
def strict_client(client):
    client.raise_request_exception = False  # a 500 must show as a status, not an exception
    return client


def test_review_of_a_round_id_no_column_holds_is_a_404(strict_client, people, round_a):
    strict_client.force_login(people["director_a"])
    url = reverse("review:round", kwargs={"org": "alfa", "pk": round_a.pk}).replace(
        f"/{round_a.pk}/", f"/{HUGE}/"
    )
    assert strict_client.get(url).status_code == 404
    assert strict_client.post(url, {"form": "sign_off"}).status_code == 404


@pytest.mark.parametrize("param", ["cell", "domain", "status"])
@pytest.mark.parametrize("value", ["a\x00b", "K" * 200_000, "KP\u202e"])
def test_action_list_with_a_code_no_cell_domain_or_status_has_lists_nothing(
    strict_client, people, round_a, postgres_rules, param, value
):
    action_services.action_create(
        access=access_for(people["workgroup_a"], round_a.organisation), title="Eigen", cells=["KP1"]
    )
    strict_client.force_login(people["consultant_a"])
    response = strict_client.get(reverse("actions:list", kwargs={"org": "alfa"}), {param: value})
    assert response.status_code == 200
    assert list(response.context["actions"]) == []
    # a real code still filters
    response = strict_client.get(reverse("actions:list", kwargs={"org": "alfa"}), {"domain": "KP"})
    assert [a.title for a in response.context["actions"]] == ["Eigen"]


def test_api_token_name_with_control_characters_keeps_the_rest(
    strict_client, people, postgres_rules
):
    strict_client.force_login(people["director_a"])
    response = strict_client.post(reverse("cms:api_tokens"), {"name": "Power\x00 BI\x07"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=people["director_a"]).name == "Power BI"


def test_working_group_with_an_id_no_column_holds_is_a_form_error(strict_client, people, org_a):
    strict_client.force_login(people["coordinator_a"])
    url = reverse("actions:working_group", kwargs={"org": "alfa"})
    response = strict_client.post(url, {"name": "Werkgroep", "members": [HUGE]})
    assert response.status_code in (200, 400)
    assert "is geen beschikbare keuze" in response.content.decode() or (
        "not one of the available choices" in response.content.decode()
    )


@pytest.mark.parametrize("url", ["/login/", "/cms/login/", "/_util/login/"])
def test_an_over_long_login_name_is_a_wrong_login(url, people):
    client = Client(raise_request_exception=False)
    response = client.post(url, {"username": "x" * 200_000, "password": "x"})
    assert response.status_code in (200, 400)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("model", ["core/membership", "scan/mailtemplate"])
def test_cms_form_with_an_organisation_id_that_is_no_number_shows_the_form_again(
    strict_client, people, org_a, model
):
    from core.models import Membership
    from scan.models import MailTemplate

    before = (Membership.objects.count(), MailTemplate.objects.count())
    strict_client.force_login(people["consultant_a"])
    response = strict_client.post(
        f"/cms/snippets/{model}/add/", {"organisation": "abc", "role": "abc", "kind": "x"}
    )
    assert response.status_code == 200  # Wagtail's form page with its errors
    assert "abc" not in response.content.decode().split('name="organisation"')[1][:200]
    assert (Membership.objects.count(), MailTemplate.objects.count()) == before


def test_cms_organisation_search_with_an_over_long_term_finds_nothing(strict_client, people):
    strict_client.force_login(people["consultant_a"])
    for url in ("/cms/snippets/core/organisation/", "/cms/snippets/core/organisation/results/"):
        response = strict_client.get(url, {"q": "x" * 200_000})
        assert response.status_code == 200
        assert "Woonstichting Alfa" not in response.content.decode()
    response = strict_client.get("/cms/snippets/core/organisation/", {"q": "Alfa"})
    assert "Woonstichting Alfa" in response.content.decode()


@pytest.mark.parametrize("upload_key", ["²٣🏠", "x" * 1000])
def test_respondent_import_with_an_upload_key_in_another_script_is_gone(
    strict_client, people, round_a, upload_key
):
    strict_client.force_login(people["coordinator_a"])
    kwargs = {"org": "alfa", "pk": round_a.pk}
    strict_client.post(
        reverse("scan:respondent_import", kwargs=kwargs),
        {"file": SimpleUploadedFile("r.csv", b"email;groep;naam\na@x.nl;medewerkers;Ans\n")},
    )
    for name in ("scan:respondent_import", "scan:respondent_import_confirm"):
        response = strict_client.post(reverse(name, kwargs=kwargs), {"upload": upload_key})
        assert response.status_code == 302, name  # back to the round: "upload gone"
    assert not round_a.respondents.exists()


@pytest.mark.parametrize("column", ["²", HUGE, "-1", "abc"])
def test_respondent_import_with_a_column_number_that_is_no_column_is_refused_or_ignored(
    strict_client, people, round_a, column
):
    strict_client.force_login(people["coordinator_a"])
    kwargs = {"org": "alfa", "pk": round_a.pk}
    content = b"email;groep;naam\na@x.nl;medewerkers;Ans\n"
    response = strict_client.post(
        reverse("scan:respondent_import", kwargs=kwargs),
        {"file": SimpleUploadedFile("r.csv", content)},
    )
    assert response.status_code == 200
    upload = response.context["upload"]
    for name in ("scan:respondent_import", "scan:respondent_import_confirm"):
        response = strict_client.post(
            reverse(name, kwargs=kwargs), {"upload": upload, "map_email": column}
        )
        assert response.status_code < 500, name


def test_call_back_note_with_control_characters_keeps_the_rest(
    strict_client, people, org_a, postgres_rules
):
    from pulse import services as pulse
    from pulse.links import link_token
    from pulse.models import CallBack

    moment = pulse.moments_install_defaults(organisation=org_a)[0]
    event = pulse.EventInput(
        source_id="WO-1",
        moment=moment.code,
        occurred_on="2026-01-05",
        partner="Bouwbedrijf Jansen",
        area="Complex 12",
        email="huurder@example.nl",
        phone="",
    )
    invitation = pulse.events_ingest(organisation=org_a, items=[event]).events[0].invitation
    pulse.response_submit(
        token=link_token(invitation.link_nonce),
        grade=4,
        drivers={},
        effort=None,
        open_answer="",
        call_back=True,
    )
    call_back = CallBack.objects.get()
    strict_client.force_login(people["coordinator_a"])
    response = strict_client.post(
        reverse("pulse:call_back_done", kwargs={"org": "alfa", "pk": call_back.pk}),
        {"note": "Gebeld\x00, opgelost.\nTweede regel"},
    )
    assert response.status_code == 302
    call_back.refresh_from_db()
    assert call_back.note == "Gebeld, opgelost.\nTweede regel"
