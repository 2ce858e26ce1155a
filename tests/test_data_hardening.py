"""Impossible values refused at the data boundary, and messages that show what prints alike.

Two levels, one per constraint family (non-finite numbers, ranges by schema, values by unit, real dates,
look-alike text, the last guard on computed tables):
- unit cases on tiny inline tables (fast);
- cases through the real `study build` on a built copy of the project (slow): non-zero exit, a message
  naming file, row and column, and every published file byte-identical before and after (by hashes).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY_ARTICLE, published, tree_digest

from divide_study import config
from divide_study.analysis.measures import load_measures
from divide_study.data import clean
from divide_study.data.datapackage import check_processed, write_datapackage
from divide_study.data.dates import ImpossibleDateError, check_clue, check_iso_date
from divide_study.data.numbers import ImplausibleValueError, check_plausible
from divide_study.data.reference import load_reference
from divide_study.data.sources import check_span
from divide_study.data.tables import read_table
from divide_study.data.text import code_points, explain_difference, missing_hint, unknown_hint
from divide_study.engine import cli
from divide_study.errors import DataError, StudyError

V2 = "https://datapackage.org/profiles/2.0/tableschema.json"


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


# --- non-finite numbers, on an inline table -----------------------------------------------------------------


@pytest.fixture
def speeds(tmp_path: Path):
    schema = {
        "$schema": V2,
        "fields": [
            {"name": "offer", "type": "string"},
            {"name": "speed", "type": "number", "description": "download speed in Mbit/s"},
            {"name": "plugs", "type": "integer"},
        ],
        "primaryKey": ["offer"],
    }
    (tmp_path / "speeds.schema.json").write_text(json.dumps(schema), encoding="utf-8")

    def write(speed: str, plugs: str = "10") -> Path:
        path = tmp_path / "speeds.csv"
        path.write_text(f"offer,speed,plugs\nftth,1000,5\nadsl,{speed},{plugs}\n", encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-inf", "Infinity", "+inf", "1e400", "-1e999"])
@pytest.mark.parametrize("validate", [True, False])
def test_non_finite_numbers_are_refused_with_their_place(speeds, text, validate):
    with pytest.raises(DataError) as info:
        read_table(speeds(text), validate=validate)
    message = str(info.value)
    assert "speeds.csv, row 2 (line 3) [offer=adsl], column 'speed'" in message
    assert f"value {text!r} is not a finite number" in message
    assert (info.value.row, info.value.column) == (2, "speed")


def test_nan_in_an_integer_column_is_refused(speeds):
    with pytest.raises(DataError, match=r"row 2 \(line 3\).*column 'plugs'.*'NaN'"):
        read_table(speeds("8", plugs="NaN"))


def test_finite_numbers_and_empty_cells_still_read(speeds):
    frame = read_table(speeds(""))
    assert frame["speed"].iloc[0] == 1000 and pd.isna(frame["speed"].iloc[1])
    assert read_table(speeds("8.5"))["speed"].tolist() == [1000.0, 8.5]


def test_header_with_a_look_alike_column_name_shows_code_points(speeds):
    path = speeds("8")
    path.write_text(path.read_text(encoding="utf-8").replace("speed", "sp\u0435ed", 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path)
    assert "missing column(s) ['speed']" in str(info.value) and "U+0435" in str(info.value)


# --- ranges by schema, on an inline table --------------------------------------------------------------------


@pytest.fixture
def ranged(tmp_path: Path):
    def write(constraints: dict, value: str) -> Path:
        schema = {
            "$schema": V2,
            "fields": [{"name": "v", "type": "number", "description": "what v is", "constraints": constraints}],
        }
        (tmp_path / "r.schema.json").write_text(json.dumps(schema), encoding="utf-8")
        path = tmp_path / "r.csv"
        path.write_text(f"v\n1\n{value}\n", encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize(
    ("constraints", "value", "words"),
    [
        ({"exclusiveMinimum": 0}, "0", "must be greater than 0 (what v is)"),
        ({"exclusiveMinimum": 0}, "-3", "must be greater than 0"),
        ({"minimum": 0}, "-0.5", "must be at least 0"),
        ({"minimum": 0, "maximum": 1}, "1.2", "must be at most 1"),
        ({"exclusiveMaximum": 10}, "10", "must be less than 10"),
        ({"enum": [1, 2]}, "3", "must be one of"),
    ],
)
def test_range_constraints_speak_plain_english(ranged, constraints, value, words):
    with pytest.raises(DataError) as info:
        read_table(ranged(constraints, value))
    assert words in str(info.value)
    assert f"value {value!r}" in str(info.value)
    assert "r.csv, row 2 (line 3), column 'v'" in str(info.value)


def test_values_inside_the_range_pass(ranged):
    assert read_table(ranged({"exclusiveMinimum": 0, "maximum": 1}, "0.5"))["v"].tolist() == [1.0, 0.5]


def every_schema() -> list[Path]:
    return sorted([*config.RAW_DIR.glob("*.schema.json"), *config.REFERENCE_DIR.glob("*.schema.json")]) + sorted(
        config.SCHEMAS_DIR.glob("*.schema.json")
    )


@pytest.mark.parametrize(
    "path", every_schema(), ids=lambda p: p.name if p.parent != config.SCHEMAS_DIR else f"processed/{p.name}"
)
def test_every_numeric_field_is_bounded(path: Path):
    """A number or integer column without a bound would let a negative or zero value through unseen."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema.get("$schema") == V2, "exclusiveMinimum needs the Data Package v2 profile"
    bounds = {"minimum", "exclusiveMinimum", "maximum", "enum"}
    unbounded = [
        field["name"]
        for field in schema["fields"]
        if field["type"] in ("number", "integer") and not bounds & set(field.get("constraints", {}))
    ]
    # The computed headline tables and the assumptions are bounded; the rest are raw offsets and counts.
    assert unbounded == [], f"{path.name}: numeric field(s) {unbounded} have no range"


