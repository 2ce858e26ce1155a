"""Headline metrics recomputed by hand on tiny inline tables, and the real comparison's invariants."""

from __future__ import annotations

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis import compare
from divide_study.analysis.study import load_study
from divide_study.errors import StudyError

FIGURES = pd.DataFrame(
    [
        # figure_id, article, initiative, metric, value, unit, qualifier, as_of, span
        ("a_cost", "001", "alpha", "budget", 100e6, "EUR", "exact", "2014", "100 millions"),
        ("a_share", "001", "alpha", "share_inhabitants_eligible", 0.5, "share", "exact", "2020-09-11", "1 sur 2"),
        ("a_target", "001", "alpha", "share_inhabitants_eligible", 2 / 3, "share", "target", "2020", "2 sur 3"),
        ("b_cost", "002", "beta", "investment", 5e6, "EUR", "exact", "2003", "5 millions"),
        ("b_homes", "002", "beta", "households_covered", 30_000, "households", "exact", "2003", "30 000 foyers"),
        ("b_firms", "002", "beta", "businesses_covered", 10_000, "businesses", "exact", "2003", "10 000 PME"),
        ("b_speed", "002", "beta", "speed_offered", 2, "Mbit/s", "exact", "2003", "2 Mbits/s"),
        ("s_fam", "003", "soho_solo", "families_settled", 250, "families", "exact", "2010", "250 familles"),
    ],
    columns=["figure_id", "article", "initiative", "metric", "value", "unit", "qualifier", "as_of", "span"],
)
EXTERNAL = pd.DataFrame(
    [
        ("alpha", "final cost", 200e6, "EUR", "2026-01-28", "radio", "200 millions", ""),
        ("alpha", "plugs", 100_000, "plugs", "2022", "press", "100 000 prises", ""),
        ("alpha_pop", "population", 190_000, "inhabitants", "2014", "INSEE", "190 000", ""),
        ("alpha_pop", "population", 192_000, "inhabitants", "2021", "INSEE", "192 000", ""),
        ("beta_pop", "population", 90_000, "inhabitants", "2001", "press", "90 000", ""),
        ("alpha", "share eligible", 0.8, "share", "2024", "press", "80 %", ""),
        ("soho_solo", "people settled (incl. families)", 480, "people", "2016", "tv", "480 personnes", ""),
        ("soho_solo", "members", 400, "members", "2022", "site", "400 adhérents", ""),
    ],
    columns=["topic", "figure", "value", "unit", "as_of", "source", "quote", "note"],
)
MEASURES = pd.DataFrame(
    [
        # initiative, quantity, option, default, figure_id, reference_topic, reference_figure, assumed, unit, note
        ("alpha", "cost", "final", True, "", "alpha", "final cost", None, "", "final"),
        ("alpha", "cost", "initial", False, "a_cost", "", "", None, "", "initial"),
        ("alpha", "premises", "plugs", True, "", "alpha", "plugs", None, "", "plugs"),
        ("alpha", "population", "census", True, "", "alpha_pop", "population", None, "", "pop"),
        ("alpha", "speed", "ftth", True, "", "", "", 1000.0, "Mbit/s", "assumed"),
        ("beta", "cost", "investment", True, "b_cost", "", "", None, "", "inv"),
        ("beta", "premises", "all", True, "b_homes", "", "", None, "", "homes"),
        ("beta", "premises", "all", True, "b_firms", "", "", None, "", "firms"),
        ("beta", "premises", "homes", False, "b_homes", "", "", None, "", "homes"),
        ("beta", "population", "census", True, "", "beta_pop", "population", None, "", "pop"),
        ("beta", "speed", "dsl", True, "b_speed", "", "", None, "", "dsl"),
    ],
    columns=[
        "initiative",
        "quantity",
        "option",
        "default",
        "figure_id",
        "reference_topic",
        "reference_figure",
        "assumed_value",
        "assumed_unit",
        "note",
    ],
)
CPI = pd.DataFrame({"year": [2003, 2014, 2024, 2025], "cpi_2015_100": [80.0, 100.0, 110.0, 120.0]})


def comparison(base_year=2025, options=None):
    return compare.compare_networks(FIGURES, EXTERNAL, MEASURES, CPI, ["alpha", "beta"], base_year, options)


def value(table, initiative, metric, column="value_constant"):
    return compare.metric(table, initiative, metric, column)


def test_cost_per_premise_by_hand():
    table = comparison()
    # alpha: 200 M€ of 2026, taken at the last CPI year (2025), over 100 000 plugs.
    assert value(table, "alpha", "cost_per_premise", "value_nominal") == pytest.approx(2000)
    assert value(table, "alpha", "cost_per_premise") == pytest.approx(2000)
    # beta: 5 M€ of 2003 over 30 000 + 10 000 premises, then to 2025 euros with CPI 120 / 80.
    assert value(table, "beta", "cost_per_premise", "value_nominal") == pytest.approx(125)
    assert value(table, "beta", "cost_per_premise") == pytest.approx(125 * 120 / 80)
    assert "CPI ends in 2025" in table.loc[(table.initiative == "alpha") & (table.metric == "cost"), "note"].iloc[0]


