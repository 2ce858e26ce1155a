"""What each amount in euros is (plan, grant, money put in, spending, a need) travels with it as data: a plan is
never shown as spending, a need never divided as money paid, a party's words about its own money are its claim."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_compare import EXTERNAL, MEASURE_COLUMNS
from test_compare import FIGURES as COMPARE_FIGURES
from test_evidence import CLAIMS, REFERENCE_CLASSES, SOURCES
from test_ledger import EVIDENCE, FIGURES
from test_ledger import SOURCES as LEDGER_SOURCES

from divide_study.analysis import evidence, metrics, models, quoted
from divide_study.analysis.quoting import evidence_nature
from divide_study.errors import DataError, StudyError
from divide_study.language.labels import Labels
from divide_study.report import tables
from divide_study.report.ledger import Report

NATURES_FILE = Path("data/raw/amount_natures.csv")


def natures(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame([(i, n, "why") for i, n in rows], columns=["evidence_id", "nature", "note"])


@pytest.fixture(scope="module")
def graded() -> pd.DataFrame:
    return evidence.evidence_table(COMPARE_FIGURES, SOURCES, CLAIMS, EXTERNAL, REFERENCE_CLASSES)


EVERY_AMOUNT = (
    ("a_cost", "budget"),
    ("b_cost", "plan"),
    ("alpha|spending|2024", "spent_to_date"),
    ("alpha|phase 2|2022", "funding_need"),
)


def test_every_amount_gets_its_nature_and_other_units_none(graded):
    table = evidence.with_amount_natures(graded, natures(*EVERY_AMOUNT), NATURES_FILE).set_index("evidence_id")
    assert table.loc["b_cost", "amount_nature"] == "plan"
    assert table.loc["alpha|phase 2|2022", "amount_nature"] == "funding_need"
    assert table.loc["a_share", "amount_nature"] == ""  # a share is no amount


def test_an_amount_without_a_nature_is_refused_naming_it(graded):
    with pytest.raises(
        DataError, match=r"amount_natures.csv, column 'evidence_id': no row for the amount\(s\) \['b_cost'\]"
    ):
        evidence.with_amount_natures(graded, natures(*(r for r in EVERY_AMOUNT if r[0] != "b_cost")), NATURES_FILE)


def test_a_nature_for_no_amount_or_a_count_is_refused_with_its_row(graded):
    with pytest.raises(
        DataError, match=r"row 5 \(line 6\) \[b_homes\], column 'evidence_id': 'b_homes' is in households"
    ):
        evidence.with_amount_natures(graded, natures(*EVERY_AMOUNT, ("b_homes", "plan")), NATURES_FILE)
    with pytest.raises(DataError, match=r"row 5 \(line 6\) \[typo\], column 'evidence_id': no figure or reference row"):
        evidence.with_amount_natures(graded, natures(*EVERY_AMOUNT, ("typo", "plan")), NATURES_FILE)


def test_a_partys_words_about_its_own_money_are_its_claim_whoever_reports_them():
    """A claim row may name a reference row: the press reporting the Département's own money is the
    Département's claim, not independent press."""
    claims = pd.concat(
        [
            CLAIMS,
            pd.DataFrame(
                [("alpha|spending|2024", "the Département", "interested_party", "its own money")],
                columns=CLAIMS.columns,
            ),
        ]
    )
    table = evidence.evidence_table(COMPARE_FIGURES, SOURCES, claims, EXTERNAL, REFERENCE_CLASSES)
    row = table.set_index("evidence_id").loc["alpha|spending|2024"]
    assert (row["source_class"], row["speaker"]) == ("interested_party", "the Département")
    unknown = claims.assign(figure_id=[*claims["figure_id"][:-1], "alpha|nothing|2024"])
    with pytest.raises(DataError, match=r"claims.csv, column 'figure_id': unknown figure\(s\) or reference row"):
        evidence.evidence_table(COMPARE_FIGURES, SOURCES, unknown, EXTERNAL, REFERENCE_CLASSES)


@pytest.mark.parametrize(
    ("amount_nature", "qualifier", "said_as"),
    [
        ("plan", "exact", "plan"),
        ("budget", "exact", "plan"),
        ("announced", "approx", "plan"),
        ("funding_need", "exact", "funding_need"),
        ("penalties", "approx", "claim"),
        ("said_invested", "exact", "claim"),  # "l'Etat a investi", a party's words: neither a plan nor money shown paid
        ("contributed", "at_least", "lower_bound"),
        ("spent_to_date", "exact", "stated"),
        ("", "approx", "approximate"),
    ],
)
def test_a_quoted_amount_is_said_as_what_it_is(amount_nature, qualifier, said_as):
    assert evidence_nature({"amount_nature": amount_nature, "qualifier": qualifier}) == said_as


def plan_report() -> Report:
    q = quoted.Quotes("compare")
    q.read(
        "beta.cost",
        5e6,
        table="data/processed/figures.csv",
        row={"figure_id": "b_cost"},
        column="value",
        unit="EUR",
        nature="plan",
        what="planned cost",
    )
    r = Report(FIGURES, LEDGER_SOURCES, EXTERNAL.iloc[:0], [], ["money"], evidence=EVIDENCE)
    r.quoted = quoted.combine([q.frame()])
    return r