# --- values by unit ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit"),
    [(0.0, "share"), (1.0, "share"), (0.5, "share"), (1998, "year"), (1e-3, "Mbit/s"), (2.2, "FTE"), (8, "years")],
)
def test_plausible_values_pass(value, unit):
    assert check_plausible(value, unit) == value


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (1.7, "share", "between 0 and 1"),
        (60, "share", "did you mean 0.6?"),
        (-0.1, "share", "between 0 and 1"),
        (0, "plugs", "greater than 0"),
        (-5, "EUR", "greater than 0"),
        (0, "Mbit/s", "greater than 0"),
        (0, "inhabitants", "greater than 0"),
        (1850, "year", "from 1970 to 2100"),
        (2014.5, "year", "whole year"),
        (float("nan"), "people", "not a finite number"),
        (float("inf"), "EUR", "not a finite number"),
    ],
)
def test_implausible_values_are_refused(value, unit, words):
    with pytest.raises(ImplausibleValueError, match=re.escape(words)):
        check_plausible(value, unit)


# --- dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2023", "2023-02", "2024-02-29", "1970-01-01", "2100-12-31"])
def test_real_dates_pass(text):
    assert check_iso_date(text) == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2023-02-30", "not a day of the calendar"),
        ("2023-02-29", "not a day of the calendar"),
        ("2023-13", "not a day of the calendar"),
        ("2023-00-10", "not a day of the calendar"),
        ("1899", "outside 1970-2100"),
        ("2230-01-01", "outside 1970-2100"),
        ("2023-2-3", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("last year", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_impossible_dates_are_refused(text, words):
    with pytest.raises(ImpossibleDateError, match=re.escape(words)):
        check_iso_date(text)


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("year", "2015", True),
        ("year", "15", False),
        ("year_min", "1899", False),
        ("not_before", "2019-03-31", True),
        ("not_before", "2019-02-30", False),
        ("not_after", "2019", False),
        ("weekday", "mercredi", True),
        ("weekday", "blursday", False),
    ],
)
def test_date_clue_values_by_kind(kind, value, ok):
    if ok:
        assert check_clue(kind, value) == value
    else:
        with pytest.raises(ImpossibleDateError):
            check_clue(kind, value)


# --- look-alike text -----------------------------------------------------------------------------------------

DECOMPOSED = unicodedata.normalize("NFD", "éligible")  # e + U+0301
PRECOMPOSED = unicodedata.normalize("NFC", "éligible")  # U+00E9


