"""What scoring works with: the answer columns, the pseudo groups, the thresholds, the rules
as the pages explain them, and the refusal of a selection below the anonymity threshold."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ANSWER_COLUMNS = ("respondent", "group", "department", "statement", "cell", "domain", "level")
ALL = "all"
ORGANISATION = "organisation"
INTERNAL_GROUPS = ("board", "managers", "staff")
DEFAULT_GAP_PAIRS = (
    ("managers", "staff"),
    (ORGANISATION, "tenants"),
    (ORGANISATION, "partners"),
    ("board", "staff"),
)
DISAGREEMENT_SPREAD = 1.0
GAP_THRESHOLD = 0.75  # a perception gap from this size on is marked as large
LEVELS = (1, 2, 3, 4, 5)
DIST_COLUMNS = [f"dist_{n}" for n in LEVELS]
FIGURE_COLUMNS = ["mean", "median", "spread", "n_answers", "na_answers", *DIST_COLUMNS]

RULES = {
    "statement_score": _(
        "Statement score: the mean and median of all answers on the 1–5 scale; 'not applicable / don't know' is left out."
    ),
    "cell_score": _(
        "Cell score: first each respondent's mean over the cell's answered statements, then the mean and median of those respondent means, so every respondent weighs equally."
    ),
    "domain_score": _(
        "Domain score: each respondent's mean over the domain's answered statements, then the mean and median over respondents."
    ),
    "overall_score": _(
        "Overall score: each respondent's mean over all answered statements, then the mean over respondents."
    ),
    "spread": _(
        "Spread: the standard deviation of the respondent means. From 1.0 respondents clearly disagree."
    ),
    "distribution": _("Distribution: the number of answers per level 1 to 5."),
    "threshold": _(
        "Anonymity: a figure based on fewer respondents than the round's minimum group size is not shown anywhere."
    ),
    "disclosure": _(
        "Because totals such as 'Own organisation' and 'Everyone' could be used to work out a hidden group by subtraction (a total minus the groups that are shown), some figures of larger groups are hidden as well. The rule: no difference between figures that are shown, and no total minus the parts that are shown, may describe fewer respondents than the minimum group size. This check is done for every cell, statement, domain and department separately, counting only the people who gave a score (not 'not applicable / don't know'). Department lists show no numbers, and figures are rounded as on the pages."
    ),
    "gap": _(
        "Perception gap: the difference between the cell scores of two groups; from %(gap)s it is marked as large."
    ),
}


class ThresholdRefused(Exception):
    """A filter would show figures of fewer respondents than the threshold."""

    def __init__(self, n: int, min_group_size: int):
        self.n = n
        self.min_group_size = min_group_size
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        return str(
            _(
                "This selection has fewer than %(min)s respondents, so no results can be shown for it."
            )
            % {"min": self.min_group_size}
        )
