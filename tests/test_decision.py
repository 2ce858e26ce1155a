"""The summary's decision table: public money set side by side only when it holds the same funders' money."""

from __future__ import annotations

import pandas as pd
import pytest

from divide_study.analysis.models import money_comparison
from divide_study.language.labels import Labels
from divide_study.report.models_section import decision_table


@pytest.mark.parametrize(
    ("ours", "theirs", "comparable", "extra", "missing"),
    [
        ("departement", "departement", True, [], []),
        ("state;departement", "departement;state", True, [], []),  # the same funders in another order
        ("state;region;departement", "departement", False, ["state", "region"], []),
        ("departement", "state;departement", False, [], ["state"]),
        ("unstated", "unstated", False, [], []),  # funders nobody states are never the same funders
        ("", "departement", False, [], ["departement"]),
    ],
)
def test_public_money_is_compared_only_across_the_same_funders(ours, theirs, comparable, extra, missing):
    assert money_comparison(ours, theirs) == (comparable, extra, missing)


LABELS = pd.DataFrame(
    [
        ("funder", "state", "the State", "l'État", ""),
        ("funder", "departement", "the Département", "le Département", ""),
        ("funder", "intercommunalities", "the intercommunalities", "les intercommunalités", ""),
        ("scope", "phase_1", "phase 1", "phase 1", ""),
        ("scope", "zone", "the zone", "la zone", ""),
    ],
    columns=["kind", "key", "en", "fr", "note"],
)


def models(covers_a: str, covers_b: str) -> pd.DataFrame:
    row = {
        "public_money_scope": "phase_1",
        "public_money_per_premise": 2000.0,
        "public_money_id": "a|public money|2017",
        "public_money_note": "a note",
        "own_target": "",
        "own_target_id": "",
        "own_target_cited_as": "",
        "target_by": "",
        "achieved_by_target_year": float("nan"),
        "achieved_as_of": "",
        "delay_risk": "the public body",
        "demand_risk": "the public body",
        "premises": 10.0,
        "from_year": 2016,
        "to_year": 2024,
    }
    return pd.DataFrame(
        [
            {**row, "initiative": "a", "name": "A", "public_money_covers": covers_a},
            {
                **row,
                "initiative": "b",
                "name": "B",
                "public_money_covers": covers_b,
                "public_money_scope": "zone",
                "achieved_by_target_year": 0.51,
                "achieved_by_target_year_qualifier": "upper_bound",  # a count over "more than" N plugs
                "achieved_as_of": "2022-11",
            },
        ]
    )


CONTRACTS = pd.DataFrame(
    [("a", "phase 1", "works contract"), ("b", "FTTH", "concession")], columns=["initiative", "phase", "model"]
)


def test_the_decision_table_says_whose_money_each_amount_holds_and_refuses_to_compare_different_funders():
    shown, keys, words = decision_table(
        models("state;departement", "departement"),
        ["a", "b"],
        CONTRACTS,
        Labels(LABELS, "en"),
        lambda t, c: t,
        {"a": 11.3},
        {"a": "put in", "b": "planned"},
    )
    by_row = shown.set_index("indicator")
    assert by_row.loc["how it was built and run (contracts table)", "A"] == "phase 1: works contract"
    whose = "whose money that is, and what it is"
    assert by_row.loc[whose, "A"] == "the State and the Département, put in (phase 1: a note)"
    assert by_row.loc[whose, "B"] == "the Département, planned (the zone: a note)"  # a plan says so
    compared = by_row.loc["can the two amounts be compared?"]
    assert compared["A"] == "no: it holds the money of the State, which the other's source does not count"
    assert compared["B"] == "no: its source does not count the money of the State"
    pace = (
        "points of premises able to connect gained per year (State's barometer), from its fibre contract or, if "
        "later, the barometer's first quarter"
    )
    assert by_row.loc[pace, "A"] == "11.3" and by_row.loc[pace, "B"] == "–"  # no quoted pace: no number
    # Each number names its quoted key; a pace the series step did not quote names none.
    assert keys.loc[list(by_row.index).index(pace), "A"] == "series.a.own_network.points_per_year"
    assert keys.loc[list(by_row.index).index(pace), "B"] == ""
    # Paces over the same years for both: the label says so and each cell names that window's key.
    shown, keys, _words = decision_table(
        models("state;departement", "departement"),
        ["a", "b"],
        CONTRACTS,
        Labels(LABELS, "en"),
        lambda t, c: t,
        {"a": 11.6, "b": 14.5},
        {"a": "put in", "b": "planned"},
        pace_key="series.{initiative}.points_per_year.later_contract",
        same_years=True,
    )
    same = shown.set_index("indicator").filter(like="over the same years for both", axis=0)
    assert list(same.iloc[0]) == ["11.6", "14.5"]
    row = list(shown["indicator"]).index(same.index[0])
    assert list(keys.iloc[row]) == [f"series.{i}.points_per_year.later_contract" for i in ("a", "b")]
    assert keys.loc[1, "A"] == "compare.a.money.a_public_money_2017.per_premise"
    # Words holding digits (a contract's phase) and the risks are words; whose money it is links its amount.
    assert list(words["A"]) == [True, False, False, True, False, False, False, False, False, True, True]
    # What was achieved says when it was counted: a count after the deadline shows as one.
    latest = "latest own count in the deadline's year, as a share (the study's, where its source gives a count)"
    assert by_row.loc[latest, "B"] == "at most 51%"  # said as what it is, not as its source's count
    assert by_row.loc["date of the count", "B"] == "November 2022"
    assert keys.loc[2, "A"] == "compare.a.money.a_public_money_2017"


