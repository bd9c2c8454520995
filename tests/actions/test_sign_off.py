"""Sign-off freezes a round: every consumer shows the signed figures after more answers
arrive, the round cannot be reopened or answered, and only a director withdraws, with a reason
that is audited while the old snapshot stays in the history."""

import re

import pytest
from django.urls import reverse

from actions import services
from actions.models import Review, WithdrawnSignOff
from core.models import AuditEvent
from core.permissions import access_for
from honeycomb.models import FrozenResults
from honeycomb.results import round_results
from honeycomb.services import report_render, report_request
from scan import services as scan_services
from scan.models import RoundStatus
from scan.services import AnswerInput
from tests import factories
from tests.honeycomb.test_results import forced_answers

pytestmark = pytest.mark.django_db


def sign(scan_round, people, summary="Goede start", final=True):
    review = services.review_for(scan_round)
    review = services.review_save_summary(
        scan_round=scan_round,
        access=access_for(people["consultant_a"], scan_round.organisation),
        summary=summary,
        revision=review.revision,
        final=final,
    )
    return services.review_sign_off(
        scan_round=scan_round,
        access=access_for(people["director_a"], scan_round.organisation),
        comment="Akkoord",
        revision=review.revision,
    )


def pdf_text(pdf: bytes) -> str:
    """The text on the report's pages."""
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)


def figures(client, scan_round):
    """What the page, the Excel export and the API publish for cell KP1 of everyone."""
    from io import BytesIO

    from openpyxl import load_workbook

    page = client.get(reverse("honeycomb:results", kwargs={"org": "alfa", "pk": scan_round.pk}))
    cell = next(c for c in page.context["cells"] if c.code == "KP1")
    excel = client.get(reverse("honeycomb:excel", kwargs={"org": "alfa", "pk": scan_round.pk}))
    sheet = load_workbook(BytesIO(excel.content)).worksheets[1]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[2] == "KP1"]
    return cell.score, cell.n, rows


def test_signed_round_keeps_its_figures_everywhere(client, people, closed_round):
    client.force_login(people["director_a"])
    sign(closed_round, people)
    closed_round.refresh_from_db()
    assert closed_round.signed_at is not None
    before = figures(client, closed_round)
    assert before[0] == 2.0 and before[1] == 5
    job = report_request(scan_round=closed_round, user=people["director_a"], language="nl")
    signed_pdf = pdf_text(report_render(job.pk).pack.read())

    forced_answers(closed_round, "staff", 7, 5, comment="Later")  # arrives after signing
    assert figures(client, closed_round) == before
    from honeycomb.selectors import answers_frame

    assert answers_frame(closed_round)["respondent"].nunique() == 12  # the answers did change
    job.status = "failed"
    job.save()
    later = report_request(scan_round=closed_round, user=None, language="nl")
    assert later.pk != job.pk  # a failed job is never handed back
    later_pdf = pdf_text(report_render(later.pk).pack.read())
    assert "2,0" in later_pdf and "3,8" not in later_pdf  # 5×2 and 7×5 would give 3,75
    assert "2,0" in signed_pdf
    from honeycomb.models import ApiToken  # noqa: F401
    from honeycomb.services import api_token_create

    _token, raw = api_token_create(user=people["director_a"], name="bi")
    api = client.get(
        f"/api/v1/organisations/alfa/rounds/{closed_round.pk}/scores?group=all",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    ).json()
    assert next(r for r in api if r["code"] == "KP1")["mean"] == 2.0
    assert next(r for r in api if r["code"] == "KP1")["n_respondents"] == 5
    review = client.get(reverse("review:round", kwargs={"org": "alfa", "pk": closed_round.pk}))
    assert next(c for c in review.context["cells"] if c.code == "KP1").score == 2.0
    assert review.context["summary"] == "Goede start"


def test_signing_needs_a_final_summary(people, closed_round):
    with pytest.raises(services.CycleError) as refused:
        sign(closed_round, people, final=False)
    assert str(services.SIGN_OFF_NEEDS_FINAL_SUMMARY) in str(refused.value.messages[0])
    review = services.review_for(closed_round)
    with pytest.raises(services.CycleError):
        services.review_sign_off(
            scan_round=closed_round,
            access=access_for(people["director_a"], closed_round.organisation),
            comment="",
            revision=review.revision,
        )
    closed_round.refresh_from_db()
    assert closed_round.signed_at is None and not FrozenResults.objects.exists()


