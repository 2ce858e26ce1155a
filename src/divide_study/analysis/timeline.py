"""Time: eligibility against targets, deployment pace, and each initiative's milestones."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

from divide_study.analysis.evidence import reference_qualifier
from divide_study.analysis.measures import combined_qualifier
from divide_study.analysis.metrics import quotient_qualifier
from divide_study.data.lookup import grouped_records, records, reference_id


def decimal_year(as_of: str) -> float:
    """'2020-09-11' -> 2020.69, '2020' -> 2020.5 (mid-year when only the year is known)."""
    parts = [int(p) for p in str(as_of).split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    month = parts[1]
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1 + (day - 1) / 31) / 12


def evidence_row(evidence_id: str, figures: pd.DataFrame, external: pd.DataFrame) -> dict:
    """An evidence row's value, unit, date, source and verbatim words: an article figure or a reference row."""
    f = records(figures, "figure_id").get(evidence_id)
    if f is not None:
        return {
            "value": float(f["value"]),
            "unit": f["unit"],
            "as_of": str(f["as_of"]),
            "source": f"article {f['article']}",
            "quote": f["span"],
            "qualifier": f["qualifier"],
        }
    r = records(external, "evidence_id", key_of=reference_id).get(evidence_id)
    if r is None:
        raise KeyError(f"no figure or reference row {evidence_id!r}")
    return {
        "value": float(r["value"]),
        "unit": r["unit"],
        "as_of": str(r["as_of"]),
        "source": r["source"],
        "quote": r["quote"],
        "qualifier": reference_qualifier(str(r["quote"]), str(r.get("note") or "")),  # "plus de 138 000 prises"
    }


PLUG_UNITS = {"plugs", "premises"}  # the network's plugs (premises passed), what a count is divided by
PROGRESS_COLUMNS = [
    *("date", "share", "qualifier", "stated_qualifier", "plugs", "cited_as", "kind", "source", "quote"),
    *("evidence_id", "by_id", "share_of", "year"),
]


def share_qualifier(count_qualifier: str, plugs_qualifier: str) -> str:
    """How a share computed as a count over the network's plugs is hedged (a quotient: 70,000 built over "more
    than 138,000" plugs is at most 51 %): 'exact', 'at_least', 'upper_bound', or 'approx' where nothing bounds it."""
    return quotient_qualifier(count_qualifier or "exact", [plugs_qualifier or "exact"])


def eligibility_timeline(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    progress: pd.DataFrame,
    initiative: str,
    plugs: float,
    plugs_qualifier: str = "exact",
) -> pd.DataFrame:
    """The initiative's targets and achieved deployment over time (progress.csv), each both as a share of its
    network's ``plugs`` and as plugs: a cited share is multiplied by ``plugs``, a cited count divided by it (and
    its share hedged by ``plugs_qualifier`` too: a count over "more than" N plugs is at most its share).

    A target is dated by its ``by_evidence_id`` row's value (a year) when it has one, else by its own date.
    """
    return pd.DataFrame(
        timeline_points(figures, external, progress, initiative, plugs, plugs_qualifier), columns=PROGRESS_COLUMNS
    )


