"""The fibre series (data.barometre, analysis.series) on tiny inline tables, and the project's copy of its files."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis import series
from divide_study.data import barometre
from divide_study.errors import DataError, StudyError

BAROMETRE_DIR = config.RAW_DIR / barometre.FOLDER
ETALAB_HEADER = "mesure,indicateur,id_indicateur,code_departement,libelle_departement,date,valeur,unite"
DITP_HEADER = "indic_id,enforce_zone_id,metric_enforce_date,maille,indic_vi,indic_va,indic_vc,indic_ta"


def etalab_line(code: str, name: str, date: str, value: str) -> str:
    return (
        f"Mesure,Taux de déploiement de la fibre,taux-deploiement-fibre,{code},{name},{date},{value},% de déploiement"
    )


def write_files(folder: Path, etalab: list[str], ditp: list[str]) -> tuple[Path, Path]:
    """The two baromètre files in their own layout, with their real schemas beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (barometre.ETALAB, barometre.DITP):
        schema = name.removesuffix(".csv") + ".schema.json"
        shutil.copy(BAROMETRE_DIR / schema, folder / schema)
    (folder / barometre.ETALAB).write_text("\n".join([ETALAB_HEADER, *etalab]) + "\n", encoding="utf-8")
    (folder / barometre.DITP).write_text("\n".join([DITP_HEADER, *ditp]) + "\n", encoding="utf-8")
    return folder / barometre.ETALAB, folder / barometre.DITP


def joined(tmp_path: Path, etalab: list[str], ditp: list[str]) -> pd.DataFrame:
    etalab_path, ditp_path = write_files(tmp_path / "barometre", etalab, ditp)
    return barometre.join_quarters(
        barometre.read_etalab(etalab_path), barometre.read_ditp(ditp_path), folder=etalab_path.parent
    )


# --- the files ----------------------------------------------------------------------------------------------


def test_the_project_copy_equals_the_shared_reference(sources_dir):
    shared = sources_dir.parent / "reference" / "barometre"
    for name in (*barometre.FILES, "README.md", "SHA256SUMS"):
        assert (BAROMETRE_DIR / name).read_bytes() == (shared / name).read_bytes(), name


def test_the_real_files_load_and_agree_where_they_overlap():
    data = barometre.load_barometre(config.RAW_DIR)
    both = data.series.dropna(subset=["other_file_share"])
    assert len(both) > 100  # two quarters of about a hundred départements
    assert ((both["share"] - both["other_file_share"]).abs() <= 0.005 + 1e-9).all()
    assert not data.series.duplicated(["department", "quarter"]).any()
    assert set(data.endpoint["department"]) <= set(data.series["department"])


# --- the join -----------------------------------------------------------------------------------------------


def test_the_join_is_on_the_quarter_whatever_each_file_dates_it_by(tmp_path):
    frame = joined(
        tmp_path,
        [etalab_line("32", "Gers", "2022-03-31", "56.0"), etalab_line("32", "Gers", "2022-06-30", "59.0")],
        [
            "IND-306,D32,2022-06-01,DEPT,58.6,,,",
            "IND-306,D32,2022-09-01,DEPT,,60.97,,",
            "IND-306,D32,2026-12-01,DEPT,,,100.0,",
        ],
    ).set_index("quarter")
    # 2022-06-30 (etalab, a quarter's last day) and 2022-06-01 (DITP, the first day of its last month) are one quarter.
    assert list(frame.index) == ["2022-Q1", "2022-Q2", "2022-Q3"]
    assert frame.loc["2022-Q2", "share"] == pytest.approx(0.586)  # the finer value is kept...
    assert frame.loc["2022-Q2", "other_file_share"] == pytest.approx(0.59)  # ...and the other shown beside it
    assert frame.loc["2022-Q2", "source_file"] == barometre.DITP
    assert frame.loc["2022-Q1", "source_file"] == barometre.ETALAB and frame.loc["2022-Q1", "source_row"] == 1
    assert frame.loc["2022-Q3", "quarter_end"] == "2022-09-30"
    assert math.isnan(frame.loc["2022-Q3", "other_file_share"])


