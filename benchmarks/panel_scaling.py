"""Time the national panel step on the real ARCEP data (~35 000 communes). Not a test: run it and read it.

    uv run python benchmarks/panel_scaling.py [--repeat N]

Prints seconds for each part of what notebook 06 does beyond what every notebook pays (kernel start,
pandas/matplotlib imports): the ARCEP-specific imports, fingerprint check, reading and validating the six
files, building the panel, checking it against ARCEP's totals, placing the studied départements, and the
chart. Each part is the median of ``--repeat`` runs. Target: the whole under 5 s on the 2-core build
machine, i.e. under 5 s added to a cold build. Then the growth: the panel built from the communes repeated
1, 2 and 4 times, with the factor by which its time grows (linear = the repeat count). ``measure()`` returns
the parts as a dict, for a combined scaling benchmark to import.
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
        # As 06_national_panel draws it: one chart per edition (English, French) of the last quarter.
        dots = panel.chart_data(built, departments)
        quarter = panel.QUARTERS[-1]
        plots.save_editions(
            lambda lang: plots.national_panel_chart(
                dots, plots.national_panel_title(place, quarter, lang), quarter, lang=lang
            ),
            "national_panel",
            figures_dir,
        )
        plt.close("all")

    step("chart (both editions)", chart)
    return times


def growth(factors: tuple[int, ...] = (1, 2, 4)) -> list[tuple[int, float]]:
    """Seconds to build the panel from the communes repeated ``factor`` times: cost should grow linearly."""
    import dataclasses

    import pandas as pd

    from divide_study.analysis import panel
    from divide_study.data import arcep

    data = arcep.load_arcep(config.RAW_DIR / "arcep_2018")
    out = []
    for factor in factors:
        suffixes = [f"-{n}" if n else "" for n in range(factor)]
        communes = pd.concat(
            [data.communes.assign(**{"Code commune": data.communes["Code commune"] + s}) for s in suffixes],
            ignore_index=True,
        )
        ftth = pd.concat(
            [data.ftth_communes.assign(**{"Code commune": data.ftth_communes["Code commune"] + s}) for s in suffixes],
            ignore_index=True,
        )
        bigger = dataclasses.replace(data, communes=communes, ftth_communes=ftth)
        started = time.perf_counter()
        panel.build_panel(bigger)
        out.append((factor, time.perf_counter() - started))
    return out


def measure(repeat: int = 5) -> dict[str, float]:
    """Median seconds of each part of the panel step, and their total (imports included)."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = [one_run(["32", "81"], 10, Path(tmp)) for _ in range(repeat)]
    times = {"imports (fresh interpreter)": import_seconds()}
    times |= {name: statistics.median(r[name] for r in runs) for name in runs[0]}
    times["total"] = sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"ARCEP national panel step (real data, ~35 000 communes), median of {args.repeat} run(s); seconds")
    for name, seconds in measure(args.repeat).items():
        print(f"  {name:<30} {seconds:6.2f}")
    print("  target: total < 5 s added to a cold build")
    print("Growth: building the panel from the communes repeated k times")
    base = None
    for factor, seconds in growth():
        base = base or seconds
        print(f"  {factor}x communes  {seconds:6.3f} s   growth factor {seconds / base:4.1f} (linear: {factor})")


if __name__ == "__main__":
    main()
