"""Every département as context: ARCEP's FTTH deployment by zone, Q3 2017 – Q1 2018, and the press claims.

Zones, as ARCEP's files define them (``data/raw/arcep_2018/README.md``): a commune is in the *private* zone
when it is very dense, under an L. 33-13 commitment (including ARCEP's "FRTE partielle", a partial
commitment: an assumption, 8 communes) or has a private intention; every other commune is in the
*public-initiative* zone, where networks such as Gers Numérique's are built. Plugs (premises able to
connect) are given per commune, so they are summed by zone within each département.

The panel keeps every territory ARCEP lists, overseas ones flagged ``metropolitan = False``; ranks and
peer groups are among the 96 metropolitan départements only, since ARCEP's overseas files mix
départements and collectivités whose zoning and housing are not comparable.

The data end in March 2018: four years into Gers Numérique, before its phase 2 and before the Tarn's
concession. Every table and sentence built here says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from divide_study.data.arcep import PLUGS, QUARTERS, ArcepData, read_arcep_table
from divide_study.data.tables import read_table
from divide_study.errors import DataError, StudyError
from divide_study.i18n import Translator
from divide_study.language.formats import Formats

PUBLIC, PRIVATE, ALL = "public_initiative", "private", "all"
# ARCEP's quarter labels -> the last day of the quarter, which is the date the counts describe.
QUARTER_END = {"T3 2017": "2017-09-30", "T4 2017": "2017-12-31", "T1 2018": "2018-03-31"}
DATA_END = QUARTER_END[QUARTERS[-1]][:7]  # the month ARCEP's data end ("2018-03")
PANEL_COLUMNS = [
    "department",
    "department_name",
    "region",
    "region_name",
    "metropolitan",
    "quarter",
    "quarter_end",
    "zone",
    "communes",
    "rural_communes",
    "dwellings",
    "rural_dwellings",
    "business_sites",
    "plugs",
    "share_of_dwellings",
    "share_of_premises",
]


# --- the panel ------------------------------------------------------------------------------------------


def quarter_label(quarter: str, lang: str = "en") -> str:
    """ARCEP's French quarter label as the edition's readers write it: 'T1 2018' -> 'Q1 2018' in English,
    unchanged in French."""
    if lang == "fr":
        return quarter
    return "Q" + quarter[1:] if quarter.startswith("T") else quarter


def commune_zones(communes: pd.DataFrame) -> pd.Series:
    """Each commune's zone: private where operators build with their own funds, else public-initiative."""
    commitment = communes["Engagements L. 33-13"].fillna("-").str.strip()
    private = (
        (communes["Zones très denses"].fillna(0) > 0)
        | ~commitment.isin(["-", ""])
        | (communes["Intentions privées hors engagement L. 33-13"].fillna(0) > 0)
    )
    return pd.Series(np.where(private, PRIVATE, PUBLIC), index=communes.index, name="zone")


def build_panel(arcep: ArcepData) -> pd.DataFrame:
    """One row per département × quarter × zone (public_initiative, private, all), with plugs and dwellings.

    ``share_of_dwellings`` = plugs / dwellings; ``share_of_premises`` = plugs / (dwellings + business sites).
    ARCEP's plugs count business premises too, so the first can exceed 1 where businesses are many; the
    second is ARCEP's own coverage rate. Both are empty where a zone has no dwellings.
    """
    communes = arcep.communes
    plugs = arcep.ftth_communes.loc[arcep.ftth_communes["Champ"] == PLUGS].set_index("Code commune")[list(QUARTERS)]
    rural = communes["Commune rurale"].fillna(0) > 0
    dwellings = communes["Logements"].fillna(0).astype("int64")
    base = pd.DataFrame(
        {
            "department": communes["Code département"],
            "zone": commune_zones(communes),
            "communes": 1,
            "rural_communes": rural.astype("int64"),
            "dwellings": dwellings,
            "rural_dwellings": dwellings.where(rural, 0),
            "business_sites": communes["Établissements"].fillna(0).astype("int64"),
        }
    )
    per_commune = plugs.reindex(communes["Code commune"]).fillna(0).astype("int64").set_axis(communes.index)
    base = pd.concat([base, per_commune], axis=1)
    by_zone = base.groupby(["department", "zone"]).sum(numeric_only=True)
    # A département without any private (or public) commune still gets its zero row.
    full = pd.MultiIndex.from_product([sorted(arcep.departements["Code département"]), [PUBLIC, PRIVATE]])
    by_zone = by_zone.reindex(full.set_names(["department", "zone"]), fill_value=0)
    everything = by_zone.groupby(level="department").sum().assign(zone=ALL).set_index("zone", append=True)
    by_zone = pd.concat([by_zone, everything]).reset_index()
    counts = ["communes", "rural_communes", "dwellings", "rural_dwellings", "business_sites"]
    long = by_zone.melt(id_vars=["department", "zone", *counts], value_vars=list(QUARTERS), var_name="quarter")
    long = long.rename(columns={"value": "plugs"})
    long["quarter_end"] = long["quarter"].map(QUARTER_END)
    long["share_of_dwellings"] = long["plugs"] / long["dwellings"].where(long["dwellings"] > 0)
    premises = long["dwellings"] + long["business_sites"]
    long["share_of_premises"] = long["plugs"] / premises.where(premises > 0)
    names = arcep.departements.set_index("Code département")
    long["department_name"] = long["department"].map(names["Nom département"])
    long["region"] = long["department"].map(names["Code région"])
    long["region_name"] = long["region"].map(arcep.regions.set_index("Code région")["Nom région"])
    long["metropolitan"] = ~long["department"].str.startswith("97")
    order = {q: n for n, q in enumerate(QUARTERS)} | {PUBLIC: 0, PRIVATE: 1, ALL: 2}
    long = long.sort_values(
        ["department", "quarter", "zone"], key=lambda s: s.map(order) if s.name != "department" else s
    )
    return long[PANEL_COLUMNS].reset_index(drop=True)