def timeline_points(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    progress: pd.DataFrame,
    initiative: str,
    plugs: float,
    plugs_qualifier: str = "exact",
) -> list[dict]:
    """The rows of ``eligibility_timeline``, as dicts in date order (targets after achieved on a tie)."""
    out = []
    for record in grouped_records(progress, ("initiative",)).get((initiative,), []):
        if record["kind"] == "start":
            continue
        row = evidence_row(record["evidence_id"], figures, external)
        # A count of households or dwellings is no share of the network's plugs: never divided by them (the
        # Tarn's 120,000 "foyers" over its 138,000 plugs drew an "87 %" of nothing the sources count).
        of_plugs = row["unit"] == "share" or row["unit"] in PLUG_UNITS or record["kind"] == "target"
        share = (row["value"] if row["unit"] == "share" else row["value"] / plugs) if of_plugs else float("nan")
        stated = combined_qualifier([row["qualifier"]])  # the figure's own hedge: "plus de 138 000"
        qualifier = (
            ""  # no share, no hedge of one
            if not of_plugs
            else stated
            if row["unit"] == "share"
            else share_qualifier(row["qualifier"], plugs_qualifier)
        )
        # What the share counts: a cited share's own base as its source words it (progress.csv), a count's the
        # network's plugs it is divided by; none where there is no share.
        base = record.get("share_of")
        if row["unit"] == "share":
            share_of = base if isinstance(base, str) and base else "unstated"
        else:
            share_of = "plugs" if of_plugs else ""
        date, by_id = row["as_of"], record["evidence_id"]
        by = record.get("by_evidence_id")
        if record["kind"] == "target" and isinstance(by, str) and by:
            date, by_id = str(int(evidence_row(by, figures, external)["value"])), by
        out.append(
            {
                "date": date,
                "share": share,
                "qualifier": qualifier,  # how the share is hedged (a count over "more than" N plugs: at most)
                "stated_qualifier": stated,
                "plugs": share * plugs,
                "cited_as": "share" if row["unit"] == "share" else "count",
                "share_of": share_of,
                "unit": row["unit"],  # a count's own unit (plugs, households…): a share of plugs only if plugs
                "kind": record["kind"],
                "source": row["source"],
                "quote": row["quote"],
                "evidence_id": record["evidence_id"],
                # Where the target's year is stated: its own figure's date, or the row progress.csv names.
                "by_id": by_id,
            }
        )
    for point in out:
        point["year"] = decimal_year(point["date"])
    return sorted(out, key=lambda point: (point["year"], point["kind"]))


def start_of(figures: pd.DataFrame, external: pd.DataFrame, progress: pd.DataFrame, initiative: str):
    """(date, decimal year, evidence id) of the initiative's start (progress.csv), or None.

    A row giving a year is read as the start of that year, unless its own date is a day of that same year
    (the day a contract was signed)."""
    starts = [r for r in grouped_records(progress, ("initiative",)).get((initiative,), []) if r["kind"] == "start"]
    if not starts:
        return None
    evidence_id = starts[0]["evidence_id"]
    row = evidence_row(evidence_id, figures, external)
    year = str(int(row["value"])) if row["unit"] == "year" else row["as_of"][:4]
    if row["as_of"].startswith(year) and len(row["as_of"]) == 10:
        return row["as_of"], decimal_year(row["as_of"]), evidence_id
    return year, float(year), evidence_id


def targets_against_achieved(timeline: pd.DataFrame, external: pd.DataFrame, initiative: str) -> pd.DataFrame:
    """Each target (the initiative's own, and the national plan's goals) against the latest share achieved
    by the end of the target's year; the national goals are of all premises nationally."""
    return pd.DataFrame(target_rows(timeline.to_dict("records"), external, initiative), columns=TARGET_COLUMNS)


TARGET_COLUMNS = [
    "initiative",
    "target",
    "by",
    "target_share",
    "target_id",
    "target_qualifier",
    "cited_as",
    "achieved_by_then",
    "achieved_qualifier",
    "achieved_as_of",
    "achieved_id",
    "reached_on",
    "reached_id",
    "by_id",
    "target_share_of",  # what an own target's share counts (progress.csv's share_of); empty for a count or a goal
    "achieved_share_of",  # what the count set against it counts: the same, for a share of it to be said
]


NOT_YET = "not yet"  # targets.csv's reached_on for a target no count has reached
# A target's count as its source hedges it ("plus de 138 000 prises": "own target: at least 138,000 plugs"); each
# wording has its template in language.datatext, so that the editions translate it.
HEDGE_WORDS = {"at_least": "at least ", "upper_bound": "at most ", "approx": "about "}


# How targets.csv cites a national goal (by its year); a network's own target is cited as a share or a count.
NATIONAL_GOAL = "year"


