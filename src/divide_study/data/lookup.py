"""Indexes of the study's tables, built once per table: each lookup by key then costs the same however large
the tables grow, so the analyses grow linearly with the data (a scan of a table per lookup made them
quadratic: see benchmarks/initiative_scaling.py).

An index is kept for as long as its table lives and is rebuilt for any other table object. The tables are
read-only once loaded (``study.load_study`` finishes its typing before any lookup), which is what makes
keeping an index safe; a caller changing a table in place must pass a copy instead.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import pandas as pd

_INDEXES: dict[tuple[int, str], tuple[weakref.ref, Any]] = {}
_LIMIT = 256  # entries kept before those of tables that no longer exist are dropped


def _cached(frame: pd.DataFrame, name: str, build: Callable[[pd.DataFrame], Any]) -> Any:
    key = (id(frame), name)
    hit = _INDEXES.get(key)
    if hit is not None and hit[0]() is frame:
        return hit[1]
    if len(_INDEXES) >= _LIMIT:
        for stale in [k for k, (ref, _) in _INDEXES.items() if ref() is None]:
            del _INDEXES[stale]
    value = build(frame)
    _INDEXES[key] = (weakref.ref(frame), value)
    return value


def records(frame: pd.DataFrame, column: str, key_of: Callable[[dict], str] | None = None) -> dict[str, dict]:
    """The first row of each value of ``column`` (or of ``key_of(row)``), as a dict."""

    def build(f: pd.DataFrame) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for record in f.to_dict("records"):
            out.setdefault(key_of(record) if key_of else record[column], record)
        return out

    return _cached(frame, f"records:{column}:{'key' if key_of else 'column'}", build)


def grouped_records(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple, list[dict]]:
    """The rows of ``frame`` as dicts, by the values of ``columns`` (a tuple key, in the table's order)."""

    def build(f: pd.DataFrame) -> dict[tuple, list[dict]]:
        out: dict[tuple, list[dict]] = {}
        for record in f.to_dict("records"):
            out.setdefault(tuple(record[c] for c in columns), []).append(record)
        return out

    return _cached(frame, "grouped:" + ",".join(columns), build)


def reference_id(row) -> str:
    """The evidence id of a reference row: topic|figure|as_of."""
    return f"{row['topic']}|{row['figure']}|{row['as_of']}"
