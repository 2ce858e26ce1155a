"""Labels: what a reader sees in place of the data's codes, in each edition's language."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis.measures import required_codes
from divide_study.errors import DataError, StudyError
from divide_study.language.labels import Labels, check_labels

TABLE = pd.DataFrame(
    [
        ("scope", "phase_1", "phase 1", "phase 1"),
        ("model", "concession", "concession", "concession"),
        ("source_class", "interested_party", "interested party's claim", "déclaration d'une partie intéressée"),
        ("option", "alpha.plugs", "all plugs", "toutes les prises"),
        ("option", "*.even", "even spending", "dépense égale"),
    ],
    columns=["kind", "key", "en", "fr"],
)


def test_labels_in_each_language_and_a_missing_one_is_named():
    french = Labels(TABLE, "fr")
    assert french("source_class", "interested_party") == "déclaration d'une partie intéressée"
    assert french.option("alpha", "plugs") == "toutes les prises"
    assert french.option("beta", "even") == "dépense égale"  # a spending profile, for every initiative
    assert list(Labels(TABLE, "en").values(pd.Series(["phase_1", None]), "scope").fillna("–")) == ["phase 1", "–"]
    with pytest.raises(StudyError, match=r"no scope label for 'phase_9'"):
        french("scope", "phase_9")
    with pytest.raises(StudyError, match="parameter 'lang'"):
        Labels(TABLE, "de")


def test_a_code_without_a_label_is_refused_naming_it():
    codes = [("scope", "phase_1", "measures.csv scopes"), ("option", "alpha.even", "spending profiles")]
    check_labels(TABLE, codes, Path("labels.csv"))  # *.even covers alpha.even
    with pytest.raises(DataError) as info:
        check_labels(TABLE, [*codes, ("scope", "phase_2", "funding.csv scopes")], Path("labels.csv"))
    assert info.value.column == "key" and "phase_2" in info.value.reason and "funding.csv" in info.value.reason


def test_every_code_of_the_real_data_has_both_labels():
    from divide_study.analysis.study import load_study

    processed = config.PROCESSED_DIR
    if not (processed / "labels.csv").exists():
        pytest.skip("data/processed has not been built in this checkout")
    study = load_study(processed)
    codes = required_codes(study.measures, study.spending_profiles, study.initiatives, study.funding, study.evidence)
    check_labels(study.labels, codes, processed / "labels.csv")
    assert not study.labels[["en", "fr"]].isna().any().any()


def test_report_tables_show_names_and_labels_not_codes():
    from divide_study.report import tables

    labels = Labels(
        pd.concat(
            [
                TABLE,
                pd.DataFrame(
                    [
                        ("metric", "cost_per_premise", "cost per premise", "coût par local"),
                        ("unit", "EUR per premise", "€ per premise", "€ par local"),
                        ("option", "alpha.spent", "spent", "dépensé"),
                        ("quantity", "cost+premises", "cost and premises", "coût et locaux"),
                        ("quantity", "base_year", "base year", "année de base"),
                    ],
                    columns=["kind", "key", "en", "fr"],
                ),
            ]
        ),
        "fr",
    )
    initiatives = pd.DataFrame({"initiative": ["alpha"], "short_name": ["Alpha"]})
    comparison = pd.DataFrame(
        [
            (
                "alpha",
                "cost_per_premise",
                2.0,
                2.2,
                "EUR per premise",
                "phase_1",
                "2014–2020",
                "cost=spent + premises=plugs",
            )
        ],
        columns=[
            "initiative",
            "metric",
            "value_nominal",
            "value_constant",
            "unit",
            "scope",
            "spending_years",
            "option",
        ],
    )
    shown = tables.comparison(comparison, initiatives, labels).iloc[0]
    assert (shown["initiative"], shown["metric"], shown["unit"], shown["scope"]) == (
        "Alpha",
        "coût par local",
        "€ par local",
        "phase 1",
    )
    assert shown["option"] == "dépensé\u00a0; toutes les prises"  # French spacing before the semicolon
    ranges = pd.DataFrame(
        [
            ("alpha.cost+premises", 1.0, "spent / plugs", 2.0, 3.0, "spent / plugs"),
            ("base_year", 2.0, "2015", 2.0, 2.0, "2025"),
        ],
        columns=["assumption", "low", "low_setting", "central", "high", "high_setting"],
    )
    shown = tables.sensitivity_ranges(ranges, initiatives, labels)
    assert list(shown["assumption"]) == ["Alpha\u00a0: coût et locaux", "année de base"]
    assert shown["low_setting"].iloc[0] == "dépensé / toutes les prises"


def test_every_hedge_the_reader_knows_has_its_labels():
    """A new figure may use any hedge numbers.qualifier_from_text reads ('jusqu'à' is upper_bound): its label is
    data/raw/labels.csv's before any figure uses it, so a new initiative's first build is not stopped for it."""
    from divide_study.data.numbers import QUALIFIERS

    labels = pd.read_csv(config.RAW_DIR / "labels.csv", dtype=str, keep_default_na=False)
    labelled = labels[labels["kind"] == "qualifier"].set_index("key")
    for code in QUALIFIERS:
        assert code in labelled.index, f"no qualifier label for {code!r} in data/raw/labels.csv"
        assert labelled.loc[code, "en"] and labelled.loc[code, "fr"], code
