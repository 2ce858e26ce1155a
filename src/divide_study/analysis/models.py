"""The models side by side: what each asks of the public purse, what it delivered when, who carries the risk.

Every network of the study gets the same indicators, from data only (``progress.csv``, ``funding.csv``,
``model_risks.csv``, ``contracts.csv`` and the comparison), so a new initiative enters by rows. Figures of
different scopes are never added up: public money per plug is an amount that is *all* the public money of
its scope (``funding.all_public_money``), divided by premises of that same scope.
"""

from __future__ import annotations

import pandas as pd

from divide_study.analysis import timeline
from divide_study.data.lookup import grouped_records
from divide_study.errors import StudyError

MODEL_COLUMNS = [
    "initiative",
    "name",
    "model",
    "technology",
    "years",
    "from_year",
    "to_year",
    "premises",
    "premises_scope",
    "premises_qualifier",
    "premises_unit",
    "cost_per_premise",
    "cost_per_premise_constant",
    "cost_per_premise_qualifier",
    "cost_scope",
    "public_money",
    "public_money_scope",
    "public_money_per_premise",
    "public_money_per_premise_qualifier",
    "public_money_per_premise_constant",
    "public_money_note",
    "public_money_id",
    "public_money_covers",
    "own_target",
    "own_target_id",
    "own_target_qualifier",
    "own_target_cited_as",
    "own_target_share_of",
    "target_by",
    "achieved_by_target_year",
    "achieved_by_target_year_qualifier",
    "achieved_as_of",
    "achieved_id",
    "achieved_share_of",
    "plugs_per_year",
    "pace_period",
    "owner",
    "who_pays_the_works",
    "delay_risk",
    "delay_risk_bearer",
    "demand_risk",
    "risk_basis",
    "evidence_ids",
]


