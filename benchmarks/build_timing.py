"""Build timings against the floor, measured in the same run. Not a test: run it and read the ratios.

    uv run python benchmarks/build_timing.py

Floor = (one kernel start + `import pandas, matplotlib, seaborn` + shutdown) x notebooks / cores: what any
papermill build of these notebooks must pay. Targets: cold build <= 1.25 x floor; no-op rebuild <= 1 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from divide_study import config
from divide_study.build.pipeline import STEPS, Builder
from divide_study.build.progress import Reporter


def kernel_with_imports() -> float:
    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("import pandas, matplotlib, seaborn", timeout=120)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    cores = os.cpu_count() or 1
    one = statistics.median(kernel_with_imports() for _ in range(3))
    floor = one * len(STEPS) / cores

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        for folder in ("notebooks", "params", "data/raw", "src"):
            shutil.copytree(config.PROJ_ROOT / folder, root / folder)
        here = root / "params" / "here.yaml"
        here.write_text(f"sources_dir: {config.SOURCES_DIR}\n", encoding="utf-8")
        changed = root / "params" / "changed.yaml"
        changed.write_text(f"sources_dir: {config.SOURCES_DIR}\npersons_per_household: 2.5\n", encoding="utf-8")

        def build(scenario: Path) -> None:
            report = Builder(root=root, scenario=scenario, reporter=Reporter()).run()
            assert report.ok, [r.error for r in report.results if r.error]

        cold = timed(lambda: build(here))
        noop = timed(lambda: build(here))
        one_param = timed(lambda: build(changed))

    # The no-op as a user types it, process start and all (on the real project, which is built).
    cli_noop = timed(lambda: subprocess.run(["study", "build"], check=True, capture_output=True))

    print(f"machine: {cores} cores; kernel start + imports + shutdown: {one:.2f} s (median of 3)")
    print(f"floor ({len(STEPS)} notebooks over {cores} cores): {floor:.2f} s")
    print(f"cold build:            {cold:6.2f} s   = {cold / floor:.2f} x floor (target <= 1.25)")
    print(f"no-op rebuild:         {noop:6.2f} s   (target <= 1 s)")
    print(f"no-op, `study build`:  {cli_noop:6.2f} s   (whole process)")
    print(f"one parameter changed: {one_param:6.2f} s   = {one_param / floor:.2f} x floor")


if __name__ == "__main__":
    main()
