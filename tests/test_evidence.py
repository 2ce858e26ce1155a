"""Source quality as data and the strength of evidence derived from it; timelines and Soho Solo's counts."""

from __future__ import annotations

import pandas as pd
import pytest
from test_compare import EXTERNAL, FIGURES

from divide_study.analysis import evidence, programmes, timeline
from divide_study.errors import DataError, StudyError
from divide_study.report import models_section

SOURCES = pd.DataFrame(
    [
        ("001", "", "a press release", "interested_party", "the promoter's own site"),
        ("002", "Daily", "a news story", "independent_press", "regional daily"),
        ("003", "Weekly", "an event report", "independent_press", "business press"),
    ],
    columns=["article", "outlet", "title", "source_class", "class_basis"],
)
CLAIMS = pd.DataFrame(
    [("s_fam", "the Soho Solo programme (CCI du Gers)", "interested_party", "its promoter's words")],
    columns=["figure_id", "speaker", "speaker_class", "note"],
)
REFERENCE_CLASSES = pd.DataFrame(
    [
        ("press", "independent_press", "a newspaper", ""),
        ("INSEE", "official", "INSEE", ""),
        ("operator", "interested_party", "Gers Fibre", ""),
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
    assert "the Soho Solo programme (CCI du Gers)" in claim.interested_parties
    # Whose claims, in the edition's words (words.csv's), as the reasons say them.
    said = pd.DataFrame(
        {"en": ["the Soho Solo programme (CCI du Gers)"], "fr": ["le programme Soho Solo (CCI du Gers)"]}
    )
    assert evidence.grade(table, ["s_fam"], lang="fr", words=said).interested_parties == (
        "le programme Soho Solo (CCI du Gers)"
    )
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
    outcomes = programmes.newcomer_counts(
        FIGURES, EXTERNAL, table, persons_per_household=2.2, programme="soho_solo"
    ).set_index("as_of")
    assert outcomes.loc["2010", "people_equivalent"] == pytest.approx(550)
    assert outcomes.loc["2010", "source_class"] == "interested_party"
    assert outcomes.loc["2016", "people_equivalent"] == 480
    assert pd.isna(outcomes.loc["2022", "people_equivalent"])  # members are not people settled
    assert programmes.people_agreement(outcomes.reset_index()) == "disagree"  # 550 claimed, 480 counted later


def test_cost_figures_show_every_amount_with_its_scope(table):
    from test_compare import MEASURES

    costs = evidence.cost_figures(table, MEASURES, "alpha").set_index("evidence_id")
    assert costs.loc["alpha|spending|2024", "scope"] == "whole"
    assert costs.loc["a_cost", "scope"] == "phase_1"
    assert costs.loc["alpha|phase 2|2022", "option"] == "phase2"
    assert len(costs) == 3  # listed side by side, one row each, never summed


PROGRESS_COLUMNS = ["initiative", "kind", "evidence_id", "by_evidence_id", "note"]


def test_targets_against_achieved_and_pace():
    figures = FIGURES.assign(initiative=FIGURES["initiative"].replace({"alpha": "gers"}))
    figures = pd.concat(
        [
            figures,
            pd.DataFrame(
                [
                    {
                        "figure_id": "a_works",
                        "article": "001",
                        "initiative": "gers",
                        "metric": "first_works_year",
                        "value": 2014,
                        "unit": "year",
                        "qualifier": "exact",
                        "as_of": "2019-03-15",
                        "span": "en 2014",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    external = pd.concat(
        [
            EXTERNAL.replace({"alpha": "gers"}),
            pd.DataFrame(
                [("national", "fibre everywhere by", 2025, "year", "2023", "senat", "2025", "")],
                columns=EXTERNAL.columns,
            ),
        ]
    )
    progress = pd.DataFrame(
        [
            ("gers", "start", "a_works", "", ""),
            ("gers", "target", "a_target", "", ""),
            ("gers", "achieved", "a_share", "", ""),
            ("gers", "achieved", "gers|share eligible|2024", "", ""),
        ],
        columns=PROGRESS_COLUMNS,
    )
    eligible = timeline.eligibility_timeline(figures, external, progress, "gers", plugs=100_000)
    assert eligible.loc[eligible["kind"] == "achieved", "share"].tolist() == [0.5, 0.8]
    assert set(eligible["share_of"]) == {"unstated"}  # shares whose progress rows do not say what they count
    said = timeline.eligibility_timeline(
        figures, external, progress.assign(share_of=["", "inhabitants", "", "dwellings"]), "gers", plugs=100_000
    )
    assert said.set_index("evidence_id")["share_of"].to_dict() == {
        "a_target": "inhabitants",
        "a_share": "unstated",
        "gers|share eligible|2024": "dwellings",
    }
    assert eligible.loc[eligible["kind"] == "achieved", "plugs"].tolist() == [50_000, 80_000]
    targets = timeline.targets_against_achieved(eligible, external, "gers").set_index("by")
    assert targets.loc["2020", "target_share"] == pytest.approx(2 / 3)
    assert targets.loc["2020", "achieved_by_then"] == 0.5
    assert targets.loc["2020", "reached_on"] == "2024"
    assert targets.loc["2025", "achieved_by_then"] == 0.8
    assert targets.loc["2025", "reached_on"] == "not yet"
    # Not reached: the row names the last count, so the report says by which date it was not (never a bare "not yet").
    assert targets.loc["2025", "reached_id"] == "gers|share eligible|2024"
    start = timeline.start_of(figures, external, progress, "gers")
    assert start == ("2014", 2014.0, "a_works")  # a year stated in a later article: the start of that year
    pace = timeline.deployment_pace(eligible, start)
    # 0 plugs at 2014.0, 50 000 on 11 Sep 2020, 80 000 in mid-2024
    first_years = timeline.decimal_year("2020-09-11") - 2014
    assert pace["plugs_per_year"].iloc[0] == pytest.approx(50_000 / first_years)
    assert pace["plugs_per_year"].iloc[1] == pytest.approx(30_000 / (2024.5 - timeline.decimal_year("2020-09-11")))
    # A later, lower share from another source is left out rather than read as the network shrinking.
    lower = pd.DataFrame(
        [("gers", "share eligible", 0.7, "share", "2024-10", "press", "70 %", "")], columns=EXTERNAL.columns
    )
    more = pd.concat(
        [
            progress,
            pd.DataFrame([("gers", "achieved", "gers|share eligible|2024-10", "", "")], columns=PROGRESS_COLUMNS),
        ]
    )
    eligible = timeline.eligibility_timeline(figures, pd.concat([external, lower]), more, "gers", plugs=100_000)
    pace = timeline.deployment_pace(eligible, start)
    assert (pace["plugs_per_year"] > 0).all()
    assert len(pace) == 2


@pytest.mark.parametrize(
    ("count", "plugs", "share"),
    [
        ("exact", "exact", "exact"),
        ("exact", "at_least", "upper_bound"),  # 70,000 over "more than 138,000": at most 51 %
        ("at_least", "exact", "at_least"),
        ("at_least", "at_least", "approx"),  # both "more than": the share is bounded neither way
        ("", "", "exact"),
    ],
)
def test_a_share_computed_from_a_count_is_hedged_by_the_count_and_the_plugs(count, plugs, share):
    assert timeline.share_qualifier(count, plugs) == share


# public_money.csv's columns, as models.model_comparison reads them.
MONEY_COLUMNS = [
    *("initiative", "funder", "all_public_money", "covers", "amount_eur", "scope", "per_premise", "evidence_id"),
    "note",
]


def delta_network(due_words: str = "100 000 prises", premises_qualifier: str = "exact", *more: tuple) -> tuple:
    """A concession, "delta", as its reference rows, progress rows and comparison rows give it: signed on 24 April
    2019, 100,000 plugs due by 2022 (``due_words``: how its source words them), 50,000 built by November 2022, its
    premises hedged by ``premises_qualifier``; ``more``: further (reference row, progress row) pairs."""
    external = pd.DataFrame(
        [
            ("delta", "signed", 2019, "year", "2019-04-24", "press", "signé", ""),
            ("delta", "plugs due", 100_000, "plugs", "2019", "press", due_words, ""),
            ("delta", "due by", 2022, "year", "2019", "press", "d'ici 2022", ""),
            ("delta", "built", 50_000, "plugs", "2022-11", "press", "50 000", ""),
            ("delta", "public money", 20e6, "EUR", "2019", "press", "20 millions", ""),
            *(row for row, _progress in more),
        ],
        columns=EXTERNAL.columns,
    )
    progress = pd.DataFrame(
        [
            ("delta", "start", "delta|signed|2019-04-24", "", ""),
            ("delta", "target", "delta|plugs due|2019", "delta|due by|2019", ""),
            ("delta", "achieved", "delta|built|2022-11", "", ""),
            *(step for _row, step in more),
        ],
        columns=PROGRESS_COLUMNS,
    )
    comparison = pd.DataFrame(
        [
            ("delta", "premises", 100_000.0, float("nan"), "zone", "delta|plugs due|2019", premises_qualifier),
            ("delta", "cost_per_premise", 2_000.0, 2_200.0, "zone", "delta|cost|2019;delta|plugs due|2019", "exact"),
        ],
        columns=["initiative", "metric", "value_nominal", "value_constant", "scope", "input_ids", "qualifier"],
    )
    return external, progress, comparison


def test_a_count_over_more_than_n_plugs_is_at_most_its_share_down_to_the_side_by_side_table():
    from divide_study.analysis import models
    from divide_study.language.labels import Labels

    able = (
        ("delta", "able", 60_000, "plugs", "2023-06", "press", "plus de 60 000 prises", ""),
        ("delta", "achieved", "delta|able|2023-06", "", ""),
    )
    external, progress, comparison = delta_network("plus de 100 000 prises", "at_least", able)
    lines, targets, pace = models.network_progress(FIGURES.iloc[:0], external, progress, comparison, ["delta"])
    # An exact count over "more than" N plugs is at most its share; a "more than" count over them, neither.
    assert lines.loc[lines["kind"] == "achieved", "qualifier"].tolist() == ["upper_bound", "approx"]
    own = targets[targets["target"].str.startswith("own")].iloc[0]
    assert (own["achieved_by_then"], own["achieved_qualifier"]) == (0.5, "upper_bound")
    assert pace["plugs_to"].tolist() == [50_000, 60_000]  # counted as plugs, both pace
    table = models.model_comparison(
        pd.DataFrame(
            [("delta", "Delta", "concession", "FTTH")], columns=["initiative", "short_name", "model", "technology"]
        ),
        comparison,
        pd.DataFrame(columns=MONEY_COLUMNS),
        targets,
        pace,
        pd.DataFrame([("delta", 2019, 2044)], columns=["initiative", "from_year", "to_year"]),
        pd.DataFrame(
            columns=["model", "owner", "who_pays_the_works", "delay_risk", "demand_risk", "basis", "evidence_ids"]
        ),
        ["delta"],
    )
    assert table.iloc[0]["achieved_by_target_year_qualifier"] == "upper_bound"
    # The target itself as its source hedges it: "plus de 100 000 prises" is at least that many.
    assert own["target_qualifier"] == "at_least" and table.iloc[0]["own_target_qualifier"] == "at_least"
    assert own["target"] == "own target: at least 100,000 plugs"  # its words say so, in every table that shows them
    # A count of households is no share of plugs and never read as plugs in the pace.
    homes = ((*able[0][:3], "households", *able[0][4:]), able[1])
    external, progress, comparison = delta_network("plus de 100 000 prises", "at_least", homes)
    lines, _targets, pace = models.network_progress(FIGURES.iloc[:0], external, progress, comparison, ["delta"])
    homes_point = lines[lines["evidence_id"] == "delta|able|2023-06"].iloc[0]
    assert pd.isna(homes_point["share"]) and pd.isna(homes_point["plugs"]) and homes_point["qualifier"] == ""
    # What each point is a share of (Figure 5's marks): counts of plugs, of the plugs; the homes, of nothing.
    assert dict(zip(lines["evidence_id"], lines["share_of"], strict=True)) == {
        "delta|plugs due|2019": "plugs",
        "delta|built|2022-11": "plugs",
        "delta|able|2023-06": "",
    }
    assert pace["plugs_to"].tolist() == [50_000]  # the built plugs; the 60,000 homes are left out
    labels = pd.DataFrame(
        [("model", "concession", "concession", "concession"), ("scope", "zone", "the zone", "la zone")],
        columns=["kind", "key", "en", "fr"],
    )
    # A share says what it counts (models.csv's achieved_share_of): the Tarn's built plugs are a share of its plugs.
    for lang, said in (
        ("en", "at most 50% of the network's plugs due"),
        ("fr", "au plus 50\u00a0% des prises prévues du réseau"),
    ):
        shown = models_section.side_by_side_table(
            table, Labels(labels, lang), {"delta": "planned"}, {"delta": "planned"}
        ).set_index(models_section.Translator(lang, "analysis")("indicator"))
        row = models_section.Translator(lang, "analysis")("latest count of its kind in the deadline year")
        assert shown.loc[row, "Delta"] == said
    target = models_section.Translator("en", "analysis")("target, as the study reads its source")
    shown = models_section.side_by_side_table(table, Labels(labels, "en"), {"delta": "planned"}, {"delta": "planned"})
    assert shown.set_index("indicator").loc[target, "Delta"] == "at least 100,000 plugs"


def test_counted_targets_dated_by_another_row_and_the_models_side_by_side():
    """A concession's target is a count of plugs dated by a separate row; the model table divides public
    money by premises of its own scope and averages the pace over the whole period, by hand."""
    from divide_study.analysis import models

    external, progress, comparison = delta_network()
    _lines, targets, pace = models.network_progress(FIGURES.iloc[:0], external, progress, comparison, ["delta"])
    own = targets[targets["target"].str.startswith("own")].iloc[0]
    assert (own["target"], own["by"], own["achieved_by_then"]) == ("own target: 100,000 plugs", "2022", 0.5)
    assert own["cited_as"] == "count"  # the source gives plugs, so the report quotes plugs
    signed = timeline.decimal_year("2019-04-24")  # the day the contract was signed, not 1 January
    assert pace["plugs_per_year"].iloc[0] == pytest.approx(50_000 / (timeline.decimal_year("2022-11") - signed))
    money = pd.DataFrame(
        [
            (
                "delta",
                "the département",
                True,
                "departement",
                20e6,
                "zone",
                200.0,
                "delta|public money|2019",
                "all of it",
            ),
            ("delta", "a part of it", False, "departement", 5e6, "zone", 50.0, "x", ""),
        ],
        columns=MONEY_COLUMNS,
    )
    initiatives = pd.DataFrame(
        [("delta", "Delta", "concession", "FTTH")], columns=["initiative", "short_name", "model", "technology"]
    )
    contracts = pd.DataFrame([("delta", 2019, 2044)], columns=["initiative", "from_year", "to_year"])
    risks = pd.DataFrame(
        [("concession", "the département", "the concessionaire", "the concessionaire", "it", "reading", "")],
        columns=["model", "owner", "who_pays_the_works", "delay_risk", "demand_risk", "basis", "evidence_ids"],
    )
    table = models.model_comparison(initiatives, comparison, money, targets, pace, contracts, risks, ["delta"])
    row = table.iloc[0]
    assert row["public_money_per_premise"] == 200.0  # the all-public amount only, never the parts added up
    assert row["public_money_note"] == "all of it"
    assert row["cost_per_premise"] == 2_000.0 and row["years"] == "2019–2044"
    assert (row["from_year"], row["to_year"]) == (2019, 2044)  # the same span as numbers, for the ledger
    assert (row["own_target_id"], row["own_target_cited_as"]) == (own["target_id"], "count")
    assert row["achieved_by_target_year"] == 0.5 and row["delay_risk"] == "the concessionaire"
    assert row["plugs_per_year"] == pytest.approx(pace["plugs_per_year"].iloc[0])
    from divide_study.language.labels import Labels

    labels = pd.DataFrame(
        [("model", "concession", "concession", "concession"), ("scope", "zone", "the zone", "la zone")],
        columns=["kind", "key", "en", "fr"],
    )
    shown = models_section.side_by_side_table(
        table, Labels(labels, "en"), {"delta": "planned"}, {"delta": "spent to date"}
    ).set_index("indicator")
    assert list(shown.columns) == ["Delta"]  # one column per network, by its short name
    assert shown.loc["scope of that public money, and what it is", "Delta"] == "the zone, planned"
    assert shown.loc["what that money is", "Delta"] == "spent to date"  # the cost's nature, under its row
    with pytest.raises(StudyError, match=r"initiative=delta\], column 'public_money_id': what the amount is"):
        models_section.side_by_side_table(table, Labels(labels, "en"))  # a plan it cannot call one: refused
    with pytest.raises(StudyError, match=r"initiative=delta\], column 'cost_per_premise': what the cost is"):
        models_section.side_by_side_table(table, Labels(labels, "en"), {"delta": "planned"})  # nor a cost
    assert shown.loc["public money per plug (€, nominal)", "Delta"] == "200"
    assert shown.loc["latest count of its kind in the deadline year", "Delta"] == "50% of the network's plugs due"
    # With a base year, money per plug is also in constant euros (amounts of different years side by side), and
    # its cell names the three numbers it shows: the nominal amount, the constant one, the year.
    constant = table.assign(public_money_per_premise_constant=230.0, cost_per_premise_constant=2_300.0)
    base = (2025, "compare.base_year")
    in_euros_of = models_section.side_by_side_table(
        constant, Labels(labels, "en"), {"delta": "planned"}, {"delta": "spent to date"}, base
    )
    rows = in_euros_of.set_index("indicator")
    assert rows.loc["public money per plug (€, nominal and constant)", "Delta"] == "200 (230 in 2025 euros)"
    cost_row = "the network's cost per plug, whoever pays it (€, nominal and constant; the study's central reading)"
    assert rows.loc[cost_row, "Delta"] == "2,000 (2,300 in 2025 euros)"
    keys = models_section.side_by_side_keys(
        constant.assign(public_money_id="delta|public money|2019"), in_euros_of, base
    )
    money_keys = keys.loc[in_euros_of["indicator"] == "public money per plug (€, nominal and constant)", "Delta"]
    assert money_keys.iloc[0].split(";")[1:] == [
        "compare.delta.money.delta_public_money_2019.per_premise_constant",
        "compare.base_year",
    ]


def test_spending_per_newcomer_at_a_constant_budget_counts_launch_and_count_years_whole():
    from divide_study.analysis.programmes import cost_per_newcomer
    from divide_study.errors import StudyError

    counts = pd.DataFrame({"evidence_id": ["a", "b"], "as_of": ["2014", "2018-03"], "count": [489.0, 336.0]})
    costs = cost_per_newcomer(30_000, 2008, counts).set_index("evidence_id")
    assert costs.loc["a", "years"] == 7 and costs.loc["a", "spent"] == 210_000
    assert costs.loc["a", "per_newcomer"] == pytest.approx(210_000 / 489)
    assert costs.loc["b", "years"] == 11 and costs.loc["b", "per_newcomer"] == pytest.approx(330_000 / 336)
    with pytest.raises(StudyError, match=r"'early' \(2007\) is dated before the launch \(2008\)"):
        cost_per_newcomer(30_000, 2008, pd.DataFrame({"evidence_id": ["early"], "as_of": ["2007"], "count": [10.0]}))


def test_years_from_launch_to_a_count_are_checked_like_any_computed_number():
    from divide_study.analysis.quoted import Quotes
    from divide_study.errors import StudyError

    q = Quotes("programmes")
    launch = q.read("launch", 2008, table="t", row={"id": "l"}, column="v", unit="year", nature="stated", what="x")
    count = q.read("count", 2014, table="t", row={"id": "c"}, column="v", unit="year", nature="stated", what="x")
    assert q.computed("years", 7, inputs=[launch, count], operation="years_inclusive", unit="years", what="y")
    with pytest.raises(StudyError, match="not the years_inclusive of its inputs"):
        q.computed("wrong", 6, inputs=[launch, count], operation="years_inclusive", unit="years", what="y")


def test_an_own_target_is_reached_only_by_a_count_of_what_it_counts():
    """ "Two Gersois in three" (inhabitants) was shown reached in 2022 by a bare "70 %" whose source does not say
    of what; only a later share of inhabitants reaches it. A national goal is set against the counts as they are."""

    def point(kind, date, share, share_of, evidence_id):
        year = timeline.decimal_year(date)
        return {
            **dict(kind=kind, date=date, share=share, share_of=share_of, evidence_id=evidence_id, year=year),
            **dict(cited_as="share", stated_qualifier="exact", qualifier="exact", by_id=evidence_id, plugs=share),
        }

    points = [
        point("target", "2020", 2 / 3, "inhabitants", "target"),
        point("achieved", "2020-09-11", 0.5, "inhabitants", "inhabitants_2020"),
        point("achieved", "2022", 0.7, "unstated", "bare_2022"),
        point("achieved", "2023", 0.77, "dwellings", "dwellings_2023"),
        point("achieved", "2024", 0.83, "inhabitants", "inhabitants_2024"),
    ]
    national = pd.DataFrame(
        [("national", "fibre everywhere by", 2023, "year", "2019", "senat", "2023", "")], columns=EXTERNAL.columns
    )
    rows = {row["target_id"]: row for row in timeline.target_rows(points, national, "gers")}
    own = rows["target"]
    assert (own["achieved_by_then"], own["achieved_id"]) == (0.5, "inhabitants_2020")
    assert (own["reached_on"], own["reached_id"]) == ("2024", "inhabitants_2024")
    goal = rows["national|fibre everywhere by|2019"]
    assert (goal["achieved_by_then"], goal["achieved_id"]) == (0.77, "dwellings_2023")  # the counts as they are
    assert "share_of" not in own  # targets.csv says what the target and the count set against it count, by name
    assert (own["target_share_of"], own["achieved_share_of"]) == ("inhabitants", "inhabitants")
    assert (goal["target_share_of"], goal["achieved_share_of"]) == ("", "dwellings")
    # A share of inhabitants says so in its words; a share of no stated base does not claim one.
    assert own["target"] == "own target: 67% of inhabitants eligible"
    points[0]["share_of"] = ""
    plain = {row["target_id"]: row for row in timeline.target_rows(points, national, "gers")}["target"]
    assert plain["target"] == "own target: 67% eligible"


def test_a_share_on_a_table_row_says_what_it_counts():
    """The Gers's 50 % (of its inhabitants) and the Tarn's 51 % (of its plugs due) sat on one row of Tables 1 and 10
    as "50%" and "at most 51%": each now says what it counts, by progress.csv's share_of; a share whose base its
    source does not state stays bare."""
    en, fr = models_section.Translator("en", "analysis"), models_section.Translator("fr", "analysis")
    assert models_section.share_of_words(en, "50%", "inhabitants") == "50% of inhabitants"
    assert models_section.share_of_words(fr, "50\u00a0%", "inhabitants") == "50\u00a0% des habitants"
    assert models_section.share_of_words(en, "at most 51%", "plugs") == "at most 51% of the network's plugs due"
    assert models_section.share_of_words(en, "77%", "dwellings") == "77% of dwellings"
    for unstated in ("unstated", "", float("nan"), None):
        assert models_section.share_of_words(en, "70%", unstated) == "70%"
