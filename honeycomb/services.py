"""Changes in the honeycomb app: board report jobs."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from scan.models import ScanRound
from scan.periods import period_of
from scan.selectors import model_doc

from . import report_jobs, selectors
from .board_pack import BoardPack, ReportSection, board_pack_build
from .deck import build_deck
from .models import FrozenResults, ReportJob, ReportKind, ReportStatus
from .report import build_report
from .results import RoundResults, round_results


def report_request(
    *, scan_round: ScanRound, user, language: str, kind: str = ReportKind.PDF
) -> ReportJob:
    """Queue a board pack; one already queued or being made for this round, language and
    format is reused (a double click makes one job). A failed job is never reused; one whose
    task or worker was lost (report_jobs.is_stale) is failed and this request makes a new
    job."""
    if kind not in ReportKind.values:
        raise ValueError(kind)
    now = timezone.now()
    with transaction.atomic():
        active = ReportJob.objects.select_for_update().filter(
            round=scan_round,
            language=language,
            kind=kind,
            status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING],
        )
        for job in active:
            if not report_jobs.is_stale(job, now):
                return job
            # Lost: failed here, so a late message for it renders nothing twice.
            report_jobs.report_failed(job.pk, report_jobs.REPLACED)
        job = ReportJob.objects.create(
            round=scan_round, requested_by=user, language=language, kind=kind
        )

        transaction.on_commit(lambda: report_jobs.report_publish(job.pk))
    return job


class RenderRetry(Exception):
    """A render failed with attempts left: the task tries again after a pause."""


def _extra_sections(scan_round: ScanRound, language: str) -> list[ReportSection]:
    """Apps that build on the honeycomb (the improvement cycle) add sections through the
    ``klantraat_report_sections`` hook: each takes the round and the language; the review's
    panels (``klantraat_review_panels``: the tenant pulse) follow."""
    from wagtail import hooks

    sections: list[ReportSection] = []
    for hook in hooks.get_hooks(selectors.REPORT_SECTIONS_HOOK):
        sections.extend(hook(scan_round, language))
    # The panels a round's review shows (the tenant pulse for the round's cells) go into the
    # pack as they are: the same figures as on the review page.
    for panel in selectors.review_panels(scan_round, language):
        table = panel.table
        sections.append(
            ReportSection(
                title=str(panel.title),
                paragraphs=[str(line) for line in panel.lines],
                table=[list(table.head), *table.rows] if table and table.rows else None,
            )
        )
    return sections


def board_pack_for(
    scan_round: ScanRound,
    language: str,
    *,
    with_sections: bool = True,
    results: RoundResults | None = None,
    previous_results: RoundResults | None = None,
) -> BoardPack:
    """The board pack's content for a round in a language (call inside that language).
    Without sections: only the figures and key messages (the dashboard). A caller that has
    the round's results already (and the previous round's) passes them in."""
    if results is None:
        results = round_results(scan_round)
    frozen = (
        FrozenResults.objects.in_force()
        .filter(round=scan_round)
        .select_related("frozen_by")
        .first()
        if results.is_frozen
        else None
    )
    return board_pack_build(
        results=results,
        doc=model_doc(scan_round),
        organisation=scan_round.organisation.name,
        round_title=scan_round.title,
        period=period_of(scan_round),
        language=language,
        overlays=selectors.round_overlays(scan_round),
        sections=_extra_sections(scan_round, language) if with_sections else [],
        signed_by=str(frozen.frozen_by or "") if frozen else "",
        signed_on=frozen.frozen_at if frozen else None,
        previous=previous_results or previous_results_of(scan_round, results),
    )


def previous_results_of(scan_round: ScanRound, results: RoundResults) -> RoundResults | None:
    """The previous round's results, for the overall change and for judging which changes
    are real. A signed round's snapshot holds its own figures and changes, not the previous
    round's: those are read (usually signed, so fixed) when needed."""
    if results.previous is not None:
        return results.previous
    if scan_round.previous_round is None:
        return None
    return round_results(scan_round.previous_round)


def report_render(job_id: int) -> ReportJob | None:
    """Render a job's pack once it is claimed (report_jobs.report_claim) and keep it in the
    private storage. A failed render raises RenderRetry while attempts are left; after the
    last one the job is failed and the error raised."""
    job = report_jobs.report_claim(job_id)
    if job is None:
        return ReportJob.objects.filter(pk=job_id).first()

    def progress(pct: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=pct)

    try:
        with translation.override(job.language):
            pack = board_pack_for(job.round, job.language)
            progress(25)
            if job.kind == ReportKind.PPTX:
                content = build_deck(pack)
            else:
                content = build_report(pack, progress=progress)
    except Exception as exc:
        if report_jobs.report_attempt_failed(job, exc):
            raise RenderRetry(str(exc)) from exc
        raise
    report_jobs.report_store(job, content)
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


API_TOKEN_DAYS = 365  # as long as the pulse's ingest tokens


def api_token_create(*, user, name: str, days: int = API_TOKEN_DAYS):
    """A new personal API token, valid for ``days``; the raw token is returned once and never
    stored."""
    from core.audit import audit
    from core.tokens import new_token, token_digest

    from .models import ApiToken

    raw = new_token()
    token = ApiToken.objects.create(
        user=user,
        # Control characters (a NUL, which PostgreSQL refuses) are no part of a name.
        name="".join(c for c in (name or "") if c.isprintable()).strip()[:80] or "API",
        token_hash=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit("token_created", actor=user, token=token.pk)
    return token, raw


def api_token_revoke(*, user, token_id: int) -> bool:
    from core.audit import audit

    from .models import ApiToken

    revoked = bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
    if revoked:
        audit("token_revoked", actor=user, token=token_id)
    return revoked


def api_token_revoke_in_organisation(*, actor, organisation, token_id: int) -> bool:
    """A coordinator revokes a member's token: only one of ``organisation_api_tokens`` (people
    whose only role is in this organisation). The caller has checked the coordinator role."""
    from core.audit import audit

    from .selectors import organisation_api_tokens

    token = (
        organisation_api_tokens(organisation)
        .filter(pk=token_id, revoked_at__isnull=True)
        .only("pk", "user")
        .first()
    )
    if token is None:
        return False
    from .models import ApiToken

    revoked = bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
    if revoked:
        audit(
            "token_revoked",
            organisation=organisation,
            actor=actor,
            token=token.pk,
            owner=token.user_id,
        )
    return revoked


API_READ_PREFIX = "api "  # the audit detail "what" of a results-API read (api.py)


def api_reads_purge(now: dt.datetime | None = None) -> int:
    """Retention: the audit rows of results-API reads older than
    KLANTRAAT_API_AUDIT_RETENTION_DAYS go (a BI tool writes one per request); exports by
    people and every other audit event stay."""
    from django.conf import settings

    from core.models import AuditEvent, AuditKind

    now = now or timezone.now()
    days = settings.KLANTRAAT_API_AUDIT_RETENTION_DAYS
    count, _ = AuditEvent.objects.filter(
        kind=AuditKind.EXPORT,
        detail__what__startswith=API_READ_PREFIX,
        at__lte=now - dt.timedelta(days=days),
    ).delete()
    return count
