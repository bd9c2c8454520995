"""Consultants invite people to an organisation they serve; invitees choose a password through
a one-time link; re-inviting, changing roles and removing work from the organisation's page,
are confirmed first and audited. Nobody manages or sees another organisation's people."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import AuditEvent, MailStatus, Membership, OutgoingMail, Role
from core.models.outbox import LINK_MARK
from core.outbox import mail_send
from scan.errors import ScanError
from scan.models import MailKind
from scan.services.people import (
    ALREADY_ACTIVE,
    ALREADY_MEMBER,
    LAST_CONSULTANT,
    NOT_YOURSELF,
    member_reinvite,
    member_remove,
    member_role_change,
    members_invite,
)
from tests import factories

User = get_user_model()
LINK = re.compile(r"https?://\S+/welcome/[^/\s]+/[^/\s]+/")

# The mails leave when the invitation commits (through the outbox), so each test commits.
pytestmark = pytest.mark.django_db(transaction=True)


def _link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _invite(client, org="alfa", follow=False, **data):
    payload = {"invite-name": "Carla de Vries", "invite-email": "carla@alfa.example"}
    payload.update({f"invite-{k}": v for k, v in data.items()})
    payload.setdefault("invite-role", "coordinator")
    return client.post(reverse("scan:member_invite", kwargs={"org": org}), payload, follow=follow)


def _membership(user, org) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


# --- inviting ------------------------------------------------------------------------------


def test_inviting_a_new_person_makes_an_account_without_password_and_mails_a_link(
    client, people, org_a, settings
):
    settings.KLANTRAAT_BASE_URL = "https://klantraat.example"
    client.force_login(people["consultant_a"])
    response = _invite(client, **{"email": "Carla@Alfa.example"})
    assert response.status_code == 302
    user = User.objects.get(email="carla@alfa.example")
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Carla", "de Vries")
    assert _membership(user, org_a).role == Role.COORDINATOR
    [message] = mail.outbox
    assert message.to == ["carla@alfa.example"]
    assert "Woonstichting Alfa" in message.subject
    assert _link(message).startswith("https://klantraat.example/welcome/")
    assert "coördinator" in message.body  # Dutch by default, the role in words
    event = AuditEvent.objects.get(kind="member_invited")
    assert event.organisation == org_a and event.actor == people["consultant_a"]
    assert event.detail == {"user": "carla@alfa.example", "role": "coordinator", "account": "new"}
    # The service writes the event; the membership signal does not add a second one.
    assert not AuditEvent.objects.filter(kind="role_change", detail__user=user.email).exists()


def test_the_link_sets_a_password_logs_in_and_works_once(client, people, org_a):
    members_invite(
        organisation=org_a,
        email="carla@alfa.example",
        name="Carla",
        role=Role.COORDINATOR,
        invited_by=people["consultant_a"],
    )
    link = _path(_link(mail.outbox[0]))
    visitor = Client()
    response = visitor.get(link)
    assert response.status_code == 302  # the token moves from the URL into the session
    form_url = response["Location"]
    assert "set-password" in form_url
    response = visitor.get(form_url)
    assert response.status_code == 200 and response.context["validlink"]
    response = visitor.post(
        form_url, {"new_password1": "Vl1nder-Zomer-42", "new_password2": "Vl1nder-Zomer-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scan:organisation", kwargs={"org": "alfa"})
    assert visitor.get(response["Location"]).status_code == 200  # logged in
    user = User.objects.get(email="carla@alfa.example")
    assert user.check_password("Vl1nder-Zomer-42")

    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "werkt niet meer" in again.content.decode()


def test_a_weak_password_is_refused_on_the_welcome_page(people, org_a):
    members_invite(
        organisation=org_a,
        email="carla@alfa.example",
        name="Carla",
        role=Role.COORDINATOR,
        invited_by=people["consultant_a"],
    )
    visitor = Client()
    form_url = visitor.get(_path(_link(mail.outbox[0])))["Location"]
    response = visitor.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not User.objects.get(email="carla@alfa.example").has_usable_password()


def test_expired_and_tampered_links_give_a_clear_page(people, org_a, settings, monkeypatch):
    members_invite(
        organisation=org_a,
        email="carla@alfa.example",
        name="Carla",
        role=Role.COORDINATOR,
        invited_by=people["consultant_a"],
    )
    link = _path(_link(mail.outbox[0]))
    tampered = link[:-3] + ("a/" if link[-2] != "a" else "b/")
    response = Client().get(tampered, follow=True)
    assert response.status_code == 200 and not response.context["validlink"]
    assert "werkt niet meer" in response.content.decode()

    later = PasswordResetTokenGenerator._now(None) + dt.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = Client().get(link, follow=True)
    assert not response.context["validlink"]
    assert "opnieuw uit te nodigen" in response.content.decode()


def test_an_existing_account_gets_the_membership_and_a_notice_only(client, people, org_a):
    carla = factories.member(
        factories.OrganisationFactory(), Role.DIRECTOR, email="carla@elders.example"
    )
    accounts = User.objects.count()
    client.force_login(people["consultant_a"])
    response = _invite(client, email="CARLA@elders.example", role="workgroup")
    assert response.status_code == 302
    assert User.objects.count() == accounts
    assert _membership(carla, org_a).role == Role.WORKGROUP
    carla.refresh_from_db()
    assert carla.check_password(factories.PASSWORD)  # untouched
    [message] = mail.outbox
    assert message.to == ["carla@elders.example"]
    assert not LINK.search(message.body)
    assert "/org/alfa/" in message.body
    assert AuditEvent.objects.get(kind="member_invited").detail["account"] == "existing"


def test_mail_is_in_the_invitees_language_else_the_inviters(people, org_a):
    english = factories.UserFactory(email="jo@elders.example", preferred_language="en")
    members_invite(
        organisation=org_a,
        email=english.email,
        name="",
        role=Role.DIRECTOR,
        invited_by=people["consultant_a"],
    )
    assert "You now have access to Woonstichting Alfa" in mail.outbox[0].subject
    with translation.override("en"):
        members_invite(
            organisation=org_a,
            email="new@alfa.example",
            name="New Person",
            role=Role.WORKGROUP,
            invited_by=people["consultant_a"],
        )
    assert User.objects.get(email="new@alfa.example").preferred_language == "en"
    assert "Choose your password" in mail.outbox[1].body


def test_inviting_a_member_twice_is_refused_with_a_field_error(client, people, org_a):
    client.force_login(people["consultant_a"])
    response = _invite(client, email="Coordinator-A@example.org")
    assert response.status_code == 400
    assert str(ALREADY_MEMBER) in response.context["invite_form"].errors["email"]
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(kind="member_invited").exists()


def test_an_invalid_address_is_named_on_its_field(client, people):
    client.force_login(people["consultant_a"])
    response = _invite(client, email="geen-adres")
    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors
    assert mail.outbox == []


def test_inviting_a_consultant_gives_cms_access(people, org_a):
    result = members_invite(
        organisation=org_a,
        email="nieuw@adviesbureau.example",
        name="Nieuwe Adviseur",
        role=Role.CONSULTANT,
        invited_by=people["consultant_a"],
    )
    user = result.membership.user
    assert user.is_staff and user.groups.filter(name="Adviseurs").exists()


def test_a_refused_mail_keeps_the_membership_and_waits_in_the_outbox(
    client, people, org_a, settings
):
    settings.EMAIL_BACKEND = "tests.scan.test_outbox.FailingBackend"
    client.force_login(people["consultant_a"])
    _invite(client, follow=True)
    assert Membership.objects.filter(user__email="carla@alfa.example").exists()
    waiting = OutgoingMail.objects.get(kind=MailKind.ACCOUNT)
    assert waiting.status == MailStatus.QUEUED and "connection lost" in waiting.last_error
    assert mail.outbox == [] and LINK_MARK in waiting.body  # the password link is not stored
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail_send(waiting.pk) is True  # the next attempt (the sweeper's, in production)
    assert LINK.search(mail.outbox[0].body)


# --- re-inviting, changing roles, removing ------------------------------------------------


def test_reinviting_is_confirmed_then_mails_a_new_link(client, people, org_a):
    result = members_invite(
        organisation=org_a,
        email="carla@alfa.example",
        name="Carla",
        role=Role.COORDINATOR,
        invited_by=people["consultant_a"],
    )
    url = reverse("scan:member_reinvite", kwargs={"org": "alfa", "member_pk": result.membership.pk})
    client.force_login(people["consultant_a"])
    response = client.post(url)
    assert response.status_code == 200 and "carla@alfa.example" in response.context["what"]
    assert len(mail.outbox) == 1
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert len(mail.outbox) == 2 and LINK.search(mail.outbox[1].body)
    assert AuditEvent.objects.filter(kind="member_invited", detail__account="again").exists()


def test_reinviting_someone_who_has_a_password_is_refused(people, org_a):
    membership = _membership(people["coordinator_a"], org_a)
    with pytest.raises(ScanError) as refused:
        member_reinvite(membership=membership, invited_by=people["consultant_a"])
    assert refused.value.messages == [str(ALREADY_ACTIVE)]
    assert mail.outbox == []


def test_changing_a_role_is_confirmed_and_audited(client, people, org_a):
    membership = _membership(people["workgroup_a"], org_a)
    url = reverse("scan:member_role", kwargs={"org": "alfa", "member_pk": membership.pk})
    client.force_login(people["consultant_a"])
    response = client.post(url, {"role": "director"})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == Role.WORKGROUP  # not yet
    assert client.post(url, {"role": "director", "confirm": "1"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.DIRECTOR
    [event] = AuditEvent.objects.filter(
        kind="role_change", detail__user="workgroup-a@example.org", detail__change="changed"
    )
    assert event.actor == people["consultant_a"]
    assert event.detail["previous"] == "workgroup" and event.detail["role"] == "director"


def test_removing_is_confirmed_and_audited(client, people, org_a):
    membership = _membership(people["director_a"], org_a)
    url = reverse("scan:member_remove", kwargs={"org": "alfa", "member_pk": membership.pk})
    client.force_login(people["consultant_a"])
    assert client.post(url).status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=people["director_a"].pk).exists()  # the account stays
    event = AuditEvent.objects.get(kind="member_removed")
    assert event.organisation == org_a and event.actor == people["consultant_a"]
    assert event.detail == {"user": "director-a@example.org", "role": "director"}
    assert not AuditEvent.objects.filter(
        kind="role_change", detail__user="director-a@example.org", detail__change="removed"
    ).exists()


def test_you_cannot_remove_yourself_or_change_your_own_role(client, people, org_a):
    own = _membership(people["consultant_a"], org_a)
    client.force_login(people["consultant_a"])
    remove = reverse("scan:member_remove", kwargs={"org": "alfa", "member_pk": own.pk})
    response = client.post(remove, {"confirm": "1"}, follow=True)
    assert str(NOT_YOURSELF) in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    with pytest.raises(ScanError) as refused:
        member_role_change(membership=own, role=Role.DIRECTOR, changed_by=people["consultant_a"])
    assert refused.value.messages == [str(NOT_YOURSELF)]


def test_the_last_consultant_stays(people, org_a):
    own = _membership(people["consultant_a"], org_a)
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    for attempt in (
        lambda: member_remove(membership=own, removed_by=admin),
        lambda: member_role_change(membership=own, role=Role.COORDINATOR, changed_by=admin),
    ):
        with pytest.raises(ScanError) as refused:
            attempt()
        assert refused.value.messages == [str(LAST_CONSULTANT)]
    # With a second consultant, one of them may go.
    second = factories.member(org_a, Role.CONSULTANT, email="tweede@advies.example")
    member_remove(membership=own, removed_by=second)
    assert not Membership.objects.filter(pk=own.pk).exists()


# --- who may do and see what --------------------------------------------------------------


@pytest.mark.parametrize(
    "person,status",
    [
        ("coordinator_a", 403),
        ("director_a", 403),
        ("workgroup_a", 403),
        ("consultant_b", 404),
        ("coordinator_b", 404),
    ],
)
def test_only_the_organisations_consultants_manage_its_people(
    client, people, org_a, person, status
):
    target = _membership(people["workgroup_a"], org_a)
    client.force_login(people[person])
    urls = [reverse("scan:member_invite", kwargs={"org": "alfa"})] + [
        reverse(name, kwargs={"org": "alfa", "member_pk": target.pk})
        for name in ("scan:member_reinvite", "scan:member_role", "scan:member_remove")
    ]
    before = list(Membership.objects.values_list("pk", "role"))
    for url in urls:
        response = client.post(
            url,
            {
                "confirm": "1",
                "role": "consultant",
                "invite-name": "X",
                "invite-email": "x@x.example",
                "invite-role": "consultant",
            },
        )
        assert response.status_code == status, url
    assert list(Membership.objects.values_list("pk", "role")) == before
    assert mail.outbox == []


def test_a_consultant_of_b_cannot_reach_a_membership_of_a_through_b(client, people, org_a):
    target = _membership(people["workgroup_a"], org_a)
    client.force_login(people["consultant_b"])
    for name in ("scan:member_reinvite", "scan:member_role", "scan:member_remove"):
        url = reverse(name, kwargs={"org": "beta", "member_pk": target.pk})
        assert client.post(url, {"confirm": "1", "role": "director"}).status_code == 404
    assert Membership.objects.filter(pk=target.pk, role=Role.WORKGROUP).exists()


def test_the_page_lists_only_this_organisations_people(client, people):
    client.force_login(people["consultant_a"])
    page = client.get(reverse("scan:organisation", kwargs={"org": "alfa"})).content.decode()
    for role in Role.values:
        assert f"{role}-a@example.org" in page
        assert f"{role}-b@example.org" not in page
    assert 'action="/org/alfa/people/invite/"' in page


@pytest.mark.parametrize("person", ["coordinator_a", "director_a", "workgroup_a"])
def test_other_members_see_the_list_read_only(client, people, person):
    client.force_login(people[person])
    response = client.get(reverse("scan:organisation", kwargs={"org": "alfa"}))
    page = response.content.decode()
    assert "consultant-a@example.org" in page and "coordinator-b@example.org" not in page
    assert response.context["invite_form"] is None
    assert "/people/" not in page  # no forms that would be refused


def test_invited_people_can_open_the_organisation_after_choosing_a_password(people, org_a):
    members_invite(
        organisation=org_a,
        email="adviseur@advies.example",
        name="Nieuwe Adviseur",
        role=Role.CONSULTANT,
        invited_by=people["consultant_a"],
    )
    visitor = Client()
    form_url = visitor.get(_path(_link(mail.outbox[0])))["Location"]
    visitor.post(
        form_url, {"new_password1": "Vl1nder-Zomer-42", "new_password2": "Vl1nder-Zomer-42"}
    )
    # A consultant can manage people straight away (CMS access came with the role).
    page = visitor.get(reverse("scan:organisation", kwargs={"org": "alfa"}))
    assert page.status_code == 200 and page.context["can"]["manage_people"]


def test_the_audit_log_tells_who_was_invited_and_removed(client, people, org_a):
    result = members_invite(
        organisation=org_a,
        email="carla@alfa.example",
        name="Carla",
        role=Role.COORDINATOR,
        invited_by=people["consultant_a"],
    )
    member_remove(membership=result.membership, removed_by=people["consultant_a"])
    client.force_login(people["director_a"])
    page = client.get(reverse("scan:audit_log", kwargs={"org": "alfa"})).content.decode()
    assert "carla@alfa.example uitgenodigd als Coördinator; account aangemaakt" in page
    assert "carla@alfa.example verwijderd (was Coördinator)" in page
