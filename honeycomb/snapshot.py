"""Score tables as JSON and back, exactly: what a signed round's snapshot stores."""

from __future__ import annotations

import math

import pandas as pd

from .scoring import RoundScores

TABLES = ("statements", "cells", "domains", "overall", "gaps", "departments")


def _plain(value):
    """A JSON value for a table cell: NaN becomes null, numpy scalars Python numbers."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _table_to_json(table: pd.DataFrame) -> dict:
    split = table.to_dict(orient="split")
    return {
        "names": list(table.index.names),
        "index": [list(i) if isinstance(i, tuple) else i for i in split["index"]],
        "columns": split["columns"],
        "dtypes": [str(t) for t in table.dtypes],
        "data": [[_plain(v) for v in row] for row in split["data"]],
    }


def _table_from_json(data: dict) -> pd.DataFrame:
    names = data["names"]
    if len(names) > 1:
        index = pd.MultiIndex.from_tuples([tuple(i) for i in data["index"]], names=names)
    else:
        index = pd.Index(data["index"], name=names[0], dtype=object)
    frame = pd.DataFrame(data["data"], columns=data["columns"], index=index)
    for column, dtype in zip(data["columns"], data["dtypes"], strict=True):
        if dtype in ("float64", "int64", "bool"):
            frame[column] = frame[column].astype("float64" if dtype == "float64" else dtype)
        else:
            frame[column] = frame[column].astype(object)
    return frame


def scores_to_json(scores: RoundScores) -> dict:
    return {
        "min_group_size": scores.min_group_size,
        **{name: _table_to_json(getattr(scores, name)) for name in TABLES},
    }


def scores_from_json(data: dict) -> RoundScores:
    tables = {name: _table_from_json(data[name]) for name in TABLES}
    return RoundScores(min_group_size=data["min_group_size"], **tables)
