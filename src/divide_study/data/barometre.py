"""The fibre series by département, 2017–2024, its 2026 end point and INSEE's 2023 populations: reading and checks.

The files in ``data/raw/reference/barometre`` are copied unchanged from ``../shared/reference/barometre`` (its
``README.md`` gives each one's repository, commit and licence; ``SHA256SUMS`` fingerprints them):

* ``etalab_…csv``: the State's *baromètre des résultats*, share of premises able to connect to FTTH, whole
  percent, Q4 2017 – Q3 2022; a quarter is dated by its **last day** (2022-06-30);
* ``ditp_ind-306_…csv``: the same indicator (IND-306), two decimals, Q2 2022 – Q2 2024; a quarter is dated by
  the **first day of its last month** (2022-06-01 for the quarter ending 30 June); ``indic_vi`` holds the first
  date's value, ``indic_va`` the later ones', the 2026-12-01 rows only the target (``indic_vc``);
* ``arcep_ma_connexion_internet_…json``: ARCEP's *Ma connexion internet* on 2026-06-30 as a third party imported
  it (a derivative): premises and the share eligible to FTTH, per département, keyed by ISO code;
* ``insee_populations_…csv``: INSEE's 2023 reference populations (municipal and total), ``;``-separated.

The two baromètre files are joined on the **quarter**, never the date. Where both cover a quarter they must agree
within the etalab file's rounding (0.5 point): a larger gap stops the build naming both files and rows. Each
CSV is read by its Table Schema (beside it) with the vectorised reader of ``data.arcep``; the JSON by the json
module, every département's entry checked. The content is checked first, so that a bad value is named with its
file, row and column; then the fingerprints, so that a plausible but altered value is caught too (naming the
file: nothing else tells which row changed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.data.arcep import check_fingerprints, read_arcep_table
from divide_study.data.tables import read_text_strict
from divide_study.errors import DataError

FOLDER = "reference/barometre"  # inside data/raw
ETALAB = "etalab_taux_deploiement_fibre_departements.csv"
DITP = "ditp_ind-306_taux_deploiement_fibre.csv"
DITP_METADATA = "ditp_ind-306_metadata.csv"
ENDPOINT = "arcep_ma_connexion_internet_2026-06-30_departements.json"
POPULATION = "insee_populations_reference_2023_departements.csv"
FILES = (ETALAB, DITP, DITP_METADATA, ENDPOINT, POPULATION)
# The etalab file rounds to whole percent: where both files cover a quarter, they agree within half a point.
AGREEMENT_POINTS = 0.5
# Float noise on "82.0 vs 81.50" must not count as a disagreement.
_EPSILON = 1e-9
ENDPOINT_DATE = "2026-06-30"
POPULATION_YEAR = 2023
# The JSON's ISO 3166-2 codes of overseas départements -> INSEE codes; metropolitan ones are FR-01 … FR-95, 2A, 2B.
OVERSEAS_ISO = {"FR-GP": "971", "FR-MQ": "972", "FR-GF": "973", "FR-RE": "974", "FR-YT": "976"}

SERIES_COLUMNS = [
    "department",
    "department_name",
    "metropolitan",
    "quarter",
    "quarter_end",
    "share",
    "decimals",
    "source_file",
    "source_row",
    "other_file_share",
]


@dataclass
class Barometre:
    series: pd.DataFrame  # one row per département and quarter (SERIES_COLUMNS)
    endpoint: pd.DataFrame  # the 2026 end point, one row per département
    population: pd.DataFrame  # INSEE 2023, one row per département
    definition: str  # the indicator's definition, in the publisher's (French) words
    directory: Path


def quarter_of(dates: pd.Series) -> pd.Series:
    """'2022-06-30' or '2022-06-01' -> '2022-Q2': the calendar quarter holding the date."""
    unique = pd.Series(dates.unique())
    parsed = pd.to_datetime(unique, format="%Y-%m-%d")
    labels = parsed.dt.year.astype(str) + "-Q" + parsed.dt.quarter.astype(str)
    # A few dozen distinct dates among thousands of rows: each is parsed once.
    return dates.map(dict(zip(unique, labels, strict=True)))


def quarter_end(quarters: pd.Series) -> pd.Series:
    """'2022-Q2' -> '2022-06-30'."""
    unique = pd.Series(quarters.unique())
    periods = pd.PeriodIndex(unique.str.replace("-Q", "Q", regex=False), freq="Q")
    return quarters.map(dict(zip(unique, periods.end_time.strftime("%Y-%m-%d"), strict=True)))


def _fraction(percent: pd.Series) -> pd.Series:
    """A published percentage as a fraction, without float noise (94.2 -> 0.942, not 0.9420000000000001)."""
    return (percent / 100).round(6)


def is_metropolitan(codes: pd.Series) -> pd.Series:
    return ~codes.str.startswith("97")


def read_etalab(path: Path) -> pd.DataFrame:
    """The etalab file, by its schema: share as a fraction, the quarter, the data row of each value."""
    frame = read_arcep_table(path)
    return pd.DataFrame(
        {
            "department": frame["code_departement"],
            "department_name": frame["libelle_departement"],
            "quarter": quarter_of(frame["date"]),
            "share": _fraction(frame["valeur"]),
            "decimals": 0,
            "source_file": path.name,
            "source_row": frame.index + 1,
        }
    )


def read_ditp(path: Path) -> pd.DataFrame:
    """The DITP file's départements, by its schema: one value per row (the first date's in ``indic_vi``, the
    others' in ``indic_va``); the target-only rows (2026-12-01) are left out, being no measurement."""
    frame = read_arcep_table(path)
    frame = frame.assign(source_row=frame.index + 1)
    frame = frame[(frame["maille"] == "DEPT") & frame["indic_vc"].isna()]
    both = frame["indic_vi"].notna() & frame["indic_va"].notna()
    neither = frame["indic_vi"].isna() & frame["indic_va"].isna()
    for mask, reason in (
        (both, "has both an initial (indic_vi) and a current value (indic_va)"),
        (neither, "has no value"),
    ):
        if mask.any():
            first = frame[mask].iloc[0]
            raise DataError(
                path,
                f"{reason}: a quarter's row must carry exactly one",
                row=int(first["source_row"]),
                column="indic_va",
                key=f"enforce_zone_id={first['enforce_zone_id']}, metric_enforce_date={first['metric_enforce_date']}",
            )
    return pd.DataFrame(
        {
            "department": frame["enforce_zone_id"].str[1:],
            "quarter": quarter_of(frame["metric_enforce_date"]),
            "share": _fraction(frame["indic_va"].fillna(frame["indic_vi"])),
            "decimals": 2,
            "source_file": path.name,
            "source_row": frame["source_row"],
        }
    ).reset_index(drop=True)