def test_cpi_conversion_by_hand():
    table = comparison(base_year=2014)
    assert value(table, "beta", "cost") == pytest.approx(5e6 * 100 / 80)
    assert value(table, "alpha", "cost") == pytest.approx(200e6 * 100 / 120)


def test_per_inhabitant_uses_the_population_nearest_the_cost_year():
    table = comparison()
    assert value(table, "alpha", "population", "value_nominal") == 192_000  # 2021 is nearest to 2026
    assert value(table, "alpha", "cost_per_inhabitant", "value_nominal") == pytest.approx(200e6 / 192_000)
    initial = comparison(options={"alpha.cost": "initial"})
    assert value(initial, "alpha", "population", "value_nominal") == 190_000  # 2014 matches the 2014 budget
    assert value(initial, "alpha", "cost_per_inhabitant", "value_nominal") == pytest.approx(100e6 / 190_000)
    assert value(table, "beta", "cost_per_inhabitant", "value_nominal") == pytest.approx(5e6 / 90_000)


def test_cost_per_mbit_by_hand():
    table = comparison()
    assert value(table, "alpha", "cost_per_premise_per_mbit", "value_nominal") == pytest.approx(2000 / 1000)
    assert value(table, "beta", "cost_per_premise_per_mbit", "value_nominal") == pytest.approx(125 / 2)


def test_options_switch_measures_and_are_checked():
    table = comparison(options={"beta.premises": "homes"})
    assert value(table, "beta", "cost_per_premise", "value_nominal") == pytest.approx(5e6 / 30_000)
    with pytest.raises(StudyError, match="unknown premises option 'flats'"):
        comparison(options={"beta.premises": "flats"})
    with pytest.raises(StudyError, match=r"name no initiative\.quantity"):
        comparison(options={"gamma.cost": "x"})


def test_target_against_achieved():
    timeline = compare.eligibility_timeline(
        FIGURES.assign(initiative="gers_numerique"), EXTERNAL.replace({"alpha": "gers_numerique"})
    )
    target = timeline[timeline["kind"] == "target"]
    achieved = timeline[timeline["kind"] == "achieved"]
    assert target["share"].tolist() == [pytest.approx(2 / 3)]
    assert achieved["share"].tolist() == [0.5, 0.8]
    assert (achieved["share"].iloc[0] - target["share"].iloc[0]) == pytest.approx(-1 / 6)


def test_soho_people_equivalent():
    outcomes = compare.soho_outcomes(FIGURES, EXTERNAL, persons_per_household=2.2).set_index("as_of")
    assert outcomes.loc["2010", "people_equivalent"] == pytest.approx(550)
    assert outcomes.loc["2016", "people_equivalent"] == 480
    assert pd.isna(outcomes.loc["2022", "people_equivalent"])  # members are not people settled


def test_sensitivity_and_tornado():
    table = compare.sensitivity(FIGURES, EXTERNAL, MEASURES, CPI, ["alpha", "beta"], 2025, {}, [2014])
    ratio = compare.tornado(table, "ratio_cost_per_premise").set_index("assumption")
    central = (2000 * 1) / (125 * 120 / 80)
    assert ratio.loc["alpha.cost", "central"] == pytest.approx(central)
    # the initial budget: 100 M€ of 2014 in 2025 euros, over the same plugs
    assert ratio.loc["alpha.cost", "low"] == pytest.approx((100e6 * 120 / 100 / 100_000) / (125 * 120 / 80))
    assert ratio.loc["base_year", "low"] == pytest.approx(ratio.loc["base_year", "high"])
    assert ratio.index[0] in ("alpha.cost", "beta.premises")  # widest swing first


# --- the real study -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def study(processed):
    return load_study(processed, config.RAW_DIR)


def test_base_year_changes_constant_euros_and_nothing_else(study):
    args = (study.figures, study.reference.external, study.measures, study.reference.cpi, study.networks())
    a = compare.compare_networks(*args, 2025)
    b = compare.compare_networks(*args, 2014)
    constant = ["value_constant", "base_year"]
    pd.testing.assert_frame_equal(a.drop(columns=constant), b.drop(columns=constant))
    euros = a["value_constant"].notna()
    assert (a.loc[euros, "value_constant"] != b.loc[euros, "value_constant"]).all()


def test_real_comparison_never_adds_gers_cost_scopes(study):
    table = compare.compare_networks(
        study.figures, study.reference.external, study.measures, study.reference.cpi, study.networks(), 2025
    )
    gers_cost = compare.metric(table, "gers_numerique", "cost", "value_nominal")
    external = study.reference.external
    stated = set(external.loc[(external.topic == "gers_numerique") & (external.unit == "EUR"), "value"])
    assert gers_cost in stated | {100e6}


def test_every_figure_file_has_its_csv():
    pngs = sorted(config.FIGURES_DIR.glob("*.png"))
    if not pngs:
        if __import__("os").environ.get("CI"):
            pytest.fail("CI builds the study before testing, yet figures/ is empty")
        pytest.skip("figures/ has not been built in this checkout")
    assert len(pngs) >= 6
    for png in pngs:
        for ext in ("svg", "csv"):
            assert png.with_suffix(f".{ext}").exists(), f"{png.stem} lacks its .{ext}"
