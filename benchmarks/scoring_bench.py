"""Scoring speed: 10,000 respondents x 48 statements, against a plain SQL GROUP BY floor.

Everything is measured in this one run on this machine: the SQL floor (SQLite, in memory,
the same answers) and Klantraat's scoring plus the honeycomb figure. Printed, never asserted.
Run with `make bench`.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
import django  # noqa: E402

django.setup()

from honeycomb.chart_geometry import HexCell  # noqa: E402
from honeycomb.charts import honeycomb_figure  # noqa: E402
from honeycomb.scoring import ANSWER_COLUMNS, score_round  # noqa: E402

GROUPS = ["board", "managers", "staff", "partners", "tenants"]
CELLS = [
    f"{d}{i}" for d, n in (("KV", 3), ("KP", 5), ("DI", 3), ("GE", 4)) for i in range(1, n + 1)
]


def statements() -> list[tuple[str, str, str]]:
    out = []
    for index in range(48):
        cell = CELLS[index % len(CELLS)]
        out.append((f"{cell}.{index // len(CELLS) + 1}", cell, cell[:2]))
    return out


def make_answers(respondents: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    st = statements()
    n = respondents * len(st)
    levels = rng.integers(1, 6, size=n).astype("float64")
    levels[rng.random(n) < 0.05] = np.nan
    resp = np.repeat(np.arange(respondents), len(st))
    return pd.DataFrame(
        {
            "respondent": resp,
            "group": np.array(GROUPS)[resp % len(GROUPS)],
            "department": np.array(["Wonen", "Vastgoed", "Klantcontact", ""])[resp % 4],
            "statement": np.tile([s[0] for s in st], respondents),
            "cell": np.tile([s[1] for s in st], respondents),
            "domain": np.tile([s[2] for s in st], respondents),
            "level": levels,
        }
    )[list(ANSWER_COLUMNS)]


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def sql_floor(frame: pd.DataFrame) -> float:
    """The floor: one GROUP BY (group, cell) with AVG and COUNT over the same rows."""
    db = sqlite3.connect(":memory:")
    frame.to_sql("answer", db, index=False)
    query = 'SELECT "group", cell, AVG(level), COUNT(level), COUNT(DISTINCT respondent) FROM answer GROUP BY "group", cell'
    return best_of(lambda: db.execute(query).fetchall())


def klantraat(frame: pd.DataFrame) -> float:
    def run():
        scores = score_round(frame, min_group_size=5)
        cells = [
            HexCell(
                code=c,
                label=c,
                domain_code=c[:2],
                domain_label=c[:2],
                score=scores.cell(c).get("mean"),
                n=int(scores.cell(c).get("n_respondents") or 0),
            )
            for c in CELLS
        ]
        honeycomb_figure(cells).to_dict()

    return best_of(run)


def main() -> None:
    print("Klantraat scoring benchmark (best of 5, seconds)")
    print(
        f"{'respondents':>12} {'answers':>9} {'SQL floor':>10} {'scoring+figure':>15} {'ratio':>7}"
    )
    sizes = [1_000, 2_500, 5_000, 10_000]
    results = []
    for size in sizes:
        frame = make_answers(size)
        floor = sql_floor(frame)
        ours = klantraat(frame)
        results.append((size, ours))
        print(f"{size:>12,} {len(frame):>9,} {floor:>10.3f} {ours:>15.3f} {ours / floor:>7.2f}x")
    (small, t_small), (large, t_large) = results[0], results[-1]
    growth = (t_large / t_small) / (large / small)
    print(
        f"\ngrowth 1,000 -> 10,000 respondents: time x{t_large / t_small:.1f} for data x{large // small} (1.0 = linear; {growth:.2f})"
    )
    per_row = [t / s for s, t in results]
    print(f"time per respondent: median {statistics.median(per_row) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
