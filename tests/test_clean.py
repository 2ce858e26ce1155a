"""The cleaning step: contract of the processed tables, and malformed raw rows that must stop it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import tree_digest
from frictionless import Package

from divide_study import config
from divide_study.data import clean
from divide_study.errors import DataError

# --- the real data ------------------------------------------------------------------------------------------


def test_every_span_stands_at_its_offsets_in_its_source(processed: Path, sources_dir: Path):
    figures = pd.read_csv(processed / "figures.csv", dtype={"as_of": str})
    assert len(figures) > 20
    for row in figures.itertuples():
        text = (sources_dir / row.source).read_text(encoding="utf-8")
        assert text[row.start : row.end] == row.span, row.figure_id


def test_committed_processed_figures_spans_when_built(sources_dir: Path):
    """The published data/processed (when a build has made it) holds only verifiable spans too."""
    path = config.PROCESSED_DIR / "figures.csv"
    if not path.exists():
        pytest.skip("data/processed/figures.csv has not been built in this checkout")
    figures = pd.read_csv(path, dtype={"as_of": str})
    for row in figures.itertuples():
        text = (sources_dir / row.source).read_text(encoding="utf-8")
        assert text[row.start : row.end] == row.span, row.figure_id


def test_processed_tables_follow_the_contract(processed: Path):
    figures = pd.read_csv(processed / "figures.csv", dtype={"as_of": str})
    assert list(figures.columns) == clean.FIGURE_COLUMNS
    assert figures["figure_id"].is_unique
    assert figures["as_of"].str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    shares = figures[figures["unit"] == "share"]["value"]
    assert shares.between(0, 1).all()
    sources = pd.read_csv(processed / "sources.csv", dtype=str, keep_default_na=False)
    assert list(sources.columns) == clean.SOURCE_COLUMNS


def test_datapackage_validates(processed: Path):
    report = Package(str(processed / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {resource.name for resource in Package(str(processed / "datapackage.json")).resources}
    assert {"figures", "sources", "initiatives"} <= names


def test_key_figures_read_as_the_articles_state_them(processed: Path):
    figures = pd.read_csv(processed / "figures.csv", dtype={"as_of": str}).set_index("figure_id")

    def check(figure_id, value, unit, qualifier, as_of):
        row = figures.loc[figure_id]
        assert (row["value"], row["unit"], row["qualifier"], row["as_of"]) == (
            pytest.approx(value),
            unit,
            qualifier,
            as_of,
        ), figure_id

    check("gers_plugs_eligible_2019", 13_000, "plugs", "at_least", "2019-03-15")
    check("gers_budget_initial", 100e6, "EUR", "exact", "2014")
    check("gers_state_funding", 50e6, "EUR", "exact", "2021-10-01")
    check("gers_share_eligible_2020", 0.5, "share", "exact", "2020-09-11")
    check("gers_share_target_2020", 2 / 3, "share", "target", "2020")
    check("gers_worksites_2019", 14, "worksites", "exact", "2019-03-15")
    check("castres_households_covered", 33_000, "households", "exact", "2003")
    check("castres_businesses_covered", 5_000, "businesses", "exact", "2003")
    check("castres_speed_offered", 2, "Mbit/s", "exact", "2003")
    check("castres_investment", 5e6, "EUR", "exact", "2003")
    check("castres_metro_network_year", 1998, "year", "exact", "1998")
    check("soho_families_settled", 250, "families", "exact", "2010")
    check("soho_eu_funds_all_partners", 23e6, "EUR", "at_least", "2010")
    check("ctx_fibre_lines_target_2022", 27e6, "lines", "target", "2022")


def test_articles_dated_from_their_context(processed: Path):
    sources = pd.read_csv(processed / "sources.csv", dtype=str, keep_default_na=False).set_index("article")
    assert sources.loc["001", "published"] == "2019-03-15"
    assert sources.loc["002", "published"] == "2021-10-01"
    assert sources.loc["000a", "published"] == "2020-09-11"
    assert sources.loc["000b", "published"] == "2017-07-05"
    assert sources.loc["004", "published"] == "2003"
    assert sources.loc["004", "published_latest"] == "2003-12-03"
    assert sources.loc["003", "published"] == "2010"
    assert sources.loc["000b", "relevant"] == "False"
    assert (sources["date_basis"] != "").all()


def test_off_topic_article_yields_no_figure(processed: Path):
    figures = pd.read_csv(processed / "figures.csv", dtype={"as_of": str})
    assert "000b" not in set(figures["article"])


def test_initiatives_take_their_start_year_from_figures(processed: Path):
    initiatives = pd.read_csv(processed / "initiatives.csv").set_index("initiative")
    assert initiatives.loc["gers_numerique", "start_year"] == 2014
    assert initiatives.loc["castres_mazamet", "start_year"] == 1998
    assert pd.isna(initiatives.loc["soho_solo", "start_year"])


# --- the tiny study, broken on purpose ----------------------------------------------------------------------


def run_tiny(study):
    return clean.run(raw_dir=study["raw"], sources_dir=study["sources"], out_dir=study["out"])


def test_tiny_study_cleans(tiny_study):
    tables = run_tiny(tiny_study)
    figures = tables["figures"].set_index("figure_id")
    assert figures.loc["plugs", "value"] == 13_000 and figures.loc["plugs", "qualifier"] == "at_least"
    assert figures.loc["plugs", "as_of"] == "2019-03-15"
    assert figures.loc["budget", "value"] == 100e6
    assert figures.loc["target", "qualifier"] == "target"
    # The build writes datapackage.json once, after every step; one step never describes the others' tables.
    assert not (tiny_study["out"] / "datapackage.json").exists()


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    [
        ("figures.csv", 1, "value_text", "13.000,5.2", "cannot read '13.000,5.2'"),
        ("figures.csv", 2, "unit", "furlongs", "unknown unit 'furlongs'"),
        ("figures.csv", 1, "unit_text", "prises", None),  # unchanged: a control that must pass
        ("figures.csv", 1, "qualifier_text", "Plus", "unknown qualifier 'Plus'"),
        ("figures.csv", 2, "figure_id", "plugs", "column 'figure_id'"),
        ("figures.csv", 1, "start", "3", "is not at offsets 3:"),
        ("figures.csv", 1, "initiative", "nowhere", "unknown initiative 'nowhere'"),
        ("figures.csv", 1, "unit", "households", "means 'plugs'"),
        ("figures.csv", 1, "as_of", "last year", "column 'as_of'"),
        ("sources.csv", 1, "sha256", "0" * 64, "has changed since it was registered"),
        ("date_clues.csv", 2, "value", "2012", "cannot date the article"),
        ("date_clues.csv", 1, "reference_topic", "nowhere", "column 'reference_figure': no row for topic 'nowhere'"),
        ("initiatives.csv", 1, "population_topic", "nowhere", "column 'population_figure': no row for topic"),
    ],
)
def test_malformed_raw_row_stops_cleaning_and_leaves_outputs(tiny_study, table, row, column, value, message):
    run_tiny(tiny_study)
    before = tree_digest(tiny_study["out"])
    edit_csv(tiny_study["raw"] / table, row, column, value)
    if message is None:
        run_tiny(tiny_study)
        return
    with pytest.raises(DataError) as info:
        run_tiny(tiny_study)
    text = str(info.value)
    assert message in text
    assert table in text
    assert re.search(r"row \d+ \(line \d+\)", text)
    assert tree_digest(tiny_study["out"]) == before


def test_missing_column_is_named(tiny_study):
    path = tiny_study["raw"] / "figures.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="unit").to_csv(path, index=False)
    with pytest.raises(DataError, match=r"figures.csv.*missing column\(s\) \['unit'\]"):
        run_tiny(tiny_study)
    assert not tiny_study["out"].exists()


def test_a_unit_new_to_the_study_is_a_row_of_units_csv_and_is_stored_in_its_base(tiny_study):
    """No code knows the unit: a row of units.csv gives its kind, base and factor and the words printed for it;
    the cleaned figure is in the base unit (as 2 Gbit/s is stored as 2000 Mbit/s)."""
    raw = tiny_study["raw"]
    edit_csv(raw / "figures.csv", 1, "unit", "dozens_of_plugs")
    with pytest.raises(DataError, match=r"figures\.csv, row 1 .*column 'unit': unknown unit 'dozens_of_plugs'.*units"):
        run_tiny(tiny_study)
    units = pd.read_csv(raw / "units.csv", dtype=str, keep_default_na=False)
    units.loc[units["unit"] == "plugs", "words"] = "prise"  # "prises" now names the new unit
    new = {"unit": "dozens_of_plugs", "kind": "count", "base": "plugs", "factor": "12", "words": "prises", "note": ""}
    pd.concat([units, pd.DataFrame([new])]).to_csv(raw / "units.csv", index=False, lineterminator="\n")
    figures = run_tiny(tiny_study)["figures"].set_index("figure_id")
    assert (figures.loc["plugs", "value"], figures.loc["plugs", "unit"]) == (13_000 * 12, "plugs")
