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
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from divide_study import config
from divide_study.errors import StudyError
from divide_study.params import load_parameters

# Output roots the build manages; each maps to the parameter naming its folder.
OUTPUT_ROOTS = {"processed": "processed_dir", "figures": "figures_dir", "report": "report_dir"}
# Input roots, read in place.
INPUT_ROOTS = {"raw": "raw_dir", "sources": "sources_dir"}


@dataclass(frozen=True)
class Step:
    """One notebook: ``reads`` and ``writes`` are 'root:pattern' (a glob inside that root's folder)."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    @property
    def notebook(self) -> Path:
        return config.NOTEBOOKS_DIR / f"{self.name}.ipynb"


STEPS: tuple[Step, ...] = (
    Step(
        "01_clean",
        reads=("raw:**/*", "sources:*.txt"),
        writes=("processed:figures.csv", "processed:sources.csv", "processed:initiatives.csv"),
    ),
)


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


def _hash_files(hasher: Any, folder: Path, pattern: str) -> None:
    for path in _files(folder, pattern):
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
    package = Path(__file__).resolve().parent
    for path in _files(package, "**/*"):
        if "__pycache__" not in path.parts:
            hasher.update(str(path.relative_to(package)).encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def step_key(step: Step, parameters: dict[str, Any], folders: dict[str, Path], package: str) -> str:
    hasher = hashlib.sha256()
    hasher.update(notebook_fingerprint(step.notebook).encode())
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


def execute_step(notebook: str, output: str, parameters: dict[str, Any], timeout: int) -> dict[str, Any]:
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
            cwd=str(config.PROJ_ROOT),
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
        )
    except PapermillExecutionError as exc:
        return {
            "ok": False,
            "seconds": time.perf_counter() - started,
            "error": _describe_cell_error(output, exc.cell_index, exc.exec_count, exc.ename, exc.evalue),
        }
    except Exception as exc:  # a dead kernel, a timeout, a notebook that cannot be read: all are one failure
        return {
            "ok": False,
            "seconds": time.perf_counter() - started,
            "error": f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}",
        }
    return {"ok": True, "seconds": time.perf_counter() - started, "error": ""}


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


class Builder:
    def __init__(
        self,
        scenario: Path | None = None,
        force: bool = False,
        only: list[str] | None = None,
        jobs: int | None = None,
        timeout: int = 600,
        printer=print,
        steps: tuple[Step, ...] = STEPS,
    ):
        self.steps = {step.name: step for step in steps}
        self.order = topological_order(steps)
        self.deps = dependencies(steps)
        unknown = sorted(set(only or []) - set(self.steps))
        if unknown:
            raise StudyError(f"unknown notebook(s) {unknown}; the build knows {self.order}")
        self.selected = self._with_upstream(only) if only else set(self.order)
        self.force, self.timeout, self.print = force, timeout, printer
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.parameters = load_parameters([self.steps[name].notebook for name in self.order], scenario)
        self.published = {
            root: config.project_path(self.parameters[key])
            for root, key in OUTPUT_ROOTS.items()
            if key in self.parameters
        }
        self.inputs = {
            root: config.project_path(self.parameters[key])
            for root, key in INPUT_ROOTS.items()
            if key in self.parameters
        }
        self.state_path = config.BUILD_DIR / "state.json"

    def _with_upstream(self, names: list[str]) -> set[str]:
        selected, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name not in selected:
                selected.add(name)
                todo.extend(self.deps[name])
        return selected

    def step_parameters(self, step: Step) -> dict[str, Any]:
        from divide_study.params import notebook_parameters

        return {name: self.parameters[name] for name in notebook_parameters(step.notebook)}

    def run(self) -> BuildReport:
        report = BuildReport()
        state = self._load_state()
        package = package_fingerprint()
        stage = None
        pool = None
        try:
            # Decide lazily: a step's key depends on its upstream's outputs, known once those have run.
            pending = [name for name in self.order if name in self.selected]
            running: dict[Future, tuple[str, str]] = {}
            done: dict[str, str] = {}
            keys: dict[str, str] = {}
            folders = {**self.inputs, **self.published}
            new_state = dict(state)
            while pending or running:
                for name in list(pending):
                    if any(done.get(dep) is None for dep in self.deps[name] if dep in self.selected):
                        if any(done.get(dep) in ("failed", "blocked") for dep in self.deps[name]):
                            pending.remove(name)
                            done[name] = "blocked"
                            report.results.append(StepResult(name, "blocked", error="an upstream notebook failed"))
                            self.print(f"  - {name}: not run, an upstream notebook failed")
                        continue
                    pending.remove(name)
                    step = self.steps[name]
                    parameters = self.step_parameters(step)
                    current = {**self.inputs, **(self._stage_folders(stage) if stage else self.published)}
                    key = step_key(step, parameters, current, package)
                    keys[name] = key
                    previous = state.get(name, {})
                    fresh = (
                        not self.force
                        and previous.get("key") == key
                        and previous.get("outputs") == outputs_digest(step, current)
                        and previous.get("outputs")
                    )
                    if fresh:
                        done[name] = "skipped"
                        report.results.append(StepResult(name, "skipped"))
                        self.print(f"  · {name}: unchanged, skipped")
                        continue
                    if stage is None:
                        stage = self._make_stage()
                        folders = {**self.inputs, **self._stage_folders(stage)}
                    if pool is None:
                        pool = ProcessPoolExecutor(
                            max_workers=self.jobs, mp_context=multiprocessing.get_context("forkserver")
                        )
                    staged = {
                        **parameters,
                        **{key_: str(folders[root]) for root, key_ in OUTPUT_ROOTS.items() if key_ in parameters},
                    }
                    output = config.BUILD_DIR / "notebooks" / f"{name}.ipynb"
                    output.parent.mkdir(parents=True, exist_ok=True)
                    self.print(f"  ▸ {name}: running")
                    future = pool.submit(execute_step, str(step.notebook), str(output), staged, self.timeout)
                    running[future] = (name, key)
                if not running:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    name, key = running.pop(future)
                    outcome = future.result()
                    output = config.display_path(config.BUILD_DIR / "notebooks" / f"{name}.ipynb")
                    if outcome["ok"]:
                        done[name] = "ran"
                        report.results.append(StepResult(name, "ran", outcome["seconds"]))
                        new_state[name] = {"key": key, "outputs": outputs_digest(self.steps[name], folders)}
                        self.print(f"  ✓ {name}: ran in {outcome['seconds']:.1f} s")
                    else:
                        done[name] = "failed"
                        report.results.append(StepResult(name, "failed", outcome["seconds"], outcome["error"]))
                        new_state.pop(name, None)
                        self.print(
                            f"  ✗ {name} failed\n"
                            f"      notebook: {config.display_path(self.steps[name].notebook)}\n"
                            f"      {outcome['error']}\n"
                            f"      executed copy kept: {output}"
                        )
            if stage is not None and report.ok:
                self._publish(stage)
                report.published = True
            if report.ok:
                self._save_state(new_state)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if stage is not None:
                shutil.rmtree(stage, ignore_errors=True)
        return report

    # --- staging and publishing ----------------------------------------------------------------------------

    def _make_stage(self) -> Path:
        config.BUILD_DIR.mkdir(parents=True, exist_ok=True)
        stage = Path(os.path.realpath(config.BUILD_DIR)) / f".stage-{os.getpid()}"
        shutil.rmtree(stage, ignore_errors=True)
        for root, published in self.published.items():
            if published.is_dir():
                shutil.copytree(published, stage / root)
            else:
                (stage / root).mkdir(parents=True)
        return stage

    @staticmethod
    def _stage_folders(stage: Path) -> dict[str, Path]:
        return {root: stage / root for root in OUTPUT_ROOTS}

    def _publish(self, stage: Path) -> None:
        """Swap each staged folder in by renames; put everything back if one swap fails."""
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
        from divide_study.tables import write_text_atomic

        write_text_atomic(json.dumps(state, indent=2, sort_keys=True) + "\n", self.state_path)


def _same_tree(a: Path, b: Path) -> bool:
    def listing(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    return listing(a) == listing(b)
