"""Parameters: the strict YAML loader, deep types, ranges, the one merge rule, every scenario checked, confined
output folders, and sandboxed interactive runs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from divide_study import config
from divide_study.engine import cli, outputs
from divide_study.engine.params import (
    COPY_NOTE,
    Parameter,
    ParameterError,
    check_parameters,
    check_type,
    literal,
    load_parameters,
    merge,
    notebook_parameters,
    read_scenario,
    read_specs,
    read_yaml,
    scenario_files,
    sweep,
    sync_notebook,
    synced_cell,
)

# --- the strict loader --------------------------------------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def alias_bomb() -> str:
    """The classic "billion laughs": nine levels of nine aliases, 9⁹ strings once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path):
    bomb = alias_bomb()
    assert len(bomb.encode()) < 500  # the size issue 11 reports (484 bytes)
    with pytest.raises(ParameterError, match=r"bomb.yaml, line 1: not valid YAML: anchors \(&name\) are not allowed"):
        read_yaml(write(tmp_path / "bomb.yaml", bomb))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("options: {a.b: x}\nbase_year: *y\n", "line 2: not valid YAML: aliases"),
        ("base_year: 2014\npersons_per_household: 2\nbase_year: 2015\n", "duplicate key 'base_year' at lines 1 and 3"),
        ("options:\n  a.b: x\n  a.b: y\n", "duplicate key 'a.b' at lines 2 and 3"),
        ("1: x\n", "key 1 is not text"),
        ("yes: 2014\n", "key True is not text"),
        ("options: {null: x}\n", "key None is not text"),
        ("<<: {base_year: 2014}\n", "merge keys (<<) are not allowed"),
        ("base_year: [\n", "not valid YAML"),
        ("- 1\n- 2\n", "expected a mapping"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
        ("options: " + "[" * 20000 + "\n", "not valid YAML"),
    ],
)
def test_the_loader_refuses(tmp_path: Path, text: str, message: str):
    with pytest.raises(ParameterError, match="case.yaml.*" + message.replace("(", r"\(").replace(")", r"\)")):
        read_yaml(write(tmp_path / "case.yaml", text))


def test_the_loader_refuses_what_is_not_a_parameter_file(tmp_path: Path):
    with pytest.raises(ParameterError, match="not UTF-8"):
        read_yaml(write(tmp_path / "latin1.yaml", "options: {a.b: é}\n".encode("latin-1")))
    with pytest.raises(ParameterError, match="is a folder"):
        read_yaml(tmp_path)
    with pytest.raises(ParameterError, match="not found"):
        read_yaml(tmp_path / "nope.yaml")
    with pytest.raises(ParameterError, match=r"cannot be read \(File name too long\)"):
        read_yaml(tmp_path / ("x" * 5000))
    with pytest.raises(ParameterError, match="at most"):
        read_yaml(write(tmp_path / "big.yaml", "# padding\n" * 30000))
    assert read_yaml(write(tmp_path / "empty.yaml", "# nothing\n")) == {}


# --- types and ranges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type_name", "message"),
    [
        ("three", "int", "must be int, got str 'three'"),
        (True, "int", "must be int, got bool True"),
        (True, "float", "must be float, got bool"),
        (float("nan"), "float", "must be a finite number, got nan"),
        (float("inf"), "float", "must be a finite number, got inf"),
        ([2003, "2014"], "list[int]", "element 2 must be int, got str '2014'"),
        ([2003, 2014.0], "list[int]", "element 2 must be int, got float"),
        ({"a.b": 3}, "dict[str, str]", "value of key 'a.b' must be str, got int 3"),
        ({1: "x"}, "dict[str, str]", "key 1 must be str, got int 1"),
        ("a.b=x", "dict[str, str]", "must be dict[str, str], got str"),
        ([1.0, float("-inf")], "list", "element 2 must be a finite number"),
        ({"a": [float("nan")]}, "dict", "value of key 'a' element 1 must be a finite number"),
    ],
)
def test_types_are_checked_deeply(value, type_name: str, message: str):
    with pytest.raises(ParameterError, match=r"where: parameter 'p' " + message.replace("[", r"\[")):
        check_type("p", value, type_name, "where")


