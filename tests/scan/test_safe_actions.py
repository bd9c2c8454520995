"""Safe actions on rounds and respondents, and open links: deleting a draft round or a
respondent (personal data erased, answers kept), the paged and searchable respondents list
with bulk actions, copying a round's set-up, and open links with their date, field errors,
QR code and the same browser resuming its own start."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Membership, Role
from scan import services
from scan.models import (
    Answer,
    MailTemplate,
    OpenLink,
    Respondent,
    RespondentToken,
    RoundStatus,
    ScanRound,
    StepComment,
)
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, scan_round, **kwargs) -> str:
    return reverse(
        name, kwargs={"org": scan_round.organisation.slug, "pk": scan_round.pk, **kwargs}
    )


# --- deleting a draft round -------------------------------------------------------------------


def test_consultant_deletes_a_draft_round_after_confirming(client, people, org_a, version):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT, title="Test")
    for i in range(2):
        services.respondent_issue_link(factories.respondent(draft, email=f"t{i}@alfa.nl"))
    services.open_link_create(
        scan_round=draft, group=draft.groups.first(), cap=3, closes_on=draft.closes_on
    )
    client.force_login(people["consultant_a"])
    response = client.post(url("scan:round_delete", draft))
    assert response.status_code == 200 and response.context["count"] == 2
    assert ScanRound.objects.filter(pk=draft.pk).exists()  # nothing happened yet

    response = client.post(url("scan:round_delete", draft), {"confirm": "1"})
    assert response.status_code == 302 and response.url == "/org/alfa/"
    assert not ScanRound.objects.filter(pk=draft.pk).exists()
    assert not Respondent.objects.filter(round_id=draft.pk).exists()
    assert not RespondentToken.objects.exists() and not OpenLink.objects.exists()
    event = AuditEvent.objects.get(kind="round_deleted")
    assert event.actor == people["consultant_a"] and event.detail["title"] == "Test"
    assert event.detail["respondents"] == "2"


def test_an_opened_round_cannot_be_deleted(client, people, round_a):
    factories.respondent(round_a, email="r@alfa.nl")
    client.force_login(people["consultant_a"])
    response = client.post(url("scan:round_delete", round_a), {"confirm": "1"})
    assert response.status_code == 302
    assert ScanRound.objects.filter(pk=round_a.pk).exists()
    with pytest.raises(services.ScanError):
        services.round_delete(scan_round=round_a)
    assert not AuditEvent.objects.filter(kind="round_deleted").exists()


@pytest.mark.parametrize(
    "person,status", [("coordinator_a", 403), ("director_a", 403), ("consultant_b", 404)]
)
def test_only_the_consultant_deletes_rounds(client, people, org_a, version, person, status):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    client.force_login(people[person])
    assert client.post(url("scan:round_delete", draft), {"confirm": "1"}).status_code == status
    assert ScanRound.objects.filter(pk=draft.pk).exists()


# --- deleting a respondent --------------------------------------------------------------------


def test_a_respondent_without_answers_is_removed(client, people, round_a):
    respondent = factories.respondent(round_a, email="weg@alfa.nl")
    services.respondent_issue_link(respondent)
    client.force_login(people["coordinator_a"])
    delete = url("scan:respondent_delete", round_a, respondent_pk=respondent.pk)
    response = client.post(delete)
    assert response.status_code == 200 and "weg@alfa.nl" in response.context["what"]
    assert Respondent.objects.filter(pk=respondent.pk).exists()
    client.post(delete, {"confirm": "1"})
    assert not Respondent.objects.filter(pk=respondent.pk).exists()
    assert not RespondentToken.objects.exists()
    event = AuditEvent.objects.get(kind="respondent_deleted")
    assert event.detail == {"round": str(round_a.pk), "respondent": str(respondent.pk)}
    assert "weg@alfa.nl" not in str(event.detail)  # the log holds no personal data


def test_a_respondent_who_answered_is_erased_and_the_answers_stay(client, people, round_a):
    respondent = factories.respondent(
        round_a, email="antwoord@alfa.nl", name="Anna de Vries", department="Wonen"
    )
    services.respondent_issue_link(respondent)
    services.answer_save(respondent=respondent, statement_code="KV1.1", level=4, comment="Ik, Anna")
    StepComment.objects.create(respondent=respondent, cell_code="KV1", comment="Mijn naam is Anna")
    client.force_login(people["consultant_a"])
    delete = url("scan:respondent_delete", round_a, respondent_pk=respondent.pk)
    client.post(delete, {"confirm": "1"})
    erased = Respondent.objects.get(pk=respondent.pk)
    assert (erased.email, erased.name, erased.department) == ("", "", "")
    assert erased.personal_data_erased_at is not None
    answer = Answer.objects.get(respondent=erased)
    assert (answer.level, answer.comment) == (4, "")
    assert not StepComment.objects.exists() and not RespondentToken.objects.exists()
    assert AuditEvent.objects.filter(kind="link_revoked", detail__reason="personal data erased")
    # Erased respondents leave the list and cannot be deleted again.
    page = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk}))
    assert list(page.context["respondents_page"]) == []
    assert client.post(delete, {"confirm": "1"}).status_code == 404


@pytest.mark.parametrize("person,status", [("director_a", 403), ("coordinator_b", 404)])
def test_others_cannot_delete_respondents(client, people, round_a, person, status):
    respondent = factories.respondent(round_a, email="r@alfa.nl")
    client.force_login(people[person])
    delete = url("scan:respondent_delete", round_a, respondent_pk=respondent.pk)
    assert client.post(delete, {"confirm": "1"}).status_code == status
    assert Respondent.objects.filter(pk=respondent.pk).exists()


def test_a_respondent_of_another_round_is_not_found(client, people, round_a, round_b):
    other = factories.respondent(round_b, email="b@beta.nl")
    client.force_login(people["consultant_a"])
    delete = url("scan:respondent_delete", round_a, respondent_pk=other.pk)
    assert client.post(delete, {"confirm": "1"}).status_code == 404
    assert Respondent.objects.filter(pk=other.pk).exists()


# --- the respondents list: pages, search, filters -------------------------------------------


@pytest.fixture
def crowd(round_a):
    """120 staff and 3 tenants; one tenant submitted, one staff member started."""
    staff, tenants = round_a.groups.get(kind="staff"), round_a.groups.get(kind="tenants")
    Respondent.objects.bulk_create(
        [
            Respondent(
                round=round_a,
                group=staff,
                email=f"medewerker{i:03}@alfa.nl",
                name=f"Medewerker {i:03}",
                department="Onderhoud" if i % 10 == 0 else "Wonen",
            )
            for i in range(120)
        ]
        + [
            Respondent(round=round_a, group=tenants, email=f"huurder{i}@x.nl", name=f"Huurder {i}")
            for i in range(3)
        ]
    )
    now = timezone.now()
    Respondent.objects.filter(email="huurder0@x.nl").update(started_at=now, submitted_at=now)
    Respondent.objects.filter(email="medewerker005@alfa.nl").update(started_at=now)
    return round_a


def listed(client, scan_round, **params):
    response = client.get(
        reverse("scan:round", kwargs={"org": "alfa", "pk": scan_round.pk}), params
    )
    assert response.status_code == 200
    return response.context["respondents_page"]


def test_respondents_are_listed_fifty_a_page(client, people, crowd):
    client.force_login(people["coordinator_a"])
    first = listed(client, crowd)
    assert len(first) == 50 and first.paginator.count == 123 and first.paginator.num_pages == 3
    assert len(listed(client, crowd, page=3)) == 23
    assert listed(client, crowd, page=99).number == 3  # out of range: the last page


def test_respondents_are_searched_by_name_email_and_department(client, people, crowd):
    client.force_login(people["coordinator_a"])
    assert [r.email for r in listed(client, crowd, q="Medewerker 007")] == ["medewerker007@alfa.nl"]
    assert len(listed(client, crowd, q="huurder")) == 3
    assert listed(client, crowd, q="onderhoud").paginator.count == 12


def test_respondents_are_filtered_by_group_and_status(client, people, crowd):
    client.force_login(people["coordinator_a"])
    tenants = crowd.groups.get(kind="tenants")
    assert listed(client, crowd, group=tenants.pk).paginator.count == 3
    assert [r.email for r in listed(client, crowd, status="submitted")] == ["huurder0@x.nl"]
    assert [r.email for r in listed(client, crowd, status="started")] == ["medewerker005@alfa.nl"]
    assert listed(client, crowd, status="not_invited").paginator.count == 121
    # The page links keep the search.
    response = client.get(
        reverse("scan:round", kwargs={"org": "alfa", "pk": crowd.pk}), {"q": "alfa"}
    )
    assert "q=alfa&amp;page=2" in response.content.decode()
    # An unknown filter value is ignored, not an error.
    assert listed(client, crowd, status="nonsense", group="x").paginator.count == 123


def test_respondents_list_is_keyboard_and_screen_reader_ready(client, people, crowd):
    client.force_login(people["coordinator_a"])
    html = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": crowd.pk})).content
    html = html.decode()
    assert 'class="table-scroll" tabindex="0" role="region" aria-label=' in html
    first = Respondent.objects.filter(round=crowd).order_by("group__position", "email").first()
    assert f'<label for="select-{first.pk}" class="visually-hidden">' in html
    assert 'form="bulk-respondents"' in html and 'for="id_bulk_action"' in html


# --- bulk actions -----------------------------------------------------------------------------


def test_bulk_invitation_is_confirmed_with_the_count(
    client, people, round_a, django_capture_on_commit_callbacks
):
    chosen = [factories.respondent(round_a, email=f"k{i}@alfa.nl") for i in range(3)]
    factories.respondent(round_a, email="niet@alfa.nl")
    client.force_login(people["coordinator_a"])
    bulk = url("scan:respondents_bulk", round_a)
    data = {"action": "invite", "respondent": [r.pk for r in chosen[:2]], "next": "?q=k"}
    response = client.post(bulk, data)
    assert response.status_code == 200 and response.context["count"] == 2
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk, {**data, "confirm": "1"})
    assert response.status_code == 302 and response.url.endswith("?q=k")
    assert sorted(m.to[0] for m in mail.outbox) == ["k0@alfa.nl", "k1@alfa.nl"]


def test_bulk_revoke_and_remind(client, people, round_a, django_capture_on_commit_callbacks):
    a, b = (factories.respondent(round_a, email=f"{x}@alfa.nl") for x in "ab")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_queue(scan_round=round_a)
    mail.outbox.clear()
    client.force_login(people["consultant_a"])
    bulk = url("scan:respondents_bulk", round_a)
    response = client.post(bulk, {"action": "remind", "respondent": [a.pk]})
    assert response.context["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk, {"action": "remind", "respondent": [a.pk], "confirm": "1"})
    assert [m.to[0] for m in mail.outbox] == ["a@alfa.nl"]

    response = client.post(bulk, {"action": "revoke", "respondent": [a.pk, b.pk]})
    assert response.context["count"] == 2
    assert not RespondentToken.objects.filter(revoked_at__isnull=False).exists()
    client.post(bulk, {"action": "revoke", "respondent": [a.pk, b.pk], "confirm": "1"})
    assert not RespondentToken.objects.filter(revoked_at__isnull=True).exists()


def test_bulk_ignores_respondents_of_other_rounds_and_needs_a_choice(
    client, people, round_a, round_b
):
    other = factories.respondent(round_b, email="b@beta.nl")
    services.respondent_issue_link(other)
    client.force_login(people["coordinator_a"])
    bulk = url("scan:respondents_bulk", round_a)
    response = client.post(bulk, {"action": "revoke", "respondent": [other.pk], "confirm": "1"})
    assert response.status_code == 302
    assert not RespondentToken.objects.filter(revoked_at__isnull=False).exists()
    own = factories.respondent(round_a, email="a@alfa.nl")
    assert client.post(bulk, {"action": "explode", "respondent": [own.pk]}).status_code == 302
    client.force_login(people["director_a"])
    assert client.post(bulk, {"action": "revoke", "respondent": [own.pk]}).status_code == 403


# --- copying a round's set-up -----------------------------------------------------------------


def round_post(source, **extra):
    today = timezone.localdate()
    return {
        "title": "Nieuwe ronde",
        "period": "najaar",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=20)).isoformat(),
        "model_version": source.model_version_id,
        "min_group_size": source.min_group_size,
        "group_kinds": list(source.groups.values_list("kind", flat=True)),
        "copy_from": source.pk,
        **extra,
    }


@pytest.fixture
def source_b(people, org_b, version):
    """A round of organisation B that consultant A also serves."""
    Membership.objects.create(user=people["consultant_a"], organisation=org_b, role=Role.CONSULTANT)
    source = factories.scan_round(
        org_b, version=version, min_group_size=3, title="Bronronde Beta", group_kinds=["staff"]
    )
    source.groups.filter(kind="staff").update(name="Collega's")
    factories.respondent(source, email="p@beta.nl", department="Verhuur")
    MailTemplate.objects.create(
        organisation=org_b,
        kind="invitation",
        language="nl",
        subject="Uitnodiging",
        body="Beste {name}, {link}",
    )
    return source


def test_consultant_copies_a_round_of_another_organisation_they_serve(client, people, source_b):
    client.force_login(people["consultant_a"])
    create = reverse("scan:round_create", kwargs={"org": "alfa"})
    page = client.get(create, {"copy_from": source_b.pk})
    assert page.status_code == 200 and page.context["source"] == source_b
    assert page.context["form"]["min_group_size"].value() == 3
    assert "copy_respondents" not in page.context["form"].fields  # never across organisations
    response = client.post(create, round_post(source_b))
    assert response.status_code == 302
    new = ScanRound.objects.get(title="Nieuwe ronde")
    assert new.organisation.slug == "alfa" and new.min_group_size == 3
    assert [(g.kind, g.name) for g in new.groups.all()] == [("staff", "Collega's")]
    assert new.departments == ["Verhuur"]
    assert not new.respondents.exists()
    copied = MailTemplate.objects.get(organisation=new.organisation)
    assert (copied.subject, copied.body) == ("Uitnodiging", "Beste {name}, {link}")
    event = AuditEvent.objects.get(kind="round_copied")
    assert event.detail["source"] == str(source_b.pk) and event.organisation.slug == "alfa"


def test_respondents_are_copied_within_one_organisation_only(client, people, round_a, source_b):
    done = factories.respondent(round_a, email="klaar@alfa.nl", name="Kees", department="Wonen")
    services.respondent_issue_link(done)
    services.answer_save(respondent=done, statement_code="KV1.1", level=3)
    client.force_login(people["consultant_a"])
    create = reverse("scan:round_create", kwargs={"org": "alfa"})
    response = client.post(create, round_post(round_a, copy_respondents="on"))
    assert response.status_code == 302
    new = ScanRound.objects.get(title="Nieuwe ronde")
    copy = new.respondents.get()
    assert (copy.email, copy.name, copy.department) == ("klaar@alfa.nl", "Kees", "Wonen")
    assert not copy.tokens.exists() and not copy.answers.exists() and copy.started_at is None
    with pytest.raises(services.ScanError):
        services.round_create_as_copy(
            source=source_b,
            user=people["consultant_a"],
            with_respondents=True,
            organisation=round_a.organisation,
            title="x",
            period="x",
            opens_on=round_a.opens_on,
            closes_on=round_a.closes_on,
            model_version=round_a.model_version,
        )
    assert not ScanRound.objects.filter(title="x").exists()


def test_a_round_of_an_organisation_not_served_is_neither_listed_nor_copied(
    client, people, round_a, round_b
):
    round_b.title = "Geheim Beta"
    round_b.save()
    client.force_login(people["consultant_a"])
    create = reverse("scan:round_create", kwargs={"org": "alfa"})
    page = client.get(create)
    assert "Geheim Beta" not in page.content.decode()
    assert round_a.title in page.content.decode()  # its own rounds are offered
    refused = client.get(create, {"copy_from": round_b.pk})
    assert refused.status_code == 400 and refused.context["source"] is None
    response = client.post(create, round_post(round_b))
    assert response.status_code == 400 and "copy_from" in response.context["form"].errors
    assert not ScanRound.objects.filter(title="Nieuwe ronde").exists()
    with pytest.raises(services.ScanError):
        services.round_copy_setup(source=round_b, target=round_a, user=people["consultant_a"])


# --- open links ---------------------------------------------------------------------------------


def test_open_link_form_shows_its_default_date(client, people, round_a):
    client.force_login(people["coordinator_a"])
    html = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk})).content
    assert f'type="date" name="closes_on" value="{round_a.closes_on.isoformat()}"' in html.decode()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"closes_on": "+30"}, "closes_on"),  # after the round closes (filled in below)
        ({"closes_on": "morgen"}, "closes_on"),
        ({"cap": "0"}, "cap"),
        ({"group": "999999"}, "group"),
    ],
)
def test_open_link_errors_name_their_field(client, people, round_a, data, field):
    client.force_login(people["coordinator_a"])
    post = {
        "group": round_a.groups.first().pk,
        "cap": 20,
        "closes_on": round_a.closes_on.isoformat(),
        **data,
    }
    if post["closes_on"] == "+30":
        post["closes_on"] = (round_a.closes_on + dt.timedelta(days=30)).isoformat()
    response = client.post(url("scan:open_link_create", round_a), post)
    assert response.status_code == 400
    form = response.context["open_link_form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    assert f'id="id_open_{field}_error"' in html
    assert f'href="#id_open_{field}"' in html  # the summary links to the field
    assert not OpenLink.objects.exists()


def test_created_open_link_has_a_copy_button_and_a_qr_code(client, people, round_a):
    client.force_login(people["coordinator_a"])
    response = client.post(
        url("scan:open_link_create", round_a),
        {"group": round_a.groups.first().pk, "cap": 20, "closes_on": round_a.closes_on},
    )
    assert response.status_code == 200
    link, token = response.context["link"], response.context["token"]
    html = response.content.decode()
    assert f'data-copy="{link}"' in html and "<svg" in html and "<script>" not in html
    qr = client.get(reverse("scan_public:open_link_qr", kwargs={"token": token}), {"download": "1"})
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml") and b"<svg" in qr.content
    assert "attachment" in qr["Content-Disposition"]
    assert AuditEvent.objects.filter(kind="open_link_created").exists()
    # Anyone with the link may have its picture; a made-up or withdrawn link has none.
    anonymous = Client()
    assert (
        anonymous.get(reverse("scan_public:open_link_qr", kwargs={"token": token})).status_code
        == 200
    )
    made_up = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert (
        anonymous.get(reverse("scan_public:open_link_qr", kwargs={"token": made_up})).status_code
        == 404
    )
    services.open_link_revoke(link=OpenLink.objects.get())
    assert (
        anonymous.get(reverse("scan_public:open_link_qr", kwargs={"token": token})).status_code
        == 404
    )


def test_open_links_are_listed_and_withdrawn_after_confirming(client, people, round_a):
    link, token = services.open_link_create(
        scan_round=round_a,
        group=round_a.groups.get(kind="tenants"),
        cap=30,
        closes_on=round_a.closes_on,
    )
    services.open_link_join(token)
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk}))
    (listed_link,) = page.context["open_links"]
    assert (listed_link.joined, listed_link.cap) == (1, 30)
    assert "1 / 30" in page.content.decode()
    withdraw = url("scan:open_link_revoke", round_a, link_pk=link.pk)
    assert client.post(withdraw).status_code == 200
    link.refresh_from_db()
    assert link.revoked_at is None
    client.post(withdraw, {"confirm": "1"})
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert AuditEvent.objects.filter(kind="open_link_revoked").exists()
    with pytest.raises(services.LinkProblem):
        services.open_link_join(token)
    client.force_login(people["workgroup_a"])
    assert client.post(withdraw, {"confirm": "1"}).status_code == 403


def resume_cookies(response):
    return [c for c in response.cookies.values() if c.key.startswith("klantraat_open_")]


def test_the_same_browser_resumes_its_own_start(round_a):
    _link, token = services.open_link_create(
        scan_round=round_a,
        group=round_a.groups.get(kind="tenants"),
        cap=5,
        closes_on=round_a.closes_on,
    )
    open_url = reverse("scan_public:open_link", kwargs={"token": token})
    browser = Client()
    assert browser.get(open_url).status_code == 200  # a start page: scanners make nobody
    assert not Respondent.objects.exists()
    joined = browser.post(open_url)
    assert joined.status_code == 200 and Respondent.objects.count() == 1
    personal = joined.context["token"]
    (cookie,) = resume_cookies(joined)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie.value != personal  # signed: a cookie the site did not write is ignored
    wizard = reverse("scan_public:respond", kwargs={"token": personal})
    again = browser.get(open_url)
    assert again.status_code == 302 and again.url == wizard
    assert browser.post(open_url).url == wizard  # pressing "start" again starts nobody new
    assert Respondent.objects.count() == 1

    other = Client()  # another browser (or a cleared one) is another person
    assert other.post(open_url).status_code == 200
    assert Respondent.objects.count() == 2


def test_a_forged_or_finished_start_is_not_resumed(round_a):
    _link, token = services.open_link_create(
        scan_round=round_a,
        group=round_a.groups.get(kind="tenants"),
        cap=5,
        closes_on=round_a.closes_on,
    )
    open_url = reverse("scan_public:open_link", kwargs={"token": token})
    browser = Client()
    joined = browser.post(open_url)
    (name,) = (c.key for c in resume_cookies(joined))
    # After submitting, the next person on the same device starts afresh.
    Respondent.objects.update(submitted_at=timezone.now())
    assert browser.get(open_url).status_code == 200
    # A cookie that was not signed by the site is ignored.
    forger = Client()
    forger.cookies[name] = joined.context["token"]
    assert forger.get(open_url).status_code == 200
    # A personal link of another open link does not resume this one.
    _other, other_token = services.open_link_create(
        scan_round=round_a,
        group=round_a.groups.get(kind="staff"),
        cap=5,
        closes_on=round_a.closes_on,
    )
    stranger = Client()
    stranger.post(reverse("scan_public:open_link", kwargs={"token": other_token}))
    (stranger_cookie,) = (
        c for c in stranger.cookies.values() if c.key.startswith("klantraat_open_")
    )
    stranger.cookies[name] = stranger_cookie.value
    assert stranger.get(open_url).status_code == 200


def test_audit_log_describes_the_new_events(client, people, org_a, version):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT, title="Proef")
    services.respondent_delete(respondent=factories.respondent(draft), user=people["consultant_a"])
    services.round_delete(scan_round=draft, user=people["consultant_a"])
    client.force_login(people["director_a"])
    events = {e.kind: e for e in AuditEvent.objects.all()}
    response = client.get(reverse("scan:audit_log", kwargs={"org": "alfa"}))
    texts = {row["kind"]: row["text"] for row in response.context["events"]}
    assert "Proef" in texts["round_deleted"]
    assert f"#{events['respondent_deleted'].detail['respondent']}" in texts["respondent_deleted"]


@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "abc"])
def test_odd_ids_in_the_respondent_list_and_copy_form_never_break(client, people, round_a, value):
    client.force_login(people["consultant_a"])
    url = reverse("scan:round", kwargs={"org": "alfa", "pk": round_a.pk})
    assert client.get(url, {"group": value}).status_code == 200
    create = reverse("scan:round_create", kwargs={"org": "alfa"})
    assert client.post(create, {"copy_from": value, "title": ""}).status_code == 400  # form errors
