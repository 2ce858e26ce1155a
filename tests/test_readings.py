"""The two networks under every reading, and whether a pair of readings ranks them: on tiny tables."""

from __future__ import annotations

import pandas as pd
import pytest
from test_compare import EXTERNAL, FIGURES, MEASURES

from divide_study.analysis import readings

LOCAL = "departement;intercommunalities"
MONEY = pd.DataFrame(
    [
        # initiative, covers, evidence_id, share_id, nature, per_premise, per_premise_constant, per_premise_qualifier
        ("alpha", "departement", "a_dep", "", "contributed", 250.0, 280.0, "at_least"),
        ("alpha", LOCAL, "a_dep", "a_share", "contributed", 416.0, 470.0, "at_least"),
        ("alpha", "state", "a_state", "", "announced", float("nan"), float("nan"), ""),  # not divided
        ("beta", LOCAL, "b_public", "", "plan", 200.0, 230.0, "upper_bound"),
        ("beta", "unstated", "b_inhouse", "", "plan", 1268.0, float("nan"), "upper_bound"),  # no spending years
        ("beta", "operator", "b_operator", "", "plan", 1960.0, 2220.0, "upper_bound"),  # not public money
    ],
    columns=[
        "initiative",
        "covers",
        "evidence_id",
        "share_id",
        "amount_nature",
        "per_premise",
        "per_premise_constant",
        "per_premise_qualifier",
    ],
)
# alpha's costs of test_compare: "spent" (a reference row) and "initial" (an article's figure), each over its scope.
SENSITIVITY = pd.DataFrame(
    [
        ("alpha.cost+premises", "spent / plugs", True, "alpha.cost_per_premise", 2400.0, "ok"),
        ("alpha.cost+premises", "spent / plugs", True, "beta.cost_per_premise", 9.0, "ok"),  # another's headline
        ("alpha.cost+premises", "initial / p1", False, "alpha.cost_per_premise", 3000.0, "ok"),
        ("alpha.cost+premises", "spent / p1", False, "", float("nan"), "refused: cost scope whole ≠ phase_1"),
    ],
    columns=["assumption", "setting", "central", "headline", "value", "status"],
)
EVIDENCE = pd.DataFrame(
    {"evidence_id": ["alpha|spending|2024", "a_cost"], "amount_nature": ["spent_to_date", "budget"]}
)


def network_readings(evidence=EVIDENCE, measures=MEASURES):
    return readings.network_readings(
        MONEY, SENSITIVITY, measures, FIGURES, EXTERNAL, evidence, ["alpha", "beta"], LOCAL
    )


def test_public_money_readings_are_the_divided_public_amounts_in_the_euros_they_can_be_told_in():
    table = network_readings()
    money = table[table["measure"] == "public_money"]
    # The operator's own money and an amount divided by nothing are no reading of public money per plug.
    assert list(money["reading"]) == ["a_dep", "a_dep", "b_public", "b_inhouse"]
    assert list(money["share_id"]) == ["", "a_share", "", ""]
    assert list(money["value"]) == [280.0, 470.0, 230.0, 1268.0]
    # An amount whose years of spending are not cited stays in current euros, and says so.
    assert list(money["euros"]) == ["constant", "constant", "constant", "current"]
    assert list(money["central"]) == [False, True, True, False]
    assert list(money["qualifier"]) == ["at_least", "at_least", "upper_bound", "upper_bound"]


def test_cost_readings_are_the_compatible_pairs_with_the_nature_of_their_amounts():
    table = network_readings()
    costs = table[table["measure"] == "cost"].set_index("reading")
    assert list(costs.index) == ["spent / plugs", "initial / p1"]  # the refused pair is no reading
    assert costs.loc["spent / plugs", "value"] == 2400.0
    assert costs.loc["spent / plugs", "amount_nature"] == "spent_to_date"
    assert costs.loc["initial / p1", "amount_nature"] == "budget"
    assert bool(costs.loc["spent / plugs", "central"]) and not bool(costs.loc["initial / p1", "central"])
    assert set(costs["covers"]) == {"all"}


def test_a_cost_of_amounts_of_different_natures_is_mixed_and_ranks_against_nothing():
    # "spent" read as two rows: the spending (spent to date) and the budget (a budget) added up.
    extra = MEASURES.iloc[[1]].assign(option="spent", default=True, scope="whole", spending="a_22_24")
    measures = pd.concat([MEASURES, extra], ignore_index=True)
    table = network_readings(measures=measures)
    assert table.loc[table["reading"] == "spent / plugs", "amount_nature"].item() == readings.MIXED


def test_a_cost_read_from_a_row_evidence_lacks_is_an_error_naming_it():
    with pytest.raises(Exception, match="alpha\\|spending\\|2024"):
        network_readings(evidence=EVIDENCE.iloc[[1]])