def test_good_values_pass():
    check_type("p", 2, "float", "where")  # an int is a fine float
    check_type("p", [2003, 2014], "list[int]", "where")
    check_type("p", {"a.b": "x"}, "dict[str, str]", "where")
    check_type("p", [], "list[int]", "where")
    check_type("p", {"k": [1, 2]}, "dict[str, list[int]]", "where")


@pytest.mark.parametrize("type_name", ["tuple", "list[int", "Any", "dict[str]", "int | None"])
def test_unknown_types_are_refused(type_name: str):
    with pytest.raises(ParameterError, match="is not one of"):
        check_type("p", 1, type_name, "where")


# --- params/default.yaml ------------------------------------------------------------------------------------

CPI = "year,cpi_2015_100\n2003,80\n2014,99\n2025,120\n"


def defaults_text(**changes: str) -> str:
    entries = {
        "raw_dir": "{type: str, folder: input, default: data/raw, doc: raw inputs}",
        "scenarios_dir": "{type: str, folder: input, default: params/scenarios, doc: swept scenarios}",
        "processed_dir": "{type: str, folder: output, default: data/processed, doc: tables}",
        "figures_dir": "{type: str, folder: output, default: figures, doc: charts}",
        "base_year": "{type: int, default: 2025, years_of: cpi.csv, min: 1900, max: 2100, doc: constant euros}",
        "options": "{type: 'dict[str, str]', default: {}, doc: measure options}",
        "persons_per_household": "{type: float, default: 2.2, above: 0, max: 20, doc: an assumption}",
        "years": "{type: 'list[int]', default: [2003, 2014], years_of: cpi.csv, doc: other base years}",
    }
    entries.update(changes)
    return "".join(f"{name}: {entry}\n" for name, entry in entries.items() if entry)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project's parameters and folders, without notebooks: load_parameters takes their declarations."""
    root = tmp_path / "proj"
    write(root / "params/default.yaml", defaults_text())
    write(root / "data/raw/cpi.csv", CPI)
    write(root / "params/scenarios/old_euros.yaml", "base_year: 2003\n")
    for folder in ("notebooks", "src"):
        (root / folder).mkdir()
    return root


def declarations(root: Path) -> dict[Path, dict[str, Parameter]]:
    specs = read_specs(root / "params/default.yaml")
    return {root / "notebooks/all.ipynb": {n: Parameter(n, s.type_name, None, "c", True) for n, s in specs.items()}}


def load(root: Path, scenario: str | None = None, name: str = "case.yaml", **keywords) -> dict:
    path = write(root / "params" / name, scenario) if scenario is not None else None
    return load_parameters(declarations(root), path, root / "params/default.yaml", **keywords)


def test_defaults_load_and_a_scenario_merges_by_the_one_rule(project: Path):
    assert load(project)["base_year"] == 2025
    write(project / "params/default.yaml", defaults_text(options="{type: 'dict[str, str]', default: {x.y: a}, doc: o}"))
    values = load(project, "options: {gers.cost: initial}\nyears: [2014]\nbase_year: 2014\n")
    assert values["options"] == {"x.y": "a", "gers.cost": "initial"}  # mappings merge key by key
    assert values["years"] == [2014] and values["base_year"] == 2014  # everything else is replaced