def test_public_money_no_count_of_plugs_shares_is_said_not_divided():
    # Phase-1 money that also paid for copper and WiFi: no per-plug figure, a reason instead, linked to nothing.
    table = models("state;departement", "departement")
    table.loc[0, "public_money_per_premise"] = float("nan")
    shown, keys, words = decision_table(
        table, ["a", "b"], CONTRACTS, Labels(LABELS, "en"), lambda t, c: t, {}, {"a": "budget", "b": "planned"}
    )
    per_plug = shown.set_index("indicator").loc["public money per plug (€, nominal)"]
    assert per_plug["A"] == "not computable: no count of plugs shares the scope of its public money (next row)"
    assert per_plug["B"] == "2,000" and keys.loc[1, "A"] == "" and words.loc[1, "A"]
    assert keys.loc[2, "A"] == "compare.a.money.a_public_money_2017"  # its amount is still said, and linked


def test_the_same_funders_money_is_said_comparable_in_french():
    shown, _keys, _words = decision_table(
        models("departement", "departement"),
        ["a", "b"],
        CONTRACTS,
        Labels(LABELS, "fr"),
        lambda t, c: t,
        {},
        {"a": "apporté", "b": "prévu"},
    )
    assert set(shown.iloc[3, 1:]) == {"oui\u00a0: les mêmes financeurs"}


def test_the_decision_table_refuses_public_money_whose_nature_is_not_given():
    from divide_study.errors import StudyError

    with pytest.raises(StudyError, match=r"initiative=b\], column 'public_money_id': what the amount is"):
        decision_table(
            models("departement", "departement"),
            ["a", "b"],
            CONTRACTS,
            Labels(LABELS, "en"),
            lambda t, c: t,
            {},
            {"a": "put in"},
        )


def test_the_decision_table_sets_two_networks_side_by_side():
    with pytest.raises(Exception, match="two fibre networks"):
        decision_table(models("a", "b"), ["a"], CONTRACTS, Labels(LABELS, "en"), lambda t, c: t, {})


def test_a_plans_later_amount_is_read_from_its_rows_note_or_refused_naming_the_cell():
    from divide_study.errors import DataError
    from divide_study.report.sections import later_plan_amount, later_plan_month

    external = pd.DataFrame(
        {
            "topic": ["tarn", "tarn"],
            "figure": ["public money", "total investment by the concessionaire"],
            "as_of": ["2019", "2019"],
            "note": ["", "in October 2021 the Département said the plan had become 171 M EUR (a source)"],
        }
    )
    assert later_plan_amount(external, "tarn|total investment by the concessionaire|2019") == (2, 171.0)
    # When it was said, from the same note, as a month the editions write in their own words.
    assert later_plan_month(external, "tarn|total investment by the concessionaire|2019") == (2, "2021-10")
    reworded = external.assign(note=["", "the plan was cut in 2021"])
    with pytest.raises(DataError, match=r"row 2.*column 'note'|column 'note'.*row 2"):
        later_plan_amount(reworded, "tarn|total investment by the concessionaire|2019")
    with pytest.raises(DataError, match=r"when the plan's later amount was said"):
        later_plan_month(reworded, "tarn|total investment by the concessionaire|2019")


