"""The grading rules on tiny tables: assumptions (an assumed spending profile, a conversion between measures),
amounts that are not final, and agreement counted only between independent sources of the same scope."""

from __future__ import annotations

import pandas as pd
import pytest

from divide_study.analysis import evidence, findings
from divide_study.errors import StudyError

EVIDENCE = pd.DataFrame(
    [
        # evidence_id, unit, qualifier, source_class, speaker, source, amount_nature
        ("spent", "EUR", "exact", "independent_press", "", "a daily", "spent_to_date"),
        ("final", "EUR", "exact", "independent_press", "", "a daily", "final_cost"),
        ("estimate", "EUR", "at_least", "interested_party", "the Département", "its site", "estimate"),
        ("other_press", "EUR", "exact", "independent_press", "", "a weekly", "final_cost"),
        ("plugs", "plugs", "exact", "official", "", "the State", ""),
        ("target", "share", "target", "independent_press", "", "a daily", ""),
        ("achieved", "share", "exact", "independent_press", "", "a daily", ""),
    ],
    columns=["evidence_id", "unit", "qualifier", "source_class", "speaker", "source", "amount_nature"],
)


def test_an_amount_that_is_not_final_loses_a_step():
    assert evidence.grade(EVIDENCE, ["final", "plugs"]).level == "strong"
    spent = evidence.grade(EVIDENCE, ["spent", "plugs"])
    assert spent.level == "moderate" and spent.reasons == "uses a plan, a need or spending to date, not a final amount"
    assert evidence.grade(EVIDENCE, ["spent", "plugs", "assumption:spending_profile"]).level == "weak"


