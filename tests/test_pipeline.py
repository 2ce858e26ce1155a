"""`study build` on a throwaway project: order, skipping, re-running, failures, atomic publishing."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from conftest import executed_report, tree_digest

from divide_study.engine import staging
from divide_study.engine.params import ParameterError
from divide_study.engine.pipeline import Builder, Step, dependencies, topological_order
from divide_study.engine.progress import Reporter
from divide_study.errors import StudyError

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
    from divide_study.engine.pipeline import STEPS as STUDY

    order = topological_order(STUDY)
    assert order[0] == "01_clean" and set(order[-2:]) == {"05_report", "05_report_fr"}
    deps = dependencies(STUDY)
    for report in ("05_report", "05_report_fr"):
        assert deps[report] >= {"01_clean", "02_compare_networks", "03_programme_outcomes", "04_sensitivity"}
    # One notebook, one edition per language: the English report and the French rapport.
    editions = {step.name: (step.notebook_name, dict(step.fixed), step.report_file) for step in STUDY if step.publish}
    assert editions == {
        "05_report": ("05_report", {"lang": "en"}, "report.html"),
        "05_report_fr": ("05_report", {"lang": "fr"}, "rapport.html"),
    }
    assert deps["03_programme_outcomes"] == {"01_clean"}


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


def test_one_notebook_runs_as_two_steps_each_with_its_fixed_value(project: Path):
    body = (project / "notebooks/b_double.ipynb").read_text().replace("'b.csv'", "f'b{factor}.csv'")
    (project / "notebooks/b_double.ipynb").write_text(body)
    (project / "notebooks/c_other.ipynb").unlink()
    steps = (
        Step("a_copy", reads=("raw:input.csv",), writes=("processed:a.csv",)),
        Step("b_double", reads=("processed:a.csv",), writes=("processed:b2.csv",), fixed=(("factor", 2),)),
        Step(
            "b_triple",
            reads=("processed:a.csv",),
            writes=("processed:b3.csv",),
            notebook="b_double",
            fixed=(("factor", 3),),
        ),
    )
    report = Builder(steps=steps, root=project, reporter=Reporter(), finalize=None).run()
    assert report.ok, [r.error for r in report.results]
    assert (project / "data/processed/b2.csv").read_text() == "x\n2\n4\n"
    assert (project / "data/processed/b3.csv").read_text() == "x\n3\n6\n"
    assert (project / "build/notebooks/b_triple.ipynb").exists()  # each step its own executed copy
    # A value a step fixes is not a scenario's to set: said before anything runs.
    scenario = project / "params/three.yaml"
    scenario.write_text("factor: 4\n")
    with pytest.raises(StudyError, match="parameter 'factor' is set by the build for each edition"):
        Builder(steps=steps, root=project, scenario=scenario)


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


def test_force_with_only_reruns_that_step_alone_when_its_inputs_are_published(project: Path):
    """``--force --only b_double``: b_double runs again; a_copy, whose output it reads, is up to date and is not
    rerun; a stale upstream step still runs first."""
    build(project)
    _, status, _ = build(project, force=True, only=["b_double"])
    assert status == {"a_copy": "skipped", "b_double": "ran"}
    (project / "data/raw/input.csv").write_text("x\n10\n")
    _, status, _ = build(project, force=True, only=["b_double"])
    assert status == {"a_copy": "ran", "b_double": "ran"}
    assert (project / "data/processed/b.csv").read_text() == "x\n20\n"


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


def test_a_changed_default_is_copied_into_the_parameters_cell_and_reruns_its_notebook(project: Path):
    build(project)
    defaults = project / "params/default.yaml"
    defaults.write_text(defaults.read_text().replace("factor: 2", "factor: 3"))
    _, status, reporter = build(project)
    cell = nbformat.read(project / "notebooks/b_double.ipynb", as_version=4).cells[0].source
    assert "factor: int = 3  # multiplier" in cell.splitlines()
    assert any(
        "b_double.ipynb: parameters cell updated from params/default.yaml (factor: 2 -> 3)" in line
        for line in reporter.lines
    ), reporter.lines
    assert status == {"a_copy": "skipped", "b_double": "ran", "c_other": "skipped"}
    assert (project / "data/processed/b.csv").read_text() == "x\n3\n6\n"
    _, status, _ = build(project)
    assert set(status.values()) == {"skipped"}


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


# --- undeclared files, locks, stale stages ------------------------------------------------------------------


def test_a_notebook_reading_an_undeclared_file_fails_the_build(project: Path):
    build(project)
    before = tree_digest(project / "data/processed")
    # c_other declares raw:other.csv only; now it also peeks at input.csv, which would make its cache stale.
    notebook(
        project / "notebooks/c_other.ipynb",
        'raw_dir: str = "data/raw"  # inputs\nprocessed_dir: str = "data/processed"  # outputs\n',
        "(Path(raw_dir) / 'input.csv').read_text()\n"
        "(Path(processed_dir) / 'c.csv').write_text((Path(raw_dir) / 'other.csv').read_text())",
    )
    report, status, _ = build(project)
    assert status["c_other"] == "failed" and not report.published
    failure = next(r for r in report.results if r.name == "c_other").error
    assert "c_other.ipynb" in failure and "read data/raw/input.csv" in failure and "does not declare" in failure
    assert tree_digest(project / "data/processed") == before


def test_a_module_a_notebook_imports_is_audited_from_the_kernels_start(project: Path):
    """The audit hook is installed by the kernel's startup file, before the notebook's first cell: a module
    that reads an undeclared file as it is imported fails the step; execution counts start at 1."""
    report, _, _ = build(project)
    executed = nbformat.read(project / "build/notebooks/c_other.ipynb", as_version=4)
    counts = [cell.execution_count for cell in executed.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    (project / "peeking.py").write_text("from pathlib import Path\n\nPEEK = Path('data/raw/input.csv').read_text()\n")
    notebook(
        project / "notebooks/c_other.ipynb",
        'raw_dir: str = "data/raw"  # inputs\nprocessed_dir: str = "data/processed"  # outputs\n',
        "import peeking\n(Path(processed_dir) / 'c.csv').write_text((Path(raw_dir) / 'other.csv').read_text())",
    )
    report, status, _ = build(project)
    assert status["c_other"] == "failed" and not report.published
    assert "read data/raw/input.csv" in next(r for r in report.results if r.name == "c_other").error


def test_a_notebook_writing_an_undeclared_file_fails_the_build(project: Path):
    notebook(
        project / "notebooks/c_other.ipynb",
        'raw_dir: str = "data/raw"  # inputs\nprocessed_dir: str = "data/processed"  # outputs\n',
        "(Path(processed_dir) / 'c.csv').write_text((Path(raw_dir) / 'other.csv').read_text())\n"
        "(Path(processed_dir) / 'sneaky.csv').write_text('x')",
    )
    report, status, _ = build(project)
    assert status["c_other"] == "failed" and not report.published
    assert "write data/processed/sneaky.csv" in next(r for r in report.results if r.name == "c_other").error
    assert not (project / "data/processed").exists()


def test_a_second_build_stops_while_one_holds_the_lock(project: Path):
    (project / "build").mkdir()
    with open(project / "build/.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("424242\n")
        handle.flush()
        with pytest.raises(StudyError, match=r"another build of this project is running \(pid 424242\)"):
            Builder(steps=STEPS, root=project, reporter=Reporter(), finalize=None).run()
    assert not (project / "data/processed").exists()


def test_stale_staging_folders_are_removed_at_start(project: Path):
    stale = project / "build/.stage-from-a-killed-build"
    stale.mkdir(parents=True)
    (stale / "junk.csv").write_text("x\n")
    report, _, _ = build(project)
    assert report.ok and not stale.exists()


def test_the_code_hash_is_the_same_for_the_same_lock_whichever_project_is_built(tmp_path: Path):
    """A copy built with --root from this code used to hash the same uv.lock twice (its own and this project's),
    so its stamp named other code than a build in place; another lock still gives another hash."""
    from divide_study import config
    from divide_study.engine.pipeline import package_fingerprint

    (tmp_path / "uv.lock").write_bytes((config.PROJ_ROOT / "uv.lock").read_bytes())
    assert package_fingerprint(tmp_path) == package_fingerprint(config.PROJ_ROOT)
    (tmp_path / "uv.lock").write_text("version = 1\n")
    assert package_fingerprint(tmp_path) != package_fingerprint(config.PROJ_ROOT)


def test_a_change_of_uv_lock_reruns_every_step(project: Path):
    (project / "uv.lock").write_text("version = 1\n")
    build(project)
    (project / "uv.lock").write_text("version = 1\n# a dependency moved\n")
    _, status, _ = build(project)
    assert set(status.values()) == {"ran"}


@pytest.mark.parametrize("value", ["/tmp/elsewhere", "../outside", "data/raw/../../../x", "."])
def test_output_folders_outside_the_project_are_refused(project: Path, value: str):
    scenario = project / "params/escape.yaml"
    scenario.write_text(f"processed_dir: {value}\n")
    with pytest.raises(StudyError, match="processed_dir"):
        Builder(steps=STEPS, root=project, scenario=scenario)


# --- the publish, killed at every point ---------------------------------------------------------------------

KILL_SCRIPT = """
import sys
from pathlib import Path
from divide_study.engine.pipeline import Builder, Step
from divide_study.engine.progress import Reporter
# One step writing both folders: the publish (journal, commit, a rename per folder) is what is killed, and each
# run pays one kernel, not one per folder.
steps = (Step("e_both", reads=("raw:input.csv",), writes=("processed:a.csv", "figures:d.txt")),)
report = Builder(steps=steps, root=Path(sys.argv[1]), reporter=Reporter(), finalize=None, jobs=1).run()
sys.exit(0 if report.ok else 1)
"""


def two_folder_project(root: Path) -> Path:
    for folder in ("notebooks", "params", "data/raw"):
        (root / folder).mkdir(parents=True)
    (root / "data/raw/input.csv").write_text("x\n1\n")
    (root / "params/default.yaml").write_text(
        "raw_dir: data/raw\nprocessed_dir: data/processed\nfigures_dir: figures\n"
    )
    notebook(
        root / "notebooks/a_copy.ipynb",
        'raw_dir: str = "data/raw"  # in\nprocessed_dir: str = "data/processed"  # out\n',
        "(Path(processed_dir) / 'a.csv').write_text((Path(raw_dir) / 'input.csv').read_text())",
    )
    notebook(
        root / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        "(Path(figures_dir) / 'd.txt').write_text('figure of ' + (Path(processed_dir) / 'a.csv').read_text())",
    )
    return root


def published_study(root: Path) -> dict[str, dict[str, str]]:
    return {folder: tree_digest(root / folder) for folder in ("data/processed", "figures")}


@pytest.mark.slow
def test_a_publish_killed_at_any_point_is_all_old_or_all_new_after_the_next_start(tmp_path: Path):
    def run(root: Path, crash_at: int | None = None) -> int:
        env = {k: v for k, v in os.environ.items() if k != staging.CRASH_AT_ENV}
        if crash_at is not None:
            env[staging.CRASH_AT_ENV] = str(crash_at)
        return subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(root)], env=env, timeout=300).returncode

    base = two_folder_project(tmp_path / "base")
    notebook(
        base / "notebooks/e_both.ipynb",
        'raw_dir: str = "data/raw"  # in\nprocessed_dir: str = "data/processed"  # out\n'
        'figures_dir: str = "figures"  # out\n',
        """
        text = (Path(raw_dir) / 'input.csv').read_text()
        (Path(processed_dir) / 'a.csv').write_text(text)
        (Path(figures_dir) / 'd.txt').write_text('figure of ' + text)
        """,
    )
    assert run(base) == 0
    old = published_study(base)
    (base / "data/raw/input.csv").write_text("x\n2\n")  # the step now writes new outputs, in both folders
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    assert run(reference) == 0
    new = published_study(reference)
    assert old != new and all(old[f] != new[f] for f in old)

    point, outcomes = 0, []
    while True:
        point += 1
        case = tmp_path / f"kill-{point}"
        shutil.copytree(base, case)
        code = run(case, crash_at=point)
        if code == 0:  # there is no such point: the publish ended before it
            assert published_study(case) == new
            break
        assert code == -signal.SIGKILL
        staging.recover(case / "build")  # what the next start does first
        after = published_study(case)
        assert after in (old, new), f"killed at point {point}: a mix of old and new outputs"
        outcomes.append("old" if after == old else "new")
        # And the next build goes on from there as if nothing had happened.
        assert run(case) == 0 and published_study(case) == new
    assert point >= 6  # journal, commit, two renames per folder (processed, figures, engine state), done
    assert outcomes[0] == "old" and outcomes[-1] == "new"


# --- processes -----------------------------------------------------------------------------------------------


def processes_with_marker(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if f"STUDY_TEST_MARKER={marker}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_for_no_processes(marker: str, seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_with_marker(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.slow
def test_sigterm_stops_the_build_with_a_message_and_no_orphans(project: Path):
    marker = f"term-{os.getpid()}-{time.monotonic_ns()}"
    slow_project(project)
    process = subprocess.Popen(
        [sys.executable, "-c", SIGNAL_SCRIPT, str(project)],
        env={**os.environ, "STUDY_TEST_MARKER": marker},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert wait_for_kernel(marker), "no kernel started"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert "terminated (SIGTERM)" in err and "nothing was published" in err and "Traceback" not in err
    assert wait_for_no_processes(marker) == []
    assert not (project / "data/processed").exists()
    assert not list((project / "build").glob(".stage-*"))


@pytest.mark.slow
def test_a_killed_build_leaves_no_workers_or_kernels(project: Path):
    marker = f"kill-{os.getpid()}-{time.monotonic_ns()}"
    slow_project(project)
    process = subprocess.Popen(
        [sys.executable, "-c", SIGNAL_SCRIPT, str(project)],
        env={**os.environ, "STUDY_TEST_MARKER": marker},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert wait_for_kernel(marker), "no kernel started"
    process.kill()  # SIGKILL: no handler runs; the children must go by themselves
    process.communicate(timeout=60)
    assert wait_for_no_processes(marker) == []
    assert not (project / "data/processed").exists()


# The CLI's signal handling, on the tiny project's steps.
SIGNAL_SCRIPT = """
import sys
from pathlib import Path
from divide_study.engine import cli, pipeline
pipeline.STEPS = (
    pipeline.Step("a_copy", reads=("raw:input.csv",), writes=("processed:a.csv",)),
    pipeline.Step("c_other", reads=("raw:other.csv",), writes=("processed:c.csv",)),
)
original = pipeline.Builder.__init__
def init(self, *args, **kwargs):
    kwargs["steps"] = pipeline.STEPS
    kwargs["finalize"] = None
    original(self, *args, **kwargs)
pipeline.Builder.__init__ = init
sys.exit(cli.main(["build", "--root", sys.argv[1], "--jobs", "2"]))
"""


def slow_project(project: Path) -> None:
    """Two steps, one of which sleeps in its kernel: something to interrupt."""
    (project / "params/default.yaml").write_text("raw_dir: data/raw\nprocessed_dir: data/processed\n")
    notebook(
        project / "notebooks/c_other.ipynb",
        'raw_dir: str = "data/raw"  # inputs\nprocessed_dir: str = "data/processed"  # outputs\n',
        "import time\ntime.sleep(120)",
    )


def wait_for_kernel(marker: str, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pid in processes_with_marker(marker):
            try:
                if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    time.sleep(3)  # past start-up, into the long cell
                    return True
            except OSError:
                continue
        time.sleep(0.2)
    return False


# --- the report's PDF without --pdf, and `study lab` --------------------------------------------------------


@pytest.mark.slow
def test_no_pdf_keeps_the_last_pdf_only_while_the_html_is_the_same(tmp_path: Path):
    from divide_study.report.publish import html_hash, publish_report, record_html_hash

    report = tmp_path / "report"
    report.mkdir()
    first = executed_report(tmp_path / "first.ipynb", "# Result: 11 times")
    publish_report(first, report, "Title", pdf=False)
    # A PDF printed from the first HTML, as it records (the smallest PDF: a trailer and a classic xref table).
    (report / "report.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj\n<</Type /Catalog>>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
        b"trailer\n<</Size 2 /Root 1 0 R>>\nstartxref\n43\n%%EOF\n"
    )
    record_html_hash(report / "report.pdf", html_hash(report / "report.html"))
    notes = publish_report(first, report, "Title", pdf=False)
    assert (report / "report.pdf").is_file() and any("kept" in note for note in notes)
    second = executed_report(tmp_path / "second.ipynb", "# Result: 6 times")
    notes = publish_report(second, report, "Title", pdf=False)
    assert not (report / "report.pdf").exists()
    assert any("the last report.pdf is removed if this build publishes" in note for note in notes)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.lab
def test_study_lab_passes_any_jupyterlab_option_through(tmp_path: Path):
    import urllib.request

    port, token = free_port(), "study-lab-test-token"
    command = [
        sys.executable,
        "-m",
        "divide_study.engine.cli",
        "lab",
        "--port",
        str(port),
        "--no-browser",
        "--allow-root",
        f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1",
    ]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path)}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    try:
        deadline, status = time.monotonic() + 120, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as answer:
                    status = json.loads(answer.read())
                    break
            except OSError:
                time.sleep(0.5)
        assert process.poll() is None, process.stdout.read().decode(errors="replace")
        assert status is not None and "started" in status
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_a_copied_project_keeps_its_cache(project: Path, tmp_path: Path):
    build(project)
    copy = tmp_path / "elsewhere" / "proj"
    shutil.copytree(project, copy)
    _, status, _ = build(copy)
    assert set(status.values()) == {"skipped"}


def test_an_output_no_step_makes_any_more_is_not_published_again(project: Path):
    """A table renamed or dropped from the steps leaves the published folder at the next build that
    publishes, said so; hidden files (.gitkeep) stay; nothing changes when nothing ran."""
    build(project)
    processed = project / "data/processed"
    (processed / "old_name.csv").write_text("x\n1\n")
    (processed / ".gitkeep").write_text("")
    report, _, reporter = build(project)  # nothing stale: nothing published, the old file untouched
    assert not report.published and (processed / "old_name.csv").exists()
    report, _, reporter = build(project, force=True)
    assert report.published
    assert not (processed / "old_name.csv").exists()
    assert (processed / ".gitkeep").exists() and (processed / "b.csv").exists()
    assert any("no step makes any more: processed/old_name.csv" in line for line in reporter.lines)
