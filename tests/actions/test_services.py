import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from actions import portfolio, selectors, services
from actions.models import (
    ActionEvent,
    ActionReminder,
    ActionStatus,
    Ambition,
    Evidence,
    ExternalMeasure,
)
from core.permissions import access_for
from core.tabular import ImportRejected
from honeycomb.results import round_results
from scan.models import Respondent, RoundStatus, ScanRound
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


FUTURE = timezone.localdate() + dt.timedelta(days=365)


def test_ambition_versions_keep_history_and_default_targets(people, org_a, closed_round):
    assert services.default_targets(org_a) == {"KV1": 3, "KP1": 3, "KP2": 3}
    services.ambition_set(
        organisation=org_a,
        statement="Gastvrij",
        horizon=FUTURE,
        targets={"KP1": (4, "Reparaties")},
        user=people["director_a"],
    )
    services.ambition_set(
        organisation=org_a,
        statement="Nog gastvrijer",
        horizon=FUTURE,
        targets={"KP1": (5, "")},
        user=people["director_a"],
    )
    assert list(
        Ambition.objects.filter(organisation=org_a).values_list("version", "statement")
    ) == [(2, "Nog gastvrijer"), (1, "Gastvrij")]
    assert services.current_targets(org_a) == {"KP1": 5}
    for kwargs, message in [
        ({"statement": "", "horizon": FUTURE, "targets": {}}, "Describe"),
        ({"statement": "x", "horizon": timezone.localdate(), "targets": {}}, "future"),
        ({"statement": "x", "horizon": FUTURE, "targets": {"ZZ": (3, "")}}, "not part"),
        ({"statement": "x", "horizon": FUTURE, "targets": {"KP1": (6, "")}}, "between 1 and 5"),
    ]:
        with pytest.raises(services.CycleError, match=message):
            services.ambition_set(organisation=org_a, user=None, **kwargs)
    assert Ambition.objects.count() == 2


def test_only_owner_chair_and_consultant_change_an_action(people, org_a, closed_round):
    owner = people["workgroup_a"]
    action = services.action_create(
        access=access_for(owner, org_a), title="Reparatie-app", cells=["KP2"]
    )
    other = factories.member(org_a, "workgroup", email="other-wg@x.nl")
    with pytest.raises(PermissionDenied):
        services.action_change(
            action=action,
            access=access_for(other, action.organisation),
            revision=action.revision,
            title="Gekaapt",
        )
    with pytest.raises(PermissionDenied):
        services.action_change(
            action=action,
            access=access_for(people["director_a"], action.organisation),
            revision=action.revision,
            title="Gekaapt",
        )
    with pytest.raises(PermissionDenied):
        services.action_change(
            action=action,
            access=access_for(people["consultant_b"], action.organisation),
            revision=action.revision,
            title="Gekaapt",
        )
    services.working_group_set(
        organisation=org_a,
        name="Werkgroep",
        chair=people["coordinator_a"],
        members=[owner],
        user=people["consultant_a"],
    )
    changed = services.action_change(
        action=action,
        access=access_for(people["coordinator_a"], action.organisation),
        revision=action.revision,
        status=ActionStatus.PLANNED,
    )
    changed = services.action_change(
        action=changed,
        access=access_for(people["consultant_a"], changed.organisation),
        revision=changed.revision,
        due_on=FUTURE,
    )
    assert changed.revision == 3 and changed.status == "planned"
    assert ActionEvent.objects.filter(action=action, kind="changed").count() == 2


def test_stale_edit_is_refused_not_overwritten(people, org_a, closed_round):
    owner = people["workgroup_a"]
    action = services.action_create(access=access_for(owner, org_a), title="A", cells=["KP1"])
    services.action_change(
        action=action, access=access_for(owner, action.organisation), revision=1, title="B"
    )
    with pytest.raises(services.CycleError, match="changed this action"):
        services.action_change(
            action=action,
            access=access_for(people["consultant_a"], action.organisation),
            revision=1,
            title="C",
        )
    action.refresh_from_db()
    assert action.title == "B"


def test_action_rules(people, org_a, closed_round):
    owner = people["workgroup_a"]
    with pytest.raises(services.CycleError, match="at least one cell"):
        services.action_create(access=access_for(owner, org_a), title="x", cells=[])
    with pytest.raises(services.CycleError, match="Unknown cell"):
        services.action_create(access=access_for(owner, org_a), title="x", cells=["ZZ9"])
    with pytest.raises(services.CycleError, match="member"):
        services.action_create(
            access=access_for(owner, org_a), title="x", cells=["KP1"], owner=people["workgroup_b"]
        )
    with pytest.raises(services.CycleError, match="reason"):
        services.action_create(
            access=access_for(owner, org_a), title="x", cells=["KP1"], status=ActionStatus.DROPPED
        )
    with pytest.raises(PermissionDenied):
        services.action_create(
            access=access_for(people["workgroup_b"], org_a), title="x", cells=["KP1"]
        )
    action = services.action_create(access=access_for(owner, org_a), title="x", cells=["KP1"])
    done = services.action_change(
        action=action,
        access=access_for(owner, action.organisation),
        revision=1,
        status=ActionStatus.DONE,
    )
    assert done.completed_at is not None


