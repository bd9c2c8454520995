"""Changes in the honeycomb app: board report jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from scan.modeldoc import localised
from scan.models import ScanRound
from scan.selectors import model_doc

from . import selectors
from .models import ReportJob, ReportStatus
from .report import ReportSection, build_report


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

        def enqueue():
            from .tasks import render_report_task

            render_report_task.delay(job.pk)

        transaction.on_commit(enqueue)
    return job


def _extra_sections(scan_round: ScanRound, language: str) -> list[ReportSection]:
    """Apps that build on the honeycomb (the improvement cycle) add sections by setting."""
    sections: list[ReportSection] = []
    for path in getattr(settings, "KLANTRAAT_REPORT_SECTIONS", []):
        sections.extend(import_string(path)(scan_round, language))
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
            scores = selectors.round_scores(scan_round)
            progress(20)
            cells = selectors.honeycomb_cells(scores, doc, group="all", language=language)
            by_domain = [
                (
                    localised(d.name, language),
                    localised(d.description, language),
                    [c for c in cells if c.domain_code == d.code],
                )
                for d in doc.domains
            ]
            names = {
                "organisation": _("Own organisation"),
                **{g.kind: g.name for g in scan_round.groups.all()},
            }
            cell_names = {c.code: c.label for c in cells}
            flagged = scores.gaps[scores.gaps["flagged"]] if not scores.gaps.empty else scores.gaps
            gaps = [
                (
                    cell_names.get(r.cell, r.cell),
                    names.get(r.a, r.a),
                    names.get(r.b, r.b),
                    float(r.gap),
                )
                for r in flagged.itertuples()
            ]
            comments = {
                c.code: selectors.cell_comments(scan_round, c.code, scores) for c in doc.cells
            }
            pdf = build_report(
                organisation=scan_round.organisation.name,
                round_title=scan_round.title,
                period=scan_round.period,
                cells=cells,
                domains=by_domain,
                gaps=gaps,
                comments=comments,
                threshold=scan_round.min_group_size,
                respondents=scan_round.respondents.filter(submitted_at__isnull=False).count(),
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
