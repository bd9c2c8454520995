"""Every event of the cycle in the audit log, with its actor and a readable text."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.audit import KINDS, audit, audit_rows
from core.models import AuditEvent, AuditKind, Membership
from scan import services
from scan.models import RoundStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def audit_page(client) -> str:
    """The audit log in English (a request may have switched the thread's language)."""
    with translation.override("en"):
        url = reverse("scan:audit_log", kwargs={"org": "alfa"})
    assert url.startswith("/en/")
    return client.get(url).content.decode()


def events(org, kind):
    return list(AuditEvent.objects.filter(organisation=org, kind=kind).order_by("pk"))


def test_opening_closing_and_reopening_a_round_are_logged_with_the_actor(
    client, people, org_a, version
):
    scan_round = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    client.force_login(people["consultant_a"])
    url = reverse("scan:round_status", kwargs={"org": "alfa", "pk": scan_round.pk})
    for status in ("open", "closed", "open"):
        assert client.post(url, {"status": status, "confirm": "1"}).status_code == 302
    kinds = ["round_opened", "round_closed", "round_reopened"]
    for kind in kinds:
        (event,) = events(org_a, kind)
        assert event.actor == people["consultant_a"]
        assert event.detail == {"round": str(scan_round.pk)}
    client.post(url, {"status": "draft"})  # refused: nothing logged
    assert AuditEvent.objects.filter(kind__startswith="round_").count() == 3
    page = audit_page(client)
    for label in ("Round opened", "Round closed", "Round reopened"):
        assert label in page
    assert f"Round “{scan_round.title}”" in page


def test_round_status_change_by_a_service_names_the_user(people, org_a, round_a):
    services.round_set_status(
        scan_round=round_a, status=RoundStatus.CLOSED, user=people["consultant_a"]
    )
    (event,) = events(org_a, "round_closed")
    assert event.actor == people["consultant_a"]


def test_invitations_and_reminders_queued_are_logged_with_counts(client, people, org_a, round_a):
    for i in range(3):
        factories.respondent(round_a, email=f"p{i}@example.org")
    client.force_login(people["coordinator_a"])
    client.post(
        reverse("scan:invitations_send", kwargs={"org": "alfa", "pk": round_a.pk}), {"confirm": "1"}
    )
    (invited,) = events(org_a, "invitations_queued")
    assert invited.actor == people["coordinator_a"]
    assert invited.detail == {"round": str(round_a.pk), "count": "3"}
    client.post(
        reverse("scan:invitations_send", kwargs={"org": "alfa", "pk": round_a.pk}), {"confirm": "1"}
    )
    assert len(events(org_a, "invitations_queued")) == 1  # nothing new queued, nothing logged
    group = round_a.groups.get(kind="staff")
    client.post(
        reverse("scan:reminders_send", kwargs={"org": "alfa", "pk": round_a.pk}),
        {"group": group.pk},
    )
    (reminded,) = events(org_a, "reminders_queued")
    assert reminded.actor == people["coordinator_a"]
    assert reminded.detail == {"round": str(round_a.pk), "count": "3", "group": group.name}
    page = audit_page(client)
    assert "3 invitations for round “Scan 2026”" in page
    assert f"3 reminders for round “Scan 2026”, group: {group.name}" in page


def test_role_change_in_the_cms_is_logged_with_the_consultant(client, people, org_a):
    membership = Membership.objects.get(user=people["workgroup_a"], organisation=org_a)
    client.force_login(people["consultant_a"])
    response = client.post(
        reverse("wagtailsnippets_core_membership:edit", args=[membership.pk]),
        {"user": people["workgroup_a"].pk, "organisation": org_a.pk, "role": "director"},
    )
    assert response.status_code == 302
    event = events(org_a, "role_change")[-1]
    assert event.actor == people["consultant_a"]
    assert event.detail["previous"] == "workgroup" and event.detail["role"] == "director"
    page = audit_page(client)
    assert "workgroup-a@example.org: Working-group member became Director" in page
    assert "role: workgroup" not in page and "role_change" not in page


def test_role_change_outside_a_request_has_no_actor(people, org_a):
    membership = Membership.objects.get(user=people["workgroup_a"], organisation=org_a)
    membership.role = "coordinator"
    membership.save()
    assert events(org_a, "role_change")[-1].actor is None


def test_sign_off_and_withdrawal_have_readable_labels(people, org_a, round_a):
    audit("sign_off", organisation=org_a, actor=people["director_a"], round=round_a.pk)
    audit(
        "sign_off_withdrawn",
        organisation=org_a,
        actor=people["director_a"],
        round=round_a.pk,
        reason="Verkeerde cijfers",
    )
    rows = audit_rows(AuditEvent.objects.filter(organisation=org_a).order_by("pk"))
    assert [(r["label"], r["text"]) for r in rows[-2:]] == [
        ("Review signed off", "Round “Scan 2026”"),
        ("Sign-off withdrawn", "Round “Scan 2026”; reason: Verkeerde cijfers"),
    ]
    with translation.override("nl"):
        assert str(AuditKind.SIGN_OFF_WITHDRAWN.label)  # a lazy, translatable label


def test_every_kind_has_a_label_and_no_raw_detail(people, org_a, round_a):
    for kind in KINDS:
        audit(kind, organisation=org_a, actor=people["director_a"], round=round_a.pk)
    rows = audit_rows(AuditEvent.objects.filter(organisation=org_a))
    labels = dict(AuditKind.choices)
    for row in rows:
        assert row["label"] == labels[row["kind"]] and row["label"] != row["kind"]
        assert "round:" not in row["text"] and f"#{round_a.pk}" not in row["text"]


def test_audit_log_at_is_recent(people, org_a, round_a):
    services.round_set_status(scan_round=round_a, status=RoundStatus.CLOSED)
    (event,) = events(org_a, "round_closed")
    assert (timezone.now() - event.at).total_seconds() < 60 and event.actor is None
