"""Each cleaning rule on tiny inputs, and properties of the number reader on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from divide_study.data.numbers import (
    ImplausibleValueError,
    NumberFormatError,
    Units,
    UnknownQualifierError,
    UnknownUnitError,
    canonical_unit,
    parse_number,
    parse_quantity,
    qualifier_from_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13.000", 13_000),  # dot as thousands separator
        ("27 000 000", 27_000_000),  # space as thousands separator
        ("27\u00a0000\u00a0000", 27_000_000),  # no-break spaces, as typeset
        ("33\u202f000", 33_000),  # narrow no-break space
        ("8,9", 8.9),  # decimal comma
        ("1 234,5", 1234.5),
        ("5000", 5000),
        ("163", 163),
        ("quatorze", 14),
        ("deux", 2),
        ("vingt-trois", 23),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("100 millions d'euros", 100e6, "EUR"),
        ("100 millions d’euros", 100e6, "EUR"),  # typographic apostrophe
        ("8,9 M€", 8.9e6, "EUR"),
        ("35 milliards", 35e9, None),
        ("23 millions d'euros", 23e6, "EUR"),
        ("vingt-trois millions d'euros", 23e6, "EUR"),
        ("50 euros", 50, "EUR"),
        ("1 Gersois sur 2", 0.5, "share"),
        ("deux Gersois sur trois", 2 / 3, "share"),
        ("1 sur 4", 0.25, "share"),
        ("70%", 0.70, "share"),
        ("83 %", 0.83, "share"),
        ("13.000", 13_000, None),
    ],
)
def test_parse_quantity(text, value, unit):
    quantity = parse_quantity(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit


def test_two_thirds_reads_as_0_6667():
    assert round(parse_quantity("deux Gersois sur trois").value, 4) == 0.6667


@pytest.mark.parametrize("text", ["13.000,5.2", "1e", "", "   ", "12 34", "1.000.00", "Gersois", "1 sur 0", "abc 3"])
def test_malformed_numbers_raise_one_typed_error_quoting_the_input(text):
    with pytest.raises(NumberFormatError) as info:
        parse_quantity(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("unit_text", "unit"),
    [
        ("Mbits/s", "Mbit/s"),
        ("Mbit/s", "Mbit/s"),
        ("prises", "plugs"),
        ("foyers", "households"),
        ("PME", "businesses"),
        ("TPE", "businesses"),
        ("familles", "families"),
        ("personnes à temps plein", "FTE"),
        ("pylônes", "sites"),
        ("lignes", "lines"),
        ("communes", "communes"),
        ("chantier", "worksites"),
    ],
)
def test_canonical_unit(unit_text, unit, study_units):
    assert canonical_unit(unit_text, study_units) == unit


@pytest.fixture(scope="module")
def study_units():
    """The study's own units table (data/raw/units.csv), as the cleaning step reads it."""
    from divide_study.config import RAW_DIR
    from divide_study.data.clean import load_units

    return load_units(RAW_DIR / "units.csv")


def test_unknown_unit_quotes_the_word(study_units):
    with pytest.raises(UnknownUnitError, match=r"'hectares'.*units\.csv"):
        canonical_unit("hectares", study_units)


# A tiny units table: units are rows, so a new one (Gbit/s) needs no code.
TINY_UNITS = [
    {"unit": "Mbit/s", "kind": "speed", "base": "Mbit/s", "factor": 1, "words": "mbit/s;mbps"},
    {"unit": "Gbit/s", "kind": "speed", "base": "Mbit/s", "factor": 1000, "words": "gbit/s; Gb/s"},
    {"unit": "households", "kind": "count", "base": "households", "factor": 1, "words": "foyers"},
    {"unit": "EUR", "kind": "money", "base": "EUR", "factor": 1, "words": ""},
]


def test_a_unit_is_a_row_with_its_kind_base_and_factor():
    units = Units.from_records(TINY_UNITS)
    assert units.of_words("Gb/s") == units.of_words("gbit/s") == "Gbit/s"
    assert units.stored(2, "Gbit/s") == (2000, "Mbit/s")
    assert units.stored(6000, "households") == (6000, "households")
    with pytest.raises(UnknownUnitError, match=r"unknown unit 'Tbit/s'.*Mbit/s, Gbit/s.*add a row"):
        units.get("Tbit/s")
    with pytest.raises(ImplausibleValueError, match="at least 1"):
        units.get("households").check(0.5)
    with pytest.raises(ImplausibleValueError, match="at most"):
        units.get("Gbit/s").check(2e6)  # 2e9 Mbit/s: above what any speed can be
    assert units.get("Gbit/s").check(2) == 2


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"unit": "Tbit/s", "kind": "speed", "base": "Pbit/s", "factor": 1}, "base 'Pbit/s'"),
        ({"unit": "kEUR", "kind": "speed", "base": "EUR", "factor": 1000}, "same kind"),
        ({"unit": "Tbit/s", "kind": "speed", "base": "Gbit/s", "factor": 1000}, "stored as itself"),
        ({"unit": "hectares", "kind": "area", "base": "hectares", "factor": 1}, "unknown kind 'area'"),
        ({"unit": "Tbit/s", "kind": "speed", "base": "Mbit/s", "factor": 0}, "greater than 0"),
    ],
)
def test_a_units_table_that_cannot_convert_is_refused(row, problem):
    with pytest.raises(ValueError, match=problem):
        Units.from_records([*TINY_UNITS, row])


def test_the_study_units_hold_the_units_the_study_uses_and_gbit_s(study_units):
    assert {"EUR", "share", "plugs", "households", "Mbit/s", "year", "Gbit/s"} <= set(study_units.by_name)
    assert study_units.stored(2, "Gbit/s") == (2000, "Mbit/s")


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("", "exact"),
        ("plus de", "at_least"),
        ("Plus de", "at_least"),
        ("un peu plus de", "at_least"),
        ("près de", "approx"),
        ("environ", "approx"),
        ("d'ici 2020", "target"),
        ("d’ici 2022", "target"),
        ("jusqu'à", "upper_bound"),
        ("moins de", "upper_bound"),
    ],
)
def test_qualifier_from_text(text, qualifier):
    assert qualifier_from_text(text) == qualifier


def test_unknown_qualifier_quotes_the_words():
    with pytest.raises(UnknownQualifierError, match="'peut-être'"):
        qualifier_from_text("peut-être")


@given(st.text())
def test_number_reader_never_crashes_on_arbitrary_text(text):
    try:
        quantity = parse_quantity(text)
    except NumberFormatError as exc:
        assert repr(text) in str(exc)
    else:
        assert isinstance(quantity.value, float)


@given(st.text(alphabet="0123456789 .,%€Msurdeix'abcun-", max_size=30))
def test_number_reader_never_crashes_on_number_like_text(text):
    try:
        quantity = parse_quantity(text)
    except NumberFormatError as exc:
        assert repr(text) in str(exc)
    else:
        assert quantity.value == quantity.value  # not NaN


@given(st.integers(min_value=1000, max_value=10**12))
def test_french_grouping_round_trips(number):
    grouped = f"{number:,}".replace(",", " ")
    assert parse_number(grouped) == number
    assert parse_number(grouped.replace(" ", ".")) == number
