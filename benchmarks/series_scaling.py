"""Time the fibre series step (notebook 07) at 1x and 10x the départements. Not a test: run it and read it.

    uv run python benchmarks/series_scaling.py [--repeat N] [--factor K]

Each part of what ``analysis.series.run`` does, on the real baromètre files (1x, 101 départements) and on
synthetic ones holding every département ``K`` times (10x by default: 1 010 départements, about 27 000
quarters), each copy's code suffixed (``32~3``) and its shares unchanged: reading the two CSVs by their schemas
(for the synthetic files a copy of the schemas without the code patterns, which the suffixed codes would break),
the join on the quarter, the crossing quarters, the pace over the three windows, the medians by quarter, and
the chart's data. The parts that do not grow with départements (the JSON end point, INSEE's table, the 2018
peers, the twelve claims, the chart's drawing) are timed at 1x only. Each figure is the median of ``--repeat``
runs; the growth factor of each part should stay near ``K`` (linear) or below.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from divide_study import config
from divide_study.analysis import series
from divide_study.data import barometre
from divide_study.data.arcep import load_arcep, read_arcep_table

FOLDER = config.RAW_DIR / barometre.FOLDER
CODE_COLUMNS = {barometre.ETALAB: "code_departement", barometre.DITP: "enforce_zone_id"}


def synthetic_folder(target: Path, factor: int) -> Path:
    """The two CSVs with every département ``factor`` times, and their schemas without the code patterns."""
    target.mkdir(parents=True, exist_ok=True)
    for name, column in CODE_COLUMNS.items():
        frame = pd.read_csv(FOLDER / name, dtype=str, keep_default_na=False)
        copies = [frame if k == 0 else frame.assign(**{column: frame[column] + f"~{k}"}) for k in range(factor)]
        pd.concat(copies, ignore_index=True).to_csv(target / name, index=False, lineterminator="\n")
        schema = json.loads((FOLDER / (name.removesuffix(".csv") + ".schema.json")).read_text(encoding="utf-8"))
        for field in schema["fields"]:
            if field["name"] == column:
                field["constraints"].pop("pattern", None)
        (target / (name.removesuffix(".csv") + ".schema.json")).write_text(json.dumps(schema), encoding="utf-8")
    return target


def one_run(folder: Path, peers: dict[str, list[str]], windows: pd.DataFrame, external: pd.DataFrame):
    times: dict[str, float] = {}

    def step(name, action):
        started = time.perf_counter()
        value = action()
        times[name] = time.perf_counter() - started
        return value

    etalab = step("read etalab CSV", lambda: barometre.read_etalab(folder / barometre.ETALAB))
    ditp = step("read DITP CSV", lambda: barometre.read_ditp(folder / barometre.DITP))
    joined = step("join on the quarter", lambda: barometre.join_quarters(etalab, ditp, folder=folder))
    step("crossing quarters", lambda: series.crossings(joined))
    starts = series.window_starts(windows, external, joined["quarter_end"].min())
    step("pace (3 windows)", lambda: series.pace(joined, starts, list(peers), peers))
    step("medians by quarter", lambda: series.medians(joined, peers))
    endpoint = barometre.read_endpoint(FOLDER / barometre.ENDPOINT, set(joined["department"]))
    step("chart data", lambda: series.chart_data(joined, endpoint, list(peers)))
    times["total"] = sum(times.values())
    return times, len(joined), joined["department"].nunique()


def fixed_parts(repeat: int) -> dict[str, float]:
    """The parts that do not grow with départements, at 1x: fingerprints, the JSON, INSEE's table, the peers."""
    runs = []
    for _ in range(repeat):
        times = {}
        for name, action in (
            ("fingerprints (5 files)", lambda: barometre.check_fingerprints(FOLDER, barometre.FILES, "")),
            ("read JSON end point", lambda: barometre.read_endpoint(FOLDER / barometre.ENDPOINT, KNOWN)),
            ("read INSEE population", lambda: barometre.read_population(FOLDER / barometre.POPULATION)),
            (
                "2018 peers (ARCEP panel, files read)",
                lambda: series.peer_table(load_arcep(config.RAW_DIR / "arcep_2018"), ["32", "81"], 10),
            ),
        ):
            started = time.perf_counter()
            action()
            times[name] = time.perf_counter() - started
        runs.append(times)
    return {name: statistics.median(r[name] for r in runs) for name in runs[0]}


KNOWN = set(read_arcep_table(FOLDER / barometre.ETALAB)["code_departement"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    peers_table, _premises = series.peer_table(load_arcep(config.RAW_DIR / "arcep_2018"), ["32", "81"], 10)
    peers = {code: list(peers_table.loc[peers_table["department"] == code, "peer"]) for code in ("32", "81")}
    external = pd.read_csv(config.PROCESSED_DIR / "external_figures.csv", dtype=str, keep_default_na=False)
    windows = read_arcep_table(config.RAW_DIR / "series_windows.csv")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, args.factor):
            folder = FOLDER if factor == 1 else synthetic_folder(Path(tmp) / f"x{factor}", factor)
            runs = [one_run(folder, peers, windows, external) for _ in range(args.repeat)]
            rows, departments = runs[0][1], runs[0][2]
            results[factor] = (
                {name: statistics.median(r[0][name] for r in runs) for name in runs[0][0]},
                rows,
                departments,
            )
    (base, base_rows, base_deps), (big, big_rows, big_deps) = results[1], results[args.factor]
    print(f"Fibre series step, median of {args.repeat} run(s); seconds")
    print(f"  {'part':<26} {f'1x ({base_deps} dép.)':>16} {f'{args.factor}x ({big_deps} dép.)':>18}  growth")
    for name in base:
        print(f"  {name:<26} {base[name]:16.3f} {big[name]:18.3f}  {big[name] / base[name]:5.1f}x")
    print(f"  rows of the series: {base_rows} at 1x, {big_rows} at {args.factor}x (linear: {args.factor}x)")
    print("Parts that do not grow with départements (1x):")
    for name, seconds in fixed_parts(args.repeat).items():
        print(f"  {name:<26} {seconds:16.3f}")


if __name__ == "__main__":
    main()
