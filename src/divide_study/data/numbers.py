"""Reading figures as French press prints them: numbers, multipliers, ratios, units and qualifiers.

Every reader here takes the verbatim text of one part of a figure and either returns a clean value or
raises a ``ValueError`` subclass whose message quotes the input, so the caller can say which file, row
and column held it.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass

from text_to_num import text2num

# Units whose value is a fraction of a whole: 60 % is stored as 0.6.
SHARE_UNITS = ("share",)
# Units whose value is a calendar year (a date, not a quantity); durations are in "years", a quantity.
YEAR_UNITS = ("year",)
# Calendar years the study can meet: its earliest event is the 1998 Castres-Mazamet network, its latest the
# 2025 fibre target; a year outside this range is a typo (a day, a count, a truncated year), not a fact.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
# Units that count whole things (the raw units and the reference tables' own): fewer than one of them is not a
# count but a typo, and dividing by it gives absurd or infinite ratios (``1e-320`` plugs made the cost per
# plug overflow and the chart's axis NaN).
COUNT_UNITS = (
    "plugs",
    "households",
    "businesses",
    "inhabitants",
    "families",
    "people",
    "sites",
    "lines",
    "communes",
    "worksites",
    "count",
    "dwellings",
    "premises",
    "members",
    "subscribers",
    "subscriptions",
)
# The smallest amount of money the study can meet: one cent (of any EUR unit: EUR, EUR/plug, EUR/year, ...).
SMALLEST_AMOUNT = 0.01
# The largest values the study can meet, far above any real one: a thousand billion euros (twice the French
# State's yearly budget) and a billion of anything else (plugs, inhabitants, Mbit/s): a larger one is a typo,
# and 1e308 euros, finite, overflowed when deflated and failed the comparison with "InvalidOperation".
LARGEST_AMOUNT = 1e12
LARGEST_QUANTITY = 1e9

QUALIFIERS = ("exact", "at_least", "approx", "target", "upper_bound")


class NumberFormatError(ValueError):
    """The text does not hold a number this reader understands."""


class UnknownUnitError(ValueError):
    """The unit word is not in the vocabulary."""


class UnknownQualifierError(ValueError):
    """The qualifying words are not in the vocabulary."""


class ImplausibleValueError(ValueError):
    """The number was read, but its unit says it cannot be right (a share above 1, zero households)."""


def check_plausible(value: float, unit: str) -> float:
    """``value`` unchanged if its unit allows it, else an ``ImplausibleValueError`` saying what is allowed.

    A share lies in 0-1; a calendar year is a whole year from EARLIEST_YEAR to LATEST_YEAR; every other unit
    (euros, counts of plugs, households, inhabitants, speeds in Mbit/s, durations, ratios) measures a size
    that is greater than zero, since the comparison divides by such values and a zero or negative one has
    no meaning there; a count (COUNT_UNITS) is at least 1, an amount of euros at least a cent and at most
    LARGEST_AMOUNT, any other value at most LARGEST_QUANTITY, and no value is so small that its inverse
    overflows. NaN and infinities are never allowed.
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ImplausibleValueError(f"{value!r} is not a finite number")
    if unit in SHARE_UNITS:
        if not 0 <= value <= 1:
            raise ImplausibleValueError(
                f"a share must lie between 0 and 1 (60 % is 0.6), got {value:g}"
                # A whole number of percent typed as the share itself (60 for 0.6) is the common slip.
                + (f" (did you mean {value / 100:g}?)" if 2 <= value <= 100 and value == int(value) else "")
            )
    elif unit in YEAR_UNITS:
        if value != int(value) or not EARLIEST_YEAR <= value <= LATEST_YEAR:
            raise ImplausibleValueError(
                f"a year must be a whole year from {EARLIEST_YEAR} to {LATEST_YEAR}, got {value:g}"
            )
    elif value <= 0:
        raise ImplausibleValueError(f"a value in {unit!r} must be greater than 0, got {value:g}")
    elif unit in COUNT_UNITS and value < 1:
        raise ImplausibleValueError(f"a count of {unit} must be at least 1, got {value!r}")
    elif (unit == "EUR" or unit.startswith("EUR/")) and value < SMALLEST_AMOUNT:
        raise ImplausibleValueError(
            f"an amount in {unit!r} must be at least {SMALLEST_AMOUNT:g} (a cent), got {value!r}"
        )
    elif (unit == "EUR" or unit.startswith("EUR/")) and value > LARGEST_AMOUNT:
        raise ImplausibleValueError(f"an amount in {unit!r} must be at most {LARGEST_AMOUNT:,.0f}, got {value:g}")
    elif not (unit == "EUR" or unit.startswith("EUR/")) and value > LARGEST_QUANTITY:
        raise ImplausibleValueError(f"a value in {unit!r} must be at most {LARGEST_QUANTITY:,.0f}, got {value:g}")
    elif value < sys.float_info.min:
        # A subnormal number: its inverse overflows, so no ratio can be computed from it.
        raise ImplausibleValueError(f"a value in {unit!r} is too small to compute with, got {value!r}")
    return value


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None  # set when the text itself fixes the unit (a currency, a ratio, a percentage)