def network_progress(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    progress: pd.DataFrame,
    comparison: pd.DataFrame,
    networks: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(timelines, targets, pace) of every network that has rows in progress.csv, each row naming its
    initiative; shares and counts are read against the network's central premises (comparison.csv)."""
    timelines, targets, paces = [], [], []
    plugs_of = grouped_records(comparison, ("initiative", "metric"))
    for initiative in networks:
        if not grouped_records(progress, ("initiative",)).get((initiative,)):
            continue
        premises = plugs_of[(initiative, "premises")][0]
        hedge = premises.get("qualifier")  # "plus de 138 000 prises": at_least (a table without it: exact)
        plugs, plugs_qualifier = (
            float(premises["value_nominal"]),
            hedge if isinstance(hedge, str) and hedge else "exact",
        )
        points = timeline.timeline_points(figures, external, progress, initiative, plugs, plugs_qualifier)
        start = timeline.start_of(figures, external, progress, initiative)
        timelines += [{"initiative": initiative, **p} for p in points]
        targets += timeline.target_rows(points, external, initiative)
        paces += [{"initiative": initiative, **p} for p in timeline.pace_rows(points, start)]
    return (
        pd.DataFrame(timelines, columns=["initiative", *timeline.PROGRESS_COLUMNS]),
        pd.DataFrame(targets, columns=timeline.TARGET_COLUMNS),
        pd.DataFrame(paces, columns=["initiative", *timeline.PACE_COLUMNS]),
    )


def model_comparison(
    initiatives: pd.DataFrame,
    comparison: pd.DataFrame,
    money: pd.DataFrame,
    targets: pd.DataFrame,
    pace: pd.DataFrame,
    contracts: pd.DataFrame,
    model_risks: pd.DataFrame,
    networks: list[str],
) -> pd.DataFrame:
    """One row per network: its model, cost and public money per plug, its own target against what it had
    achieved by the target's year, its average pace, and who owns, pays and carries the risk.

    A value the sources do not give stays empty (never zero, never an estimate).
    """
    by_id = {r["initiative"]: r for r in initiatives.to_dict("records")}
    risks = {r["model"]: r for r in model_risks.to_dict("records")}
    rows = grouped_records(comparison, ("initiative", "metric"))
    funded = grouped_records(money, ("initiative",))
    aims = grouped_records(targets, ("initiative",))
    paces = grouped_records(pace, ("initiative",))
    spans_of = grouped_records(contracts, ("initiative",))
    nan = float("nan")
    out = []
    for initiative in networks:
        info = by_id[initiative]
        cost = (rows.get((initiative, "cost_per_premise")) or [None])[0]
        premises = (rows.get((initiative, "premises")) or [None])[0]
        # All the public money of a scope; one divided by premises of its own scope comes first. An amount no
        # premise count shares (phase-1 money that also paid for copper and WiFi) is kept, undivided.
        public = sorted(
            (m for m in funded.get((initiative,), []) if bool(m["all_public_money"])),
            key=lambda m: m["per_premise"] != m["per_premise"],
        )
        own = [t for t in aims.get((initiative,), []) if t["cited_as"] != timeline.NATIONAL_GOAL]
        steps = paces.get((initiative,), [])
        spans = spans_of.get((initiative,), [])
        years, first, until = "", None, None
        if spans:
            first = int(min(r["from_year"] for r in spans))
            last = [r["to_year"] for r in spans if r["to_year"] == r["to_year"] and r["to_year"] is not None]
            until = int(max(last)) if last else None
            years = f"{first}–{until}" if last else f"from {first}"
        risk = risks.get(info["model"])
        ids = [cost["input_ids"]] if cost else []
        ids += [m["evidence_id"] for m in public] + [t["target_id"] for t in own] + [t["achieved_id"] for t in own]
        if risk is not None and risk["evidence_ids"]:
            ids.append(risk["evidence_ids"])
        out.append(
            {
                "initiative": initiative,
                "name": info["short_name"],
                "model": info["model"],
                "technology": info["technology"],
                "years": years,
                # The same span as numbers, so that the report can quote each year through its ledger.
                "from_year": first,
                "to_year": until,
                "premises": float(premises["value_nominal"]) if premises else nan,
                "premises_scope": premises["scope"] if premises else "",
                "premises_qualifier": premises.get("qualifier", "") if premises else "",
                "premises_unit": premises.get("unit", "") if premises else "",
                "cost_per_premise": float(cost["value_nominal"]) if cost else nan,
                "cost_per_premise_constant": float(cost["value_constant"]) if cost else nan,
                "cost_per_premise_qualifier": cost.get("qualifier", "") if cost else "",
                "cost_scope": cost["scope"] if cost else "",
                "public_money": float(public[0]["amount_eur"]) if public else nan,
                "public_money_scope": public[0]["scope"] if public else "",
                "public_money_per_premise": float(public[0]["per_premise"]) if public else nan,
                "public_money_per_premise_qualifier": public[0].get("per_premise_qualifier", "") if public else "",
                "public_money_per_premise_constant": (
                    float(public[0].get("per_premise_constant", nan)) if public else nan
                ),
                "public_money_note": public[0]["note"] if public else "",
                "public_money_id": public[0]["evidence_id"] if public else "",
                "public_money_covers": public[0]["covers"] if public else "",
                "own_target": own[0]["target"].removeprefix("own target: ") if own else "",
                "own_target_id": own[0]["target_id"] if own else "",
                "own_target_qualifier": own[0]["target_qualifier"] if own else "",
                "own_target_cited_as": own[0]["cited_as"] if own else "",
                # What the target's share and the count set against it count (progress.csv's share_of, one place
                # for both the targets table and the models' prose).
                "own_target_share_of": own[0]["target_share_of"] if own else "",
                "target_by": own[0]["by"] if own else "",
                "achieved_by_target_year": float(own[0]["achieved_by_then"]) if own else nan,
                "achieved_by_target_year_qualifier": own[0]["achieved_qualifier"] if own else "",
                "achieved_as_of": own[0]["achieved_as_of"] if own else "",
                "achieved_id": own[0]["achieved_id"] if own else "",
                "achieved_share_of": own[0]["achieved_share_of"] if own else "",
                "plugs_per_year": _average_pace(steps),
                "pace_period": f"{steps[0]['from']} – {steps[-1]['to']}" if steps else "",
                "owner": risk["owner"] if risk is not None else "",
                "who_pays_the_works": risk["who_pays_the_works"] if risk is not None else "",
                "delay_risk": risk["delay_risk"] if risk is not None else "",
                # Who bears it, as a code the summary's shortest sentence names (delay_risk says how).
                "delay_risk_bearer": (risk.get("delay_risk_bearer") or "") if risk is not None else "",
                "demand_risk": risk["demand_risk"] if risk is not None else "",
                "risk_basis": risk["basis"] if risk is not None else "",
                "evidence_ids": ";".join(i for i in ids if i),
            }
        )
    frame = pd.DataFrame(out, columns=MODEL_COLUMNS)
    # Years stay whole numbers in the CSV ("2013", not "2013.0"), empty where a contract is open-ended.
    return frame.astype({"from_year": "Int64", "to_year": "Int64"})


def ended_unsaid(contracts: pd.DataFrame, year: int) -> pd.DataFrame:
    """The contracts (rows of the cited contracts table, on its index) that ended before ``year`` (the year of the
    study's latest source) with no later row of the same network and phase: who has run that part since, the
    table does not say."""
    ends = pd.to_numeric(contracts["to_year"], errors="coerce").astype(float)
    starts = pd.to_numeric(contracts["from_year"], errors="coerce").astype(float)
    ended = []
    for index, row in contracts.iterrows():
        end = ends[index]
        if pd.isna(end) or end >= year:
            continue  # an open or running contract
        same = (contracts["initiative"] == row["initiative"]) & (contracts["phase"] == row["phase"])
        if not (same & (starts >= end) & (contracts.index != index)).any():
            ended.append(index)
    return contracts.loc[ended]


def funder_codes(covers: object) -> list[str]:
    """The funders' codes an amount holds (``funding.csv``'s ``covers``, ';'-separated), in their order."""
    return [code for code in str(covers).split(";") if code and code != "nan"]


def money_comparison(covers: str, other: str) -> tuple[bool, list[str], list[str]]:
    """Whether two amounts of public money can be set side by side: only when they hold the money of the same
    funders (``funding.csv``'s ``covers``) and neither leaves its funders unstated. Also what each holds that the
    other leaves out, in the order of their codes, so that a refusal can say why."""
    ours, theirs = funder_codes(covers), funder_codes(other)
    if not ours or not theirs or "unstated" in ours or "unstated" in theirs:
        return False, [c for c in ours if c not in theirs], [c for c in theirs if c not in ours]
    return set(ours) == set(theirs), [c for c in ours if c not in theirs], [c for c in theirs if c not in ours]


def _average_pace(steps: list[dict]) -> float:
    """Plugs per year from the start to the last point achieved: total plugs over total years."""
    if not steps:
        return float("nan")
    return float(steps[-1]["plugs_to"] - steps[0]["plugs_from"]) / sum(float(s["years"]) for s in steps)


def cost_natures(frame: pd.DataFrame, evidence: pd.DataFrame) -> dict[str, str]:
    """What each initiative's cost in comparison.csv is (evidence.csv's ``amount_nature`` of the rows it adds
    up): 'spent_to_date', 'plan'... A cost added up from amounts of different natures has no one word: refused."""
    nature_of = dict(zip(evidence["evidence_id"], evidence["amount_nature"], strict=True))
    out = {}
    for initiative, ids in zip(frame["initiative"], frame["input_ids"], strict=True):
        natures = {nature_of.get(i, "") for i in str(ids).split(";") if i}
        if len(natures) > 1:
            raise StudyError(
                f"comparison.csv, row [initiative={initiative}, metric=cost], column 'input_ids': the cost adds up "
                f"amounts of different natures {sorted(natures)}; a plan and spending are never added up"
            )
        out[initiative] = natures.pop() if natures else ""
    return out
