"""``study build``: the notebooks, run by papermill, scheduled by doit, published all at once.

* The steps are declared once, in ``STEPS`` (notebook, files read, files written; the parameters each takes
  are the ones its ``parameters`` cell declares). doit tasks are generated from that table: the files a step
  reads are its ``file_dep`` (MD5-checked), its parameters, notebook cells, the package's code and ``uv.lock``
  are a ``config_changed``, and what an upstream step wrote reaches it through that step's output manifest.
  doit decides what is stale and runs it, ``--jobs`` at a time (its ``-n``); its state lives in ``build/state``.
* Every run writes into a staging copy (``build/.stage-*``) of the published folders. Only when every step
  succeeded is the staging copy published, all folders at once (``staging.publish``: journal, renames,
  roll-forward after a crash); a failed or interrupted build publishes nothing.
* A scenario (``--params`` changing anything but where the inputs are) publishes to ``scenarios/<name>/``,
  never over the published study.
* Executed notebooks (with outputs) go to ``build/notebooks``; a failed one is kept there for inspection.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from divide_study import config
from divide_study.engine import audit, staging
from divide_study.engine.params import (
    load_parameters,
    notebook_parameters,
    output_folders,
    scenario_folder_name,
    sync_notebooks,
)
from divide_study.engine.progress import Reporter
from divide_study.errors import StudyError
from divide_study.i18n import LOCALES

# Output roots the build manages; each maps to the parameter naming its folder.
OUTPUT_ROOTS = {"processed": "processed_dir", "figures": "figures_dir", "report": "report_dir"}
# Input roots, read in place.
INPUT_ROOTS = {"raw": "raw_dir", "sources": "sources_dir", "scenarios": "scenarios_dir"}


@dataclass(frozen=True)
class Step:
    """One notebook: ``reads`` and ``writes`` are 'root:pattern' (a glob inside that root's folder)."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    publish: bool = False  # the executed notebook is the report: convert it to HTML and PDF
    # The notebook it runs (default: its name) and values the step fixes whatever the parameters say: one
    # notebook makes the report in each language, each edition a step of its own.
    notebook: str = ""
    fixed: tuple[tuple[str, Any], ...] = ()

    @property
    def notebook_name(self) -> str:
        return self.notebook or self.name

    @property
    def report_file(self) -> str:
        """The HTML file a publishing step writes (its PDF has the same stem)."""
        return next(w.split(":", 1)[1] for w in self.writes if w.startswith("report:") and w.endswith(".html"))


# What the cleaning step hands to the analyses: they read nothing else.
HANDED_OVER = (
    "processed:figures.csv",
    "processed:sources.csv",
    "processed:initiatives.csv",
    "processed:measures.csv",
    "processed:spending_profiles.csv",
    "processed:funding.csv",
    "processed:evidence.csv",
    "processed:article_classes.csv",
    "processed:reference_source_classes.csv",
    "processed:cpi_france.csv",
    "processed:external_figures.csv",
    "processed:contracts.csv",
    "processed:reference_tables.csv",
    "processed:progress.csv",
    "processed:milestones.csv",
    "processed:headlines.csv",
    "processed:model_risks.csv",
    "processed:roles.csv",
    "processed:labels.csv",
    "processed:words.csv",
)
ANALYSIS_INPUTS = HANDED_OVER

# Each edition's file name, in its own language.
REPORT_FILES = {"en": "report", "fr": "rapport"}

# The one table of steps: everything the engine knows about the study's notebooks, in the order doit is given
# them (``topological_order``: writers before readers). Which of the steps that become ready together starts
# first is doit's choice.
STEPS: tuple[Step, ...] = (
    Step(
        "01_clean",
        reads=("raw:**/*", "sources:*.txt"),
        writes=HANDED_OVER,
    ),
    Step(
        "02_compare_networks",
        reads=ANALYSIS_INPUTS,
        writes=(
            "processed:comparison.csv",
            "processed:cost_figures.csv",
            "processed:benchmarks.csv",
            "processed:public_money.csv",
            "processed:take_up.csv",
            "processed:targets.csv",
            "processed:deployment_pace.csv",
            "processed:models.csv",
            "processed:quoted_compare.csv",
            "figures:cost_per_*.*",
            "figures:eligibility.*",
            "figures:milestones.*",
            "figures:cost_scopes.*",
            "figures:models.*",
        ),
    ),
    Step(
        "04_sensitivity",
        reads=(*ANALYSIS_INPUTS, "scenarios:*.yaml", "scenarios:*.yml"),
        writes=(
            "processed:sensitivity.csv",
            "processed:scenarios.csv",
            "processed:quoted_sensitivity.csv",
            "figures:sensitivity_tornado*.*",
        ),
    ),
    Step(
        "06_national_panel",
        # The ARCEP files and the claims; the articles' dates and stated counts come from 01_clean.
        reads=(
            "raw:arcep_2018/*",
            "raw:press_claims.*",
            "sources:*.txt",
            "processed:sources.csv",
            "processed:figures.csv",
        ),
        writes=(
            "processed:national_panel.csv",
            "processed:panel_placement.csv",
            "processed:press_claims.csv",
            "processed:quoted_panel.csv",
            "figures:national_panel.*",
        ),
    ),
    Step(
        "07_fibre_series",
        # The baromètre's files, ARCEP's 2018 files (the peers, the pre-2020 premises), the claims and windows;
        # the claims' figures and reference rows, and the chart's colours and words, come from 01_clean.
        reads=(
            "raw:reference/barometre/*",
            "raw:arcep_2018/*",
            "raw:series_claims.*",
            "raw:series_windows.*",
            "processed:figures.csv",
            "processed:external_figures.csv",
            "processed:initiatives.csv",
            "processed:labels.csv",
            "processed:funding.csv",
            "processed:evidence.csv",
        ),
        writes=(
            "processed:fibre_series.csv",
            "processed:fibre_crossings.csv",
            "processed:fibre_pace.csv",
            "processed:fibre_peers.csv",
            "processed:fibre_endpoint_2026.csv",
            "processed:population_2023.csv",
            "processed:series_claims.csv",
            "processed:quoted_series.csv",
            "figures:fibre_series.*",
        ),
    ),
    Step(
        "03_programme_outcomes",
        reads=ANALYSIS_INPUTS,
        writes=(
            "processed:programme_outcomes.csv",
            "processed:quoted_programmes.csv",
            "figures:programme_outcomes.*",
        ),
    ),
    # One edition of the report per language, from the same notebook: the English report, the French rapport.
    *(
        Step(
            "05_report" if lang == "en" else f"05_report_{lang}",
            # The report reads results only: processed tables and charts.
            reads=("processed:*.csv", "figures:*.png"),
            writes=(f"report:{REPORT_FILES[lang]}.html", f"report:{REPORT_FILES[lang]}.pdf"),
            publish=True,
            notebook="05_report",
            fixed=(("lang", lang),),
        )
        for lang in LOCALES
    ),
)
# Code whose file accesses are the engine's business, not a step's: datapackage.json describes every processed
# table and is rewritten by the engine after all steps (``_describe_processed``), so what a notebook writes
# there, and the tables it reads to do it, never reach the published study. (Transitional: notebooks and
# ``data.clean`` still call write_datapackage; once they stop, this list can be emptied.)
# The parameters module reads params/default.yaml (the defaults the notebooks' parameters cells take) and the CPI
# years it checks base years against: the build has checked those values before any step ran, and they enter
# each step's key through its parameters (``config_changed``), so they are not a step's inputs.
# frictionless is not exempt (it was): a notebook reading an undeclared file through it went unseen (issue 23);
# the package's own reads through it are of files its steps declare.
EXEMPT_MODULES = ("divide_study.data.datapackage", "divide_study.engine.params")
# Parameters the build itself uses, that no notebook declares.
BUILD_PARAMETERS = {"report_dir": "str"}
# The report's title, in English; each edition's from the 'report' catalog.
REPORT_TITLE = "French answers to the rural digital divide"
# Where scenario editions are published, each in its own folder.
SCENARIOS_DIR = "scenarios"
# In an edition's state (build/state/scenario-<folder>/): the name of the scenario it was built for.
EDITION_RECORD = "edition.txt"


def dependencies(steps: tuple[Step, ...] = STEPS) -> dict[str, set[str]]:
    """For each step, the steps that write something it reads."""
    deps: dict[str, set[str]] = {step.name: set() for step in steps}
    for reader in steps:
        for writer in steps:
            if writer is not reader and any(_overlaps(r, w) for r in reader.reads for w in writer.writes):
                deps[reader.name].add(writer.name)
    return deps


def _overlaps(read: str, write: str) -> bool:
    read_root, read_pattern = read.split(":", 1)
    write_root, write_pattern = write.split(":", 1)
    if read_root != write_root:
        return False
    return (
        Path(write_pattern).match(read_pattern)
        or Path(read_pattern).match(write_pattern)
        or read_pattern in ("*", "**/*")
    )


def topological_order(steps: tuple[Step, ...] = STEPS) -> list[str]:
    """Writers before readers; steps of one rank in the table's order."""
    deps = dependencies(steps)
    order: list[str] = []
    pending = {name: set(d) for name, d in deps.items()}
    while pending:
        ready = [name for name, d in pending.items() if not d - set(order)]
        if not ready:
            raise StudyError(f"the steps depend on each other in a cycle: {sorted(pending)}")
        for name in ready:
            order.append(name)
            del pending[name]
    return order


# --- fingerprints -------------------------------------------------------------------------------------------


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(path for path in folder.glob(pattern) if path.is_file() and not path.name.startswith("."))


def _hash_files(hasher: Any, folder: Path, pattern: str, skip: str | None = None) -> None:
    """Feed each file's relative name and content hash; ``skip`` names a folder to leave out."""
    for path in _files(folder, pattern):
        if skip is None or skip not in path.relative_to(folder).parts:
            hasher.update(str(path.relative_to(folder)).encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())


def read_notebook(notebook: Path) -> dict[str, Any]:
    """A notebook's JSON, or an error naming it (truncated, not JSON, unreadable)."""
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StudyError(f"notebook {config.display_path(notebook)} not found") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise StudyError(
            f"notebook {config.display_path(notebook)} is not a valid notebook file (truncated or not JSON: {exc})"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise StudyError(f"notebook {config.display_path(notebook)} is not a valid notebook file (no cells)")
    return data


def notebook_fingerprint(notebook: Path) -> str:
    """Hash of what a notebook does: cell types, sources and tags; outputs and counts do not count."""
    cells = read_notebook(notebook)["cells"]
    essence = [(c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", [])) for c in cells]
    return hashlib.sha256(json.dumps(essence, ensure_ascii=False).encode()).hexdigest()


def package_fingerprint(root: Path | None = None) -> str:
    """Hash of the package's code and data (schemas, templates) and of the locked dependencies (``uv.lock``).

    A change of either can change what a notebook computes, so both are in every step's cache key.
    """
    hasher = hashlib.sha256()
    _hash_files(hasher, Path(__file__).resolve().parents[1], "**/*", skip="__pycache__")
    # Each different lock once: a project built with --root from another copy of the same code and lock hashed
    # the same lock twice, and its stamp named other code than a build in place (issue 23, a new case).
    locks = {(root or config.PROJ_ROOT) / "uv.lock", config.PROJ_ROOT / "uv.lock"}
    for digest in sorted({hashlib.sha256(lock.read_bytes()).digest() for lock in locks if lock.is_file()}):
        hasher.update(b"uv.lock\0" + digest)
    return hasher.hexdigest()


def outputs_digest(step: Step, folders: dict[str, Path]) -> dict[str, str]:
    digest = {}
    for write in step.writes:
        root, pattern = write.split(":", 1)
        for path in _files(folders[root], pattern):
            digest[f"{root}:{path.relative_to(folders[root])}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


# --- results ------------------------------------------------------------------------------------------------


@dataclass
class StepResult:
    name: str
    status: str  # ran, skipped, failed, blocked
    seconds: float = 0.0
    error: str = ""
    # The failure is a mistake in the user's inputs or parameters (a StudyError raised in the notebook: a bad
    # row of a raw table, a broken catalog), not a fault of the code or the machine: the build exits 2.
    user_mistake: bool = False


@dataclass
class BuildReport:
    results: list[StepResult] = field(default_factory=list)
    published: bool = False
    destination: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.status in ("ran", "skipped") for result in self.results)

    @property
    def user_mistake(self) -> bool:
        """Every failed step failed on a mistake of the user's (the steps blocked behind it did not run)."""
        failed = [result for result in self.results if result.status == "failed"]
        return bool(failed) and all(result.user_mistake for result in failed)

    def count(self, status: str) -> int:
        return sum(result.status == status for result in self.results)


# --- one step, in a doit worker process ---------------------------------------------------------------------


def run_step(spec: dict[str, Any]) -> Any:
    """doit action: run one notebook, check its file accesses, record its outputs. A failure is a TaskFailed,
    never an exception (doit would say only "PythonAction Error")."""
    from doit.exceptions import TaskFailed

    try:
        return _run_step(spec)
    except Exception as exc:
        return TaskFailed(
            f"notebook {spec['shown_notebook']}, the build could not run or record this step: "
            f"{type(exc).__name__}: {exc}"
        )


def _run_step(spec: dict[str, Any]) -> Any:
    from doit.exceptions import TaskFailed

    staging.die_with_parent()
    log = Path(spec["audit_log"])
    handle = os.open(spec["kernel_log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(handle, 2)  # the kernels' own stderr (start-up warnings) goes to a log, not the user's screen
    os.close(handle)
    if spec["publish"]:
        # This worker mostly waits on the kernel: load the HTML converter meanwhile (about 0.5 s).
        threading.Thread(target=_prepare_report, daemon=True).start()
    log.unlink(missing_ok=True)
    # The kernel papermill starts inherits these: its own IPython folder (whose startup file installs the audit
    # hook before the notebook's first cell) and this step's audit rules.
    os.environ.update({"IPYTHONDIR": spec["ipython_dir"], audit.RULES_ENV: spec["audit_rules"]})
    read_before = input_digests(spec)  # what the step is about to read, as the build will record it
    outcome = execute_step(spec["notebook"], spec["executed"], spec["parameters"], spec["timeout"], spec["cwd"])
    if outcome["ok"]:
        moved = changed_inputs(spec, read_before)
        if moved:
            outcome = {
                **outcome,
                "ok": False,
                "error": f"its input(s) changed while it ran: {', '.join(moved)}; what it read may not be what the "
                "build would record as read, so the step is not recorded: build again once the files are saved",
            }
    if outcome["ok"]:
        found = audit.undeclared(log, Path(spec["cwd"]), spec["staged"])
        programs = [item.removeprefix("run ") for item in found if item.startswith("run ")]
        files = [item for item in found if not item.startswith("run ")]
        problems = []
        if files:
            problems.append(
                "used file(s) its step in the build's table of steps does not declare: "
                + "; ".join(files)
                + " (declare them in STEPS in src/divide_study/engine/pipeline.py, or stop using them)"
            )
        if programs:
            problems.append(
                "started a program, whose reads and writes the build can neither check nor record: "
                + "; ".join(repr(program) for program in programs)
                + " (a notebook calls the package, which reads and writes in Python)"
            )
        if problems:
            outcome = {**outcome, "ok": False, "error": "; and ".join(problems)}
    if outcome["ok"] and spec["publish"]:
        outcome = _publish_report(spec, outcome)
    if not outcome["ok"]:
        return TaskFailed(
            f"notebook {spec['shown_notebook']}, {outcome['error']}\nexecuted copy kept: {spec['shown_executed']}"
        )
    step = Step(spec["name"], tuple(spec["reads"]), tuple(spec["writes"]))
    folders = {root: Path(path) for root, path in spec["folders"].items()}
    manifest = Path(spec["manifest"])
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(outputs_digest(step, folders), indent=1, sort_keys=True), encoding="utf-8")
    return {"seconds": outcome["seconds"], "notes": outcome.get("notes", [])}


def input_digests(spec: dict[str, Any]) -> dict[str, str]:
    """The SHA-256 of each input file a step reads (its read patterns in the input folders), by its name as the
    user sees it. Taken as the step starts and again as it ends: doit records the inputs' hashes only after the
    step, so a file saved while the step ran would be recorded with its new hash over results of its old
    content, and the next build would skip the step."""
    digests = {}
    cwd = Path(spec["cwd"])
    for read in spec["reads"]:
        root, pattern = read.split(":", 1)
        if root not in INPUT_ROOTS or root not in spec["folders"]:
            continue
        for path in _files(Path(spec["folders"][root]), pattern):
            shown = path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else str(path)
            try:
                digests[shown] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                digests[shown] = "unreadable"
    return digests


def changed_inputs(spec: dict[str, Any], before: dict[str, str]) -> list[str]:
    """The inputs added, removed or changed since ``before`` (``input_digests``)."""
    after = input_digests(spec)
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def _prepare_report() -> None:
    from divide_study.report import publish

    publish.prepare()


def _publish_report(spec: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
    """Turn the executed report notebook into report.html and report.pdf in the staging folder."""
    from divide_study.report.publish import publish_report

    started = time.perf_counter()
    processed = Path(spec["folders"]["processed"])
    stamp = {
        **spec["stamp"],
        "date": _data_date(processed) or "unknown",
        "state": _latest_source_date(processed) or "unknown",
    }
    try:
        notes = publish_report(
            Path(spec["executed"]),
            Path(spec["folders"]["report"]),
            REPORT_TITLE,
            pdf=spec["pdf"],
            stamp=stamp,
            lang=spec["parameters"].get("lang", "en"),
            name=Path(spec["report_file"]).stem,
            editions=REPORT_FILES,
        )
    except StudyError as exc:
        return {**outcome, "ok": False, "error": f"publishing the report: {exc}"}
    return {**outcome, "seconds": outcome["seconds"] + time.perf_counter() - started, "notes": notes}


def outputs_unchanged(manifest: str, spec: dict[str, Any]) -> bool:
    """doit ``uptodate``: the step's outputs are still what it wrote (not edited or removed by hand)."""
    try:
        recorded = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    step = Step(spec["name"], tuple(spec["reads"]), tuple(spec["writes"]))
    current = outputs_digest(step, {root: Path(path) for root, path in spec["folders"].items()})
    return bool(current) and current == recorded


def execute_step(notebook: str, output: str, parameters: dict[str, Any], timeout: int, cwd: str) -> dict[str, Any]:
    """Run one notebook with papermill, in a kernel of its own. Returns an outcome, never raises."""
    import papermill
    from jupyter_client.manager import AsyncKernelManager
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    # The kernel talks to papermill over Unix sockets in a private folder (jupyter_client's IPC transport), not
    # over TCP ports: a free port chosen for one kernel can be taken by another process before the kernel binds
    # it ("Address already in use", a kernel that dies at its start), and TCP makes every kernel warn that its
    # traffic is not encrypted. The folder's path is short: a socket's path is limited to about 100 bytes.
    sockets = tempfile.mkdtemp(prefix="study-kernel-")
    manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
    try:
        papermill.execute_notebook(
            notebook,
            output,
            parameters=parameters,
            kernel_name="python3",
            cwd=cwd,
            progress_bar=False,
            # Saved after each cell, so a timeout or a dead kernel can still say which cell it was.
            request_save_on_cell_execute=True,
            execution_timeout=timeout,
            # The kernel is this step's (km=): nbclient leaves a kernel it was given running, so end_kernel
            # below ends it, every time.
            km=manager,
        )
    except PapermillExecutionError as exc:
        return {
            "ok": False,
            "seconds": time.perf_counter() - started,
            "error": _describe_cell_error(output, exc.cell_index, exc.exec_count, exc.ename, exc.evalue),
        }
    except Exception as exc:  # a dead kernel, a timeout, a notebook that cannot be read: all are one failure
        message = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
        cell = _running_cell(output)
        where = f"cell {cell}: " if cell else ""
        return {
            "ok": False,
            "seconds": time.perf_counter() - started,
            "error": f"{where}{type(exc).__name__}: {message}",
        }
    finally:
        end_kernel(manager)
        shutil.rmtree(sockets, ignore_errors=True)
    return {"ok": True, "seconds": time.perf_counter() - started, "error": ""}


# How long a finished kernel may take to answer before it is ended without waiting (it has died, or is stuck).
KERNEL_IDLE_WAIT = 5.0


async def _end_kernel(manager: Any, wait: float) -> None:
    if not manager.has_kernel:
        return
    import queue

    # jupyter_client interrupts a kernel (SIGINT) before it shuts it down. papermill asks the kernel for its
    # info after the last cell and returns on the reply, which ipykernel sends before its request handler ends:
    # an interrupt landing in that handler is logged as "[IPKernelApp] ERROR | KeyboardInterrupt caught in
    # kernel." So first wait until the kernel says it is idle after a request of ours (requests are handled one
    # at a time, and outside a handler the kernel ignores SIGINT); then end it at once (its outputs are saved).
    client = manager.client()
    client.start_channels()
    try:
        if await manager.is_alive():
            await client.wait_for_ready(timeout=wait)  # also makes sure the IOPub channel receives
            request = client.execute("", silent=True, store_history=False)
            deadline = time.monotonic() + wait
            while (left := deadline - time.monotonic()) > 0:
                message = await client.get_iopub_msg(timeout=left)
                if (
                    message["parent_header"].get("msg_id") == request
                    and message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"
                ):
                    break
    except (RuntimeError, queue.Empty):
        pass  # a dead or stuck kernel is ended all the same
    finally:
        client.stop_channels()
    await manager.shutdown_kernel(now=True)


def end_kernel(manager: Any, wait: float = KERNEL_IDLE_WAIT) -> None:
    """End a step's kernel once it is idle (``_end_kernel`` says why), on the event loop papermill ran on.

    Without this a build's worker kept every kernel it had started (each a few hundred MB) until it exited."""
    from jupyter_core.utils import run_sync

    try:
        run_sync(_end_kernel)(manager, wait)
    except Exception:  # a kernel that never started, or is already gone: end what is left, if anything
        try:
            if manager.has_kernel:
                run_sync(manager.shutdown_kernel)(now=True)
        except Exception:  # nothing else can be done: PR_SET_PDEATHSIG ends it with its worker
            pass


def _running_cell(output: str) -> int | None:
    """The cell (numbered as the user sees it) that was running when execution stopped: the last one started.

    papermill marks every cell "completed" when it cleans up, but only the cells it reached have a start time.
    """
    try:
        cells = json.loads(Path(output).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    shown = [c for c in cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    started = [n for n, c in enumerate(shown, start=1) if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def _describe_cell_error(output: str, cell_index: int, exec_count: int | None, ename: str, evalue: str) -> str:
    """'cell 4 (In [3])' counted in the notebook as the user sees it, without papermill's injected cell."""
    number = cell_index + 1
    try:
        cells = json.loads(Path(output).read_text(encoding="utf-8"))["cells"]
        injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
        if injected and cell_index > injected[0]:
            number -= 1
    except (OSError, ValueError, KeyError):
        pass
    count = f" (In [{exec_count}])" if exec_count else ""
    return f"cell {number}{count}: {ename}: {evalue}"


def _describe_processed(staged: dict[str, Path]) -> None:
    """``datapackage.json`` is written once per build, here, after every table is in place."""
    from divide_study.data.datapackage import write_datapackage

    if "processed" in staged and staged["processed"].is_dir():
        write_datapackage(staged["processed"])


def _check_processed(table: Path) -> None:
    from divide_study.data.datapackage import check_processed  # imported here: not in doit's main loop

    check_processed(table)


class ProcessedTables:
    """The build's ``_describe_processed``, with each table checked as soon as the step that wrote it ends.

    Checking every processed table against its schema costs about 1.5 s; done after the last step, all of it
    adds to the build. Here a table is checked in a thread of the build's process while later steps run
    (``step_wrote``); at the end (``__call__``) the build waits for those checks, checks the tables no step
    declares, and writes ``datapackage.json``. A table of a step that did not run was checked by the build that
    wrote it, and is unchanged since (the step's manifest says so, or the step would have run).
    """

    def __init__(self, steps: tuple[Step, ...]):
        self.patterns = [w.split(":", 1)[1] for step in steps for w in step.writes if w.startswith("processed:")]
        self.checks: list[Any] = []
        self.executor: Any = None

    def step_wrote(self, tables: list[Path]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="check-processed")
        self.checks += [self.executor.submit(_check_processed, table) for table in tables]

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def __call__(self, staged: dict[str, Path]) -> None:
        from divide_study.data.datapackage import check_processed, write_datapackage

        for check in self.checks:
            check.result()  # the first table its schema refuses stops the build here, as before
        folder = staged.get("processed")
        if folder is None or not folder.is_dir():
            return
        for table in sorted(folder.glob("*.csv")):
            if not any(Path(table.name).match(pattern) for pattern in self.patterns):
                check_processed(table)
        write_datapackage(folder, validate=False)


# --- doit glue ----------------------------------------------------------------------------------------------


class _DoitReporter:
    """doit's reporter interface, turned into our progress lines and results.

    doit makes the reporter from the class named by its ``reporter`` setting, with ``(outstream, options)``:
    ``reporter_for`` makes such a class for one build."""

    builder: Builder
    report: BuildReport

    def __init__(self, outstream: Any = None, options: Any = None):
        self.started: dict[str, float] = {}

    @classmethod
    def reporter_for(cls, builder: Builder, report: BuildReport) -> type[_DoitReporter]:
        return type("StudyReporter", (cls,), {"builder": builder, "report": report})

    def _finish(self, result: StepResult) -> None:
        self.report.results.append(result)
        self.builder.reporter.finished(result)

    def initialize(self, tasks, selected_tasks):
        pass

    def get_status(self, task):
        pass

    def execute_task(self, task):
        self.started[task.name] = time.perf_counter()
        self.builder.reporter.started(task.name)

    def add_success(self, task):
        seconds = time.perf_counter() - self.started.get(task.name, time.perf_counter())
        self.builder.step_wrote(task.name)
        for note in (task.values or {}).get("notes", []):
            self.builder.reporter.note(f"{task.name}: {note}")
            self.report.notes.append(note)
        self._finish(StepResult(task.name, "ran", seconds))

    def add_failure(self, task, fail):
        from doit.exceptions import UnmetDependency

        if isinstance(fail, UnmetDependency):
            self._finish(StepResult(task.name, "blocked", error="an upstream notebook failed"))
            return
        seconds = time.perf_counter() - self.started.get(task.name, time.perf_counter())
        message = self.builder.unstaged(getattr(fail, "message", "") or str(fail))
        if not message.startswith("notebook "):
            message = f"notebook {config.display_path(self.builder.notebook(task.name))}, {message.strip()}"
        self._finish(StepResult(task.name, "failed", seconds, message, user_mistake=_user_mistake(message)))

    def skip_uptodate(self, task):
        self._finish(StepResult(task.name, "skipped"))

    def skip_ignore(self, task):
        self._finish(StepResult(task.name, "skipped"))

    def cleanup_error(self, exception):
        self.builder.reporter.note(str(exception))

    def runtime_error(self, msg):
        self.report.results.append(StepResult("doit", "failed", error=msg))
        self.builder.reporter.note(msg)

    def teardown_task(self, task):
        pass

    def complete_run(self):
        pass


# How a notebook's failure begins: 'notebook …, cell 4 (In [4]): DataError: …' (``_describe_cell_error``).
_CELL_ERROR = re.compile(r"^notebook .*?, cell \d+(?: \(In \[\d+\]\))?: (\w+): ")


def _user_mistake(message: str) -> bool:
    """Whether a step's failure is a StudyError raised in its notebook (the user's inputs or parameters)."""
    from divide_study.errors import user_error_names

    found = _CELL_ERROR.match(message)
    return bool(found) and found.group(1) in user_error_names()


def _safe_name(text: str) -> str:
    """A folder name from a scenario file's name: letters, digits, '-', '_' and '.' only."""
    return scenario_folder_name(text)


class Builder:
    """One build of a project: which steps to consider, with which parameters, publishing where."""

    def __init__(
        self,
        scenario: Path | None = None,
        force: bool = False,
        only: list[str] | None = None,
        jobs: int | None = None,
        timeout: int = 600,
        pdf: bool = True,
        reporter: Reporter | None = None,
        steps: tuple[Step, ...] = STEPS,
        root: Path = config.PROJ_ROOT,
        finalize: Callable[[dict[str, Path]], None] | None = _describe_processed,
    ):
        root = Path(root)
        if not root.exists():
            raise StudyError(f"--root {root}: no such folder")
        if not root.is_dir():
            raise StudyError(f"--root {root}: is a file; give the project's folder (the one with notebooks/)")
        if scenario is not None and Path(scenario).is_dir():
            raise StudyError(f"--params {scenario}: is a folder; give one YAML file, e.g. params/scenarios/X.yaml")
        self.root = root.resolve()
        # The study's own finishing step checks each table as soon as it is written (see ProcessedTables).
        self.finalize = ProcessedTables(steps) if finalize is _describe_processed else finalize
        self.steps = {step.name: step for step in steps}
        self.order = topological_order(steps)
        self.deps = dependencies(steps)
        unknown = sorted(set(only or []) - set(self.steps))
        if unknown:
            raise StudyError(f"unknown notebook(s) {unknown}; the build knows {self.order}")
        self.only = list(only or [])
        self.selected = [name for name in self.order if name in self._with_upstream(only or self.order)]
        if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
            raise StudyError(f"--timeout {timeout}: a cell's time limit is a whole number of seconds, 1 or more")
        staging.crash_point_setting()  # a malformed fault-injection setting is refused before anything runs
        self.force, self.timeout, self.pdf = force, timeout, pdf
        self.reporter = reporter or Reporter()
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
            # 0 used to mean every core and -3 one, silently: a limit is positive, as the time limit is.
            raise StudyError(
                f"--jobs {jobs}: the number of notebooks run at once is a whole number, 1 or more (leave it out "
                "for one per core)"
            )
        self.jobs = jobs or os.cpu_count() or 1
        for name in self.order:
            read_notebook(self.notebook(name))  # a truncated notebook is named here, not as a traceback
        self.declared = {name: notebook_parameters(self.notebook(name)) for name in self.order}
        default_path = self.root / "params" / "default.yaml"
        declared = {self.notebook(name): self.declared[name] for name in self.order}
        # What a step fixes (each edition's language) is not a scenario's to set, the swept ones' included.
        fixed: dict[str, list[Any]] = {}
        for step in steps:
            for key, value in step.fixed:
                fixed.setdefault(key, []).append(value)
        self.parameters = load_parameters(declared, scenario, default_path, BUILD_PARAMETERS, fixed=fixed)
        self.scenario = Path(scenario) if scenario is not None else None
        # The defaults as values (whatever the defaults file's form), to tell an edition from the study itself.
        defaults = (
            self.parameters if scenario is None else load_parameters(declared, None, default_path, BUILD_PARAMETERS)
        )
        self.edition = self._edition(defaults)
        # Each parameters cell holds a copy of the defaults (for papermill --help-notebook and JupyterLab's Run
        # All); params/default.yaml is where they are written, so a changed default is copied into the cells here.
        notebooks = list(dict.fromkeys(self.notebook(name) for name in self.order))
        synced = sync_notebooks(notebooks, defaults)
        for notebook, changes in synced.items():
            self.reporter.note(
                f"{config.display_path(notebook)}: parameters cell updated from params/default.yaml "
                f"({'; '.join(changes)})"
            )
        if synced:
            self.declared = {name: notebook_parameters(self.notebook(name)) for name in self.order}
        # The study's own published folders (whatever this build publishes): a journal's moves are checked
        # against them before an interrupted publish is rolled forward.
        study = output_folders(defaults, OUTPUT_ROOTS.values(), INPUT_ROOTS.values(), self.root, base=self.root)
        self.study_published = {root: study[key] for root, key in OUTPUT_ROOTS.items() if key in study}
        self.base = self.root if self.edition is None else self.root / SCENARIOS_DIR / _safe_name(self.edition)
        self.inputs = self._folders(INPUT_ROOTS, self.root)
        self.published = self._outputs()
        self.build_dir = self.root / "build"
        self.target = "study" if self.edition is None else f"scenario-{_safe_name(self.edition)}"
        self.stage = self.build_dir / f".stage-{self.target}"
        self.state_dir = self.build_dir / "state" / self.target
        if self.edition is not None:
            self._check_edition_folder()
        self.specs: dict[str, dict[str, Any]] = {}  # each step's spec, as its doit task was made
        self.published_before: dict[str, tuple[int, int, int, int]] | None = None  # see published_signature

    def _check_edition_folder(self) -> None:
        """One scenario name, one folder: an edition never publishes over another scenario's edition whose name
        gives the same folder (``p p.yaml`` and ``p_p.yaml``: ``scenarios/p_p/``). Each edition's state records
        the name it was built for (``EDITION_RECORD``); the record is only ever used to refuse."""
        from divide_study.engine.params import check_scenario_name

        check_scenario_name(self.scenario)
        record = self.state_dir / EDITION_RECORD
        try:
            recorded = record.read_text(encoding="utf-8") if record.is_file() and not record.is_symlink() else None
        except (OSError, UnicodeDecodeError):
            recorded = None
        if recorded is not None and recorded != self.edition:
            folder = self.base.relative_to(self.root).as_posix()
            raise StudyError(
                f"--params {config.display_path(self.scenario)}: the scenario {self.edition!r} would publish to "
                f"{folder}/, which holds the edition of the scenario {recorded!r}; rename the file (a folder name "
                f"keeps letters, digits, '-', '_' and '.'), or remove {folder}/ and "
                f"{self.state_dir.relative_to(self.root).as_posix()}/ to replace that edition"
            )

    def _edition(self, defaults: dict[str, Any]) -> str | None:
        """None for the published study; the scenario's name when its values change any result.

        A parameter file that only says where the inputs are (e.g. ``sources_dir``) builds the same study.
        """
        if self.scenario is None:
            return None
        changed = [
            key
            for key, value in self.parameters.items()
            if key not in INPUT_ROOTS.values() and defaults.get(key) != value
        ]
        return self.scenario.stem if changed else None

    def notebook(self, name: str) -> Path:
        return self.root / "notebooks" / f"{self.steps[name].notebook_name}.ipynb"

    def executed(self, name: str) -> Path:
        return self.build_dir / "notebooks" / f"{name}.ipynb"

    def _folders(self, roots: dict[str, str], base: Path) -> dict[str, Path]:
        return {root: _resolve(base, self.parameters[key]) for root, key in roots.items() if key in self.parameters}

    def _outputs(self) -> dict[str, Path]:
        """The published folders, confined to the project (or the edition's folder) and apart from each other.

        The parameters' own check (``params.output_folders``), here with the folders the engine publishes, so it
        also holds for a defaults file in the flat form (which marks no folder) and under an edition's folder.
        """
        named = output_folders(self.parameters, OUTPUT_ROOTS.values(), INPUT_ROOTS.values(), self.root, base=self.base)
        return {root: named[key] for root, key in OUTPUT_ROOTS.items() if key in named}

    def _with_upstream(self, names: list[str]) -> set[str]:
        selected, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name not in selected:
                selected.add(name)
                todo.extend(self.deps[name])
        return selected

    def step_parameters(self, name: str) -> dict[str, Any]:
        """The values a notebook declares, as the user set them (paths relative, as written)."""
        return {key: self.parameters[key] for key in self.declared[name]} | dict(self.steps[name].fixed)

    # --- the stamp ---------------------------------------------------------------------------------------

    def stamp(self) -> dict[str, str]:
        """What built this edition, shown on the report: parameters, data, code, and a date from the data."""
        values = {k: v for k, v in self.parameters.items() if k not in INPUT_ROOTS.values()}
        values = {k: v for k, v in values.items() if k not in OUTPUT_ROOTS.values()}
        parameters = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:10]
        data = hashlib.sha256()
        for root in ("raw", "sources"):
            if root in self.inputs:
                _hash_files(data, self.inputs[root], "**/*")
        return {
            "parameters": self.edition or "default",
            "parameters_hash": parameters,
            "data": data.hexdigest()[:10],
            "code": _code_version(self.package),
            "released": _release_date(self.root) or "unknown",
        }

    # --- running -----------------------------------------------------------------------------------------

    def run(self) -> BuildReport:
        """Run what is stale; publish only if every step succeeded. Interrupts publish nothing."""
        report = BuildReport(destination=self.base)
        with staging.build_lock(self.build_dir):
            staging.refuse_links(self.build_dir)
            if staging.recover(self.build_dir, keep=tuple(self.inputs.values()), study=self.study_published):
                self.reporter.note("finished publishing what an interrupted build had started")
            self.published_before = self.published_signature()
            self._check_inputs_are_files()
            staging.remove_stale_stages(self.build_dir)
            self._check_state()
            try:
                self._make_stage()
                self._run_doit(report)
                if report.ok and report.count("ran"):
                    self._drop_undeclared()
                    if self.finalize:
                        try:
                            self.finalize({root: self.stage / root for root in self.published})
                        except StudyError as exc:
                            raise StudyError(self.unstaged(str(exc))) from exc
                    self._publish()
                    report.published = True
            finally:
                if isinstance(self.finalize, ProcessedTables):
                    self.finalize.close()
                staging.end_descendants()
                if not (self.build_dir / staging.JOURNAL).exists():  # else the next start needs the stage
                    shutil.rmtree(self.stage, ignore_errors=True)
        return report

    def _check_inputs_are_files(self) -> None:
        """Every input a step reads is a file: a named pipe (or a socket, a device) among them made the step's
        kernel wait for ever on reading it, with no word until the cell's time limit (10 minutes)."""
        for step in self.steps.values():
            for read in step.reads:
                root, pattern = read.split(":", 1)
                if root not in self.inputs:
                    continue
                for path in sorted(self.inputs[root].glob(pattern)):
                    kind = staging.special_kind(path)
                    if kind:
                        raise StudyError(
                            f"{config.display_path(path)} is {kind}, not a file; a step of the build reads it "
                            f"({step.name}): put the file itself there"
                        )

    def published_signature(self) -> dict[str, tuple[int, int, int, int]]:
        """Each published file's size, modification time, inode (a rename onto it changes the inode) and change
        time (a write in place of the same size, its modification time set back with ``os.utime`` or ``touch
        -d``, changes it: no program can set it): what tells, after a failed build, whether "the previous outputs
        are unchanged" is true (a stat per file, so that a build that changes nothing costs nothing more)."""
        found = {}
        for published in self.published.values():
            for folder, _, files in os.walk(published):
                for name in files:
                    path = Path(folder) / name
                    try:
                        status = path.lstat()
                    except OSError:
                        continue
                    found[path.relative_to(self.root).as_posix()] = (
                        status.st_size,
                        status.st_mtime_ns,
                        status.st_ino,
                        status.st_ctime_ns,
                    )
        return found

    def changed_published(self) -> list[str]:
        """The published files added, removed or changed since this build started (none of them by the build,
        which publishes only by its journal): said after a failure instead of "unchanged"."""
        if self.published_before is None:
            return []
        now = self.published_signature()
        return sorted(
            name for name in set(now) | set(self.published_before) if now.get(name) != self.published_before.get(name)
        )

    def unstaged(self, message: str) -> str:
        """A message as the user reads it: a file of the staging copy named by its published place (the stage
        is gone once the build ends; the user knows data/processed/x.csv, not build/.stage-study/processed)."""
        for root, published in self.published.items():
            shown = os.path.relpath(published, self.root) if published.is_relative_to(self.root) else str(published)
            message = message.replace(str(self.stage / root), shown)
            # Relative to the project (a kernel's working folder) and to this code's project (the same in place).
            for base in (self.root, config.PROJ_ROOT):
                message = message.replace(os.path.relpath(self.stage / root, base), shown)
        return message

    def _check_state(self) -> None:
        """doit's database (``build/state/<target>/doit.json``) as doit keeps it: a mapping of each step to a
        mapping of what it recorded. A truncated or foreign one is set aside (``build/rejected/``), said so,
        and the build goes on as a cold build: every step runs, as for a first build."""
        database = self.state_dir / "doit.json"
        if not database.exists() and not database.is_symlink():
            return
        try:
            if database.is_symlink() or not database.is_file():
                raise ValueError("not a regular file")
            data = json.loads(database.read_bytes().decode("utf-8"))
            if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                raise ValueError("not a mapping of steps to what each recorded")
        except (ValueError, UnicodeDecodeError) as exc:
            kept = staging.set_aside(self.build_dir, database)
            self.reporter.note(
                f"the build's record {database.relative_to(self.root).as_posix()} could not be read ({exc}); it is "
                f"kept as {kept.relative_to(self.root).as_posix()} and this build runs every step, as a first build"
            )
        self._check_step_files()

    def _check_step_files(self) -> None:
        """Each step's output record (``build/state/<target>/manifests/<step>.json``: a mapping of each output to
        its SHA-256) and each executed copy (``build/notebooks/<step>.ipynb``) are files the build writes: a
        folder, or a record that is not one, in their place is set aside and its step runs again. A folder there
        used to fail the step every build, saying only "PythonAction Error" or naming the executed copy as kept."""
        for folder in (self.state_dir / "manifests", self.build_dir / "notebooks", self.build_dir / "logs"):
            if folder.exists() and not folder.is_dir():  # a file where the build keeps a folder
                kept = staging.set_aside(self.build_dir, folder)
                self.reporter.note(
                    f"{folder.relative_to(self.root).as_posix()} is a file where the build keeps a folder; it is kept "
                    f"as {kept.relative_to(self.root).as_posix()}"
                )
        found = [(path, "output record") for path in sorted((self.state_dir / "manifests").glob("*"))]
        found += [(path, "executed copy") for path in sorted((self.build_dir / "notebooks").glob("*"))]
        for path, what in found:
            problem = ""
            if not path.is_file():
                problem = "not a file"
            elif what == "output record":
                try:
                    data = json.loads(path.read_bytes().decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as exc:
                    problem = f"not JSON: {exc}"
                else:
                    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                        problem = "not a mapping of each output to its SHA-256"
            if problem:
                kept = staging.set_aside(self.build_dir, path)
                then = "its step runs again" if what == "output record" else "its step writes a new one when it runs"
                self.reporter.note(
                    f"the build's {what} {path.relative_to(self.root).as_posix()} is {problem}; it is kept as "
                    f"{kept.relative_to(self.root).as_posix()}, and {then}"
                )

    def _make_stage(self) -> None:
        """A private copy of the published outputs (and of the engine's state) that this build works in."""
        self.stage.mkdir(parents=True)
        for root, published in self.published.items():
            if published.is_dir():
                shutil.copytree(published, self.stage / root)
            else:
                (self.stage / root).mkdir(parents=True)
        if self.state_dir.is_dir():
            shutil.copytree(self.state_dir, self.stage / "state")
        else:
            (self.stage / "state").mkdir()
        if self.edition is not None:
            (self.stage / "state" / EDITION_RECORD).write_text(self.edition, encoding="utf-8")

    def _drop_undeclared(self) -> None:
        """Remove from the staged outputs the files no step declares any more (a chart or table renamed or
        dropped from ``STEPS``): a build publishes what its steps make, so a stale file can never be quoted
        as current. Hidden files (``.gitkeep``) and the engine's own ``datapackage.json`` stay."""
        # Declared = what the steps' write patterns expand to, by the same expansion as their output manifests.
        writes = [spec.split(":", 1) for step in self.steps.values() for spec in step.writes]
        writes.append(["processed", "datapackage.json"])
        declared = {
            path for root, pattern in writes if root in self.published for path in _files(self.stage / root, pattern)
        }
        dropped = []
        for root in self.published:
            folder = self.stage / root
            for path in _files(folder, "**/*") if folder.is_dir() else []:
                if any(part.startswith(".") for part in path.relative_to(folder).parts) or path in declared:
                    continue
                path.unlink()
                dropped.append(f"{root}/{path.relative_to(folder).as_posix()}")
        if dropped:
            self.reporter.note(f"removed {len(dropped)} output(s) no step makes any more: {', '.join(dropped)}")

    def _publish(self) -> None:
        moves = [
            (self.stage / root, published)
            for root, published in self.published.items()
            if not (published.is_dir() and _same_tree(self.stage / root, published))
        ]
        moves.append((self.stage / "state", self.state_dir))
        noted: list[int] = []
        try:
            with staging.deferred_signals(noted):
                staging.publish(self.build_dir, moves, self.stage / "previous")
            if noted:
                self.reporter.note("a stop signal came while publishing; the publish was finished first")
        except OSError as exc:
            if staging.roll_back(self.build_dir):
                raise StudyError(f"could not publish the outputs ({exc}); the previous ones are kept") from exc
            raise StudyError(
                f"could not publish the outputs ({exc}); the next build will finish publishing them"
            ) from exc

    def _spec(self, name: str, package: str) -> dict[str, Any]:
        step = self.steps[name]
        folders = {**{k: str(v) for k, v in self.inputs.items()}, **{r: str(self.stage / r) for r in self.published}}
        parameters = self.step_parameters(name)
        passed = {
            key: str(_resolve(self.root, value)) if key in _PATH_KEYS else value for key, value in parameters.items()
        }
        passed.update({key: folders[root] for root, key in OUTPUT_ROOTS.items() if key in parameters})
        audit_dir = self.stage / "audit"
        ignored = [
            self.root / ".venv",
            self.root / ".git",
            Path(__file__).resolve().parents[1],
            self.build_dir / "notebooks",
            self.build_dir / "logs",
            self.build_dir / "ipython",
            audit_dir,
            self.stage / "state",
        ]
        watched = [self.root, *(p for p in self.inputs.values() if not p.is_relative_to(self.root))]
        known = {k: Path(v) for k, v in folders.items()}
        rules = audit.write_rules(
            audit_dir / f"{name}.json",
            known,
            step.reads,
            step.writes,
            watched,
            ignored,
            audit_dir / f"{name}.log",
            EXEMPT_MODULES,
        )
        return {
            "name": name,
            "reads": list(step.reads),
            "writes": list(step.writes),
            "publish": step.publish,
            "report_file": step.report_file if step.publish else "",
            "pdf": self.pdf,
            "notebook": str(self.notebook(name)),
            "executed": str(self.executed(name)),
            "shown_notebook": config.display_path(self.notebook(name)),
            "shown_executed": config.display_path(self.executed(name)),
            "parameters": passed,
            "timeout": self.timeout,
            "cwd": str(self.root),
            "folders": folders,
            "staged": {str(self.stage / root): str(published) for root, published in self.published.items()},
            "manifest": str(self.stage / "state" / "manifests" / f"{name}.json"),
            "audit_rules": str(rules),
            "audit_log": str(audit_dir / f"{name}.log"),
            "ipython_dir": str(self.build_dir / "ipython"),
            "kernel_log": str(self.build_dir / "logs" / "kernels.log"),
            "stamp": self.stamp() if step.publish else {},
            "_package": package,
        }

    def _portable(self, path: Path) -> str:
        """A path as doit keeps it: relative to the project when inside it (doit runs from the project)."""
        return os.path.relpath(path, self.root) if Path(path).is_relative_to(self.root) else str(path)

    def _portable_parameters(self, name: str) -> dict[str, Any]:
        """A step's parameters with its folders relative to the project, as its cache key."""
        return {
            key: self._portable(_resolve(self.root, value)) if key in _PATH_KEYS else value
            for key, value in self.step_parameters(name).items()
        }

    def _tasks(self) -> list[dict[str, Any]]:
        from doit.tools import config_changed

        package = self.package = package_fingerprint(self.root)
        tasks = []
        for name in self.order:
            step = self.steps[name]
            spec = self.specs[name] = self._spec(name, package)
            inputs: list[str] = []
            for read in step.reads:
                root, pattern = read.split(":", 1)
                if root in self.inputs:
                    inputs.extend(self._portable(path) for path in _files(self.inputs[root], pattern))
            upstream = [self._portable(self.stage / "state" / "manifests" / f"{dep}.json") for dep in self.deps[name]]
            key = {
                "notebook": notebook_fingerprint(self.notebook(name)),
                "parameters": json.dumps(self._portable_parameters(name), sort_keys=True, default=str),
                "package": package,
                "declared": [list(step.reads), list(step.writes)],
                **({"pdf": self.pdf, "stamp": spec["stamp"]} if step.publish else {}),
            }
            tasks.append(
                {
                    "name": name,
                    "actions": [(run_step, [spec])],
                    "file_dep": sorted(set(inputs)) + sorted(upstream),
                    "targets": [self._portable(Path(spec["manifest"]))],
                    # --force reruns the steps asked for (every step, or those of --only) and no others: an
                    # upstream step of --only runs only if it is stale, so with its inputs published a step
                    # reruns alone (doit's --always-execute would rerun every step it depends on too).
                    "uptodate": [config_changed(key), (outputs_unchanged, [spec["manifest"], spec])]
                    + ([False] if self.force and (not self.only or name in self.only) else []),
                    "verbosity": 0,
                }
            )
        return tasks

    def _run_doit(self, report: BuildReport) -> None:
        from doit.cmd_base import TaskLoader2
        from doit.doit_cmd import DoitMain
        from doit.loader import generate_tasks

        builder = self
        ipython = self.build_dir / "ipython"
        foreign = audit.foreign_ipython_files(ipython)
        for path in foreign:  # IPython would run them in every kernel: kept for the user to look at, never run
            staging.set_aside(self.build_dir, path)
        if foreign:
            shown = ", ".join(path.relative_to(self.root).as_posix() for path in foreign)
            self.reporter.note(
                f"{shown}: not written by the build, and IPython would run it in every kernel the build starts; "
                f"moved to {(self.build_dir / staging.REJECTED).relative_to(self.root).as_posix()}/ (never run)"
            )
        audit.write_ipython_dir(ipython)
        for folder in ("notebooks", "logs"):
            (self.build_dir / folder).mkdir(parents=True, exist_ok=True)

        class Loader(TaskLoader2):
            def setup(self, opt_values):
                pass

            def load_doit_config(self):
                return {
                    "dep_file": str(builder.stage / "state" / "doit.json"),
                    "backend": "json",
                    "check_file_uptodate": "md5",
                    "reporter": _DoitReporter.reporter_for(builder, report),
                    "continue": True,
                    # Always worker processes, even for one job: a step never runs in the build's own process.
                    "num_process": builder.jobs,
                    "par_type": "process",
                }

            def load_tasks(self, cmd, pos_args):
                return [t for d in builder._tasks() for t in generate_tasks(d.pop("name"), d)]

        args = ["run", *(self.only or [])]
        # doit runs from the project's folder, so the paths it keeps are relative: a copy or a move of the
        # project keeps its cache.
        here = os.getcwd()
        os.chdir(self.root)
        try:
            code = DoitMain(Loader(), extra_config={"GLOBAL": {}}).run(args)
        finally:
            os.chdir(here)
        if code != 0 and report.ok:
            # doit refused before running anything (its message is above): never publish after that.
            report.results.append(StepResult("doit", "failed", error=f"the build engine stopped (exit {code})"))

    def step_wrote(self, name: str) -> None:
        """Hand the processed tables a step wrote to the finishing step, to check them now."""
        step_wrote = getattr(self.finalize, "step_wrote", None)
        if step_wrote is None or "processed" not in self.published:
            return
        folder = self.stage / "processed"
        patterns = [w.split(":", 1)[1] for w in self.steps[name].writes if w.startswith("processed:")]
        step_wrote(sorted({t for pattern in patterns for t in _files(folder, pattern) if t.suffix == ".csv"}))


def _code_version(package: str) -> str:
    """The package's version and a short hash of its code and locked dependencies.

    Not the git commit: the committed report would then be out of date with every commit that builds it.
    """
    from divide_study import __version__

    return f"divide-study {__version__} (code {package[:10]})"


def _release_date(root: Path) -> str | None:
    """The edition's date: the study's release as its citation file gives it (CITATION.cff's ``date-released``),
    never the clock, so that a rebuild gives the same bytes."""
    try:
        found = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8")).get("date-released")
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return None
    return str(found) if found and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(found)) else None


def _data_date(processed: Path) -> str | None:
    """The newest publication date among the articles: the date this edition's data speaks for."""
    path = processed / "sources.csv"
    try:
        header, *rows = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    import csv

    table = list(csv.DictReader([header, *rows]))
    dates = [row.get("published", "") for row in table if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.get("published", ""))]
    return max(dates) if dates else None


# The dated columns of the published tables whose dates are their sources': an article's publication, a reference
# row's date, a quarter of the State's barometer, the day of the end point's data.
DATED_COLUMNS = {
    "sources.csv": ("published", "published_latest"),
    "external_figures.csv": ("as_of",),
    "fibre_series.csv": ("quarter_end",),
    "fibre_endpoint_2026.csv": ("as_of",),
}


def _latest_source_date(processed: Path) -> str | None:
    """The state of knowledge of this edition: the latest day or month any of its dated sources speaks for (an
    article, a reference row, the barometer's last quarter), read from the published tables (``DATED_COLUMNS``);
    a year alone is no day, and is left out."""
    import csv

    found = []
    for name, columns in DATED_COLUMNS.items():
        try:
            rows = list(csv.DictReader((processed / name).read_text(encoding="utf-8").splitlines()))
        except (OSError, ValueError):
            continue
        found += [row[c] for row in rows for c in columns if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row.get(c) or "")]
    return max(found) if found else None


_PATH_KEYS = set(INPUT_ROOTS.values()) | set(OUTPUT_ROOTS.values())


def _resolve(root: Path, path: str | Path) -> Path:
    path = Path(path)
    return path if path.is_absolute() else Path(os.path.normpath(root / path))


def _same_tree(a: Path, b: Path) -> bool:
    def listing(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    return listing(a) == listing(b)
