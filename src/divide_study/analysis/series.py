"""Every département over time: the FTTH series 2017–2024, its 2026 end point, and the claims checked against it.

What the series is: the share of **all** a département's premises able to connect to FTTH at each quarter's end
(the State's *baromètre des résultats*, two files joined on the quarter: ``data.barometre``). What it cannot
separate, said wherever it is used:

* the zone: the share is of the whole département, whoever built the plugs; the Gers's Auch agglomeration and
  the Tarn's Albi and Castres-Mazamet agglomerations were built by private operators, so a département's share
  is not its public network's;
* the basis: ARCEP counted premises from INSEE's dwellings and business sites until 2020, then from operators'
  address data, which count more premises; a share may dip, and a pace across 2020 mixes the two bases.

The Gers and the Tarn are set against every metropolitan département and against their rural peers, the
départements the 2018 national panel finds most like each (``analysis.panel.peers``: share of dwellings in rural
communes and in the public-initiative zone, ARCEP Q1 2018), so both analyses use one definition.

Pace is in percentage points per year between two quarter-ends, over the same windows for every subject: from
each network's FTTH start (the last quarter-end on or before it, or the series' first if it started earlier)
and over 2019–2024 for both (from the quarter ending 31 December 2018), each to the series' last quarter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from divide_study.analysis.quoted import Quotes, sum_rows
from divide_study.analysis.quoting import read_date, read_evidence
from divide_study.analysis.quoting import slug as key_part
from divide_study.data.barometre import quarter_of
from divide_study.data.tables import read_table
from divide_study.errors import DataError, StudyError

STEP = "series"
# The key of a number of a département the study does not follow by name, read back: its code, then the measure.
QUOTED_KEY = rf"{STEP}\.departement_(?P<row>[0-9a-z]+)\.(?P<column>.+)"


def departement_part(code: str) -> str:
    """A département's part of a quoted key ('2A' -> 'departement_2a'), when it is no studied initiative."""
    return f"departement_{code.lower()}"


THRESHOLDS = (0.5, 0.8)  # the shares whose crossing quarter is reported (issue 21)
# The windows pace is measured over are data (data/raw/series_windows.csv): a name, the reference row dating the
# start (external_figures' topic|figure|as_of) or a fixed day, and the network's département and initiative.
METRO_MEDIAN, PEERS_MEDIAN = "metropolitan_median", "peers_median"
# Premises counted from INSEE dwellings + business sites until 2020, from operators' addresses after.
BASIS_CHANGE = "2020-01-01"
ARCEP_DEPARTEMENTS = "data/raw/arcep_2018/departements.csv"  # ARCEP's 2018 dwellings and business sites
# A target a national plan states (a reference row of topic "national") is an aggregate, not one set for each
# département: the series says whether a département is below or at it, never that it missed its own target.
NATIONAL = "national"
NATIONAL_VERDICTS = {"target_missed": "below_the_national_aim", "target_met": "at_the_national_aim"}
VERDICTS = (
    "consistent",
    "below_the_national_aim",
    "at_the_national_aim",
    "not_above_the_series",  # a network's count below the whole département's: possible, not confirmed
    "higher_than_the_series",
    "lower_than_the_series",
    "target_met",
    "target_missed",
    "not_confirmed",
    "cannot_be_checked",
)
ZONE_NOTE = (
    "The share is of all the département's premises, whoever built the plugs: private operators built the "
    "Auch agglomeration (Gers) and the Albi and Castres-Mazamet agglomerations (Tarn), so it is not the public "
    "network's share."
)
BASIS_NOTE = (
    "Premises were counted from INSEE dwellings and business sites until 2020, then from operators' address "
    "data, which count more: a share may dip, and a pace across 2020 mixes the two bases."
)


# --- trajectories -----------------------------------------------------------------------------------------


def rounding(decimals: pd.Series | int) -> pd.Series | float:
    """Half the last printed digit of a share (a fraction): 0.005 for whole percent, 0.00005 for two decimals."""
    return (
        0.5 * 10.0 ** (-pd.Series(decimals).astype(float) - 2)
        if not isinstance(decimals, int)
        else (0.5 * 10.0 ** (-decimals - 2))
    )


def crossings(series: pd.DataFrame, thresholds: tuple[float, ...] = THRESHOLDS) -> pd.DataFrame:
    """For every département and threshold: the first quarter-end at which its share was at least the threshold.

    ``status`` is ``crossed`` (the quarter before was below), ``before_series`` (already at or above it in the
    series' first quarter: the crossing is earlier and unknown) or ``not_by_series_end``. A share that dips below
    again later does not move the first crossing.
    """
    ordered = series.sort_values(["department", "quarter"]).reset_index(drop=True)
    by = ordered.groupby("department", sort=True)
    ordered = ordered.assign(position=by.cumcount(), previous_share=by["share"].shift(1))
    base = by.agg(
        department_name=("department_name", "first"),
        metropolitan=("metropolitan", "first"),
        last_quarter=("quarter", "last"),
        last_share=("share", "last"),
    )
    frames = []
    for threshold in thresholds:
        reached = ordered[ordered["share"] >= threshold - 1e-12].groupby("department", sort=True).head(1)
        first = reached.set_index("department")[
            ["quarter", "quarter_end", "share", "previous_share", "source_file", "source_row", "position"]
        ]
        frame = base.join(first, how="left")
        frame["status"] = np.select(
            [frame["position"].isna(), frame["position"] == 0], ["not_by_series_end", "before_series"], "crossed"
        )
        frame.loc[frame["status"] == "before_series", "previous_share"] = math.nan
        frames.append(frame.assign(threshold=threshold).reset_index())
    frame = pd.concat(frames, ignore_index=True).sort_values(["department", "threshold"], kind="stable")
    frame[["quarter", "quarter_end", "source_file"]] = frame[["quarter", "quarter_end", "source_file"]].fillna("")
    frame["source_row"] = frame["source_row"].astype("Int64")
    frame["metropolitan"] = frame["metropolitan"].astype(bool)
    frame["series_end"] = series["quarter"].max()
    return frame[CROSSING_COLUMNS].reset_index(drop=True)