def check_against_departements(panel: pd.DataFrame, arcep: ArcepData) -> None:
    """The communes' plugs, summed, must give ARCEP's own département totals (ftthDepartements.csv)."""
    totals = arcep.ftth_departements.loc[arcep.ftth_departements["Champ"] == PLUGS].set_index("Code département")
    summed = panel[panel["zone"] == ALL].pivot(index="department", columns="quarter", values="plugs")
    for quarter in QUARTERS:
        stated = totals[quarter].reindex(summed.index)
        differ = stated.ne(summed[quarter]) | stated.isna()
        if differ.any():
            code = differ[differ].index[0]
            raise DataError(
                arcep.directory / "ftthDepartements.csv",
                f"département {code}, {quarter}: ARCEP's total is {stated[code]} but its communes add up to "
                f"{summed.loc[code, quarter]} ({int(differ.sum())} département(s) differ); the panel would not "
                "match ARCEP's published totals",
                column=quarter,
            )


# --- placing the studied territories --------------------------------------------------------------------


def department_profile(panel: pd.DataFrame, quarter: str = QUARTERS[-1]) -> pd.DataFrame:
    """One row per département at ``quarter``: how rural it is, how much of it is public zone, and coverage."""
    at = panel[panel["quarter"] == quarter].set_index(["department", "zone"])
    whole, public = at.xs(ALL, level="zone"), at.xs(PUBLIC, level="zone")
    profile = pd.DataFrame(
        {
            "department_name": whole["department_name"],
            "region": whole["region"],
            "region_name": whole["region_name"],
            "metropolitan": whole["metropolitan"],
            "dwellings": whole["dwellings"],
            "rural_dwelling_share": whole["rural_dwellings"] / whole["dwellings"],
            "public_zone_dwelling_share": public["dwellings"] / whole["dwellings"],
            "public_plugs": public["plugs"],
            "public_share": public["share_of_dwellings"],
            "overall_share": whole["share_of_dwellings"],
        }
    )
    return profile.reset_index()


def peers(profile: pd.DataFrame, department: str, count: int) -> pd.DataFrame:
    """The ``count`` metropolitan départements most like ``department`` in how rural and how public-zone they are.

    "Like" is the Euclidean distance on two shares of dwellings, both between 0 and 1: in rural communes
    (INSEE's rural flag, as ARCEP gives it) and in the public-initiative zone. Together they say how much of
    a département's housing a public network has to reach, and how scattered it is. Area, hence density, is
    not in the data.
    """
    metro = profile[profile["metropolitan"]]
    if department not in set(metro["department"]):
        raise KeyError(f"département {department!r} is not a metropolitan département of the panel")
    if not 1 <= count < len(metro):
        raise ValueError(f"the peer count must be between 1 and {len(metro) - 1}, not {count}")
    target = metro.loc[metro["department"] == department].iloc[0]
    distance = np.hypot(
        metro["rural_dwelling_share"] - target["rural_dwelling_share"],
        metro["public_zone_dwelling_share"] - target["public_zone_dwelling_share"],
    )
    others = metro.assign(distance=distance)[metro["department"] != department]
    return others.sort_values(["distance", "department"]).head(count).reset_index(drop=True)


def placement(
    panel: pd.DataFrame, departments: list[str], peer_count: int, quarter: str = QUARTERS[-1]
) -> pd.DataFrame:
    """Where each studied département stands at ``quarter``: nationally, in its region, among its peers."""
    profile = department_profile(panel, quarter)
    # Ranked among départements that have a public-initiative zone (Paris, all very dense, has none).
    metro = profile[profile["metropolitan"] & profile["public_share"].notna()].copy()
    metro["rank_public_share"] = metro["public_share"].rank(ascending=False, method="min").astype(int)
    metro["rank_public_plugs"] = metro["public_plugs"].rank(ascending=False, method="min").astype(int)
    rows = []
    for code in departments:
        own = metro.loc[metro["department"] == code]
        if own.empty:
            raise KeyError(f"département {code!r} is not a metropolitan département of the panel")
        own = own.iloc[0]
        like = peers(profile, code, peer_count)
        group = pd.concat([like["public_share"], pd.Series([own["public_share"]])])
        region = metro[metro["region"] == own["region"]]
        rows.append(
            {
                "department": code,
                "department_name": own["department_name"],
                "quarter": quarter,
                "rural_dwelling_share": own["rural_dwelling_share"],
                "public_zone_dwelling_share": own["public_zone_dwelling_share"],
                "public_plugs": int(own["public_plugs"]),
                "public_share": own["public_share"],
                "rank_public_share": int(own["rank_public_share"]),
                "rank_public_plugs": int(own["rank_public_plugs"]),
                "departments_ranked": len(metro),
                "rank_in_region": int((region["public_plugs"] > own["public_plugs"]).sum() + 1),
                "departments_in_region": len(region),
                "peer_median_public_share": float(like["public_share"].median()),
                "rank_among_peers": int((group > own["public_share"]).sum() + 1),
                "peers_with_public_plugs": int((like["public_plugs"] > 0).sum()),
                "peer_count": len(like),
                "peers": ", ".join(like["department_name"]),
            }
        )
    return pd.DataFrame(rows)


