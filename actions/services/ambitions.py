"""Ambition: the organisation's target level per cell, versioned."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Organisation
from honeycomb.results import round_results

from ..errors import CycleError
from ..models import (
    Ambition,
    AmbitionTarget,
)
from ..selectors import latest_closed_round, latest_model

logger = logging.getLogger("klantraat.actions")
security_log = logging.getLogger("klantraat.security")


# --- ambition -----------------------------------------------------------------------------


def ambition_basis(organisation: Organisation) -> dict[str, dict]:
    """Per cell of the latest closed round: its score (None where it is suppressed) and the
    level the workshop agreed (None where none was recorded)."""
    scan_round = latest_closed_round(organisation)
    if scan_round is None:
        return {}
    means = round_results(scan_round).scores.cell_means("all")
    basis: dict[str, dict] = {
        str(code): {"score": round(float(mean), 1), "agreed": None}
        for code, mean in means.dropna().items()
    }
    for code, level in scan_round.consensus.values_list("cell_code", "level"):
        basis.setdefault(code, {"score": None, "agreed": None})["agreed"] = level
    return basis


def default_targets(organisation: Organisation) -> dict[str, int]:
    """The suggested target per cell: the level the workshop agreed where it did, else the
    current level + 1 (rounded down first, at most 5), from the latest closed round."""
    import math

    targets = {}
    for code, cell in ambition_basis(organisation).items():
        if cell["agreed"] is not None:
            targets[code] = cell["agreed"]
        elif cell["score"] is not None:
            targets[code] = min(5, math.floor(cell["score"]) + 1)
    return targets


@transaction.atomic
def ambition_set(
    *,
    organisation: Organisation,
    statement: str,
    horizon: dt.date,
    targets: dict[str, tuple[int, str]],
    user,
) -> Ambition:
    """Add a new version of the ambition; earlier versions stay as history."""
    statement = (statement or "").strip()
    if not statement:
        raise CycleError(_("Describe the point on the horizon."))
    if horizon <= timezone.localdate():
        raise CycleError(_("The horizon date must lie in the future."))
    doc = latest_model(organisation)
    known = set(doc.cell_by_code) if doc else set()
    for code, (level, _reason) in targets.items():
        if code not in known:
            raise CycleError(_("Cell %(code)s is not part of the model.") % {"code": code})
        if not isinstance(level, int) or not 1 <= level <= 5:
            raise CycleError(_("A target level must be between 1 and 5."))
    latest = (
        Ambition.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("-version")
        .first()
    )
    ambition = Ambition.objects.create(
        organisation=organisation,
        version=(latest.version + 1 if latest else 1),
        statement=statement,
        horizon=horizon,
        created_by=user,
    )
    AmbitionTarget.objects.bulk_create(
        [
            AmbitionTarget(
                ambition=ambition, cell_code=code, level=level, reason=(reason or "")[:500]
            )
            for code, (level, reason) in targets.items()
        ]
    )
    return ambition


def current_targets(organisation: Organisation) -> dict[str, int]:
    ambition = organisation.ambitions.order_by("-version").first()
    return dict(ambition.targets.values_list("cell_code", "level")) if ambition else {}