def test_merge_is_the_one_rule_and_leaves_its_inputs_alone():
    defaults = {"options": {"a.b": "x", "c.d": "y"}, "years": [1, 2], "base_year": 2025}
    scenario = {"options": {"a.b": "z"}, "years": [3]}
    assert merge(defaults, scenario) == {"options": {"a.b": "z", "c.d": "y"}, "years": [3], "base_year": 2025}
    assert defaults["options"] == {"a.b": "x", "c.d": "y"} and scenario == {"options": {"a.b": "z"}, "years": [3]}


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ("base_yaer: 2014\n", "case.yaml: unknown parameter 'base_yaer'"),
        ("base_year: '2014'\n", "case.yaml: parameter 'base_year' must be int, got str '2014'"),
        ("persons_per_household: .nan\n", "case.yaml: parameter 'persons_per_household' must be a finite number"),
        ("persons_per_household: .inf\n", "must be a finite number, got inf"),
        ("persons_per_household: 0\n", "case.yaml: parameter 'persons_per_household' must be above 0, got 0"),
        ("persons_per_household: -2.2\n", "must be above 0"),
        (
            "base_year: 2010\n",
            "case.yaml: parameter 'base_year' must be a year of .*data/raw/cpi.csv .2003–2025., got 2010",
        ),
        ("base_year: 1850\n", "parameter 'base_year' must be at least 1900"),
        ("years: [2003, 2030]\n", "parameter 'years' must be a year of"),
        ("years: [2003, x]\n", "parameter 'years' element 2 must be int"),
        ("options: {gers.cost: 3}\n", "parameter 'options' value of key 'gers.cost' must be str, got int 3"),
    ],
)
def test_a_bad_scenario_is_refused_naming_file_and_key(project: Path, scenario: str, message: str):
    with pytest.raises(ParameterError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load(project, scenario)


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_a_typo_in_a_swept_scenario_stops_the_build(project: Path, suffix: str):
    write(project / f"params/scenarios/typo{suffix}", "base_yaer: 2014\n")
    with pytest.raises(ParameterError, match=rf"params/scenarios/typo\{suffix}: unknown parameter 'base_yaer'"):
        load(project)


def test_every_swept_scenario_is_checked_for_ranges_too(project: Path):
    write(project / "params/scenarios/zero.yml", "persons_per_household: 0.0\n")
    with pytest.raises(ParameterError, match=r"scenarios/zero\.yml: parameter 'persons_per_household' must be above"):
        load(project)


def test_scenario_folders_that_cannot_be_swept(project: Path):
    (project / "params/scenarios/folder.yaml").mkdir()
    with pytest.raises(ParameterError, match=r"folder\.yaml: is a folder"):
        load(project)
    (project / "params/scenarios/folder.yaml").rmdir()
    write(project / "params/scenarios/old_euros.yml", "base_year: 2014\n")
    with pytest.raises(ParameterError, match="two scenarios named 'old_euros'"):
        load(project)
    (project / "params/scenarios/old_euros.yml").unlink()
    with pytest.raises(ParameterError, match="scenario folder not found"):
        load(project, "scenarios_dir: params/nowhere\n")


def test_the_defaults_file_given_as_a_scenario_gets_a_hint(project: Path):
    with pytest.raises(ParameterError, match=r"default\.yaml: looks like a defaults file"):
        load_parameters(declarations(project), project / "params/default.yaml", project / "params/default.yaml")


def test_a_folder_or_missing_file_as_the_scenario(project: Path):
    with pytest.raises(ParameterError, match="is a folder"):
        load_parameters(declarations(project), project / "params", project / "params/default.yaml")
    with pytest.raises(ParameterError, match=r"nope\.yaml: parameter file not found"):
        load_parameters(declarations(project), project / "params/nope.yaml", project / "params/default.yaml")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"base_year": "{type: int, defualt: 2025, doc: x}"}, "parameter 'base_year': unknown entry 'defualt'"),
        ({"base_year": "{type: int, default: 2025}"}, "parameter 'base_year': missing doc"),
        ({"base_year": "{type: integer, default: 2025, doc: x}"}, "type 'integer' is not one of"),
        ({"base_year": "{type: int, default: '2025', doc: x}"}, "parameter 'base_year' must be int"),
        ({"persons_per_household": "{type: float, default: 0, above: 0, doc: x}"}, "must be above 0"),
        ({"figures_dir": "{type: str, folder: outptu, default: figures, doc: x}"}, "folder must be input or output"),
        ({"spare": "{type: int, default: 1, doc: nobody uses it}"}, "'spare' is used by no notebook"),
    ],
)
def test_a_bad_defaults_file_is_refused(project: Path, changes: dict, message: str):
    declared = declarations(project)
    write(project / "params/default.yaml", defaults_text(**changes))
    with pytest.raises(ParameterError, match="default.yaml.*" + message):
        load_parameters(declared, None, project / "params/default.yaml")


def test_a_notebook_declaring_another_type_than_the_defaults(project: Path):
    declared = declarations(project)
    declared[project / "notebooks/all.ipynb"]["years"] = Parameter("years", "list[str]", None, "c", True)
    with pytest.raises(
        ParameterError, match=r"'years' is list\[int\] in .*params/default.yaml but list\[str\] in .*all.ipynb"
    ):
        load_parameters(declared, None, project / "params/default.yaml")


