"""Respondent import in two steps: upload -> preview (counts, the rows, every problem) ->
confirm. The uploaded file waits in the session under a random key; a confirm that does not
name the waiting upload is refused, so nothing is written that was not previewed."""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import organisation_view
from core.tabular import find_header, read_rows

from . import services
from .forms import RespondentImportForm
from .models import GroupKind
from .permissions import SCAN_POLICY
from .selectors import round_of
from .services import ImportRejected
from .services.respondents import RESPONDENT_COLUMNS

SESSION_KEY = "klantraat_respondent_import"
UPLOAD_GONE = gettext_lazy(
    "That upload is no longer waiting for confirmation: upload the file again."
)
PREVIEW_ROWS = 200


def _stash(request, scan_round, filename: str, content: bytes) -> str:
    key = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "key": key,
        "round": scan_round.pk,
        "filename": filename,
        "content": base64.b64encode(content).decode(),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    return key


def _stashed(request, scan_round) -> tuple[str, bytes] | None:
    """The waiting upload, if the posted key names it and it belongs to this round."""
    stash = request.session.get(SESSION_KEY)
    key = request.POST.get("upload", "")
    # compare_digest takes ASCII text only: bytes, so a key typed in any script is a mismatch.
    if not stash or not key or not secrets.compare_digest(stash["key"].encode(), key.encode()):
        return None
    if stash["round"] != scan_round.pk:
        return None
    content = base64.b64decode(stash["content"])
    if hashlib.sha256(content).hexdigest() != stash["sha256"]:
        return None
    return stash["filename"], content


def _mapping_from(request) -> dict[str, int] | None:
    mapping = {}
    for column in RESPONDENT_COLUMNS:
        value = request.POST.get(f"map_{column.key}", "")
        if value.isascii() and value.isdigit():  # "²" is a digit that int() refuses
            mapping[column.key] = int(value)
    return mapping or None


def _group_values_from(request) -> dict[str, str]:
    """The groups chosen for values of the file's group column (``groupvalue``/``groupkind``
    pairs); unknown kinds are dropped."""
    values = request.POST.getlist("groupvalue")
    kinds = request.POST.getlist("groupkind")
    return {v[:80]: k for v, k in zip(values, kinds, strict=False) if v and k in GroupKind.values}


def _header(filename: str, content: bytes) -> list[str]:
    """The file's own column names (the header row below any title rows), for the mapping."""
    try:
        rows = read_rows(filename, content)
    except ImportRejected:
        return []
    numbered = list(enumerate(rows, start=1))
    index = find_header(numbered, RESPONDENT_COLUMNS)
    return [] if index is None else [c.strip() for c in numbered[index][1]]


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def respondent_import(request, access, pk: int):
    """Upload (or re-map the waiting upload) and show what would be imported."""
    scan_round = round_of(access, pk)
    if request.FILES:
        form = RespondentImportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a CSV or Excel file to import."))
            return redirect("scan:round", org=access.organisation.slug, pk=pk)
        upload = form.cleaned_data["file"]
        filename, content = upload.name, upload.read()
        key = _stash(request, scan_round, filename, content)
    else:
        stashed = _stashed(request, scan_round)
        if stashed is None:
            messages.error(request, UPLOAD_GONE)
            return redirect("scan:round", org=access.organisation.slug, pk=pk)
        filename, content = stashed
        key = request.POST["upload"]
    mapping = _mapping_from(request)
    group_values = _group_values_from(request)
    context = {
        "access": access,
        "organisation": access.organisation,
        "scan_round": scan_round,
        "upload": key,
        "filename": filename,
        "columns": RESPONDENT_COLUMNS,
        "group_values": group_values,
        "round_groups": scan_round.groups.all(),
    }
    try:
        report = services.respondents_import_preview(
            scan_round=scan_round,
            filename=filename,
            content=content,
            mapping=mapping,
            group_values=group_values,
        )
    except ImportRejected as exc:
        context.update({"errors": exc.errors, "header": _header(filename, content)})
        context["mapping"] = mapping or {}
        return render(request, "scan/import_rejected.html", context, status=400)
    context.update(
        {
            "report": report,
            "preview_rows": report.pending[:PREVIEW_ROWS],
            "header": report.header,
            "mapping": report.mapping,
            "errors": report.problems,
        }
    )
    if report.problems:
        return render(request, "scan/import_rejected.html", context, status=400)
    return render(request, "scan/import_preview.html", context)


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def respondent_import_confirm(request, access, pk: int):
    scan_round = round_of(access, pk)
    stashed = _stashed(request, scan_round)
    if stashed is None:
        messages.error(request, UPLOAD_GONE)
        return redirect("scan:round", org=access.organisation.slug, pk=pk)
    filename, content = stashed
    try:
        report = services.respondents_import(
            scan_round=scan_round,
            filename=filename,
            content=content,
            mapping=_mapping_from(request),
            group_values=_group_values_from(request),
        )
    except ImportRejected as exc:
        return render(
            request,
            "scan/import_rejected.html",
            {
                "access": access,
                "organisation": access.organisation,
                "scan_round": scan_round,
                "errors": exc.errors,
            },
            status=400,
        )
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("%(n)s respondents imported.") % {"n": len(report.created)})
    if report.duplicates:
        messages.info(
            request,
            _("%(n)s were already respondents in this round and were left as they are.")
            % {"n": len(report.duplicates)},
        )
    return redirect("scan:round", org=access.organisation.slug, pk=pk)