def test_the_teleworkers_among_a_count_are_read_from_its_rows_note_or_refused_naming_the_cell():
    from divide_study.errors import DataError
    from divide_study.report.sections import TELEWORKERS_AMONG, note_number

    external = pd.DataFrame(
        {
            "topic": ["soho_solo", "soho_solo"],
            "figure": ["annual programme budget", "people settled (incl. families)"],
            "as_of": ["2016", "2014"],
            "note": ["approximate date", "199 teleworkers; 47 villages"],
        }
    )
    found = note_number(external, "soho_solo|people settled (incl. families)|2014", TELEWORKERS_AMONG, "teleworkers")
    assert found == (2, 199.0)
    reworded = external.assign(note=["", "47 villages, teleworkers among them"])
    with pytest.raises(DataError, match=r"row 2.*column 'note'.*teleworkers|teleworkers.*row 2.*column 'note'"):
        note_number(reworded, "soho_solo|people settled (incl. families)|2014", TELEWORKERS_AMONG, "teleworkers")


def test_one_funders_money_per_plug_and_the_state_series_are_shown_with_what_still_differs():
    # Public money of different funders as a whole; local public money in both (what each source counts of it),
    # each with its nature and scope (a lower bound says so); and each own target on the State's series.
    common = (
        models("state;departement", "departement"),
        ["a", "b"],
        CONTRACTS,
        Labels(LABELS, "en"),
        lambda t, c: t,
        {},
        {"a": "budget", "b": "planned"},
    )
    shown, keys, words = decision_table(
        *common,
        same_funder=(
            ("departement", "intercommunalities"),
            {
                "a": {
                    "per_premise": 250.0,
                    "qualifier": "at_least",
                    "nature": "put in",
                    "scope": "phase 1",
                    "whose": "the Département",
                    "key": "k.a",
                },
                "b": {
                    "per_premise": 202.9,
                    "qualifier": "exact",
                    "nature": "planned",
                    "scope": "the zone",
                    "whose": "the Département and the intercommunalities",
                    "key": "k.b",
                },
            },
        ),
        on_series={"a": (0.49, "s.a"), "b": (0.7167, "s.b")},
    )
    by_row = shown.set_index("indicator")
    label = "public money per plug from the Département and the intercommunalities only (€, nominal)"
    own = by_row.loc[label]
    assert list(own) == [
        "at least 250 (put in, phase 1; funders counted: the Département)",
        "203 (planned, the zone; funders counted: the Département and the intercommunalities)",
    ]
    row = list(by_row.index).index(label)
    assert list(keys.iloc[row]) == ["k.a", "k.b"] and not words.iloc[row].any()
    series = "the State's series for the whole département, in the quarter holding the due date"
    assert list(by_row.loc[series]) == ["49%", "72%"]
    assert list(keys.iloc[list(by_row.index).index(series)]) == ["s.a", "s.b"]
    # Without them, no such rows.
    plain = decision_table(*common)[0]
    assert series not in set(plain["indicator"]) and len(plain) == len(shown) - 2


def test_another_launch_year_is_read_from_its_rows_note_or_refused_naming_the_cell():
    from divide_study.errors import DataError
    from divide_study.report.sections import LAUNCH_FROM, note_number

    external = pd.DataFrame(
        {
            "topic": ["soho_solo"],
            "figure": ["programme launch year"],
            "as_of": ["2018-03-28"],
            "note": ["an EU pilot preceded it; the CCI ran it alone from 2007 per other sources"],
        }
    )
    assert note_number(external, "soho_solo|programme launch year|2018-03-28", LAUNCH_FROM, "a year") == (1, 2007.0)
    with pytest.raises(DataError, match=r"row 1.*column 'note'|column 'note'.*row 1"):
        note_number(
            external.assign(note="an EU pilot preceded it"),
            "soho_solo|programme launch year|2018-03-28",
            LAUNCH_FROM,
            "a year",
        )


def test_local_money_is_chosen_by_its_funders_codes_and_missing_or_repeated_gives_none():
    from types import SimpleNamespace

    from divide_study.language.formats import Formats
    from divide_study.report.sections import same_funder_money

    money = pd.DataFrame(
        {
            "initiative": ["a", "a", "b", "b"],
            # a: the Département's alone, and all funders (State included: not local money); b: local money.
            "covers": ["departement", "state;departement", "departement;intercommunalities", "departement"],
            "per_premise": [250.0, 900.0, 202.9, float("nan")],  # b's second amount is divided by nothing
            "qualifier": ["at_least", "exact", "exact", "exact"],
            "amount_nature": ["contributed", "budget", "plan", "plan"],
            "scope": ["phase_1", "phase_1", "zone", "zone"],
            "evidence_id": ["a|money|2026", "a|all|2017", "b|money|2019", "b|other|2021"],
            "per_inhabitant": [float("nan")] * 4,
        }
    )
    e = SimpleNamespace(money=money, L=lambda kind, key: f"{kind}:{key}", F=Formats("en"))
    local = ("departement", "intercommunalities")
    funders, found = same_funder_money(e, ["a", "b"], local)
    assert funders == local and [found[i]["per_premise"] for i in ("a", "b")] == [250.0, 202.9]
    assert found["a"]["whose"] == "funder:departement"
    assert found["b"]["whose"] == "funder:departement and funder:intercommunalities"
    assert found["a"]["key"] == "compare.a.money.a_money_2026.per_premise"
    assert found["a"]["nature"] == "amount_nature:contributed" and found["b"]["scope"] == "scope:zone"
    assert same_funder_money(e, ["a", "b"], ("region",)) is None  # no such funder's money
    # The Département's alone: b's local money counts another funder too, so b has no such amount.
    assert same_funder_money(e, ["a", "b"], ("departement",)) is None
    twice = SimpleNamespace(money=pd.concat([money, money.iloc[[0]]]), L=e.L, F=e.F)
    assert same_funder_money(twice, ["a", "b"], local) is None  # two amounts: which one is not guessed


