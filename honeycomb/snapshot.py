"""Score tables as JSON and back, exactly: what a signed round's snapshot stores."""

from __future__ import annotations

import math

import numpy as np
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


def _column(values: pd.Series) -> list:
    """A column as JSON values: floats with NaN as null, numpy scalars as Python's."""
    if values.dtype.kind == "f":
        array = values.to_numpy()
        return [
            None if missing else v
            for v, missing in zip(array.tolist(), np.isnan(array), strict=True)
        ]
    if values.dtype.kind in "biu":
        return values.to_numpy().tolist()
    return [_plain(v) for v in values.tolist()]


def _table_to_json(table: pd.DataFrame) -> dict:
    columns = [_column(table[c]) for c in table.columns]
    return {
        "names": list(table.index.names),
        "index": [list(i) if isinstance(i, tuple) else _plain(i) for i in table.index.tolist()],
        "columns": list(table.columns),
        "dtypes": [str(t) for t in table.dtypes],
        "data": [list(row) for row in zip(*columns, strict=True)] if columns else [],
    }


def table_from_json(data: dict) -> pd.DataFrame:
    names = data["names"]
    if len(names) > 1:
        index = pd.MultiIndex.from_tuples([tuple(i) for i in data["index"]], names=names)
    else:
        index = pd.Index(data["index"], name=names[0], dtype=object)
    rows = data["data"]
    # Column by column, each straight into its type (one DataFrame, no per-column resets).
    values = list(zip(*rows, strict=True)) if rows else [() for _ in data["columns"]]
    columns = {}
    for column, dtype, items in zip(data["columns"], data["dtypes"], values, strict=True):
        if dtype == "float64":
            columns[column] = np.array(
                [np.nan if v is None else v for v in items], dtype=np.float64
            )
        elif dtype in ("int64", "bool"):
            columns[column] = np.array(items, dtype=dtype)
        else:  # text stays object (pandas would infer its string type)
            columns[column] = pd.Series(list(items), index=index, dtype=object)
    return pd.DataFrame(columns, index=index, columns=data["columns"])


def scores_to_json(scores: RoundScores) -> dict:
    return {
        "min_group_size": scores.min_group_size,
        **{name: _table_to_json(getattr(scores, name)) for name in TABLES},
    }


def scores_from_json(data: dict) -> RoundScores:
    tables = {name: table_from_json(data[name]) for name in TABLES}
    return RoundScores(min_group_size=data["min_group_size"], **tables)
