"""The scaling benchmarks still run against the package as it is (a benchmark that crashes measures nothing). These
tests check that each runs and reports its table; they never look at the times it measures."""

from __future__ import annotations

import subprocess
import sys

import pytest

from divide_study import config


@pytest.mark.parametrize(
    ("script", "arguments", "reported"),
    [
        ("series_scaling.py", ["--repeat", "1", "--factor", "2"], ["total", "2018 peers (ARCEP panel, files read)"]),
        ("panel_scaling.py", ["--repeat", "1"], ["build panel"]),
    ],
)
def test_a_scaling_benchmark_runs_and_reports_every_part(script, arguments, reported):
    if not (config.PROCESSED_DIR / "external_figures.csv").is_file():
        pytest.skip("data/processed not built")
    done = subprocess.run(
        [sys.executable, str(config.PROJ_ROOT / "benchmarks" / script), *arguments],
        capture_output=True,
        text=True,
        cwd=config.PROJ_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for part in reported:
        assert part in done.stdout, (part, done.stdout[-2000:])
