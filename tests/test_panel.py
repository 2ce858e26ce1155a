"""ARCEP's files and the national panel, on tiny inline tables written in ARCEP's own layout."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis import panel
from divide_study.data import arcep
from divide_study.errors import DataError
from divide_study.report import panel_section

ARCEP_DIR = config.RAW_DIR / "arcep_2018"
NBSP = "\u00a0"
TITLE = "Réseaux en fibre optique jusqu'à l'abonné (FttH)"


def arcep_file(header: str, rows: list[str]) -> str:
    """A file as ARCEP prints it: four title lines, the header on line 5."""
    width = header.count(",")
    return "\n".join([f"{TITLE}{',' * width}", f"Titre{',' * width}", "," * width, "," * width, header, *rows]) + "\n"


COMMUNES_HEADER = (
    "Code commune,Nom commune,Code région,Code département,Siren EPCI,Logements,Établissements,Zones très denses,"
    "Engagements L. 33-13,Intentions privées hors engagement L. 33-13,Commune rurale,Commune de montagne,OI 2018 T1"
)


def commune(code, dep, region, dwellings, dense="-", commitment="-", intention="-", rural="1", business="-"):
    return (
        f"{code},Commune {code},{region},{dep},200000000, {dwellings}    , {business}    , {dense}    ,"
        f"{commitment} , {intention}    , {rural}    , -    ,"
    )


def tiny_folder(tmp_path: Path, communes: list[str], plugs: dict[str, tuple[int, int, int]], departements: list[str]):
    """A complete ARCEP folder: the real schemas and provenance, tiny tables, fingerprints recomputed."""
    folder = tmp_path / "arcep_2018"
    folder.mkdir()
    for schema in ARCEP_DIR.glob("*.schema.json"):
        shutil.copy(schema, folder / schema.name)
    shutil.copy(ARCEP_DIR / "provenance.csv", folder / "provenance.csv")
    ftth = []
    for code, (q3, q4, q1) in plugs.items():
        ftth += [f"{code},Locaux Raccordables,{q3},{q4},{q1}", f"{code},Catégorie,0,0,0"]
    per_dep: dict[str, list[int]] = {}
    for code, values in plugs.items():
        dep = next(line.split(",")[3] for line in communes if line.startswith(code + ","))
        per_dep[dep] = [a + b for a, b in zip(per_dep.get(dep, [0, 0, 0]), values, strict=True)]
    texts = {
        "communes.csv": arcep_file(COMMUNES_HEADER, communes),
        "ftthCommunes.csv": arcep_file("Code commune,Champ,T3 2017,T4 2017,T1 2018", ftth),
        "departements.csv": arcep_file(
            "Code département,Nom département,Code région,Logements,Établissements", departements
        ),
        "ftthDepartements.csv": arcep_file(
            "Code département,Champ,T3 2017,T4 2017,T1 2018",
            [f"{dep},Locaux Raccordables,{v[0]},{v[1]},{v[2]}" for dep, v in sorted(per_dep.items())],
        ),
        "regions.csv": arcep_file(
            "Code région,Nom région,Logements,Établissements",
            [
                "76,Occitanie, 1" + NBSP + "000    , -    ",
                "11,Île-de-France, 500    , 20    ",
                "01,Guadeloupe, 9    , -    ",
            ],
        ),
        "ftthRegions.csv": arcep_file("Code région,Champ,T3 2017,T4 2017,T1 2018", ["76,Locaux Raccordables,1,2,3"]),
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    sums = "".join(f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" for name in sorted(texts))
    (folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return folder


DEPARTEMENTS = [
    "32,Gers,76, 1" + NBSP + "300    , 10    ",
    "81,Tarn,76, 2" + NBSP + "000    , 10    ",
    "75,Paris,11, 500    , 20    ",
    "971,Guadeloupe,01, 9    , -    ",
    "975,Saint-Pierre-et-Miquelon,05, 3    , -    ",  # a collectivité without a row in regions.csv
]
COMMUNES = [
    commune("32001", "32", "76", "1" + NBSP + "000"),  # public-initiative, rural
    commune("32002", "32", "76", "300", commitment="FRTE", rural="-"),  # private by commitment
    commune("81001", "81", "76", "1 500", intention="1", rural="-"),  # private by intention
    commune("81002", "81", "76", "500", commitment="FRTE partielle"),  # partial commitment: private
    commune("75101", "75", "11", "500", dense="1", rural="-"),  # very dense: private
    commune("97101", "971", "01", "9"),
    commune("97501", "975", "05", "3"),
]
PLUGS = {
    "32001": (0, 50, 100),
    "32002": (10, 20, 30),
    "81001": (0, 0, 0),
    "81002": (5, 5, 5),
    "75101": (400, 450, 500),
    "97101": (0, 0, 1),
    "97501": (0, 0, 0),
}


@pytest.fixture()
def tiny(tmp_path):
    return tiny_folder(tmp_path, COMMUNES, PLUGS, DEPARTEMENTS)


def test_reads_arcep_layout_with_spaces_and_dashes(tiny):
    data = arcep.load_arcep(tiny)
    communes = data.communes.set_index("Code commune")
    assert communes.loc["32001", "Logements"] == 1000  # no-break space as thousands separator
    assert communes.loc["81001", "Logements"] == 1500  # ordinary space
    assert pd.isna(communes.loc["32001", "Établissements"])  # "-" = none
    assert communes.loc["81002", "Engagements L. 33-13"] == "FRTE partielle"
    assert data.departements.set_index("Code département").loc["81", "Logements"] == 2000


def test_counts_lose_every_kind_of_white_space_and_nothing_else():
    import sys

    assert set(arcep.WHITE_SPACES) == {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    cells = pd.Series([" 1\u202f234 ", "\t56\u00a0", " -    ", "", "1 5OO", "12.5", "\u0663"], dtype=str)
    numbers, bad = arcep._parse_counts(cells, {"-", ""})
    assert numbers.tolist()[:2] == [1234, 56] and numbers.isna().tolist()[2:6] == [True] * 4
    # Not counts: a letter, a decimal point; an Arabic-Indic digit is a digit to Python (as r"\d" was)
    assert bad.tolist() == [False, False, False, False, True, True, False]


def test_a_changed_file_stops_naming_it(tiny):
    path = tiny / "communes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Commune 32001", "Commune X"), encoding="utf-8")
    with pytest.raises(DataError, match=r"communes\.csv: the file changed"):
        arcep.load_arcep(tiny)


def test_a_file_missing_from_the_fingerprints_stops(tiny):
    sums = tiny / "SHA256SUMS"
    kept = [line for line in sums.read_text().splitlines() if not line.endswith(" regions.csv")]
    sums.write_text("\n".join(kept) + "\n")
    with pytest.raises(DataError, match=r"SHA256SUMS: no fingerprint for \['regions.csv'\]"):
        arcep.check_fingerprints(tiny)


def test_a_bad_count_names_row_line_column_and_key(tmp_path):
    communes = [*COMMUNES]
    communes[2] = commune("81001", "81", "76", "1 5OO", intention="1")  # letter O instead of zero
    folder = tiny_folder(tmp_path, communes, PLUGS, DEPARTEMENTS)
    with pytest.raises(DataError) as caught:
        arcep.load_arcep(folder)
    message = str(caught.value)
    assert "communes.csv" in message and "column 'Logements'" in message
    assert "data row 3 (line 8)" in message and "Code commune=81001" in message and "'1 5OO'" in message


def test_a_wrong_header_is_refused(tiny):
    path = tiny / "ftthCommunes.csv"
    text = path.read_text(encoding="utf-8").replace("T1 2018", "T2 2018")
    with pytest.raises(DataError, match=r"line 5 should be the header"):
        path.write_text(text, encoding="utf-8")
        arcep.read_arcep_table(path)


def test_an_unknown_field_value_is_refused(tiny):
    path = tiny / "ftthCommunes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Catégorie", "Categorie", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"column 'Champ': data row 2 \(line 7\)"):
        arcep.read_arcep_table(path)


def test_zones_follow_arcep_definition(tiny):
    data = arcep.load_arcep(tiny)
    zones = dict(zip(data.communes["Code commune"], panel.commune_zones(data.communes), strict=True))
    assert zones == {
        "32001": panel.PUBLIC,
        "32002": panel.PRIVATE,
        "81001": panel.PRIVATE,
        "81002": panel.PRIVATE,
        "75101": panel.PRIVATE,
        "97101": panel.PUBLIC,
        "97501": panel.PUBLIC,
    }


@pytest.fixture()
def tiny_panel(tiny):
    data = arcep.load_arcep(tiny)
    built = panel.build_panel(data)
    panel.check_against_departements(built, data)
    return built


def test_panel_sums_plugs_by_zone_and_keeps_empty_zones(tiny_panel):
    at = tiny_panel[tiny_panel["quarter"] == "T1 2018"].set_index(["department", "zone"])
    assert at.loc[("32", panel.PUBLIC), "plugs"] == 100 and at.loc[("32", panel.PUBLIC), "dwellings"] == 1000
    assert at.loc[("32", panel.PUBLIC), "share_of_dwellings"] == pytest.approx(0.1)
    assert at.loc[("32", panel.PRIVATE), "plugs"] == 30
    assert at.loc[("32", panel.ALL), "plugs"] == 130 and at.loc[("32", panel.ALL), "dwellings"] == 1300
    # The Tarn has no public-initiative commune here: a zero row, and no share.
    assert at.loc[("81", panel.PUBLIC), "dwellings"] == 0 and pd.isna(
        at.loc[("81", panel.PUBLIC), "share_of_dwellings"]
    )
    assert at.loc[("32", panel.ALL), "rural_dwellings"] == 1000
    assert not at.loc[("971", panel.ALL), "metropolitan"] and at.loc[("32", panel.ALL), "metropolitan"]
    assert len(tiny_panel) == 5 * 3 * 3  # départements × quarters × zones
    assert list(tiny_panel.columns) == panel.PANEL_COLUMNS


def test_panel_must_match_arcep_departement_totals(tiny):
    data = arcep.load_arcep(tiny)
    data.ftth_departements.loc[data.ftth_departements["Code département"] == "32", "T4 2017"] = 999
    with pytest.raises(DataError, match=r"ftthDepartements.csv, column 'T4 2017'.*département 32, T4 2017.*999"):
        panel.check_against_departements(panel.build_panel(data), data)


def profile_panel(rows: list[tuple[str, str, float, float, int, int]]) -> pd.DataFrame:
    """A panel at one quarter from (code, region, rural share, public-zone share, public plugs, dwellings)."""
    records = []
    for code, region, rural, public_zone, plugs, dwellings in rows:
        public_dwellings = int(dwellings * public_zone)
        common = {
            "department": code,
            "department_name": f"D{code}",
            "region": region,
            "region_name": f"R{region}",
            "metropolitan": not code.startswith("97"),
            "quarter": "T1 2018",
            "quarter_end": "2018-03-31",
        }
        records.append(
            {
                **common,
                "zone": panel.ALL,
                "dwellings": dwellings,
                "rural_dwellings": int(dwellings * rural),
                "plugs": plugs,
                "share_of_dwellings": plugs / dwellings,
            }
        )
        records.append(
            {
                **common,
                "zone": panel.PUBLIC,
                "dwellings": public_dwellings,
                "rural_dwellings": 0,
                "plugs": plugs,
                "share_of_dwellings": plugs / public_dwellings if public_dwellings else None,
            }
        )
    return pd.DataFrame(records)


SMALL = profile_panel(
    [
        ("32", "76", 0.60, 0.80, 200, 1000),
        ("48", "76", 0.62, 0.85, 150, 1000),
        ("81", "76", 0.30, 0.60, 10, 1000),
        ("09", "76", 0.10, 0.10, 0, 1000),
        ("60", "32", 0.33, 0.70, 700, 1000),
        ("75", "11", 0.00, 0.00, 0, 1000),  # no public-initiative zone: not ranked
        ("971", "01", 0.61, 0.80, 0, 1000),  # overseas: never a peer
    ]
)


def test_peers_are_the_nearest_metropolitan_departements():
    profile = panel.department_profile(SMALL)
    assert list(panel.peers(profile, "32", 2)["department"]) == ["48", "60"]
    with pytest.raises(ValueError, match="peer count"):
        panel.peers(profile, "32", 0)


def test_placement_ranks_nationally_in_region_and_among_peers():
    place = panel.placement(SMALL, ["32", "81"], 2).set_index("department")
    assert place.loc["32", "departments_ranked"] == 5  # Paris and overseas left out
    assert place.loc["32", "rank_public_share"] == 2  # behind the Oise
    assert place.loc["32", "rank_in_region"] == 1 and place.loc["81", "rank_in_region"] == 3
    assert place.loc["32", "rank_among_peers"] == 2  # the Oise, a peer, is ahead
    assert place.loc["32", "peers"] == "D48, D60"


def claims_table(test: str, claimed=None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "claim_id": "c",
                "article": "001",
                "span": "s",
                "start": 0,
                "end": 1,
                "speaker": "president (interested party)",
                "said": "2019-03-15",
                "test": test,
                "department": "32",
                "claimed_value": claimed,
            }
        ]
    )


def three_quarters(public_plugs: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    rows = []
    for code, values in public_plugs.items():
        for quarter, plugs in zip(arcep.QUARTERS, values, strict=True):
            rows.append(
                {
                    "department": code,
                    "department_name": f"D{code}",
                    "region": "76",
                    "region_name": "Occitanie",
                    "metropolitan": True,
                    "quarter": quarter,
                    "zone": panel.PUBLIC,
                    "plugs": plugs,
                }
            )
    return pd.DataFrame(rows)


def test_claim_largest_in_region_is_read_carefully():
    ahead = three_quarters({"32": (10, 50, 100), "48": (80, 85, 90), "81": (0, 0, 5)})
    result = panel.check_claims(claims_table("largest_public_zone_in_region"), ahead).iloc[0]
    assert result["verdict"] == panel.CONSISTENT
    assert "the most of Occitanie's 3 départements (next: D48, 90)" in result["data_show"]
    assert "In Q3 2017 it was 2nd: D48 had 80 against 10" in result["data_show"]
    assert "2019" in result["data_cannot_show"]
    behind = three_quarters({"32": (10, 50, 80), "48": (80, 85, 90)})
    assert panel.check_claims(claims_table("largest_public_zone_in_region"), behind).iloc[0]["verdict"] == (
        panel.NOT_SUPPORTED
    )


def test_claim_against_rest_of_region_sums_the_others():
    holds = three_quarters({"32": (0, 0, 100), "48": (0, 0, 60), "81": (0, 0, 40)})
    result = panel.check_claims(claims_table("public_zone_vs_rest_of_region"), holds).iloc[0]
    assert result["verdict"].startswith(panel.CONSISTENT)
    assert "D32 100 against 100 for the 2 other" in result["data_show"]
    fails = three_quarters({"32": (0, 0, 100), "48": (0, 0, 60), "81": (0, 0, 41)})
    assert panel.check_claims(claims_table("public_zone_vs_rest_of_region"), fails).iloc[0]["verdict"] == (
        panel.NOT_SUPPORTED
    )


def test_a_count_after_the_data_cannot_be_checked():
    data = three_quarters({"32": (100, 1000, 2000)})
    result = panel.check_claims(claims_table("count_after_the_data", 13000.0), data).iloc[0]
    assert result["verdict"] == panel.CANNOT
    assert "6.5 times the last count" in result["data_cannot_show"]


def test_claim_spans_are_checked_against_the_article(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "001_x.txt").write_text("Le Gers a 13.000 prises.", encoding="utf-8")
    shutil.copy(config.RAW_DIR / "press_claims.schema.json", tmp_path / "press_claims.schema.json")
    header = "claim_id,article,file,start,end,span,speaker,test,department,figure_id\n"
    path = tmp_path / "press_claims.csv"
    articles = pd.DataFrame({"article": ["001"], "published": ["2019-03-15"]})
    figures = pd.DataFrame({"figure_id": ["plugs"], "value": [13000.0]})
    path.write_text(header + "c1,001,001_x.txt,10,16,13.000,mayor,count_after_the_data,32,plugs\n", encoding="utf-8")
    claims = panel.load_claims(path, sources, articles, figures)
    assert claims.loc[0, "said"] == "2019-03-15" and claims.loc[0, "claimed_value"] == 13000.0
    path.write_text(header + "c1,001,001_x.txt,9,16,13.000,mayor,count_after_the_data,32,plugs\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"press_claims.csv, row 1 \(line 2\) \[claim_id=c1\], column 'span'"):
        panel.load_claims(path, sources, articles, figures)


def test_report_keys_are_declared_before_the_appendix():
    from types import SimpleNamespace

    report = SimpleNamespace(
        figure_numbers={"a": 1, "b": 2}, table_numbers={"comparison": 1, "sources": 2, "provenance": 3}
    )
    panel_section.declare_in_report(report, "national_panel", ["panel_placement", "press_claims"])
    assert report.figure_numbers["national_panel"] == 3
    assert list(report.table_numbers) == ["comparison", "panel_placement", "press_claims", "sources", "provenance"]
    assert report.table_numbers["sources"] == 4


def test_the_real_data_cover_every_metropolitan_departement():
    data = arcep.load_arcep(ARCEP_DIR)
    built = panel.build_panel(data)
    panel.check_against_departements(built, data)
    metro = set(built.loc[built["metropolitan"], "department"])
    expected = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
    assert metro == expected


def test_processed_tables_match_their_schemas(tiny_panel, tmp_path):
    from frictionless import Resource, Schema

    from divide_study.data.tables import write_csv_atomic

    path = tmp_path / "national_panel.csv"
    write_csv_atomic(tiny_panel, path)
    schema = Schema.from_descriptor(json.loads((config.SCHEMAS_DIR / "national_panel.schema.json").read_text()))
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:3]


def test_the_quoted_numbers_are_summed_over_arceps_rows_and_match_the_placement(tmp_path):
    """Each count of quoted_panel.csv is read from ARCEP's rows by its filter (the same filter gives the same sum
    again), each share and rank names its inputs, and the numbers are the placement's; every key walks down to
    ARCEP's files or the parameter."""
    from divide_study.analysis.quoted import ROW_OPERATIONS, primary_sources, sum_rows

    folder = tiny_folder(
        tmp_path,
        [*COMMUNES, commune("81003", "81", "76", "400")],
        {**PLUGS, "81003": (0, 10, 20)},
        DEPARTEMENTS,
    )
    data = arcep.load_arcep(folder)
    built = panel.build_panel(data)
    place = panel.placement(built, ["32"], 1)
    no_claims = pd.DataFrame({"speaker": pd.Series([], dtype=str)})
    figures = pd.DataFrame({"figure_id": [], "article": [], "as_of": []})
    quoted, claim_keys = panel.quote(data, built, place, pd.DataFrame(), figures, 1, no_claims)
    rows = quoted.set_index("key")
    plugs = rows.loc[panel.quoted_key("32", "public_plugs.t1_2018")]
    assert plugs["value"] == 100  # commune 32001 only: 32002 is under a commitment
    assert plugs["source_table"] == "data/raw/arcep_2018/ftthCommunes.csv" and plugs["operation"] == "sum_rows"
    again = sum_rows(data.ftth_communes, plugs["source_row"], "T1 2018", {"communes.csv": data.communes})
    assert again == 100
    share = rows.loc[panel.quoted_key("32", "public_share.t1_2018")]
    assert share["value"] == pytest.approx(0.1) and share["operation"] == "divide"
    rank = rows.loc[panel.quoted_key("32", "rank_public_share")]
    assert (rank["value"], rank["operation"]) == (place["rank_public_share"].iloc[0], "rank") == (1, "rank")
    assert rank["inputs"].split(";")[0] == share.name  # its own share first, then every other ranked one
    assert rows.loc["panel.departements_ranked.t1_2018", "value"] == 2  # the Gers and the Tarn: Paris has no zone
    assert rows.loc[panel.quoted_key("32", "peer_count"), "nature"] == "assumption"
    assert rows.loc[panel.quoted_key("32", "peer_median_public_share"), "value"] == pytest.approx(0.05)
    assert rows.loc["panel.metropolitan_departements", "value"] == 3 and len(claim_keys) == 0
    for key in rows.index:
        for table, _row, _column in primary_sources(quoted, key):
            assert table.startswith("data/raw/arcep_2018/") or table in ("params/default.yaml", panel.CLAIMS), key
    assert set(rows.loc[rows["inputs"] == "", "operation"]) <= {"", *ROW_OPERATIONS}