def join_quarters(
    etalab: pd.DataFrame, ditp: pd.DataFrame, tolerance: float = AGREEMENT_POINTS, folder: Path | None = None
) -> pd.DataFrame:
    """One row per département and quarter from the two files, joined on the quarter (not the date).

    Where both cover a quarter, the finer DITP value is kept and the etalab one shown beside it
    (``other_file_share``); they must agree within ``tolerance`` points, else a DataError names the etalab file
    (in ``folder``) and row, and the DITP row it disagrees with. A département of the DITP file unknown to the
    etalab file (whose names the series uses) is refused too.
    """
    names = etalab.drop_duplicates("department").set_index("department")["department_name"]
    unknown = ~ditp["department"].isin(names.index)
    if unknown.any():
        first = ditp[unknown].iloc[0]
        raise DataError(
            (folder or Path()) / first["source_file"],
            f"département {first['department']!r} is not in {ETALAB}",
            row=int(first["source_row"]),
            column="enforce_zone_id",
        )
    overlap = etalab.merge(ditp, on=["department", "quarter"], suffixes=("_etalab", "_ditp"))
    gap = (overlap["share_etalab"] - overlap["share_ditp"]).abs() * 100
    apart = gap > tolerance + _EPSILON
    if apart.any():
        worst = overlap[apart].assign(gap=gap[apart]).sort_values("gap", ascending=False).iloc[0]
        raise DataError(
            (folder or Path()) / worst["source_file_etalab"],
            f"département {worst['department']} in {worst['quarter']}: {worst['share_etalab'] * 100:g} % here, "
            f"{worst['share_ditp'] * 100:g} % in {worst['source_file_ditp']} (row {int(worst['source_row_ditp'])}), "
            f"{worst['gap']:.2f} points apart; the two files must agree within {tolerance:g} point (rounding). "
            f"{int(apart.sum())} overlapping quarter(s) disagree so",
            row=int(worst["source_row_etalab"]),
            column="valeur",
            key=f"code_departement={worst['department']}, quarter={worst['quarter']}",
        )
    # The overlapping quarters keep DITP's finer value, with etalab's beside it.
    other = overlap[["department", "quarter", "share_etalab"]].rename(columns={"share_etalab": "other_file_share"})
    marked = etalab.merge(other[["department", "quarter"]], on=["department", "quarter"], how="left", indicator=True)
    kept_etalab = etalab[(marked["_merge"] == "left_only").to_numpy()]
    ditp = ditp.assign(department_name=ditp["department"].map(names)).merge(
        other, on=["department", "quarter"], how="left"
    )
    series = pd.concat([kept_etalab, ditp], ignore_index=True)
    series["metropolitan"] = is_metropolitan(series["department"])
    series["quarter_end"] = quarter_end(series["quarter"])
    return series.sort_values(["department", "quarter"]).reset_index(drop=True)[SERIES_COLUMNS]


