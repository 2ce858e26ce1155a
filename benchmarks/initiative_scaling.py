"""How the analyses grow with the number of initiatives, and what the national panel adds. Not a test.

    uv run python benchmarks/initiative_scaling.py [--factors 1 10 100] [--repeat 3] [--no-panel]

The study's networks are cloned k times as synthetic initiatives (every row of measures, spending profiles,
figures, reference rows, evidence, funding and progress copied under a new id), then each analysis step of
notebooks 02 and 04 runs in this process on the enlarged tables: the comparison, public money, progress and
targets, the models table, milestones, and the sensitivity analysis with its scenarios. Printed: seconds per
step (median of ``--repeat`` runs) at each factor, the total, and the growth factor against 1x (linear: the
factor itself). The national panel (notebook 06, ~35 000 communes) is timed by ``panel_scaling.measure``.
Target: 100x initiatives and the national panel each add under 5 s to a cold build on the 2-core machine.
What a cold build pays once whatever the data (kernel starts, imports) is measured by ``build_timing.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from divide_study import config
from divide_study.analysis import metrics, models, sensitivity, timeline
from divide_study.analysis.study import Study, load_study


def _renamer(suffix: str, topics: set[str]):
    """Evidence ids of a clone: a figure id gets the suffix, a reference row's topic gets it."""

    def rename(evidence_id: str) -> str:
        if not evidence_id:
            return evidence_id
        if "|" in evidence_id:
            topic, rest = evidence_id.split("|", 1)
            return f"{topic}{suffix}|{rest}" if topic in topics else evidence_id
        return f"{evidence_id}{suffix}"

    return rename


def synthetic(study: Study, copies: int) -> Study:
    """The study with each network cloned ``copies`` - 1 more times (1 = the study as it is)."""
    networks = study.networks()
    measures = study.measures[study.measures["initiative"].isin(networks)]
    topics = set(networks) | set(measures["reference_topic"].dropna()) - {""}
    parts = {name: [getattr(study, name)] for name in ("initiatives", "measures", "spending_profiles", "figures")}
    parts |= {"external": [study.external], "evidence": [study.evidence], "funding": [study.funding]}
    parts["progress"] = [study.progress]
    for k in range(1, copies):
        suffix = f"_s{k}"
        rename = _renamer(suffix, topics)
        mine = study.initiatives["initiative"].isin(networks)
        parts["initiatives"].append(study.initiatives[mine].assign(initiative=lambda f, s=suffix: f["initiative"] + s))
        m = measures.copy()
        m["initiative"] = m["initiative"] + suffix
        m["spending"] = m["spending"].map(lambda v, s=suffix: f"{v}{s}" if v else v)
        m["figure_id"] = m["figure_id"].map(lambda v, s=suffix: f"{v}{s}" if v else v)
        m["reference_topic"] = m["reference_topic"].map(lambda v, s=suffix: f"{v}{s}" if v in topics else v)
        parts["measures"].append(m)
        spent = study.spending_profiles[study.spending_profiles["spending"].isin(set(measures["spending"]))]
        parts["spending_profiles"].append(spent.assign(spending=spent["spending"] + suffix))
        f = study.figures[study.figures["initiative"].isin(networks)]
        parts["figures"].append(f.assign(figure_id=f["figure_id"] + suffix, initiative=f["initiative"] + suffix))
        x = study.external[study.external["topic"].isin(topics)]
        parts["external"].append(x.assign(topic=x["topic"] + suffix))
        e = study.evidence
        e = e[e["evidence_id"].map(lambda i, r=rename: r(i) != i)]
        parts["evidence"].append(e.assign(evidence_id=e["evidence_id"].map(rename)))
        fu = study.funding[study.funding["initiative"].isin(networks)]
        parts["funding"].append(
            fu.assign(initiative=fu["initiative"] + suffix, evidence_id=fu["evidence_id"].map(rename))
        )
        p = study.progress[study.progress["initiative"].isin(networks)]
        parts["progress"].append(
            p.assign(
                initiative=p["initiative"] + suffix,
                evidence_id=p["evidence_id"].map(rename),
                by_evidence_id=p["by_evidence_id"].map(rename),
            )
        )
    return replace(study, **{name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()})


def one_run(study: Study, base_year: int) -> dict[str, float]:
    times: dict[str, float] = {}

    def step(name, action):
        started = time.perf_counter()
        value = action()
        times[name] = time.perf_counter() - started
        return value

    networks = study.networks()
    pairs = study.headline_pairs()
    comparison = step(
        "comparison",
        lambda: metrics.compare_networks(
            study.figures, study.external, study.measures, study.cpi, study.spending_profiles, networks, base_year
        ),
    )
    money = step(
        "public money",
        lambda: metrics.public_money(
            study.funding, study.evidence, study.measures, study.figures, study.external, networks
        ),
    )
    _, targets, pace = step(
        "progress + targets",
        lambda: models.network_progress(study.figures, study.external, study.progress, comparison, networks),
    )
    step(
        "models table",
        lambda: models.model_comparison(
            study.initiatives, comparison, money, targets, pace, study.contracts, study.model_risks, networks
        ),
    )
    step("milestones", lambda: timeline.milestones(study.figures, study.external, study.milestones))
    inputs = sensitivity.Inputs(
        study.figures, study.external, study.measures, study.cpi, study.spending_profiles, networks, pairs
    )
    step("sensitivity", lambda: sensitivity.sensitivity(inputs, base_year, {}, [2015, 2020]))
    step(
        "scenarios (3)",
        lambda: sensitivity.scenario_headlines(
            inputs, {f"s{n}": {"base_year": base_year - n, "options": {}} for n in range(3)}
        ),
    )
    times["total"] = sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-panel", action="store_true", help="skip the national panel's timing")
    args = parser.parse_args()
    study = load_study(config.PROCESSED_DIR)
    base_year = 2025
    results = {}
    for factor in args.factors:
        enlarged = synthetic(study, factor)
        runs = [one_run(enlarged, base_year) for _ in range(args.repeat)]
        results[factor] = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
        print(f"{factor:>4}x: {len(enlarged.networks())} networks, total {results[factor]['total']:.2f} s", flush=True)
    first = args.factors[0]
    steps = list(results[first])
    print(f"\nSeconds per step (median of {args.repeat}); growth against {first}x (linear = the factor)")
    header = "".join(f"{f'{f}x':>10}{'growth':>8}" for f in args.factors)
    print(f"  {'step':<22}{header}")
    for name in steps:
        cells = ""
        for factor in args.factors:
            seconds = results[factor][name]
            grown = seconds / results[first][name] if results[first][name] else float("nan")
            cells += f"{seconds:10.3f}{grown:8.1f}"
        print(f"  {name:<22}{cells}")
    largest = args.factors[-1]
    added = results[largest]["total"] - results[first]["total"]
    print(f"\n{largest}x initiatives add {added:.2f} s of computing to a build (target < 5 s)")
    if not args.no_panel:
        sys.path.insert(0, str(Path(__file__).parent))
        from panel_scaling import measure

        panel = measure(repeat=args.repeat)
        print(f"the national panel adds {panel['total']:.2f} s (target < 5 s); parts:")
        for name, seconds in panel.items():
            if name != "total":
                print(f"  {name:<30} {seconds:6.2f}")


if __name__ == "__main__":
    main()
