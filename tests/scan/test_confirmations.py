"""Sending invitations, revoking links and mailing a new link first show what will happen
and to how many people; only the confirmation acts."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import OutgoingMail
from scan import services
from tests import factories


def test_sending_invitations_is_confirmed_first(
    client, people, round_a, django_capture_on_commit_callbacks
):
    for i in range(3):
        factories.respondent(round_a, email=f"r{i}@x.nl")
    url = reverse("scan:invitations_send", kwargs={"org": "alfa", "pk": round_a.pk})
    client.force_login(people["coordinator_a"])
    response = client.post(url)
    assert response.status_code == 200 and response.context["count"] == 3
    assert not OutgoingMail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("action", ["revoke", "reissue"])
def test_revoking_and_new_links_are_confirmed_first(
    client, people, round_a, action, django_capture_on_commit_callbacks
):
    respondent = factories.respondent(round_a, email="r@x.nl")
    token = services.respondent_issue_link(respondent)
    url = reverse(
        "scan:respondent_link",
        kwargs={"org": "alfa", "pk": round_a.pk, "respondent_pk": respondent.pk},
    )
    client.force_login(people["coordinator_a"])
    response = client.post(url, {"action": action})
    assert response.status_code == 200 and "r@x.nl" in response.context["what"]
    assert services.respondent_for_token(token) == respondent  # still works
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": action, "confirm": "1"})
    with pytest.raises(services.LinkProblem):
        services.respondent_for_token(token)
    assert len(mail.outbox) == (1 if action == "reissue" else 0)


@pytest.mark.parametrize("person,status", [("director_a", 403), ("coordinator_b", 404)])
def test_confirmation_pages_are_not_shown_to_others(client, people, round_a, person, status):
    respondent = factories.respondent(round_a, email="r@x.nl")
    client.force_login(people[person])
    for url, data in (
        (reverse("scan:invitations_send", kwargs={"org": "alfa", "pk": round_a.pk}), {}),
        (
            reverse(
                "scan:respondent_link",
                kwargs={"org": "alfa", "pk": round_a.pk, "respondent_pk": respondent.pk},
            ),
            {"action": "reissue"},
        ),
    ):
        assert client.post(url, data).status_code == status
