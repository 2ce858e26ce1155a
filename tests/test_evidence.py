"""Source quality as data and the strength of evidence derived from it; timelines and Soho Solo's counts."""

from __future__ import annotations

import pandas as pd
import pytest
from test_compare import EXTERNAL, FIGURES

from divide_study.analysis import evidence, soho, timeline
from divide_study.errors import DataError

SOURCES = pd.DataFrame(
    [
        ("001", "", "a press release", "interested_party", "the promoter's own site"),
        ("002", "Daily", "a news story", "independent_press", "regional daily"),
        ("003", "Weekly", "an event report", "independent_press", "business press"),
    ],
    columns=["article", "outlet", "title", "source_class", "class_basis"],
)
CLAIMS = pd.DataFrame(
    [("s_fam", "the programme", "interested_party", "its promoter's words")],
    columns=["figure_id", "speaker", "speaker_class", "note"],
)
REFERENCE_CLASSES = pd.DataFrame(
    [
        ("press", "independent_press", "a newspaper", ""),
        ("INSEE", "official", "INSEE", ""),
        ("operator", "interested_party", "the operator", ""),
        ("tv", "independent_press", "television", ""),
        ("site", "interested_party", "the programme's site", ""),
        ("sitemap", "official", "never the longest match for 'site'", ""),
    ],
    columns=["source_contains", "source_class", "who", "note"],
)


@pytest.fixture(scope="module")
def table():
    return evidence.evidence_table(FIGURES, SOURCES, CLAIMS, EXTERNAL, REFERENCE_CLASSES)


def test_every_figure_carries_its_class(table):
    classes = table.set_index("evidence_id")["source_class"]
    assert classes["a_cost"] == "interested_party"  # the article's class
    assert classes["b_cost"] == "independent_press"
    assert classes["s_fam"] == "interested_party"  # an independent article reporting the promoter's words
    assert classes["alpha_pop|population|2014"] == "official"
    assert classes["alpha|phase 2|2022"] == "interested_party"
    assert table.set_index("evidence_id").loc["alpha|phase 2|2022", "qualifier"] == "approx"
    assert len(table) == len(FIGURES) + len(EXTERNAL)


def test_a_reference_source_without_a_class_is_an_error():
    with pytest.raises(DataError, match="no class for the source 'press'"):
        evidence.evidence_table(FIGURES, SOURCES, CLAIMS, EXTERNAL, REFERENCE_CLASSES.iloc[1:])


@pytest.mark.parametrize(
    ("quote", "note", "expected"),
    [
        ("plus de 25 millions", "", "at_least"),
        ("dépasse les 250 M€", "", "at_least"),
        ("39 millions d'euros, soit plus de 40 %", "", "exact"),  # the hedge is on the 40 %, not the 39 M
        ("près de 214 millions", "", "approx"),
        ("coûts largement supérieurs au millier", "a lower bound, not an average", "at_least"),
        ("compte 190 625 habitants", "", "exact"),
    ],
)
def test_reference_qualifiers(quote, note, expected):
    assert evidence.reference_qualifier(quote, note) == expected


def test_grades_are_derived_from_the_inputs(table):
    strong = evidence.grade(table, ["b_cost", "alpha_pop|population|2014"], "agree")
    assert strong.level == "strong"
    assert strong.interested_parties == ""
    claim = evidence.grade(table, ["s_fam"])
    assert claim.level == "moderate"
    assert "the programme" in claim.interested_parties
    weak = evidence.grade(table, ["s_fam", "alpha|phase 2|2022", "assumption:alpha.speed=ftth"], "disagree")
    assert weak.level == "weak"
    assert "assumption" in weak.reasons and "disagree" in weak.reasons and "bound or an approximate" in weak.reasons
    with pytest.raises(KeyError, match="no evidence row"):
        evidence.grade(table, ["nowhere"])


def test_agreement():
    assert evidence.agreement([287e6]) == "single"
    assert evidence.agreement([250e6, 287e6]) == "agree"
    assert evidence.agreement([214e6, 287e6]) == "disagree"
    counts = pd.DataFrame({"year": [2010, 2014, 2016], "count": [550, 489, 480]})
    assert evidence.cumulative_agreement(counts) == "disagree"
    assert evidence.cumulative_agreement(counts.assign(count=[300, 489, 520])) == "agree"


def test_soho_counts_and_their_disagreement(table):
    outcomes = soho.soho_outcomes(FIGURES, EXTERNAL, table, persons_per_household=2.2).set_index("as_of")
    assert outcomes.loc["2010", "people_equivalent"] == pytest.approx(550)
    assert outcomes.loc["2010", "source_class"] == "interested_party"
    assert outcomes.loc["2016", "people_equivalent"] == 480
    assert pd.isna(outcomes.loc["2022", "people_equivalent"])  # members are not people settled
    assert soho.people_agreement(outcomes.reset_index()) == "disagree"  # 550 claimed, 480 counted later


def test_cost_figures_show_every_amount_with_its_scope(table):
    from test_compare import MEASURES

    costs = evidence.cost_figures(table, MEASURES, "alpha").set_index("evidence_id")
    assert costs.loc["alpha|spending|2024", "scope"] == "whole"
    assert costs.loc["a_cost", "scope"] == "phase_1"
    assert costs.loc["alpha|phase 2|2022", "option"] == "phase2"
    assert len(costs) == 3  # listed side by side, one row each, never summed


def test_targets_against_achieved_and_pace():
    figures = FIGURES.assign(initiative=FIGURES["initiative"].replace({"alpha": "gers"}))
    external = pd.concat(
        [
            EXTERNAL.replace({"alpha": "gers"}),
            pd.DataFrame(
                [("national", "fibre everywhere by", 2025, "year", "2023", "senat", "2025", "")],
                columns=EXTERNAL.columns,
            ),
        ]
    )
    eligible = timeline.eligibility_timeline(figures, external, "gers")
    assert eligible.loc[eligible["kind"] == "achieved", "share"].tolist() == [0.5, 0.8]
    targets = timeline.targets_against_achieved(eligible, external).set_index("by")
    assert targets.loc["2020", "target_share"] == pytest.approx(2 / 3)
    assert targets.loc["2020", "achieved_by_then"] == 0.5
    assert targets.loc["2020", "reached_on"] == "2024"
    assert targets.loc["2025", "achieved_by_then"] == 0.8
    assert targets.loc["2025", "reached_on"] == "not yet"
    pace = timeline.deployment_pace(external, figures, "gers", plugs=100_000, start=2014)
    # 0 plugs at 2014.0, 50 000 on 11 Sep 2020, 80 000 in mid-2024
    first_years = timeline.decimal_year("2020-09-11") - 2014
    assert pace["plugs_per_year"].iloc[0] == pytest.approx(50_000 / first_years)
    assert pace["plugs_per_year"].iloc[1] == pytest.approx(30_000 / (2024.5 - timeline.decimal_year("2020-09-11")))
    # A later, lower share from another source is left out rather than read as the network shrinking.
    lower = pd.DataFrame(
        [("gers", "share eligible", 0.7, "share", "2024-10", "press", "70 %", "")], columns=EXTERNAL.columns
    )
    pace = timeline.deployment_pace(pd.concat([external, lower]), figures, "gers", plugs=100_000, start=2014)
    assert (pace["plugs_per_year"] > 0).all()
    assert len(pace) == 2
