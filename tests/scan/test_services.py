import datetime as dt

import pytest
import yaml
from django.core import mail
from django.utils import timezone

from core import outbox
from core.models import OutgoingMail
from core.tokens import token_digest
from scan import services
from scan.modelfile import ModelFileError
from scan.models import (
    Answer,
    MaturityModel,
    ModelVersion,
    Respondent,
    RespondentToken,
    RoundStatus,
)
from scan.services import AnswerInput, LinkProblem, ScanError
from tests import factories
from tests.model_document import document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Dutch texts are checked by the view tests."""
    from django.utils import translation

    with translation.override("en"):
        yield


# --- model versions ------------------------------------------------------------------------


def test_publishing_freezes_an_immutable_version_and_rounds_keep_theirs(round_a):
    model = MaturityModel.objects.get(code="testmodel")
    v1 = round_a.model_version
    doc = document()
    doc["domains"][1]["cells"][1]["statements"][0]["text"]["nl"] = (
        "Klachten worden binnen een week opgelost."
    )
    services.model_import(text=yaml.safe_dump(doc, allow_unicode=True), publish=True)
    v2 = model.versions.order_by("-number").first()
    assert (v1.number, v2.number) == (1, 2)
    round_a.refresh_from_db()
    assert round_a.model_version_id == v1.pk
    assert (
        v1.document["domains"][1]["cells"][1]["statements"][0]["text"]["nl"]
        == "Klachten worden snel opgelost."
    )
    with pytest.raises(Exception, match="cannot be changed"):
        v1.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        v1.delete()


def test_publishing_unchanged_content_reuses_the_version(version):
    model = version.model
    assert services.model_version_publish(model=model) == version
    assert model.versions.count() == 1


def test_import_as_draft_does_not_publish(db):
    model = services.model_import(text=yaml.safe_dump(document()), publish=False)
    assert model.live is False
    assert not ModelVersion.objects.exists()


def test_invalid_import_changes_nothing(version):
    before = MaturityModel.objects.get(code="testmodel").latest_revision_id
    doc = document()
    doc["levels"] = doc["levels"][:3]
    with pytest.raises(ModelFileError):
        services.model_import(text=yaml.safe_dump(doc), publish=True)
    assert MaturityModel.objects.get(code="testmodel").latest_revision_id == before
    assert ModelVersion.objects.count() == 1


def test_default_model_round_trips_through_the_cms_with_group_descriptors(db):
    from pathlib import Path

    from scan.modelfile import parse_model_file

    text = (
        Path(services.__file__).parents[1] / "default_models" / "woningcorporatie.yaml"
    ).read_text(encoding="utf-8")
    model = services.model_import(text=text, publish=True)
    exported = yaml.safe_load(services.model_export(model, "yaml"))
    assert (
        exported["domains"][0]["cells"][0]["group_descriptors"]
        == parse_model_file(text)["domains"][0]["cells"][0]["group_descriptors"]
    )


def test_export_round_trips(version):
    exported = services.model_export(version.model, "yaml")
    assert yaml.safe_load(exported) == version.document


# --- tokens -------------------------------------------------------------------------------


def test_links_are_random_and_stored_only_as_hash(round_a):
    respondent = factories.respondent(round_a)
    first = services.respondent_issue_link(respondent)
    second = services.respondent_issue_link(respondent)
    assert first != second and len(first) >= 43
    stored = list(RespondentToken.objects.values_list("token_hash", flat=True))
    assert token_digest(first) in stored
    assert first not in stored and all(len(h) == 64 for h in stored)
    assert services.respondent_for_token(first) == respondent
    assert services.respondent_for_token(second) == respondent


def test_revoked_and_unknown_and_tampered_links(round_a):
    respondent = factories.respondent(round_a)
    token = services.respondent_issue_link(respondent)
    services.respondent_revoke_links(respondent=respondent)
    with pytest.raises(LinkProblem) as exc:
        services.respondent_for_token(token)
    assert exc.value.reason == "revoked"
    for bad in [
        "",
        "short",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "../../etc/passwd" * 3,
    ]:
        with pytest.raises(LinkProblem) as exc:
            services.respondent_for_token(bad)
        assert exc.value.reason == "unknown"
    token_again = services.respondent_issue_link(respondent)
    assert services.respondent_for_token(token_again) == respondent


def test_links_expire_when_the_round_closes(round_a):
    respondent = factories.respondent(round_a)
    token = services.respondent_issue_link(respondent)
    round_a.closes_on = timezone.localdate() - dt.timedelta(days=1)
    round_a.opens_on = round_a.closes_on - dt.timedelta(days=5)
    round_a.save()
    with pytest.raises(LinkProblem) as exc:
        services.respondent_for_token(token)
    assert exc.value.reason == "closed"
    round_a.closes_on = timezone.localdate() + dt.timedelta(days=3)
    round_a.status = RoundStatus.CLOSED
    round_a.save()
    with pytest.raises(LinkProblem) as exc:
        services.respondent_for_token(token)
    assert exc.value.reason == "closed"


def test_draft_round_links_do_not_open_yet(org_a, version):
    draft = factories.scan_round(org_a, status=RoundStatus.DRAFT, version=version)
    token = services.respondent_issue_link(factories.respondent(draft))
    with pytest.raises(LinkProblem) as exc:
        services.respondent_for_token(token)
    assert exc.value.reason == "not_open"


# --- answers ------------------------------------------------------------------------------


def test_answers_save_is_idempotent_and_validated(round_a):
    respondent = factories.respondent(round_a, kind="tenants")
    step = [AnswerInput("KP1.1", 4, "prima"), AnswerInput("KP1.2", None)]
    services.answers_save(respondent=respondent, answers=step, cell_code="KP1", step_comment="Goed")
    services.answers_save(respondent=respondent, answers=step, cell_code="KP1", step_comment="Goed")
    assert Answer.objects.filter(respondent=respondent).count() == 2
    assert Answer.objects.get(respondent=respondent, statement_code="KP1.2").level is None
    bad = [
        (AnswerInput("XX9.9", 3), "unknown_statement"),
        (AnswerInput("KV1.2", 3), "wrong_group"),  # tenants are not asked KV1.2
        (AnswerInput("KP2.1", 6), "level_range"),
        (AnswerInput("KP2.1", 0), "level_range"),
        (AnswerInput("KP2.1", 3, "x" * 2001), "comment_length"),
    ]
    for item, code in bad:
        with pytest.raises(ScanError) as exc:
            services.answers_save(respondent=respondent, answers=[AnswerInput("KP2.1", 2), item])
        assert exc.value.code == code
    # A rejected call writes nothing, not even its valid part.
    assert not Answer.objects.filter(respondent=respondent, statement_code="KP2.1").exists()


def test_submit_requires_every_statement_and_locks(round_a):
    respondent = factories.respondent(round_a, kind="tenants")
    services.answers_save(
        respondent=respondent, answers=[AnswerInput("KV1.1", 3), AnswerInput("KP1.1", 2)]
    )
    with pytest.raises(ScanError) as exc:
        services.respondent_submit(respondent)
    assert exc.value.code == "incomplete"
    services.answers_save(
        respondent=respondent, answers=[AnswerInput("KP1.2", 3), AnswerInput("KP2.1", None)]
    )
    services.respondent_submit(respondent)
    first = Respondent.objects.get(pk=respondent.pk).submitted_at
    services.respondent_submit(respondent)  # twice is harmless
    assert Respondent.objects.get(pk=respondent.pk).submitted_at == first
    with pytest.raises(ScanError) as exc:
        services.answer_save(respondent=respondent, statement_code="KP2.1", level=5)
    assert exc.value.code == "submitted"
    assert Answer.objects.get(respondent=respondent, statement_code="KP2.1").level is None


# --- import -------------------------------------------------------------------------------


def test_csv_import_all_or_nothing(round_a):
    good = "email;group;name;department\na@x.nl;staff;Anna;Wonen\nb@x.nl;huurders;;\n"
    report = services.respondents_import(
        scan_round=round_a, filename="lijst.csv", content=good.encode()
    )
    assert len(report.created) == 2
    bad = "email,group\nc@x.nl,staff\nnot-an-email,staff\nd@x.nl,aliens\n"
    with pytest.raises(services.ImportRejected) as exc:
        services.respondents_import(scan_round=round_a, filename="lijst.csv", content=bad.encode())
    assert len(exc.value.errors) == 2
    assert exc.value.errors[0].startswith("Row 3") and "not-an-email" in exc.value.errors[0]
    assert exc.value.errors[1].startswith("Row 4") and "aliens" in exc.value.errors[1]
    assert not Respondent.objects.filter(email="c@x.nl").exists()


def test_import_reports_duplicates_without_doubling(round_a):
    services.respondents_import(
        scan_round=round_a, filename="a.csv", content=b"email,group\na@x.nl,staff\n"
    )
    # Twice in one file is a mistake in the file: nothing is imported.
    with pytest.raises(services.ImportRejected, match="Row 4"):
        services.respondents_import(
            scan_round=round_a,
            filename="b.csv",
            content=b"email,group\nA@x.nl,staff\nb@x.nl,staff\nB@x.nl,staff\n",
        )
    # Already in the round is reported and left alone.
    report = services.respondents_import(
        scan_round=round_a,
        filename="b.csv",
        content=b"email,group\nA@x.nl,staff\nb@x.nl,staff\n",
    )
    assert [r.email for r in report.created] == ["b@x.nl"]
    assert len(report.duplicates) == 1
    assert Respondent.objects.filter(round=round_a).count() == 2


def test_import_xlsx_and_malformed_files(round_a):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["E-mail", "Groep", "Naam"])
    book.active.append(["x@y.nl", "tenants", "Xander"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.respondents_import(
        scan_round=round_a, filename="lijst.xlsx", content=buffer.getvalue()
    )
    assert report.created[0].group.kind == "tenants"
    for name, content, message in [
        ("lijst.xlsx", b"not a zip", "cannot be read"),
        ("lijst.pdf", b"%PDF", "Upload a .csv or .xlsx"),
        ("lijst.csv", b"", "no rows"),
        ("lijst.csv", b"naam\nx\n", "header must name"),
        ("lijst.csv", b"email,group\n" + b"a" * (2 * 1024 * 1024), "larger than 2 MB"),
    ]:
        with pytest.raises(services.ImportRejected, match=message):
            services.respondents_import(scan_round=round_a, filename=name, content=content)


# --- mail ---------------------------------------------------------------------------------


def test_invitations_are_sent_once_with_a_working_link(round_a, django_capture_on_commit_callbacks):
    factories.respondent(round_a, email="a@x.nl")
    factories.respondent(round_a, email="b@x.nl")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_queue(scan_round=round_a) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_queue(scan_round=round_a) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.nl", "b@x.nl"]
    body = mail.outbox[0].body
    token = body.split("/r/")[1].split("/")[0]
    assert services.respondent_for_token(token).email == mail.outbox[0].to[0]
    # A retried task for an already-sent mail sends nothing.
    for outgoing in OutgoingMail.objects.all():
        assert outbox.mail_send(outgoing.pk) is False
    assert len(mail.outbox) == 2


def test_a_mail_sent_again_after_a_crash_keeps_its_message_id(
    round_a, settings, django_capture_on_commit_callbacks
):
    """A crash between the SMTP hand-off and recording sent_at makes the mail go out again;
    it then carries the same Message-ID (from the row and the site, never the link token), so
    mail clients show it once."""
    settings.KLANTRAAT_BASE_URL = "https://scan.klantraat.nl"
    factories.respondent(round_a, email="a@x.nl")
    factories.respondent(round_a, email="b@x.nl")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitations_queue(scan_round=round_a)
    outgoing = OutgoingMail.objects.get(respondent_mail__respondent__email="a@x.nl")
    for callback in callbacks:
        callback()
    # The crash: the mail left, but its row was never marked (it keeps its nonce).
    OutgoingMail.objects.filter(pk=outgoing.pk).update(
        sent_at=None, claimed_at=None, status="queued", link_nonce=outgoing.link_nonce
    )
    assert outbox.mail_send(outgoing.pk) is True
    first, again = [m for m in mail.outbox if m.to == ["a@x.nl"]]
    (other,) = [m for m in mail.outbox if m.to == ["b@x.nl"]]
    message_id = first.message()["Message-ID"]
    assert message_id == again.message()["Message-ID"] == outbox.mail_message_id(outgoing)
    assert message_id.startswith(f"<mail-{outgoing.pk}.")
    assert message_id.endswith("@scan.klantraat.nl>")
    assert other.message()["Message-ID"] != message_id
    tokens = {sent.body.split("/r/")[1].split("/")[0] for sent in (first, again)}
    assert len(tokens) == 1  # the same link both times
    assert tokens.pop() not in message_id


def test_reminders_only_for_unsubmitted_and_once_a_day(round_a, django_capture_on_commit_callbacks):
    done = factories.respondent(round_a, email="done@x.nl")
    factories.respondent(round_a, email="todo@x.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_queue(scan_round=round_a)
    Respondent.objects.filter(pk=done.pk).update(submitted_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(scan_round=round_a) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(scan_round=round_a) == 0
    assert [m.to[0] for m in mail.outbox] == ["todo@x.nl"]


def test_mail_template_from_cms_is_used(round_a, django_capture_on_commit_callbacks):
    from scan.models import MailTemplate

    MailTemplate.objects.create(
        kind="invitation", language="nl", subject="Doe mee, {name}!", body="Hallo {name}: {link}"
    )
    factories.respondent(round_a, email="a@x.nl", name="Anna")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_queue(scan_round=round_a)
    assert mail.outbox[0].subject == "Doe mee, Anna!"
    assert mail.outbox[0].body.startswith("Hallo Anna: http")


def test_open_link_cap_and_personal_links(round_a):
    group = round_a.groups.get(kind="tenants")
    link, token = services.open_link_create(
        scan_round=round_a, group=group, cap=2, closes_on=round_a.closes_on
    )
    r1, p1 = services.open_link_join(token)
    r2, _p2 = services.open_link_join(token)
    assert r1.group == group and r1.email == "" and r1 != r2
    assert services.respondent_for_token(p1) == r1
    with pytest.raises(LinkProblem) as exc:
        services.open_link_join(token)
    assert exc.value.reason == "full"
    with pytest.raises(ScanError):
        services.open_link_create(
            scan_round=round_a,
            group=group,
            cap=2,
            closes_on=round_a.closes_on + dt.timedelta(days=1),
        )


def test_consensus_is_validated_and_stored_beside_answers(round_a, people):
    services.consensus_record(
        scan_round=round_a, cell_code="KP1", level=3, reason="Eens", user=people["consultant_a"]
    )
    services.consensus_record(
        scan_round=round_a,
        cell_code="KP1",
        level=4,
        reason="Toch beter",
        user=people["consultant_a"],
    )
    assert round_a.consensus.get().level == 4
    for kwargs in [
        {"cell_code": "ZZ", "level": 3, "reason": "x"},
        {"cell_code": "KP1", "level": 6, "reason": "x"},
        {"cell_code": "KP1", "level": 3, "reason": " "},
    ]:
        with pytest.raises(ScanError):
            services.consensus_record(scan_round=round_a, user=None, **kwargs)


@pytest.mark.django_db
def test_saving_answers_reads_the_rounds_status_from_the_database_not_the_callers_copy(round_a):
    respondent = factories.respondent(round_a, kind="staff")
    loaded_while_open = Respondent.objects.select_related("round").get(pk=respondent.pk)
    # Closed by someone else after the caller loaded it: refused.
    services.round_set_status(scan_round=round_a, status="closed")
    with pytest.raises(ScanError) as refused:
        services.answers_save(respondent=loaded_while_open, answers=[AnswerInput("KV1.1", 3)])
    assert refused.value.code == "closed"
    assert not respondent.answers.exists()
    # Opened again after the caller loaded the closed round: accepted.
    loaded_while_closed = Respondent.objects.select_related("round").get(pk=respondent.pk)
    services.round_set_status(scan_round=round_a, status="open")
    assert loaded_while_closed.round.status == "closed"
    services.answers_save(respondent=loaded_while_closed, answers=[AnswerInput("KV1.1", 3)])
    assert respondent.answers.get().level == 3
