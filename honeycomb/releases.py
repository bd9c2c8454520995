"""Releases: which figures a new release of a round may show, given every earlier release.

Figures are published only as releases (at closing, or an interim release made on purpose),
never live. Two releases of one round can be subtracted from each other, so disclosure control
looks at all of them together: the figures of earlier releases are already out (they take
part in every combination but cannot be taken back), and the new release hides whatever would
let a set of 1 … threshold−1 respondents be computed from any figures of any releases.

Submitted answers never change, so an earlier release's figures are rebuilt exactly from the
respondents it counted. The check itself is ``figure_atoms.release_suppression``; this module
holds the rule for interim releases. Pure: DataFrames and sets in, keys and counts out.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .figure_atoms import EarlierRelease


def interim_shortfall(
    answers: pd.DataFrame,
    *,
    threshold: int,
    last: EarlierRelease | None,
    shown_groups: Sequence[str],
    open_link: frozenset[int] = frozenset(),
) -> dict[str, int]:
    """Groups that have not yet gained enough new respondents for an interim release, with
    the number they gained; empty when the release may be made.

    The rule: since the last release, every group that release showed has gained at least
    ``threshold`` new respondents who answered through a personal link, and the round as a
    whole too. So the difference between two releases always describes groups at least as
    large as the threshold; the checker above then verifies every combination."""
    answered = answers[answers["level"].notna()]
    before = last.respondents if last else frozenset()
    new = answered[
        ~answered["respondent"].isin(before) & ~answered["respondent"].isin(open_link)
    ].drop_duplicates("respondent")
    per_group = new.groupby("group")["respondent"].nunique().to_dict()
    short = {
        group: int(per_group.get(group, 0))
        for group in shown_groups
        if per_group.get(group, 0) < threshold
    }
    if len(new) < threshold:
        short["all"] = len(new)
    return short
