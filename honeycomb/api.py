"""Read-only JSON API of round results for BI tools (Power BI and the like).

Authentication: ``Authorization: Bearer <token>`` with a personal API token. The same
membership and anonymity rules as the pages: suppressed figures are null.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

from core.api_auth import bearer_record
from core.audit import audit
from core.models import Organisation
from core.permissions import organisations_for
from scan.models import ScanRound
from scan.selectors import model_doc

from . import presenters, selectors
from .models import ApiToken
from .permissions import HONEYCOMB_POLICY
from .results import round_results
from .services import API_READ_PREFIX


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        # an inactive person's tokens are as unknown as revoked ones
        api_token = bearer_record(
            ApiToken.objects.select_related("user").filter(user__is_active=True), token
        )
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


def _organisation(request, slug: str) -> Organisation:
    """The caller's organisation with this slug. An unknown slug and another client's get the
    same answer by the same path (one query for the caller's memberships), so neither the
    body nor the timing tells which organisations exist."""
    access = next((a for a in organisations_for(request.user) if a.organisation.slug == slug), None)
    if access is None or not HONEYCOMB_POLICY.allows(access, "view_results"):
        raise Http404("Not a member of this organisation")
    return access.organisation


def _round(request, slug: str, round_id: int) -> ScanRound:
    organisation = _organisation(request, slug)
    scan_round = get_object_or_404(
        ScanRound.objects.select_related("model_version__model"),
        pk=round_id,
        organisation=organisation,
    )
    audit(
        "export",
        organisation=organisation,
        request=request,
        what=f"{API_READ_PREFIX}{request.path}",
        round=round_id,
    )
    return scan_round


DECIMALS = 2  # as the pages' explanation shows them; suppression, not rounding, protects


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), DECIMALS)


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
    organisation = _organisation(request, slug)
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
    results = round_results(scan_round)
    if not results.is_released:
        return []  # an open round without a release has no figures, for BI tools neither
    kinds = list(results.group_labels())
    if group is not None:
        if group not in kinds:
            raise Http404("unknown group")
        kinds = [group]
    units = doc.cells if level == "cell" else doc.domains
    return [
        {
            **{k: row[k] for k in ("code", "name", "domain", "group", "suppressed")},
            "n_respondents": row["figure"].n,
            "mean": _number(row["figure"].mean),
            "median": _number(row["figure"].median),
            "spread": _number(row["figure"].spread),
        }
        for row in presenters.score_rows(
            results, units, level=level, groups=kinds, language=language
        )
    ]


@api.get(
    "/organisations/{slug}/rounds/{round_id}/gaps",
    response=list[GapOut],
    summary="Perception gaps between groups per cell",
)
def gaps(request, slug: str, round_id: int):
    scan_round = _round(request, slug, round_id)
    results = round_results(scan_round)
    return [
        {**gap, **{k: _number(gap[k]) for k in ("mean_a", "mean_b", "gap")}}
        for gap in results.gaps(flagged_only=False)
    ]