def test_decomposed_and_precomposed_accents_print_alike_but_are_told_apart():
    assert DECOMPOSED != PRECOMPOSED and code_points(DECOMPOSED[:2]) == "U+0065 U+0301"
    message = explain_difference(DECOMPOSED, PRECOMPOSED, ("the span", "the source"))
    assert "U+0065 U+0301" in message and "U+00E9" in message
    assert "NFC" in message


@pytest.mark.parametrize(
    ("ours", "theirs", "shown"),
    [
        ("13 000", "13\u00a0000", "U+00A0"),
        ("13 000", "13\u202f000", "U+202F"),
        ("d'ici", "d\u2019ici", "U+2019"),
        ("Gers", "G\u0435rs", "U+0435"),  # Cyrillic e
    ],
)
def test_invisible_differences_show_code_points(ours, theirs, shown):
    assert shown in explain_difference(ours, theirs)


def test_plain_differences_need_no_code_points():
    assert explain_difference("13 000 prises", "14 000 prises") == ""
    assert explain_difference("same", "same") == ""


def test_span_in_another_unicode_form_is_located_and_explained():
    text = f"Le réseau: 1 Gersois sur 2 est déjà {PRECOMPOSED}."
    start = text.index(PRECOMPOSED)
    with pytest.raises(DataError) as info:
        check_span(text, DECOMPOSED, start, start + len(DECOMPOSED), file=Path("f.csv"), row=4, key="figure_id=x")
    message = str(info.value)
    assert "f.csv, row 4 (line 5) [figure_id=x], column 'span'" in message
    assert f"it is in the source at {start}:{start + len(PRECOMPOSED)} only in Unicode form NFC" in message
    assert "U+0065 U+0301" in message and "U+00E9" in message and "NFC" in message


def test_missing_part_of_a_span_explains_a_no_break_space():
    assert "U+00A0" in missing_hint("13 000", "Plus de 13\u00a0000 prises", ("value_text", "the span"))
    assert missing_hint("14 000", "Plus de 13\u00a0000 prises", ("value_text", "the span")) == ""


# --- through the cleaning step of the tiny study --------------------------------------------------------------


def run_tiny(study):
    """The cleaning step, then the checks of the measures it hands over to the analyses (as 01_clean does)."""
    tables = clean.run(raw_dir=study["raw"], sources_dir=study["sources"], out_dir=study["out"])
    reference = load_reference(study["raw"] / "reference")
    chosen = load_measures(study["raw"] / "measures.csv", tables["figures"], reference.external)
    clean.check_measure_units(chosen, tables["figures"], reference.external, study["raw"] / "measures.csv")
    return tables


def extend_article(study, sentence: str) -> str:
    """Append a sentence to the tiny article and re-register its fingerprint; return the new text."""
    text = TINY_ARTICLE + sentence + "\n"
    study["article"].write_text(text, encoding="utf-8")
    data = text.encode()
    registry = study["raw"] / "sources.csv"
    edit_csv(registry, 1, "sha256", hashlib.sha256(data).hexdigest())
    edit_csv(registry, 1, "size_bytes", str(len(data)))
    edit_csv(registry, 1, "article_end", str(len(text)))
    return text


def add_figure(study, text: str, span: str, value_text: str, unit_text: str, unit: str, as_of: str = "2019") -> None:
    start = text.index(span)
    with (study["raw"] / "figures.csv").open("a", encoding="utf-8") as out:
        row = ["extra", "900_0000000000000000.txt", "900", "gers", "m_extra", value_text, unit_text, unit, ""]
        out.write(",".join([*row, as_of, span, str(start), str(start + len(span)), ""]) + "\n")


@pytest.mark.parametrize(
    ("sentence", "span", "value_text", "unit_text", "unit", "words"),
    [
        ("Soit 150 % des foyers.", "150 %", "150 %", "", "share", "a share must lie between 0 and 1"),
        ("Un débit de 0 Mbit/s.", "0 Mbit/s", "0", "Mbit/s", "Mbit/s", "must be greater than 0"),
        ("Il reste 0 prise.", "0 prise", "0", "prise", "plugs", "must be greater than 0"),
        ("Lancé en 1850.", "en 1850", "1850", "", "year", "from 1970 to 2100"),
    ],
    ids=["share-above-1", "zero-speed", "zero-plugs", "year-out-of-range"],
)
def test_implausible_figure_stops_cleaning(tiny_study, sentence, span, value_text, unit_text, unit, words):
    run_tiny(tiny_study)
    before = tree_digest(tiny_study["out"])
    text = extend_article(tiny_study, sentence)
    add_figure(tiny_study, text, span, value_text, unit_text, unit)
    with pytest.raises(DataError) as info:
        run_tiny(tiny_study)
    message = str(info.value)
    assert "figures.csv, row 4 (line 5) [figure_id=extra], column 'value_text'" in message
    assert words in message and repr(value_text) in message
    assert tree_digest(tiny_study["out"]) == before


