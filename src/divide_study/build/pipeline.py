"""``study build``: the notebooks, run by papermill in dependency order, incrementally and atomically.

* Steps are declared once, below, with the files each reads and writes; the order and what may run in
  parallel follow from them.
* A step runs again only when its inputs changed: its notebook's cells, its parameters, the files it reads,
  or the package's code. Content hashes, not timestamps, decide; they are kept in ``build/state.json``.
* Every run writes into a staging copy of ``data/processed``, ``figures`` and ``report``. Only when all
  steps succeed is the staging copy swapped in; a failed or interrupted build publishes nothing.
* Executed notebooks (with outputs) go to ``build/notebooks``; a failed one is kept there for inspection.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from divide_study import config
from divide_study.data.datapackage import write_datapackage
from divide_study.errors import StudyError
from divide_study.build.params import load_parameters, notebook_parameters
from divide_study.build.progress import Reporter
from divide_study.data.tables import write_text_atomic

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
    "processed:cpi_france.csv",
    "processed:external_figures.csv",
    "processed:contracts.csv",
    "processed:reference_tables.csv",
)
ANALYSIS_INPUTS = HANDED_OVER

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
            "figures:cost_per_*.*",
            "figures:gers_eligibility.*",
            "figures:milestones.*",
            "figures:gers_cost_scopes.*",
        ),
    ),
    Step(
        "03_soho_solo",
        reads=ANALYSIS_INPUTS,
        writes=("processed:soho_solo.csv", "figures:soho_solo_counts.*"),
    ),
    Step(
        "04_sensitivity",
        reads=(*ANALYSIS_INPUTS, "scenarios:*.yaml", "scenarios:*.yml"),
        writes=("processed:sensitivity.csv", "processed:scenarios.csv", "figures:sensitivity_tornado*.*"),
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
            "figures:national_panel.*",
        ),
    ),
    Step(
        "05_report",
        # The report reads results only: processed tables and charts.
        reads=("processed:*.csv", "figures:*.png"),
        writes=("report:report.html", "report:report.pdf"),
        publish=True,
    ),
)
# Parameters the build itself uses, that no notebook declares.
BUILD_PARAMETERS = {"report_dir": "str"}
REPORT_TITLE = "Three French answers to the rural digital divide"


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
        or read_pattern
        in (
            "*",
            "**/*",
        )
    )


def topological_order(steps: tuple[Step, ...] = STEPS) -> list[str]:
    deps = dependencies(steps)
    order: list[str] = []
    pending = {name: set(d) for name, d in deps.items()}
    while pending:
        ready = sorted(name for name, d in pending.items() if not d - set(order))
        if not ready:
            raise StudyError(f"the steps depend on each other in a cycle: {sorted(pending)}")
        for name in ready:
            order.append(name)
            del pending[name]
    return order


# --- hashing ------------------------------------------------------------------------------------------------


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(path for path in folder.glob(pattern) if path.is_file() and not path.name.startswith("."))


def _hash_files(hasher: Any, folder: Path, pattern: str, skip: str | None = None) -> None:
    """Feed each file's relative name and content hash; ``skip`` names a folder to leave out."""
    for path in _files(folder, pattern):
        if skip is None or skip not in path.relative_to(folder).parts:
            hasher.update(str(path.relative_to(folder)).encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())


def notebook_fingerprint(notebook: Path) -> str:
    """Hash of what a notebook does: cell types, sources and tags; outputs and counts do not count."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    essence = [(c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", [])) for c in cells]
    return hashlib.sha256(json.dumps(essence, ensure_ascii=False).encode()).hexdigest()


def package_fingerprint() -> str:
    """Hash of the package's code and data (schemas, templates); compiled bytecode does not count."""
    hasher = hashlib.sha256()
    _hash_files(hasher, Path(__file__).resolve().parents[1], "**/*", skip="__pycache__")
    return hasher.hexdigest()


def step_key(step: Step, notebook: Path, parameters: dict[str, Any], folders: dict[str, Path], package: str) -> str:
    hasher = hashlib.sha256()
    hasher.update(notebook_fingerprint(notebook).encode())
    hasher.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    hasher.update(package.encode())
    for read in step.reads:
        root, pattern = read.split(":", 1)
        hasher.update(read.encode())
        _hash_files(hasher, folders[root], pattern)
    return hasher.hexdigest()