# Spaces French typesetting puts inside numbers and before units: plain, no-break, narrow no-break.
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def normalise(text: str) -> str:
    """One plain space between words and straight apostrophes, so vocabularies match what was typed."""
    return _SPACES.sub(" ", text.replace("’", "'")).strip()


# Digits, French style: thousands grouped by a space or a dot ("27 000 000", "13.000"), decimal comma.
_GROUPED = re.compile(r"^(?P<int>\d{1,3}(?:(?P<sep>[ .])\d{3})(?:(?P=sep)\d{3})*)(?:,(?P<dec>\d+))?$")
_PLAIN = re.compile(r"^(?P<int>\d+)(?:[,.](?P<dec>\d+))?$")

_MULTIPLIERS = {
    "mille": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "milliard": 1e9,
    "milliards": 1e9,
    "md": 1e9,
    "mds": 1e9,
}
_CURRENCY = re.compile(r"\s*(?:(?:de |d')?euros?|€|eur)$", re.IGNORECASE)
_MULTIPLIER = re.compile(r"^(?P<number>.*?)\s*(?P<mult>[a-zA-Z]+)\s*$")
_PERCENT = re.compile(r"^(?P<number>.+?)\s*(?:%|pour ?cent)$", re.IGNORECASE)
# "1 Gersois sur 2", "deux Gersois sur trois", "1 sur 2": at most one word for who is counted.
_RATIO = re.compile(r"^(?P<num>\S+)(?: \S+)? sur (?P<den>\S+)$", re.IGNORECASE)


def parse_number(text: str) -> float:
    """A plain number in French: digits with French separators, or words ("quatorze", "deux").

    >>> parse_number("13.000"), parse_number("8,9"), parse_number("quatorze")
    (13000.0, 8.9, 14.0)
    """
    clean = normalise(text)
    if not clean:
        raise NumberFormatError(f"no number in {text!r}: the text is empty")
    match = _GROUPED.match(clean)
    if match:
        integer = match["int"].replace(match["sep"], "")
        return float(f"{integer}.{match['dec'] or 0}")
    match = _PLAIN.match(clean)
    if match:
        return float(f"{match['int']}.{match['dec'] or 0}")
    if re.search(r"\d", clean):
        raise NumberFormatError(
            f"cannot read {text!r} as a French number: expected digits grouped by spaces or dots "
            "(27 000 000, 13.000) with an optional decimal comma (8,9)"
        )
    try:
        return float(text2num(clean.lower(), "fr"))
    except Exception as exc:
        # text2num signals a non-number in several ways depending on the words; callers need one type.
        raise NumberFormatError(f"cannot read {text!r} as a number, in digits or in French words") from exc


def parse_quantity(text: str) -> Quantity:
    """A number as printed, with what comes attached: multiplier, currency, ratio or percentage.

    >>> parse_quantity("100 millions d'euros")
    Quantity(value=100000000.0, unit='EUR')
    >>> round(parse_quantity("deux Gersois sur trois").value, 4)
    0.6667
    """
    try:
        return _parse_quantity(text)
    except NumberFormatError as exc:
        # The inner readers see a normalised part of the text; the user needs to see what they typed.
        if repr(text) in str(exc):
            raise
        raise NumberFormatError(f"{exc} (reading {text!r})") from exc


def _parse_quantity(text: str) -> Quantity:
    clean = normalise(text)
    ratio = _RATIO.match(clean)
    if ratio:
        numerator, denominator = parse_number(ratio["num"]), parse_number(ratio["den"])
        if denominator == 0:
            raise NumberFormatError(f"the ratio {text!r} divides by zero")
        return Quantity(numerator / denominator, "share")
    percent = _PERCENT.match(clean)
    if percent:
        return Quantity(parse_number(percent["number"]) / 100, "share")
    unit = None
    currency = _CURRENCY.search(clean)
    if currency and currency.start() > 0:
        unit, clean = "EUR", clean[: currency.start()]
    multiplier = _MULTIPLIER.match(clean)
    if multiplier and multiplier["mult"].lower() in _MULTIPLIERS and re.search(r"\d", multiplier["number"]):
        return Quantity(parse_number(multiplier["number"]) * _MULTIPLIERS[multiplier["mult"].lower()], unit)
    return Quantity(parse_number(clean), unit)


# The units a figure may be declared in are data (data/raw/units.csv): each with its kind, the unit it is
# stored in and the factor to it, and the words the press prints for it. A new unit (Gbit/s) is a row there.
UNIT_KINDS = ("money", "share", "count", "speed", "year")


