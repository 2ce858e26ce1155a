"""Numbers, money, shares and dates as a reader of the edition's language writes them, by babel.

A French reader reads "2,140 €" as two euros fourteen: every number a reader sees goes through one of these
functions with the edition's locale, never through Python's ``{:,}`` (which is English). Rounding follows the
figure's precision, not the float's: a ratio of two press figures is not known to the unit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.core import Locale
from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from divide_study.i18n import LOCALES

MISSING = "–"


def significant(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant figures (11.37 → 11, 2 137.4 → 2 100).

    For derived values whose inputs are round press figures: more digits would be false precision.
    """
    if value == 0 or not math.isfinite(value):
        return value
    magnitude = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - magnitude)


def half_up(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, a half away from zero (562.5 -> 563), as a reader rounds by hand;
    babel alone rounds a half to even (562.5 -> 562). Read from the float's shortest text, so 2.675 is 2.68."""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    # A value that rounds to nothing is written without a sign: "-0.0" (-0.03 points a year) reads as a loss.
    return rounded.copy_abs() if rounded.is_zero() else rounded


# Monday = 0, as datetime.date.weekday() and babel count; the code writes weekdays in English (dates.py).
WEEKDAY_NUMBERS = {str(name).lower(): number for number, name in get_day_names("wide", locale="en").items()}
# The suffix an ordinal day number takes where the locale's ordinal rule says 'one' ("1er"). CLDR's date
# patterns do not write it, so this is the one piece of the French day the study adds to babel's.
ORDINAL_DAY = {"fr": "\u1d49\u02b3"}
# What follows a rank's number, by the locale's ordinal plural category (CLDR, through babel): "1st", "2nd", "3rd",
# "4th"; in French "1ᵉʳ", "2ᵉ", written with superscript letters (U+1D49, U+02B3) as French typography sets them,
# never "2e" or "2ème".
ORDINAL_SUFFIXES = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    "fr": {"one": "\u1d49\u02b3", "other": "\u1d49"},
}


@dataclass(frozen=True)
class Formats:
    """The formatting functions of one edition. ``Formats("fr").number(2140)`` → '2\u202f140'."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LOCALES:
            raise ValueError(f"unknown edition language {self.lang!r}; the study publishes {sorted(LOCALES)}")

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def number(self, value: float | None, decimals: int = 0, grouping: bool = True) -> str:
        """A count or amount with the locale's grouping and decimal mark, ``decimals`` digits after it.

        ``grouping=False`` for a year or a rank written as a number ("2003", never "2 003")."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
        return format_decimal(half_up(value, decimals), format=pattern, locale=self.locale)

    def euros(self, value: float | None, decimals: int = 0) -> str:
        """'2 140 €' in French, '€2,140' in English."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        amount = self.number(value, decimals)
        return f"{amount}\u00a0€" if self.lang == "fr" else f"€{amount}"

    def millions_of_euros(self, value: float | None, decimals: int = 0) -> str:
        """An amount in millions of euros: '214 M€' in French, '€214M' in English."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        amount = self.number(value / 1e6, decimals)
        return f"{amount}\u00a0M€" if self.lang == "fr" else f"€{amount}M"

    def compact(self, value: float | None) -> str:
        """Large counts in words the locale uses: '41 millions', '41 million'."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        return format_compact_decimal(value, format_type="long", locale=self.locale, fraction_digits=1)

    def share(self, value: float | None, decimals: int = 0) -> str:
        """A share (0–1) as a percentage: '67 %' in French, '67%' in English."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
        text = format_percent(half_up(value, decimals + 2), format=pattern, locale=self.locale)
        return text if self.lang == "fr" else text.replace("\u00a0%", "%")

    def date(self, value: str | dt.date | None) -> str:
        """An ISO date, month or year as the locale prints it: '15 mars 2019', 'juillet 2023', '2022'."""
        if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        if isinstance(value, dt.date):
            return self._day(format_date(value, format="long", locale=self.locale))
        text = str(value)
        parts = text.split("-")
        if len(parts) == 1:
            return text
        if len(parts) == 2:
            return format_date(dt.date(int(parts[0]), int(parts[1]), 1), format="LLLL y", locale=self.locale)
        return self._day(format_date(dt.date.fromisoformat(text), format="long", locale=self.locale))

    def _day(self, text: str) -> str:
        """French writes the first of the month as an ordinal: '1ᵉʳ octobre 2021', not '1 octobre 2021'.

        Which day numbers take an ordinal is the locale's ordinal plural rule (CLDR, through babel: in French,
        only 1 is of the category 'one'); the suffix written for it is ``ORDINAL_DAY``'s."""
        suffix = ORDINAL_DAY.get(self.lang)
        day, _, rest = text.partition(" ")
        if not (day.isdigit() and rest):
            return text
        # The day never ends a line without its month (a no-break space, as French typography asks).
        if suffix and Locale.parse(self.locale).ordinal_form(int(day)) == "one":
            return f"{day}{suffix}\u00a0{rest}"
        return f"{day}\u00a0{rest}"

    def ordinal_suffix(self, rank: int) -> str:
        """What follows a rank's number ('st', 'nd', 'rd', 'th'; 'ᵉʳ', 'ᵉ'), by the locale's ordinal rule."""
        form = Locale.parse(self.locale).ordinal_form(int(rank))
        suffixes = ORDINAL_SUFFIXES[self.lang]
        return suffixes.get(form, suffixes["other"])

    def ordinal(self, rank: int) -> str:
        """A rank as the edition writes it: '1st', '22nd', '36th'; '1ᵉʳ', '2ᵉ', '36ᵉ'."""
        return f"{int(rank)}{self.ordinal_suffix(rank)}"

    def weekday(self, english_name: str) -> str:
        """A weekday named in English ('Monday', as the code writes it) in the edition's words ('lundi'),
        from the locale (babel), never from a word list."""
        number = WEEKDAY_NUMBERS.get(english_name.strip().lower())
        if number is None:
            raise ValueError(f"{english_name!r} is not a weekday's English name ({', '.join(WEEKDAY_NUMBERS)})")
        return str(get_day_names("wide", locale=self.locale)[number])

    def quarter(self, text: str) -> str:
        """A quarter written 'Q1 2018' (as the code writes it) in the edition's words: 'T1 2018' in French."""
        match = re.fullmatch(r"Q([1-4]) (\d{4})", text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a quarter written 'Q1 2018'")
        first_month = 3 * int(match[1]) - 2
        return format_date(dt.date(int(match[2]), first_month, 1), format="QQQ y", locale=self.locale)

    def join(self, items: list[str]) -> str:
        """'A, B and C' / 'A, B et C'."""
        return format_list(list(items), locale=self.locale)
