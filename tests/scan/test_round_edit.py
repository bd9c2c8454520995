"""Editing a round after creation, closing early, asking the consultant, and the dates an
evaluation prepared from a round gets."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import services as cycle
from core.models import AuditEvent, OutgoingMail
from core.permissions import access_for
from scan import services
from scan.models import RoundStatus
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def change(scan_round, **kwargs):
    values = {
        "title": scan_round.title,
        "period": scan_round.period,
        "opens_on": scan_round.opens_on,
        "closes_on": scan_round.closes_on,
        "min_group_size": scan_round.min_group_size,
        **kwargs,
    }
    return services.RoundChange(**values)


def test_consultant_edits_a_draft_round_and_the_change_is_audited(client, people, org_a, version):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    client.force_login(people["consultant_a"])
    url = reverse("scan:round_edit", kwargs={"org": "alfa", "pk": draft.pk})
    assert client.get(url).status_code == 200
    opens = TODAY + dt.timedelta(days=10)
    response = client.post(
        url,
        {
            "title": "Nulmeting",
            "period": "winter",
            "opens_on": opens.isoformat(),
            "closes_on": (opens + dt.timedelta(days=20)).isoformat(),
            "min_group_size": "4",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.period, draft.opens_on, draft.min_group_size) == (
        "Nulmeting",
        "winter",
        opens,
        4,
    )
    event = AuditEvent.objects.get(kind="round_edited")
    assert event.actor == people["consultant_a"] and "Nulmeting" in event.detail["title"]
    page = client.get(reverse("scan:audit_log", kwargs={"org": "alfa"})).content.decode()
    assert "Nulmeting" in page


def test_bad_dates_change_nothing(client, people, org_a, version):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    client.force_login(people["consultant_a"])
    url = reverse("scan:round_edit", kwargs={"org": "alfa", "pk": draft.pk})
    response = client.post(
        url,
        {
            "title": "X",
            "period": "y",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY - dt.timedelta(days=3)).isoformat(),
            "min_group_size": "5",
        },
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title != "X" and not AuditEvent.objects.filter(kind="round_edited").exists()


def test_threshold_is_locked_once_someone_answered(org_a, version):
    scan_round = factories.scan_round(org_a, version=version)
    respondent = factories.respondent(scan_round, email="a@x.nl")
    services.answers_save(respondent=respondent, answers=[services.AnswerInput("KP1.1", 3)])
    with pytest.raises(services.ScanError):
        services.round_update(scan_round=scan_round, change=change(scan_round, min_group_size=3))
    assert services.round_update(scan_round=scan_round, change=change(scan_round, title="Nieuw"))


def test_closing_early_records_the_day_and_dates_can_be_corrected_afterwards(org_a, version):
    scan_round = factories.scan_round(
        org_a, version=version, closes_on=TODAY + dt.timedelta(days=21)
    )
    services.round_set_status(scan_round=scan_round, status=RoundStatus.CLOSED)
    scan_round.refresh_from_db()
    assert scan_round.closes_on == TODAY
    earlier = TODAY - dt.timedelta(days=1)
    services.round_update(
        scan_round=scan_round, change=change(scan_round, opens_on=earlier - dt.timedelta(days=5))
    )
    with pytest.raises(services.ScanError):  # a closed round did not close in the future
        services.round_update(
            scan_round=scan_round, change=change(scan_round, closes_on=TODAY + dt.timedelta(2))
        )


def test_evaluation_prepared_after_an_early_close_opens_on_schedule_not_weeks_later(
    org_a, version, people
):
    baseline = factories.scan_round(org_a, version=version, closes_on=TODAY + dt.timedelta(days=21))
    services.round_set_status(scan_round=baseline, status=RoundStatus.CLOSED)
    draft = cycle.evaluation_prepare_now(access=access_for(people["consultant_a"], org_a))
    assert draft.opens_on >= TODAY + dt.timedelta(days=150)
    cycle.schedule_set(
        organisation=org_a, interval_months=12, next_due_on=dt.date(TODAY.year + 1, 12, 27)
    )
    assert services.round_date_warnings(dt.date(2027, 12, 27), dt.date(2028, 1, 20))
    assert not services.round_date_warnings(dt.date(2028, 1, 5), dt.date(2028, 2, 1))


def test_coordinator_asks_the_consultant_to_open_a_draft_round(
    client, people, org_a, version, django_capture_on_commit_callbacks
):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": draft.pk}))
    assert "Vraag de adviseur de ronde te openen" in page.content.decode()
    url = reverse("scan:ask_consultant", kwargs={"org": "alfa"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"what": "open_round", "round": draft.pk})
    # Through the outbox.
    assert OutgoingMail.objects.get().recipient == people["consultant_a"].email
    assert [m.to for m in mail.outbox] == [[people["consultant_a"].email]]
    assert mail.outbox[0].reply_to == [people["coordinator_a"].email]  # answers reach the asker
    assert draft.title in mail.outbox[0].body
    assert f"/rounds/{draft.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"what": "open_round", "round": draft.pk})  # not twice in an hour
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(kind="consultant_asked").count() == 1
    client.force_login(people["director_a"])
    assert client.post(url, {"what": "open_round", "round": draft.pk}).status_code == 403


def test_a_draft_round_offers_no_mail_in_the_bulk_actions(client, people, org_a, version):
    draft = factories.scan_round(org_a, version=version, status=RoundStatus.DRAFT)
    respondent = factories.respondent(draft, email="a@x.nl")
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": draft.pk}))
    assert 'value="invite"' not in page.content.decode()
    url = reverse("scan:respondents_bulk", kwargs={"org": "alfa", "pk": draft.pk})
    response = client.post(url, {"action": "invite", "respondent": respondent.pk})
    assert response.status_code == 302  # straight back with a message, never a confirmation


def test_opening_asks_for_confirmation_and_a_refusal_comes_before_it(
    client, people, org_a, version
):
    past = factories.scan_round(
        org_a,
        version=version,
        status=RoundStatus.DRAFT,
        opens_on=TODAY - dt.timedelta(days=30),
        closes_on=TODAY - dt.timedelta(days=2),
    )
    client.force_login(people["consultant_a"])
    url = reverse("scan:round_status", kwargs={"org": "alfa", "pk": past.pk})
    response = client.post(url, {"status": "open"})
    assert response.status_code == 302  # no confirmation that would end in a refusal
    past.refresh_from_db()
    assert past.status == RoundStatus.DRAFT


def test_invitations_show_a_mail_per_group_first_and_a_get_goes_back(
    client, people, org_a, version
):
    scan_round = factories.scan_round(org_a, version=version)
    factories.respondent(scan_round, email="t@x.nl", kind="tenants", name="Teun")
    factories.respondent(scan_round, email="s@x.nl", kind="staff", name="Sanne")
    client.force_login(people["coordinator_a"])
    url = reverse("scan:invitations_send", kwargs={"org": "alfa", "pk": scan_round.pk})
    assert client.get(url).status_code == 302
    page = client.post(url).content.decode()
    assert page.count('class="mail-preview"') == 2 and "Teun" in page and "Sanne" in page
    assert not mail.outbox


def test_a_closed_round_offers_no_adding_or_import(client, people, org_a, version):
    closed = factories.scan_round(org_a, version=version, status=RoundStatus.CLOSED)
    client.force_login(people["coordinator_a"])
    page = client.get(reverse("scan:round", kwargs={"org": "alfa", "pk": closed.pk}))
    assert 'id="id_file"' not in page.content.decode()


def test_respondent_list_exports_as_csv_and_excel_formula_safe(client, people, org_a, version):
    import io

    import openpyxl

    scan_round = factories.scan_round(org_a, version=version)
    factories.respondent(scan_round, email="a@x.nl", name="=HYPERLINK(1)")
    client.force_login(people["coordinator_a"])
    url = reverse(
        "scan:respondents_export", kwargs={"org": "alfa", "pk": scan_round.pk, "fmt": "csv"}
    )
    text = client.get(url).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1);a@x.nl" in text
    url = url.replace("export.csv", "export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url).content)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"
    assert AuditEvent.objects.filter(kind="export").count() == 2
    client.force_login(people["director_a"])
    assert client.get(url).status_code == 403