def test_plausible_extra_figure_is_a_working_control(tiny_study):
    text = extend_article(tiny_study, "Un débit de 8 Mbit/s.")
    add_figure(tiny_study, text, "8 Mbit/s", "8", "Mbit/s", "Mbit/s")
    assert run_tiny(tiny_study)["figures"].set_index("figure_id").loc["extra", "value"] == 8


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "words"),
    [
        ("figures.csv", 2, "as_of", "2023-02-30", "not a day of the calendar"),
        ("figures.csv", 2, "as_of", "1899", "outside 1970-2100"),
        ("date_clues.csv", 1, "kind", "not_before", "needs a day written YYYY-MM-DD"),
        ("date_clues.csv", 2, "value", "2019-02-30", "needs a year written YYYY"),
        ("measures.csv", 1, "assumed_value", "NaN", "not a finite number"),
        ("measures.csv", 1, "assumed_value", "0", "must be greater than 0"),
        ("measures.csv", 1, "assumed_value", "-100", "must be greater than 0"),
        ("sources.csv", 1, "date_start", "", "give its offsets too"),
        ("reference/external_figures.csv", 1, "value", "inf", "not a finite number"),
        ("reference/external_figures.csv", 1, "value", "-190000", "must be at least 0"),
        ("reference/external_figures.csv", 1, "value", "0", "must be greater than 0"),
        ("reference/external_figures.csv", 1, "as_of", "2015-02-30", "not a day of the calendar"),
        ("reference/cpi_france.csv", 1, "cpi_2015_100", "0", "must be greater than 0"),
        ("reference/cpi_france.csv", 2, "cpi_2015_100", "1e400", "not a finite number"),
        ("reference/cpi_france.csv", 2, "cpi_2015_100", "NaN", "not a finite number"),
    ],
)
def test_impossible_raw_value_stops_cleaning(tiny_study, table, row, column, value, words):
    run_tiny(tiny_study)
    before = tree_digest(tiny_study["out"])
    if table == "measures.csv":
        # The tiny measure points at a figure; an assumed speed of its own is what can be zero or NaN.
        with (tiny_study["raw"] / "measures.csv").open("a", encoding="utf-8") as out:
            out.write("gers,speed,assumed,true,any,,,,,,100,Mbit/s,assumption,\n")
        row = 2
    edit_csv(tiny_study["raw"] / table, row, column, value)
    with pytest.raises(DataError) as info:
        run_tiny(tiny_study)
    message = str(info.value)
    assert Path(table).name in message
    assert f"row {row} (line {row + 1})" in message
    assert f"column '{column if table != 'date_clues.csv' else 'value'}'" in message
    assert words in message
    assert tree_digest(tiny_study["out"]) == before


def test_share_above_one_in_reference_data_names_its_row(tiny_study):
    edit_csv(tiny_study["raw"] / "reference/external_figures.csv", 1, "unit", "share")
    with pytest.raises(DataError) as info:
        load_reference(tiny_study["raw"] / "reference", validate=False)  # checked even without the schema pass
    message = str(info.value)
    assert "external_figures.csv, row 1 (line 2) [gers_population / population], column 'value'" in message
    assert "a share must lie between 0 and 1" in message


def test_decomposed_accent_in_a_span_stops_cleaning_with_code_points(tiny_study):
    span = "Le Conseil départemental"
    edit_csv(tiny_study["raw"] / "date_clues.csv", 1, "span", unicodedata.normalize("NFD", span))
    with pytest.raises(DataError) as info:
        run_tiny(tiny_study)
    message = str(info.value)
    assert "date_clues.csv, row 1 (line 2)" in message
    assert "U+0065 U+0301" in message and "U+00E9" in message and "NFC" in message


