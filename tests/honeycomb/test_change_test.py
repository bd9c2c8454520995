"""Which changes are real: the 95 % interval of the difference of respondent means, on data
whose answer is known."""

import math
import statistics
from dataclasses import dataclass

import pytest

from honeycomb.change_test import change_verdict, change_verdicts, clear_codes, t_quantile


@dataclass
class F:
    shown: bool
    mean: float | None
    spread: float | None
    n: int | None


def figure(values: list[float]) -> F:
    return F(True, statistics.mean(values), statistics.stdev(values), len(values))


def test_a_large_shift_with_little_spread_is_a_clear_change():
    before = figure([2.0, 2.2, 2.4, 2.1, 2.3, 2.2, 2.0, 2.4, 2.1, 2.3])
    now = figure([3.0, 3.2, 3.4, 3.1, 3.3, 3.2, 3.0, 3.4, 3.1, 3.3])
    verdict = change_verdict(now, before)
    assert verdict is not None and verdict.clear
    assert verdict.change == pytest.approx(1.0)
    assert verdict.low > 0.8 and verdict.high < 1.2


def test_a_small_shift_within_the_spread_is_no_clear_change():
    before = figure([1, 5, 2, 4, 3, 1, 5, 3])
    now = figure([2, 5, 2, 4, 3, 2, 5, 3])
    verdict = change_verdict(now, before)
    assert verdict is not None and not verdict.clear
    assert verdict.low < 0 < verdict.high


def test_the_interval_is_welchs_by_hand():
    # Means 3,5 and 3,0; spreads 0,5 and 0,5; 20 respondents each: error √(0,25/20·2) = 0,158;
    # Welch's degrees of freedom 38 → t = 2,042 (the row of 30: wider, never too eager).
    now, before = F(True, 3.5, 0.5, 20), F(True, 3.0, 0.5, 20)
    verdict = change_verdict(now, before)
    error = math.sqrt(0.25 / 20 * 2)
    assert verdict.margin == pytest.approx(2.042 * error)
    assert verdict.clear  # 0,5 > 0,32
    # The same shift with five respondents each is not clear (t(8) = 2,306, error 0,316).
    assert not change_verdict(F(True, 3.5, 0.5, 5), F(True, 3.0, 0.5, 5)).clear


def test_a_decline_is_clear_too():
    verdict = change_verdict(F(True, 2.0, 0.3, 30), F(True, 3.0, 0.3, 30))
    assert verdict.clear and verdict.high < 0


def test_hidden_or_single_figures_give_no_verdict():
    shown = F(True, 3.0, 0.5, 10)
    assert change_verdict(F(False, None, None, None), shown) is None
    assert change_verdict(shown, F(True, 3.0, None, 1)) is None


def test_t_quantiles_fall_towards_the_normal():
    assert t_quantile(1) == pytest.approx(12.706)
    assert t_quantile(11.7) == pytest.approx(2.228)  # between rows: the wider one
    assert t_quantile(1000) == pytest.approx(1.96)


def test_verdicts_per_cell():
    class Results:
        def __init__(self, figures):
            self.figures = figures

        def cell(self, code, group="all"):
            return self.figures.get(code, F(False, None, None, None))

    now = Results({"A": F(True, 3.8, 0.3, 40), "B": F(True, 3.1, 0.8, 12)})
    before = Results({"A": F(True, 3.0, 0.3, 40), "B": F(True, 3.0, 0.8, 12)})
    verdicts = change_verdicts(now, before, ["A", "B", "C"], "all")
    assert set(verdicts) == {"A", "B"} and clear_codes(verdicts) == {"A"}
    assert change_verdicts(now, None, ["A"], "all") == {}
