"""`study build` on a throwaway project: order, skipping, re-running, failures, atomic publishing."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import tree_digest

from divide_study.build.params import ParameterError
from divide_study.build.pipeline import Builder, Step, dependencies, topological_order
from divide_study.build.progress import Reporter

STEPS = (
    Step("b_double", reads=("processed:a.csv",), writes=("processed:b.csv",)),
    Step("a_copy", reads=("raw:input.csv",), writes=("processed:a.csv",)),
    Step("c_other", reads=("raw:other.csv",), writes=("processed:c.csv",)),
)


# --- pure functions on inline step lists --------------------------------------------------------------------


def test_dependencies_follow_reads_and_writes():
    assert dependencies(STEPS) == {"b_double": {"a_copy"}, "a_copy": set(), "c_other": set()}


def test_topological_order_puts_writers_first():
    order = topological_order(STEPS)
    assert order.index("a_copy") < order.index("b_double")
    assert set(order) == {"a_copy", "b_double", "c_other"}


def test_the_study_steps_run_clean_first_and_the_report_last():
    from divide_study.build.pipeline import STEPS as STUDY

    order = topological_order(STUDY)
    assert order[0] == "01_clean" and order[-1] == "05_report"
    deps = dependencies(STUDY)
    assert deps["05_report"] >= {"01_clean", "02_compare_networks", "03_soho_solo", "04_sensitivity"}
    assert deps["03_soho_solo"] == {"01_clean"}


def test_a_cycle_is_refused():
    cycle = (
        Step("x", reads=("processed:y.csv",), writes=("processed:x.csv",)),
        Step("y", reads=("processed:x.csv",), writes=("processed:y.csv",)),
    )
    with pytest.raises(Exception, match="cycle"):
        topological_order(cycle)


# --- a throwaway project ------------------------------------------------------------------------------------


def notebook(path: Path, parameters: str, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    cell = nbformat.v4.new_code_cell(textwrap.dedent(parameters))
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [
        cell,
        nbformat.v4.new_code_cell("from pathlib import Path"),
        nbformat.v4.new_code_cell(textwrap.dedent(body)),
    ]
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    for folder in ("notebooks", "params", "data/raw"):
        (root / folder).mkdir(parents=True)
    (root / "data/raw/input.csv").write_text("x\n1\n2\n")
    (root / "data/raw/other.csv").write_text("y\n5\n")
    (root / "params/default.yaml").write_text(
        "raw_dir: data/raw\nprocessed_dir: data/processed\nfactor: 2\nfail: false\n"
    )
    paths = 'raw_dir: str = "data/raw"  # inputs\nprocessed_dir: str = "data/processed"  # outputs\n'
    notebook(
        root / "notebooks/a_copy.ipynb",
        paths,
        "(Path(processed_dir) / 'a.csv').write_text((Path(raw_dir) / 'input.csv').read_text())",
    )
    notebook(
        root / "notebooks/b_double.ipynb",
        paths + "factor: int = 2  # multiplier\nfail: bool = False  # fail on purpose\n",
        """
             if fail:
                 raise ValueError("failing on purpose")
             lines = (Path(processed_dir) / 'a.csv').read_text().split()
             values = [int(v) * factor for v in lines[1:]]
             (Path(processed_dir) / 'b.csv').write_text('x\\n' + ''.join(f'{v}\\n' for v in values))
             """,
    )
    notebook(
        root / "notebooks/c_other.ipynb",
        paths,
        "(Path(processed_dir) / 'c.csv').write_text((Path(raw_dir) / 'other.csv').read_text())",
    )
    return root


def build(project: Path, **options):
    reporter = Reporter()
    report = Builder(steps=STEPS, root=project, reporter=reporter, finalize=None, **options).run()
    return report, {r.name: r.status for r in report.results}, reporter


def test_build_runs_in_order_then_skips_everything(project: Path):
    report, status, _ = build(project)
    assert report.ok and report.published
    assert status == {"a_copy": "ran", "b_double": "ran", "c_other": "ran"}
    assert (project / "data/processed/b.csv").read_text() == "x\n2\n4\n"  # b read a's output
    assert (project / "build/notebooks/b_double.ipynb").exists()  # executed copy kept

    report, status, reporter = build(project)
    assert set(status.values()) == {"skipped"}
    assert not report.published
    assert all("skipped" in line for line in reporter.lines)

    report, status, _ = build(project, force=True)
    assert set(status.values()) == {"ran"}


def test_changed_inputs_rerun_only_their_dependants(project: Path):
    build(project)
    (project / "data/raw/input.csv").write_text("x\n10\n")
    _, status, _ = build(project)
    assert status == {"a_copy": "ran", "b_double": "ran", "c_other": "skipped"}
    assert (project / "data/processed/b.csv").read_text() == "x\n20\n"

    # A scenario is its own edition, in scenarios/<name>/, with its own cache; the study is left as it was.
    study = tree_digest(project / "data/processed")
    scenario = project / "params/triple.yaml"
    scenario.write_text("factor: 3\n")
    _, status, _ = build(project, scenario=scenario)
    assert (project / "scenarios/triple/data/processed/b.csv").read_text() == "x\n30\n"
    assert tree_digest(project / "data/processed") == study
    _, status, _ = build(project, scenario=scenario)
    assert set(status.values()) == {"skipped"}
    _, status, _ = build(project)
    assert set(status.values()) == {"skipped"}  # the scenario did not disturb the study's cache

    nb = json.loads((project / "notebooks/c_other.ipynb").read_text())
    nb["cells"][1]["source"] = "from pathlib import Path  # edited"
    (project / "notebooks/c_other.ipynb").write_text(json.dumps(nb))
    _, status, _ = build(project, scenario=scenario)
    assert status == {"a_copy": "skipped", "b_double": "skipped", "c_other": "ran"}


def test_outputs_edited_by_hand_are_rebuilt(project: Path):
    build(project)
    (project / "data/processed/c.csv").write_text("tampered\n")
    _, status, _ = build(project)
    assert status["c_other"] == "ran"
    assert (project / "data/processed/c.csv").read_text() == "y\n5\n"


def test_failing_cell_is_reported_and_nothing_is_published(project: Path):
    build(project)
    before = tree_digest(project / "data/processed")
    (project / "data/raw/input.csv").write_text("x\n7\n")  # a_copy will run and succeed
    scenario = project / "params/fail.yaml"
    scenario.write_text("fail: true\n")
    report, status, reporter = build(project, scenario=scenario)
    assert not report.ok and not report.published
    assert status["b_double"] == "failed" and status["a_copy"] == "ran"
    failure = next(r for r in report.results if r.name == "b_double").error
    assert "b_double.ipynb" in failure
    assert "cell 3" in failure and "ValueError: failing on purpose" in failure
    assert "executed copy kept" in failure
    assert any("✗ b_double failed" in line for line in reporter.lines)
    assert tree_digest(project / "data/processed") == before  # a_copy's new output was not published either
    assert (project / "build/notebooks/b_double.ipynb").exists()
    assert not list((project / "build").glob(".stage-*"))


def test_only_runs_the_named_notebook_and_its_upstream(project: Path):
    _, status, _ = build(project, only=["b_double"])
    assert status == {"a_copy": "ran", "b_double": "ran"}
    with pytest.raises(Exception, match="unknown notebook"):
        Builder(steps=STEPS, root=project, only=["nope"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("factor: three\n", "parameter 'factor' must be int, got str 'three'"),
        ("fail: 1\n", "parameter 'fail' must be bool"),
        ("factr: 3\n", "unknown parameter 'factr'"),
        ("factor: [\n", "not valid YAML"),
        ("- 1\n- 2\n", "expected a mapping"),
    ],
)
def test_bad_parameter_files_are_refused_before_anything_runs(project: Path, content: str, message: str):
    scenario = project / "params/bad.yaml"
    scenario.write_text(content)
    with pytest.raises(ParameterError, match=message.replace("[", r"\[")):
        Builder(steps=STEPS, root=project, scenario=scenario)
    assert not (project / "build").exists()
