"""Downloads: the Excel workbook and the board report (made in the background)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import audit
from core.permissions import organisation_view
from scan.periods import period_of
from scan.selectors import model_doc, round_of

from . import selectors, services
from .excel import build_workbook
from .models import ReportJob, ReportKind, ReportStatus
from .permissions import HONEYCOMB_POLICY
from .results import round_results
from .views_releases import unreleased_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@organisation_view(HONEYCOMB_POLICY.roles("export_results"))
def excel_download(request, access, pk: int):
    scan_round = round_of(access, pk)
    labels = {
        "scores": _("Scores"),
        "distribution": _("Distribution"),
        "gaps": _("Differences"),
        "rules": _("Rules"),
        "domain": _("Domain"),
        "code": _("Code"),
        "cell": _("Cell"),
        "group": _("Group"),
        "mean": _("Score"),
        "median": _("Median"),
        "n": _("Respondents"),
        "spread": _("Spread"),
        "na": _("Not applicable / don't know"),
        "difference": _("Difference"),
        "large": _("Large"),
        "rule": _("How the figures are computed"),
        "too_few": _("too few answers"),
        "group_a": _("Group A"),
        "group_b": _("Group B"),
        "score_a": _("Score A"),
        "score_b": _("Score B"),
        "data": _("Data"),
        "level": _("Level"),
        "level_cell": _("cell"),
        "level_statement": _("statement"),
        "cell_code": _("Cell code"),
        "name": _("Name"),
        "group_code": _("Group code"),
        "department": _("Department"),
        "all_departments": _("All departments"),
        "shown": _("Shown"),
        "ambition": _("Ambition"),
        "change": _("Change since previous round"),
        "about": _("About this file"),
        "domains": _("Domains"),
        "domain_code": _("Domain code"),
    }
    results = round_results(scan_round)
    if not results.is_released:
        return unreleased_page(request, access, scan_round)
    content = build_workbook(
        results=results,
        doc=model_doc(scan_round),
        language=request.LANGUAGE_CODE,
        labels=labels,
        targets=selectors.round_overlays(scan_round).get("targets") or {},
        about=[
            (_("Organisation"), access.organisation.name),
            (_("Round"), scan_round.title),
            (_("Period"), period_of(scan_round)),
            (_("Made on"), date_format(timezone.localdate(), "DATE_FORMAT")),
            (_("Minimum group size"), scan_round.min_group_size),
            (
                _("Hidden figures"),
                _(
                    "Figures of fewer respondents, or from which such a group could be worked out, are empty; the column “Shown” says so."
                ),
            ),
        ],
    )
    audit(
        "export",
        organisation=access.organisation,
        request=request,
        what="excel",
        round=scan_round.pk,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="klantraat-{slugify(scan_round.title)}.xlsx"'
    )
    return response


DOWNLOADS: dict[str, tuple[str, str]] = {
    ReportKind.PDF: ("application/pdf", "pdf"),
    ReportKind.PPTX: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}


@require_POST
@organisation_view(HONEYCOMB_POLICY.roles("export_results"))
def report_request(request, access, pk: int):
    scan_round = round_of(access, pk)
    kind = request.POST.get("kind") or ReportKind.PDF
    if kind not in ReportKind.values:
        return HttpResponseBadRequest(_("Unknown report format."))
    job = services.report_request(
        scan_round=scan_round, user=request.user, language=request.LANGUAGE_CODE, kind=kind
    )
    return redirect("honeycomb:report_status", org=access.organisation.slug, pk=pk, job=job.pk)


def _job(access, pk: int, job: int) -> ReportJob:
    scan_round = round_of(access, pk)
    return get_object_or_404(ReportJob, pk=job, round=scan_round)


@organisation_view(HONEYCOMB_POLICY.roles("export_results"))
def report_status(request, access, pk: int, job: int):
    report = _job(access, pk, job)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": report.status, "progress": report.progress})
    return render(
        request,
        "honeycomb/report_status.html",
        {
            "access": access,
            "organisation": access.organisation,
            "scan_round": report.round,
            "job": report,
            "done": report.status in (ReportStatus.READY, ReportStatus.FAILED),
        },
    )


@organisation_view(HONEYCOMB_POLICY.roles("export_results"))
def report_download(request, access, pk: int, job: int):
    report = get_object_or_404(ReportJob, pk=job, round=round_of(access, pk))
    if report.status != ReportStatus.READY or not report.pack:
        raise Http404(_("This report is not ready."))
    try:
        # From the private storage (a folder or a bucket): only this view, after the
        # organisation check above, ever sends a pack.
        handle = report.pack.open("rb")
    except FileNotFoundError:
        raise Http404(_("This report is not ready.")) from None
    audit(
        "export",
        organisation=access.organisation,
        request=request,
        what=f"board report ({report.kind})",
        round=pk,
    )
    content_type, extension = DOWNLOADS[report.kind]
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=True,
        filename=f"klantraat-{slugify(report.round.title)}.{extension}",
    )