def own_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """The rows of targets.csv that are networks' own targets, chosen by their kind (``cited_as``), never by their
    words."""
    return targets[targets["cited_as"] != NATIONAL_GOAL]


def target_rows(points: list[dict], external: pd.DataFrame, initiative: str) -> list[dict]:
    """The rows of ``targets_against_achieved`` from timeline points in date order."""
    achieved = [t for t in points if t["kind"] == "achieved"]
    goals = [
        {
            # A share of inhabitants says so ("two Gersois in three" is not a share of premises).
            "target": (
                f"own target: {t['share']:.0%} of inhabitants eligible"
                if t.get("share_of") == "inhabitants"
                else f"own target: {t['share']:.0%} eligible"
            )
            if t["cited_as"] == "share"
            else f"own target: {HEDGE_WORDS.get(t['stated_qualifier'], '')}{t['plugs']:,.0f} plugs",
            "by": str(t["date"])[:4],
            "target_share": t["share"],
            "target_id": t["evidence_id"],
            "target_qualifier": t["stated_qualifier"],  # "plus de 138 000 prises": at least that many
            "by_id": t["by_id"],
            # How the source states the target (a share, or a count of plugs), so prose can quote it that way.
            "cited_as": t["cited_as"],
            "share_of": t.get("share_of") or "",  # what the share counts: only counts of the same are set against it
        }
        for t in points
        if t["kind"] == "target"
    ]
    goals += [
        {
            # The goal without its closing "by": the year is the next column ("…very high speed by" ended mid-phrase).
            "target": f"national plan: {r['figure'].removesuffix(' by')}",
            "by": str(int(r["value"])),
            "target_share": 1.0,
            "target_id": reference_id(r),
            "target_qualifier": "exact",  # all premises by a year
            "by_id": reference_id(r),
            "cited_as": NATIONAL_GOAL,
        }
        for r in grouped_records(external, ("topic",)).get(("national",), [])
        if r["unit"] == "year"
    ]
    # A count is a share of the network's plugs only when it counts plugs: a count of households or dwellings
    # against plugs would mix denominators, so no share is stated for it (the count is still named in the row).
    # An own target is set only against counts of what it counts: "two Gersois in three" (inhabitants) is not
    # reached by a bare "70 %" or by a share of dwellings, only by a later share of inhabitants. The national goals,
    # of all premises, are set against each network's counts as they are (Table 8 sets the State's series beside).
    out = []
    for goal in goals:
        base = goal.pop("share_of", "")
        alike = [t for t in achieved if not base or (t.get("share_of") or "") == base]
        by_then = [t for t in alike if t["year"] < int(goal["by"]) + 1]
        last = by_then[-1] if by_then else None
        comparable = last is not None and (last["cited_as"] == "share" or last.get("unit") in PLUG_UNITS)
        reached = [t for t in alike if t["share"] >= goal["target_share"] - 1e-9]
        out.append(
            {
                "initiative": initiative,
                **goal,
                "achieved_by_then": last["share"] if comparable else float("nan"),
                "achieved_qualifier": last["qualifier"] if comparable else "",
                "achieved_as_of": last["date"] if last is not None else "",
                "achieved_id": last["evidence_id"] if last is not None else "",
                "target_share_of": base,
                "achieved_share_of": (last.get("share_of") or "") if last is not None else "",
                "reached_on": reached[0]["date"] if reached else NOT_YET,
                # Not reached: the last count, so that "not yet" says by when it was not (a date, not a guess).
                "reached_id": reached[0]["evidence_id"]
                if reached
                else (achieved[-1]["evidence_id"] if achieved else ""),
            }
        )
    return out


def deployment_pace(timeline: pd.DataFrame, start: tuple[str, float, str] | None):
    """Plugs made eligible per year between successive achieved points of ``timeline`` (eligibility_timeline),
    from ``start`` (start_of) on.

    Shares of inhabitants and of premises are treated alike: the sources do not always say which. A count of
    households or dwellings is left out (never read as plugs), and so is a point below an earlier one (the sources
    disagree, the network did not shrink).
    """
    return pd.DataFrame(pace_rows(timeline.to_dict("records"), start), columns=PACE_COLUMNS)