def test_an_overlapping_quarter_that_disagrees_beyond_rounding_is_refused_with_both_rows(tmp_path):
    with pytest.raises(DataError) as info:
        joined(
            tmp_path,
            [etalab_line("32", "Gers", "2022-03-31", "56.0"), etalab_line("32", "Gers", "2022-06-30", "60.0")],
            ["IND-306,D32,2022-06-01,DEPT,58.6,,,"],
        )
    message = str(info.value)
    assert barometre.ETALAB in message and "row 2 (line 3)" in message and "column 'valeur'" in message
    assert f"{barometre.DITP} (row 1)" in message and "1.40 points apart" in message


def test_a_gap_of_exactly_the_rounding_passes(tmp_path):
    frame = joined(
        tmp_path, [etalab_line("57", "Moselle", "2022-06-30", "82.0")], ["IND-306,D57,2022-06-01,DEPT,81.5,,,"]
    )
    assert frame["share"].tolist() == [pytest.approx(0.815)]


def test_a_date_in_the_other_files_convention_is_refused_with_its_row(tmp_path):
    with pytest.raises(DataError, match=r"column 'date'.*data row 2 .*2022-06-01.*does not match"):
        joined(
            tmp_path,
            [etalab_line("32", "Gers", "2022-03-31", "56.0"), etalab_line("32", "Gers", "2022-06-01", "59.0")],
            [],
        )


def test_a_ditp_row_with_two_values_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"row 1 .*both an initial"):
        joined(tmp_path, [etalab_line("32", "Gers", "2022-06-30", "59.0")], ["IND-306,D32,2022-06-01,DEPT,58.6,58.7,,"])


