"""Changes in the honeycomb app: board report jobs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from scan.dispatch import task_delay
from scan.modeldoc import localised
from scan.models import ScanRound
from scan.selectors import model_doc

from . import presenters, selectors
from .models import FrozenResults, ReportJob, ReportStatus
from .report import ReportSection, build_report
from .results import round_results


def report_request(*, scan_round: ScanRound, user, language: str) -> ReportJob:
    """Queue a report; a report already queued or being made for this round is reused."""
    with transaction.atomic():
        running = (
            ReportJob.objects.select_for_update()
            .filter(
                round=scan_round,
                language=language,
                status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING],
            )
            .first()
        )
        if running:
            return running
        job = ReportJob.objects.create(round=scan_round, requested_by=user, language=language)

        transaction.on_commit(lambda: task_delay("honeycomb.tasks.render_report_task", job.pk))
    return job


def _extra_sections(scan_round: ScanRound, language: str) -> list[ReportSection]:
    """Apps that build on the honeycomb (the improvement cycle) add sections through the
    ``klantraat_report_sections`` hook: each takes the round and the language."""
    from wagtail import hooks

    sections: list[ReportSection] = []
    for hook in hooks.get_hooks(selectors.REPORT_SECTIONS_HOOK):
        sections.extend(hook(scan_round, language))
    return sections


def report_render(job_id: int) -> ReportJob | None:
    job = (
        ReportJob.objects.select_related("round__organisation", "round__model_version")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.status == ReportStatus.READY:
        return job

    def progress(pct: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=pct)

    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, progress=5, error="")
    scan_round = job.round
    try:
        with translation.override(job.language):
            language = job.language
            doc = model_doc(scan_round)
            results = round_results(scan_round, with_previous=False)
            progress(20)
            cells = presenters.honeycomb_cells(results, doc, group="all", language=language)
            by_domain = [
                (
                    localised(d.name, language),
                    localised(d.description, language),
                    [c for c in cells if c.domain_code == d.code],
                )
                for d in doc.domains
            ]
            gaps = [
                (row["cell"], row["a"], row["b"], row["gap"])
                for row in presenters.gap_rows(results, doc, language=language)
            ]
            comments = {c.code: results.comments(c.code) for c in doc.cells}
            pdf = build_report(
                organisation=scan_round.organisation.name,
                round_title=scan_round.title,
                period=scan_round.period,
                cells=cells,
                domains=by_domain,
                gaps=gaps,
                comments=comments,
                threshold=scan_round.min_group_size,
                respondents=results.respondents,
                signed=results.is_frozen,
                sections=_extra_sections(scan_round, language),
                progress=progress,
            )
    except Exception as exc:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportStatus.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportStatus.READY, progress=100, pdf=pdf, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


class FreezeError(ValueError):
    """A sign-off freeze or withdrawal that is not possible; the message says why."""


RESULTS_ALREADY_FROZEN = gettext_lazy("This round's results are already signed off.")
WITHDRAWAL_NEEDS_REASON = gettext_lazy("Give a reason for withdrawing the sign-off.")
NOT_FROZEN = gettext_lazy("This round's results are not signed off.")


@transaction.atomic
def results_freeze(*, scan_round: ScanRound, user) -> FrozenResults:
    """Freeze a round's results as they are now: from here on every consumer reads the
    snapshot, and the round can be neither reopened nor answered."""
    from .results import round_results

    locked = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if (
        locked.signed_at is not None
        or FrozenResults.objects.in_force().filter(round=locked).exists()
    ):
        raise FreezeError(RESULTS_ALREADY_FROZEN)
    results = round_results(locked)
    doc = model_doc(locked)
    frozen = FrozenResults.objects.create(
        round=locked,
        data=results.to_snapshot(cell_codes=[c.code for c in doc.cells]),
        frozen_by=user,
    )
    locked.signed_at = frozen.frozen_at
    locked.save(update_fields=["signed_at", "updated_at"])
    scan_round.signed_at = locked.signed_at
    return frozen


@transaction.atomic
def results_withdraw(*, scan_round: ScanRound, user, reason: str) -> FrozenResults:
    """End a snapshot's force (it stays in the history) and let the round move again."""
    reason = (reason or "").strip()
    if not reason:
        raise FreezeError(WITHDRAWAL_NEEDS_REASON)
    locked = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    frozen = FrozenResults.objects.in_force().filter(round=locked).first()
    if frozen is None:
        raise FreezeError(NOT_FROZEN)
    FrozenResults.objects.filter(pk=frozen.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason=reason[:2000]
    )
    locked.signed_at = None
    locked.save(update_fields=["signed_at", "updated_at"])
    scan_round.signed_at = None
    frozen.refresh_from_db()
    return frozen


def api_token_create(*, user, name: str):
    """A new personal API token; the raw token is returned once and never stored."""
    from scan.audit import audit
    from scan.tokens import new_token, token_digest

    from .models import ApiToken

    raw = new_token()
    token = ApiToken.objects.create(
        user=user, name=(name or "").strip()[:80] or "API", token_hash=token_digest(raw)
    )
    audit("token_created", actor=user, token=token.pk)
    return token, raw


def api_token_revoke(*, user, token_id: int) -> bool:
    from scan.audit import audit

    from .models import ApiToken

    revoked = bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
    if revoked:
        audit("token_revoked", actor=user, token=token_id)
    return revoked
