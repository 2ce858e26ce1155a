"""The comparison recomputed by hand on tiny inline tables: deflation along a spending profile, scopes that
must match, per-unit metrics; and the real comparison's invariants."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis import measures as measures_module
from divide_study.analysis import metrics
from divide_study.analysis.measures import ScopeError, check_compatible, resolve
from divide_study.analysis.study import load_study
from divide_study.errors import DataError, StudyError

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
        ("alpha", "spending", 200e6, "EUR", "2024", "press", "200 millions", ""),
        ("alpha", "phase 2", 150e6, "EUR", "2022", "operator", "près de 150 millions", ""),
        ("alpha", "plugs", 100_000, "plugs", "2022", "press", "100 000 prises", ""),
        ("alpha", "phase 1 homes", 40_000, "households", "2016", "operator", "40 000 foyers", ""),
        ("alpha_pop", "population", 190_000, "inhabitants", "2014", "INSEE", "190 000", ""),
        ("alpha_pop", "population", 192_000, "inhabitants", "2021", "INSEE", "192 000", ""),
        ("beta_pop", "population", 90_000, "inhabitants", "2001", "press", "90 000", ""),
        ("beta_pop", "population", 80_000, "inhabitants", "2019", "INSEE", "80 000", ""),
        ("alpha", "share eligible", 0.8, "share", "2024", "press", "80 %", ""),
        ("soho_solo", "people settled (incl. families)", 480, "people", "2016", "tv", "480 personnes", ""),
        ("soho_solo", "members", 400, "members", "2022", "site", "400 adhérents", ""),
    ],
    columns=["topic", "figure", "value", "unit", "as_of", "source", "quote", "note"],
)
MEASURE_COLUMNS = [
    "initiative",
    "quantity",
    "option",
    "default",
    "scope",
    "spending",
    "figure_id",
    "reference_topic",
    "reference_figure",
    "reference_as_of",
    "assumed_value",
    "assumed_unit",
    "note",
]
MEASURES = pd.DataFrame(
    [
        ("alpha", "cost", "spent", True, "whole", "a_22_24", "", "alpha", "spending", "", None, "", "spent"),
        ("alpha", "cost", "initial", False, "phase_1", "a_14", "a_cost", "", "", "", None, "", "initial"),
        ("alpha", "cost", "phase2", False, "phase_2", "a_22_24", "", "alpha", "phase 2", "", None, "", "p2"),
        ("alpha", "premises", "plugs", True, "whole", "", "", "alpha", "plugs", "", None, "", "plugs"),
        ("alpha", "premises", "p1", False, "phase_1", "", "", "alpha", "phase 1 homes", "", None, "", "p1"),
        ("alpha", "population", "census", True, "territory", "", "", "alpha_pop", "population", "", None, "", "pop"),
        ("alpha", "speed", "ftth", True, "any", "", "", "", "", "", 1000.0, "Mbit/s", "assumed"),
        ("alpha", "speed", "slow", False, "any", "", "", "", "", "", 100.0, "Mbit/s", "assumed"),
        ("beta", "cost", "investment", True, "dsl", "b_03", "b_cost", "", "", "", None, "", "inv"),
        ("beta", "premises", "all", True, "dsl", "", "b_homes", "", "", "", None, "", "homes"),
        ("beta", "premises", "all", True, "dsl", "", "b_firms", "", "", "", None, "", "firms"),
        ("beta", "premises", "homes", False, "dsl", "", "b_homes", "", "", "", None, "", "homes"),
        ("beta", "population", "census", True, "territory", "", "", "beta_pop", "population", "2019", None, "", "c"),
        ("beta", "population", "press", False, "territory", "", "", "beta_pop", "population", "2001", None, "", "p"),
        ("beta", "speed", "dsl", True, "any", "", "b_speed", "", "", "", None, "", "dsl"),
    ],
    columns=MEASURE_COLUMNS,
).assign(also_paid_for="")  # measures.csv's last column: what a cost also paid for beyond its premises (none here)
PROFILES = pd.DataFrame(
    [
        # spending, profile, default, year, weight
        ("a_22_24", "even", True, 2022, 1.0),
        ("a_22_24", "even", True, 2023, 1.0),
        ("a_22_24", "even", True, 2024, 2.0),  # a heavier last year: shares 1/4, 1/4, 1/2
        ("a_22_24", "late", False, 2024, 1.0),
        ("a_14", "single", True, 2014, 1.0),
        ("b_03", "single", True, 2003, 1.0),
    ],
    columns=["spending", "profile", "default", "year", "weight"],
)
CPI = pd.DataFrame(
    {"year": [2003, 2014, 2022, 2023, 2024, 2025], "cpi_2015_100": [80.0, 100.0, 100.0, 110.0, 120.0, 120.0]}
)


def comparison(base_year=2025, options=None):
    return metrics.compare_networks(FIGURES, EXTERNAL, MEASURES, CPI, PROFILES, ["alpha", "beta"], base_year, options)


def value(table, initiative, metric, column="value_constant"):
    return metrics.metric(table, initiative, metric, column)


# --- deflation ----------------------------------------------------------------------------------------------


def test_deflation_along_a_profile_by_hand():
    # 200 M€ spent 1/4 in 2022, 1/4 in 2023, 1/2 in 2024; to euros of 2025 (CPI 120):
    # 50 M × 120/100 + 50 M × 120/110 + 100 M × 120/120
    by_hand = 50e6 * 1.2 + 50e6 * 120 / 110 + 100e6
    profile, shares = metrics.profile_shares(PROFILES, "a_22_24")
    assert profile == "even"
    assert shares.to_dict() == {2022: 0.25, 2023: 0.25, 2024: 0.5}
    constant, note = metrics.deflate(200e6, shares, CPI, 2025)
    assert constant == pytest.approx(by_hand)
    assert note == ""
    table = comparison()
    assert value(table, "alpha", "cost", "value_nominal") == 200e6
    assert value(table, "alpha", "cost") == pytest.approx(by_hand)
    # Never euros of the last year alone: that would leave the cost unchanged (CPI 2024 = 2025).
    assert value(table, "alpha", "cost") != pytest.approx(200e6 * 120 / 120)
    assert value(table, "alpha", "cost_per_premise") == pytest.approx(by_hand / 100_000)


def test_alternative_profile_and_years_beyond_the_cpi():
    late = comparison(options={"alpha.spending_profile": "late"})
    assert value(late, "alpha", "cost") == pytest.approx(200e6)  # all in 2024, CPI 120 = 2025's
    with pytest.raises(StudyError, match="unknown spending profile 'flat'"):
        comparison(options={"alpha.spending_profile": "flat"})
    shares = pd.Series({2025: 0.5, 2026: 0.5})
    constant, note = metrics.deflate(100.0, shares, CPI, 2014)
    assert constant == pytest.approx(100 * 100 / 120)
    assert note == "CPI ends in 2025: euros of 2026 taken as euros of 2025"


def test_single_year_costs_by_hand():
    table = comparison(base_year=2014)
    assert value(table, "beta", "cost") == pytest.approx(5e6 * 100 / 80)
    assert metrics.metric(table, "beta", "cost", "price_year") == 2003
    assert pd.isna(table.loc[(table.initiative == "alpha") & (table.metric == "cost"), "price_year"].iloc[0])
    assert table.loc[(table.initiative == "alpha") & (table.metric == "cost"), "spending_years"].iloc[0] == "2022–2024"


# --- scopes -------------------------------------------------------------------------------------------------


def test_an_incompatible_pair_is_refused():
    with pytest.raises(
        ScopeError, match=r"alpha\.cost=initial \(scope phase_1\).*alpha\.premises=plugs \(scope whole\)"
    ):
        comparison(options={"alpha.cost": "initial"})
    with pytest.raises(ScopeError):
        comparison(options={"alpha.cost": "phase2"})  # phase 2 has no premises of its own scope
    cost = resolve(MEASURES, FIGURES, EXTERNAL, "alpha", "cost", "spent")
    population = resolve(MEASURES, FIGURES, EXTERNAL, "alpha", "population")
    speed = resolve(MEASURES, FIGURES, EXTERNAL, "alpha", "speed")
    check_compatible(cost, population, speed)  # territory and any pair with everything


def test_a_compatible_pair_is_computed():
    table = comparison(options={"alpha.cost": "initial", "alpha.premises": "p1"})
    assert value(table, "alpha", "cost_per_premise", "value_nominal") == pytest.approx(100e6 / 40_000)
    assert value(table, "alpha", "cost_per_premise") == pytest.approx(100e6 * 120 / 100 / 40_000)
    assert set(table.loc[table.initiative == "alpha", "scope"]) >= {"phase_1"}


# --- per-unit metrics ---------------------------------------------------------------------------------------


def test_per_inhabitant_uses_the_population_of_the_last_spending_year_or_the_pinned_row():
    table = comparison()
    assert value(table, "alpha", "population", "value_nominal") == 192_000  # 2021 is nearest to 2024
    initial = comparison(options={"alpha.cost": "initial", "alpha.premises": "p1"})
    assert value(initial, "alpha", "population", "value_nominal") == 190_000  # 2014 matches the 2014 budget
    assert value(table, "beta", "population", "value_nominal") == 80_000  # pinned to the 2019 census
    press = comparison(options={"beta.population": "press"})
    assert value(press, "beta", "cost_per_inhabitant", "value_nominal") == pytest.approx(5e6 / 90_000)


def test_cost_per_mbit_and_headlines_by_hand():
    table = comparison()
    gers_pp = value(table, "alpha", "cost_per_premise")
    beta_pp = value(table, "beta", "cost_per_premise")
    assert beta_pp == pytest.approx(125 * 120 / 80)
    assert value(table, "alpha", "cost_per_premise_per_mbit") == pytest.approx(gers_pp / 1000)
    pairs = {
        "ratio_cost_per_premise": ("cost_per_premise", "alpha", "beta"),
        "ratio_cost_per_mbit": ("cost_per_premise_per_mbit", "beta", "alpha"),
    }
    head = metrics.headlines(table, pairs)
    assert head["ratio_cost_per_premise"] == pytest.approx(gers_pp / beta_pp)
    assert head["ratio_cost_per_mbit"] == pytest.approx((beta_pp / 2) / (gers_pp / 1000))
    # The pair is data: the other way round is the other ratio; an initiative with no such metric is refused.
    assert metrics.headlines(table, {"r": ("cost_per_premise", "beta", "alpha")})["r"] == pytest.approx(
        beta_pp / gers_pp
    )
    with pytest.raises(StudyError, match="has no 'cost_per_premise'"):
        metrics.headlines(table, {"r": ("cost_per_premise", "alpha", "gamma")})


def test_an_initiative_with_no_population_or_speed_gets_no_such_rows():
    """A network with a cost and premises but no cited population or speed: no per-inhabitant or per-Mbit/s
    row (never an estimate), and its cost per premise as usual."""
    only = MEASURES[~((MEASURES["initiative"] == "beta") & MEASURES["quantity"].isin(["population", "speed"]))]
    table = metrics.compare_networks(FIGURES, EXTERNAL, only, CPI, PROFILES, ["alpha", "beta"], 2025)
    beta = set(table.loc[table["initiative"] == "beta", "metric"])
    assert beta == {"cost", "premises", "cost_per_premise"}
    assert value(table, "beta", "cost_per_premise", "value_nominal") == pytest.approx(5e6 / 40_000)


def test_options_are_checked():
    table = comparison(options={"beta.premises": "homes"})
    assert value(table, "beta", "cost_per_premise", "value_nominal") == pytest.approx(5e6 / 30_000)
    with pytest.raises(StudyError, match="unknown premises option 'flats'"):
        comparison(options={"beta.premises": "flats"})
    with pytest.raises(StudyError, match=r"name no initiative\.quantity"):
        comparison(options={"gamma.cost": "x"})


def test_benchmarks_and_take_up_by_hand():
    external = pd.concat(
        [
            EXTERNAL,
            pd.DataFrame(
                [
                    ("benchmark", "cap", 400, "EUR/plug", "2013", "senat", "400", ""),
                    ("alpha", "subscribers", 20_000, "subscribers", "2024", "press", "20 000", ""),
                    ("national", "fibre subscriptions", 6, "subscriptions", "2025", "arcep", "6", ""),
                    ("national", "premises able to connect to fibre", 10, "premises", "2025", "arcep", "10", ""),
                ],
                columns=EXTERNAL.columns,
            ),
        ]
    )
    bench = metrics.benchmarks(comparison(), external, "alpha", "Alpha")
    assert bench["eur_per_plug"].tolist() == [pytest.approx(2000), 400]
    assert bench["kind"].tolist() == ["the study's computation", "national benchmark"]
    # With the evidence, a benchmark says what its source is: a remark in a parliamentary record is not a rule.
    basis = pd.DataFrame({"evidence_id": ["benchmark|cap|2013"], "basis": ["parliamentary record"]})
    kinds = metrics.benchmarks(comparison(), external, "alpha", "Alpha", basis)["kind"].tolist()
    assert kinds == ["the study's computation", "parliamentary record"]
    rates = metrics.take_up(external, "alpha", 100_000).set_index("where")["take_up"]
    assert rates["alpha"] == pytest.approx(20_000 / (0.8 * 100_000))
    assert rates["France"] == pytest.approx(0.6)


def test_take_up_is_a_range_over_the_two_readings_of_a_share_eligible():
    """A share eligible may be of the network's plugs or of the whole département: with the département's
    dwellings the same subscribers are set against both, each row naming what it divides by."""
    external = pd.concat(
        [
            EXTERNAL,
            pd.DataFrame(
                [
                    ("alpha", "subscribers", 20_000, "subscribers", "2024", "press", "20 000", ""),
                    ("alpha_housing", "dwellings", 125_000, "dwellings", "2023", "press", "125 000", ""),
                ],
                columns=EXTERNAL.columns,
            ),
        ]
    )
    rates = metrics.take_up(external, "alpha", 100_000, "alpha_housing|dwellings|2023")
    alpha = rates[rates["where"] == "alpha"].set_index("take_up")
    assert sorted(alpha.index) == [pytest.approx(0.2), pytest.approx(0.25)]
    assert alpha.loc[alpha.index.min(), "evidence_ids"].endswith(";alpha_housing|dwellings|2023")
    assert "125,000 dwellings of the département" in alpha.loc[alpha.index.min(), "how"]
    # Each row says which reading it is, so the quoted numbers and the report choose it by that, not by its ids.
    assert alpha.loc[alpha.index.min(), "reading"] == "of_departement_dwellings"
    assert alpha.loc[alpha.index.max(), "reading"] == "of_network_plugs"
    assert set(rates["reading"]) <= set(metrics.TAKE_UP_READINGS)
    assert len(metrics.take_up(external, "alpha", 100_000)) == 1  # without dwellings, the plugs' reading alone
    with pytest.raises(StudyError, match="no_such"):
        metrics.take_up(external, "alpha", 100_000, "no_such|dwellings|2023")


def test_public_money_divides_only_within_its_scope():
    evidence = pd.DataFrame(
        [
            ("state_p1", 20e6, "EUR", "2017", "exact", "official", "prefecture"),
            ("state_any", 50e6, "EUR", "2019", "approx", "independent_press", "press"),
        ],
        columns=["evidence_id", "value", "unit", "as_of", "qualifier", "source_class", "source"],
    )
    funding = pd.DataFrame(
        [
            ("alpha", "State", "state_p1", "phase_1", False, "state", ""),
            ("alpha", "State", "state_any", "unclear", False, "state", ""),
        ],
        columns=["initiative", "funder", "evidence_id", "scope", "all_public_money", "covers", "note"],
    )
    money = metrics.public_money(funding, evidence, MEASURES, FIGURES, EXTERNAL, "alpha").set_index("evidence_id")
    assert money.loc["state_p1", "per_premise"] == pytest.approx(20e6 / 40_000)
    assert money.loc["state_p1", "per_inhabitant"] == pytest.approx(20e6 / 190_000)  # 2014 nearest to 2017
    assert pd.isna(money.loc["state_any", "per_premise"])
    assert pd.isna(money.loc["state_any", "per_inhabitant"])
    # What an amount also paid for travels with it (funding.csv's also_paid_for), empty where the row says none.
    assert set(money["also_paid_for"]) == {""}
    wider = metrics.public_money(
        funding.assign(also_paid_for=["copper;wifi", float("nan")]), evidence, MEASURES, FIGURES, EXTERNAL, "alpha"
    ).set_index("evidence_id")
    assert (wider.loc["state_p1", "also_paid_for"], wider.loc["state_any", "also_paid_for"]) == ("copper;wifi", "")


def test_one_funders_amount_over_its_share_is_all_its_funders_money_divided_in_its_own_scope():
    # A Département's "more than 25 M EUR" and its stated 60 % share of the local funding: the local money of
    # the Département and the intercommunalities is at least 25 / 0.6 M EUR, divided by the plugs of the same scope;
    # the Département's own row stays as its source states it.
    evidence = pd.DataFrame(
        [
            ("dept", 25e6, "EUR", "2026", "at_least", "interested_party", "radio"),
            ("dept_share", 0.6, "share", "2022", "exact", "interested_party", "magazine"),
        ],
        columns=["evidence_id", "value", "unit", "as_of", "qualifier", "source_class", "source"],
    )
    funding = pd.DataFrame(
        [
            ("alpha", "Département", "dept", "phase_1", False, "departement", "", ""),
            ("alpha", "local", "dept", "phase_1", False, "departement;intercommunalities", "dept_share", ""),
        ],
        columns=["initiative", "funder", "evidence_id", "scope", "all_public_money", "covers", "share_id", "note"],
    )
    money = metrics.public_money(funding, evidence, MEASURES, FIGURES, EXTERNAL, "alpha").set_index("covers")
    assert money.loc["departement", "amount_eur"] == 25e6 and money.loc["departement", "share_id"] == ""
    derived = money.loc["departement;intercommunalities"]
    assert derived["amount_eur"] == pytest.approx(25e6 / 0.6) and derived["share_id"] == "dept_share"
    assert derived["per_premise"] == pytest.approx(25e6 / 0.6 / 40_000)
    assert derived["qualifier"] == "at_least"  # a lower bound stays one
    assert metrics.derived_from_share(derived) and not metrics.derived_from_share({"share_id": float("nan")})


def test_a_share_that_is_not_one_or_an_amount_of_one_funder_is_refused_naming_the_cell(tmp_path):
    evidence = pd.DataFrame(
        {"evidence_id": ["dept", "dept_share", "plugs"], "unit": ["EUR", "share", "plugs"], "value": [25e6, 0.6, 1e5]}
    )
    shutil.copy(config.RAW_DIR / "funding.schema.json", tmp_path / "funding.schema.json")
    path = tmp_path / "funding.csv"
    header = "initiative,funder,evidence_id,scope,all_public_money,covers,share_id,spending,note,also_paid_for\n"
    ok = "alpha,local,dept,whole,false,departement;intercommunalities,dept_share,,,\n"
    path.write_text(header + ok, encoding="utf-8")
    assert measures_module.load_funding(path, evidence)["share_id"].tolist() == ["dept_share"]
    for row, column, said in (
        ("alpha,local,dept,whole,false,departement;intercommunalities,plugs,,,\n", "share_id", "not a share"),
        ("alpha,local,dept,whole,false,departement;intercommunalities,nowhere,,,\n", "share_id", "nowhere"),
        ("alpha,local,dept,whole,false,departement,dept_share,,,\n", "covers", "several funders"),
    ):
        path.write_text(header + ok + row, encoding="utf-8")
        with pytest.raises(StudyError, match=rf"funding.csv.*row 2.*column '{column}'.*{said}"):
            measures_module.load_funding(path, evidence)


# --- the measures table -------------------------------------------------------------------------------------


def write_measures(tmp_path, frame):
    path = tmp_path / "measures.csv"
    frame.to_csv(path, index=False)
    shutil.copy(config.RAW_DIR / "measures.schema.json", tmp_path / "measures.schema.json")
    return path


def test_measures_need_a_spending_period_for_costs_only(tmp_path):
    broken = MEASURES.copy()
    broken.loc[broken["option"] == "spent", "spending"] = ""
    path = write_measures(tmp_path, broken)
    with pytest.raises(StudyError, match=r"row 1 \(line 2\).*column 'spending': a cost needs its spending period"):
        measures_module.load_measures(path, FIGURES, EXTERNAL)


def test_rows_of_one_option_share_their_scope(tmp_path):
    broken = MEASURES.copy()
    broken.loc[(broken["option"] == "all") & (broken["figure_id"] == "b_firms"), "scope"] = "firms"
    path = write_measures(tmp_path, broken)
    with pytest.raises(StudyError, match="rows of beta/premises/all disagree on scope"):
        measures_module.load_measures(path, FIGURES, EXTERNAL)


def test_a_speed_of_another_network_is_refused_and_one_of_the_costs_own_scope_is_kept(tmp_path):
    # beta's cost is its DSL network's; a speed of its older metropolitan fibre would pair two networks in a ratio.
    other = pd.DataFrame(
        [("beta", "speed", "metro", False, "metro_1998", "", "", "", "", "", 100.0, "Mbit/s", "older network", "")],
        columns=MEASURES.columns,
    )
    path = write_measures(tmp_path, pd.concat([MEASURES, other], ignore_index=True))
    row = len(MEASURES) + 1
    with pytest.raises(
        StudyError, match=rf"row {row} .*column 'scope': a speed of scope 'metro_1998' measures another"
    ):
        measures_module.load_measures(path, FIGURES, EXTERNAL)
    own = other.assign(scope="dsl")  # the same network's speed, its scope said
    path = write_measures(tmp_path, pd.concat([MEASURES, own], ignore_index=True))
    assert "metro" in set(measures_module.load_measures(path, FIGURES, EXTERNAL)["option"])


# --- the real study -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def study(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("handed_over")
    for csv in processed.glob("*.csv"):
        shutil.copy(csv, out / csv.name)
    figures = pd.read_csv(out / "figures.csv", dtype=str, keep_default_na=False)
    measures_module.publish_inputs(config.RAW_DIR, out, figures.assign(value=figures["value"].astype(float)))
    return load_study(out, validate=True)


def real(study, base_year=2025, options=None):
    return metrics.compare_networks(
        study.figures,
        study.external,
        study.measures,
        study.cpi,
        study.spending_profiles,
        study.networks(),
        base_year,
        options,
    )


def test_the_gers_cost_in_constant_euros_is_deflated_over_its_spending_years(study):
    table = real(study)
    nominal = metrics.metric(table, "gers_numerique", "cost", "value_nominal")
    constant = metrics.metric(table, "gers_numerique", "cost")
    _, shares = metrics.profile_shares(study.spending_profiles, "gers_2014_2023")
    cpi = study.cpi.set_index("year")["cpi_2015_100"]
    by_hand = sum(nominal * share * cpi[2025] / cpi[year] for year, share in shares.items())
    assert constant == pytest.approx(by_hand)
    assert constant > nominal * 1.05  # a decade of inflation, not euros of the last year


def test_base_year_changes_constant_euros_and_nothing_else(study):
    a, b = real(study, 2025), real(study, 2014)
    constant = ["value_constant", "base_year"]
    pd.testing.assert_frame_equal(a.drop(columns=constant), b.drop(columns=constant))
    euros = a["value_constant"].notna()
    assert (a.loc[euros, "value_constant"] != b.loc[euros, "value_constant"]).all()


def test_real_comparison_pairs_only_matching_scopes(study):
    table = real(study)
    for initiative, rows in table.groupby("initiative"):
        per_premise = rows[rows.metric == "cost_per_premise"].iloc[0]
        cost = resolve(study.measures, study.figures, study.external, initiative, "cost")
        premises = resolve(study.measures, study.figures, study.external, initiative, "premises")
        assert cost.scope == premises.scope == per_premise["scope"]
    with pytest.raises(ScopeError):
        real(study, options={"gers_numerique.cost": "final_cost"})


def test_every_figure_file_has_its_csv():
    pngs = sorted(config.FIGURES_DIR.glob("*.png"))
    if not pngs:
        if __import__("os").environ.get("CI"):
            pytest.fail("CI builds the study before testing, yet figures/ is empty")
        pytest.skip("figures/ has not been built in this checkout")
    assert len(pngs) >= 6
    # No other kind of chart file: the report embeds the PNG, and nothing reads an SVG (none is written).
    kinds = {p.suffix for p in config.FIGURES_DIR.iterdir() if not p.name.startswith(".")}
    assert sorted(kinds) == [".csv", ".png"]
    for png in pngs:
        # Each edition's chart is a PNG (name.png, name.fr.png); the data behind it is one CSV (name.csv).
        name = png.name.split(".")[0]
        assert (png.parent / f"{name}.csv").exists(), f"{png.stem} lacks its {name}.csv"


def test_every_processed_table_matches_its_schema():
    from divide_study.data.tables import read_table

    tables = sorted(config.PROCESSED_DIR.glob("*.csv"))
    if not (config.PROCESSED_DIR / "cost_figures.csv").exists():
        pytest.skip("data/processed has not been built in this checkout")
    for path in tables:
        read_table(path, config.schema_of(path.stem), validate=True)


def test_a_take_ups_quoted_name_and_computation_follow_its_reading():
    from divide_study.analysis.quoted import Quotes
    from divide_study.analysis.quoting import take_up_keys, take_up_quotes

    evidence = pd.DataFrame(
        {
            "evidence_id": ["a|subscribers|2023-07", "a|share eligible|2023-07", "h|dwellings|2023", "a|take-up|2023"],
            "kind": ["reference"] * 4,
            "value": [20_000, 0.8, 125_000, 0.45],
            "unit": ["subscribers", "share", "dwellings", "share"],
            "qualifier": ["exact", "exact", "exact", "at_least"],
            "amount_nature": [""] * 4,
            "as_of": ["2023-07", "2023-07", "2023", "2023"],
        }
    )
    uptake = pd.DataFrame(
        {
            "where": ["a", "a", "a"],
            "take_up": [20_000 / (0.8 * 100_000), 20_000 / (0.8 * 125_000), 0.45],
            "evidence_ids": [
                "a|subscribers|2023-07;a|share eligible|2023-07",
                "a|subscribers|2023-07;a|share eligible|2023-07;h|dwellings|2023",
                "a|take-up|2023",
            ],
            "reading": ["of_network_plugs", "of_departement_dwellings", "cited"],
        }
    )
    q = Quotes("compare")
    plugs = q.read(
        "a.plugs", 100_000, table="t", row={"k": "v"}, column="value", unit="plugs", nature="stated", what="plugs"
    )
    take_up_quotes(q, uptake, evidence, {"a": plugs})
    rows = q.frame().set_index("key")
    keys = take_up_keys(uptake)
    plugs_key, dwellings_key, cited_key = keys["take_up"]
    assert dwellings_key == f"{plugs_key}.of_departement"
    assert plugs in rows.loc[plugs_key, "inputs"].split(";")  # the network's plugs divide the first reading only
    assert plugs not in rows.loc[dwellings_key, "inputs"].split(";")
    assert rows.loc[cited_key, "operation"] == "" and keys.loc[2, "how"] == ""  # a cited rate is read, not derived


@pytest.mark.parametrize(
    ("amount", "divisors", "expected"),
    [
        ("exact", ["exact"], "exact"),
        ("exact", ["at_least"], "upper_bound"),  # 28 M EUR over "plus de 138 000" plugs: at most 203 EUR each
        ("at_least", ["exact"], "at_least"),  # "plus de 25 M EUR" over 100,000 plugs: at least 250 EUR each
        ("at_least", ["at_least"], "approx"),  # a lower bound over a lower bound bounds nothing
        ("upper_bound", ["exact", "at_least"], "upper_bound"),
        ("approx", ["exact"], "approx"),
        ("exact", ["exact", "approx"], "approx"),
    ],
)
def test_money_per_premise_is_hedged_by_its_amount_and_its_premises(amount, divisors, expected):
    assert metrics.quotient_qualifier(amount, divisors) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((203, "upper_bound", "plan"), (417, "at_least", "contributed"), "different_nature"),  # a plan, money put in
        ((203, "upper_bound", "plan"), (417, "at_least", "plan"), "first"),  # at most 203 is below at least 417
        ((417, "at_least", "plan"), (203, "upper_bound", "plan"), "second"),
        ((203, "at_least", "plan"), (417, "at_least", "plan"), "undetermined"),  # "at least 203" may exceed 417
        ((203, "exact", "contributed"), (417, "exact", "contributed"), "first"),
        ((203, "exact", "plan"), (417, "approx", "plan"), "undetermined"),  # an approximation orders nothing
        ((500, "upper_bound", "plan"), (417, "exact", "plan"), "undetermined"),
        ((2453, "upper_bound", "plan"), (2824, "at_least", "estimate"), "first"),  # two forecasts compare
        ((2870, "exact", "spent_to_date"), (2416, "approx", "final_cost"), "different_nature"),  # not one measure
    ],
)
def test_two_amounts_per_plug_are_ordered_only_by_their_bounds_and_of_one_nature(first, second, expected):
    assert metrics.which_is_lower(first, second) == expected


def test_public_money_over_more_than_n_plugs_is_at_most_its_quotient():
    evidence = pd.DataFrame(
        [
            ("money", 20e6, "EUR", "2017", "exact", "official", "prefecture"),
            ("alpha|phase 1 homes|2016", 40_000, "households", "2016", "at_least", "press", "operator"),
        ],
        columns=["evidence_id", "value", "unit", "as_of", "qualifier", "source_class", "source"],
    )
    funding = pd.DataFrame(
        [("alpha", "State", "money", "phase_1", False, "state", "")],
        columns=["initiative", "funder", "evidence_id", "scope", "all_public_money", "covers", "note"],
    )
    money = metrics.public_money(funding, evidence, MEASURES, FIGURES, EXTERNAL, "alpha").iloc[0]
    assert money["per_premise"] == pytest.approx(20e6 / 40_000) and money["per_premise_qualifier"] == "upper_bound"


def test_a_premise_count_its_source_bounds_makes_every_quotient_over_it_a_bound():
    # "Plus de 100 000 prises": the count is at least that, and the cost per premise (and per Mbit/s) at most.
    external = EXTERNAL.copy()
    external.loc[external["figure"] == "plugs", "quote"] = "plus de 100 000 prises"
    table = metrics.compare_networks(FIGURES, external, MEASURES, CPI, PROFILES, ["alpha", "beta"], 2025)
    hedges = table.set_index(["initiative", "metric"])["qualifier"]
    assert hedges["alpha", "premises"] == "at_least"
    assert hedges["alpha", "cost_per_premise"] == "upper_bound"
    assert hedges["alpha", "cost_per_premise_per_mbit"] == "upper_bound"
    assert hedges["alpha", "cost"] == "exact" and hedges["alpha", "cost_per_inhabitant"] == "exact"
    # Beta's premises are two exact counts added up: exact, and so is its cost per premise.
    assert hedges["beta", "premises"] == "exact" and hedges["beta", "cost_per_premise"] == "exact"
    assert metrics.qualifier_of(table, "alpha", "cost_per_premise") == "upper_bound"
    assert set(comparison()["qualifier"]) == {"exact"}  # the same table with exact plugs bounds nothing


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["exact", "exact"], "exact"),
        (["exact", "at_least"], "at_least"),  # a sum with one part "more than" is more than the sum
        (["at_least", "upper_bound"], "approx"),  # bounds of opposite ways bound nothing
        (["target", ""], "exact"),  # a target's number and an assumption are not hedges
        (["approx", "approx"], "approx"),
    ],
)
def test_a_sum_is_hedged_by_its_parts(parts, expected):
    assert measures_module.combined_qualifier(parts) == expected


def test_money_per_premise_in_constant_euros_is_spread_over_its_spending_years_by_hand():
    # 20 M EUR over 40,000 homes (500 EUR each), spent 2022-2024 by weights 1, 1, 2 (the "even" profile of a_22_24
    # here): (1/4 * 120/100 + 1/4 * 120/110 + 1/2 * 120/120) * 500 EUR of 2025 (CPI 120 in 2025).
    evidence = pd.DataFrame(
        [("state_p1", 20e6, "EUR", "2017", "exact", "official", "prefecture")],
        columns=["evidence_id", "value", "unit", "as_of", "qualifier", "source_class", "source"],
    )
    funding = pd.DataFrame(
        [("alpha", "State", "state_p1", "phase_1", False, "state", "", "a_22_24")],
        columns=["initiative", "funder", "evidence_id", "scope", "all_public_money", "covers", "note", "spending"],
    )
    money = metrics.public_money(funding, evidence, MEASURES, FIGURES, EXTERNAL, "alpha", (CPI, PROFILES, 2025))
    row = money.iloc[0]
    expected = 500 * (0.25 * 1.2 + 0.25 * 120 / 110 + 0.5 * 1.0)
    assert row["per_premise_constant"] == pytest.approx(expected)
    assert (row["spending_years"], row["spending_profile"], row["base_year"]) == ("2022–2024", "even", 2025)
    # Without a spending period, or without the CPI and profiles, no constant euros: never a guess.
    undated = metrics.public_money(funding.assign(spending=""), evidence, MEASURES, FIGURES, EXTERNAL, "alpha")
    assert pd.isna(undated.iloc[0]["per_premise_constant"]) and undated.iloc[0]["spending_years"] == ""


def test_a_funding_row_naming_an_unknown_spending_period_is_refused_naming_the_cell(tmp_path):
    funding = pd.DataFrame({"spending": ["a_22_24", "", "a_99"]})
    with pytest.raises(DataError, match=r"funding\.csv, row 3 .*column 'spending'.*'a_99'.*a_14"):
        measures_module.check_funding_spending(funding, PROFILES, tmp_path / "funding.csv")
    measures_module.check_funding_spending(funding.iloc[:2], PROFILES, tmp_path / "funding.csv")
