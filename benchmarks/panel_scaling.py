"""Time the national panel step on the real ARCEP data (~35 000 communes). Not a test: run it and read it.

    uv run python benchmarks/panel_scaling.py [--repeat N]

Prints seconds for each part of what notebook 06 does beyond what every notebook pays (kernel start,
pandas/matplotlib imports): the ARCEP-specific imports, fingerprint check, reading and validating the six
files, building the panel, checking it against ARCEP's totals, placing the studied départements, and the
chart. Each part is the median of ``--repeat`` runs (the first run, with cold file caches, is printed too).
Target: the whole under 5 s on the 2-core build machine, i.e. under 5 s added to a cold build.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from divide_study import config


def import_seconds() -> float:
    """Seconds to import the panel's modules in a fresh interpreter, beyond pandas and matplotlib."""
    code = (
        "import time, pandas, matplotlib, seaborn; t = time.perf_counter(); "
        "import divide_study.analysis.panel, divide_study.data.arcep, divide_study.analysis.plots; "
        "print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def one_run(departments: list[str], peers: int, figures_dir: Path) -> dict[str, float]:
    import matplotlib.pyplot as plt

    from divide_study.analysis import panel, plots
    from divide_study.data import arcep

    folder = config.RAW_DIR / "arcep_2018"
    times: dict[str, float] = {}

    def step(name, action):
        started = time.perf_counter()
        value = action()
        times[name] = time.perf_counter() - started
        return value

    step("fingerprints", lambda: arcep.check_fingerprints(folder))
    data = step("read + validate", lambda: arcep.load_arcep(folder))
    built = step("build panel", lambda: panel.build_panel(data))
    step("check vs ARCEP totals", lambda: panel.check_against_departements(built, data))
    place = step("placement", lambda: panel.placement(built, departments, peers))
    plots.use_style()

    def chart():
        dots = panel.chart_data(built, departments)
        fig, drawn, source = panel.panel_chart(dots, panel.chart_title(place))
        plots.save_figure(fig, drawn, "national_panel", figures_dir, source)
        plt.close(fig)

    step("chart (svg+png+csv)", chart)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"ARCEP panel step, {args.repeat} run(s); seconds")
    imports = import_seconds()
    print(f"  {'imports (fresh interpreter)':<30} {imports:6.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [one_run(["32", "81"], 10, Path(tmp)) for _ in range(args.repeat)]
    total_first = imports
    total_median = imports
    for name in runs[0]:
        first, median = runs[0][name], statistics.median(r[name] for r in runs)
        total_first += first
        total_median += median
        print(f"  {name:<30} {median:6.2f}   (first run {first:.2f})")
    print(f"  {'total':<30} {total_median:6.2f}   (first run {total_first:.2f}); target < 5 s")


if __name__ == "__main__":
    main()
