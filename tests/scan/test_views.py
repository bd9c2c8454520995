"""Every workspace view checks membership and role; another organisation's ids give 404."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scan.models import Respondent, RoundStatus, ScanRound
from tests import factories

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


ROLES = ["coordinator", "workgroup", "director", "consultant"]


@pytest.mark.parametrize("role", ROLES)
def test_round_page_visible_to_every_role_of_the_organisation_only(client, people, round_a, role):
    url = reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk})
    assert login(client, people[f"{role}_a"]).get(url).status_code == 200
    client.logout()
    assert login(client, people[f"{role}_b"]).get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, round_a):
    url = reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk})
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.url


def test_round_id_of_other_organisation_under_own_slug_is_404(client, people, round_b):
    url = reverse("scan:round", kwargs={"org": "alfa", "pk": round_b.pk})
    assert login(client, people["consultant_a"]).get(url).status_code == 404


def test_consultant_membership_needs_staff_flag(client, people, round_a):
    consultant = people["consultant_a"]
    consultant.is_staff = False
    consultant.save()
    url = reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk})
    assert login(client, consultant).get(url).status_code == 404


@pytest.mark.parametrize(
    "role,status",
    [("consultant", 302), ("coordinator", 403), ("director", 403), ("workgroup", 403)],
)
def test_only_consultants_create_rounds(client, people, version, role, status):
    data = {
        "title": "Nieuwe scan",
        "period": "2026",
        "opens_on": "2026-01-01",
        "closes_on": "2030-01-01",
        "model_version": version.pk,
        "min_group_size": 5,
        "group_kinds": ["staff", "tenants"],
    }
    response = login(client, people[f"{role}_a"]).post(
        reverse("scan:round_create", kwargs={"org": "alfa"}), data
    )
    assert response.status_code == status
    assert ScanRound.objects.filter(title="Nieuwe scan").exists() == (status == 302)


def test_round_form_rejects_closing_before_opening(client, people, version):
    data = {
        "title": "X",
        "period": "2026",
        "opens_on": "2026-05-01",
        "closes_on": "2026-04-01",
        "model_version": version.pk,
        "min_group_size": 5,
        "group_kinds": ["staff"],
    }
    response = login(client, people["consultant_a"]).post(
        reverse("scan:round_create", kwargs={"org": "alfa"}), data
    )
    assert response.status_code == 400
    assert not ScanRound.objects.filter(title="X").exists()


@pytest.mark.parametrize(
    "role,allowed",
    [("consultant", True), ("coordinator", True), ("director", False), ("workgroup", False)],
)
def test_respondent_management_roles(client, people, round_a, role, allowed):
    url = reverse("scan:respondent_add", kwargs={"org": "alfa", "pk": round_a.pk})
    group = round_a.groups.get(kind="staff")
    response = login(client, people[f"{role}_a"]).post(
        url, {"email": "new@x.nl", "group": group.pk}
    )
    assert response.status_code == (302 if allowed else 403)
    assert Respondent.objects.filter(email="new@x.nl").exists() == allowed


def test_coordinator_of_b_cannot_touch_a(client, people, round_a):
    url = reverse("scan:respondent_add", kwargs={"org": "alfa", "pk": round_a.pk})
    response = login(client, people["coordinator_b"]).post(
        url, {"email": "new@x.nl", "group": round_a.groups.first().pk}
    )
    assert response.status_code == 404
    assert not Respondent.objects.exists()


def test_adding_a_respondent_to_an_open_round_sends_one_invitation(
    client, people, round_a, django_capture_on_commit_callbacks
):
    url = reverse("scan:respondent_add", kwargs={"org": "alfa", "pk": round_a.pk})
    with django_capture_on_commit_callbacks(execute=True):
        login(client, people["coordinator_a"]).post(
            url, {"email": "new@x.nl", "group": round_a.groups.get(kind="staff").pk}
        )
    assert [m.to for m in mail.outbox] == [["new@x.nl"]]


def test_import_view_refuses_bad_file_with_row_errors(client, people, round_a):
    url = reverse("scan:respondent_import", kwargs={"org": "alfa", "pk": round_a.pk})
    upload = SimpleUploadedFile(
        "lijst.csv", b"email,group\nok@x.nl,staff\nbroken,staff\n", content_type="text/csv"
    )
    response = login(client, people["coordinator_a"]).post(url, {"file": upload})
    assert response.status_code == 400
    assert "Row 3" in response.content.decode() or "Rij 3" in response.content.decode()
    assert not Respondent.objects.exists()


def test_reissued_link_goes_to_the_respondent_never_to_the_coordinator(
    client, people, round_a, django_capture_on_commit_callbacks
):
    from scan import services

    respondent = factories.respondent(round_a, email="r@x.nl")
    old = services.respondent_issue_link(respondent)
    url = reverse(
        "scan:respondent_link",
        kwargs={"org": "alfa", "pk": round_a.pk, "respondent_pk": respondent.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, people["coordinator_a"]).post(
            url, {"action": "reissue", "confirm": "1"}, follow=True
        )
    assert response.status_code == 200
    (sent,) = mail.outbox
    assert sent.to == ["r@x.nl"]
    new = sent.body.split("/r/")[1].split("/")[0]
    assert services.respondent_for_token(new) == respondent
    assert new not in response.content.decode()
    with pytest.raises(services.LinkProblem):
        services.respondent_for_token(old)


def test_respondent_of_other_round_cannot_be_revoked_via_own_round(
    client, people, round_a, round_b
):
    other = factories.respondent(round_b)
    url = reverse(
        "scan:respondent_link", kwargs={"org": "alfa", "pk": round_a.pk, "respondent_pk": other.pk}
    )
    assert login(client, people["coordinator_a"]).post(url, {"action": "revoke"}).status_code == 404


def test_response_rates_show_counts_not_people(client, people, round_a):
    factories.respondent(round_a, email="secret-person@x.nl")
    response = login(client, people["director_a"]).get(
        reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk})
    )
    assert "secret-person@x.nl" not in response.content.decode()
    assert response.context["rates"][0].respondents >= 0


def test_status_transitions(client, people, org_a, version):
    draft = factories.scan_round(org_a, status=RoundStatus.DRAFT, version=version)
    url = reverse("scan:round_status", kwargs={"org": "alfa", "pk": draft.pk})
    login(client, people["consultant_a"]).post(url, {"status": "closed", "confirm": "1"})
    draft.refresh_from_db()
    assert draft.status == "draft"  # draft cannot jump to closed
    confirm = client.post(url, {"status": "open"})  # first says what opening does
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.post(url, {"status": "open", "confirm": "1"})
    draft.refresh_from_db()
    assert draft.status == "open"
    client.force_login(people["coordinator_a"])
    assert client.post(url, {"status": "closed"}).status_code == 403
