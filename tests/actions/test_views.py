import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions import services
from actions.models import ImprovementAction
from core.permissions import access_for

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "workgroup", "director", "consultant"]


@pytest.mark.parametrize("name", ["actions:list", "actions:ambition", "actions:dashboard"])
@pytest.mark.parametrize("role", ROLES)
def test_cycle_pages_for_members_only(client, people, closed_round, name, role):
    url = reverse(name, kwargs={"org": "alfa"})
    client.force_login(people[f"{role}_a"])
    assert client.get(url).status_code == 200
    client.force_login(people[f"{role}_b"])
    assert client.get(url).status_code == 404


def test_action_of_other_organisation_is_404_and_unchanged(client, people, org_b, closed_round):
    action = services.action_create(
        access=access_for(people["workgroup_a"], closed_round.organisation),
        title="Eigen",
        cells=["KP1"],
    )
    client.force_login(people["consultant_b"])
    url = reverse("actions:detail", kwargs={"org": "beta", "pk": action.pk})
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url,
            {
                "form": "action",
                "title": "Gekaapt",
                "cells": ["KP1"],
                "status": "idea",
                "priority": 2,
                "revision": 1,
            },
        ).status_code
        == 404
    )
    url_a = reverse("actions:detail", kwargs={"org": "alfa", "pk": action.pk})
    assert client.get(url_a).status_code == 404
    assert ImprovementAction.objects.get(pk=action.pk).title == "Eigen"


def test_director_may_read_but_not_change_an_action(client, people, closed_round):
    action = services.action_create(
        access=access_for(people["workgroup_a"], closed_round.organisation),
        title="Eigen",
        cells=["KP1"],
    )
    client.force_login(people["director_a"])
    url = reverse("actions:detail", kwargs={"org": "alfa", "pk": action.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "progress", "note": "x"}).status_code == 403


def test_evidence_is_served_only_to_members(client, people, closed_round):
    owner = people["workgroup_a"]
    action = services.action_create(
        access=access_for(owner, closed_round.organisation), title="Eigen", cells=["KP1"]
    )
    update = services.action_progress(
        action=action,
        access=access_for(owner, action.organisation),
        note="Bewijs",
        files=[SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\nxxxx")],
    )
    evidence = update.evidence.get()
    url = reverse(
        "actions:evidence", kwargs={"org": "alfa", "pk": action.pk, "evidence": evidence.pk}
    )
    client.force_login(people["director_a"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(
        b"\x89PNG"
    )
    client.force_login(people["director_b"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert "/media/" not in evidence.file.path


def test_only_directors_sign_off_via_the_page(client, people, closed_round):
    url = reverse("review:round", kwargs={"org": "alfa", "pk": closed_round.pk})
    review = services.review_for(closed_round)
    review = services.review_save_summary(
        scan_round=closed_round,
        access=access_for(people["consultant_a"], closed_round.organisation),
        summary="Klaar",
        revision=review.revision,
        final=True,
    )
    client.force_login(people["consultant_a"])
    client.post(url, {"form": "sign", "comment": "", "revision": review.revision})
    review.refresh_from_db()
    assert not review.is_signed_off
    client.force_login(people["director_a"])
    page = client.get(url)
    assert page.status_code == 200 and page.context["can"]["sign_off"]
    client.post(url, {"form": "sign", "comment": "Akkoord", "revision": review.revision})
    review.refresh_from_db()
    assert review.is_signed_off and review.signed_off_by == people["director_a"]


def test_results_page_shows_targets_and_open_actions(client, people, org_a, closed_round):
    import datetime as dt

    from django.utils import timezone

    services.ambition_set(
        organisation=org_a,
        statement="Stip",
        horizon=timezone.localdate() + dt.timedelta(days=400),
        targets={"KP1": (4, "")},
        user=people["director_a"],
    )
    services.action_create(
        access=access_for(people["workgroup_a"], org_a), title="Monteurs trainen", cells=["KP1"]
    )
    client.force_login(people["workgroup_a"])
    page = client.get(reverse("honeycomb:results", kwargs={"org": "alfa", "pk": closed_round.pk}))
    kp1 = next(c for c in page.context["cells"] if c.code == "KP1")
    assert kp1.target == 4 and kp1.annotation in ("1 open",)
    detail = client.get(
        reverse("honeycomb:cell", kwargs={"org": "alfa", "pk": closed_round.pk, "cell": "KP1"})
    )
    assert "Monteurs trainen" in detail.content.decode()


def test_portfolio_for_consultants_only(client, people, closed_round):
    client.force_login(people["consultant_a"])
    page = client.get(reverse("cms:portfolio"))
    assert page.status_code == 200 and [r["organisation"].slug for r in page.context["rows"]] == [
        "alfa"
    ]
    assert page.context["sector"] is None
    # A logged-in non-consultant is refused, not sent to the login page (that looped).
    client.force_login(people["director_a"])
    assert client.get(reverse("cms:portfolio")).status_code == 403
    client.logout()
    anonymous = client.get(reverse("cms:portfolio"))
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_working_group_is_managed_by_consultant_and_coordinator(client, people, closed_round):
    url = reverse("actions:working_group", kwargs={"org": "alfa"})
    data = {
        "name": "Werkgroep",
        "chair": people["coordinator_a"].pk,
        "members": [people["workgroup_a"].pk],
    }
    client.force_login(people["director_a"])
    assert client.post(url, data).status_code == 403
    client.force_login(people["coordinator_a"])
    assert client.post(url, data).status_code == 302
    group = closed_round.organisation.working_groups.get()
    assert group.chair == people["coordinator_a"] and set(group.members.all()) == {
        people["workgroup_a"],
        people["coordinator_a"],
    }
    outsider = {**data, "members": [people["workgroup_b"].pk]}
    assert client.post(url, outsider).status_code == 400  # not a member of this organisation


def test_trend_shows_the_ambition_line(client, people, org_a, closed_round):
    import datetime as dt

    from django.utils import timezone

    services.ambition_set(
        organisation=org_a,
        statement="Stip",
        horizon=timezone.localdate() + dt.timedelta(days=400),
        targets={"KP1": (4, "")},
        user=people["director_a"],
    )
    client.force_login(people["director_a"])
    page = client.get(
        reverse("honeycomb:trend", kwargs={"org": "alfa", "pk": closed_round.pk}) + "?cell=KP1"
    )
    assert page.context["target"] == 4


def test_rejected_measures_file_lists_the_problems_instead_of_a_server_error(client, people, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["consultant_a"])
    upload = SimpleUploadedFile("m.csv", b"bron;meting\nAedes;eenhoorns\n", content_type="text/csv")
    response = client.post(
        reverse("actions:measures_import", kwargs={"org": "alfa"}), {"file": upload}
    )
    assert response.status_code == 400
    assert "periode" in response.content.decode().lower() or "period" in response.content.decode()


@pytest.mark.parametrize("role", ["consultant", "coordinator", "director", "workgroup"])
def test_the_menu_offers_the_portfolio_exactly_to_whom_the_page_opens(client, people, role):
    client.force_login(people[f"{role}_a"])
    page = client.get(reverse("cms:start")).content.decode()
    offered = f'href="{reverse("cms:portfolio")}"' in page
    opens = client.get(reverse("cms:portfolio")).status_code == 200
    assert offered == opens == (role == "consultant")
    assert ('href="/cms/"' in page) == (role == "consultant")