PACE_COLUMNS = ["from", "to", "years", "plugs_from", "plugs_to", "plugs_per_year", "evidence_id"]


def pace_rows(timeline: list[dict], start: tuple[str, float, str] | None) -> list[dict]:
    """The rows of ``deployment_pace`` from timeline points in date order."""
    if start is None:
        return []
    points = [{"date": start[0], "year": start[1], "plugs": 0.0, "evidence_id": start[2]}]
    for point in (t for t in timeline if t["kind"] == "achieved"):
        # A count of households or dwellings is not a count of plugs: read as plugs it would mix denominators
        # (the Tarn's 120,000 "foyers" after 70,000 plugs built made a pace of 49,000 plugs a year).
        if point.get("cited_as") == "count" and point.get("unit") not in PLUG_UNITS:
            continue
        # A share below an earlier one comes from a source of another base or date precision (73 % in July
        # 2023 after 77 % dated only "2023"): the network never shrank, so such a point is left out.
        if point["plugs"] >= points[-1]["plugs"] and point["year"] > points[-1]["year"]:
            points.append(point)
    out = []
    for before, after in pairwise(points):
        years = after["year"] - before["year"]
        out.append(
            {
                "from": before["date"],
                "to": after["date"],
                "years": years,
                "plugs_from": before["plugs"],
                "plugs_to": after["plugs"],
                "plugs_per_year": (after["plugs"] - before["plugs"]) / years,
                "evidence_id": after["evidence_id"],
            }
        )
    return out


def milestones(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    chosen: pd.DataFrame,
    lang: str = "en",
    words: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The dated events of milestones.csv, each from its evidence row: a row giving a year is dated by that
    year (or by its own day, when that day is of the same year), any other by its own date; ``{value}`` in
    the event's words becomes the row's value. In another edition's language (``lang``) the event's words are
    its translation (``words``: the study's words.csv) and the value is written as that edition writes numbers."""
    from divide_study.language.datatext import DataText
    from divide_study.language.formats import Formats

    said, formats = DataText(lang, words), Formats(lang)
    out = []
    for number, record in enumerate(chosen.to_dict("records"), start=1):
        row = evidence_row(record["evidence_id"], figures, external)
        if row["unit"] == "year":
            year = str(int(row["value"]))
            date = row["as_of"] if row["as_of"].startswith(year) and len(row["as_of"]) == 10 else year
        else:
            date = row["as_of"]
        value = formats.share(row["value"]) if row["unit"] == "share" else formats.number(row["value"])
        out.append(
            {
                "initiative": _initiative_of(record["evidence_id"], figures),
                "date": date,
                "event": _event(said, record["event"], number).replace("{value}", value),
                "source": row["source"],
                "quote": row["quote"],
                "evidence_id": record["evidence_id"],
            }
        )
    frame = pd.DataFrame(out, columns=["initiative", "date", "event", "source", "quote", "evidence_id"])
    frame["year"] = frame["date"].map(decimal_year)
    return frame.sort_values(["initiative", "year", "event"], ignore_index=True)


def _event(said, event: str, row: int) -> str:
    """A milestone's words in the edition's language; a missing translation is said with its row of the data."""
    from divide_study.errors import DataError
    from divide_study.language.datatext import MissingDataText

    try:
        return said(event, "milestones.csv", "event")
    except MissingDataText as exc:
        raise DataError("data/processed/milestones.csv", str(exc), row=row, column="event") from exc


def _initiative_of(evidence_id: str, figures: pd.DataFrame) -> str:
    """An article figure's initiative, or a reference row's topic (the initiative's id)."""
    found = records(figures, "figure_id").get(evidence_id)
    return str(found["initiative"]) if found is not None else evidence_id.split("|")[0]
