"""A consultant starts a new client in the app and invites its coordinator."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent, Membership, Organisation

pytestmark = pytest.mark.django_db


def test_consultant_creates_an_organisation_with_its_slug_filled_in(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["consultant_a"])
    assert "New organisation" in client.get("/en/start/").content.decode()
    url = reverse("cms:organisation_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Woonstichting De Linde",
            "group_kinds": ["board", "staff", "tenants"],
            "reply_to": "Coordinatie@DeLinde.example",
        },
    )
    organisation = Organisation.objects.get(name="Woonstichting De Linde")
    assert response.status_code == 302 and response["Location"].endswith(
        "/org/woonstichting-de-linde/#invite"
    )
    assert organisation.group_kinds == ["board", "staff", "tenants"]
    assert organisation.reply_to == "coordinatie@delinde.example"
    assert Membership.objects.get(organisation=organisation).role == "consultant"
    assert AuditEvent.objects.filter(kind="organisation_created").exists()
    new_round = client.get(reverse("scan:round_create", kwargs={"org": organisation.slug}))
    assert new_round.context["form"].fields["group_kinds"].initial == [
        "board",
        "staff",
        "tenants",
    ]
    # Then the coordinator is invited from the organisation's page (the mail leaves on commit).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("scan:member_invite", kwargs={"org": organisation.slug}),
            {
                "invite-name": "Co Ordinator",
                "invite-email": "co@delinde.example",
                "invite-role": "coordinator",
            },
        )
    assert mail.outbox[-1].to == ["co@delinde.example"]


def test_a_taken_name_or_slug_is_refused_and_nothing_is_created(client, people, org_a):
    client.force_login(people["consultant_a"])
    url = reverse("cms:organisation_create")
    count = Organisation.objects.count()
    response = client.post(url, {"name": org_a.name, "group_kinds": ["staff"]})
    assert response.status_code == 400
    response = client.post(url, {"name": "Nieuw", "slug": "alfa", "group_kinds": ["staff"]})
    assert response.status_code == 400
    assert Organisation.objects.count() == count


def test_only_consultants_create_organisations(client, people):
    client.force_login(people["coordinator_a"])
    assert client.get(reverse("cms:organisation_create")).status_code == 403
    assert "New organisation" not in client.get("/en/start/").content.decode()
