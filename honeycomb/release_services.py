"""Making releases: the only way a round's figures become visible (see ``honeycomb.releases``).

A closing release is made when a round closes (``scan`` calls the ``klantraat_round_closed``
hook); an interim release only when a consultant asks for one and the round has gained enough
new respondents in every group since the last release."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext_lazy

from scan.models import Respondent, RoundStatus, ScanRound
from scan.selectors import model_doc

from . import selectors
from .figure_atoms import EarlierRelease, release_suppression
from .models import Release, ReleaseKind
from .releases import interim_shortfall
from .results import RoundResults, overall_score, results_from_answers, round_results
from .scoring_tables import as_categorical


class ReleaseError(ValueError):
    """A release that cannot be made; the message says why."""


DRAFT_ROUND = gettext_lazy("A draft round has no answers yet, so there is nothing to release.")
SIGNED_ROUND = gettext_lazy("This round is signed off: its figures can no longer change.")
INTERIM_ONLY_OPEN = gettext_lazy(
    "An interim release is for an open round; a closed round was released when it closed."
)
CLOSING_ONLY_CLOSED = gettext_lazy("A closing release is made when the round closes.")
NOTHING_NEW = gettext_lazy("Nothing has changed since the last release.")
TOO_FEW_NEW = gettext_lazy(
    "Not yet: since the last release every group must have at least %(threshold)s new "
    "respondents (through a personal link), so that the difference between two releases "
    "never describes a few people. Too few so far: %(groups)s."
)


def _earlier(release: Release) -> EarlierRelease:
    return EarlierRelease(
        respondents=frozenset(release.respondent_ids),
        hidden=frozenset(tuple(key) for key in release.hidden),
    )


def _shown_groups(release: Release | None) -> list[str]:
    if release is None:
        return []
    return [
        kind
        for kind, _name in release.data.get("groups", [])
        if RoundResults.from_snapshot(release.data, signed=False).overall(kind).shown
    ]


def _group_names(scan_round: ScanRound, kinds: dict[str, int]) -> str:
    names = dict(scan_round.groups.values_list("kind", "name"))
    names["all"] = str(gettext_lazy("the round as a whole"))
    return ", ".join(f"{names.get(kind, kind)} ({n})" for kind, n in kinds.items())


@transaction.atomic
def release_make(*, scan_round: ScanRound, kind: str, user=None) -> Release:
    """Publish the round's figures as they are now, checked against every earlier release.
    Raises ReleaseError (nothing written) when the round or the rule does not allow it."""
    from core.audit import audit

    locked = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if locked.signed_at is not None:
        raise ReleaseError(SIGNED_ROUND)
    if locked.status == RoundStatus.DRAFT:
        raise ReleaseError(DRAFT_ROUND)
    if kind == ReleaseKind.INTERIM and locked.status != RoundStatus.OPEN:
        raise ReleaseError(INTERIM_ONLY_OPEN)
    if kind == ReleaseKind.CLOSING and locked.status != RoundStatus.CLOSED:
        raise ReleaseError(CLOSING_ONLY_CLOSED)
    if kind not in ReleaseKind.values:
        raise ReleaseError(kind)
    earlier = list(locked.releases.order_by("number"))
    last = earlier[-1] if earlier else None
    loaded = selectors.answers_frames([locked])[0]
    # Text columns factorised once, for disclosure control and scoring alike.
    loaded = replace(loaded, answers=as_categorical(loaded.answers))
    answers = loaded.answers
    respondents = sorted(int(r) for r in answers["respondent"].unique())
    if last is not None and respondents == sorted(last.respondent_ids):
        if kind == ReleaseKind.CLOSING:
            return last  # reopened and closed again without new answers: nothing to add
        raise ReleaseError(NOTHING_NEW)
    open_link = frozenset(
        Respondent.objects.filter(round=locked, open_link__isnull=False).values_list(
            "pk", flat=True
        )
    )
    threshold = locked.min_group_size
    if kind == ReleaseKind.INTERIM:
        short = interim_shortfall(
            answers,
            threshold=threshold,
            last=_earlier(last) if last else None,
            shown_groups=_shown_groups(last),
            open_link=open_link,
        )
        if short:
            raise ReleaseError(
                TOO_FEW_NEW % {"threshold": threshold, "groups": _group_names(locked, short)}
            )
    hidden = release_suppression(
        answers, threshold=threshold, earlier=[_earlier(r) for r in earlier], open_link=open_link
    )
    results = results_from_answers(locked, loaded, hidden=hidden)
    previous = locked.previous_round
    if previous is not None:
        results.previous = round_results(previous)
    results.consensus_loader = lambda: selectors.consensus_levels(locked)
    number = (last.number if last else 0) + 1
    release = Release(
        round=locked,
        number=number,
        kind=kind,
        made_by=user if getattr(user, "is_authenticated", False) else None,
        respondent_ids=respondents,
        open_link_ids=sorted(open_link & set(respondents)),
        hidden=sorted([list(key) for key in hidden], key=repr),
    )
    results.release = {
        "number": number,
        "kind": kind,
        "made_at": release.made_at.isoformat(),
    }
    release.data = results.to_snapshot(cell_codes=[c.code for c in model_doc(locked).cells])
    release.overall = overall_score(results)
    release.save()
    audit(
        "release_made",
        organisation=locked.organisation,
        actor=user,
        round=locked.pk,
        number=number,
        release=kind,
        respondents=len(respondents),
    )
    return release
