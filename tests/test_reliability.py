"""Every mistake an analyst can make, through the real `study build` on a built copy of the project.

Each case: a clear message naming file/row/column or notebook/cell/parameter, a non-zero exit, and the
published data/processed, figures and report byte-identical to before. docs/reliability.md lists them.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import open_in_browser, published

from divide_study import config
from divide_study.engine import cli, pipeline

pytestmark = pytest.mark.slow


def build(root: Path, capsys, *extra: str, scenario: dict | str | None = None) -> tuple[int, str]:
    params = root / "params" / "here.yaml"
    if scenario is not None:
        params = root / "params" / "case.yaml"
        body = (
            scenario if isinstance(scenario, str) else "\n".join(f"{k}: {json.dumps(v)}" for k, v in scenario.items())
        )
        params.write_text(f"sources_dir: {root / 'sources'}\n{body}\n", encoding="utf-8")
    code = cli.main(["build", "--root", str(root), "--no-pdf", "--params", str(params), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def expect_refusal(root: Path, capsys, *fragments: str, extra: tuple[str, ...] = (), scenario=None) -> str:
    before = published(root)
    code, output = build(root, capsys, *extra, scenario=scenario)
    assert code != 0, output
    if "DataError: " in output or "BrokenCatalog: " in output:
        assert code == 2, f"a mistake in the user's inputs exits 2, not {code}: {output}"
    for fragment in fragments:
        assert fragment in output, output
    assert published(root) == before, "published outputs changed"
    assert not list((root / "build").glob(".stage-*")), "a staging folder was left behind"
    return output


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def add_cell(notebook: Path, source: str, at: int = 3) -> None:
    """A code cell of ``source`` inserted at index ``at`` of the notebook's cells (3: after its imports)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].insert(
        at, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
    )
    notebook.write_text(json.dumps(nb), encoding="utf-8")


FIGURES = "data/raw/figures.csv"


# --- raw data ------------------------------------------------------------------------------------------------


MALFORMED_FIGURE_ROWS = [
    ("value_text", "13.000,5.2", ["figures.csv, row 1 (line 2)", "column 'value_text'", "'13.000,5.2'"]),
    ("value_text", "1e", ["column 'value_text'", "'1e'"]),
    ("value_text", "", ["figures.csv, row 1", "column 'value_text'"]),
    ("unit", "furlongs", ["column 'unit'", "unknown unit 'furlongs'"]),
    ("qualifier_text", "peut-être", ["column 'qualifier_text'", "unknown qualifier"]),
    ("figure_id", "gers_creation_year", ["column 'figure_id'", "unique"]),
    ("start", "0", ["column 'span'", "is not at offsets 0:"]),
    ("initiative", "atlantis", ["column 'initiative'", "unknown initiative 'atlantis'"]),
    ("as_of", "last spring", ["column 'as_of'"]),
    ("unit", "households", ["column 'unit'", "means 'EUR'"]),
]
MALFORMED_IDS = [
    "bad-number",
    "half-exponent",
    "empty-number",
    "unknown-unit",
    "unknown-qualifier",
    "duplicate-id",
    "span-offsets",
    "unknown-initiative",
    "bad-date",
    "unit-mismatch",
]
# Every malformed row is refused by the cleaning step, checked here in this process for each; two of them go
# through the real build too (its message naming notebook and cell, exit 2, nothing published): the build says what
# the step raised, whichever row it is, and each build pays a kernel and the engine.
THROUGH_THE_BUILD = {"bad-number", "unit-mismatch"}


def _malformed_row(root: Path, column: str, value: str) -> None:
    row = 1 if column != "unit" or value != "households" else 4  # row 4 is the 100 M€ budget
    edit_csv(root / FIGURES, row, column, value)


@pytest.mark.parametrize(("column", "value", "fragments"), MALFORMED_FIGURE_ROWS, ids=MALFORMED_IDS)
def test_malformed_figure_row_is_refused_by_the_cleaning_step(tmp_path, sources_dir, column, value, fragments):
    from divide_study.analysis import cleaning
    from divide_study.errors import DataError

    root = tmp_path / "study"
    shutil.copytree(config.RAW_DIR, root / "data/raw")
    _malformed_row(root, column, value)
    out = tmp_path / "processed"
    with pytest.raises(DataError) as info:  # a user's mistake: the build exits 2 on it
        cleaning.step(root / "data/raw", sources_dir, out)
    said = str(info.value)
    for fragment in fragments:
        assert fragment in said, said
    assert not out.exists() or not any(out.iterdir()), "the cleaning step wrote tables despite the refusal"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("column", "value", "fragments"),
    [case for case, name in zip(MALFORMED_FIGURE_ROWS, MALFORMED_IDS, strict=True) if name in THROUGH_THE_BUILD],
    ids=[name for name in MALFORMED_IDS if name in THROUGH_THE_BUILD],
)
def test_malformed_figure_row(project, capsys, column, value, fragments):
    _malformed_row(project, column, value)
    expect_refusal(project, capsys, "01_clean.ipynb", "cell ", *fragments)