def outputs_digest(step: Step, folders: dict[str, Path]) -> dict[str, str]:
    digest = {}
    for write in step.writes:
        root, pattern = write.split(":", 1)
        for path in _files(folders[root], pattern):
            digest[f"{root}:{path.relative_to(folders[root])}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


# --- running ------------------------------------------------------------------------------------------------


@dataclass
class StepResult:
    name: str
    status: str  # ran, skipped, failed, blocked
    seconds: float = 0.0
    error: str = ""


@dataclass
class BuildReport:
    results: list[StepResult] = field(default_factory=list)
    published: bool = False

    @property
    def ok(self) -> bool:
        return all(result.status in ("ran", "skipped") for result in self.results)

    def count(self, status: str) -> int:
        return sum(result.status == status for result in self.results)


def execute_step(notebook: str, output: str, parameters: dict[str, Any], timeout: int, cwd: str) -> dict[str, Any]:
    """Run one notebook with papermill (in a worker process). Returns an outcome, never raises."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
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
    return {"ok": True, "seconds": time.perf_counter() - started, "error": ""}


def _quiet_worker(log: str) -> None:
    """Send the kernels' own stderr (start-up warnings, logging) to a log file instead of the user's screen.

    What a failing cell raised reaches the user through the executed notebook, not through stderr.
    """
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(handle, 2)
    os.close(handle)


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
    """Notebooks running side by side each rewrite datapackage.json; one last write sees every table."""
    if "processed" in staged and staged["processed"].is_dir():
        write_datapackage(staged["processed"])


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
        self.root = root
        self.finalize = finalize
        self.steps = {step.name: step for step in steps}
        self.order = topological_order(steps)
        self.deps = dependencies(steps)
        unknown = sorted(set(only or []) - set(self.steps))
        if unknown:
            raise StudyError(f"unknown notebook(s) {unknown}; the build knows {self.order}")
        self.selected = [name for name in self.order if name in self._with_upstream(only or self.order)]
        self.force, self.timeout, self.pdf = force, timeout, pdf
        self.reporter = reporter or Reporter()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.declared = {name: notebook_parameters(self.notebook(name)) for name in self.order}
        self.parameters = load_parameters(
            {self.notebook(name): self.declared[name] for name in self.order},
            scenario,
            root / "params" / "default.yaml",
            BUILD_PARAMETERS,
        )
        self.inputs = self._folders(INPUT_ROOTS)
        self.published = self._folders(OUTPUT_ROOTS)
        self.build_dir = root / "build"
        self.state_path = self.build_dir / "state.json"

    def notebook(self, name: str) -> Path:
        return self.root / "notebooks" / f"{name}.ipynb"

    def executed(self, name: str) -> Path:
        return self.build_dir / "notebooks" / f"{name}.ipynb"

    def _folders(self, roots: dict[str, str]) -> dict[str, Path]:
        return {
            root: _resolve(self.root, self.parameters[key]) for root, key in roots.items() if key in self.parameters
        }

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
        return {key: self.parameters[key] for key in self.declared[name]}

    def run(self) -> BuildReport:
        """Run what is stale; publish only if every step succeeded. Interrupts publish nothing."""
        report = BuildReport()
        state = self._load_state()
        package = package_fingerprint()
        run = _Run(self, state, package)
        try:
            run.loop(report)
            if run.stage is not None and report.ok:
                if self.finalize:
                    self.finalize({root: run.stage / root for root in self.published})
                self._publish(run.stage)
                report.published = True
            if report.ok:
                self._save_state(run.new_state)
        finally:
            run.close()
        return report

    def make_pool(self) -> ProcessPoolExecutor:
        """Worker processes that run papermill, all started at once.

        forkserver: workers start clean (no inherited threads); the server imports papermill once and every
        worker forks from it ready, so a notebook waiting for the first one does not pay that import again.
        """
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["papermill", "divide_study.build.pipeline"])
        log = self.build_dir / "logs" / "kernels.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=context, initializer=_quiet_worker, initargs=(str(log),)
        )
        # The pool starts workers one submission at a time; start them all now, while the first step runs.
        for _ in range(self.jobs):
            pool.submit(os.getpid)
        return pool

    # --- staging and publishing ----------------------------------------------------------------------------

    def make_stage(self) -> Path:
        """A private copy of the published outputs that this build's notebooks write into."""
        self.build_dir.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=self.build_dir))
        for root, published in self.published.items():
            if published.is_dir():
                shutil.copytree(published, stage / root)
            else:
                (stage / root).mkdir(parents=True)
        return stage

    def _publish(self, stage: Path) -> None:
        """Swap each changed staged folder in by renames; put everything back if one swap fails."""
        swapped: list[tuple[Path, Path]] = []
        try:
            for root, published in self.published.items():
                staged = stage / root
                if published.is_dir() and _same_tree(staged, published):
                    continue
                backup = stage / f"{root}.previous"
                published.parent.mkdir(parents=True, exist_ok=True)
                if published.exists():
                    os.replace(published, backup)
                swapped.append((published, backup))
                os.replace(staged, published)
        except OSError as exc:
            for published, backup in reversed(swapped):
                if backup.exists():
                    shutil.rmtree(published, ignore_errors=True)
                    os.replace(backup, published)
            raise StudyError(f"could not publish the outputs ({exc}); the previous ones are kept") from exc

    def _load_state(self) -> dict[str, Any]:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _save_state(self, state: dict[str, Any]) -> None:
        write_text_atomic(json.dumps(state, indent=2, sort_keys=True) + "\n", self.state_path)