# --- an altered file ----------------------------------------------------------------------------------------


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A raw folder holding a copy of the real baromètre folder (and ARCEP's, which the peers need)."""
    shutil.copytree(BAROMETRE_DIR, tmp_path / "raw" / barometre.FOLDER)
    return tmp_path / "raw"


def alter(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_altered_value_that_breaks_the_overlap_is_refused_with_file_and_row(raw_copy):
    # The Gers in September 2022: 61 % in the etalab file, 60.97 % in DITP's; made 66 %.
    alter(raw_copy / barometre.FOLDER / barometre.ETALAB, "Gers,2022-09-30,61.0", "Gers,2022-09-30,66.0")
    with pytest.raises(DataError) as info:
        barometre.load_barometre(raw_copy)
    rows = pd.read_csv(raw_copy / barometre.FOLDER / barometre.ETALAB, dtype=str)
    row = int(rows.index[(rows["code_departement"] == "32") & (rows["date"] == "2022-09-30")][0]) + 1
    assert str(info.value).startswith(f"{raw_copy / barometre.FOLDER / barometre.ETALAB}, row {row} (line {row + 1})")
    assert "code_departement=32, quarter=2022-Q3" in str(info.value)


def test_an_impossible_value_is_refused_with_file_row_and_column(raw_copy):
    alter(raw_copy / barometre.FOLDER / barometre.DITP, "D32,2023-03-01,DEPT,,65.31", "D32,2023-03-01,DEPT,,165.31")
    with pytest.raises(DataError, match=r"ditp_ind-306_taux_deploiement_fibre.csv, column 'indic_va'.*data row \d+"):
        barometre.load_barometre(raw_copy)


def test_a_plausible_alteration_is_caught_by_the_fingerprint(raw_copy):
    alter(raw_copy / barometre.FOLDER / barometre.ETALAB, "Gers,2019-03-31,19.0", "Gers,2019-03-31,20.0")
    with pytest.raises(DataError, match=r"etalab_taux_deploiement_fibre_departements.csv: the file changed"):
        barometre.load_barometre(raw_copy)


def test_a_bad_end_point_entry_is_refused_with_its_key_and_field(raw_copy):
    path = raw_copy / barometre.FOLDER / barometre.ENDPOINT
    data = json.loads(path.read_text(encoding="utf-8"))
    data["departments"]["FR-32"]["premises"] = -5
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"column 'premises': departments\['FR-32'\] \(entry \d+\): premises is -5"):
        barometre.load_barometre(raw_copy)


def test_a_fingerprint_file_missing_a_file_is_refused(raw_copy):
    sums = raw_copy / barometre.FOLDER / "SHA256SUMS"
    sums.write_text("".join(line for line in sums.read_text().splitlines(True) if barometre.POPULATION not in line))
    with pytest.raises(DataError, match="no fingerprint for"):
        barometre.load_barometre(raw_copy)


def test_a_total_population_below_the_municipal_one_is_refused(tmp_path):
    population = pd.DataFrame(
        {"department": ["32"], "municipal_population": [10], "total_population": [9], "source_row": [4]}
    )
    with pytest.raises(DataError, match=r"row 4 .*\[DEP=32\], column 'PTOT'"):
        barometre.check_population(population, tmp_path / "p.csv")


# --- trajectories -------------------------------------------------------------------------------------------


def tiny_series(shares: dict[str, list[float]], first: str = "2019-Q4", decimals: int = 0) -> pd.DataFrame:
    """One row per département and quarter from ``first`` on, with its shares (NaN: no row)."""
    start = pd.Period(first.replace("-Q", "Q"), freq="Q")
    rows = []
    for code, values in shares.items():
        for k, share in enumerate(values):
            if share is None:
                continue
            period = start + k
            rows.append(
                {
                    "department": code,
                    "department_name": f"D{code}",
                    "metropolitan": not code.startswith("97"),
                    "quarter": f"{period.year}-Q{period.quarter}",
                    "quarter_end": period.end_time.strftime("%Y-%m-%d"),
                    "share": share,
                    "decimals": decimals,
                    "source_file": "f.csv",
                    "source_row": k + 1,
                }
            )
    return pd.DataFrame(rows)


def test_crossing_quarters_first_at_or_above_before_series_and_not_yet():
    frame = series.crossings(
        tiny_series({"01": [0.40, 0.50, 0.45, 0.85], "02": [0.60, 0.70, 0.79, 0.79], "03": [0.1, 0.2, 0.3, 0.4]})
    ).set_index(["department", "threshold"])
    assert frame.loc[("01", 0.5), ["status", "quarter", "previous_share"]].tolist() == ["crossed", "2020-Q1", 0.40]
    assert frame.loc[("01", 0.8), "quarter"] == "2020-Q3"  # the dip in 2020-Q2 does not move the first crossing
    assert frame.loc[("02", 0.5), "status"] == "before_series"
    assert frame.loc[("02", 0.8), "status"] == "not_by_series_end" and frame.loc[("02", 0.8), "quarter"] == ""
    assert frame.loc[("03", 0.5), "last_share"] == 0.4


def test_points_per_year_between_two_quarter_ends():
    gained, years = series.points_per_year(tiny_series({"01": [0.10, 0.15, 0.20, 0.25, 0.30]}), "2019-Q4", "2020-Q4")
    assert years == pytest.approx(366 / 365.25)  # 2020 is a leap year
    assert gained.loc["01", "points_per_year"] == pytest.approx(20 / years)


WINDOWS = pd.DataFrame(
    {
        "window": ["early", "late", "fixed"],
        "evidence_id": ["a|contract|2016-09-15", "b|concession|2019-04-24", ""],
        "start": ["", "", "2018-12-31"],
    }
)
EXTERNAL = pd.DataFrame(
    {"topic": ["a", "b"], "figure": ["contract", "concession"], "as_of": ["2016-09-15", "2019-04-24"]}
)


def test_each_window_starts_at_the_last_quarter_end_before_its_event():
    windows = series.window_starts(WINDOWS, EXTERNAL, "2017-12-31").set_index("window")["from_quarter"]
    # A start before the series: its first quarter; 24 April 2019: the quarter before; a quarter's last day: itself.
    assert windows.to_dict() == {"early": "2017-Q4", "late": "2019-Q1", "fixed": "2018-Q4"}


def test_a_window_dated_by_an_unknown_row_names_its_row():
    broken = WINDOWS.assign(evidence_id=["a|contract|2016-09-15", "b|concession|2019", ""])
    with pytest.raises(DataError, match=r"w.csv, row 2 \(line 3\) \[window=late\], column 'evidence_id'"):
        series.window_starts(broken, EXTERNAL, "2017-12-31", "w.csv")


def test_pace_gives_each_studied_one_and_the_medians_over_the_same_window():
    data = tiny_series({"01": [0.1, 0.3], "02": [0.2, 0.3], "03": [0.0, 0.4], "971": [0.0, 0.9]})
    windows = pd.DataFrame(
        {"window": ["w"], "start_event": ["2019-10-01"], "evidence_id": [""], "from_quarter": ["2019-Q4"]}
    )
    paced = series.pace(data, windows, ["01"], {"01": ["02", "03"]}).set_index("subject")
    years = paced.loc["01", "years"]
    assert paced.loc["01", "points_per_year"] == pytest.approx(20 / years, rel=1e-3)
    # Overseas départements stay out of the metropolitan median: 20, 10 and 40 points.
    assert paced.loc[series.METRO_MEDIAN, "points_per_year"] == pytest.approx(20 / years, rel=1e-3)
    assert paced.loc[series.METRO_MEDIAN, "departments"] == 3
    assert paced.loc[f"{series.PEERS_MEDIAN}_01", "points_per_year"] == pytest.approx(25 / years, rel=1e-3)


# --- the claims ---------------------------------------------------------------------------------------------

GERS = tiny_series({"32": [0.42, 0.46, 0.49, 0.51, 0.53]}, first="2020-Q2")


def claim(**values) -> dict:
    return {"claimed": 0.5, "as_of": "2020-09-11", "tolerance_points": 2.5, **values}


def test_a_share_above_the_quarter_it_was_said_in():
    result = series.check_share(claim(), GERS)
    assert result["verdict"] == "higher_than_the_series" and result["quarter"] == "2020-Q3"
    assert result["series_value"] == 0.46
    assert "first reached 50% in 2021-Q1" in result["data_show"]  # 49 % rounds to at most 49.5 %


def test_a_share_within_both_roundings_is_consistent_and_one_below_is_lower():
    assert series.check_share(claim(as_of="2020-12"), GERS)["verdict"] == "consistent"  # 49 % against "half"
    assert series.check_share(claim(claimed=0.40, tolerance_points=0.5), GERS)["verdict"] == "lower_than_the_series"


def test_a_year_the_series_covers_only_in_part_cannot_be_checked_unless_a_quarter_matches():
    assert series.check_share(claim(claimed=0.60, as_of="2021", tolerance_points=0.5), GERS)["verdict"] == (
        "cannot_be_checked"
    )
    assert series.check_share(claim(claimed=0.53, as_of="2021", tolerance_points=0.5), GERS)["verdict"] == "consistent"
    assert series.check_share(claim(as_of="2030"), GERS)["verdict"] == "cannot_be_checked"


def test_a_target_is_met_or_missed_in_the_quarter_holding_its_due_date():
    missed = series.check_target(claim(claimed=2 / 3, as_of="2020-12-31"), GERS)
    assert missed["verdict"] == "target_missed" and missed["quarter"] == "2020-Q4"
    assert series.check_target(claim(claimed=0.5, as_of="2021-02-15", tolerance_points=0), GERS)["verdict"] == (
        "target_met"
    )


def test_a_target_due_after_the_series_ends_is_missed_only_when_a_later_end_point_is_still_short_of_it():
    short = pd.Series({"ftth_share": 0.949, "as_of": "2026-06-30"})
    missed = series.check_target(claim(claimed=1.0, as_of="2025-12-31", tolerance_points=0.5), GERS, short)
    assert missed["verdict"] == "target_missed" and missed["quarter"] == "" and missed["series_value"] == 0.949
    # Reached by the end point: when is unknown, so it cannot be checked.
    done = pd.Series({"ftth_share": 0.998, "as_of": "2026-06-30"})
    assert series.check_target(claim(claimed=1.0, as_of="2025-12-31", tolerance_points=0.5), GERS, done)["verdict"] == (
        "cannot_be_checked"
    )
    # An end point before the due date says nothing of it; without one the quarter is simply not covered.
    early = pd.Series({"ftth_share": 0.5, "as_of": "2024-06-30"})
    for point in (early, None):
        result = series.check_target(claim(claimed=1.0, as_of="2025-12-31"), GERS, point)
        assert result["verdict"] == "cannot_be_checked" and math.isnan(result["series_value"])


def test_each_target_is_set_against_its_departements_checked_claim_chosen_by_id():
    targets = pd.DataFrame(
        {
            "initiative": ["gers", "gers", "tarn", "tarn"],
            "target_id": ["own", "national_2025", "plugs", "national_2025"],
            "by_id": ["own", "national_2025", "deadline", "national_2025"],
        }
    )
    claims = pd.DataFrame(
        {
            "claim_id": ["g_own", "g_2025", "t_deadline", "t_share"],
            "department": ["32", "32", "81", "81"],
            "evidence_id": ["own", "national_2025", "deadline", "national_2025"],
            "test": ["target", "target", "target", "share"],  # a share claim of the same row is no target check
            "quarter": ["2020-Q4", float("nan"), "2022-Q4", "2023-Q1"],
            "series_value": [0.49, 0.949, 0.72, 0.8],
            "reached_quarter": ["2023-Q2", "", "", "2023-Q1"],
        }
    )
    got = series.targets_on_the_series(targets, claims, {"32": "2026-06-30"}, {"gers": "32", "tarn": "81"})
    # When the series reached the share due: a quarter's end, or nothing where it never did.
    assert list(got["reached_on"]) == ["2023-06-30", "", "", ""]
    assert list(got["claim_id"]) == ["g_own", "g_2025", "t_deadline", ""]  # the Tarn's 2025 goal: not checked
    assert list(got["series_on"]) == ["2020-12-31", "2026-06-30", "2022-12-31", ""]  # a quarter's end, the end point
    assert got["series_share"].iloc[:3].tolist() == [0.49, 0.949, 0.72] and math.isnan(got["series_share"].iloc[3])
    twice = pd.concat([claims, claims.iloc[[0]].assign(claim_id="again")], ignore_index=True)
    with pytest.raises(StudyError, match=r"\['g_own', 'again'\] all check the target 'own'"):
        series.targets_on_the_series(targets, twice, {}, {"gers": "32", "tarn": "81"})


def test_a_count_is_set_against_the_whole_departements_premises_of_the_same_basis():
    premises = {"before": (100_000, "pre-2020"), "after": (120_000, "post-2020")}
    consistent = series.check_count(claim(claimed=40_000, as_of="2020-09-11"), GERS, premises)
    assert consistent["verdict"] == "not_above_the_series"  # possible, never confirmed: the series is a ceiling
    assert consistent["series_value"] == round(0.46 * 120_000)  # 2020-Q3 is counted on the post-2020 basis
    # 46 % rounds to at most 46.5 %: 55 800 premises; a network cannot have built more.
    assert series.check_count(claim(claimed=56_000, as_of="2020-09-11"), GERS, premises)["verdict"] == (
        "higher_than_the_series"
    )
    early = series.check_count(claim(claimed=1, as_of="2019-12"), tiny_series({"32": [0.3]}), premises)
    assert early["series_value"] == 30_000  # 2019-Q4 is counted on the pre-2020 basis


def test_a_zone_declared_complete_against_the_end_point():
    point = pd.Series({"ftth_share": 0.949, "premises": 138_415, "as_of": "2026-06-30"})
    result = series.check_zone_complete(claim(claimed=1.0, tolerance_points=0.5), point)
    assert result["verdict"] == "not_confirmed" and "about 7,059 could not" in result["data_show"]
    done = pd.Series({"ftth_share": 0.998, "premises": 1000, "as_of": "2026-06-30"})
    assert series.check_zone_complete(claim(claimed=1.0, tolerance_points=0.5), done)["verdict"] == "consistent"


def test_claims_are_chosen_by_ids_and_an_unknown_id_names_its_row():
    figures = pd.DataFrame({"figure_id": ["half"], "value": [0.5], "as_of": ["2020-09-11"]})
    external = pd.DataFrame({"topic": ["t"], "figure": ["share"], "as_of": ["2020-12"], "value": [0.49]})
    claims = pd.DataFrame(
        {
            "claim_id": ["a", "b"],
            "department": ["32", "32"],
            "evidence_id": ["half", "t|share|2020-12"],
            "test": ["share", "share"],
            "claimed": [math.nan, math.nan],
            "as_of": ["", ""],
            "date_basis": ["x", "x"],
            "tolerance_points": [2.5, 0.5],
            "reading": ["r", "r"],
        }
    )
    endpoint = pd.DataFrame({"department": ["32"], "premises": [1000], "ftth_share": [0.9], "as_of": ["2026-06-30"]})
    checked = series.check_claims(claims, GERS, endpoint, {}, figures, external).set_index("claim_id")
    assert checked.loc["a", "verdict"] == "higher_than_the_series" and checked.loc["a", "as_of"] == "2020-09-11"
    assert checked.loc["b", "verdict"] == "consistent" and checked.loc["b", "claimed"] == 0.49
    assert checked.loc["b", "evidence_table"] == "data/processed/external_figures.csv"
    # The first quarter whose share reached the one claimed (49 % rounds to at most 49.5 %: not yet half).
    assert checked.loc["a", "reached_quarter"] == "2021-Q1" and checked.loc["b", "reached_quarter"] == "2020-Q4"
    with pytest.raises(DataError, match=r"claims.csv, row 2 \(line 3\) \[claim_id=b\], column 'evidence_id'"):
        series.check_claims(
            claims.assign(evidence_id=["half", "t|share|2021"]), GERS, endpoint, {}, figures, external, "claims.csv"
        )


def test_the_fingerprints_of_the_copy_are_the_readmes(sources_dir):
    """SHA256SUMS lists each of the five files with the digest of the bytes in the project."""
    listed = dict(
        reversed(line.split()) for line in (BAROMETRE_DIR / "SHA256SUMS").read_text().splitlines() if line.strip()
    )
    assert set(listed) == set(barometre.FILES)
    for name, digest in listed.items():
        assert hashlib.sha256((BAROMETRE_DIR / name).read_bytes()).hexdigest() == digest


def test_a_networks_own_pace_is_quoted_from_its_contracts_row_and_two_raw_shares():
    from divide_study.analysis.quoted import Quotes, combine, primary_sources

    data = tiny_series({"01": [0.1, 0.2, 0.3, 0.5]}).assign(source_file="etalab_x.csv")
    windows = pd.DataFrame(
        {
            "window": ["own"],
            "start_event": ["2019-12-01"],
            "evidence_id": ["a|contract|2019-12-01"],
            "from_quarter": ["2019-Q4"],
        }
    )
    paced = series.pace(data, windows, ["01"], {"01": []})
    evidence = pd.DataFrame(
        {
            "evidence_id": ["a|contract|2019-12-01"],
            "kind": ["reference"],
            "value": [8.0],
            "as_of": ["2019-12-01"],
        }
    )
    q = Quotes("series")
    series._own_network_pace(q, "net", "01", paced, "own", data.set_index("quarter"), evidence)
    frame = combine([q.frame()])
    rate = frame.loc["series.net.own_network.points_per_year"]
    assert rate["operation"] == "per_year" and rate["unit"] == "points_per_year"
    assert rate["value"] == pytest.approx(paced.iloc[0]["points_per_year"])
    start = frame.loc["series.net.own_network.start"]
    assert (start["date"], start["source_column"]) == ("2019-12-01", "as_of")  # the contract's row, its date
    # Both shares are read from their raw file's rows: the walk ends there, never at a processed table.
    ends = primary_sources(frame, "series.net.own_network.points_per_year")
    assert ends == [
        ("data/raw/reference/barometre/etalab_x.csv", "row=1", "valeur"),
        ("data/raw/reference/barometre/etalab_x.csv", "row=4", "valeur"),
    ]
    with pytest.raises(Exception, match="window 'other'"):
        series._own_network_pace(Quotes("series"), "net", "01", paced, "other", data.set_index("quarter"), evidence)


def test_each_claims_reading_and_what_the_series_cannot_show_are_in_both_editions():
    """The claims table shows how the study reads each claim's words and what the series cannot show about it, in
    the edition's language (words.csv): the English sentences of series_claims.csv never reach the French page."""
    import html
    import re

    from divide_study.language.datatext import DataText

    editions = {"en": config.REPORT_DIR / "report.html", "fr": config.REPORT_DIR / "rapport.html"}
    if not all(path.is_file() for path in editions.values()):
        pytest.skip("the report has not been built in this checkout (uv run study build)")
    claims = pd.read_csv(config.PROCESSED_DIR / "series_claims.csv", dtype=str, keep_default_na=False)
    words = pd.read_csv(config.RAW_DIR / "words.csv", dtype=str, keep_default_na=False)
    for lang, path in editions.items():
        page = html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))
        said = DataText(lang, words)
        for column in ("reading", "data_cannot_show"):
            for value in claims[column]:
                shown = said(value, "series_claims.csv", column)
                if column == "data_cannot_show":  # listed after its kind and a colon: it goes on in lower case
                    shown, value = shown[:1].lower() + shown[1:], value[:1].lower() + value[1:]
                assert shown in page, (lang, column, value)
                if lang == "fr":
                    assert value not in page, value