def graded(
    spending_years: str,
    figures: list[tuple[str, float, str]],
    readings: tuple[str, ...] = (),
    also_read_as: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The findings of one network whose cost is ``final`` over ``spending_years``, beside ``figures`` (evidence
    id, amount, scope) of its cost; ``also_read_as``: other scopes a figure is read in, by its id."""
    comparison = pd.DataFrame(
        [
            ("alpha", "cost", "final", "whole", spending_years),
            ("alpha", "cost_per_premise", "final;plugs", "whole", spending_years),
            ("alpha", "cost_per_premise_per_mbit", "final;plugs", "whole", spending_years),
        ],
        columns=["initiative", "metric", "input_ids", "scope", "spending_years"],
    )
    classes = EVIDENCE.set_index("evidence_id")["source_class"]
    costs = pd.DataFrame(
        [(a, s, (also_read_as or {}).get(i, ""), classes[i], i) for i, a, s in figures],
        columns=["amount_eur", "scope", "also_read_as", "source_class", "evidence_id"],
    )
    empty = pd.DataFrame({"per_premise": [], "evidence_id": []})
    take_up = pd.DataFrame({"where": [], "evidence_ids": [], "take_up": []})
    targets = pd.DataFrame({"target_id": ["target"], "achieved_id": ["achieved"]})
    newcomers = pd.DataFrame({"evidence_id": [], "people_equivalent": [], "as_of": []})
    models = pd.DataFrame({"evidence_ids": [""]})
    return findings.evaluation_findings(
        comparison,
        costs,
        empty,
        take_up,
        targets,
        newcomers,
        EVIDENCE,
        "alpha",
        models,
        findings.questions("Alpha", "Programme"),
        readings=readings,
    ).set_index("key")


def test_a_cost_spent_over_several_years_rests_on_its_assumed_profile():
    one_year = graded("2003", [("final", 100, "whole")])
    assert one_year.loc["cost", "strength"] == "strong"
    several = graded("2014–2023", [("final", 100, "whole")])
    assert several.loc["cost", "strength"] == "moderate"
    assert several.loc["cost", "why"] == "rests on an assumption of the study"


def test_cost_figures_agree_only_between_independent_sources_of_the_same_scope():
    # An interested party's figure near the cost neither confirms it...
    with_party = graded("2003", [("final", 100, "whole"), ("estimate", 101, "whole")])
    assert with_party.loc["cost", "agreement"] == "single"
    # ...while an independent one of the same scope does, and one far from it disagrees.
    assert graded("2003", [("final", 100, "whole"), ("other_press", 101, "whole")]).loc["cost", "agreement"] == "agree"
    far = graded("2003", [("final", 100, "whole"), ("other_press", 200, "whole")])
    assert far.loc["cost", "agreement"] == "disagree" and far.loc["cost", "strength"] == "moderate"
    # The models' finding quotes that same central cost: it disagrees with it, never "one source per figure".
    assert far.loc["models", "agreement"] == "disagree" and with_party.loc["models", "agreement"] == "single"
    # A figure of another scope is not compared.
    assert graded("2003", [("final", 100, "whole"), ("other_press", 200, "phase")]).loc["cost", "agreement"] == "single"


def test_a_figure_the_study_reads_in_another_scope_still_counts_where_its_source_puts_it():
    # The study reads a far figure as a phase only; its source (another reading, another option of the same figure)
    # gives it for the whole network: it still disagrees with the whole network's cost, and the grade says so.
    figures = [("final", 100, "whole"), ("other_press", 200, "phase")]
    read_both_ways = graded("2003", figures, also_read_as={"other_press": "whole"})
    assert read_both_ways.loc["cost", "agreement"] == "disagree"
    assert "the sources disagree" in read_both_ways.loc["cost", "why"]
    # Read in yet another scope, it is not compared.
    assert graded("2003", figures, also_read_as={"other_press": "zone"}).loc["cost", "agreement"] == "single"


def test_cost_figures_say_every_scope_the_measures_read_a_figure_in():
    found = evidence.cost_figures(
        pd.DataFrame(
            {
                "evidence_id": ["f"],
                "subject": ["alpha"],
                "unit": ["EUR"],
                "what": ["final cost"],
                "value": [214e6],
                "as_of": ["2026"],
                "qualifier": ["approx"],
                "kind": ["article"],
                "source_class": ["independent_press"],
                "source": ["a radio"],
            }
        ),
        pd.DataFrame(
            {
                "initiative": ["alpha"] * 3,
                "quantity": ["cost"] * 3,
                "option": ["phase_only", "whole_works", "phase_again"],
                "scope": ["phase_2", "whole_network", "phase_2"],
                "figure_id": ["f"] * 3,
                "reference_topic": [""] * 3,
                "reference_figure": [""] * 3,
                "reference_as_of": [""] * 3,
            }
        ),
        "alpha",
    )
    assert (found.loc[0, "scope"], found.loc[0, "also_read_as"]) == ("phase_2", "whole_network")


def test_a_pace_read_through_a_conversion_rests_on_an_assumption():
    plain = graded("2003", [("final", 100, "whole")])
    assert plain.loc["pace", "strength"] == "strong"
    converted = graded("2003", [("final", 100, "whole")], readings=("target",))
    assert converted.loc["pace", "strength"] == "moderate"
    assert converted.loc["pace", "why"] == "rests on an assumption of the study"


QUOTED = pd.DataFrame(
    [
        # key, nature, inputs, source_table
        ("pace.a", "computed", "pace.a.start;pace.a.end", ""),
        ("pace.a.start", "stated", "", "data/raw/reference/barometre/etalab.csv"),
        ("pace.a.end", "stated", "", "data/raw/reference/barometre/ditp.csv"),
        ("median", "computed", "pace.a;pace.b", ""),
        ("pace.b", "computed", "pace.b.start", ""),
        ("pace.b.start", "lower_bound", "", "data/raw/reference/barometre/etalab.csv"),
        ("peers", "assumption", "", "data/raw/measures.csv"),
        ("press", "stated", "", "data/raw/elsewhere/press.csv"),
    ],
    columns=["key", "nature", "inputs", "source_table"],
).set_index("key")
CLASSES = pd.DataFrame(
    [("reference/barometre/", "official", "the State", ""), ("elsewhere/", "independent_press", "a daily", "")],
    columns=["source_contains", "source_class", "who", "note"],
)


def test_a_finding_on_the_states_series_is_graded_by_the_reads_it_rests_on():
    rows = findings.series_evidence(QUOTED, ["pace.a"], CLASSES)
    assert list(rows["evidence_id"]) == ["pace.a.start", "pace.a.end"]  # computations followed down to the reads
    assert set(rows["source_class"]) == {"official"} and set(rows["qualifier"]) == {"exact"}
    assert evidence.grade(rows, list(rows["evidence_id"])).level == "strong"
    # A median over another département whose read is a bound, and the study's choice of peers: two steps lost.
    rows = findings.series_evidence(QUOTED, ["median", "peers"], CLASSES)
    assert "assumption:peers" in set(rows["evidence_id"]) and "at_least" in set(rows["qualifier"])
    assert evidence.grade(rows, list(rows["evidence_id"])).level == "weak"
    with pytest.raises(StudyError, match=r"no class for 'data/raw/nowhere\.csv' of the quoted number 'lost'"):
        findings.series_evidence(
            pd.concat(
                [QUOTED, pd.DataFrame([("stated", "", "data/raw/nowhere.csv")], index=["lost"], columns=QUOTED.columns)]
            ),
            ["lost"],
            CLASSES,
        )
    with pytest.raises(StudyError, match="no 'missing' to grade"):
        findings.series_evidence(QUOTED, ["missing"], CLASSES)