class _Run:
    """The mutable part of one build: what is done, running, staged."""

    def __init__(self, builder: Builder, state: dict[str, Any], package: str):
        self.b, self.state, self.package = builder, state, package
        self.new_state = dict(state)
        self.done: dict[str, str] = {}
        self.running: dict[Future, tuple[str, str]] = {}
        self.stage: Path | None = None
        self.pool: ProcessPoolExecutor | None = None

    def folders(self) -> dict[str, Path]:
        outputs = {root: self.stage / root for root in self.b.published} if self.stage else self.b.published
        return {**self.b.inputs, **outputs}

    def loop(self, report: BuildReport) -> None:
        pending = list(self.b.selected)
        while pending or self.running:
            for name in list(pending):
                deps = self.b.deps[name] & set(self.b.selected)
                if any(self.done.get(dep) in ("failed", "blocked") for dep in deps):
                    pending.remove(name)
                    self.finish(report, StepResult(name, "blocked", error="an upstream notebook failed"))
                elif all(dep in self.done for dep in deps):
                    # A step's inputs are only known once its upstream steps have written theirs.
                    pending.remove(name)
                    self.start(name, report)
            if self.running:
                finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
                for future in finished:
                    self.collect(future, report)

    def start(self, name: str, report: BuildReport) -> None:
        step, parameters = self.b.steps[name], self.b.step_parameters(name)
        keyed = {**parameters, "_pdf": self.b.pdf} if step.publish else parameters
        key = step_key(step, self.b.notebook(name), keyed, self.folders(), self.package)
        previous = self.state.get(name, {})
        outputs = outputs_digest(step, self.folders())
        if not self.b.force and previous.get("key") == key and outputs and previous.get("outputs") == outputs:
            self.finish(report, StepResult(name, "skipped"))
            return
        if self.stage is None:
            self.stage = self.b.make_stage()
        if self.pool is None:
            # forkserver: workers start clean (no inherited threads) and import papermill once for all steps.
            self.pool = self.b.make_pool()
        folders = self.folders()
        passed = {
            key_: str(_resolve(self.b.root, value)) if key_ in _PATH_KEYS else value
            for key_, value in parameters.items()
        }
        passed.update({key_: str(folders[root]) for root, key_ in OUTPUT_ROOTS.items() if key_ in parameters})
        executed = self.b.executed(name)
        executed.parent.mkdir(parents=True, exist_ok=True)
        self.b.reporter.started(name)
        future = self.pool.submit(
            execute_step, str(self.b.notebook(name)), str(executed), passed, self.b.timeout, str(self.b.root)
        )
        self.running[future] = (name, key)

    def collect(self, future: Future, report: BuildReport) -> None:
        name, key = self.running.pop(future)
        outcome = future.result()
        if outcome["ok"] and self.b.steps[name].publish:
            outcome = self.publish(name, outcome)
        if outcome["ok"]:
            self.new_state[name] = {"key": key, "outputs": outputs_digest(self.b.steps[name], self.folders())}
            self.finish(report, StepResult(name, "ran", outcome["seconds"]))
        else:
            self.new_state.pop(name, None)
            message = (
                f"notebook {config.display_path(self.b.notebook(name))}, {outcome['error']}\n"
                f"executed copy kept: {config.display_path(self.b.executed(name))}"
            )
            self.finish(report, StepResult(name, "failed", outcome["seconds"], message))

    def publish(self, name: str, outcome: dict[str, Any]) -> dict[str, Any]:
        """Turn the executed report notebook into report.html and report.pdf in the staging folder."""
        from divide_study.report.publish import publish_report

        report_dir = self.folders()["report"]
        started = time.perf_counter()
        try:
            notes = publish_report(self.b.executed(name), report_dir, REPORT_TITLE, pdf=self.b.pdf)
        except StudyError as exc:
            return {**outcome, "ok": False, "error": f"publishing the report: {exc}"}
        if notes:
            # An old PDF beside a new HTML would disagree with it: keep neither or both.
            (report_dir / "report.pdf").unlink(missing_ok=True)
            for note in notes:
                self.b.reporter.note(f"{name}: {note}")
        return {**outcome, "seconds": outcome["seconds"] + time.perf_counter() - started}

    def finish(self, report: BuildReport, result: StepResult) -> None:
        self.done[result.name] = result.status
        report.results.append(result)
        self.b.reporter.finished(result)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)


_PATH_KEYS = set(INPUT_ROOTS.values()) | set(OUTPUT_ROOTS.values())


def _resolve(root: Path, path: str | Path) -> Path:
    path = Path(path)
    return path if path.is_absolute() else (root / path).resolve()


def _same_tree(a: Path, b: Path) -> bool:
    def listing(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    return listing(a) == listing(b)