def test_a_per_inhabitant_figure_names_the_year_of_the_count_it_divides_by():
    """Phase 1's public money per inhabitant is said with the year of the population it divides by, and that year
    is the one its quoted population input speaks for (the count nearest the amount's year)."""
    import re

    report = config.REPORT_DIR / "report.html"
    if not report.is_file():
        pytest.skip("the report has not been built in this checkout (uv run study build)")
    said = re.findall(
        r'per inhabitant \(the population counted in <a class="num" href="#number-\d+"[^>]*>(\d{4})</a>\)',
        report.read_text(encoding="utf-8"),
    )
    quoted = pd.read_csv(config.PROCESSED_DIR / "quoted_compare.csv", dtype=str, keep_default_na=False)
    years = quoted[quoted["key"].str.endswith(".population.year")].set_index("key")["value"]
    populations = quoted.set_index("key")
    assert said, "no per-inhabitant figure of the money section names its population's year"
    for key, year in years.items():
        population = populations.loc[key.removesuffix(".year")]
        assert population["as_of"][:4] == str(int(float(year))), key
    assert set(said) <= {str(int(float(y))) for y in years}


def test_a_national_aim_is_a_benchmark_for_a_departement_never_its_missed_target():
    external = pd.DataFrame(
        {"topic": ["national", "gers"], "figure": ["goal", "own"], "as_of": ["2019", "2019"], "value": [0.8, 0.8]}
    )
    claims = pd.DataFrame(
        {
            "claim_id": ["national", "own"],
            "department": ["32", "32"],
            "evidence_id": ["national|goal|2019", "gers|own|2019"],
            "test": ["target", "target"],
            "claimed": [math.nan, math.nan],
            "as_of": ["2020-12-31", "2020-12-31"],
            "date_basis": ["x", "x"],
            "tolerance_points": [0.5, 0.5],
            "reading": ["r", "r"],
        }
    )
    endpoint = pd.DataFrame({"department": ["32"], "premises": [1000], "ftth_share": [0.9], "as_of": ["2026-06-30"]})
    checked = series.check_claims(claims, GERS, endpoint, {}, pd.DataFrame(columns=["figure_id"]), external)
    verdicts = checked.set_index("claim_id")["verdict"]
    assert verdicts["national"] == "below_the_national_aim" and verdicts["own"] == "target_missed"