# --- confined output folders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ("figures_dir: /tmp/elsewhere\n", "parameter 'figures_dir' is absolute"),
        ("figures_dir: ../elsewhere\n", "parameter 'figures_dir' .../elsewhere. leads outside the project"),
        ("figures_dir: figures/../../elsewhere\n", "leads outside the project"),
        ("figures_dir: .\n", "leads outside the project"),
        ("figures_dir: ''\n", "parameter 'figures_dir' is empty"),
        ("figures_dir: data/processed/charts\n", "'figures_dir' .data/processed/charts. and parameter 'processed_dir'"),
        (
            "processed_dir: figures\n",
            "parameter 'processed_dir' .figures. and parameter 'figures_dir' .figures. overlap",
        ),
        ("processed_dir: data\n", "parameter 'processed_dir' .data. overlaps parameter 'raw_dir'"),
        ("processed_dir: data/raw/out\n", "overlaps parameter 'raw_dir'"),
        ("figures_dir: notebooks\n", "overlaps the project's notebooks/ folder"),
        ("figures_dir: params/out\n", "overlaps"),
        ("figures_dir: src\n", "overlaps the project's src/ folder"),
        ("figures_dir: build\n", "overlaps the project's build/ folder"),
        ("figures_dir: data/raw/cpi.csv\n", "is a file, not a folder"),
        ('figures_dir: "charts\\0"\n', "parameter 'figures_dir' contains a control character"),
        ('raw_dir: "data/\\nraw"\n', "parameter 'raw_dir' contains a control character"),
        ("figures_dir: " + "x" * 300 + "\n", "parameter 'figures_dir' is too long for a folder name .300 bytes."),
        ("scenarios_dir: " + "/".join(["y" * 200] * 30) + "\n", "parameter 'scenarios_dir' is too long"),
    ],
)
def test_output_folders_are_confined(project: Path, scenario: str, message: str):
    with pytest.raises(ParameterError, match="params/case.yaml: .*" + message):
        load(project, scenario)


def test_an_output_folder_may_not_escape_through_a_symbolic_link(project: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "charts").symlink_to(outside)
    with pytest.raises(ParameterError, match=r"parameter 'figures_dir' \(charts\) leads outside the project"):
        load(project, "figures_dir: charts\n")
    write(project / "a_file", "x")
    with pytest.raises(ParameterError, match="is a file"):
        load(project, "figures_dir: a_file\n")


def test_a_new_output_folder_inside_the_project_is_fine(project: Path):
    assert load(project, "figures_dir: charts/v2\n")["figures_dir"] == "charts/v2"


@pytest.fixture(scope="module")
def study_copy(tmp_path_factory) -> Path:
    """The project's notebooks, parameters, raw data and published outputs, copied (nothing is run)."""
    root = tmp_path_factory.mktemp("cli") / "study"
    for folder in ("notebooks", "params", "data/raw", "data/processed", "figures", "report"):
        shutil.copytree(config.PROJ_ROOT / folder, root / folder)
    return root


PUBLISHED = ("data/processed", "figures", "report")


