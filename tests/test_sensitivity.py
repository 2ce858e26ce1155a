"""The sensitivity analysis over scope-compatible choices, on the tiny tables of test_compare."""

from __future__ import annotations

import pytest
from test_compare import CPI, EXTERNAL, FIGURES, MEASURES, PROFILES

from divide_study.analysis import sensitivity

PAIRS = {
    "ratio_cost_per_premise": ("cost_per_premise", "alpha", "beta"),
    "ratio_cost_per_mbit": ("cost_per_premise_per_mbit", "beta", "alpha"),
}
INPUTS = sensitivity.Inputs(FIGURES, EXTERNAL, MEASURES, CPI, PROFILES, ["alpha", "beta"], PAIRS)


@pytest.fixture(scope="module")
def table():
    return sensitivity.sensitivity(INPUTS, 2025, {}, [2014])


def test_only_matching_pairs_are_computed_and_the_others_refused(table):
    pairs = table[table["assumption"] == "alpha.cost+premises"]
    computed = set(pairs.loc[pairs["status"] == "ok", "setting"])
    assert computed == {"spent / plugs", "initial / p1"}
    refused = sensitivity.refused(table)
    assert set(refused["setting"]) == {"spent / p1", "initial / plugs", "phase2 / plugs", "phase2 / p1"}
    assert refused["status"].str.startswith("refused: cost scope").all()
    assert table.loc[table["status"] != "ok", "value"].isna().all()


def test_tornado_by_hand_and_unmoved_choices(table):
    ratio = sensitivity.tornado(table, "ratio_cost_per_premise").set_index("assumption")
    beta_pp = 125 * 120 / 80
    spent = 50e6 * 1.2 + 50e6 * 120 / 110 + 100e6
    assert ratio.loc["alpha.cost+premises", "central"] == pytest.approx(spent / 100_000 / beta_pp)
    assert ratio.loc["alpha.cost+premises", "high"] == pytest.approx(100e6 * 1.2 / 40_000 / beta_pp)
    assert ratio.loc["alpha.cost+premises", "high_setting"] == "initial / p1"
    # All spent in 2024 (CPI = 2025's): lower in constant euros than the even profile.
    assert ratio.loc["alpha.spending_profile", "low"] == pytest.approx(200e6 / 100_000 / beta_pp)
    # The base year scales both costs alike and the speeds move only per-Mbit/s figures.
    still = sensitivity.unmoved(table, "ratio_cost_per_premise")
    assert set(still) == {"base_year", "alpha.speed", "beta.population"}
    assert "alpha.speed" not in ratio.index
    per_mbit = sensitivity.tornado(table, "ratio_cost_per_mbit").set_index("assumption")
    assert per_mbit.loc["alpha.speed", "low_setting"] == "slow"
    assert per_mbit.loc["alpha.speed", "high"] / per_mbit.loc["alpha.speed", "low"] == pytest.approx(10)


def test_bounds_say_which_choice_bounds_the_range(table):
    span = sensitivity.bounds(table, "ratio_cost_per_premise")
    assert span["high_by"] == "alpha.cost+premises = initial / p1"
    # Castres-like beta over its households only: the dearest beta premise, so the lowest ratio.
    assert span["low_by"] == "beta.cost+premises = investment / homes"
    spent = 50e6 * 1.2 + 50e6 * 120 / 110 + 100e6
    assert span["low"] == pytest.approx((spent / 100_000) / (5e6 * 120 / 80 / 30_000))


def test_a_scenario_of_mismatched_scopes_is_refused_not_computed():
    scenarios = {
        "budget": {"base_year": 2025, "options": {"alpha.cost": "initial"}},
        "budget_and_homes": {"base_year": 2025, "options": {"alpha.cost": "initial", "alpha.premises": "p1"}},
        "central": {"base_year": 2025, "options": {}},
    }
    out = sensitivity.scenario_headlines(INPUTS, scenarios)
    status = out.groupby("scenario")["status"].first()
    assert status["budget"].startswith("refused: incompatible scopes")
    assert status["budget_and_homes"] == "ok"
    assert status["central"] == "ok"


def test_one_network_is_the_cheaper_throughout_only_where_the_ratio_never_reaches_one():
    castres_over_gers = ("cost_per_premise_per_mbit", "castres", "gers")
    assert sensitivity.lower_throughout(castres_over_gers, 2.8, 38.9, "gers")
    assert not sensitivity.lower_throughout(castres_over_gers, 2.8, 38.9, "castres")
    assert not sensitivity.lower_throughout(castres_over_gers, 0.9, 38.9, "gers")  # one speed makes it dearer
    assert not sensitivity.lower_throughout(castres_over_gers, 1.0, 2.0, "gers")  # equal at one: not cheaper
    gers_over_castres = ("cost_per_premise_per_mbit", "gers", "castres")
    assert sensitivity.lower_throughout(gers_over_castres, 0.03, 0.35, "gers")
    with pytest.raises(ValueError, match="neither network"):
        sensitivity.lower_throughout(castres_over_gers, 2.8, 38.9, "tarn")
