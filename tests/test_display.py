"""Tables shown in notebooks: no scientific notation, no NaN, years as years."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from divide_study.analysis.display import MISSING, number, readable


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2.14e8, "214,000,000"),
        (50000000.0, "50,000,000"),
        (3330.4, "3,330"),
        (11.37, "11.4"),
        (0.0533, "0.0533"),
        (2.0, "2"),
        (float("nan"), MISSING),
        (None, MISSING),
        (math.inf, "∞"),
    ],
)
def test_number(value, shown):
    assert number(value) == shown


def test_readable_table_has_no_scientific_notation_nor_nan():
    frame = pd.DataFrame(
        {
            "initiative": ["gers", "castres", None],
            "value": [2.14e8, float("nan"), 0.5],
            "plugs": [100000, 38000, 5],
            "base_year": [2025, 2025, 2003],
        }
    )
    html = readable(frame).to_html()
    assert "214,000,000" in html and "100,000" in html and "2025" in html
    assert "e+08" not in html and "NaN" not in html and "2,025" not in html and "None" not in html
    assert html.count(MISSING) == 2


def test_a_meaningful_index_is_kept():
    frame = pd.DataFrame({"value": [1.5]}, index=pd.Index(["gers"], name="initiative"))
    assert "gers" in readable(frame).to_html()