@pytest.mark.parametrize(
    ("scenario", "swept", "message"),
    [
        ("report_dir: ../../victim\n", None, "parameter 'report_dir' (../../victim) leads outside the project"),
        ("report_dir: /tmp/victim\n", None, "parameter 'report_dir' is absolute"),
        (
            "figures_dir: data/processed\n",
            None,
            "parameter 'figures_dir' (data/processed) and parameter 'processed_dir'",
        ),
        ("processed_dir: data/raw\n", None, "overlaps parameter 'raw_dir'"),
        (alias_bomb(), None, "anchors (&name) are not allowed"),
        ("base_year: 2014\nbase_year: 2003\n", None, "duplicate key 'base_year' at lines 2 and 3"),
        ("persons_per_household: .nan\n", None, "parameter 'persons_per_household' must be a finite number"),
        ("sensitivity_base_years: [2003, '2014']\n", None, "'sensitivity_base_years' element 2 must be int"),
        ("", "base_yaer: 2014\n", "params/scenarios/zz_typo.yml: unknown parameter 'base_yaer'"),
        ("", "options: {gers_numerique.cost: 3}\n", "zz_typo.yml: parameter 'options' value of key"),
        # Issue 23: the build's own parameters, and options that name no measure, named with the swept file.
        ("", "lang: fr\n", "params/scenarios/zz_typo.yml: parameter 'lang' is set by the build for each edition"),
        ("lang: de\n", None, "case.yaml: parameter 'lang' is set by the build for each edition"),
        (
            "",
            "options: {gers_numerique.cost: cheapest}\n",
            "params/scenarios/zz_typo.yml: parameter 'options': unknown cost option 'cheapest' for 'gers_numerique'; "
            "choose one of ['estimate_2022', 'final_cost', 'final_cost_whole_works', 'initial_budget', "
            "'phase2_investment', 'spending_2023']",
        ),
        (
            "",
            "options: {gers_numerque.cost: initial_budget}\n",
            "params/scenarios/zz_typo.yml: parameter 'options': 'gers_numerque.cost' names no measure of",
        ),
        (
            "options: {gers_numerique.spending_profile: lumpy}\n",
            None,
            "case.yaml: parameter 'options': unknown spending_profile option 'lumpy' for 'gers_numerique'",
        ),
    ],
)
def test_the_cli_refuses_bad_parameters_before_anything_runs(
    study_copy: Path, tmp_path: Path, capsys, scenario: str, swept: str | None, message: str
):
    root = tmp_path / "study"
    shutil.copytree(study_copy, root)
    before = {folder: digest(root / folder) for folder in PUBLISHED}
    if swept is not None:
        write(root / "params/scenarios/zz_typo.yml", swept)
    path = write(root / "params/case.yaml", f"sources_dir: {config.SOURCES_DIR}\n{scenario}")
    code = cli.main(["build", "--root", str(root), "--no-pdf", "--params", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and message in err, err
    assert "Traceback" not in err
    assert {folder: digest(root / folder) for folder in PUBLISHED} == before
    assert not (root / "build").exists() and not (tmp_path / "victim").exists()


def test_a_default_language_the_build_does_not_make_is_refused(study_copy: Path, tmp_path: Path, capsys):
    root = tmp_path / "study"
    shutil.copytree(study_copy, root)
    before = {folder: digest(root / folder) for folder in PUBLISHED}
    defaults = root / "params/default.yaml"
    text = defaults.read_text(encoding="utf-8")
    assert "lang:\n  type: str\n  default: en\n" in text
    defaults.write_text(text.replace("lang:\n  type: str\n  default: en\n", "lang:\n  type: str\n  default: de\n"))
    path = write(root / "params/case.yaml", f"sources_dir: {config.SOURCES_DIR}\n")
    code = cli.main(["build", "--root", str(root), "--no-pdf", "--params", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "default.yaml: parameter 'lang' is 'de'; the build makes the editions 'en', 'fr'" in err, err
    assert {folder: digest(root / folder) for folder in PUBLISHED} == before and not (root / "build").exists()


# --- the real project ---------------------------------------------------------------------------------------


def test_the_study_parameters_and_every_scenario_load():
    notebooks = {path: notebook_parameters(path) for path in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))}
    values = load_parameters(notebooks, None, config.PARAMS_DIR / "default.yaml", {"report_dir": "str"})
    for path in scenario_files(config.PARAMS_DIR / "scenarios"):
        merged = load_parameters(notebooks, path, config.PARAMS_DIR / "default.yaml", {"report_dir": "str"})
        assert merged == merge(values, read_scenario(path)), path.name


def test_the_sweep_merges_by_the_same_rule_as_the_build():
    central = {"base_year": 2025, "options": {"castres_mazamet.premises": "households"}}
    swept = sweep(central, config.PARAMS_DIR / "scenarios")
    assert swept, "no scenario to sweep"
    for name, values in swept.items():
        path = next(p for p in scenario_files(config.PARAMS_DIR / "scenarios") if p.stem == name)
        assert values == merge(central, read_scenario(path))
    # a scenario choosing one measure keeps the central case's other choices
    assert swept["programme_estimate"]["options"] == {
        "castres_mazamet.premises": "households",
        "gers_numerique.cost": "estimate_2022",
    }


# --- sandboxed interactive runs -----------------------------------------------------------------------------


def test_writable_sends_published_folders_to_the_sandbox(monkeypatch):
    monkeypatch.delenv(config.PUBLISH_VARIABLE, raising=False)
    assert outputs.writable("data/processed") == config.SANDBOX_DIR / "data/processed"
    assert outputs.writable(config.FIGURES_DIR) == config.SANDBOX_DIR / "figures"
    assert outputs.writable("figures/sub") == config.SANDBOX_DIR / "figures/sub"
    assert outputs.writable("report") == config.SANDBOX_DIR / "report"
    staged = config.BUILD_DIR / ".stage-x" / "processed"
    assert outputs.writable(staged) == staged  # the build's staging folders are left as they are
    assert "sandbox" in config.where_outputs_go(outputs.writable("figures"))
    monkeypatch.setenv(config.PUBLISH_VARIABLE, "1")
    assert outputs.writable("data/processed") == config.PROCESSED_DIR
    assert "changes the published study" in config.where_outputs_go(config.PROCESSED_DIR)


def test_the_published_folders_are_the_output_defaults():
    specs = read_specs(config.PARAMS_DIR / "default.yaml")
    defaults = {config.PROJ_ROOT / spec.default for spec in specs.values() if spec.folder == "output"}
    assert defaults == {config.PROCESSED_DIR, config.FIGURES_DIR, config.REPORT_DIR} <= set(outputs.published_dirs())


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_papermill_outside_the_build_writes_to_the_sandbox_only(tmp_path: Path):
    if not (config.PROCESSED_DIR / "figures.csv").exists():
        pytest.skip("the published study is not built")
    published = (config.PROCESSED_DIR, config.FIGURES_DIR, config.REPORT_DIR)
    before = {folder: digest(folder) for folder in published}
    sandbox = config.SANDBOX_DIR
    for relative in ("data/processed/programme_outcomes.csv", "figures/programme_outcomes.png"):
        (sandbox / relative).unlink(missing_ok=True)
    executed = tmp_path / "03.ipynb"
    env = {key: value for key, value in os.environ.items() if key != config.PUBLISH_VARIABLE}
    subprocess.run(
        [
            *(
                sys.executable,
                "-m",
                "papermill",
                str(config.NOTEBOOKS_DIR / "03_programme_outcomes.ipynb"),
                str(executed),
            ),
            *("-p", "persons_per_household", "3.0", "--cwd", str(config.PROJ_ROOT), "--no-progress-bar"),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    assert {folder: digest(folder) for folder in published} == before, "an interactive run changed the study"
    sandboxed = (sandbox / "data/processed/programme_outcomes.csv").read_text(encoding="utf-8")
    assert sandboxed != (config.PROCESSED_DIR / "programme_outcomes.csv").read_text(encoding="utf-8")  # 3.0, not 2.2
    assert (sandbox / "figures/programme_outcomes.png").exists()
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    first_output = next(cell["outputs"][0] for cell in cells if cell["cell_type"] == "code" and cell.get("outputs"))
    assert "build/sandbox/data/processed" in "".join(first_output["text"])


def declared(source: str, injected: str = "") -> dict:
    """A notebook's namespace after its parameters cell (and papermill's injected cell, if any) ran."""
    namespace: dict = {}
    exec(source, namespace)
    exec(injected, namespace)
    return namespace


def test_a_notebook_checks_its_parameters_as_papermill_gave_them():
    check_parameters(declared("persons_per_household: float = 2.5\nbase_year: int = 2014\nraw_dir: str = 'data/raw'"))
    with pytest.raises(ParameterError, match="notebook parameters: parameter 'persons_per_household' must be a finite"):
        check_parameters(declared("persons_per_household: float = 2.2", "persons_per_household = float('nan')"))
    with pytest.raises(ParameterError, match=r"parameter 'base_year' must be a year of .*cpi_france\.csv"):
        check_parameters(declared("base_year: int = 2014\nraw_dir: str = 'data/raw'", "base_year = 1990"))
    with pytest.raises(ParameterError, match=r"'sensitivity_base_years' element 1 must be int"):
        check_parameters(declared("sensitivity_base_years: list[int] = []", "sensitivity_base_years = ['2003']"))


def test_a_notebook_checks_only_its_own_parameters_so_a_second_run_all_works():
    """Only what the parameters cell declares is checked: variables of a first Run All that bear another
    parameter's name (a table called options, a year read as text) do not fail the second one."""
    namespace = declared("persons_per_household: float = 2.2")
    namespace.update({"options": "a table, not a parameter", "base_year": "2014", "lang": 3})
    check_parameters(namespace)
    check_parameters(namespace)  # the second Run All, in the same kernel
    namespace["persons_per_household"] = -1.0
    with pytest.raises(ParameterError, match=r"'persons_per_household' must be above 0, got -1\.0"):
        check_parameters(namespace)


def test_a_misspelt_papermill_parameter_is_an_error_naming_the_closest_valid_name():
    """papermill only warns of a name the notebook does not declare; the notebook's own check refuses it, from
    the cell papermill injected just before (IPython's input history, ``In``)."""
    parameters = "persons_per_household: float = 2.2\nbase_year: int = 2014"
    injected = "# Parameters\npersons_per_houshold = 3.0\n"
    namespace = declared(parameters, injected)
    namespace["In"] = ["", parameters, injected, "check_parameters(globals())"]
    with pytest.raises(ParameterError, match=r"'persons_per_houshold' \(did you mean 'persons_per_household'\?\)"):
        check_parameters(namespace)
    # A known name injected is fine, and a second Run All (no injected cell before this one) checks nothing more.
    namespace["In"] = ["", parameters, "# Parameters\nbase_year = 2015\n", "check_parameters(globals())"]
    check_parameters(namespace)
    namespace["In"] += [parameters, "check_parameters(globals())"]
    check_parameters(namespace)


@pytest.mark.slow
def test_papermill_with_an_impossible_value_stops_in_the_first_cell(tmp_path: Path):
    done = subprocess.run(
        [
            *(sys.executable, "-m", "papermill", str(config.NOTEBOOKS_DIR / "03_programme_outcomes.ipynb")),
            *(str(tmp_path / "03.ipynb"), "-p", "persons_per_household", "-1", "--cwd", str(config.PROJ_ROOT)),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "parameter 'persons_per_household' must be above 0, got -1" in done.stderr + done.stdout


# --- the parameters cells' copy of the defaults (papermill --help-notebook shows real values) ------------------


@pytest.mark.parametrize(
    "value", ["data/raw", 'a "quoted" #word', "é\n", 2025, 2.2, -1e-05, True, None, [2003, 2014], {"a.b": "c"}, {}]
)
def test_a_value_is_written_as_a_literal_that_reads_back_as_it(value):
    import ast

    assert ast.literal_eval(literal(value)) == value


def test_a_parameters_cell_is_rewritten_with_the_defaults_and_says_what_changed():
    cell = (
        "from divide_study.engine.params import defaults\n"
        "\n"
        "raw_dir: str = defaults.raw_dir  # raw inputs # (never written)\n"
        'label: str = "a#b"  # a text holding a hash\n'
        "persons_per_household: float = 2.2  # persons per family\n"
        "unknown: int = 3  # not in the defaults: left for the build to refuse"
    )
    values = {"raw_dir": "data/raw", "label": "a#b", "persons_per_household": 2.5}
    new, changes = synced_cell(cell, values)
    assert new.splitlines() == [
        COPY_NOTE,
        "",
        'raw_dir: str = "data/raw"  # raw inputs # (never written)',
        'label: str = "a#b"  # a text holding a hash',
        "persons_per_household: float = 2.5  # persons per family",
        "unknown: int = 3  # not in the defaults: left for the build to refuse",
    ]
    assert changes[1:] == ['raw_dir: defaults.raw_dir -> "data/raw"', "persons_per_household: 2.2 -> 2.5"]
    assert synced_cell(new, values) == (new, [])


def test_sync_notebook_writes_only_a_cell_that_differs(tmp_path: Path):
    import nbformat

    path = tmp_path / "n.ipynb"
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [
        nbformat.v4.new_markdown_cell("**Parameters.** x"),
        nbformat.v4.new_code_cell("x: int = 1  # a number", metadata={"tags": ["parameters"]}),
    ]
    nbformat.write(notebook, path)
    before = path.read_text(encoding="utf-8")
    assert sync_notebook(path, {"x": 1}) == []
    assert path.read_text(encoding="utf-8") == before
    assert sync_notebook(path, {"x": 7}) == ["x: 1 -> 7"]
    assert notebook_parameters(path)["x"].default == 7
    after = nbformat.read(path, as_version=4)
    assert after.cells[0].source == "**Parameters.** x"
    assert [p.name for p in tmp_path.iterdir()] == ["n.ipynb"]  # no temporary file left


def test_sync_notebook_names_a_notebook_without_one_parameters_cell(tmp_path: Path):
    path = tmp_path / "none.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"none\.ipynb: expected exactly one cell tagged 'parameters', found 0"):
        sync_notebook(path, {})
