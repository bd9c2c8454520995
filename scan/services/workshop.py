"""The consensus workshop: an agreed level per cell with its reason."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import ScanError
from ..models import (
    Consensus,
    ScanRound,
)
from ..selectors import model_doc

# --- workshop ------------------------------------------------------------------------------

ROUND_LOCKED = gettext_lazy("The results of this round are signed off; agreed levels are frozen.")


def round_is_locked(scan_round: ScanRound) -> bool:
    """Signed off: the director's sign-off froze the round's results and agreed levels."""
    return scan_round.signed_at is not None


def consensus_record(
    *, scan_round: ScanRound, cell_code: str, level: int, reason: str, user
) -> Consensus:
    if round_is_locked(scan_round):
        raise ScanError(str(ROUND_LOCKED))
    doc = model_doc(scan_round)
    if cell_code not in doc.cell_by_code:
        raise ScanError(_("Cell %(code)s is not part of this round's model.") % {"code": cell_code})
    if not isinstance(level, int) or not 1 <= level <= 5:
        raise ScanError(_("A level must be between 1 and 5."))
    reason = (reason or "").strip()
    if not reason:
        raise ScanError(_("Give a short reason for the agreed level."))
    if len(reason) > 1000:
        raise ScanError(_("The reason may be at most 1000 characters."))
    consensus, _created = Consensus.objects.update_or_create(
        round=scan_round,
        cell_code=cell_code,
        defaults={"level": level, "reason": reason, "recorded_by": user},
    )
    return consensus
