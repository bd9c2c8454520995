"""Scoring speed: 1,000 to 50,000 respondents x 48 statements, against a plain SQL GROUP BY.

Everything is measured in this one run on this machine: the SQL floor (SQLite, in memory,
the same answers) and what closing a round computes (disclosure control, the scores and the
honeycomb figure), cold in a fresh process and warm in the same process. Pages read the stored
release, so this is paid once per release. Printed, never asserted. Run with `make bench`
(`BENCH_SIZES=1000,10000` for fewer sizes).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
import django  # noqa: E402

django.setup()

from honeycomb.figure_atoms import release_suppression  # noqa: E402
from honeycomb.results import results_from_answers  # noqa: E402
from honeycomb.scoring_tables import as_categorical  # noqa: E402
from honeycomb.selectors import LoadedAnswers, answer_table  # noqa: E402

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


def make_raw(respondents: int, seed: int = 7) -> dict:
    """The answers as the database hands them to a release (``selectors.answer_table``):
    respondent ids, statement codes and levels (NaN: not applicable), and the respondents."""
    rng = np.random.default_rng(seed)
    st = statements()
    n = respondents * len(st)
    levels = rng.integers(1, 6, size=n).astype("float64")
    levels[rng.random(n) < 0.05] = np.nan
    ids = np.arange(respondents, dtype=np.int64) + 1
    people = pd.DataFrame(
        {
            "respondent": ids,
            "round": 1,
            "group": np.array(GROUPS)[ids % len(GROUPS)],
            "group_name": np.array(GROUPS)[ids % len(GROUPS)],
            "group_position": ids % len(GROUPS),
            "department": np.array(["Wonen", "Vastgoed", "Klantcontact", ""])[ids % 4],
        }
    )
    return {
        "respondent": np.repeat(ids, len(st)),
        "statement": np.tile(np.array([s[0] for s in st], dtype=object), respondents),
        "level": levels,
        "people": people,
    }


def make_answers(respondents: int, seed: int = 7) -> pd.DataFrame:
    """The same answers as one table with every column (ANSWER_COLUMNS)."""
    return load(make_raw(respondents, seed)).answers


class _Doc:
    def statement_frame_rows(self) -> list[tuple[str, str, str]]:
        return statements()


def load(raw: dict) -> LoadedAnswers:
    comments = pd.DataFrame(columns=["round", "group", "statement", "comment"])
    return answer_table(
        raw["respondent"], raw["statement"], raw["level"], raw["people"], comments, _Doc()
    )


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


def publish(raw: dict) -> str:
    """What closing a round computes, as ``release_services.release_make`` does it, from the
    columns the database returns: the answer table (categories), disclosure control, the
    scores of the round and of every listed department, and the release's snapshot as the
    JSON stored in the database. (The results page draws the honeycomb from that snapshot:
    ``results_bench`` times it.)"""
    loaded = load(raw)
    frame = as_categorical(loaded.answers)
    hidden = release_suppression(frame, threshold=5)
    loaded = LoadedAnswers(frame, loaded.groups, loaded.comments)
    scan_round = SimpleNamespace(pk=1, min_group_size=5, previous_round_id=None)
    results = results_from_answers(scan_round, loaded, hidden=hidden)  # type: ignore[arg-type]
    results.comments_frame = None  # comments are read from the database: results_bench
    return json.dumps(results.to_snapshot(cell_codes=CELLS))


def in_fresh_process(size: int) -> dict:
    """Cold: a new process with every cache empty times its first run; then a second run in
    the same process (warm). Peak memory of that process, in MB."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(size)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def one(size: int) -> None:
    raw = make_raw(size)
    start = time.perf_counter()
    publish(raw)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    publish(raw)
    warm = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cold": cold, "warm": warm, "peak_mb": peak}))


def main() -> None:
    print(
        "Klantraat scoring benchmark: closing a round (disclosure control, scores, departments,"
        " the release's snapshot)"
    )
    print("cold = first run in a fresh process; warm = the second run there; seconds")
    print(
        f"{'respondents':>12} {'answers':>10} {'SQL floor':>10} {'cold':>8} {'x floor':>8}"
        f" {'warm':>8} {'x floor':>8} {'peak MB':>8}"
    )
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,50000").split(",")]
    results = []
    for size in sizes:
        frame = make_answers(size)
        floor = sql_floor(frame)
        del frame
        run = in_fresh_process(size)
        results.append((size, run["cold"]))
        print(
            f"{size:>12,} {size * 48:>10,} {floor:>10.3f} {run['cold']:>8.3f}"
            f" {run['cold'] / floor:>7.1f}x {run['warm']:>8.3f} {run['warm'] / floor:>7.1f}x"
            f" {run['peak_mb']:>8.0f}"
        )
    (small, t_small), (large, t_large) = results[0], results[-1]
    growth = (t_large / t_small) / (large / small)
    print(
        f"\ngrowth {small:,} -> {large:,} respondents (cold): time x{t_large / t_small:.1f}"
        f" for data x{large // small} (1.0 = linear; {growth:.2f})"
    )
    per_row = [t / s for s, t in results]
    print(f"time per respondent (cold): median {statistics.median(per_row) * 1e6:.0f} µs")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(int(sys.argv[2]))
    else:
        main()