def test_draft_summary_is_marked_as_draft(client, people, closed_round):
    review = services.review_for(closed_round)
    services.review_save_summary(
        scan_round=closed_round,
        access=access_for(people["consultant_a"], closed_round.organisation),
        summary="Nog niet af",
        revision=review.revision,
    )
    client.force_login(people["director_a"])
    page = client.get(reverse("review:round", kwargs={"org": "alfa", "pk": closed_round.pk}))
    assert page.context["summary_is_draft"] and 'id="summary-draft"' in page.content.decode()
    from actions.report import sections

    assert any(
        "Nog niet af" in p and p != "Nog niet af"
        for s in sections(closed_round, "nl")
        for p in s.paragraphs
    )


def test_signed_round_cannot_be_reopened_or_answered(client, people, closed_round):
    respondent = factories.respondent(closed_round, kind="staff")
    sign(closed_round, people)
    with pytest.raises(
        scan_services.ScanError, match=re.escape(str(scan_services.ROUND_SIGNED)[:30])
    ):
        scan_services.round_set_status(scan_round=closed_round, status=RoundStatus.OPEN)
    client.force_login(people["consultant_a"])
    client.post(
        reverse("scan:round_status", kwargs={"org": "alfa", "pk": closed_round.pk}),
        {"status": "open"},
    )
    closed_round.refresh_from_db()
    assert closed_round.status == RoundStatus.CLOSED
    # Even forced open behind the services' back, answers are refused.
    type(closed_round).objects.filter(pk=closed_round.pk).update(status=RoundStatus.OPEN)
    with pytest.raises(scan_services.ScanError):
        scan_services.answers_save(respondent=respondent, answers=[AnswerInput("KP1.1", 5)])


def test_withdrawal_needs_a_director_and_a_reason_and_is_audited(client, people, closed_round):
    signed = sign(closed_round, people)
    first = FrozenResults.objects.get()
    with pytest.raises(services.CycleError):
        services.review_withdraw(
            scan_round=closed_round,
            access=access_for(people["director_a"], closed_round.organisation),
            reason="  ",
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.review_withdraw(
            scan_round=closed_round,
            access=access_for(people["consultant_a"], closed_round.organisation),
            reason="Fout",
        )
    client.force_login(people["director_a"])
    url = reverse("review:round", kwargs={"org": "alfa", "pk": closed_round.pk})
    client.post(url, {"form": "withdraw", "reason": ""})
    assert Review.objects.get().is_signed_off
    client.post(url, {"form": "withdraw", "reason": "Verkeerde groep meegeteld"})
    review = Review.objects.get()
    closed_round.refresh_from_db()
    assert not review.is_signed_off and closed_round.signed_at is None
    event = AuditEvent.objects.get(kind="sign_off_withdrawn")
    assert event.actor == people["director_a"] and "Verkeerde groep" in event.detail["reason"]
    history = WithdrawnSignOff.objects.get()
    assert history.frozen["summary"] == signed.frozen["summary"] and history.reason
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.data["scores"]  # kept, not deleted
    # Signed again later: a new snapshot, the old one still in the history.
    forced_answers(closed_round, "staff", 5, 4)
    factories.release(closed_round)  # the new answers count once they are released
    sign(closed_round, people, summary="Opnieuw")
    assert FrozenResults.objects.count() == 2
    assert round_results(closed_round).cell("KP1").mean == 3.0


def test_frozen_results_never_change(people, closed_round):
    sign(closed_round, people)
    frozen = FrozenResults.objects.get()
    frozen.data = {**frozen.data, "respondents": 99}
    with pytest.raises(ValueError):
        frozen.save()


def test_a_get_of_the_review_page_writes_nothing(client, people, closed_round):
    client.force_login(people["director_a"])
    url = reverse("review:round", kwargs={"org": "alfa", "pk": closed_round.pk})
    assert client.get(url).status_code == 200
    assert not Review.objects.exists()


def test_a_signed_round_with_actions_shows_results_and_cell_pages(client, people, closed_round):
    action = services.action_create(
        access=access_for(people["workgroup_a"], closed_round.organisation),
        title="Monteurs trainen",
        cells=["KP1"],
    )
    sign(closed_round, people)
    client.force_login(people["director_a"])
    kwargs = {"org": "alfa", "pk": closed_round.pk}
    assert client.get(reverse("honeycomb:results", kwargs=kwargs)).status_code == 200
    cell = client.get(reverse("honeycomb:cell", kwargs={**kwargs, "cell": "KP1"}))
    assert cell.status_code == 200
    detail = reverse("actions:detail", kwargs={"org": "alfa", "pk": action.pk})
    assert f'href="{detail}"' in cell.content.decode()