CROSSING_COLUMNS = [
    "department",
    "department_name",
    "metropolitan",
    "threshold",
    "status",
    "quarter",
    "quarter_end",
    "share",
    "previous_share",
    "source_file",
    "source_row",
    "last_quarter",
    "last_share",
    "series_end",
]


def rank_of_crossing(crossed: pd.DataFrame, department: str, threshold: float) -> dict:
    """How many metropolitan départements reached ``threshold`` before ``department`` (earlier quarter), and how
    many at all by the series' end."""
    metro = crossed[crossed["metropolitan"] & (crossed["threshold"] == threshold)]
    own = metro.loc[metro["department"] == department].iloc[0]
    done = metro[metro["status"] != "not_by_series_end"]
    earlier = int((done["quarter"] < own["quarter"]).sum()) if own["quarter"] else len(done)
    return {"earlier": earlier, "reached": len(done), "metropolitan": len(metro)}


def window_starts(
    windows: pd.DataFrame, external: pd.DataFrame, first_quarter_end: str, path: Path | str = "series_windows.csv"
) -> pd.DataFrame:
    """Each window's start date (from its reference row, chosen by its id, or its fixed day) and the quarter-end
    it is measured from: the last one on or before the start, or the series' first when the start is earlier."""
    ids = external["topic"] + "|" + external["figure"] + "|" + external["as_of"].astype(str)
    rows = []
    for number, window in enumerate(windows.to_dict("records"), start=1):
        evidence, key = window["evidence_id"], f"window={window['window']}"
        if bool(evidence) == bool(window["start"]):
            raise DataError(
                path, "give either a reference row (evidence_id) or a start day", row=number, key=key, column="start"
            )
        if evidence:
            found = external[ids == evidence]
            if found.empty:
                raise DataError(
                    path, f"no row {evidence!r} in external_figures.csv", row=number, key=key, column="evidence_id"
                )
            start = str(found["as_of"].iloc[0])
        else:
            start = window["start"]
        if len(start) != 10:
            raise DataError(path, f"the start {start!r} is not a day", row=number, key=key, column="evidence_id")
        rows.append({"window": window["window"], "start_event": start, "evidence_id": evidence})
    frame = pd.DataFrame(rows)
    frame["from_quarter"] = [_last_quarter_on_or_before(start, first_quarter_end) for start in frame["start_event"]]
    return frame


def _last_quarter_on_or_before(day: str, first_quarter_end: str) -> str:
    period = pd.Period(day, freq="Q")
    end = period.end_time.strftime("%Y-%m-%d")
    quarter = period if end <= day else period - 1
    label = f"{quarter.year}-Q{quarter.quarter}"
    first = quarter_of(pd.Series([first_quarter_end])).iloc[0]
    return max(label, first)


def points_per_year(series: pd.DataFrame, from_quarter: str, to_quarter: str) -> tuple[pd.DataFrame, float]:
    """Every département's share at both quarter-ends and the percentage points it gained per year between them
    (départements with a share at both only); and the years between the two quarter-ends."""
    years = (pd.Timestamp(_end_of(to_quarter)) - pd.Timestamp(_end_of(from_quarter))).days / 365.25
    if years <= 0:
        raise StudyError(f"a pace needs its start ({from_quarter}) before its end ({to_quarter})")
    share = series.pivot(index="department", columns="quarter", values="share")
    if from_quarter not in share.columns or to_quarter not in share.columns:
        raise StudyError(f"the series has no {from_quarter} or no {to_quarter}")
    both = share[[from_quarter, to_quarter]].dropna()
    both.columns = ["share_start", "share_end"]
    return both.assign(points_per_year=(both["share_end"] - both["share_start"]) * 100 / years), years


def pace(series: pd.DataFrame, windows: pd.DataFrame, studied: list[str], peers: dict[str, list[str]]) -> pd.DataFrame:
    """Points gained per year over each window: by each studied département, and the median of each
    département's pace among the metropolitan départements and among each studied one's peers."""
    end_quarter = series["quarter"].max()
    first = series.drop_duplicates("department").set_index("department")
    names, metro = first["department_name"], first["metropolitan"]
    rows = []
    for window in windows.itertuples():
        gained, years = points_per_year(series, window.from_quarter, end_quarter)
        common = {
            "window": window.window,
            "start_event": window.start_event,
            "evidence_id": window.evidence_id,
            "from_quarter": window.from_quarter,
            "to_quarter": end_quarter,
            "years": round(years, 4),
        }
        for code in studied:
            if code not in gained.index:
                raise StudyError(f"département {code} has no share in {window.from_quarter} or {end_quarter}")
            own = gained.loc[code]
            rows.append(
                {
                    **common,
                    "subject": code,
                    "subject_name": names[code],
                    "kind": "department",
                    "of": "",
                    "share_start": own["share_start"],
                    "share_end": own["share_end"],
                    "points_per_year": own["points_per_year"],
                    "departments": 1,
                }
            )
        groups = [(METRO_MEDIAN, "metropolitan départements (median)", "", gained[metro.reindex(gained.index)])]
        groups += [
            (f"{PEERS_MEDIAN}_{code}", f"peers of {names[code]} (median)", code, gained.reindex(peers[code]).dropna())
            for code in studied
        ]
        for subject, name, of, group in groups:
            rows.append(
                {
                    **common,
                    "subject": subject,
                    "subject_name": name,
                    "kind": "median",
                    "of": of,
                    "share_start": math.nan,
                    "share_end": math.nan,
                    "points_per_year": float(group["points_per_year"].median()),
                    "departments": len(group),
                }
            )
    return pd.DataFrame(rows)[PACE_COLUMNS]


PACE_COLUMNS = [
    "window",
    "start_event",
    "evidence_id",
    "subject",
    "subject_name",
    "kind",
    "of",
    "from_quarter",
    "to_quarter",
    "years",
    "share_start",
    "share_end",
    "points_per_year",
    "departments",
]


def _end_of(quarter: str) -> str:
    return pd.Period(quarter.replace("-Q", "Q"), freq="Q").end_time.strftime("%Y-%m-%d")


