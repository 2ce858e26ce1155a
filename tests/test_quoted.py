"""The quoted-number table: keys, natures, units and references checked as a step builds it."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import yaml

from divide_study import config
from divide_study.analysis.quoted import (
    NONE,
    ROW_OPERATIONS,
    Quotes,
    combine,
    count_rows,
    load,
    parse_row_key,
    primary_sources,
    rank_first,
    row_key,
    select_rows,
    sum_rows,
)
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


@pytest.mark.parametrize(
    ("operation", "inputs", "value", "refused"),
    [
        ("divide", (100e6, 190_932), 100e6 / 190_932, False),
        # The quotient of another year's count than the one listed as its input (the drift this check catches).
        ("divide", (100e6, 192_437), 100e6 / 190_932, True),
        ("add", (70_000, 50_000), 120_000, False),
        ("add", (70_000, 50_000), 119_000, True),
        ("multiply", (0.19, 114_032), 0.19 * 114_032, False),
        ("multiply", (0.19, 114_032), 21_000, True),
        ("difference", (10, 4), 6, False),
        ("difference", (10, 4), 14, True),
    ],
)
def test_a_computed_number_must_be_what_its_inputs_give(operation, inputs, value, refused):
    q = Quotes("compare")
    keys = [
        q.read(f"x{n}", v, table="t", row={"id": str(n)}, column="v", unit="count", nature="stated", what="x")
        for n, v in enumerate(inputs)
    ]
    if refused:
        with pytest.raises(StudyError, match=rf"'y'.*not the {operation} of its inputs"):
            q.computed("y", value, inputs=keys, operation=operation, unit="count", what="y")
    else:
        assert q.computed("y", value, inputs=keys, operation=operation, unit="count", what="y") == "compare.y"


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


COMMUNES = pd.DataFrame(
    {
        "Code commune": ["01001", "01002", "02001", "97101"],
        "Code département": ["01", "01", "02", "971"],
        "Zones très denses": pd.array([pd.NA, 1, pd.NA, 0], dtype="Int64"),
        "Engagements L. 33-13": ["-", "-", "FRTE", " - "],
    }
)
PLUGS = pd.DataFrame(
    {
        "Code commune": ["01001", "01001", "01002", "02001", "97101", "99999"],
        "Champ": ["Locaux Raccordables", "Catégorie"] + ["Locaux Raccordables"] * 4,
        "T1 2018": [10, 99, 20, 30, 5, 7],
    }
)


def test_a_filter_selects_rows_by_value_none_pattern_negation_and_a_joined_file():
    joined = "communes.csv[Code commune]:"
    public = {"Champ": "Locaux Raccordables", f"{joined}Zones très denses": NONE, f"{joined}Engagements L. 33-13": NONE}
    others = {"communes.csv": COMMUNES}
    # Commune 01001's plugs (not its "Catégorie" row); 01002 is very dense, 02001 committed, 99999 in no commune.
    assert sum_rows(PLUGS, {**public, f"{joined}Code département": "01"}, "T1 2018", others) == 10
    assert sum_rows(PLUGS, public, "T1 2018", others) == 15  # 01001 and 97101 (0 and " - " hold none)
    assert count_rows(COMMUNES, {"Code département!": "97*"}) == 3
    assert count_rows(COMMUNES, {"Code département": "0*", "Engagements L. 33-13!": NONE}) == 1
    assert count_rows(COMMUNES, {"Code commune": "*01"}) == 3
    assert count_rows(COMMUNES, {}) == count_rows(COMMUNES, "") == 4
    assert list(select_rows(COMMUNES, row_key({"Code département": "01"}))["Code commune"]) == ["01001", "01002"]
    with pytest.raises(StudyError, match="was not given"):
        select_rows(PLUGS, public)
    with pytest.raises(StudyError, match="no column 'Nom'"):
        count_rows(COMMUNES, {"Nom": "x"})
    with pytest.raises(StudyError, match="joined by"):
        select_rows(PLUGS, {"communes.csv:Code département": "01"}, others)


def test_a_rank_is_the_place_of_the_first_value_highest_first():
    assert rank_first([0.2, 0.5, 0.2, 0.1]) == 2
    assert rank_first([0.5, 0.5, 0.9]) == 2  # equal values share the higher place
    assert rank_first([3.0]) == 1


def test_summed_and_counted_numbers_walk_to_the_primary_file_they_read():
    ftth, communes = "data/raw/arcep_2018/ftthCommunes.csv", "data/raw/arcep_2018/communes.csv"
    q = Quotes("s")
    plugs = q.summed(
        "plugs", 10, table=ftth, where={"Champ": "Locaux Raccordables"}, column="T1 2018", unit="plugs", what="p"
    )
    rows = q.counted("rows", 4, table=communes, where={}, unit="count", what="r")
    ratio = q.computed("ratio", 2.5, inputs=[plugs, rows], operation="divide", unit="ratio", what="x")
    rank = q.computed("rank", 1, inputs=[ratio], operation="rank", unit="rank", what="y")
    frame = q.frame()
    assert primary_sources(frame, rank) == [(ftth, "Champ=Locaux Raccordables", "T1 2018"), (communes, "", "")]
    assert list(frame["operation"]) == ["sum_rows", "count_rows", "divide", "rank"]
    assert set(ROW_OPERATIONS) == {"sum_rows", "count_rows"}
    with pytest.raises(StudyError, match="no primary file"):
        q.summed("bad", 1, table="data/processed/national_panel.csv", where={}, column="plugs", unit="plugs", what="b")
    with pytest.raises(StudyError, match="unknown operation"):
        q.computed("bad", 1, inputs=[plugs], operation="sum_rows", unit="plugs", what="b")


@pytest.mark.skipif(not (config.PROCESSED_DIR / "quoted_compare.csv").exists(), reason="data/processed not built")
def test_every_published_quoted_number_walks_down_to_its_primary_sources_and_matches_them():
    from divide_study.data.arcep import read_arcep_table

    frame = load(config.PROCESSED_DIR)
    tables: dict[str, pd.DataFrame] = {}
    # ARCEP's files and the claims' file, read by the Table Schema beside each (ARCEP's title lines, padded counts).
    laid_out = {}
    for table in {t for t in frame["source_table"] if t.startswith(("data/raw/arcep_2018/", "data/raw/press_claims"))}:
        laid_out[table] = read_arcep_table(config.PROJ_ROOT / table)
    for key, row in frame[frame["operation"].isin(ROW_OPERATIONS)].iterrows():
        data, where = laid_out[row["source_table"]], row["source_row"]
        others = {name.rsplit("/", 1)[-1]: t for name, t in laid_out.items()}
        if row["operation"] == "sum_rows":
            assert math.isclose(sum_rows(data, where, row["source_column"], others), row["value"]), key
        else:
            assert count_rows(data, where, others) == row["value"], key
    for key, row in frame[frame["source_row"].str.fullmatch(r"line=\d+")].iterrows():  # a column's heading
        lines = (config.PROJ_ROOT / row["source_table"]).read_text(encoding="utf-8").splitlines()
        assert row["source_column"] in lines[int(row["source_row"].split("=")[1]) - 1].split(","), key
    for key in frame.index:
        for table, row, _column in primary_sources(frame, key):
            if table == "params/default.yaml":
                continue  # a parameter: the build validates it, and a scenario may set it
            if table.startswith("params/scenarios/"):  # a scenario's parameter, set in its file
                document = yaml.safe_load((config.PROJ_ROOT / table).read_text(encoding="utf-8"))
                assert parse_row_key(row)["parameter"] in document, (key, table, row)
                continue
            if table in laid_out:
                continue  # checked above: a sum, a count or a column's heading
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


def test_an_amount_derived_from_a_funders_share_names_the_amount_and_the_share_it_divides():
    from divide_study.analysis.quoting import money_keys, money_quotes

    evidence = pd.DataFrame(
        {
            "evidence_id": ["a|dept|2026", "a|share|2022"],
            "kind": ["reference", "reference"],
            "value": [25e6, 0.6],
            "unit": ["EUR", "share"],
            "qualifier": ["at_least", "exact"],
            "amount_nature": ["contributed", ""],
            "as_of": ["2026", "2022"],
        }
    )
    money = pd.DataFrame(
        {
            "initiative": ["a", "a"],
            "evidence_id": ["a|dept|2026", "a|dept|2026"],
            "share_id": ["", "a|share|2022"],
            "amount_eur": [25e6, 25e6 / 0.6],
            "scope": ["whole", "whole"],
            "premises_option": ["", ""],
            "population_option": ["", ""],
            "per_premise": [float("nan")] * 2,
            "per_inhabitant": [float("nan")] * 2,
        }
    )
    q = Quotes("compare")
    money_quotes(q, money, None, evidence)
    rows = q.frame().set_index("key")
    own, derived = money_keys(money)["amount_eur"]
    assert own == "compare.a.money.a_dept_2026" and derived == f"{own}.all_funders"
    assert rows.loc[own, "nature"] == "lower_bound" and rows.loc[own, "value"] == 25e6
    assert rows.loc[derived, "operation"] == "divide" and rows.loc[derived, "value"] == pytest.approx(25e6 / 0.6)
    assert rows.loc[derived, "inputs"].split(";") == [f"{derived}.stated", f"{derived}.share"]
    assert rows.loc[f"{derived}.share", "value"] == 0.6
    # A derived amount whose value is not the quotient of its inputs is refused (an entry naming wrong numbers).
    with pytest.raises(StudyError, match="is not the divide of its inputs"):
        money_quotes(Quotes("compare"), money.assign(amount_eur=[25e6, 25e6]), None, evidence)
