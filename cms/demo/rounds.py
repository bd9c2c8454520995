"""Demo rounds: the default model, a baseline, a signed-off re-evaluation and an open round,
with answers per group that show a believable honeycomb."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core.models import Organisation
from honeycomb.models import ReleaseKind
from honeycomb.release_services import release_make
from scan import services as scan_services
from scan.models import Answer, MaturityModel, ModelVersion, Respondent, RoundStatus, ScanRound
from scan.selectors import model_doc

from ..models import User
from .cycle import ensure_cycle
from .people import DemoSummary

DEFAULT_MODEL_FILE = Path(settings.BASE_DIR) / "scan" / "default_models" / "woningcorporatie.yaml"

# Respondents per group in the closed round, and the average level each group sees per domain.
GROUP_SIZES = {"board": 6, "managers": 9, "staff": 24, "partners": 8, "tenants": 12}
GROUP_BIAS = {
    "board": {"KV": 3.6, "KP": 3.3, "DI": 3.0, "GE": 3.5},
    "managers": {"KV": 3.4, "KP": 3.1, "DI": 2.9, "GE": 3.3},
    "staff": {"KV": 2.8, "KP": 2.7, "DI": 2.5, "GE": 2.9},
    "partners": {"KV": 2.6, "KP": 2.5, "DI": 2.4, "GE": 2.8},
    "tenants": {"KV": 2.4, "KP": 2.2, "DI": 2.6, "GE": 3.0},
}
# A cell people disagree on (the honeycomb marks it with a diamond): the digital channels.
POLARISED_CELL = "DI2"


def ensure_default_model() -> ModelVersion:
    text = DEFAULT_MODEL_FILE.read_text(encoding="utf-8")
    model = MaturityModel.objects.filter(code="woningcorporatie").first()
    if model is None or not model.versions.exists():
        model = scan_services.model_import(text=text, publish=True)
    version = model.versions.order_by("-number").first()
    assert version is not None  # the import above published one
    return version


def _rng_level(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.05:
        return None  # not applicable / don't know
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _fill_answers(
    scan_round: ScanRound,
    respondents: list[Respondent],
    rng: random.Random,
    shift: float = 0.0,
    cell_shift: dict[str, float] | None = None,
) -> None:
    doc = model_doc(scan_round)
    answers = []
    for respondent in respondents:
        bias = GROUP_BIAS[respondent.group.kind]
        for statement in doc.statements:
            if statement.asks(respondent.group.kind):
                extra = (cell_shift or {}).get(statement.cell_code, 0.0)
                if statement.cell_code in ("KP2", "DI3") and respondent.group.kind == "tenants":
                    extra -= 0.5
                if statement.cell_code == POLARISED_CELL:  # half enthusiastic, half not
                    extra += 1.4 if respondent.pk % 2 else -1.4
                answers.append(
                    Answer(
                        respondent=respondent,
                        statement_code=statement.code,
                        level=_rng_level(rng, bias[statement.domain_code] + shift + extra),
                    )
                )
    Answer.objects.bulk_create(answers, ignore_conflicts=True)


def _make_respondents(
    scan_round: ScanRound, org_domain: str, sizes: dict[str, int], submitted: bool
) -> list[Respondent]:
    departments = ["Wonen", "Vastgoed", "Klantcontact", "Financiën"]
    created = []
    for group in scan_round.groups.all():
        for i in range(sizes.get(group.kind, 0)):
            email = f"{group.kind}{i + 1}@{org_domain}"
            respondent, is_new = Respondent.objects.get_or_create(
                round=scan_round,
                email=email,
                defaults={
                    "group": group,
                    "department": departments[i % 4] if group.kind == "staff" else "",
                },
            )
            if is_new:
                created.append(respondent)
    if submitted and created:
        now = timezone.now()
        Respondent.objects.filter(pk__in=[r.pk for r in created]).update(
            started_at=now, submitted_at=now
        )
    return created


def _closed_round(
    org,
    title: str,
    period: str,
    days_ago: int,
    version,
    consultant,
    previous,
    seed: int,
    shift: float,
    cell_shift: dict[str, float],
) -> ScanRound:
    scan_round = ScanRound.objects.filter(organisation=org, title=title).first()
    if scan_round is not None:
        return scan_round
    today = timezone.localdate()
    scan_round = scan_services.round_create(
        organisation=org,
        title=title,
        period=period,
        opens_on=today - dt.timedelta(days=days_ago),
        closes_on=today - dt.timedelta(days=days_ago - 30),
        model_version=version,
        created_by=consultant,
        previous_round=previous,
    )
    scan_round.status = RoundStatus.CLOSED
    scan_round.save(update_fields=["status"])
    respondents = _make_respondents(
        scan_round, f"{seed}.delinde.example", GROUP_SIZES, submitted=True
    )
    _fill_answers(scan_round, respondents, random.Random(seed), shift=shift, cell_shift=cell_shift)
    # Closed in the past: published as the product publishes every closed round.
    release_make(scan_round=scan_round, kind=ReleaseKind.CLOSING, user=consultant)
    return scan_round


def ensure_rounds(
    summary: DemoSummary, organisations: dict[str, Organisation], version: ModelVersion
) -> None:
    """Three rounds for De Linde: a baseline, a re-evaluation that improved (and was signed
    off) and an open round that is running now."""
    org = organisations["woonstichting-de-linde"]
    consultant = User.objects.get(email="adviseur@klantraat.nl")
    baseline = _closed_round(
        org,
        "Nulmeting klantgerichtheid",
        "najaar 2025",
        400,
        version,
        consultant,
        None,
        2025,
        0.0,
        {},
    )
    if not baseline.consensus.exists():
        scan_services.consensus_record(
            scan_round=baseline,
            cell_code="KP2",
            level=2,
            user=consultant,
            reason="Huurders en medewerkers zien hetzelfde: afspraken over reparaties worden vaak niet nagekomen.",
        )
    follow_up = _closed_round(
        org,
        "Herhaalmeting klantgerichtheid",
        "voorjaar 2026",
        200,
        version,
        consultant,
        baseline,
        2026,
        0.25,
        {"KP2": 0.6, "GE1": 0.4, "DI3": 0.3},
    )
    summary.closed_round = follow_up
    today = timezone.localdate()
    open_round = ScanRound.objects.filter(organisation=org, title="Tweede herhaalmeting").first()
    if open_round is None:
        open_round = scan_services.round_create(
            organisation=org,
            title="Tweede herhaalmeting",
            period="najaar 2026",
            opens_on=today - dt.timedelta(days=3),
            closes_on=today + dt.timedelta(days=25),
            model_version=version,
            created_by=consultant,
            previous_round=follow_up,
        )
        scan_services.round_set_status(scan_round=open_round, status=RoundStatus.OPEN)
        _make_respondents(
            open_round,
            "open.delinde.example",
            {"staff": 3, "tenants": 2, "managers": 1},
            submitted=False,
        )
    summary.open_round = open_round
    for respondent in open_round.respondents.filter(submitted_at__isnull=True).order_by("pk")[:2]:
        token = scan_services.respondent_issue_link(respondent)
        summary.respondent_links.append(
            (
                f"{respondent.group.name} ({respondent.email})",
                scan_services.respondent_link_url(token),
            )
        )
    ensure_cycle(org, baseline, follow_up)
