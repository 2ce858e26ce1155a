"""Build timings against what a user would otherwise run, measured side by side. Not a test: run it, read it.

    uv run python benchmarks/build_timing.py [--rounds 3]

Each round works on a fresh copy of the project and measures, one after the other (interleaved round by
round, so a busy machine slows every kind alike):

* cold: `study build` on the fresh copy (with the PDF);
* forced, no PDF: `study build --force --no-pdf`, and forced with the PDF: `study build --force`;
* the plain loop: what a user would write without the engine, every notebook with the `papermill` command in
  the order of the steps (the report once per language), each report then `jupyter nbconvert --to html
  --no-input`; one at a time, as a shell loop runs them;
* no-op: `study build` again, nothing changed; against one import of the stack in a fresh interpreter
  (pandas, matplotlib, seaborn, papermill, nbconvert, doit: what any tool built on them pays to start);
* the floor, run (not computed): every step's kernel started and its notebook's imports run in it, in the
  DAG's shape (a step starts when the steps it reads from are done, as many at once as there are cores),
  then for each report edition the HTML conversion and the PDF print. The notebooks' own computing is not in
  it: that is what the build is for.

Targets: forced build without PDF <= 0.5 x the plain loop; no-op <= 0.5 x a stack import; cold build with PDF
<= 1.4 x the floor. Medians are printed with each ratio, then the notebooks' own compute per step and their
costliest cells, read from the executed copies of the last forced build (papermill's cell durations).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from divide_study import config
from divide_study.engine.pipeline import STEPS, dependencies, topological_order

STACK = "import pandas, matplotlib.pyplot, seaborn, papermill, nbconvert, doit"
BIN = Path(sys.executable).parent


def copy_project(target: Path) -> Path:
    for folder in ("notebooks", "params", "data/raw"):
        shutil.copytree(config.PROJ_ROOT / folder, target / folder)
    shutil.copy(config.PROJ_ROOT / "uv.lock", target / "uv.lock")
    # The copy reads the articles where the project does (the default is relative to the project).
    set_default(target, "sources_dir", str(config.SOURCES_DIR))
    return target


def set_default(root: Path, key: str, value: object) -> None:
    """Change one parameter's ``default:`` in a copy's params/default.yaml (each entry: 'key:', indented fields)."""
    defaults = root / "params" / "default.yaml"
    lines = defaults.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{key}:")
    for number in range(start + 1, len(lines)):
        if lines[number].lstrip().startswith("default:"):
            indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
            lines[number] = f"{indent}default: {value}"
            break
    else:
        raise SystemExit(f"no default for {key} in {defaults}")
    defaults.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], **options) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **options)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-4000:]}")
    return seconds


def study_build(root: Path, *options: str) -> float:
    return timed([sys.executable, "-m", "divide_study.engine.cli", "build", "--root", str(root), *options])


def plain_loop(root: Path, out: Path) -> float:
    """Every notebook by the papermill command, in the steps' order, then nbconvert for each report edition.

    The notebooks write the copy's folders (STUDY_PUBLISH=1, the folders given as absolute paths): the same
    files the build writes, without its staging, checks or cache."""
    from divide_study.engine.params import notebook_parameters

    out.mkdir(parents=True, exist_ok=True)
    folders = {
        "raw_dir": root / "data/raw",
        "sources_dir": config.SOURCES_DIR,
        "scenarios_dir": root / "params/scenarios",
        "processed_dir": root / "data/processed",
        "figures_dir": root / "figures",
    }
    steps = {step.name: step for step in STEPS}
    started = time.perf_counter()
    for name in topological_order(STEPS):
        step = steps[name]
        notebook = root / "notebooks" / f"{step.notebook_name}.ipynb"
        declared = notebook_parameters(notebook)
        parameters = [("-p", key, str(value)) for key, value in folders.items() if key in declared]
        parameters += [("-p", key, str(value)) for key, value in step.fixed]
        executed = out / f"{name}.ipynb"
        command = [str(BIN / "papermill"), str(notebook), str(executed), "--cwd", str(root), "--no-progress-bar"]
        subprocess.run(
            command + [part for triple in parameters for part in triple],
            check=True,
            capture_output=True,
            env={**os.environ, config.PUBLISH_VARIABLE: "1"},
        )
        if step.publish:
            subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                check=True,
                capture_output=True,
            )
    return time.perf_counter() - started


def stack_import() -> float:
    return timed([sys.executable, "-c", STACK])


def notebook_imports(notebook: Path) -> str:
    """The top-level import statements of a notebook's code cells, as one cell."""
    import ast

    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:
                continue
            found += [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return "\n".join(dict.fromkeys(found))


def floor_run(root: Path, built: Path, cores: int) -> float:
    """Kernels with their notebooks' imports in the DAG's shape, then each report's HTML and PDF: run."""
    from jupyter_client.manager import KernelManager

    from divide_study.engine.pipeline import REPORT_TITLE
    from divide_study.report.publish import find_browser, to_html, to_pdf

    browser = find_browser()
    steps = {step.name: step for step in STEPS}
    deps = dependencies(STEPS)

    def one(name: str) -> None:
        step = steps[name]
        # Over Unix sockets, as the build's kernels (TCP would make each kernel warn on stderr).
        sockets = tempfile.mkdtemp(prefix="floor-kernel-")
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
        manager.start_kernel(cwd=str(root))
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            code = notebook_imports(root / "notebooks" / f"{step.notebook_name}.ipynb")
            client.execute_interactive(code, timeout=300)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
            shutil.rmtree(sockets, ignore_errors=True)
        if step.publish:
            with tempfile.TemporaryDirectory() as tmp:
                lang = dict(step.fixed)["lang"]
                html = to_html(built / f"{name}.ipynb", Path(tmp) / "r.html", REPORT_TITLE, lang=lang)
                if browser is not None:
                    to_pdf(html, Path(tmp) / "r.pdf", browser)

    started = time.perf_counter()
    done: set[str] = set()
    running: dict = {}
    with ThreadPoolExecutor(max_workers=cores) as pool:
        while len(done) < len(steps):
            for name in topological_order(STEPS):
                if name not in done and name not in running.values() and deps[name] <= done and len(running) < cores:
                    running[pool.submit(one, name)] = name
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                future.result()
                done.add(running.pop(future))
    return time.perf_counter() - started


def own_compute(executed: Path, top: int = 3) -> list[tuple[str, float, list[tuple[float, str]]]]:
    """Per step: the sum of its cells' durations, and its costliest cells over 0.5 s (seconds, first line)."""
    found = []
    for path in sorted(executed.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        timed_cells = []
        for cell in cells:
            duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
            if cell["cell_type"] == "code" and duration is not None:
                first = next((line for line in "".join(cell["source"]).splitlines() if line.strip()), "")
                timed_cells.append((float(duration), first[:70]))
        costly = sorted((c for c in timed_cells if c[0] > 0.5), reverse=True)[:top]
        found.append((path.stem, sum(d for d, _ in timed_cells), costly))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    cores = os.cpu_count() or 1
    kinds = ("cold", "forced, no PDF", "forced, PDF", "plain loop", "no-op", "stack import", "floor (run)")
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    compute = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(options.rounds):
            root = copy_project(Path(tmp) / f"round-{number}" / "study")
            times["cold"].append(study_build(root))
            times["forced, no PDF"].append(study_build(root, "--force", "--no-pdf"))
            compute = own_compute(root / "build" / "notebooks")
            times["forced, PDF"].append(study_build(root, "--force"))
            times["no-op"].append(study_build(root))
            times["stack import"].append(stack_import())
            times["floor (run)"].append(floor_run(root, root / "build" / "notebooks", cores))
            plain = copy_project(Path(tmp) / f"round-{number}" / "plain")
            times["plain loop"].append(plain_loop(plain, Path(tmp) / f"round-{number}" / "executed"))
            print(f"round {number + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
            shutil.rmtree(Path(tmp) / f"round-{number}", ignore_errors=True)

    median = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"\nmedians over {options.rounds} interleaved round(s), {cores} cores:")
    for kind in kinds:
        print(f"  {kind:<16} {median[kind]:7.2f} s")
    ratios = (
        ("forced build without PDF / plain loop", median["forced, no PDF"] / median["plain loop"], 0.5),
        ("no-op / stack import", median["no-op"] / median["stack import"], 0.5),
        ("cold build with PDF / floor (run)", median["cold"] / median["floor (run)"], 1.4),
    )
    for label, ratio, target in ratios:
        print(f"  {label:<40} {ratio:5.2f}   (target <= {target}){'' if ratio <= target else '   MISSED'}")
    print("\nthe notebooks' own compute (last forced build, papermill's cell durations):")
    for name, seconds, costly in compute:
        print(f"  {name:<24} {seconds:6.2f} s")
        for duration, first in costly:
            print(f"      {duration:5.2f} s  {first}")


if __name__ == "__main__":
    main()