@pytest.mark.parametrize(
    ("table", "column", "value", "shown"),
    [
        ("initiatives.csv", "population_topic", "gers\u00a0population", "U+00A0"),
        ("date_clues.csv", "source", "900_0000000000000000.txt\u200b", "U+200B"),
    ],
)
def test_unknown_name_that_prints_like_a_known_one_shows_code_points(tiny_study, table, column, value, shown):
    if table == "initiatives.csv":
        edit_csv(tiny_study["raw"] / table, 1, "population_figure", "population")
    edit_csv(tiny_study["raw"] / table, 1, column, value)
    with pytest.raises(DataError) as info:
        run_tiny(tiny_study)
    assert shown in str(info.value), str(info.value)


def test_unknown_hint_on_look_alike_ids():
    assert "U+0435" in unknown_hint("g\u0435rs", ["gers", "soho"], "initiative")
    assert unknown_hint("atlantis", ["gers", "soho"], "initiative") == ""


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("gers,premises,share,true,any,,target,,,,,,test,", "figure_id", "a premises is measured in plugs"),
        ("gers,speed,guess,true,any,,,,,,0.5,share,test,", "assumed_unit", "this row's value is in share"),
        (
            "gers,population,census,true,territory,,,gers_population,population,,,,test,",
            None,
            None,
        ),  # a working control
        ("gers,speed,guess,true,any,,,,,,1.5,Mbit/s,test,", None, None),
    ],
)
def test_measure_in_a_unit_its_quantity_cannot_have(tiny_study, line, column, words):
    with (tiny_study["raw"] / "measures.csv").open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    if words is None:
        run_tiny(tiny_study)
        return
    with pytest.raises(DataError) as info:
        run_tiny(tiny_study)
    message = str(info.value)
    assert "measures.csv, row 2 (line 3)" in message and f"column '{column}'" in message and words in message


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        ("2014,99.96\n2015,10.00\n", 2, "cpi_2015_100", "-90% on 2014"),
        ("2014,99.96\n2015,1000.00\n", 2, "cpi_2015_100", "+900% on 2014"),
        ("2013,99.45\n2015,100.00\n", 2, "year", "no CPI row for 2014"),
        ("2015,100.00\n2011,96.71\n", 1, "year", "no CPI row for 2012-2014"),
    ],
)
def test_cpi_series_must_be_continuous_and_smooth(tiny_study, rows, row, column, words):
    body = "".join(f"{line},published,INSEE\n" for line in rows.strip().split("\n"))
    (tiny_study["raw"] / "reference/cpi_france.csv").write_text("year,cpi_2015_100,kind,source\n" + body)
    with pytest.raises(DataError) as info:
        load_reference(tiny_study["raw"] / "reference")
    message = str(info.value)
    assert f"cpi_france.csv, row {row} (line {row + 1})" in message and f"column '{column}'" in message
    assert words in message


# --- the last guard: computed tables ---------------------------------------------------------------------------

COMPARISON_HEADER = (
    "initiative,metric,value_nominal,value_constant,unit,qualifier,price_year,base_year,option,inputs,note,"
    "scope,spending_years,spending_profile,input_ids\n"
)


def comparison_table(folder: Path, value: str) -> Path:
    path = folder / "comparison.csv"
    path.write_text(
        COMPARISON_HEADER
        + "gers,cost,214000000.0,214000000.0,EUR,exact,2025,2025,cost=final,final cost,all funders,"
        + "whole_network,2025,,f1\n"
        + f"gers,cost_per_premise,{value},{value},EUR per premise,exact,2025,2025,cost=final,final cost | plugs,note,"
        + "whole_network,2025,,f1 f2\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("value", "words"),
    [("-2140.0", "must be greater than 0"), ("inf", "not a finite number"), ("0.0", "must be greater than 0")],
)
def test_computed_table_with_an_impossible_value_is_not_described(tmp_path, value, words):
    comparison_table(tmp_path, value)
    with pytest.raises(DataError) as info:
        write_datapackage(tmp_path)
    message = str(info.value)
    assert "comparison.csv, row 2 (line 3)" in message and "column 'value_nominal'" in message
    assert words in message and "nothing is published" in message
    assert not (tmp_path / "datapackage.json").exists()


def test_computed_table_that_is_sound_is_described(tmp_path):
    comparison_table(tmp_path, "2140.0")
    check_processed(tmp_path / "comparison.csv")
    assert json.loads(write_datapackage(tmp_path).read_text(encoding="utf-8"))["resources"][0]["name"] == "comparison"


