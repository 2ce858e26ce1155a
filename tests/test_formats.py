"""Locale formats: what a French and an English reader see for the same numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from divide_study.language.formats import MISSING, Formats, significant

NNBSP, NBSP = "\u202f", "\u00a0"  # French groups thousands with a narrow no-break space; units follow a no-break space


def test_french_numbers_group_with_spaces_and_use_a_decimal_comma():
    fr = Formats("fr")
    assert fr.number(2140) == f"2{NNBSP}140"
    assert fr.number(11.37, 1) == "11,4"
    assert fr.euros(2390) == f"2{NNBSP}390{NBSP}€"
    assert fr.euros(2.14, 2) == f"2,14{NBSP}€"
    assert fr.millions_of_euros(214e6) == f"214{NBSP}M€"
    assert fr.share(2 / 3) == f"67{NBSP}%"
    assert fr.share(0.0533, 1) == f"5,3{NBSP}%"


def test_english_numbers_group_with_commas():
    en = Formats("en")
    assert en.number(2140) == "2,140"
    assert en.euros(2390) == "€2,390"
    assert en.millions_of_euros(214e6) == "€214M"
    assert en.share(2 / 3) == "67%"


def test_the_same_amount_cannot_be_misread_across_editions():
    # "2,140 €" in a French text reads as two euros fourteen: the French edition never prints a comma group.
    assert "," not in Formats("fr").euros(2140)
    assert Formats("fr").euros(2.14, 2) != Formats("fr").euros(2140)


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        ("2019-03-15", "15\u00a0mars 2019", "15\u00a0March 2019"),
        ("2021-10-01", "1\u1d49\u02b3\u00a0octobre 2021", "1\u00a0October 2021"),
        ("2021-10-11", "11\u00a0octobre 2021", "11\u00a0October 2021"),
        ("2023-07", "juillet 2023", "July 2023"),
        ("2022", "2022", "2022"),
        (dt.date(2026, 1, 28), "28\u00a0janvier 2026", "28\u00a0January 2026"),
    ],
)
def test_dates_in_each_language(value, fr, en):
    assert Formats("fr").date(value) == fr
    assert Formats("en").date(value) == en


def test_missing_values_show_a_dash_not_nan():
    for lang in ("fr", "en"):
        formats = Formats(lang)
        assert formats.number(float("nan")) == MISSING
        assert formats.euros(None) == MISSING
        assert formats.share(float("nan")) == MISSING
        assert formats.date("") == MISSING


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown edition language 'de'"):
        Formats("de")


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(11.37, 2, 11), (2137.4, 2, 2100), (2137.4, 3, 2140), (0.0533, 2, 0.053), (0, 2, 0), (-47.6, 2, -48)],
)
def test_significant_figures(value, digits, expected):
    assert significant(value, digits) == pytest.approx(expected)


def test_lists_read_as_each_language_joins_them():
    assert Formats("fr").join(["Gers", "Tarn", "Soho Solo"]) == "Gers, Tarn et Soho Solo"
    assert Formats("en").join(["Gers", "Tarn", "Soho Solo"]) == "Gers, Tarn and Soho Solo"


@pytest.mark.parametrize(
    ("value", "decimals", "en", "fr"),
    [
        (562.5, 0, "563", "563"),  # a half rounds up, as a reader rounds by hand (babel alone: 562)
        (561.5, 0, "562", "562"),
        (2.675, 2, "2.68", "2,68"),  # the float's shortest text, not its binary value (2.67499…)
        (-2.5, 0, "-3", "-3"),  # away from zero
        (429.4, 0, "429", "429"),
        (-0.03, 1, "0.0", "0,0"),  # rounds to nothing: no sign (Table 24 printed "-0.0" points a year)
        (-0.0, 0, "0", "0"),
    ],
)
def test_a_half_rounds_away_from_zero(value, decimals, en, fr):
    assert Formats("en").number(value, decimals) == en
    assert Formats("fr").number(value, decimals).replace("\u2212", "-") == fr
    assert Formats("en").share(0.505) == "51%" and Formats("fr").share(0.125, 0) == "13\u00a0%"


def test_weekdays_quarters_and_the_first_of_the_month_come_from_the_locale():
    assert [Formats("fr").weekday(day) for day in ("Monday", "wednesday", "Sunday")] == [
        "lundi",
        "mercredi",
        "dimanche",
    ]
    assert Formats("en").weekday("Monday") == "Monday"
    with pytest.raises(ValueError, match="not a weekday"):
        Formats("fr").weekday("Mondays")
    assert (Formats("fr").quarter("Q4 2017"), Formats("en").quarter("Q4 2017")) == ("T4 2017", "Q4 2017")
    with pytest.raises(ValueError, match="not a quarter"):
        Formats("fr").quarter("Q5 2017")
    # Only the day babel's French ordinal rule puts in the category 'one' takes "er": the 1st, not the 21st.
    assert Formats("fr").date("2021-10-01") == "1\u1d49\u02b3\u00a0octobre 2021"
    assert Formats("fr").date("2021-10-21") == "21\u00a0octobre 2021"
    assert Formats("en").date("2021-10-01") == "1\u00a0October 2021"


def test_ordinals_follow_the_locale_rule():
    """Ranks as each edition writes them, by CLDR's ordinal categories: English 'st/nd/rd/th' (11th-13th are
    'th'), French superscript 'ᵉʳ' for the first and 'ᵉ' otherwise, never '2e' or '2ème'."""
    english = Formats("en")
    assert [english.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "111th",
    ]  # fmt: skip
    french = Formats("fr")
    assert [french.ordinal(n) for n in (1, 2, 36)] == ["1\u1d49\u02b3", "2\u1d49", "36\u1d49"]
    assert french.ordinal_suffix(91) == "\u1d49"
