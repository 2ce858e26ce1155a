"""Initiatives are data all the way: a made-up network added by rows only (in a copy of the project, built with the
guide's worked example beside it: the session fixture ``walked``) reaches every per-initiative table, every chart of
the initiatives, and the report — no code names it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from divide_study import config

NEW = "vallee_numerique"
NAME = "Vallée Numérique"
SOURCE = "https://www.insee.fr/fr/statistiques/made-up-for-a-test"  # classed official by reference_source_classes


def append(path: Path, rows: list[dict]) -> None:
    """Add rows to a raw CSV, filling the columns a row does not name with empty values."""
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in header})


def add_made_up_network(raw: Path) -> None:
    reference = [
        ("investment", 50_000_000, "EUR", "2020"),
        ("plugs due", 25_000, "plugs", "2020"),
        ("public money", 5_000_000, "EUR", "2020"),
        ("concession signed", 2020, "year", "2020-03-02"),
        ("completion due", 2023, "year", "2020"),
        ("plugs built", 20_000, "plugs", "2023-06"),
        # Its own target is stated in households, and "about" so: a sentence must say so, never "plugs".
        ("households to connect", 21_000, "households", "2020"),
    ]
    quotes = {"households to connect": "environ 21 000 foyers"}
    append(
        raw / "reference" / "external_figures.csv",
        [
            {
                "topic": NEW,
                "figure": f,
                "value": v,
                "unit": u,
                "as_of": a,
                "source": SOURCE,
                "quote": quotes.get(f, str(v)),
            }
            for f, v, u, a in reference
        ]
        + [
            {
                "topic": f"{NEW}_population",
                "figure": "population",
                "value": 60_000,
                "unit": "inhabitants",
                "as_of": "2020",
                "source": SOURCE,
                "quote": "60 000",
            }
        ],
    )
    # What each amount is: the concession's investment and public money as planned at signature.
    append(
        raw / "amount_natures.csv",
        [
            {"evidence_id": f"{NEW}|{f}|2020", "nature": "plan", "note": "made up: planned at signature"}
            for f in ("investment", "public money")
        ],
    )
    append(
        raw / "initiatives.csv",
        [
            {
                "initiative": NEW,
                "name": f"{NAME} (made up)",
                "short_name": NAME,
                "colour": "#56b4e9",
                "territory": "a made-up valley",
                "model": "concession",
                "technology": "FTTH",
                "lead": "a made-up département and its concessionaire",
                "note": "made up for a test",
            }
        ],
    )
    ref = {"initiative": NEW, "default": "true", "scope": "concession_zone", "reference_topic": NEW}
    append(
        raw / "measures.csv",
        [
            {
                **ref,
                "quantity": "cost",
                "option": "investment",
                "spending": f"{NEW}_2020_2023",
                "reference_figure": "investment",
                "note": "made up",
            },
            {**ref, "quantity": "premises", "option": "plugs_due", "reference_figure": "plugs due", "note": "made up"},
            {
                **ref,
                "quantity": "population",
                "option": "census",
                "scope": "territory",
                "reference_topic": f"{NEW}_population",
                "reference_figure": "population",
                "note": "made up",
            },
            {
                **ref,
                "quantity": "speed",
                "option": "ftth",
                "scope": "any",
                "reference_topic": "",
                "assumed_value": "1000",
                "assumed_unit": "Mbit/s",
                "note": "assumption: made up",
            },
        ],
    )
    append(
        raw / "spending_profiles.csv",
        [
            {
                "spending": f"{NEW}_2020_2023",
                "profile": "even",
                "default": "true",
                "year": y,
                "weight": "1.0",
                "note": "assumption: made up",
            }
            for y in range(2020, 2024)
        ],
    )
    append(
        raw / "funding.csv",
        [
            {
                "initiative": NEW,
                "funder": "the made-up département",
                "evidence_id": f"{NEW}|public money|2020",
                "scope": "concession_zone",
                "all_public_money": "true",
                "covers": "departement",
                "spending": f"{NEW}_2020_2023",
                "note": "made up",
            },
        ],
    )
    append(
        raw / "progress.csv",
        [
            {"initiative": NEW, "kind": "start", "evidence_id": f"{NEW}|concession signed|2020-03-02"},
            {
                "initiative": NEW,
                "kind": "target",
                "evidence_id": f"{NEW}|households to connect|2020",
                "by_evidence_id": f"{NEW}|completion due|2020",
            },
            {"initiative": NEW, "kind": "achieved", "evidence_id": f"{NEW}|plugs built|2023-06"},
        ],
    )
    append(raw / "milestones.csv", [{"evidence_id": f"{NEW}|concession signed|2020-03-02", "event": "signed"}])
    # Its words in French (words.csv): the milestone's event and the reference rows' names the words lack.
    known = {row["en"] for row in csv.DictReader((raw / "words.csv").open(encoding="utf-8"))}
    made_up = ("population", "the made-up département", "made up", "assumption: made up", "made up for a test")
    said = {"signed": "signée", **{name: f"{name} (fr)" for name, *_rest in reference}}
    said |= {words: f"{words} (fr)" for words in made_up}
    append(raw / "words.csv", [{"en": en, "fr": fr} for en, fr in said.items() if en not in known])
    append(
        raw / "labels.csv",
        [
            {"kind": "option", "key": f"{NEW}.{option}", "en": en, "fr": fr}
            for option, en, fr in (
                ("investment", "investment", "investissement"),
                ("plugs_due", "plugs due", "prises dues"),
                ("census", "census", "recensement"),
                ("ftth", "FTTH (assumed)", "FTTH (hypothèse)"),
            )
        ],
    )


def test_a_made_up_network_reaches_every_table_chart_and_the_report(walked: Path):
    """``walked``: the project with this network added (``add_made_up_network``), built (tests/conftest.py)."""
    project = walked

    processed = project / "data" / "processed"
    for table in ("initiatives", "measures", "comparison", "public_money", "targets", "deployment_pace", "models"):
        frame = pd.read_csv(processed / f"{table}.csv", dtype=str)
        assert NEW in set(frame["initiative"]), table
    models = pd.read_csv(processed / "models.csv").set_index("initiative")
    assert models.loc[NEW, "public_money_per_premise"] == 5_000_000 / 25_000
    assert models.loc[NEW, "achieved_by_target_year"] == 20_000 / 25_000
    comparison = pd.read_csv(processed / "comparison.csv")
    mine = comparison[comparison["initiative"] == NEW].set_index("metric")
    assert mine.loc["cost_per_premise", "value_nominal"] == 50_000_000 / 25_000
    sensitivity = pd.read_csv(processed / "sensitivity.csv")
    assert f"{NEW}.cost_per_premise" in set(sensitivity["headline"])  # moved with the base year

    figures = project / "figures"
    for chart in ("cost_per_premise", "cost_per_inhabitant", "cost_per_mbit", "eligibility", "milestones", "models"):
        drawn = (figures / f"{chart}.csv").read_text(encoding="utf-8")
        assert NEW in drawn or NAME in drawn, chart
        assert (figures / f"{chart}.png").stat().st_size > 0

    report = (project / "report" / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", report))
    assert NAME in text
    assert f"{5_000_000 / 25_000:,.0f}" in text  # its public money per plug, in the models section
    # Its target as its source states it: unit and qualifier kept, and what was achieved not turned into a share
    # of households.
    said = " ".join(text.split())
    assert "Its own target, as the study reads its source, was about 21,000 households by 2023" in said
    assert "in another unit, was 20,000 plugs" in said
    rapport = (project / "report" / "rapport.html").read_text(encoding="utf-8")
    french = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", rapport))
    assert re.search(r"environ\s+21\s000\s+foyers", french)  # babel's narrow no-break space between thousands
    # No code names it, nor any other initiative: the package's sources mention no initiative's id.
    package = "\n".join(p.read_text(encoding="utf-8") for p in (config.PROJ_ROOT / "src").rglob("*.py"))
    ids = pd.read_csv(project / "data" / "raw" / "initiatives.csv")["initiative"]
    assert [i for i in ids if re.search(rf"\b{i}\b", package)] == []