# --- through the real build, on a built copy of the project (slow) -------------------------------------------


def refused_build(root: Path, capsys, params: Path | None = None) -> str:
    """Build, expecting a refusal that leaves every published file as it was; return what was printed."""
    before = published(root)
    assert all(before.values()), "the copy was not built"
    code = cli.main(["build", "--root", str(root), "--no-pdf", "--params", str(params or root / "params/here.yaml")])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code != 0, output
    assert "Traceback" not in output, output
    assert published(root) == before, "published outputs changed"
    return output


def row_where(path: Path, **match: str) -> int:
    """The data row (from 1) whose columns hold these values, so the cases survive added rows."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    selected = frame.index[(frame[list(match)] == pd.Series(match)).all(axis=1)]
    assert len(selected) == 1, (path.name, match)
    return int(selected[0]) + 1


MEASURES = "data/raw/measures.csv"
EXTERNAL = "data/raw/reference/external_figures.csv"
CPI = "data/raw/reference/cpi_france.csv"
SPEED = {"initiative": "gers_numerique", "option": "ftth_1000"}
PLUGS = {"topic": "gers_numerique", "figure": "total plugs of the network"}
SHARE = {"topic": "gers_numerique", "figure": "funding share of the Département"}
POPULATION = {"topic": "gers_population", "as_of": "2011-01-01"}


IMPOSSIBLE_VALUES = [
    (MEASURES, SPEED, "assumed_value", "NaN", "'NaN' is not a finite number"),
    (EXTERNAL, PLUGS, "value", "inf", "'inf' is not a finite number"),
    (CPI, {"year": "2003"}, "cpi_2015_100", "1e400", "'1e400' is not a finite number"),
    (EXTERNAL, POPULATION, "value", "-188900", "must be at least 0"),
    (MEASURES, SPEED, "assumed_value", "-1000", "must be greater than 0"),
    (EXTERNAL, PLUGS, "value", "0", "a value in 'plugs' must be greater than 0"),
    (MEASURES, SPEED, "assumed_value", "0", "must be greater than 0"),
    (CPI, {"year": "2003"}, "cpi_2015_100", "0", "must be greater than 0"),
    (EXTERNAL, SHARE, "value", "1.6", "a share must lie between 0 and 1"),
    (EXTERNAL, POPULATION, "as_of", "2011-02-30", "not a day of the calendar"),
    ("data/raw/figures.csv", {"figure_id": "gers_launch_year"}, "as_of", "2023-02-30", "not a day of the calendar"),
    ("data/raw/date_clues.csv", {"value": "2019-03-31"}, "value", "2019-02-30", "not a day of the calendar"),
]
IMPOSSIBLE_IDS = [
    "nan",
    "inf",
    "overflow-to-inf",
    "negative-population",
    "negative-speed",
    "zero-plugs-divisor",
    "zero-speed-divisor",
    "zero-cpi-divisor",
    "share-above-1",
    "impossible-reference-date",
    "impossible-figure-date",
    "impossible-clue-date",
]
# Cases run through the real build as well (its message, exit and untouched outputs); every case is checked where
# it is refused, at the cleaning step, in this process (a build pays a kernel and the engine for each).
THROUGH_THE_BUILD = {"nan", "impossible-figure-date"}


@pytest.mark.parametrize(("table", "where", "column", "value", "words"), IMPOSSIBLE_VALUES, ids=IMPOSSIBLE_IDS)
def test_the_cleaning_step_refuses_impossible_value(tmp_path, sources_dir, table, where, column, value, words):
    from divide_study.analysis import cleaning

    root = tmp_path / "study"
    shutil.copytree(config.RAW_DIR, root / "data/raw")
    path = root / table
    row = row_where(path, **where)
    edit_csv(path, row, column, value)
    out = tmp_path / "processed"
    with pytest.raises(StudyError) as info:
        cleaning.step(root / "data/raw", sources_dir, out)
    said = str(info.value)
    assert f"{Path(table).name}, row {row} (line {row + 1})" in said, said
    assert f"column '{column}'" in said and words in said, said
    assert not out.exists() or not any(out.iterdir()), "the cleaning step wrote tables despite the refusal"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("table", "where", "column", "value", "words"),
    [case for case, name in zip(IMPOSSIBLE_VALUES, IMPOSSIBLE_IDS, strict=True) if name in THROUGH_THE_BUILD],
    ids=[name for name in IMPOSSIBLE_IDS if name in THROUGH_THE_BUILD],
)
def test_build_refuses_impossible_value(project, capsys, table, where, column, value, words):
    path = project / table
    row = row_where(path, **where)
    edit_csv(path, row, column, value)
    output = refused_build(project, capsys)
    assert f"{Path(table).name}, row {row} (line {row + 1})" in output, output
    assert f"column '{column}'" in output and words in output, output


@pytest.mark.slow
def test_build_refuses_decomposed_accent_with_code_points(project, capsys):
    path = project / "data/raw/figures.csv"
    row = row_where(path, figure_id="gers_share_eligible_2020")
    span = pd.read_csv(path, dtype=str, keep_default_na=False).loc[row - 1, "span"]
    assert "é" in span
    edit_csv(path, row, "span", unicodedata.normalize("NFD", span))
    output = refused_build(project, capsys)
    assert f"figures.csv, row {row} (line {row + 1})" in output and "column 'span'" in output, output
    assert "U+0065 U+0301" in output and "U+00E9" in output and "NFC" in output, output


@pytest.mark.slow
def test_build_refuses_a_computed_impossible_value(project, capsys):
    """A negative persons-per-household makes negative people: refused at the parameter or, failing that,
    by the computed table's schema before anything is published."""
    params = project / "params" / "case.yaml"
    params.write_text(f"sources_dir: {project / 'sources'}\npersons_per_household: -2.2\n", encoding="utf-8")
    output = refused_build(project, capsys, params)
    assert "persons_per_household" in output or "people_equivalent" in output, output


