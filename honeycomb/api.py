"""Read-only JSON API of round results for BI tools (Power BI and the like).

Authentication: ``Authorization: Bearer <token>`` with a personal API token. The same
membership and anonymity rules as the pages: suppressed figures are null.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

from scan.audit import audit
from scan.modeldoc import localised
from scan.models import Organisation, ScanRound
from scan.permissions import ALL_ROLES, organisations_for, require_role
from scan.selectors import model_doc
from scan.tokens import looks_like_token, token_digest

from . import selectors
from .models import ApiToken
from .scoring import ALL


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if not looks_like_token(token):
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_digest(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Klantraat results API",
    version="1",
    description="Results per round, cell, domain and respondent group. Figures below the round's anonymity threshold are null.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
)


class OrganisationOut(Schema):
    slug: str
    name: str
    role: str


class RoundOut(Schema):
    id: int
    title: str
    period: str
    status: str
    opens_on: str
    closes_on: str
    min_group_size: int
    model: str
    groups: list[str]


class ScoreOut(Schema):
    code: str
    name: str
    domain: str | None = None
    group: str
    suppressed: bool
    n_respondents: int | None
    mean: float | None
    median: float | None
    spread: float | None


class GapOut(Schema):
    cell: str
    a: str
    b: str
    mean_a: float | None
    mean_b: float | None
    gap: float | None
    flagged: bool


def _round(request, slug: str, round_id: int) -> ScanRound:
    organisation = get_object_or_404(Organisation, slug=slug)
    require_role(request.user, organisation, ALL_ROLES)
    scan_round = get_object_or_404(
        ScanRound.objects.select_related("model_version__model"),
        pk=round_id,
        organisation=organisation,
    )
    audit(
        "export",
        organisation=organisation,
        request=request,
        what=f"api {request.path}",
        round=round_id,
    )
    return scan_round


def _number(row: dict, key: str) -> float | None:
    if not row or row.get("suppressed"):
        return None
    value = row.get(key)
    return None if value is None else round(float(value), 4)


@api.get(
    "/organisations", response=list[OrganisationOut], summary="Organisations you are a member of"
)
def organisations(request):
    return [
        {"slug": a.organisation.slug, "name": a.organisation.name, "role": a.role}
        for a in organisations_for(request.user)
    ]


@api.get(
    "/organisations/{slug}/rounds",
    response=list[RoundOut],
    summary="Scan rounds of an organisation",
)
def rounds(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    require_role(request.user, organisation, ALL_ROLES)
    return [
        {
            "id": r.pk,
            "title": r.title,
            "period": r.period,
            "status": r.status,
            "opens_on": r.opens_on.isoformat(),
            "closes_on": r.closes_on.isoformat(),
            "min_group_size": r.min_group_size,
            "model": str(r.model_version),
            "groups": list(r.groups.values_list("kind", flat=True)),
        }
        for r in selectors.rounds_for_api(organisation)
    ]


@api.get(
    "/organisations/{slug}/rounds/{round_id}/scores",
    response=list[ScoreOut],
    summary="Scores per cell or domain and group",
)
def scores(
    request,
    slug: str,
    round_id: int,
    level: str = "cell",
    group: str | None = None,
    language: str = "nl",
):
    scan_round = _round(request, slug, round_id)
    if level not in ("cell", "domain"):
        raise Http404("level must be cell or domain")
    doc = model_doc(scan_round)
    result = selectors.round_scores(scan_round)
    kinds = [ALL, "organisation", *scan_round.groups.values_list("kind", flat=True)]
    if group is not None:
        if group not in kinds:
            raise Http404("unknown group")
        kinds = [group]
    units = doc.cells if level == "cell" else doc.domains
    out = []
    for kind in kinds:
        for unit in units:
            row = (
                result.cell(unit.code, kind) if level == "cell" else result.domain(unit.code, kind)
            )
            suppressed = not row or bool(row.get("suppressed"))
            out.append(
                {
                    "code": unit.code,
                    "name": localised(unit.name, language),
                    "domain": getattr(unit, "domain_code", None),
                    "group": kind,
                    "suppressed": suppressed,
                    "n_respondents": None if suppressed else int(row.get("n_respondents") or 0),
                    "mean": _number(row, "mean"),
                    "median": _number(row, "median"),
                    "spread": _number(row, "spread"),
                }
            )
    return out


@api.get(
    "/organisations/{slug}/rounds/{round_id}/gaps",
    response=list[GapOut],
    summary="Perception gaps between groups per cell",
)
def gaps(request, slug: str, round_id: int):
    scan_round = _round(request, slug, round_id)
    table = selectors.round_scores(scan_round).gaps

    def clean(value):
        return None if value is None or value != value else round(float(value), 4)

    return [
        {
            "cell": r.cell,
            "a": r.a,
            "b": r.b,
            "mean_a": clean(r.mean_a),
            "mean_b": clean(r.mean_b),
            "gap": clean(r.gap),
            "flagged": bool(r.flagged),
        }
        for r in table.itertuples()
    ]
