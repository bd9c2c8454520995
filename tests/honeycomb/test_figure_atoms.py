"""The fast tables (pandas group-bys over classes of elements) decide exactly what the
reference decides: every answer walked into sets, ``disclosure.protect`` over them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from honeycomb import disclosure
from honeycomb.figure_atoms import EarlierRelease, release_suppression
from tests.honeycomb.reference_figures import round_figures
from tests.honeycomb.test_disclosure_property import rounds
from tests.honeycomb.test_release_property import release_sequences


def reference(answers, *, threshold, earlier=(), open_link=frozenset()) -> frozenset:
    """The reference: each release's figures as element sets, checked together."""
    figures = {("new", key): sets for key, sets in round_figures(answers).items()}
    primary, fixed = set(), set()
    for index, release in enumerate(earlier):
        then = answers[answers["respondent"].isin(release.respondents)]
        for key, sets in round_figures(then).items():
            figures[(index, key)] = sets
            (primary if key in release.hidden else fixed).add((index, key))
    hidden = disclosure.protect(
        figures, threshold=threshold, primary=primary, fixed=fixed, uncounted=open_link
    )
    return frozenset(key for tag, key in hidden if tag == "new")


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a proof, never a flaky test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(rounds())
def test_one_release_decides_as_the_reference(round_):
    answers, threshold = round_
    assert release_suppression(answers, threshold=threshold) == reference(
        answers, threshold=threshold
    )


@SETTINGS
@given(release_sequences())
def test_a_sequence_of_releases_decides_as_the_reference(sequence):
    answers, arrivals, open_link, threshold, releases = sequence
    fast: list[EarlierRelease] = []
    slow: list[EarlierRelease] = []
    for number in range(releases):
        now = answers[answers["respondent"].isin([r for r, at in arrivals.items() if at <= number])]
        ids = frozenset(int(r) for r in now["respondent"].unique())
        a = release_suppression(now, threshold=threshold, earlier=fast, open_link=open_link)
        b = reference(now, threshold=threshold, earlier=slow, open_link=open_link)
        assert a == b
        fast.append(EarlierRelease(ids, a))
        slow.append(EarlierRelease(ids, b))