def test_evidence_type_size_and_content_are_checked(people, org_a, closed_round):
    owner = people["workgroup_a"]
    action = services.action_create(access=access_for(owner, org_a), title="x", cells=["KP1"])
    pdf = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    update = services.action_progress(
        action=action, access=access_for(owner, action.organisation), note="Gestart", files=[pdf]
    )
    evidence = update.evidence.get()
    assert evidence.original_name == "verslag.pdf" and "verslag" not in evidence.file.name
    for bad, message in [
        (SimpleUploadedFile("virus.exe", b"MZ"), "not allowed"),
        (SimpleUploadedFile("nep.pdf", b"<html>"), "does not look like"),
        (SimpleUploadedFile("groot.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)), "larger than 10 MB"),
    ]:
        with pytest.raises(services.CycleError, match=message):
            fresh = SimpleUploadedFile(
                "verslag.pdf", b"%PDF-1.4 test", content_type="application/pdf"
            )
            services.action_progress(
                action=action,
                access=access_for(owner, action.organisation),
                note="Nog een",
                files=[fresh, bad],
            )
    assert Evidence.objects.count() == 1


def test_reminders_once_per_action_and_period(
    people, org_a, closed_round, django_capture_on_commit_callbacks
):
    owner = people["workgroup_a"]
    today = timezone.localdate()
    services.action_create(
        access=access_for(owner, org_a),
        title="Bijna",
        cells=["KP1"],
        due_on=today + dt.timedelta(days=3),
        status="planned",
    )
    services.action_create(
        access=access_for(owner, org_a),
        title="Te laat",
        cells=["KP1"],
        due_on=today - dt.timedelta(days=2),
        start_on=today - dt.timedelta(days=20),
        status="in_progress",
    )
    services.action_create(
        access=access_for(owner, org_a),
        title="Later",
        cells=["KP1"],
        due_on=today + dt.timedelta(days=40),
    )
    services.action_create(
        access=access_for(owner, org_a),
        title="Klaar",
        cells=["KP1"],
        due_on=today - dt.timedelta(days=2),
        start_on=today - dt.timedelta(days=20),
        status="done",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today) == 2
        assert mail.outbox == []  # queued in the reminder's transaction, sent after commit
    assert services.reminders_send(today) == 0
    assert sorted(m.subject for m in mail.outbox) == ["Due soon: Bijna", "Overdue: Te laat"]
    assert ActionReminder.objects.filter(sent_at__isnull=False).count() == 2
    assert services.reminders_send(today + dt.timedelta(days=7)) == 2  # a new week, a new reminder


def test_evaluation_is_prepared_as_a_draft_once(people, org_a, closed_round):
    factories.respondent(closed_round, kind="tenants", email="huurder@x.nl")
    today = timezone.localdate()
    services.schedule_set(organisation=org_a, interval_months=6, next_due_on=today)
    draft = services.evaluation_prepare(organisation=org_a, today=today)
    assert draft.status == RoundStatus.DRAFT and draft.previous_round == closed_round
    assert set(draft.groups.values_list("kind", flat=True)) == set(
        closed_round.groups.values_list("kind", flat=True)
    )
    assert draft.respondents.filter(email="huurder@x.nl").exists()
    assert not mail.outbox  # nothing is sent
    assert services.evaluation_prepare(organisation=org_a, today=today) is None
    assert ScanRound.objects.filter(previous_round=closed_round).count() == 1
    schedule = org_a.evaluation_schedule
    schedule.refresh_from_db()
    assert schedule.next_due_on > today


def test_measures_import_all_or_nothing(org_a):
    good = "bron;meting;periode;einddatum;waarde;schaal\nAedes;reparaties;2026-K1;2026-03-31;7,4;10\nAedes;betrekken;2026-K1;31-03-2026;7.9;10\n"
    assert (
        services.measures_import(organisation=org_a, filename="m.csv", content=good.encode()) == 2
    )
    bad = "source,measure,period,period_end,value\nAedes,repairs,2026-K2,2026-06-30,7.5\nAedes,unicorns,2026-K2,2026-06-30,7\nAedes,repairs,2026-K3,gisteren,7\nAedes,repairs,2026-K4,2026-12-31,11\n"
    with pytest.raises(ImportRejected) as exc:
        services.measures_import(organisation=org_a, filename="m.csv", content=bad.encode())
    assert [e.split(":")[0] for e in exc.value.errors] == ["Row 3", "Row 4", "Row 5"]
    assert ExternalMeasure.objects.count() == 2


def test_sign_off_only_by_directors_and_freezes(people, org_a, closed_round):
    review = services.review_for(closed_round)
    services.review_save_summary(
        scan_round=closed_round,
        access=access_for(people["consultant_a"], closed_round.organisation),
        summary="Goede start",
        revision=review.revision,
        final=True,
    )
    with pytest.raises(PermissionDenied):
        services.review_save_summary(
            scan_round=closed_round,
            access=access_for(people["director_a"], closed_round.organisation),
            summary="x",
            revision=2,
        )
    for key in ("consultant_a", "coordinator_a", "workgroup_a", "director_b"):
        with pytest.raises(PermissionDenied):
            services.review_sign_off(
                scan_round=closed_round,
                access=access_for(people[key], closed_round.organisation),
                comment="",
                revision=2,
            )
    with pytest.raises(services.CycleError, match="changed while you were reading"):
        services.review_sign_off(
            scan_round=closed_round,
            access=access_for(people["director_a"], closed_round.organisation),
            comment="",
            revision=1,
        )
    signed = services.review_sign_off(
        scan_round=closed_round,
        access=access_for(people["director_a"], closed_round.organisation),
        comment="Akkoord",
        revision=2,
    )
    assert (
        signed.frozen["summary"] == "Goede start"
        and round_results(closed_round).cell("KP1").mean == 2.0
    )
    with pytest.raises(services.CycleError, match="frozen"):
        services.review_save_summary(
            scan_round=closed_round,
            access=access_for(people["consultant_a"], closed_round.organisation),
            summary="Anders",
            revision=signed.revision,
        )
    with pytest.raises(services.CycleError, match="already"):
        services.review_sign_off(
            scan_round=closed_round,
            access=access_for(people["director_a"], closed_round.organisation),
            comment="",
            revision=signed.revision,
        )
    # Later answers do not change what was signed.
    Respondent.objects.filter(round=closed_round).update(submitted_at=None)
    closed_round.refresh_from_db()
    assert round_results(closed_round).cell("KP1").mean == 2.0


def test_sector_comparison_needs_five_organisations(version):
    from tests.actions.conftest import answer_round

    for i in range(5):
        org = factories.OrganisationFactory()
        scan_round = factories.scan_round(org, version=version)
        answer_round(scan_round, "staff", 5, 2 + i % 3)
        factories.release(scan_round)
        if i == 3:
            assert portfolio.sector_comparison() is None
    sector = portfolio.sector_comparison()
    assert sector["n"] == 5 and sector["min"] == 2.0 and sector["max"] == 4.0


def test_action_effect_is_shown_beside_change(people, org_a, version, closed_round):
    from tests.actions.conftest import answer_round

    closed_round.opens_on = timezone.localdate() - dt.timedelta(days=60)
    closed_round.closes_on = timezone.localdate() - dt.timedelta(days=30)
    closed_round.save()
    action = services.action_create(
        access=access_for(people["workgroup_a"], org_a), title="x", cells=["KP1"]
    )
    services.action_change(
        action=action,
        access=access_for(people["workgroup_a"], action.organisation),
        revision=1,
        status=ActionStatus.DONE,
    )
    second = factories.scan_round(
        org_a,
        version=version,
        previous_round=closed_round,
        closes_on=timezone.localdate() + dt.timedelta(days=3),
    )
    answer_round(second, "staff", 5, 3)
    factories.release(second)
    effect = {row["cell"]: row for row in selectors.action_effect(org_a, second)}
    assert effect["KP1"]["completed"] == 1 and effect["KP1"]["change"] == pytest.approx(1.0)
    assert effect["KV1"]["completed"] == 0


def test_measures_import_reports_every_problem_at_once(org_a):
    bad = (
        "Bron;Meting;Periode;Einddatum;Waarde\r\n"
        "Aedes;reparaties;2026-K1;2026-03-31;7,4\r\n"
        ";;;;\r\n"
        "=cmd;eenhoorns;2026-K2;morgen;12\r\n"
    )
    with pytest.raises(ImportRejected) as exc:
        services.measures_import(organisation=org_a, filename="m.csv", content=bad.encode())
    text = "\n".join(exc.value.errors)
    assert all(e.startswith("Row 4") for e in exc.value.errors)
    assert "=cmd" in text and "eenhoorns" in text and "morgen" in text
    assert ExternalMeasure.objects.count() == 0


def test_the_ambition_proposes_the_level_the_workshop_agreed(people, org_a, closed_round):
    from scan.models import Consensus

    Consensus.objects.create(
        round=closed_round, cell_code="KP1", level=2, reason="Samen besloten", recorded_by=None
    )
    basis = services.ambition_basis(org_a)
    assert basis["KP1"]["agreed"] == 2 and basis["KP1"]["score"] is not None
    assert services.default_targets(org_a)["KP1"] == 2  # not the current level + 1
    assert services.default_targets(org_a)["KV1"] == 3
