"""Tables as an analyst reads them in a notebook: grouped digits, no scientific notation, a dash for missing.

pandas shows ``2.140000e+08``, ``50000000.0`` and ``NaN`` by default, and cuts wide tables to twenty columns.
``readable_tables()`` (called in the notebooks' first cell) makes every DataFrame a notebook shows go through
``readable``; the tables written to ``data/processed`` are not touched.
"""

from __future__ import annotations

import math
from numbers import Number

import pandas as pd

MISSING = "–"


def number(value: object) -> str:
    """A float as a reader wants it: whole above 100 with grouped digits, else three significant figures."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if not isinstance(value, Number):
        return str(value)
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if abs(value) >= 100 or value.is_integer():
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _is_year_like(column: object) -> bool:
    # Years and character offsets read wrong with a thousands separator ("2,025").
    name = str(column).lower()
    return "year" in name or name in ("start", "end", "as_of")


def readable(frame: pd.DataFrame) -> pd.io.formats.style.Styler:
    """``frame`` styled for reading: numbers formatted by ``number`` (integers grouped, years as they are),
    missing values as a dash, a plain index hidden."""
    styler = frame.style
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    integers = [c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c]) and not _is_year_like(c)]
    styler = styler.format(number, subset=floats, na_rep=MISSING)
    styler = styler.format("{:,}", subset=integers, na_rep=MISSING)
    others = [c for c in frame.columns if c not in floats and c not in integers]
    styler = styler.format(na_rep=MISSING, subset=others)
    if isinstance(frame.index, pd.RangeIndex):
        styler = styler.hide(axis="index")
    return styler


def readable_tables() -> None:
    """Every DataFrame shown in this IPython session through ``readable``, all its columns shown."""
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 250)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to register
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda frame: readable(frame).to_html())