@dataclass(frozen=True)
class Unit:
    """One row of the units table: ``Unit("Gbit/s", "speed", "Mbit/s", 1000, ("gbit/s",))``."""

    unit: str
    kind: str
    base: str
    factor: float
    words: tuple[str, ...] = ()

    def check(self, value: float) -> float:
        """``value`` (in this unit) if its kind allows it, else an ``ImplausibleValueError``: a count is at
        least 1, and each kind is held to what ``check_plausible`` allows its base unit."""
        if self.kind == "count" and isinstance(value, (int, float)) and 0 < value < 1:
            raise ImplausibleValueError(f"a count of {self.unit} must be at least 1, got {value!r}")
        check_plausible(value * self.factor, self.base)
        return value


class Units:
    """The units table, read: which unit a figure declares, which a printed word means, and how to store it.

    >>> units = Units([Unit("Mbit/s", "speed", "Mbit/s", 1, ("mbit/s",)), Unit("Gbit/s", "speed", "Mbit/s", 1000)])
    >>> units.stored(2, "Gbit/s")
    (2000.0, 'Mbit/s')
    """

    def __init__(self, units: list[Unit]):
        self.by_name = {unit.unit: unit for unit in units}
        self.by_word = {normalise(word).lower(): unit.unit for unit in units for word in unit.words}
        for unit in units:
            base = self.by_name.get(unit.base)
            if unit.kind not in UNIT_KINDS:
                raise ValueError(f"unit {unit.unit!r}: unknown kind {unit.kind!r}; expected one of {UNIT_KINDS}")
            if base is None or base.kind != unit.kind or base.base != base.unit:
                raise ValueError(
                    f"unit {unit.unit!r}: its base {unit.base!r} must be a unit of the table, of the same kind "
                    f"({unit.kind}), stored as itself"
                )
            if not unit.factor > 0:
                raise ValueError(f"unit {unit.unit!r}: its factor must be greater than 0, got {unit.factor!r}")

    @classmethod
    def from_records(cls, records) -> Units:
        """From the rows of units.csv (dicts with unit, kind, base, factor, and words joined by ';')."""
        return cls(
            [
                Unit(
                    str(row["unit"]),
                    str(row["kind"]),
                    str(row["base"]),
                    float(row["factor"]),
                    tuple(w.strip() for w in str(row.get("words") or "").split(";") if w.strip()),
                )
                for row in records
            ]
        )

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def get(self, name: str) -> Unit:
        """The unit a figure declares, or an ``UnknownUnitError`` naming the table and the units it has."""
        if name in self.by_name:
            return self.by_name[name]
        raise UnknownUnitError(
            f"unknown unit {name!r}; data/raw/units.csv has {', '.join(self.by_name)} "
            "(add a row there for a new one: its kind, base unit and factor)"
        )

    def of_words(self, unit_text: str) -> str:
        """The unit a printed unit word means ("Mbits/s" -> "Mbit/s", "foyers" -> "households")."""
        key = normalise(unit_text).lower()
        if key in self.by_word:
            return self.by_word[key]
        if unit_text in self.by_name:
            return unit_text
        raise UnknownUnitError(
            f"unknown unit words {unit_text!r}: data/raw/units.csv knows {', '.join(sorted(self.by_word))} "
            "(add them to the `words` of their unit's row)"
        )

    def stored(self, value: float, name: str) -> tuple[float, str]:
        """``value`` in unit ``name`` as the study stores it: in the unit's base (2 Gbit/s -> 2000 Mbit/s)."""
        unit = self.get(name)
        return value * unit.factor, unit.base


def canonical_unit(unit_text: str, units: Units) -> str:
    """The study's unit for a unit word as printed ("Mbits/s" -> "Mbit/s", "foyers" -> "households")."""
    return units.of_words(unit_text)


# Ordered: the longer phrase first where one starts another ("un peu plus de" before "plus de").
QUALIFIER_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), qualifier)
    for pattern, qualifier in (
        (r"^(un peu )?plus d[e']", "at_least"),
        (r"^au moins\b", "at_least"),
        (r"^(au-delà|au delà) d", "at_least"),
        (r"^(près|pres) d[e']", "approx"),
        (r"^environ\b", "approx"),
        (r"^quelque", "approx"),
        (r"^autour d", "approx"),
        (r"^(une )?(dizaine|vingtaine|centaine|millier)", "approx"),
        (r"^d'ici\b", "target"),
        (r"^(à l'horizon|objectif)\b", "target"),
        (r"^(jusqu'à|au plus|au maximum|moins d[e'])", "upper_bound"),
    )
)


def qualifier_from_text(qualifier_text: str) -> str:
    """How a figure is hedged: 'plus de' -> at_least, 'près de' -> approx, "d'ici 2020" -> target.

    No qualifying words means the figure is stated as exact.
    """
    key = normalise(qualifier_text).lower()
    if not key:
        return "exact"
    for pattern, qualifier in QUALIFIER_RULES:
        if pattern.search(key):
            return qualifier
    raise UnknownQualifierError(
        f"unknown qualifier {qualifier_text!r}: expected words such as 'plus de', 'près de', "
        "'environ', \"d'ici 2020\", \"jusqu'à\", or nothing for an exact figure"
    )