def test_each_first_and_last_share_is_quoted_with_its_quarters_end_from_the_same_row():
    """A share that "rose from … to …" says from when to when: each studied département's first and last share has
    its quarter's end quoted beside it (``<slug>.share_first.on``), read from the same raw row as the share."""
    path = config.PROCESSED_DIR / "quoted_series.csv"
    if not path.exists():
        pytest.skip("the study has not been built in this checkout")
    quoted = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("key")
    shares = [k for k in quoted.index if k.endswith((".share_first", ".share_last"))]
    assert {"series.gers_numerique.share_first", "series.tarn.share_last"} <= set(shares)
    for share in shares:
        on = quoted.loc[f"{share}.on"]
        assert on["unit"] == "date" and on["date"] == quoted.loc[share, "as_of"], share
        assert (on["source_table"], on["source_row"]) == (
            quoted.loc[share, "source_table"],
            quoted.loc[share, "source_row"],
        )


def test_the_populations_sentence_dates_them_by_their_rows_reference_year():
    """INSEE's populations are said with the reference year their quoted rows carry, recorded as a date whose
    entry links the populations it dates; populations of two different years in one sentence are refused, naming
    the file."""
    from types import SimpleNamespace

    from divide_study.report.series_section import population_year

    quoted = pd.DataFrame(
        {"value": [192645.0, 397352.0, 1.0], "as_of": ["2023", "2023", "2021"]},
        index=["series.a.population_2023.municipal", "series.b.population_2023.municipal", "series.c.other"],
    )
    recorded = []
    report = SimpleNamespace(
        quoted=quoted,
        input_link=lambda key: f"<{key}>",
        date=lambda value, what, basis: recorded.append((value, what, basis)) or value,
    )
    assert population_year(report, {key: key for key in quoted.index[:2]}, str) == "2023"
    assert recorded[0][2].endswith("<series.a.population_2023.municipal>, <series.b.population_2023.municipal>")
    with pytest.raises(StudyError, match=r"quoted_series\.csv.*different years"):
        population_year(report, {key: key for key in quoted.index}, str)
