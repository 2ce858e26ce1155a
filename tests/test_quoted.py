"""The quoted-number table: keys, natures, units and references checked as a step builds it."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import yaml

from divide_study import config
from divide_study.analysis.quoted import Quotes, combine, load, parse_row_key, primary_sources, row_key
from divide_study.errors import StudyError


def test_a_read_number_names_its_table_row_and_column():
    q = Quotes("compare")
    key = q.read(
        "gers.cost",
        287e6,
        table="data/processed/figures.csv",
        row={"figure_id": "gers_cost"},
        column="value",
        unit="EUR",
        nature="lower_bound",
        what="cost spent to date",
    )
    row = q.frame().set_index("key").loc[key]
    assert key == "compare.gers.cost"
    assert (row["source_table"], parse_row_key(row["source_row"]), row["source_column"]) == (
        "data/processed/figures.csv",
        {"figure_id": "gers_cost"},
        "value",
    )
    assert row["nature"] == "lower_bound" and row["value"] == 287e6 and row["date"] == ""


def test_a_computed_number_names_its_inputs_and_operation():
    q = Quotes("compare")
    a = q.read("a", 10, table="t", row={"id": "a"}, column="v", unit="EUR", nature="stated", what="a")
    b = q.read("b", 4, table="t", row={"id": "b"}, column="v", unit="plugs", nature="stated", what="b")
    c = q.computed("c", 2.5, inputs=[a, b], operation="divide", unit="EUR_per_premise", what="a per b")
    frame = q.frame().set_index("key")
    assert frame.loc[c, "inputs"] == "compare.a;compare.b" and frame.loc[c, "operation"] == "divide"


def test_an_input_that_is_no_quoted_number_is_refused():
    q = Quotes("compare")
    q.computed("c", 1, inputs=["compare.nowhere"], operation="divide", unit="ratio", what="c")
    with pytest.raises(StudyError, match=r"compare\.nowhere"):
        q.frame()
    assert len(q.frame(known=["compare.nowhere"])) == 1  # another step's key, known to the caller


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit": "furlongs", "nature": "stated"}, "unknown unit"),
        ({"unit": "EUR", "nature": "probably"}, "unknown nature"),
    ],
)
def test_unknown_units_and_natures_are_refused(kwargs, message):
    with pytest.raises(StudyError, match=message):
        Quotes("s").read("x", 1, table="t", row={"id": "x"}, column="v", what="x", **kwargs)


def test_keys_are_unique_and_well_formed():
    q = Quotes("s")
    q.assumed("speed", 1000, parameter="gers_speed", unit="Mbit/s", what="assumed speed")
    with pytest.raises(StudyError, match="twice"):
        q.assumed("speed", 100, parameter="gers_speed", unit="Mbit/s", what="assumed speed")
    with pytest.raises(StudyError, match="lower-case"):
        q.assumed("Speed Gers", 1, parameter="p", unit="Mbit/s", what="x")
    with pytest.raises(StudyError, match="twice"):
        combine([q.frame(), q.frame()])


def test_dates_and_numbers_are_checked():
    q = Quotes("s")
    key = q.read(
        "done", "2026-01", table="t", row={"id": "d"}, column="date", unit="date", nature="stated", what="zone complete"
    )
    assert combine([q.frame()]).loc[key, "date"] == "2026-01"
    with pytest.raises(StudyError, match="ISO"):
        q.read("bad", "January 2026", table="t", row={"id": "d"}, column="date", unit="date", nature="stated", what="x")
    with pytest.raises(StudyError, match="finite"):
        q.read("nan", math.nan, table="t", row={"id": "d"}, column="v", unit="EUR", nature="stated", what="x")


def test_row_keys_round_trip():
    pairs = {"topic": "gers_numerique", "figure": "take_up", "as_of": "2023-07"}
    assert parse_row_key(row_key(pairs)) == pairs
    with pytest.raises(StudyError):
        parse_row_key("no pairs here")
    assert isinstance(combine([Quotes("s").frame()]), pd.DataFrame)


def test_a_walk_ends_at_primary_sources_only():
    q = Quotes("s")
    a = q.read(
        "a",
        10,
        table="data/processed/figures.csv",
        row={"figure_id": "a"},
        column="value",
        unit="EUR",
        nature="stated",
        what="a",
    )
    b = q.assumed("b", 2, parameter="p", unit="ratio", what="b")
    c = q.computed("c", 5, inputs=[a, b], operation="divide", unit="EUR", what="c")
    d = q.read(
        "d",
        1,
        table="data/processed/comparison.csv",
        row={"metric": "cost"},
        column="value",
        unit="EUR",
        nature="stated",
        what="d",
    )
    e = q.computed("e", 5, inputs=[c, d], operation="divide", unit="EUR", what="e")
    frame = q.frame()
    assert primary_sources(frame, c) == [
        ("data/processed/figures.csv", "figure_id=a", "value"),
        ("params/default.yaml", "parameter=p", "value"),
    ]
    with pytest.raises(StudyError, match="no primary source"):
        primary_sources(frame, e)


@pytest.mark.skipif(not (config.PROCESSED_DIR / "quoted_compare.csv").exists(), reason="data/processed not built")
def test_every_published_quoted_number_walks_down_to_its_primary_sources_and_matches_them():
    frame = load(config.PROCESSED_DIR)
    tables: dict[str, pd.DataFrame] = {}
    for key in frame.index:
        for table, row, _column in primary_sources(frame, key):
            if table == "params/default.yaml":
                continue  # a parameter: the build validates it, and a scenario may set it
            if table.startswith("params/scenarios/"):  # a scenario's parameter, set in its file
                document = yaml.safe_load((config.PROJ_ROOT / table).read_text(encoding="utf-8"))
                assert parse_row_key(row)["parameter"] in document, (key, table, row)
                continue
            pairs = parse_row_key(row)
            if table.endswith(".json"):  # a reference file of JSON: an entry by its key, or a top-level field
                document = json.loads((config.PROJ_ROOT / table).read_text(encoding="utf-8"))
                assert all(v in document or v in document.get("departments", {}) for v in pairs.values()), (key, row)
                continue
            if table not in tables:
                separator = ";" if "insee" in table else ","
                tables[table] = pd.read_csv(config.PROJ_ROOT / table, dtype=str, keep_default_na=False, sep=separator)
            data = tables[table]
            if set(pairs) == {"row"}:  # a data row by its number, counted from 1 as the study's messages count
                assert 1 <= int(pairs["row"]) <= len(data), (key, table, row)
                continue
            match = pd.Series(True, index=data.index)
            for column_name, value in pairs.items():
                match &= data[column_name] == value
            assert match.sum() == 1, (key, table, row)
    # A share of the baromètre is its raw file's percentage over 100, in the row and column it names.
    shares = frame["source_table"].str.contains("barometre/") & frame["source_table"].str.endswith(".csv")
    for key, row in frame[shares & (frame["unit"] == "share")].iterrows():
        data = tables[row["source_table"]]
        cell = data.iloc[int(parse_row_key(row["source_row"])["row"]) - 1][row["source_column"]]
        assert math.isclose(float(cell) / 100, row["value"], abs_tol=1e-9), key
    # A contract's year is its row's cell of the cited contracts table.
    contracts = frame[frame["source_table"] == "data/raw/reference/contracts.csv"]
    assert len(contracts) >= 6
    for key, row in contracts.iterrows():
        cell = tables[row["source_table"]].iloc[int(parse_row_key(row["source_row"])["row"]) - 1][row["source_column"]]
        assert int(cell) == row["value"], key
    # Each number read from a source is the source's own value (or the year or date it speaks for).
    for key, row in frame[
        frame["source_table"].isin(["data/processed/figures.csv", "data/processed/external_figures.csv"])
    ].iterrows():
        data = tables[row["source_table"]]
        match = pd.Series(True, index=data.index)
        for column_name, value in parse_row_key(row["source_row"]).items():
            match &= data[column_name] == value
        cell = data.loc[match, row["source_column"]].iloc[0]
        if row["unit"] == "date":
            assert cell.startswith(row["date"]), key
        elif row["source_column"] == "as_of":
            assert cell.startswith(str(int(row["value"]))), key
        else:
            assert math.isclose(float(cell), row["value"]), key