def test_local_money_derived_from_a_funders_share_is_preferred_and_said_as_an_assumption():
    from types import SimpleNamespace

    from divide_study.language.formats import Formats
    from divide_study.report.sections import money_of, same_funder_money

    money = pd.DataFrame(
        {
            "initiative": ["a", "a", "b"],
            # a: the Département's own amount, and the local money derived from its share; b: local money.
            "covers": ["departement", "departement;intercommunalities", "departement;intercommunalities"],
            "per_premise": [250.0, 416.7, 202.9],
            "qualifier": ["at_least", "at_least", "exact"],
            "amount_nature": ["contributed", "contributed", "plan"],
            "scope": ["whole", "whole", "zone"],
            "evidence_id": ["a|money|2026", "a|money|2026", "b|money|2019"],
            "share_id": ["", "a|share|2022", ""],
            "per_inhabitant": [float("nan")] * 3,
        }
    )
    e = SimpleNamespace(money=money, L=lambda kind, key: f"{kind}:{key}", F=Formats("en"))
    _funders, found = same_funder_money(e, ["a", "b"], ("departement", "intercommunalities"))
    # The row holding all the funders, not the Département's alone: the same funders on both sides.
    assert found["a"]["per_premise"] == 416.7 and found["a"]["derived"] and not found["b"]["derived"]
    assert found["a"]["key"] == "compare.a.money.a_money_2026.all_funders.per_premise"
    assert found["a"]["share_key"] == "compare.a.money.a_money_2026.all_funders.share"
    assert found["a"]["share_id"] == "a|share|2022"
    # The Département's own amount is still found by its funders, for the summary to set beside it.
    assert money_of(e, "a", ("departement",))["per_premise"] == 250.0
    from divide_study.errors import StudyError

    with pytest.raises(StudyError, match=r"public_money\.csv.*b covering departement"):
        money_of(e, "b", ("departement",))
    # In the table, the derived amount says it is one.
    shown = decision_table(
        models("state;departement", "departement"),
        ["a", "b"],
        CONTRACTS,
        Labels(LABELS, "en"),
        lambda t, c: t,
        {},
        {"a": "budget", "b": "planned"},
        same_funder=(("departement", "intercommunalities"), found),
    )[0].set_index("indicator")
    cells = shown.loc["public money per plug from the Département and the intercommunalities only (€, nominal)"]
    assert cells.iloc[0] == (
        "at least 417 (amount_nature:contributed, scope:whole; funders counted: funder:departement and "
        "funder:intercommunalities; derived from one funder's amount and its stated share, an assumption)"
    )
    assert "derived" not in cells.iloc[1]


def test_money_findings_rest_on_the_share_and_its_assumption_where_an_amount_is_derived():
    from divide_study.analysis.findings import money_inputs

    money = pd.DataFrame({"evidence_id": ["x", "x", "y"], "share_id": ["", "s", float("nan")]})
    assert money_inputs(money) == ["x", "s", "assumption:funder_share", "y"]


def test_a_bounded_quotient_is_said_as_one_in_each_edition():
    from divide_study.i18n import Translator
    from divide_study.report.models_section import hedged

    en, fr = Translator("en", "analysis"), Translator("fr", "analysis")
    assert hedged(en, "203", "upper_bound") == "at most 203" and hedged(fr, "203", "upper_bound") == "au plus 203"
    assert hedged(en, "250", "at_least") == "at least 250" and hedged(fr, "250", "at_least") == "au moins 250"
    assert hedged(en, "12", "approx") == "about 12"
    assert hedged(en, "188", "exact") == "188" and hedged(en, "188", "") == "188"


