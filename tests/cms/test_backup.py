import pytest
from django.core.management import call_command

from core.audit import audit
from core.models import AuditEvent, AuditKind, Membership, Organisation
from honeycomb.results import round_results
from scan import services
from scan.models import Answer, Respondent, ScanRound
from scan.services import AnswerInput
from tests import factories

pytestmark = pytest.mark.django_db

STATEMENTS = ["KV1.1", "KV1.2", "KP1.1", "KP1.2", "KP2.1"]


def answered(scan_round, n):
    out = []
    for i in range(n):
        r = factories.respondent(scan_round, kind="staff", name=f"Persoon {i}", department="Wonen")
        services.answers_save(
            respondent=r,
            answers=[AnswerInput(c, 2 + i % 3, "ik ben Persoon") for c in STATEMENTS],
            cell_code="KP1",
            step_comment="Mijn naam is Persoon",
        )
        services.respondent_submit(r)
        out.append(r)
    return out


def test_backup_and_restore_an_organisation(tmp_path, people, org_a, round_a, round_b):
    answered(round_a, 6)
    before = round_results(round_a).scores.cells["mean"].to_dict()
    counts = (
        Respondent.objects.filter(round=round_a).count(),
        Answer.objects.filter(respondent__round=round_a).count(),
    )
    path = tmp_path / "alfa.json"
    call_command("backup_organisation", str(path), organisation="alfa")
    Organisation.objects.filter(slug="alfa").delete()
    assert not ScanRound.objects.filter(pk=round_a.pk).exists()
    assert ScanRound.objects.filter(pk=round_b.pk).exists()  # another organisation is untouched
    call_command("backup_organisation", str(path), restore=True)
    restored = ScanRound.objects.get(pk=round_a.pk)
    assert (
        Respondent.objects.filter(round=restored).count(),
        Answer.objects.filter(respondent__round=restored).count(),
    ) == counts
    assert round_results(restored).scores.cells["mean"].to_dict() == before


def test_a_backup_written_before_organisations_moved_to_core_restores(tmp_path, people, round_a):
    """Such a file names the models scan.organisation, scan.membership and scan.auditevent."""
    org = round_a.organisation
    audit(AuditKind.ROUND_OPENED, organisation=org, round=round_a.pk)
    members = sorted(Membership.objects.filter(organisation=org).values_list("user__email", "role"))
    events = AuditEvent.objects.filter(organisation=org).count()
    path = tmp_path / "old.json"
    call_command("backup_organisation", str(path), organisation=org.slug)
    text = path.read_text(encoding="utf-8")
    for model in ("organisation", "membership", "auditevent"):
        text = text.replace(f'"model": "core.{model}"', f'"model": "scan.{model}"')
    assert '"model": "scan.membership"' in text and '"model": "core.' not in text
    path.write_text(text, encoding="utf-8")
    Organisation.objects.filter(pk=org.pk).delete()
    call_command("backup_organisation", str(path), restore=True)
    restored = Organisation.objects.get(pk=org.pk)
    assert restored.slug == org.slug
    assert (
        sorted(Membership.objects.filter(organisation=restored).values_list("user__email", "role"))
        == members
    )
    assert AuditEvent.objects.filter(organisation=restored).count() == events >= 1
    assert ScanRound.objects.filter(pk=round_a.pk, organisation=restored).exists()


def test_broken_backup_restores_nothing(tmp_path, db):
    path = tmp_path / "broken.json"
    path.write_text(
        '[{"model": "scan.organisation", "pk": 99, "fields": {"name": "X", "slug": "x"}}, {"model": "scan.scanround", "pk": 5, "fields": {}}]'
    )
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("backup_organisation", str(path), restore=True)
    assert not Organisation.objects.filter(pk=99).exists()


def test_erasing_personal_data_keeps_the_scores(round_a):
    respondents = answered(round_a, 5)
    before = round_results(round_a).scores.cells["mean"].to_dict()
    target = respondents[0]
    token = services.respondent_issue_link(target)
    email = target.email
    from django.core.management import call_command as run

    run("erase_respondent", email)
    target.refresh_from_db()
    assert (target.email, target.name, target.department) == ("", "", "")
    assert target.personal_data_erased_at is not None
    assert not Answer.objects.filter(respondent=target).exclude(comment="").exists()
    assert not target.step_comments.exists()
    with pytest.raises(services.LinkProblem):
        services.respondent_for_token(token)
    assert round_results(round_a).scores.cells["mean"].to_dict() == before