def medians(series: pd.DataFrame, peers: dict[str, list[str]]) -> pd.DataFrame:
    """The median share by quarter of the metropolitan départements and of each studied one's peers."""
    metro = series[series["metropolitan"]]
    out = [metro.groupby("quarter")["share"].median().rename(METRO_MEDIAN)]
    for code, group in peers.items():
        out.append(
            series[series["department"].isin(group)]
            .groupby("quarter")["share"]
            .median()
            .rename(f"{PEERS_MEDIAN}_{code}")
        )
    return pd.concat(out, axis=1).reset_index()


def chart_data(series: pd.DataFrame, endpoint: pd.DataFrame, studied: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lines of the chart (every metropolitan département, the studied ones marked, and the metropolitan
    median by quarter) and its end points (the studied départements' and the metropolitan median's, 2026)."""
    metro = series[series["metropolitan"]]
    lines = metro[["department", "department_name", "quarter", "quarter_end", "share"]].assign(
        role=metro["department"].map(lambda code: "studied" if code in studied else "other")
    )
    median = metro.groupby(["quarter", "quarter_end"], as_index=False)["share"].median()
    median = median.assign(department=METRO_MEDIAN, department_name="metropolitan median", role="median")
    lines = pd.concat([lines, median[lines.columns]], ignore_index=True)
    metro_end = endpoint[endpoint["department"].isin(set(metro["department"]))]
    names = metro.drop_duplicates("department").set_index("department")["department_name"]
    points = metro_end[metro_end["department"].isin(studied)][["department", "as_of", "ftth_share"]]
    points = points.assign(department_name=points["department"].map(names))
    points = points.assign(role="studied")
    middle = pd.DataFrame(
        {
            "department": [METRO_MEDIAN],
            "department_name": ["metropolitan median"],
            "as_of": [metro_end["as_of"].iloc[0]],
            "ftth_share": [float(metro_end["ftth_share"].median())],
            "role": ["median"],
        }
    )
    return lines, pd.concat([points, middle], ignore_index=True)


# --- the claims -------------------------------------------------------------------------------------------


@dataclass
class Evidence:
    value: float
    as_of: str
    table: str
    row: dict


def resolve_evidence(evidence_id: str, figures: pd.DataFrame, external: pd.DataFrame) -> Evidence:
    """The row stating a claim, by its id: a figure_id of figures.csv, or topic|figure|as_of of
    external_figures.csv."""
    if "|" in evidence_id:
        topic, figure, as_of = evidence_id.split("|")
        found = external[(external["topic"] == topic) & (external["figure"] == figure) & (external["as_of"] == as_of)]
        if found.empty:
            raise KeyError(evidence_id)
        return Evidence(
            float(found["value"].iloc[0]),
            as_of,
            "data/processed/external_figures.csv",
            {"topic": topic, "figure": figure, "as_of": as_of},
        )
    found = figures[figures["figure_id"] == evidence_id]
    if found.empty:
        raise KeyError(evidence_id)
    return Evidence(
        float(found["value"].iloc[0]),
        str(found["as_of"].iloc[0]),
        "data/processed/figures.csv",
        {"figure_id": evidence_id},
    )


def quarters_said(as_of: str) -> tuple[list[str], str]:
    """The quarter(s) a date speaks for: a day or month -> the quarter holding it; a year -> its four."""
    if len(as_of) == 4:
        return [f"{as_of}-Q{n}" for n in range(1, 5)], "year"
    day = as_of if len(as_of) == 10 else f"{as_of}-01"
    return [quarter_of(pd.Series([day])).iloc[0]], "quarter"


def _series_text(rows: pd.DataFrame) -> str:
    return "; ".join(f"{q} {s:.{d}%}" for q, s, d in zip(rows["quarter"], rows["share"], rows["decimals"], strict=True))


def _first_reaching(own: pd.DataFrame, share: float) -> str:
    """The first quarter whose share, within its own rounding, reaches ``share``."""
    reached = own[own["share"] + rounding(own["decimals"]).to_numpy() >= share - 1e-12]
    return reached["quarter"].iloc[0] if not reached.empty else ""


def check_share(claim: dict, own: pd.DataFrame) -> dict:
    """A claimed share against the series in the quarter(s) it was said in, within both roundings."""
    quarters, precision = quarters_said(claim["as_of"])
    rows = own[own["quarter"].isin(quarters)]
    claimed, tolerance = claim["claimed"], claim["tolerance_points"] / 100
    reached = _first_reaching(own, claimed)
    reached_text = (
        f"the series first reached {claimed:.0%} in {reached}"
        if reached
        else (f"the series had not reached {claimed:.0%} by {own['quarter'].iloc[-1]}")
    )
    if rows.empty:
        return {
            "verdict": "cannot_be_checked",
            "quarter": "",
            "series_value": math.nan,
            "data_show": f"No quarter of the series covers {claim['as_of']}; {reached_text}.",
            "data_cannot_show": "The share on the date it was said.",
        }
    low = float((rows["share"] - rounding(rows["decimals"]).to_numpy()).min())
    high = float((rows["share"] + rounding(rows["decimals"]).to_numpy()).max())
    missing = [q for q in quarters if q not in set(rows["quarter"])]
    if claimed - tolerance > high:
        verdict = "cannot_be_checked" if missing and precision == "year" else "higher_than_the_series"
    elif claimed + tolerance < low:
        verdict = "cannot_be_checked" if missing and precision == "year" else "lower_than_the_series"
    else:
        verdict = "consistent"
    gap = claimed - float(rows["share"].iloc[-1] if precision == "quarter" else rows["share"].max())
    show = (
        f"Series, {'the quarter it was said in' if precision == 'quarter' else 'the year it was said in'}: "
        f"{_series_text(rows)}"
        + (f" (the series ends in {own['quarter'].iloc[-1]}: {', '.join(missing)} not covered)" if missing else "")
        + f"; the claim is {gap * 100:+.1f} points from the {'quarter' if precision == 'quarter' else 'highest'}"
        f" value; {reached_text}."
    )
    return {
        "verdict": verdict,
        "quarter": rows["quarter"].iloc[-1] if precision == "quarter" else rows.loc[rows["share"].idxmax(), "quarter"],
        "series_value": float(rows["share"].iloc[-1] if precision == "quarter" else rows["share"].max()),
        "data_show": show,
        "data_cannot_show": "Whether the claim meant the public network's zone rather than the whole département, "
        "or inhabitants rather than premises: the series is a share of all premises.",
    }


def check_target(claim: dict, own: pd.DataFrame, endpoint: pd.Series | None = None) -> dict:
    """A share due by a date, against the quarter holding that date. A date after the series' end is checked
    against the end point (``endpoint``: the département's row of ``fibre_endpoint_2026``) when that is later
    than the due date: a share still short of the target then was short of it on the due date too (the share
    of premises able to connect only grows), so the target was missed; a share that reached it cannot say when."""
    quarter = quarters_said(claim["as_of"])[0][-1]
    rows = own[own["quarter"] == quarter]
    claimed, tolerance = claim["claimed"], claim["tolerance_points"] / 100
    reached = _first_reaching(own, claimed)
    reached_text = (
        f"reached in {reached}"
        if reached
        else (f"not reached by {own['quarter'].iloc[-1]} ({own['share'].iloc[-1]:.{own['decimals'].iloc[-1]}%})")
    )
    if rows.empty and not reached and endpoint is not None and str(endpoint["as_of"]) >= str(claim["as_of"]):
        share = float(endpoint["ftth_share"])
        missed = share + tolerance < claimed
        return {
            "verdict": "target_missed" if missed else "cannot_be_checked",
            "quarter": "",
            "series_value": share,
            "data_show": f"The series does not cover {quarter}; {reached_text}; on {endpoint['as_of']}, after the due "
            f"date, the end point gives {share:.1%}"
            + (", short of the target then, so short of it on the due date too." if missed else "."),
            "data_cannot_show": "The public network's own progress: the series is the whole département's, built by "
            "public and private networks alike; the quarter's end may be up to two months after the due date.",
        }
    if rows.empty:
        return {
            "verdict": "cannot_be_checked",
            "quarter": quarter,
            "series_value": math.nan,
            "data_show": f"The series does not cover {quarter}; {reached_text}.",
            "data_cannot_show": "The share on the due date.",
        }
    value = float(rows["share"].iloc[0])
    high = value + float(rounding(int(rows["decimals"].iloc[0])))
    verdict = "target_met" if high >= claimed - tolerance else "target_missed"
    return {
        "verdict": verdict,
        "quarter": quarter,
        "series_value": value,
        "data_show": f"Series in {quarter}, the quarter holding the due date: {_series_text(rows)}; "
        f"{claimed:.0%} {reached_text}.",
        "data_cannot_show": "The public network's own progress: the series is the whole département's, built by "
        "public and private networks alike; the quarter's end may be up to two months after the due date.",
    }


def check_count(claim: dict, own: pd.DataFrame, premises: dict[str, tuple[int, str]]) -> dict:
    """A network's claimed count against the whole département's premises able to connect then (share ×
    premises of the same basis): the network's count cannot exceed it."""
    quarters, precision = quarters_said(claim["as_of"])
    rows = own[own["quarter"].isin(quarters)]
    if rows.empty:
        return {
            "verdict": "cannot_be_checked",
            "quarter": "",
            "series_value": math.nan,
            "data_show": f"No quarter of the series covers {claim['as_of']}.",
            "data_cannot_show": "The count on the date it was said.",
        }
    row = rows.iloc[-1] if precision == "quarter" else rows.loc[rows["share"].idxmax()]
    basis = "before" if row["quarter_end"] < BASIS_CHANGE else "after"
    count, basis_text = premises[basis]
    share_high = row["share"] + float(rounding(int(row["decimals"])))
    estimate, high = row["share"] * count, share_high * count
    claimed = claim["claimed"]
    # The series bounds a network's count from above only: a count under it is possible, never confirmed by it.
    verdict = "not_above_the_series" if claimed <= high else "higher_than_the_series"
    return {
        "verdict": verdict,
        "quarter": row["quarter"],
        "series_value": round(estimate),
        "data_show": f"{row['quarter']}: {row['share']:.{int(row['decimals'])}%} of {count:,} premises ({basis_text}) "
        f"is about {estimate:,.0f} premises able to connect in the whole département (at most {high:,.0f} with the "
        f"share's rounding); the claimed {claimed:,.0f} is {claimed / estimate:.0%} of it.",
        "data_cannot_show": "How many of them the public network built: the count is the whole département's, "
        "private zones included; the premises are counted on one date, not the quarter's.",
    }


def check_zone_complete(claim: dict, endpoint: pd.Series) -> dict:
    """A network's zone declared complete, against the whole département's share at the 2026 end point."""
    share, count = float(endpoint["ftth_share"]), int(endpoint["premises"])
    not_yet = round(count * (1 - share))
    verdict = "consistent" if share >= claim["claimed"] - claim["tolerance_points"] / 100 else "not_confirmed"
    return {
        "verdict": verdict,
        "quarter": "",
        "series_value": share,
        "data_show": f"On {endpoint['as_of']}, {share:.1%} of the département's {count:,} premises could connect to "
        f"FTTH (ARCEP's Ma connexion internet, through a third party's import: a derivative), so about {not_yet:,} "
        "could not.",
        "data_cannot_show": "Which zone the premises that could not connect are in: the end point is the whole "
        "département's, and its private zone was built by another operator; it is five months after the claim.",
    }


def check_claims(
    claims: pd.DataFrame,
    series: pd.DataFrame,
    endpoint: pd.DataFrame,
    premises_2018: dict[str, tuple[int, str]],
    figures: pd.DataFrame,
    external: pd.DataFrame,
    claims_path: Path | str = "series_claims.csv",
) -> pd.DataFrame:
    """Each claim with the value it states, the quarter checked, the verdict, and what the data show and cannot.

    ``premises_2018`` maps each département to its premises on the pre-2020 basis (ARCEP 2018: dwellings +
    business sites) with a note; after 2020 the 2026 end point's premises are the nearest count of that basis.
    """
    out = []
    for number, claim in enumerate(claims.to_dict("records"), start=1):
        key = f"claim_id={claim['claim_id']}"
        try:
            evidence = resolve_evidence(claim["evidence_id"], figures, external)
        except KeyError:
            raise DataError(
                claims_path,
                f"no figure or reference row {claim['evidence_id']!r}",
                row=number,
                column="evidence_id",
                key=key,
            ) from None
        own = series[series["department"] == claim["department"]].sort_values("quarter")
        if own.empty:
            raise DataError(
                claims_path,
                f"département {claim['department']!r} is not in the series",
                row=number,
                column="department",
                key=key,
            )
        claimed = claim["claimed"] if not pd.isna(claim["claimed"]) else evidence.value
        as_of = claim["as_of"] or evidence.as_of
        case = {**claim, "claimed": float(claimed), "as_of": as_of}
        department = claim["department"]
        if claim["test"] == "share":
            result = check_share(case, own)
        elif claim["test"] == "target":
            points = endpoint.set_index("department")
            result = check_target(case, own, points.loc[department] if department in points.index else None)
        elif claim["test"] == "count":
            point = endpoint.set_index("department").loc[department]
            premises = {
                "before": premises_2018[department],
                "after": (
                    int(point["premises"]),
                    f"the 2026 end point's count ({point['as_of']}), a later count "
                    "of the post-2020 basis, so the estimate is high",
                ),
            }
            result = check_count(case, own, premises)
        else:
            result = check_zone_complete(case, endpoint.set_index("department").loc[department])
        if claim["test"] == "target" and evidence.row.get("topic") == NATIONAL:
            result = {**result, "verdict": NATIONAL_VERDICTS.get(result["verdict"], result["verdict"])}
        # The first quarter the whole département's share reached the share a claim or target states (within its
        # rounding): when the State's series says it was reached, beside when a party says it was.
        reached = _first_reaching(own, float(claimed)) if claim["test"] in ("share", "target") else ""
        out.append(
            {
                "claim_id": claim["claim_id"],
                "department": department,
                "evidence_id": claim["evidence_id"],
                "evidence_table": evidence.table,
                "test": claim["test"],
                "claimed": float(claimed),
                "as_of": as_of,
                "date_basis": claim["date_basis"],
                "reading": claim["reading"],
                **result,
                "reached_quarter": reached,
            }
        )
    frame = pd.DataFrame(out)
    assert set(frame["verdict"]) <= set(VERDICTS), set(frame["verdict"]) - set(VERDICTS)
    return frame


def targets_on_the_series(
    targets: pd.DataFrame, claims: pd.DataFrame, end_dates: dict[str, str], departments: dict[str, str]
) -> pd.DataFrame:
    """Each target of targets.csv (on its index) against the State's series for its initiative's whole
    département (``departments``: initiative -> INSEE code) on the due date: the checked claim of series_claims.csv
    (test "target") that states it, chosen by id (the target's evidence id, or its year's), its share and the date
    of that share (the quarter's end, or the end point's date from ``end_dates``, département -> date, when the
    due date is after the series ends), and ``reached_on``, the end of the first quarter whose share reached the
    share due ("" where the series never did), and ``claimed``, the share the claim checks. A target no claim
    checks has empty cells, never a guess."""
    checked = claims[claims["test"] == "target"]
    rows = []
    for target in targets.to_dict("records"):
        code = departments.get(target["initiative"], "")
        found = checked[
            (checked["department"] == code) & checked["evidence_id"].isin({target["target_id"], target["by_id"]})
        ]
        if len(found) > 1:
            raise StudyError(
                f"series_claims.csv: claims {list(found['claim_id'])} all check the target {target['target_id']!r} "
                f"in département {code}: keep one"
            )
        if found.empty or pd.isna(found["series_value"].iloc[0]):
            rows.append(
                {"claim_id": "", "series_share": math.nan, "series_on": "", "reached_on": "", "claimed": math.nan}
            )
            continue
        row = found.iloc[0]
        quarter = row["quarter"] if isinstance(row["quarter"], str) else ""
        reached = row.get("reached_quarter", "")
        rows.append(
            {
                "claim_id": row["claim_id"],
                "series_share": float(row["series_value"]),
                "series_on": _end_of(quarter) if quarter else str(end_dates[code]),
                # When the series first reached the share due ("" if it never did): the official count's date
                # beside the one a party gives.
                "reached_on": _end_of(reached) if isinstance(reached, str) and reached else "",
                # The share the series is checked against: a national goal may be read by its fibre part only.
                "claimed": float(row["claimed"]) if "claimed" in row and not pd.isna(row["claimed"]) else math.nan,
            }
        )
    return pd.DataFrame(
        rows, index=targets.index, columns=["claim_id", "series_share", "series_on", "reached_on", "claimed"]
    )


# --- the step ---------------------------------------------------------------------------------------------


@dataclass
class SeriesResult:
    series: pd.DataFrame
    crossings: pd.DataFrame
    pace: pd.DataFrame
    peers: pd.DataFrame
    medians: pd.DataFrame
    endpoint: pd.DataFrame
    population: pd.DataFrame
    claims: pd.DataFrame
    quoted: pd.DataFrame
    definition: str
    initiative_of: dict[str, str]  # each studied département's initiative ("" if none): its colour on the chart


def peer_table(arcep, departments: list[str], peer_count: int) -> tuple[pd.DataFrame, dict[str, tuple]]:
    """The 2018 panel's peers of each studied département, and each département's premises on the pre-2020 basis
    (ARCEP's 2018 dwellings + business sites), from ARCEP's files (``data.arcep.load_arcep``)."""
    from divide_study.analysis import panel

    profile = panel.department_profile(panel.build_panel(arcep))
    rows = []
    for code in departments:
        like = panel.peers(profile, code, peer_count)
        rows += [
            {
                "department": code,
                "rank": n,
                "peer": r.department,
                "peer_name": r.department_name,
                "distance": r.distance,
                "rural_dwelling_share": r.rural_dwelling_share,
                "public_zone_dwelling_share": r.public_zone_dwelling_share,
            }
            for n, r in enumerate(like.itertuples(), start=1)
        ]
    stated = arcep.departements.set_index("Code département")
    # A département without business sites in ARCEP's file ('-') counts its dwellings only.
    counts = stated["Logements"].fillna(0) + stated["Établissements"].fillna(0)
    note = "ARCEP's 2018 count of dwellings and business sites, the pre-2020 basis"
    premises = {code: (int(count), note) for code, count in counts.items()}
    return pd.DataFrame(rows), premises


def run(
    raw_dir: Path, processed_dir: Path, departments: list[str], peer_count: int, out_dir: Path | None = None
) -> SeriesResult:
    """Read the series and its companions, place ``departments``, check the claims; write every table into
    ``out_dir`` (default ``processed_dir``) only once all succeeded."""
    from divide_study.config import SCHEMAS_DIR
    from divide_study.data.arcep import read_arcep_table
    from divide_study.data.barometre import load_barometre
    from divide_study.data.tables import write_csv_atomic

    out_dir = out_dir or processed_dir

    # Load inputs: the series (checked, fingerprinted), the 2018 panel's peers, the claims and their rows.
    data = load_barometre(raw_dir)
    unknown = sorted(set(departments) - set(data.series.loc[data.series["metropolitan"], "department"]))
    if unknown:
        raise StudyError(f"parameter panel_departments: {unknown} are not metropolitan départements of the series")
    from divide_study.data.arcep import load_arcep

    arcep = load_arcep(raw_dir / "arcep_2018")
    peers, premises_2018 = peer_table(arcep, departments, peer_count)

    def processed(name: str) -> pd.DataFrame:
        return read_table(processed_dir / f"{name}.csv", SCHEMAS_DIR / f"{name}.schema.json", validate=False)

    figures, external = processed("figures"), processed("external_figures")
    external = external.assign(as_of=external["as_of"].astype(str))
    claims_path = raw_dir / "series_claims.csv"
    claims = read_arcep_table(claims_path)

    # Process: crossings, pace, medians, the claims' verdicts, the quoted numbers.
    series = data.series
    crossed = crossings(series)
    groups = {code: list(peers.loc[peers["department"] == code, "peer"]) for code in departments}
    windows_path = raw_dir / "series_windows.csv"
    window_table = read_arcep_table(windows_path)
    windows = window_starts(window_table, external, series["quarter_end"].min(), windows_path)
    paced = pace(series, windows, departments, groups)
    checked = check_claims(claims, series, data.endpoint, premises_2018, figures, external, claims_path)
    population = data.population
    # Each network's département and initiative, from the windows: its colour on the chart, its quoted keys.
    named = window_table[window_table["initiative"] != ""]
    initiatives = dict(zip(named["department"], named["initiative"], strict=True))
    funding, evidence = processed("funding"), processed("evidence")
    own_windows = dict(zip(named["initiative"], named["window"], strict=True))
    quoted = quote(
        series,
        crossed,
        paced,
        data.endpoint,
        population,
        checked,
        departments,
        initiatives,
        groups,
        funding,
        evidence,
        own_windows,
        claims,
        arcep.departements,
    )

    # Save outputs, only now that every check passed.
    tables = {
        "fibre_series": series,
        "fibre_crossings": crossed,
        "fibre_pace": paced,
        "fibre_peers": peers,
        "fibre_endpoint_2026": data.endpoint[ENDPOINT_COLUMNS],
        "population_2023": population,
        "series_claims": checked,
        "quoted_series": quoted,
    }
    for name, frame in tables.items():
        write_csv_atomic(frame, out_dir / f"{name}.csv")
    return SeriesResult(
        series,
        crossed,
        paced,
        peers,
        medians(series, groups),
        data.endpoint,
        population,
        checked,
        quoted,
        data.definition,
        {code: initiatives.get(code, "") for code in departments},
    )


ENDPOINT_COLUMNS = [
    "department",
    "department_name",
    "iso_code",
    "name_in_file",
    "as_of",
    "premises",
    "ftth_share",
    "thd30_share",
    "source_file",
    "imported_at",
]


RAW = "data/raw/reference/barometre"
# The column of each raw file a share is read from (in %: the study's share is that value over 100).
SHARE_COLUMN = {"etalab": "valeur", "ditp": "indic_va"}
ZONE = "whole département, all networks (private zones included)"


def _raw_read(q: Quotes, name: str, point, field: str, unit: str, what: str, subject: str = "", as_of="") -> str:
    """One value of a quarter of the series (``field``: its share, or its quarter's end), read from the row of the
    raw baromètre file it comes from (``source_row``: data rows counted from 1)."""
    file = str(point["source_file"])
    return q.read(
        name,
        point[field],
        table=f"{RAW}/{file}",
        row={"row": int(point["source_row"])},
        column=SHARE_COLUMN[file.split("_", 1)[0]],
        unit=unit,
        nature="stated",
        what=what,
        scope=ZONE,
        subject=subject,
        as_of=as_of,
    )


def _raw_share(q: Quotes, name: str, point, what: str, subject: str = "") -> str:
    """A share of the series, as of its quarter's end, read from its raw row."""
    return _raw_read(q, name, point, "share", "share", what, subject, as_of=point["quarter_end"])


def _rate(q: Quotes, name: str, shares: pd.DataFrame, window, subject: str = "") -> str:
    """A département's percentage points gained per year over a window, from its shares at the window's two
    quarter-ends, each read from its raw row."""
    start, end = shares.loc[window["from_quarter"]], shares.loc[window["to_quarter"]]
    keys = [
        _raw_share(q, f"{name}.share_start", start, "share at the start of the window", subject),
        _raw_share(q, f"{name}.share_end", end, "share at the end of the window", subject),
    ]
    return q.computed(
        name,
        # The years between the quarter-ends themselves (the table's "years" column is rounded for reading).
        (float(end["share"]) - float(start["share"]))
        * 100
        / ((pd.Timestamp(_end_of(window["to_quarter"])) - pd.Timestamp(_end_of(window["from_quarter"]))).days / 365.25),
        inputs=keys,
        operation="per_year",
        unit="points_per_year",
        what="percentage points of premises gained per year",
        scope=ZONE,
        subject=subject,
        as_of=end["quarter_end"],
    )


def _own_network_pace(
    q: Quotes,
    initiative: str,
    code: str,
    paced: pd.DataFrame,
    window: str,
    shares: pd.DataFrame,
    evidence: pd.DataFrame,
) -> None:
    """A network's pace on the public series from its own fibre start (its window of series_windows.csv): the
    date the window starts from, as its reference row gives it, and the points gained per year from then on.
    The same series and denominator for every network, so their paces can be set side by side."""
    rows = paced[(paced["window"] == window) & (paced["subject"] == code)]
    if rows.empty:
        raise StudyError(f"series_windows.csv: window {window!r} of {initiative!r} has no pace")
    row = rows.iloc[0].to_dict()
    if row["evidence_id"]:
        read_date(
            q,
            f"{initiative}.own_network.start",
            row["evidence_id"],
            evidence,
            "date the network's fibre contract was signed",
            initiative,
        )
    _rate(q, f"{initiative}.own_network.points_per_year", shares, row, initiative)
    # The quarter-ends the pace runs between, each read from its raw row: a contract signed before the series
    # starts is measured from the series' first quarter, and a reader must see that, not the contract's date alone.
    for end, column in (("from", "from_quarter"), ("to", "to_quarter")):
        _raw_read(
            q,
            f"{initiative}.own_network.measured_{end}",
            shares.loc[row[column]],
            "quarter_end",
            "date",
            f"end of the quarter the network's pace is measured {end}",
            initiative,
        )


CLAIMS = "data/raw/series_claims.csv"


def _claim_quotes(
    q: Quotes,
    checked: pd.DataFrame,
    claims_raw: pd.DataFrame,
    by_department: dict[str, pd.DataFrame],
    initiatives: dict[str, str],
    evidence: pd.DataFrame,
    departements: pd.DataFrame | None = None,
) -> None:
    """Each claim checked against the series: what it claims and when (its source's figure and date, or the
    study's reading of its words, declared in series_claims.csv), and the series' share in the quarter it is
    checked against, read from its raw row. Keys ``claim.<claim id>.…``; a count's estimate and the end point's
    share are quoted where they are computed and read."""
    raw = claims_raw.set_index("claim_id")
    for row in checked.to_dict("records"):
        claim_id, subject = row["claim_id"], initiatives.get(row["department"], "")
        name = f"claim.{key_part(claim_id)}"
        given = raw.loc[claim_id]
        for column, unit, what in (("claimed", None, "what the claim says"), ("as_of", "date", "when it was said")):
            if str(given[column]).strip() and not pd.isna(given[column]):  # the study's reading of the words
                q.read(
                    f"{name}.{column}",
                    row[column],
                    table=CLAIMS,
                    row={"claim_id": claim_id},
                    column=column,
                    unit=unit or ("share" if row["test"] != "count" else "premises"),
                    nature="assumption",
                    what=what,
                    subject=subject,
                )
            elif column == "claimed":
                read_evidence(q, f"{name}.claimed", row["evidence_id"], evidence, what, subject=subject)
            else:
                read_date(q, f"{name}.as_of", row["evidence_id"], evidence, what, subject)
        if row["test"] in ("share", "target") and row["quarter"]:
            point = by_department[row["department"]].loc[row["quarter"]]
            _raw_share(q, f"{name}.series_value", point, "share of the series in the quarter checked", subject)
        if row["test"] in ("share", "target") and row.get("reached_quarter"):
            # The end of the first quarter whose share reached the one claimed, read from that quarter's raw row.
            _raw_read(
                q,
                f"{name}.reached_on",
                by_department[row["department"]].loc[row["reached_quarter"]],
                "quarter_end",
                "date",
                "end of the first quarter the series reached the share stated (claimed or due)",
                subject,
            )
        if row["test"] == "count" and row["quarter"] and departements is not None:
            _count_estimate(q, name, row, by_department, initiatives, departements)


def _count_estimate(
    q: Quotes,
    name: str,
    row: dict,
    by_department: dict[str, pd.DataFrame],
    initiatives: dict[str, str],
    departements: pd.DataFrame,
) -> str:
    """A count claim's estimate (``check_count``): the whole département's share in the quarter checked, read
    from its raw row, times its premises on the same basis: before 2020 ARCEP's 2018 dwellings and business
    sites, each read from ARCEP's file of départements; after, the 2026 end point's premises (quoted already)."""
    code, subject = row["department"], initiatives.get(row["department"], "")
    slug = subject or departement_part(code)
    point = by_department[code].loc[row["quarter"]]
    share = _raw_share(q, f"{name}.series_share", point, "share of the series in the quarter checked", subject)
    if point["quarter_end"] < BASIS_CHANGE:
        parts = [
            q.summed(
                f"{slug}.premises_2018.{part}",
                sum_rows(departements, {"Code département": code}, column),
                table=ARCEP_DEPARTEMENTS,
                where={"Code département": code},
                column=column,
                unit="premises",
                what=what,
                subject=subject,
            )
            for part, column, what in (
                ("dwellings", "Logements", "dwellings (ARCEP, 2018)"),
                ("business_sites", "Établissements", "business sites (ARCEP, 2018)"),
            )
        ]
        premises = q.computed(
            f"{slug}.premises_2018",
            sum(q.value(k) for k in parts),
            inputs=parts,
            operation="add",
            unit="premises",
            what="premises on the pre-2020 basis (ARCEP's 2018 dwellings and business sites)",
            subject=subject,
        )
    else:
        premises = f"{STEP}.{slug}.endpoint_2026.premises"
    estimate = q.value(share) * q.value(premises)
    if round(estimate) != round(float(row["series_value"])):
        raise StudyError(
            f"series_claims.csv, claim {row['claim_id']!r}: its estimate {row['series_value']} is not its quoted "
            f"share times its quoted premises ({estimate:,.0f})"
        )
    return q.computed(
        f"{name}.series_value",
        estimate,
        inputs=[share, premises],
        operation="multiply",
        unit="premises",
        what="premises able to connect in the whole département in the quarter checked (share × premises)",
        scope=ZONE,
        subject=subject,
        as_of=point["quarter_end"],
    )


def quote(
    series,
    crossed,
    paced,
    endpoint,
    population,
    claims,
    departments,
    initiatives,
    peers=None,
    money=None,
    evidence=None,
    own_windows=None,
    claims_raw=None,
    departements=None,
) -> pd.DataFrame:
    """The numbers the report quotes from this step. A share is read from the row and column of the raw
    baromètre file it comes from; a pace is computed from the two shares it spans; a median names every pace it
    is the median of; the 2026 end point and the populations are read from their raw files."""
    q = Quotes(STEP)
    by_department = {code: rows.set_index("quarter") for code, rows in series.groupby("department", sort=False)}
    rates: dict[tuple[str, str], str] = {}

    def rate_of(code: str, window) -> str:
        if (code, window["window"]) not in rates:
            slug = initiatives.get(code) or departement_part(code)
            rates[(code, window["window"])] = _rate(
                q, f"{slug}.points_per_year.{window['window']}", by_department[code], window, initiatives.get(code, "")
            )
        return rates[(code, window["window"])]

    for code in departments:
        slug, subject = initiatives.get(code) or departement_part(code), initiatives.get(code, "")
        own = by_department[code]
        for point, label in ((own.iloc[0], "first"), (own.iloc[-1], "last")):
            _raw_share(
                q,
                f"{slug}.share_{label}",
                point,
                f"share of the premises able to connect to FTTH, {label} quarter",
                subject,
            )
            # Its quarter's end, from the same row: a share "rose from … to …" says from when to when.
            _raw_read(
                q, f"{slug}.share_{label}.on", point, "quarter_end", "date", f"end of the {label} quarter", subject
            )
        for threshold in THRESHOLDS:
            row = crossed[(crossed["department"] == code) & (crossed["threshold"] == threshold)].iloc[0]
            if row["status"] == "crossed":
                file = str(row["source_file"])
                q.read(
                    f"{slug}.crossed_{round(threshold * 100)}",
                    row["quarter_end"],
                    table=f"{RAW}/{file}",
                    row={"row": int(row["source_row"])},
                    column=SHARE_COLUMN[file.split("_", 1)[0]],
                    unit="date",
                    nature="stated",
                    what=f"end of the first quarter with at least {threshold:.0%}",
                    scope=ZONE,
                    subject=subject,
                )
        windows = paced[paced["subject"] == code]
        for window in windows.to_dict("records"):
            rate_of(code, window)
            peer_codes = (peers or {}).get(code, [])
            if peer_codes:
                inputs = [rate_of(p, window) for p in peer_codes if p in by_department]
                median = paced[(paced["subject"] == f"{PEERS_MEDIAN}_{code}") & (paced["window"] == window["window"])]
                q.computed(
                    f"{slug}.peers_points_per_year.{window['window']}",
                    median["points_per_year"].iloc[0],
                    inputs=inputs,
                    operation="median",
                    unit="points_per_year",
                    what="median percentage points gained per year among the 2018 panel's peers",
                    scope=ZONE,
                    subject=subject,
                )
        own_window = (own_windows or {}).get(subject)
        if own_window is not None and evidence is not None:
            _own_network_pace(q, subject, code, paced, own_window, by_department[code], evidence)
        point = endpoint.set_index("department").loc[code]
        file = str(point["source_file"])
        for column, key, unit, what in (
            (
                "ftth",
                "ftth_share",
                "share",
                "share of premises eligible to FTTH (ARCEP, re-published by a third party)",
            ),
            ("premises", "premises", "premises", "premises (ARCEP, re-published by a third party)"),
        ):
            q.read(
                f"{slug}.endpoint_2026.{key}",
                point[key],
                table=f"{RAW}/{file}",
                row={"key": point["iso_code"]},
                column=column,
                unit=unit,
                nature="stated",
                what=what,
                scope=ZONE,
                subject=subject,
                as_of=point["as_of"],
            )
        q.read(
            f"{slug}.endpoint_2026.on",
            str(point["as_of"]),
            table=f"{RAW}/{file}",
            row={"key": "date"},
            column="date",
            unit="date",
            nature="stated",
            what="date of ARCEP's end point",
            subject=subject,
        )
        people = population.set_index("department").loc[code]
        population_keys = {}
        for column, key, what in (
            ("PMUN", "municipal", "municipal population (INSEE, 2023 reference)"),
            ("PTOT", "total", "total population (INSEE, 2023 reference)"),
        ):
            population_keys[key] = q.read(
                f"{slug}.population_2023.{key}",
                people[f"{key}_population"],
                table=f"{RAW}/{people['source_file']}",
                row={"row": int(people["source_row"])},
                column=column,
                unit="inhabitants",
                nature="stated",
                what=what,
                subject=subject,
                as_of="2023",
            )
        # The public money each source gives for the network (all of its funders' money within one scope), per
        # inhabitant of the département's municipal population: said with the population it divides by.
        if money is not None and subject:
            own = money[(money["initiative"] == subject) & money["all_public_money"].astype(bool)]
            for row in own.to_dict("records"):
                part = f"{slug}.public_money.{key_part(row['evidence_id'])}"
                amount = read_evidence(
                    q, part, row["evidence_id"], evidence, "public money", subject=subject, scope=row["scope"]
                )
                value = float(evidence.set_index("evidence_id").loc[row["evidence_id"], "value"])
                q.computed(
                    f"{part}.per_inhabitant_2023",
                    value / float(people["municipal_population"]),
                    inputs=[amount, population_keys["municipal"]],
                    operation="divide",
                    unit="EUR_per_inhabitant",
                    what="public money per inhabitant (municipal population, INSEE 2023)",
                    scope=str(row["scope"]),
                    subject=subject,
                )
    # The metropolitan median of each window's pace names the pace of every metropolitan département it is the
    # median of, each computed from its two raw shares (as the peers' medians are).
    metropolitan = set(series.loc[series["metropolitan"].astype(bool), "department"])
    for window in paced[paced["subject"] == METRO_MEDIAN].to_dict("records"):
        inputs = [
            rate_of(code, window)
            for code in by_department
            if code in metropolitan
            and window["from_quarter"] in by_department[code].index
            and window["to_quarter"] in by_department[code].index
        ]
        if len(inputs) != int(window["departments"]):
            raise StudyError(
                f"series: the metropolitan median of window {window['window']!r} is of {window['departments']} "
                f"départements, but {len(inputs)} have both of its shares"
            )
        q.computed(
            f"metropolitan.points_per_year_median.{window['window']}",
            window["points_per_year"],
            inputs=inputs,
            operation="median",
            unit="points_per_year",
            what="median percentage points gained per year among the metropolitan départements",
            scope=ZONE,
        )
    if claims_raw is not None and evidence is not None:
        _claim_quotes(q, claims, claims_raw, by_department, initiatives, evidence, departements)
    return q.frame()