def test_a_sentence_that_does_not_say_plan_cannot_quote_a_plan():
    r = plan_report()
    with pytest.raises(StudyError, match=r"key=compare.beta.cost\], column 'nature': this number is a 'plan'"):
        r.quote("compare.beta.cost", "{:,.0f}", 1e-6, unit="EUR")
    with pytest.raises(StudyError, match="states this number as \\['spent'\\], but it is 'plan'"):
        r.quote("compare.beta.cost", "{:,.0f}", 1e-6, unit="EUR", natures=["spent"])
    assert r.quote("compare.beta.cost", "{:,.0f}", 1e-6, unit="EUR", natures=["plan"]).endswith(">5</a>")


def test_a_table_shows_a_plan_only_beside_a_column_that_says_what_it_is():
    frame = pd.DataFrame({"funder": ["Beta"], "amount_eur": [5e6], "amount_nature": ["planned"]})
    cells = pd.DataFrame({"amount_eur": ["compare.beta.cost"]})
    with pytest.raises(StudyError, match="this number is a 'plan'"):
        plan_report().table("money", frame[["funder", "amount_eur"]], "Money.", "x", cells=cells)
    page = plan_report().table("money", frame, "Money.", "x", cells=cells, natures_in="amount_nature")
    assert "planned" in page and ">5,000,000</a>" in page


def test_a_funding_need_is_not_divided_by_what_the_network_serves(graded):
    table = evidence.with_amount_natures(graded, natures(*EVERY_AMOUNT), NATURES_FILE)
    funding = pd.DataFrame(
        [("alpha", "Alpha Fibre", "alpha|phase 2|2022", "phase_2", False, "unstated", "")],
        columns=["initiative", "funder", "evidence_id", "scope", "all_public_money", "covers", "note"],
    )
    measures = pd.DataFrame(
        [("alpha", "premises", "p2", True, "phase_2", "", "", "alpha", "plugs", "2022", None, "", "")],
        columns=MEASURE_COLUMNS,
    )
    row = metrics.public_money(funding, table, measures, COMPARE_FIGURES, EXTERNAL, "alpha").iloc[0]
    assert row["amount_nature"] == "funding_need"
    assert pd.isna(row["per_premise"]) and pd.isna(row["per_inhabitant"])
    as_paid = table.assign(amount_nature=table["amount_nature"].replace({"funding_need": "contributed"}))
    assert (
        metrics.public_money(funding, as_paid, measures, COMPARE_FIGURES, EXTERNAL, "alpha").iloc[0]["per_premise"]
        == 1500
    )


LABELS = pd.DataFrame(
    [
        ("metric", "cost", "cost", "coût", ""),
        ("metric", "premises", "premises", "locaux", ""),
        ("scope", "phase_1", "phase 1", "phase 1", ""),
        ("unit", "EUR", "€", "€", ""),
        ("unit", "plugs", "plugs", "prises", ""),
        ("amount_nature", "plan", "planned", "prévu", ""),
        ("option", "beta.plan", "the plan", "le plan", ""),
        ("option", "beta.plugs", "plugs", "prises", ""),
        ("amount_nature", "spent_to_date", "spent to date", "dépensé au dernier décompte", ""),
    ],
    columns=["kind", "key", "en", "fr", "note"],
)


def test_table_4_words_each_amount_by_its_nature_and_refuses_a_cost_of_mixed_natures():
    graded = pd.DataFrame({"evidence_id": ["x", "y", "z"], "amount_nature": ["plan", "spent_to_date", "plan"]})
    costs = pd.DataFrame({"initiative": ["beta", "alpha"], "input_ids": ["x;z", "y"]})
    found = models.cost_natures(costs, graded)
    assert found == {"beta": "plan", "alpha": "spent_to_date"}
    frame = pd.DataFrame(
        {
            "initiative": ["beta", "beta"],
            "metric": ["cost", "premises"],
            "value_nominal": [5e6, 30_000],
            "value_constant": [7e6, None],
            "unit": ["EUR", "plugs"],
            "scope": ["phase_1", "phase_1"],
            "spending_years": ["2003", ""],
            "option": ["cost=plan", "premises=plugs"],
        }
    )
    initiatives = pd.DataFrame({"initiative": ["beta"], "short_name": ["Beta"]})
    shown = tables.comparison(frame, initiatives, Labels(LABELS, "fr"), found)
    assert list(shown["unit"]) == ["€, prévu", "prises"]  # a count is no amount
    # A count its source bounds ("plus de 30 000 prises") says so beside its unit, as does the cost over it.
    bounded = tables.comparison(
        frame.assign(qualifier=["upper_bound", "at_least"]), initiatives, Labels(LABELS, "fr"), found
    )
    assert list(bounded["unit"]) == ["€, prévu, valeur maximale", "prises, valeur minimale"]
    with pytest.raises(StudyError, match=r"initiative=beta, metric=cost\], column 'input_ids'.*different natures"):
        models.cost_natures(costs.assign(input_ids=["x;y", "y"]), graded)