def _missing_column(root: Path) -> None:
    frame = pd.read_csv(root / FIGURES, dtype=str, keep_default_na=False).drop(columns="unit")
    frame.to_csv(root / FIGURES, index=False)


def _extra_column(root: Path) -> None:
    frame = pd.read_csv(root / FIGURES, dtype=str, keep_default_na=False).assign(comment="x")
    frame.to_csv(root / FIGURES, index=False)


def _latin1_file(root: Path) -> None:
    path = root / FIGURES
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _byte_order_mark(root: Path) -> None:
    path = root / FIGURES
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _empty_table(root: Path) -> None:
    (root / FIGURES).write_text("", encoding="utf-8")


def _missing_raw_file(root: Path) -> None:
    (root / FIGURES).unlink()


def _source_file_changed(root: Path) -> None:
    article = next((root / "sources").glob("004_*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "\nun ajout\n", encoding="utf-8")


def _reference_row_without_citation(root: Path) -> None:
    edit_csv(root / "data/raw/reference/external_figures.csv", 3, "source", "")


def _contradictory_date_clue(root: Path) -> None:
    edit_csv(root / "data/raw/date_clues.csv", 8, "value", "2012")  # 001: "d'ici 2020" now says ≤ 2012


def _measure_pointing_nowhere(root: Path) -> None:
    edit_csv(root / "data/raw/measures.csv", 2, "figure_id", "no_such_figure")


def _cpi_year_not_a_number(root: Path) -> None:
    edit_csv(root / "data/raw/reference/cpi_france.csv", 1, "year", "nineteen")


# Raw-file mistakes the cleaning step refuses: each checked there, in this process; the ones in THROUGH_THE_BUILD
# also through the real build (message, exit 2, nothing published), which says whatever the step raised.
RAW_FILE_MISTAKES = {
    "missing-column": (_missing_column, ["figures.csv", "missing column(s) ['unit']"]),
    "extra-column": (_extra_column, ["figures.csv", "unexpected column(s) ['comment']"]),
    "latin1-file": (_latin1_file, ["figures.csv", "not UTF-8", "Latin-1"]),
    "byte-order-mark": (_byte_order_mark, ["figures.csv", "byte-order mark"]),
    "empty-table": (_empty_table, ["figures.csv", "empty"]),
    "missing-raw-file": (_missing_raw_file, ["figures.csv", "missing"]),
    "source-file-changed": (
        _source_file_changed,
        ["sources.csv", "column 'sha256'", "has changed since it was registered"],
    ),
    "reference-row-without-citation": (
        _reference_row_without_citation,
        ["external_figures.csv", "row 3", "column 'source'"],
    ),
    "contradictory-date-clue": (_contradictory_date_clue, ["sources.csv", "cannot date the article", "date_clues.csv"]),
    "measure-pointing-nowhere": (
        _measure_pointing_nowhere,
        ["measures.csv", "column 'figure_id'", "unknown figure 'no_such_figure'"],
    ),
    "cpi-year-not-a-number": (_cpi_year_not_a_number, ["cpi_france.csv", "column 'year'"]),
}
RAW_FILES_THROUGH_THE_BUILD = ("latin1-file", "source-file-changed")


@pytest.mark.parametrize("case", RAW_FILE_MISTAKES)
def test_raw_file_mistake_is_refused_by_the_cleaning_step(tmp_path, sources_dir, case):
    from divide_study.analysis import cleaning
    from divide_study.errors import DataError

    edit, fragments = RAW_FILE_MISTAKES[case]
    root = tmp_path / "study"
    shutil.copytree(config.RAW_DIR, root / "data/raw")
    shutil.copytree(sources_dir, root / "sources")
    edit(root)
    out = tmp_path / "processed"
    with pytest.raises(DataError) as info:  # a user's mistake: the build exits 2 on it
        cleaning.step(root / "data/raw", root / "sources", out)
    said = str(info.value)
    for fragment in fragments:
        assert fragment in said, said
    assert not out.exists() or not any(out.iterdir()), "the cleaning step wrote tables despite the refusal"


@pytest.mark.parametrize("case", RAW_FILES_THROUGH_THE_BUILD)
def test_raw_file_mistake_stops_the_build(project, capsys, case):
    edit, fragments = RAW_FILE_MISTAKES[case]
    edit(project)
    expect_refusal(project, capsys, "01_clean.ipynb", *fragments)


def test_arcep_file_changed(project, capsys):
    communes = project / "data/raw/arcep_2018/communes.csv"
    communes.write_text(communes.read_text(encoding="utf-8").replace("Aast", "Aas"), encoding="utf-8")
    expect_refusal(project, capsys, "06_national_panel", "arcep_2018/communes.csv", "the file changed")


def test_barometre_file_altered(project, capsys):
    """The Gers in September 2022 made 66 % in the etalab file (61 %, and 60.97 % in DITP's): refused by the
    fibre series step with the file and row, nothing published."""
    path = project / "data/raw/reference/barometre/etalab_taux_deploiement_fibre_departements.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = int(frame.index[(frame["code_departement"] == "32") & (frame["date"] == "2022-09-30")][0]) + 1
    path.write_text(path.read_text(encoding="utf-8").replace("Gers,2022-09-30,61.0", "Gers,2022-09-30,66.0"))
    expect_refusal(project, capsys, "07_fibre_series", path.name, f"row {row} (line {row + 1})", "quarter=2022-Q3")


# --- parameters ----------------------------------------------------------------------------------------------


def test_parameter_of_the_wrong_type(project, capsys):
    output = expect_refusal(project, capsys, "parameter 'base_year' must be int", scenario={"base_year": "2025a"})
    assert "running" not in output  # refused before anything ran


def test_unknown_parameter(project, capsys):
    expect_refusal(project, capsys, "unknown parameter 'base_yaer'", scenario={"base_yaer": 2020})


def test_scenario_that_is_not_yaml(project, capsys):
    expect_refusal(project, capsys, "not valid YAML", scenario="options: {gers_numerique.cost: [")


def test_missing_scenario_file(project, capsys):
    before = published(project)
    code = cli.main(["build", "--root", str(project), "--params", str(project / "params/nope.yaml")])
    assert code == 2 and "parameter file not found" in capsys.readouterr().err
    assert published(project) == before


def test_unknown_measure_option(project, capsys):
    # Refused with the file that holds it, before anything runs (issue 23), not by the notebook that trips on it.
    output = expect_refusal(
        project,
        capsys,
        "case.yaml: parameter 'options': unknown cost option 'cheapest' for 'gers_numerique'",
        "data/raw/measures.csv",
        scenario={"options": {"gers_numerique.cost": "cheapest"}},
    )
    assert "running" not in output


def test_parameter_value_is_data_not_code(project, capsys):
    hostile = 'x"); import os; os.system("touch PWNED'
    expect_refusal(
        project,
        capsys,
        "case.yaml: parameter 'options': unknown cost option",
        scenario={"options": {"gers_numerique.cost": hostile}},
    )
    assert not list(project.rglob("PWNED")) and not Path("PWNED").exists()


# --- notebooks and kernels -----------------------------------------------------------------------------------


def test_notebook_that_raises(project, capsys):
    add_cell(project / "notebooks/03_programme_outcomes.ipynb", "raise RuntimeError('a slip in the analysis')")
    output = expect_refusal(
        project,
        capsys,
        "03_programme_outcomes.ipynb",
        "cell 4",
        "RuntimeError: a slip in the analysis",
        "executed copy kept",
    )
    assert (project / "build/notebooks/03_programme_outcomes.ipynb").exists()
    assert "05_report: not run" in output


def test_notebook_that_never_ends(project, capsys):
    # The never-ending cell comes right after the parameters (papermill's injected ones are cell 2), before any
    # import: no cell of work runs before it, so a short limit cannot catch a slow import cell on a loaded machine
    # instead of the sleeping one. Only this notebook reruns (the copied project is built).
    add_cell(project / "notebooks/03_programme_outcomes.ipynb", "import time\ntime.sleep(600)", at=2)
    expect_refusal(
        project,
        capsys,
        "03_programme_outcomes.ipynb",
        "cell 3",
        "Timeout",
        extra=("--timeout", "5", "--only", "03_programme_outcomes"),
    )


def test_kernel_that_dies(project, capsys):
    add_cell(project / "notebooks/03_programme_outcomes.ipynb", "import os\nos._exit(1)")
    expect_refusal(project, capsys, "03_programme_outcomes", "DeadKernelError")


def test_disk_full_while_publishing(project, capsys, monkeypatch):
    """The publishing swap fails half-way: what was swapped already is put back."""
    real_replace = os.replace

    def full_disk(src, dst, *args, **kwargs):
        if str(dst).endswith("/figures") and ".stage-" in str(src) and str(src).endswith("/figures"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(pipeline.os, "replace", full_disk)
    # A new household size redraws the Soho Solo chart, so figures/ must be swapped in.
    expect_refusal(
        project,
        capsys,
        "could not publish",
        "No space left on device",
        "previous ones are kept",
        scenario={"persons_per_household": 2.5},
        extra=("--only", "03_programme_outcomes"),  # the step that draws the chart, and 01_clean before it
    )


def test_interrupt_during_a_build(project, tmp_path):
    """Ctrl-C while a notebook runs: the build is interrupted when its step's cell has started (a file the cell
    writes says so), not after a guessed delay, so a loaded machine cannot move the signal elsewhere."""
    before = published(project)
    started = tmp_path / "cell-started"
    add_cell(
        project / "notebooks/03_programme_outcomes.ipynb",
        f"import pathlib, time\npathlib.Path({str(started)!r}).write_text('')\ntime.sleep(600)",
    )
    command = [
        sys.executable,
        "-m",
        "divide_study.engine.cli",
        "build",
        "--root",
        str(project),
        "--no-pdf",
        "--only",
        "03_programme_outcomes",
        "--params",
        str(project / "params/here.yaml"),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As from a shell: Ctrl-C's signal acts. A test process may run with SIGINT ignored (a pytest-xdist
        # worker can), and an ignored signal stays ignored in the processes it starts.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while not started.exists() and process.poll() is None:
        time.sleep(0.1)
    assert started.exists(), process.communicate()[1]
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted: nothing was published" in err
    assert published(project) == before
    assert not list((project / "build").glob(".stage-*"))


# --- wrong uses of the command: one `error:` block, never a traceback (issue 11, class 6) --------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("params-is-a-folder", ["--params", "is a folder"]),
        ("missing-root", ["--root", "no such folder"]),
        ("root-is-a-file", ["--root", "is a file"]),
        ("truncated-notebook", ["03_programme_outcomes.ipynb", "not a valid notebook"]),
        ("very-long-path", ["File name too long", "shorten the path"]),
        ("unreadable-defaults", ["default.yaml", "is a folder"]),
        ("unreadable-notebook", ["02_compare_networks.ipynb", "Is a directory"]),
    ],
)
def test_wrong_use_gives_one_error_block(project, capsys, case, fragments):
    before = published(project)
    root, params = str(project), str(project / "params" / "here.yaml")
    if case == "params-is-a-folder":
        params = str(project / "params")
    elif case == "missing-root":
        root = str(project / "no-such-project")
    elif case == "root-is-a-file":
        root = str(project / "params" / "default.yaml")
    elif case == "truncated-notebook":
        _truncate(project / "notebooks/03_programme_outcomes.ipynb")
    elif case == "very-long-path":
        params = str(project / "params" / ("x" * 5000 + ".yaml"))
    elif case == "unreadable-defaults":
        (project / "params/default.yaml").unlink()
        (project / "params/default.yaml").mkdir()
    elif case == "unreadable-notebook":
        (project / "notebooks/02_compare_networks.ipynb").unlink()
        (project / "notebooks/02_compare_networks.ipynb").mkdir()
    code = cli.main(["build", "--root", root, "--no-pdf", "--params", params])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code == 2, output
    assert captured.err.startswith("error: ") and captured.err.count("error:") == 1, output
    assert "Traceback" not in output
    for fragment in fragments:
        assert fragment in output, output
    assert published(project) == before


# --- scenarios publish to their own folder (issue 15, item 1) ------------------------------------------------

# Markup that would run a script and load an image (a relative URL: no '/' in a file name), and Markdown that would
# become emphasis and a link: a scenario's file name reaches its edition's stamp and banner as text only.
HOSTILE_NAME = "<img src=x onerror=alert(1)>*scen*_u_[l](x)"


def test_a_scenario_build_leaves_the_published_study_byte_identical(project, capsys):
    before = published(project)
    budget = (config.PROJ_ROOT / "params/scenarios/programme_estimate.yaml").read_text(encoding="utf-8")
    scenario = project / "params" / f"{HOSTILE_NAME}.yaml"
    scenario.write_text(f"sources_dir: {project / 'sources'}\n{budget}", encoding="utf-8")
    code = cli.main(["build", "--root", str(project), "--no-pdf", "--params", str(scenario)])
    output = capsys.readouterr()
    assert code == 0, output.err
    assert published(project) == before  # every published file, byte for byte
    editions = [p for p in (project / "scenarios").iterdir()]
    assert [p.name for p in editions] == ["img_src_x_onerror_alert_1_scen__u__l_x"]  # a safe folder name
    edition = editions[0]
    assert (edition / "data/processed/figures.csv").is_file() and any((edition / "figures").iterdir())
    html = (edition / "report/report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Scenario edition, not the published study" in html
    # Opened in a real browser, the name is shown as text, whole, and nothing of it runs or loads.
    page = open_in_browser(edition / "report/report.html")
    assert page["dialogs"] == [] and page["with_onerror"] == 0 and page["images_elsewhere"] == []
    assert page["requests"] == [(edition / "report/report.html").resolve().as_uri()], page["requests"]
    assert f"Parameters: {HOSTILE_NAME} (" in page["text"]  # the stamp names the scenario
    study = (project / "report/report.html").read_text(encoding="utf-8")
    assert 'id="edition-stamp"' in study and "Parameters: default (" in study
    # The scenario's report differs from the study's where its parameters do.
    assert html != study


def test_a_rebuild_stamps_the_same_bytes(project, capsys):
    """The stamp's date comes from the data, not the clock: a forced rebuild of the report is byte-identical."""
    before = published(project)
    code, output = build(project, capsys, "--force", "--only", "05_report")
    assert code == 0, output
    assert published(project) == before


# --- issue 23: text validated whole, required rows, one folder per scenario name --------------------------

INITIATIVES = "data/raw/initiatives.csv"


@pytest.mark.parametrize(
    ("column", "value", "fragments"),
    [
        ("initiative", "gers_numerique\n", ["column 'initiative'", "control character (U+000A LINE FEED)"]),
        ("colour", "#0072b2\n", ["[initiative=gers_numerique], column 'colour'", "control character (U+000A"]),
        ("short_name", '=HYPERLINK("http://example.invalid","Gers")', ["column 'short_name'", "(CSV injection)"]),
    ],
    ids=["id-with-a-newline", "colour-with-a-newline", "spreadsheet-formula"],
)
def test_a_text_value_is_refused_whole_at_the_cleaning_step(project, capsys, column, value, fragments):
    edit_csv(project / INITIATIVES, 1, column, value)
    expect_refusal(
        project, capsys, "01_clean.ipynb", "initiatives.csv, row 1 (line 2)", *fragments, extra=("--only", "01_clean")
    )


def test_a_model_without_its_risk_row_is_refused_at_the_cleaning_step(project, capsys):
    risks = project / "data/raw/model_risks.csv"
    frame = pd.read_csv(risks, dtype=str, keep_default_na=False)
    frame[frame["model"] != "concession"].to_csv(risks, index=False, lineterminator="\n")
    expect_refusal(
        project,
        capsys,
        "01_clean.ipynb",
        "data/raw/model_risks.csv, column 'model': no row for the model 'concession'",
        "gives to 'tarn'",
        extra=("--only", "01_clean"),
    )


def test_two_scenario_names_that_would_share_a_folder_are_refused_before_anything_runs(project, capsys):
    scenarios = project / "params/scenarios"
    (scenarios / "p p.yaml").write_text("base_year: 2014\n", encoding="utf-8")
    (scenarios / "p_p.yaml").write_text("base_year: 2003\n", encoding="utf-8")
    output = expect_refusal(project, capsys, "'p p.yaml' and 'p_p.yaml' would both publish to scenarios/p_p/")
    assert "running" not in output


def test_words_that_would_change_a_number_are_refused_at_the_cleaning_step(project, capsys):
    words = project / "data/raw/words.csv"
    frame = pd.read_csv(words, dtype=str, keep_default_na=False)
    row = int(frame.index[frame["en"] == "{value}+ plugs eligible"][0]) + 1
    edit_csv(words, row, "fr", "plus de {value:>12} prises raccordables")
    expect_refusal(
        project,
        capsys,
        "01_clean.ipynb",
        f"data/raw/words.csv, row {row} (line {row + 1}), column 'fr'",
        "formats {value:>12} itself, which changes how the number prints; write {value}",
        extra=("--only", "01_clean"),
    )
