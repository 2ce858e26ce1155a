"""Reference data: citations present, derived values' arithmetic redone, CPI conversion by hand."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from divide_study import config
from divide_study.data.reference import cpi_factor, load_reference, recompute_derived_cpi, to_constant_euros


@pytest.fixture(scope="module")
def reference():
    return load_reference(config.REFERENCE_DIR)


def test_every_reference_row_is_cited(reference):
    assert (reference.cpi["source"].str.strip() != "").all()
    assert (reference.external["source"].str.strip() != "").all()
    assert (reference.external["quote"].str.strip() != "").all()
    assert set(reference.tables["table"]) == {"cpi_france.csv", "external_figures.csv", "contracts.csv"}


def test_reference_tables_are_unchanged_copies(sources_dir):
    shared = sources_dir.parent / "reference"
    for name in ("cpi_france.csv", "external_figures.csv"):
        assert (config.REFERENCE_DIR / name).read_bytes() == (shared / name).read_bytes(), name


def test_derived_cpi_values_follow_their_stated_arithmetic(reference):
    checked = recompute_derived_cpi(reference.cpi)
    derived_years = set(reference.cpi.loc[reference.cpi["kind"] == "derived", "year"])
    assert set(checked["year"]) == derived_years
    for row in checked.itertuples():
        assert round(row.recomputed, 2) == pytest.approx(row.stated, abs=1e-9), row.year


def test_recompute_derived_cpi_on_an_inline_table():
    cpi = pd.DataFrame(
        {
            "year": [2000, 2001, 2002],
            "cpi_2015_100": [80.00, 81.60, 82.42],
            "kind": ["published", "derived", "derived"],
            "source": ["INSEE", "chained from 2000 with inflation 2.0%", "chained from 2001 with inflation 1.0%"],
        }
    )
    checked = recompute_derived_cpi(cpi).set_index("year")["recomputed"]
    assert checked[2001] == pytest.approx(81.6)
    assert checked[2002] == pytest.approx(80 * 1.02 * 1.01)


def test_derived_notes_in_external_figures_add_up(reference):
    external = reference.external
    vacant = external[external["figure"] == "vacant dwellings in the Gers"].iloc[0]
    share = float(re.search(r"([\d.]+)% of dwellings", vacant["note"])[1]) / 100
    stated_total = float(re.search(r"about (\d+) dwellings", vacant["note"])[1])
    assert vacant["value"] / share == pytest.approx(stated_total, rel=0.01)
    state = external[external["figure"] == "State share of phase 1"].iloc[0]
    phase1 = float(re.search(r"about (\d+) M EUR", state["note"])[1]) * 1e6
    assert state["value"] / phase1 > 0.40  # the quote says "plus de 40 %"


def test_cpi_conversion_by_hand():
    cpi = pd.DataFrame({"year": [2003, 2023], "cpi_2015_100": [84.56, 117.40]})
    assert cpi_factor(cpi, 2003, 2023) == pytest.approx(117.40 / 84.56)
    assert to_constant_euros(5e6, 2003, 2023, cpi) == pytest.approx(5e6 * 117.40 / 84.56)
    with pytest.raises(KeyError, match="no CPI for 1990"):
        cpi_factor(cpi, 1990, 2023)
