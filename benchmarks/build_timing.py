"""Build timings against the honest floor, measured in the same run. Not a test: run it and read the ratios.

    uv run python benchmarks/build_timing.py [--rounds 3] [--no-pdf]

Three kinds of build, interleaved round by round (so a busy machine slows them alike), each a whole
`study build` process on a copy of the project:

* cold: a fresh copy, nothing built;
* no-op: the same copy again, nothing changed (target: <= 0.5 s);
* one parameter: `persons_per_household` changed in the copy's params/default.yaml (what it re-runs is doit's
  business: the steps that take that parameter and what reads their outputs).

The floor is what any build of these notebooks must pay, measured here too: along the DAG's longest chain
(critical path), each step's kernel start plus the imports its notebook makes, or, when there are fewer cores
than steps that could overlap, that work shared over the cores, whichever is longer; then the report's HTML
conversion and PDF print alone. The notebooks' own computing is not in the floor.
Target: cold <= 1.25 x floor. Medians are printed, with each ratio.
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
from pathlib import Path

from divide_study import config
from divide_study.build.pipeline import STEPS, dependencies


def notebook_imports(name: str) -> str:
    """The import lines of a notebook's code cells, as one cell."""
    cells = json.loads((config.PROJ_ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines += [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    return "\n".join(lines)


def kernel_with_imports(code: str) -> float:
    """Seconds to start a kernel, run the imports and shut it down."""
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive(code, timeout=180)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def critical_path(costs: dict[str, float]) -> tuple[float, list[str]]:
    """The longest chain of steps through the DAG, by the sum of their costs."""
    deps = dependencies(STEPS)
    best: dict[str, tuple[float, list[str]]] = {}

    def longest(name: str) -> tuple[float, list[str]]:
        if name not in best:
            before = max((longest(dep) for dep in deps[name]), default=(0.0, []))
            best[name] = (before[0] + costs[name], [*before[1], name])
        return best[name]

    return max(longest(step.name) for step in STEPS)


def publish_costs(root: Path, pdf: bool, step_name: str = "05_report", lang: str = "en") -> tuple[float, float]:
    """HTML conversion and PDF print of one built edition of the report, each alone."""
    from divide_study.build.pipeline import REPORT_TITLE
    from divide_study.report.publish import find_browser, to_html, to_pdf

    executed = root / "build" / "notebooks" / f"{step_name}.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        html = to_html(executed, Path(tmp) / "report.html", REPORT_TITLE, lang=lang)
        html_seconds = time.perf_counter() - started
        browser = find_browser() if pdf else None
        if browser is None:
            return html_seconds, 0.0
        started = time.perf_counter()
        to_pdf(html, Path(tmp) / "report.pdf", browser)
        return html_seconds, time.perf_counter() - started


def copy_project(target: Path) -> Path:
    for folder in ("notebooks", "params", "data/raw"):
        shutil.copytree(config.PROJ_ROOT / folder, target / folder)
    shutil.copy(config.PROJ_ROOT / "uv.lock", target / "uv.lock")
    # The copy reads the articles where the project does (the default is relative to the project).
    set_default(target, "sources_dir", str(config.SOURCES_DIR))
    return target


def study_build(root: Path, pdf: bool) -> float:
    command = [sys.executable, "-m", "divide_study.build.cli", "build", "--root", str(root)]
    started = time.perf_counter()
    done = subprocess.run([*command, *([] if pdf else ["--no-pdf"])], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stderr}")
    return seconds


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


def set_household(root: Path, value: float) -> None:
    set_default(root, "persons_per_household", value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true", help="leave the PDF out of the builds and the floor")
    options = parser.parse_args()
    pdf = not options.no_pdf

    cores = os.cpu_count() or 1
    times: dict[str, list[float]] = {"cold": [], "no-op": [], "one parameter": []}
    floors: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(options.rounds):
            root = copy_project(Path(tmp) / f"round-{number}")
            # The floor's parts, measured in this round, between the builds.
            costs = {step.name: kernel_with_imports(notebook_imports(step.notebook_name)) for step in STEPS}
            chain_seconds, chain = critical_path(costs)
            # With fewer cores than parallel steps, the steps cannot all overlap: the floor is also at least
            # the total work shared over the cores.
            shared_seconds = sum(costs.values()) / cores
            times["cold"].append(study_build(root, pdf))
            # Each edition's HTML and PDF; the editions publish side by side, one per core.
            editions = [publish_costs(root, pdf, step.name, dict(step.fixed)["lang"]) for step in STEPS if step.publish]
            html_seconds = max(sum(h for h, _ in editions) / cores, max(h for h, _ in editions))
            pdf_seconds = max(sum(p for _, p in editions) / cores, max(p for _, p in editions))
            floors.append(max(chain_seconds, shared_seconds) + html_seconds + pdf_seconds)
            times["no-op"].append(study_build(root, pdf))
            set_household(root, 2.5 if number % 2 == 0 else 2.4)
            times["one parameter"].append(study_build(root, pdf))
            print(
                f"round {number + 1}: floor {floors[-1]:.1f} s (chain {' -> '.join(chain)} {chain_seconds:.1f} s, "
                f"all steps over {cores} cores {shared_seconds:.1f} s, "
                f"HTML {html_seconds:.1f} s, PDF {pdf_seconds:.1f} s); "
                + ", ".join(f"{kind} {values[-1]:.2f} s" for kind, values in times.items()),
                flush=True,
            )
            shutil.rmtree(root, ignore_errors=True)

    floor = statistics.median(floors)
    print(f"\nmedians over {options.rounds} interleaved rounds{'' if pdf else ' (no PDF)'}:")
    print(f"  floor (max(critical path, work / cores) + HTML + PDF): {floor:6.2f} s")
    for kind, values in times.items():
        median = statistics.median(values)
        print(f"  {kind:<14} {median:6.2f} s   = {median / floor:.2f} x floor")
    print("targets: cold <= 1.25 x floor; no-op <= 0.5 s")


if __name__ == "__main__":
    main()
