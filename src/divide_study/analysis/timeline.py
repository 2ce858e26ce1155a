"""Time: eligibility against targets, deployment pace, and each initiative's milestones."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

from divide_study.analysis.measures import reference_id


def decimal_year(as_of: str) -> float:
    """'2020-09-11' -> 2020.69, '2020' -> 2020.5 (mid-year when only the year is known)."""
    parts = [int(p) for p in str(as_of).split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    month = parts[1]
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1 + (day - 1) / 31) / 12


def eligibility_timeline(figures: pd.DataFrame, external: pd.DataFrame, initiative: str) -> pd.DataFrame:
    """Share of the territory eligible to fibre over time, from the articles and later cited figures,
    with the initiative's own targets."""
    from_articles = figures[(figures["initiative"] == initiative) & (figures["metric"] == "share_inhabitants_eligible")]
    out = [
        {
            "date": f["as_of"],
            "share": f["value"],
            "kind": "target" if f["qualifier"] == "target" else "achieved",
            "source": f"article {f['article']} ({f['figure_id']})",
            "quote": f["span"],
            "evidence_id": f["figure_id"],
        }
        for f in from_articles.to_dict("records")
    ]
    later = external[
        (external["topic"] == initiative)
        & external["figure"].isin(["share eligible", "share of the network's zone able to connect"])
    ]
    out += [
        {
            "date": str(r["as_of"]),
            "share": r["value"],
            "kind": "achieved",
            "source": r["source"],
            "quote": r["quote"],
            "evidence_id": reference_id(r),
        }
        for r in later.to_dict("records")
    ]
    frame = pd.DataFrame(out, columns=["date", "share", "kind", "source", "quote", "evidence_id"])
    frame["year"] = frame["date"].map(decimal_year)
    return frame.sort_values(["year", "kind"], ignore_index=True)


def targets_against_achieved(timeline: pd.DataFrame, external: pd.DataFrame) -> pd.DataFrame:
    """Each target (the initiative's own, and the national plan's goals) against the latest share achieved
    by the end of the target's year; the national goals are of all premises nationally."""
    achieved = timeline[timeline["kind"] == "achieved"]
    goals = [
        {
            "target": f"own target: {t['share']:.0%} eligible",
            "by": str(t["date"])[:4],
            "target_share": t["share"],
            "target_id": t["evidence_id"],
        }
        for t in timeline[timeline["kind"] == "target"].to_dict("records")
    ]
    national = external[(external["topic"] == "national") & (external["unit"] == "year")]
    goals += [
        {
            "target": f"national plan: {r['figure']}",
            "by": str(int(r["value"])),
            "target_share": 1.0,
            "target_id": reference_id(r),
        }
        for r in national.to_dict("records")
    ]
    out = []
    for goal in goals:
        by_then = achieved[achieved["year"] < int(goal["by"]) + 1]
        last = by_then.iloc[-1] if not by_then.empty else None
        reached = achieved[achieved["share"] >= goal["target_share"] - 1e-9]
        out.append(
            {
                **goal,
                "achieved_by_then": last["share"] if last is not None else float("nan"),
                "achieved_as_of": last["date"] if last is not None else "",
                "achieved_id": last["evidence_id"] if last is not None else "",
                "reached_on": reached.iloc[0]["date"] if not reached.empty else "not yet",
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "target",
            "by",
            "target_share",
            "target_id",
            "achieved_by_then",
            "achieved_as_of",
            "achieved_id",
            "reached_on",
        ],
    )


def deployment_pace(external: pd.DataFrame, figures: pd.DataFrame, initiative: str, plugs: float, start: int):
    """Plugs made eligible per year between successive cited shares of the network (share × ``plugs``),
    from ``start`` (the first works) to completion.

    Shares of inhabitants and of premises are treated alike: the sources do not always say which. A share
    below an earlier one is left out (the sources disagree, the network did not shrink).
    """
    timeline = eligibility_timeline(figures, external, initiative)
    achieved = timeline[timeline["kind"] == "achieved"].copy()
    achieved["plugs"] = achieved["share"] * plugs
    points = [{"date": str(start), "year": float(start), "plugs": 0.0, "evidence_id": ""}]
    for point in achieved[["date", "year", "plugs", "evidence_id"]].to_dict("records"):
        # A share below an earlier one comes from a source of another base or date precision (73 % in July
        # 2023 after 77 % dated only "2023"): the network never shrank, so such a point is left out.
        if point["plugs"] >= points[-1]["plugs"] and point["year"] > points[-1]["year"]:
            points.append(point)
    out = []
    for before, after in pairwise(points):
        years = after["year"] - before["year"]
        if years <= 0:
            continue
        out.append(
            {
                "from": before["date"],
                "to": after["date"],
                "plugs_from": before["plugs"],
                "plugs_to": after["plugs"],
                "plugs_per_year": (after["plugs"] - before["plugs"]) / years,
                "evidence_id": after["evidence_id"],
            }
        )
    return pd.DataFrame(out, columns=["from", "to", "plugs_from", "plugs_to", "plugs_per_year", "evidence_id"])


def milestones(figures: pd.DataFrame, external: pd.DataFrame) -> pd.DataFrame:
    """Dated events of each initiative: years the articles state, milestones with their figures, and the
    later outcomes of the reference data."""
    out = []
    labels = {
        "launch_year": "launch",
        "creation_year": "Gers Numérique created (press)",
        "first_works_year": "first works",
        "digital_plan_year": "first digital plan",
        "metro_network_year": "metropolitan fibre network",
    }
    for f in figures[figures["metric"].isin(labels)].to_dict("records"):
        out.append(
            {
                "initiative": f["initiative"],
                "date": str(int(f["value"])),
                "event": labels[f["metric"]],
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    picks = {
        "gers_plugs_eligible_2019": "{value:,.0f}+ plugs eligible",
        "gers_share_eligible_2020": "{value:.0%} of inhabitants eligible",
        "castres_households_covered": "DSL + WiFi for {value:,.0f} households announced",
        "soho_families_settled": "{value:,.0f} families settled (promoter's claim)",
    }
    for f in figures[figures["figure_id"].isin(picks)].to_dict("records"):
        out.append(
            {
                "initiative": f["initiative"],
                "date": f["as_of"],
                "event": picks[f["figure_id"]].format(value=f["value"]),
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    later = {
        ("gers_numerique", "share of the network's zone able to connect"): "network completed",
        ("gers_numerique", "Gers Numérique syndicate creation year"): "syndicate created (per the Département)",
    }
    for r in external.to_dict("records"):
        if (r["topic"], r["figure"]) in later:
            out.append(
                {
                    "initiative": r["topic"],
                    "date": str(r["as_of"]),
                    "event": later[(r["topic"], r["figure"])],
                    "source": r["source"],
                    "quote": r["quote"],
                }
            )
    frame = pd.DataFrame(out, columns=["initiative", "date", "event", "source", "quote"])
    frame["year"] = frame["date"].map(decimal_year)
    return frame.sort_values(["initiative", "year", "event"], ignore_index=True)