def report_numbers(root: Path) -> dict[str, list[str]]:
    """Every number each built edition shows (its links' texts, in order), and every quoted number's value."""
    numbers = {
        name: re.findall(
            r'<a class="num" href="#number-\d+"[^>]*>(.*?)</a>', (root / "report" / name).read_text("utf-8")
        )
        for name in ("report.html", "rapport.html")
    }
    for path in sorted((root / "data/processed").glob("quoted_*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        numbers[path.name] = [f"{k}={v}" for k, v in zip(frame["key"], frame["value"], strict=True)]
    return numbers


@pytest.mark.slow
def test_rewording_data_rows_changes_no_number(project, built, capsys):
    """Rows are chosen by their ids: the notes of every measure and of every role, reworded in a copy of the
    project, leave every number the report shows and every quoted number as they were."""
    for table in ("data/raw/measures.csv", "data/raw/roles.csv"):
        frame = pd.read_csv(project / table, dtype=str, keep_default_na=False)
        assert frame["note"].str.len().gt(0).any(), table
        frame["note"] = "said otherwise: " + frame["note"].str.upper()
        frame.to_csv(project / table, index=False, lineterminator="\n")
    code = cli.main(["build", "--root", str(project), "--no-pdf", "--params", str(project / "params/here.yaml")])
    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    # The build ran on the new words (they travel to the processed copies), and no number moved.
    assert "SAID OTHERWISE" not in (built / "data/processed/roles.csv").read_text("utf-8")
    assert "said otherwise: " in (project / "data/processed/roles.csv").read_text("utf-8")
    assert "said otherwise: " in (project / "data/processed/measures.csv").read_text("utf-8")
    before, after = report_numbers(built), report_numbers(project)
    assert len(before["report.html"]) > 300 and len(before["quoted_compare.csv"]) > 10
    assert after == before


def test_a_row_with_an_extra_field_is_refused_naming_file_and_row(tmp_path):
    """An unquoted comma in a note splits it: the row has one field too many, said with the file and its row."""
    schema = {
        "fields": [{"name": "key", "type": "string"}, {"name": "note", "type": "string"}],
        "primaryKey": ["key"],
    }
    (tmp_path / "t.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    path = tmp_path / "t.csv"
    path.write_text('key,note\na,"quoted, fine"\nb,not quoted, split\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path, tmp_path / "t.schema.json")
    assert info.value.row == 2 and "3 fields where the header has 2" in str(info.value)
    assert "t.csv, row 2 (line 3)" in str(info.value) and "Quote the value" in str(info.value)