# --- the press claims -----------------------------------------------------------------------------------

CONSISTENT, NOT_SUPPORTED, CANNOT = (
    "consistent with the 2018 data",
    "not supported by the 2018 data",
    "cannot be checked",
)


def load_claims(path: Path, sources_dir: Path, sources: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The press claims to check (``data/raw/press_claims.csv``), each span checked against its article.

    ``said`` is the article's inferred publication date (``sources.csv``), ``claimed_value`` the value of
    the claim's ``figure_id`` in ``figures.csv``: neither is typed twice.
    """
    claims = read_arcep_table(path)
    published = sources.set_index("article")["published"]
    values = figures.set_index("figure_id")["value"]
    said, claimed = [], []
    for number, record in enumerate(claims.to_dict("records"), start=1):
        key = f"claim_id={record['claim_id']}"
        article = sources_dir / record["file"]
        try:
            text = article.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise DataError(path, f"article {article} is missing", row=number, column="file", key=key) from exc
        found = text[int(record["start"]) : int(record["end"])]
        if found != record["span"]:
            raise DataError(
                path,
                f"the span is not at characters {record['start']}-{record['end']} of {record['file']} "
                f"(found {found!r})",
                row=number,
                column="span",
                key=key,
            )
        if record["article"] not in published.index or not published[record["article"]]:
            raise DataError(
                path,
                f"article {record['article']!r} has no publication date in sources.csv",
                row=number,
                column="article",
                key=key,
            )
        said.append(published[record["article"]])
        figure = record["figure_id"]
        if record["test"] == "count_after_the_data" and figure not in values.index:
            raise DataError(
                path,
                f"the count needs a figure_id of figures.csv; {figure!r} is not one",
                row=number,
                column="figure_id",
                key=key,
            )
        claimed.append(float(values[figure]) if figure else None)
    return claims.assign(said=said, claimed_value=claimed)


def _region_public(panel: pd.DataFrame, department: str, quarter: str) -> tuple[pd.DataFrame, pd.Series]:
    at = panel[(panel["quarter"] == quarter) & (panel["zone"] == PUBLIC)]
    own = at.loc[at["department"] == department].iloc[0]
    region = at[at["region"] == own["region"]].sort_values(["plugs", "department"], ascending=[False, True])
    return region, own


def _largest_in_region(panel: pd.DataFrame, claim: dict, lang: str = "en") -> dict:
    _, number = Translator(lang, "analysis"), Formats(lang).number
    first, last = QUARTERS[0], QUARTERS[-1]
    region, own = _region_public(panel, claim["department"], last)
    leader = region.iloc[0]
    runner = region[region["department"] != own["department"]].iloc[0]
    early_region, early_own = _region_public(panel, claim["department"], first)
    early_leader = early_region.iloc[0]
    early_rank = int((early_region["plugs"] > early_own["plugs"]).sum() + 1)
    if early_rank > 1:
        early = _("In {quarter} it was {rank}: {leader} had {leader_plugs} against {own_plugs}.").format(
            quarter=quarter_label(first, lang),
            rank=ordinal(early_rank, lang),
            leader=early_leader["department_name"],
            leader_plugs=number(early_leader["plugs"]),
            own_plugs=number(early_own["plugs"]),
        )
    else:
        early = _("It was already first in {quarter} ({plugs}).").format(
            quarter=quarter_label(first, lang), plugs=number(early_own["plugs"])
        )
    is_first = leader["department"] == own["department"]
    if is_first:
        standing = _("the most of {region}'s {count} départements (next: {runner}, {runner_plugs}).").format(
            region=own["region_name"],
            count=len(region),
            runner=runner["department_name"],
            runner_plugs=number(runner["plugs"]),
        )
    else:
        standing = _("behind {leader} ({leader_plugs}).").format(
            leader=leader["department_name"], leader_plugs=number(leader["plugs"])
        )
    shows = _(
        "In {quarter} the public-initiative zone of {department} had {plugs} premises able to connect, {standing}"
    ).format(
        quarter=quarter_label(last, lang),
        department=own["department_name"],
        plugs=number(own["plugs"]),
        standing=standing,
    )
    return {
        "reading": _(
            "'premier' read as the largest public network of the region, counted as plugs in the public-initiative zone"
        ),
        "verdict": _("consistent with the 2018 data") if is_first else _("not supported by the 2018 data"),
        "data_show": f"{shows} {early}",
        "data_cannot_show": _(
            "Whether it was still the largest in {year}, when it was said (the data end in March 2018); whether "
            "'premier' means first in time, which needs data before {quarter}; who built each plug (the "
            "public-initiative zone is a proxy for public networks)."
        ).format(year=str(claim["said"])[:4], quarter=quarter_label(first, lang)),
    }


def _against_rest_of_region(panel: pd.DataFrame, claim: dict, lang: str = "en") -> dict:
    _, number = Translator(lang, "analysis"), Formats(lang).number
    last = QUARTERS[-1]
    region, own = _region_public(panel, claim["department"], last)
    rest = region[region["department"] != own["department"]]
    with_plugs = rest[rest["plugs"] > 0]
    detail = ", ".join(f"{r.department_name} {number(r.plugs)}" for r in with_plugs.itertuples())
    holds = own["plugs"] >= rest["plugs"].sum()
    shows = _(
        "In {quarter}: {department} {plugs} against {others_plugs} for the {others} other départements of "
        "{region} together"
    ).format(
        quarter=quarter_label(last, lang),
        department=own["department_name"],
        plugs=number(own["plugs"]),
        others_plugs=number(rest["plugs"].sum()),
        others=len(rest),
        region=own["region_name"],
    )
    return {
        "reading": _(
            "as many plugs in the département's public-initiative zone as in all the other public-initiative zones "
            "of the region together"
        ),
        "verdict": _("consistent with the 2018 data (a year before it was said)")
        if holds
        else _("not supported by the 2018 data"),
        "data_show": shows + (f" ({detail})." if detail else "."),
        "data_cannot_show": _(
            "The state in {month}, when it was said: the data end in March 2018, and the others may have caught "
            "up or fallen further behind; who built each plug."
        ).format(month=Formats(lang).date(str(claim["said"])[:7])),
    }


def _count_after_data(panel: pd.DataFrame, claim: dict, lang: str = "en") -> dict:
    _, formats = Translator(lang, "analysis"), Formats(lang)
    rows = panel[(panel["department"] == claim["department"]) & (panel["zone"] == PUBLIC)].set_index("quarter")
    # Each quarter with its count after a colon: "T3 2017 102" read as one number.
    series = "; ".join(
        _("{quarter}: {count}").format(quarter=quarter_label(q, lang), count=formats.number(rows.loc[q, "plugs"]))
        for q in QUARTERS
    )
    claimed = claim["claimed_value"]
    last = rows.loc[QUARTERS[-1], "plugs"]
    if last:
        cannot = _("Any count after March 2018: the claimed {claimed} is a year later, {ratio} times the last count.")
    else:
        cannot = _("Any count after March 2018: the claimed {claimed} is a year later.")
    return {
        "reading": _("more than {claimed} plugs on the public network at the time it was said ({month})").format(
            claimed=formats.number(claimed), month=formats.date(str(claim["said"])[:7])
        ),
        "verdict": _("cannot be checked"),
        "data_show": _("Public-initiative zone of {department}: {series}.").format(
            department=rows["department_name"].iloc[0], series=series
        ),
        "data_cannot_show": cannot.format(
            claimed=formats.number(claimed), ratio=formats.number(claimed / last, 1) if last else ""
        ),
    }


TESTS = {
    "largest_public_zone_in_region": _largest_in_region,
    "public_zone_vs_rest_of_region": _against_rest_of_region,
    "count_after_the_data": _count_after_data,
}


def _suffix(n: int) -> str:
    return "st" if n == 1 else "nd" if n == 2 else "rd" if n == 3 else "th"


def ordinal(n: int, lang: str = "en") -> str:
    """A rank as the edition writes it: '1st', '2nd', '12th' in English; '1ᵉʳ', '2ᵉ', '12ᵉ' in French."""
    return Formats(lang).ordinal(n)


def ordinal_suffix(n: int, lang: str = "en") -> str:
    """What follows a rank's number (for a rank that is itself a link): 'st'/'nd'/'rd'/'th', or 'ᵉʳ'/'ᵉ'."""
    return Formats(lang).ordinal_suffix(n)


def check_claims(
    claims: pd.DataFrame, panel: pd.DataFrame, claims_path: Path | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Each claim with how it was read, a careful verdict, what the 2018 data show and what they cannot, in
    the edition's language ``lang``."""
    out = []
    known = set(panel["department"])
    for number, claim in enumerate(claims.to_dict("records"), start=1):
        if claim["department"] not in known:
            raise DataError(
                claims_path or "press_claims.csv",
                f"département {claim['department']!r} is not in the ARCEP data",
                row=number,
                column="department",
                key=f"claim_id={claim['claim_id']}",
            )
        result = TESTS[claim["test"]](panel, claim, lang)
        out.append(
            {
                "claim_id": claim["claim_id"],
                "article": claim["article"],
                "span": claim["span"],
                "start": claim["start"],
                "end": claim["end"],
                "speaker": claim["speaker"],
                "said": claim["said"],
                # What the check was, so that an edition in another language can say its result again.
                "test": claim["test"],
                "department": claim["department"],
                "figure_id": claim.get("figure_id") or "",
                **result,
            }
        )
    return pd.DataFrame(out)


# --- chart and report -----------------------------------------------------------------------------------


def chart_data(panel: pd.DataFrame, departments: list[str], quarter: str = QUARTERS[-1]) -> pd.DataFrame:
    """One row per metropolitan département with a public-initiative zone: the dots of the chart."""
    profile = department_profile(panel, quarter)
    metro = profile[profile["metropolitan"] & profile["public_share"].notna()].copy()
    regions = set(metro.loc[metro["department"].isin(departments), "region"])
    metro["group"] = np.where(
        metro["department"].isin(departments),
        "studied",
        np.where(metro["region"].isin(regions), "same region", "other"),
    )
    columns = ["department", "department_name", "region_name", "rural_dwelling_share", "public_share", "group"]
    return metro[columns].sort_values("department").reset_index(drop=True)


def limit_note(lang: str = "en", end: str | None = None) -> str:
    """What ARCEP's data cannot cover, said with the section's prose and chart, in the edition's language.

    ``end`` is the month the data end as the report shows it (a link to its provenance entry); by default the
    month of the last quarter's end, as plain text."""
    _ = Translator(lang, "analysis")
    if end is None:
        end = Formats(lang).date(DATA_END)
    return _(
        "ARCEP's commune data used here end in {end}: four years into Gers Numérique, before its phase 2 and before "
        "the Tarn's concession."
    ).format(end=end)


def zone_note(lang: str = "en") -> str:
    """What the public-initiative zone is, in the edition's language. The legal basis of operators'
    commitments (article L. 33-13 of the Postal and Electronic Communications Code) is said in words."""
    _ = Translator(lang, "analysis")
    return _(
        "Public-initiative zone: communes neither very dense, nor covered by a private operator's binding "
        "commitment to the State to build, nor with a private intention; its plugs are counted whoever built them."
    )


def claims_in(claims: pd.DataFrame, panel: pd.DataFrame, figure_values: pd.Series, lang: str = "en") -> pd.DataFrame:
    """press_claims.csv with its reading, verdict and what the data show and cannot show said again in the
    edition's language, from the panel and each claim's test, département and figure (columns of
    press_claims.csv; ``figure_values``, figures.csv's value by figure_id). English: the CSV's own."""
    if lang == "en":
        return claims
    out = claims.copy()
    for index, said in claims.iterrows():
        figure = said["figure_id"] if isinstance(said["figure_id"], str) else ""
        claim = {
            "department": said["department"],
            "said": said["said"],
            "claimed_value": float(figure_values[figure]) if figure else None,
        }
        for column, text in TESTS[said["test"]](panel, claim, lang).items():
            out.at[index, column] = text
    return out


@dataclass
class PanelResult:
    panel: pd.DataFrame
    placement: pd.DataFrame
    claims: pd.DataFrame
    dwelling_gap: int  # largest gap between ARCEP's département dwellings and the sum of its communes'
    quoted: pd.DataFrame | None = None  # the numbers the report quotes (quoted_panel.csv)


def run(
    raw_dir: Path,
    processed_dir: Path,
    sources_dir: Path,
    departments: list[str],
    peer_count: int,
    out_dir: Path | None = None,
) -> PanelResult:
    """Read ARCEP's files, build the panel, place ``departments``, check the claims, quote the report's numbers;
    write the four tables into ``out_dir`` (default: ``processed_dir``, which is read for the articles' dates and
    figures).

    Nothing is written unless every step succeeded.
    """
    out_dir = out_dir or processed_dir
    from divide_study.config import SCHEMAS_DIR
    from divide_study.data.arcep import load_arcep
    from divide_study.data.tables import write_csv_atomic

    # Load inputs: ARCEP's files (fingerprints checked), then the claims with their articles' dates.
    arcep = load_arcep(raw_dir / "arcep_2018")

    # Process: the panel, checked against ARCEP's own totals; the placement; the claims' verdicts.
    panel = build_panel(arcep)
    check_against_departements(panel, arcep)
    unknown = sorted(set(departments) - set(panel.loc[panel["metropolitan"], "department"]))
    if unknown:
        raise StudyError(f"parameter panel_departments: {unknown} are not metropolitan départements of ARCEP's data")
    place = placement(panel, departments, peer_count)

    def processed(name: str) -> pd.DataFrame:
        return read_table(processed_dir / f"{name}.csv", SCHEMAS_DIR / f"{name}.schema.json", validate=False)

    figures = processed("figures")
    loaded = load_claims(raw_dir / "press_claims.csv", sources_dir, processed("sources"), figures)
    claims = check_claims(loaded, panel, raw_dir / "press_claims.csv")
    # The numbers the report quotes, each walking down to ARCEP's files, a parameter or an article's figure.
    quoted, claim_keys = quote(arcep, panel, place, claims, figures, peer_count, loaded)
    claims = claims.assign(quoted_keys=claim_keys)
    stated = arcep.departements.set_index("Code département")["Logements"]
    summed = panel[(panel["zone"] == ALL) & (panel["quarter"] == QUARTERS[-1])].set_index("department")["dwellings"]
    gap = int((stated.reindex(summed.index).fillna(0) - summed).abs().max())

    # Save outputs, only now that every check passed.
    write_csv_atomic(panel, out_dir / "national_panel.csv")
    write_csv_atomic(place, out_dir / "panel_placement.csv")
    write_csv_atomic(claims, out_dir / "press_claims.csv")
    write_csv_atomic(quoted, out_dir / "quoted_panel.csv")
    return PanelResult(panel, place, claims, gap, quoted)


# --- the numbers the report quotes (quoted_panel.csv) ----------------------------------------------------------

STEP = "panel"
ARCEP = "data/raw/arcep_2018"
COMMUNES, FTTH, DEPARTEMENTS = f"{ARCEP}/communes.csv", f"{ARCEP}/ftthCommunes.csv", f"{ARCEP}/departements.csv"
CLAIMS = "data/raw/press_claims.csv"
HEADER_LINE = 5  # the line of ARCEP's files that heads their columns (the quarters)
# The public-initiative zone as a filter of communes.csv (``commune_zones``): none of the three private columns.
PRIVATE_COLUMNS = ("Zones très denses", "Engagements L. 33-13", "Intentions privées hors engagement L. 33-13")
INTERESTED = "*(interested party)"  # press_claims.csv's speakers quoted as interested parties end so


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower())


def quarter_slug(quarter: str) -> str:
    """ARCEP's quarter as a key's part: 'T1 2018' -> 't1_2018'."""
    return _slug(quarter)


def subject_slug(code: str) -> str:
    """A département's code as a key's part: '2A' -> '2a'."""
    return _slug(code)


def quoted_key(code: str, name: str) -> str:
    """The key of a département's quoted number: ``panel.departement_32.public_share.t1_2018``."""
    return f"{STEP}.departement_{subject_slug(code)}.{name}"


# A key ``quoted_key`` makes, read back: the département's code (as a key's part), then the measure.
QUOTED_KEY = rf"{re.escape(STEP)}\.departement_(?P<row>[0-9a-z_]+)\.(?P<column>.+)"


class PanelQuotes:
    """The panel's quoted numbers, made once each when first needed: every count is summed over the rows of
    ARCEP's files that a filter selects (checked against the panel's own), every share, rank, count and median
    names the quoted numbers it is computed from."""

    def __init__(self, arcep: ArcepData, panel: pd.DataFrame, quarter: str = QUARTERS[-1]):
        from divide_study.analysis.quoted import NONE, Quotes

        self.q, self.arcep, self.panel, self.quarter = Quotes(STEP), arcep, panel, quarter
        self.none = NONE
        self.by = panel.set_index(["department", "quarter", "zone"])
        self.profile = department_profile(panel, quarter)
        self.keys: dict[tuple, str] = {}

    def _name(self, code: str) -> str:
        return str(self.by.loc[(code, self.quarter, ALL), "department_name"])

    def _once(self, key: tuple, make) -> str:
        if key not in self.keys:
            self.keys[key] = make()
        return self.keys[key]

    def check_against(self, key: str, value: float, expected: float) -> None:
        """Refuse a quoted number that differs from the panel's own (two reads of one source must agree)."""
        if not np.isclose(float(value), float(expected), equal_nan=False):
            raise StudyError(f"quoted number {key!r}: its source gives {value}, the panel {expected}")

    def public_zone(self, prefix: str = "") -> dict[str, str]:
        return {f"{prefix}{column}": self.none for column in PRIVATE_COLUMNS}

    def plugs(self, code: str, quarter: str | None = None) -> str:
        """Plugs of a département's public-initiative zone at a quarter: ftthCommunes.csv's rows of its communes
        in that zone, summed."""
        from divide_study.analysis.quoted import sum_rows

        quarter = quarter or self.quarter

        def make() -> str:
            joined = "communes.csv[Code commune]:"
            where = {"Champ": PLUGS, f"{joined}Code département": code, **self.public_zone(joined)}
            value = sum_rows(self.arcep.ftth_communes, where, quarter, {"communes.csv": self.arcep.communes})
            self.check_against(code, value, self.by.loc[(code, quarter, PUBLIC), "plugs"])
            return self.q.summed(
                f"departement_{_slug(code)}.public_plugs.{_slug(quarter)}",
                value,
                table=FTTH,
                where=where,
                column=quarter,
                unit="plugs",
                what=f"plugs in {self._name(code)}'s public-initiative zone, {quarter_label(quarter)}",
                as_of=QUARTER_END[quarter],
            )

        return self._once(("plugs", code, quarter), make)

    def dwellings(self, code: str, kind: str = "public") -> str:
        """A département's dwellings (communes.csv's Logements, summed): in its public-initiative zone, in its
        rural communes, or in all its communes."""
        from divide_study.analysis.quoted import sum_rows

        def make() -> str:
            where: dict[str, str] = {"Code département": code}
            if kind == "public":
                where |= self.public_zone()
                expected = self.by.loc[(code, self.quarter, PUBLIC), "dwellings"]
                what = f"dwellings in {self._name(code)}'s public-initiative zone"
            elif kind == "rural":
                where["Commune rurale"] = "1"
                expected = self.by.loc[(code, self.quarter, ALL), "rural_dwellings"]
                what = f"dwellings in {self._name(code)}'s rural communes"
            else:
                expected = self.by.loc[(code, self.quarter, ALL), "dwellings"]
                what = f"dwellings of {self._name(code)}'s communes"
            value = sum_rows(self.arcep.communes, where, "Logements")
            self.check_against(code, value, expected)
            return self.q.summed(
                f"departement_{_slug(code)}.dwellings_{kind}",
                value,
                table=COMMUNES,
                where=where,
                column="Logements",
                unit="dwellings",
                what=what,
            )

        return self._once(("dwellings", code, kind), make)

    def share(self, code: str) -> str:
        """A département's public-zone plugs as a share of its public-zone dwellings (premises over dwellings: the
        equivalent of a share, since premises count businesses too)."""

        def make() -> str:
            inputs = [self.plugs(code), self.dwellings(code)]
            value = self.q.value(inputs[0]) / self.q.value(inputs[1])
            return self.q.computed(
                f"departement_{_slug(code)}.public_share.{_slug(self.quarter)}",
                value,
                inputs=inputs,
                operation="divide",
                unit="share",
                what=f"public-zone plugs of {self._name(code)} as a share of its dwellings, "
                f"{quarter_label(self.quarter)}",
                as_of=QUARTER_END[self.quarter],
            )

        return self._once(("share", code), make)

    def part(self, code: str, kind: str) -> str:
        """The share of a département's dwellings in its rural communes or in its public-initiative zone."""
        words = {"rural": "in rural communes", "public": "in the public-initiative zone"}

        def make() -> str:
            inputs = [self.dwellings(code, kind), self.dwellings(code, "all")]
            return self.q.computed(
                f"departement_{_slug(code)}.{kind}_dwelling_share",
                self.q.value(inputs[0]) / self.q.value(inputs[1]),
                inputs=inputs,
                operation="divide",
                unit="share",
                what=f"share of {self._name(code)}'s dwellings {words[kind]}",
            )

        return self._once(("part", code, kind), make)

    def ranked(self) -> list[str]:
        """The départements ranked: metropolitan, with a public-initiative zone (``placement``'s)."""
        metro = self.profile[self.profile["metropolitan"] & self.profile["public_share"].notna()]
        return list(metro["department"])

    def rank_key(self, name: str, own: str, others: list[str], what: str) -> str:
        """Quote the place of ``own`` among itself and ``others`` (highest first); its key."""
        from divide_study.analysis.quoted import rank_first

        inputs = [own, *[k for k in others if k != own]]
        return self.q.computed(
            name,
            rank_first(self.q.value(k) for k in inputs),
            inputs=inputs,
            operation="rank",
            unit="rank",
            what=what,
            as_of=QUARTER_END[self.quarter],
        )

    def count_key(self, name: str, inputs: list[str], what: str) -> str:
        """Quote how many ``inputs`` there are; its key."""
        return self.q.computed(name, len(inputs), inputs=inputs, operation="count", unit="count", what=what)

    def region(self, code: str) -> list[str]:
        region = self.profile.set_index("department").loc[code, "region"]
        ranked = self.profile[self.profile["department"].isin(self.ranked())]
        return list(ranked.loc[ranked["region"] == region, "department"])

    def departements_ranked(self) -> str:
        quarter = quarter_label(self.quarter)
        return self._once(
            ("ranked",),
            lambda: self.count_key(
                f"departements_ranked.{_slug(self.quarter)}",
                [self.share(c) for c in self.ranked()],
                f"metropolitan départements ranked by public-zone share, {quarter}",
            ),
        )

    def in_region(self, code: str) -> str:
        return self._once(
            ("in_region", code),
            lambda: self.count_key(
                f"departement_{_slug(code)}.departements_in_region",
                [self.plugs(c) for c in self.region(code)],
                f"départements ranked in {self._name(code)}'s region",
            ),
        )

    def rest_of_region(self, code: str, quarter: str) -> str:
        """The public-zone plugs of the other départements of a département's region, added up."""

        def make() -> str:
            inputs = [self.plugs(c, quarter) for c in self.region(code) if c != code]
            return self.q.computed(
                f"departement_{_slug(code)}.rest_of_region_plugs.{_slug(quarter)}",
                sum(self.q.value(k) for k in inputs),
                inputs=inputs,
                operation="add",
                unit="plugs",
                what=f"plugs in the public-initiative zones of the rest of {self._name(code)}'s region, "
                f"{quarter_label(quarter)}",
                as_of=QUARTER_END[quarter],
            )

        return self._once(("rest", code, quarter), make)


def quote(
    arcep: ArcepData,
    panel: pd.DataFrame,
    place: pd.DataFrame,
    claims: pd.DataFrame,
    figures: pd.DataFrame,
    peer_count: int,
    raw_claims: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.Series]:
    """The numbers the report quotes from this step (``quoted_panel.csv``), and for each claim the keys of the
    numbers its check states (press_claims.csv's ``quoted_keys``).

    Counts are summed over the rows of ARCEP's raw files a filter selects (``sum_rows``, ``count_rows``), and
    checked against the panel's; shares divide them; ranks, counts and medians name every share or count they are
    computed from; the peers' number is the parameter ``panel_peers``; a claim's date is its article's, read
    from the article's figure dated so."""
    from divide_study.analysis.quoted import count_rows
    from divide_study.analysis.quoting import FIGURES

    p = PanelQuotes(arcep, panel, place["quarter"].iloc[0] if len(place) else QUARTERS[-1])
    q = p.q
    for label, quarter in (("first", QUARTERS[0]), ("last", QUARTERS[-1])):
        q.read(
            f"quarter_{label}",
            QUARTER_END[quarter],
            table=FTTH,
            row={"line": HEADER_LINE},
            column=quarter,
            unit="date",
            nature="stated",
            what=f"{label} quarter of ARCEP's data",
        )
    q.read(
        "data_end",
        DATA_END,
        table=FTTH,
        row={"line": HEADER_LINE},
        column=QUARTERS[-1],
        unit="date",
        nature="stated",
        what="month ARCEP's data end",
    )
    metropolitan = {"Code département!": "97*"}
    count = count_rows(arcep.departements, metropolitan)
    p.check_against("metropolitan départements", count, panel.loc[panel["metropolitan"], "department"].nunique())
    q.counted(
        "metropolitan_departements",
        count,
        table=DEPARTEMENTS,
        where=metropolitan,
        unit="count",
        what="metropolitan départements in ARCEP's data",
    )
    profile = p.profile
    for row in place.to_dict("records"):
        code, name, slug = row["department"], row["department_name"], f"departement_{_slug(row['department'])}"
        quarter = quarter_label(row["quarter"])
        own = p.share(code)
        p.check_against(own, p.q.value(own), row["public_share"])
        for kind in ("rural", "public"):
            p.check_against(
                code,
                p.q.value(p.part(code, kind)),
                row[f"{kind}_zone_dwelling_share" if kind == "public" else "rural_dwelling_share"],
            )
        shares = [p.share(c) for c in p.ranked()]
        rank = p.rank_key(f"{slug}.rank_public_share", own, shares, f"rank of {name} by public-zone share, {quarter}")
        p.check_against(rank, p.q.value(rank), row["rank_public_share"])
        p.check_against("ranked", p.q.value(p.departements_ranked()), row["departments_ranked"])
        regional = p.rank_key(
            f"{slug}.rank_in_region",
            p.plugs(code),
            [p.plugs(c) for c in p.region(code)],
            f"rank of {name} in its region by public-zone plugs, {quarter}",
        )
        p.check_against(regional, p.q.value(regional), row["rank_in_region"])
        p.check_against("in region", p.q.value(p.in_region(code)), row["departments_in_region"])
        q.assumed(
            f"{slug}.peer_count",
            peer_count,
            parameter="panel_peers",
            unit="count",
            what=f"peers of {name}: the metropolitan départements most like it",
        )
        like = peers(profile, code, peer_count)
        if len(like) != peer_count:
            raise StudyError(f"département {code}: {len(like)} peers found, parameter panel_peers asks {peer_count}")
        # A peer without a public-initiative zone has no share: it is left out of the median, as in ``placement``.
        peer_shares = [p.share(c) for c in like["department"] if c in set(p.ranked())]
        median = q.computed(
            f"{slug}.peer_median_public_share",
            float(np.median([p.q.value(k) for k in peer_shares])),
            inputs=peer_shares,
            operation="median",
            unit="share",
            what=f"median public-zone share of the {peer_count} départements most like {name}",
        )
        p.check_against(median, p.q.value(median), row["peer_median_public_share"])
        among = p.rank_key(
            f"{slug}.rank_among_peers",
            own,
            peer_shares,
            f"rank of {name} by public-zone share among itself and its peers",
        )
        p.check_against(among, p.q.value(among), row["rank_among_peers"])
        with_plugs = [k for k in (p.plugs(c) for c in like["department"]) if p.q.value(k) > 0]
        if not with_plugs:
            raise StudyError(
                f"département {code}: none of its peers has a public-zone plug; the report's sentence "
                "counts those that have"
            )
        counted = p.count_key(
            f"{slug}.peers_with_public_plugs", with_plugs, f"peers of {name} with any public-zone plug"
        )
        p.check_against(counted, p.q.value(counted), row["peers_with_public_plugs"])

    # The claims: how many, how many of interested parties (press_claims.csv's rows), and when each was made.
    q.counted(
        "press_claims", count_rows(raw_claims, {}), table=CLAIMS, where={}, unit="count", what="press claims checked"
    )
    interested = {"speaker": INTERESTED}
    q.counted(
        "press_claims_interested",
        count_rows(raw_claims, interested),
        table=CLAIMS,
        where=interested,
        unit="count",
        what="press claims quoted from interested parties",
    )
    dated = figures.assign(as_of=figures["as_of"].astype(str))
    years: set[str] = set()
    keys = []
    for claim in claims.to_dict("records"):
        said = str(claim["said"])
        own = dated[(dated["figure_id"] == claim.get("figure_id")) & (dated["as_of"] == said)]
        same = dated[(dated["article"] == claim["article"]) & (dated["as_of"] == said)]
        found = own if len(own) else same
        if not len(found):
            raise StudyError(
                f"press claim {claim['claim_id']!r}: no figure of article {claim['article']} is dated {said}, the "
                "article's date; the report dates a claim by its article's figure"
            )
        figure = str(found.iloc[0]["figure_id"])
        row = {"figure_id": figure}
        q.read(
            f"claim.{claim['claim_id']}.said",
            said,
            table=FIGURES,
            row=row,
            column="as_of",
            unit="date",
            nature="stated",
            what="date a press claim was made",
        )
        if said[:4] not in years:
            years.add(said[:4])
            q.read(
                f"claim_year.y{said[:4]}",
                int(said[:4]),
                table=FIGURES,
                row=row,
                column="as_of",
                unit="year",
                nature="stated",
                what="year a press claim was made",
            )
        keys.append(";".join(claim_evidence(p, claim)))
    return q.frame(), pd.Series(keys, index=claims.index, name="quoted_keys")


def claim_evidence(p: PanelQuotes, claim: dict) -> list[str]:
    """The quoted numbers a claim's check states (its 'what the data show'), by its test."""
    code, first, last = claim["department"], QUARTERS[0], QUARTERS[-1]
    test = claim["test"]
    if test == "largest_public_zone_in_region":
        region = sorted(p.region(code), key=lambda c: (-p.q.value(p.plugs(c, last)), c))
        runner = next(c for c in region if c != code)
        early = sorted(p.region(code), key=lambda c: (-p.q.value(p.plugs(c, first)), c))
        return list(
            dict.fromkeys(
                [
                    p.plugs(code, last),
                    p.plugs(region[0], last),
                    p.plugs(runner, last),
                    p.in_region(code),
                    p.plugs(code, first),
                    p.plugs(early[0], first),
                ]
            )
        )
    if test == "public_zone_vs_rest_of_region":
        others = [c for c in p.region(code) if c != code and p.q.value(p.plugs(c, last)) > 0]
        return [p.plugs(code, last), p.rest_of_region(code, last), *[p.plugs(c, last) for c in others]]
    return [p.plugs(code, quarter) for quarter in QUARTERS]