def pairs_of(rows, also_paid_for=None):
    frame = pd.DataFrame(rows, columns=["initiative", "measure", "amount_nature", "value", "euros", "qualifier"])
    if also_paid_for is not None:
        frame["also_paid_for"] = also_paid_for
    return readings.ranked_pairs(frame, "alpha", "beta")["verdict"].tolist()


def test_a_plan_is_never_ranked_against_money_put_in():
    assert pairs_of(
        [
            ("alpha", "public_money", "contributed", 470.0, "constant", "at_least"),
            ("beta", "public_money", "plan", 230.0, "constant", "upper_bound"),
        ]
    ) == ["different_nature"]


def test_constant_and_current_euros_rank_nothing():
    assert pairs_of(
        [
            ("alpha", "public_money", "plan", 100.0, "constant", "exact"),
            ("beta", "public_money", "plan", 1268.0, "current", "exact"),
        ]
    ) == ["different_euros"]


def test_bounds_that_do_not_overlap_rank_two_amounts_of_one_nature_and_overlapping_ones_do_not():
    assert pairs_of(
        [
            ("alpha", "cost", "plan", 2500.0, "constant", "at_least"),
            ("beta", "cost", "plan", 2200.0, "constant", "upper_bound"),
        ]
    ) == ["second"]
    assert pairs_of(
        [
            ("alpha", "cost", "plan", 2500.0, "constant", "upper_bound"),
            ("beta", "cost", "plan", 2200.0, "constant", "upper_bound"),
        ]
    ) == ["undetermined"]


def test_a_plan_and_an_estimate_are_both_forecasts_and_rank_by_their_bounds():
    assert pairs_of(
        [
            ("alpha", "cost", "estimate", 2824.0, "constant", "at_least"),
            ("beta", "cost", "plan", 2453.0, "constant", "upper_bound"),
        ]
    ) == ["second"]


def test_money_for_fibre_alone_is_never_ranked_below_money_that_also_paid_for_copper_and_wifi():
    """The Gers's whole works paid for copper upgrades and WiFi too: its money per fibre plug is lower by an amount
    no source gives, so a fibre-only amount below it by their bounds is not shown the lower; the reverse order
    (the wider amount already the lower) still holds."""
    rows = [
        ("alpha", "cost", "estimate", 2824.0, "constant", "at_least"),
        ("beta", "cost", "plan", 2453.0, "constant", "upper_bound"),
    ]
    assert pairs_of(rows, ["copper;wifi", ""]) == ["different_works"]
    assert pairs_of(rows, ["copper;wifi", "copper;wifi"]) == ["second"]  # the same works on both sides
    assert pairs_of(rows, ["", ""]) == ["second"]
    wider_lower = [
        ("alpha", "cost", "plan", 2000.0, "constant", "upper_bound"),
        ("beta", "cost", "plan", 2453.0, "constant", "at_least"),
    ]
    assert pairs_of(wider_lower, ["copper;wifi", ""]) == ["first"]


def test_a_cost_reading_says_what_its_cost_option_also_paid_for():
    measures = MEASURES.assign(also_paid_for="")
    measures.loc[(measures["quantity"] == "cost") & (measures["option"] == "spent"), "also_paid_for"] = "wifi;copper"
    costs = network_readings(measures=measures).query("measure == 'cost'").set_index("reading")
    assert costs.loc["spent / plugs", "also_paid_for"] == "copper;wifi"
    assert costs.loc["initial / p1", "also_paid_for"] == ""
    money = network_readings(measures=measures).query("measure == 'public_money'")
    assert set(money["also_paid_for"]) == {""}  # MONEY has no such column: nothing is assumed


def test_pairs_are_made_within_one_measure_only():
    verdicts = pairs_of(
        [
            ("alpha", "cost", "plan", 2500.0, "constant", "exact"),
            ("alpha", "public_money", "plan", 100.0, "constant", "exact"),
            ("beta", "cost", "plan", 2000.0, "constant", "exact"),
        ]
    )
    assert verdicts == ["second"]  # alpha's public money has no beta reading to meet


def test_wider_works_reads_any_mapping_and_a_missing_column_as_fibre_alone():
    # The summary passes its rows as dicts; a reading without the column paid for fibre alone.
    assert readings.wider_works({"also_paid_for": ""}, {"also_paid_for": "copper;wifi"})
    assert not readings.wider_works({"also_paid_for": "copper;wifi"}, {"also_paid_for": "wifi"})
    assert not readings.wider_works({}, {"also_paid_for": float("nan")})
    assert readings.wider_works({}, pd.Series({"also_paid_for": "copper"}))