def test_the_money_table_names_whose_per_premise_figure_is_a_maximum():
    from types import SimpleNamespace

    from divide_study.i18n import Translator
    from divide_study.language.formats import Formats
    from divide_study.report.sections import upper_bounds_said

    money = pd.DataFrame({"initiative": ["a", "b", "b"], "per_premise_qualifier": ["at_least", "upper_bound", "exact"]})
    e = SimpleNamespace(names={"a": "Alpha", "b": "Beta <b>"}, _=Translator("en", "report"), F=Formats("en"))
    said = upper_bounds_said(e, money)
    assert said == (
        ' Per premise, a figure is a maximum where its premises are counted as "more than" the number divided by '
        "(Beta &#60;b&#62;)."
    )
    assert "Alpha" not in said
    assert upper_bounds_said(e, money.assign(per_premise_qualifier="exact")) == ""


def test_an_amount_derived_from_a_share_is_shown_to_three_figures_a_stated_one_as_stated():
    from types import SimpleNamespace

    from divide_study.i18n import Translator
    from divide_study.language.formats import Formats
    from divide_study.report.sections import amounts_as_known, derived_amounts_said

    # 25 millions over 60 %: 41 666 667 is not known to the euro; a stated 12 345 678 keeps every digit.
    money = pd.DataFrame({"amount_eur": [25e6 / 0.6, 12_345_678.0], "share_id": ["dept|share|2022", float("nan")]})
    fr = SimpleNamespace(_=Translator("fr", "report"), F=Formats("fr"))
    assert amounts_as_known(fr, money) == ["41\u202f700\u202f000", 12_345_678.0]
    assert "trois chiffres significatifs" in derived_amounts_said(fr, money)
    assert derived_amounts_said(fr, money.assign(share_id="")) == ""


def test_the_limitations_name_every_claimant_once_in_the_editions_words():
    from divide_study.report.sections import claimants

    english = pd.Series(["the Département du Tarn; Gers Fibre", "", "Gers Fibre; Romain Gabrielli, director"])
    assert claimants(english, "en") == "the Département du Tarn; Gers Fibre; Romain Gabrielli, director"
    french = pd.Series(["le Département du Tarn\u00a0; Gers Fibre", "Gers Fibre"])
    assert claimants(french, "fr") == "le Département du Tarn\u00a0; Gers Fibre"


def test_money_per_plug_is_also_said_in_constant_euros_with_every_number_it_shows_named():
    table = models("departement", "departement").assign(
        public_money_per_premise_constant=[2300.0, float("nan")], public_money_per_premise_qualifier=["upper_bound", ""]
    )
    shown, keys, _words = decision_table(
        table,
        ["a", "b"],
        CONTRACTS,
        Labels(LABELS, "fr"),
        lambda t, c: t,
        {},
        {"a": "apporté", "b": "prévu"},
        base_year=(2025, "compare.base_year"),
    )
    label = "financement public par prise (€ courants et constants)"
    by_row = shown.set_index("indicateur")
    # An amount of another year's euros beside its constant euros, hedged alike; one without them as it was.
    assert by_row.loc[label, "A"] == "au plus 2\u202f000 (au plus 2\u202f300 en euros de 2025)"
    assert by_row.loc[label, "B"] == "2\u202f000"
    row = list(shown["indicateur"]).index(label)
    assert keys.iloc[row, 0] == (
        "compare.a.money.a_public_money_2017.per_premise;compare.a.money.a_public_money_2017.per_premise_constant;"
        "compare.base_year"
    )
    assert keys.iloc[row, 1] == "compare.b.money.a_public_money_2017.per_premise"


def test_a_contract_ended_with_no_later_one_for_its_part_leaves_who_runs_it_unsaid():
    from divide_study.analysis.models import ended_unsaid

    contracts = pd.DataFrame(
        {
            "initiative": ["a", "a", "a", "b", "b", "c"],
            "phase": ["creation", "phase 1", "phase 2", "works", "works", "concession"],
            "from_year": [2013, 2016, 2021, 2010, 2018, 2019],
            "to_year": [pd.NA, 2024, 2026, 2018, pd.NA, 2044],
        }
    ).astype({"from_year": "Int64", "to_year": "Int64"})
    unsaid = ended_unsaid(contracts, 2026)
    # a's phase 1 ended in 2024 and nothing follows it; b's works were taken over by a later contract; a's phase 2
    # ends in the latest source's year, c's concession runs to 2044, a's creation has no end.
    assert list(unsaid.index) == [1]
    assert list(ended_unsaid(contracts, 2027).index) == [1, 2]
