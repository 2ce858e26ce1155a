"""Issue 23, what was left: amounts refused where they make no sense, Markdown through labels, the PDF's record of
the HTML it was printed from. Each case on the smallest input that shows it (inline tables, no build)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from divide_study.data.clean import check_progress_units
from divide_study.data.numbers import ImplausibleValueError, check_plausible
from divide_study.errors import DataError

# --- amounts that make no sense --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (1e-320, "plugs", "a count of plugs must be at least 1, got 1e-320"),
        (0.5, "households", "a count of households must be at least 1"),
        (1e-9, "inhabitants", "a count of inhabitants must be at least 1"),
        (1e-320, "EUR", "an amount in 'EUR' must be at least 0.01 (a cent)"),
        (0.001, "EUR/plug", "an amount in 'EUR/plug' must be at least 0.01"),
        (1e-320, "Mbit/s", "a value in 'Mbit/s' is too small to compute with"),
        (5e-324, "FTE", "too small to compute with"),
    ],
)
def test_a_count_below_one_or_an_amount_below_a_cent_is_refused(value, unit, words):
    """`1e-320` plugs used to pass (it is greater than 0) and end in an IndexError and a NaN axis."""
    with pytest.raises(ImplausibleValueError, match=re.escape(words)):
        check_plausible(value, unit)


@pytest.mark.parametrize(
    ("value", "unit"), [(1, "plugs"), (13000, "plugs"), (0.01, "EUR"), (200, "EUR/plug"), (0.5, "Mbit/s")]
)
def test_small_but_real_amounts_pass(value, unit):
    assert check_plausible(value, unit) == value


EVIDENCE = pd.DataFrame(
    [
        {"evidence_id": "net_share_2020", "subject": "net", "unit": "share"},
        {"evidence_id": "net_plugs_2022", "subject": "net", "unit": "plugs"},
        {"evidence_id": "net_cost_2022", "subject": "net", "unit": "EUR"},
        {"evidence_id": "net_due_year", "subject": "net", "unit": "year"},
        {"evidence_id": "other_share_2020", "subject": "other", "unit": "share"},
    ]
)


def progress(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"initiative": "net", "kind": k, "evidence_id": e, "by_evidence_id": b, "note": ""} for k, e, b in rows]
    )


def test_progress_in_shares_and_counts_passes():
    rows = [("target", "net_plugs_2022", "net_due_year"), ("achieved", "net_share_2020", "")]
    check_progress_units(progress(*rows), EVIDENCE, Path("data/raw/progress.csv"))


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        (
            ("achieved", "net_cost_2022", ""),
            "data/raw/progress.csv, row 2 (line 3) [initiative=net], column 'evidence_id': a 'achieved' row is a share "
            "of the network's premises or a count of them (share, plugs, households, businesses, dwellings, "
            "premises, lines, sites), but the evidence 'net_cost_2022' is in 'EUR'",
        ),
        (("target", "net_plugs_2022", "net_cost_2022"), "column 'by_evidence_id': by_evidence_id names the year"),
        (("achieved", "other_share_2020", ""), "the evidence 'other_share_2020' is about 'other', not 'net'"),
    ],
)
def test_progress_rows_that_make_no_sense_are_refused_with_their_place(row, shown):
    """Euros given as an achieved count used to pass 01 and 02 and fail in 05: 'not enough values to unpack'."""
    with pytest.raises(DataError) as info:
        check_progress_units(progress(("achieved", "net_share_2020", ""), row), EVIDENCE, Path("data/raw/progress.csv"))
    assert shown in str(info.value)