def read_endpoint(path: Path, known: set[str]) -> pd.DataFrame:
    """The 2026 end point (a third party's import of ARCEP's data): each département's premises and FTTH share.

    Errors name the file and the département's key in the JSON (its 'row') and field (its 'column')."""
    try:
        data = json.loads(read_text_strict(path))
    except json.JSONDecodeError as exc:
        raise DataError(path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    for key in ("date", "departments", "source", "importedAt"):
        if key not in data:
            raise DataError(path, f"has no {key!r} key at its top level")
    if data["date"] != ENDPOINT_DATE:
        raise DataError(path, f"describes {data['date']!r}, not {ENDPOINT_DATE}: a new file needs its own review")
    departments = data["departments"]
    if not isinstance(departments, dict) or not departments:
        raise DataError(path, "'departments' must be an object of départements")
    rows = []
    for number, (iso, entry) in enumerate(departments.items(), start=1):
        # The file is one line of JSON: an entry is named by its key and its place among the départements.
        where = f"departments[{iso!r}] (entry {number})"
        code = OVERSEAS_ISO.get(iso, iso.removeprefix("FR-"))
        if not iso.startswith("FR-") or code not in known:
            raise DataError(path, f"{where}: the key is no département of the series")
        for field, low, high in (("premises", 1, 5_000_000), ("ftth", 0, 100), ("thd30", 0, 100)):
            value = entry.get(field) if isinstance(entry, dict) else None
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise DataError(
                    path, f"{where}: {field} is {value!r}; expected a number from {low:g} to {high:g}", column=field
                )
        if entry["ftth"] > entry["thd30"]:
            # A premise that can have FTTH can have 30 Mbit/s: a larger FTTH share is a swapped or broken field.
            raise DataError(path, f"{where}: ftth ({entry['ftth']}) is above thd30 ({entry['thd30']})", column="ftth")
        if not float(entry["premises"]).is_integer():
            raise DataError(path, f"{where}: premises must be a whole number", column="premises")
        rows.append(
            {
                "department": code,
                "iso_code": iso,
                "name_in_file": str(entry.get("name", "")),
                "as_of": data["date"],
                "premises": int(entry["premises"]),
                "ftth_share": round(float(entry["ftth"]) / 100, 6),
                "thd30_share": round(float(entry["thd30"]) / 100, 6),
                "source_file": path.name,
                "imported_at": data["importedAt"],
            }
        )
    return pd.DataFrame(rows).sort_values("department").reset_index(drop=True)


def read_population(path: Path) -> pd.DataFrame:
    frame = read_arcep_table(path)
    return pd.DataFrame(
        {
            "department": frame["DEP"],
            "department_name": frame["Département"],
            "region": frame["REG"],
            "region_name": frame["Région"],
            "year": POPULATION_YEAR,
            "municipal_population": frame["PMUN"].astype(int),
            "total_population": frame["PTOT"].astype(int),
            "source_file": path.name,
            "source_row": frame.index + 1,
        }
    )


def check_population(population: pd.DataFrame, path: Path) -> None:
    """The total population counts people whose usual home is elsewhere too: never below the municipal one."""
    below = population["total_population"] < population["municipal_population"]
    if below.any():
        first = population[below].iloc[0]
        raise DataError(
            path,
            f"the total population {first['total_population']} is below the municipal one "
            f"{first['municipal_population']}",
            row=int(first["source_row"]),
            column="PTOT",
            key=f"DEP={first['department']}",
        )


def load_barometre(raw_dir: Path) -> Barometre:
    """Every file of ``raw_dir/reference/barometre``, each checked, then the fingerprints."""
    directory = raw_dir / FOLDER
    etalab = read_etalab(directory / ETALAB)
    ditp = read_ditp(directory / DITP)
    series = join_quarters(etalab, ditp, folder=directory)
    metadata = read_arcep_table(directory / DITP_METADATA)
    endpoint = read_endpoint(directory / ENDPOINT, set(series["department"]))
    population = read_population(directory / POPULATION)
    check_population(population, directory / POPULATION)
    unknown = ~population["department"].isin(set(series["department"]))
    if unknown.any():
        first = population[unknown].iloc[0]
        raise DataError(
            directory / POPULATION,
            f"département {first['department']!r} is not in the series",
            row=int(first["source_row"]),
            column="DEP",
        )
    check_fingerprints(directory, required=FILES, kept_by="The baromètre's, ARCEP's and INSEE's")
    return Barometre(
        series=series,
        endpoint=endpoint.assign(department_name=endpoint["department"].map(_names(series))),
        population=population,
        definition=str(metadata["indic_descr_baro"].iloc[0]),
        directory=directory,
    )


def _names(series: pd.DataFrame) -> pd.Series:
    return series.drop_duplicates("department").set_index("department")["department_name"]
