"""Publication dates inferred from what the article prints and what its context implies.

Articles print "vendredi 15 mars", "11 Sep" or nothing at all. The year comes from clues, each a short
verbatim span with a reason (an office holder's term, "d'ici 2020", the lockdown, a dated event), kept in
``data/raw/date_clues.csv``. The clues bound a window; the printed day, month and weekday then pick the
dates in it. When more than one date remains, the result says so instead of choosing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import dateparser
from babel.dates import get_day_names

from divide_study.data.numbers import EARLIEST_YEAR, LATEST_YEAR

CLUE_KINDS = ("year", "year_min", "year_max", "not_before", "not_after", "weekday")

# Monday = 0, as datetime.date.weekday() counts.
_WEEKDAYS = {name.lower(): number for number, name in get_day_names("wide", locale="fr").items()}
# Babel rather than `calendar`, whose names follow the machine's locale and would make builds differ.
_ENGLISH_WEEKDAYS = dict(get_day_names("wide", locale="en"))
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:er|e)?\s+([^\W\d_]+)")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_PARSER = dateparser.date.DateDataParser(languages=["fr", "en"], settings={"REQUIRE_PARTS": ["day", "month"]})


class DateInferenceError(ValueError):
    """The printed date and the clues cannot give a publication date."""


class ImpossibleDateError(ValueError):
    """A date written as text is not a day of the calendar (2023-02-30), or lies outside the study's years."""


_ISO_PARTIAL = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def check_iso_date(text: str) -> str:
    """``text`` unchanged if it is a real date written YYYY, YYYY-MM or YYYY-MM-DD within the study's years.

    >>> check_iso_date("2024-02-29")
    '2024-02-29'
    """
    match = _ISO_PARTIAL.match(text)
    if not match:
        raise ImpossibleDateError(f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ImpossibleDateError(f"the year of {text!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    try:
        dt.date(year, int(match["month"] or 1), int(match["day"] or 1))
    except ValueError as exc:
        raise ImpossibleDateError(f"{text!r} is not a day of the calendar ({exc})") from exc
    return text


@dataclass(frozen=True)
class Clue:
    kind: str
    value: str
    span: str
    reason: str


@dataclass(frozen=True)
class PrintedDate:
    day: int | None
    month: int | None
    year: int | None
    weekday: int | None


@dataclass(frozen=True)
class PublicationDate:
    published: str  # ISO 8601 at the precision known: "2019-03-15", "2010", or "" when the year is uncertain
    earliest: dt.date
    latest: dt.date
    precision: str  # day, month, year, or uncertain
    year_certain: bool
    basis: str


def check_clue(kind: str, value: str) -> str:
    """``value`` unchanged if it is a valid bound for a clue of this ``kind`` (see CLUE_KINDS)."""
    if kind in ("year", "year_min", "year_max"):
        if not re.fullmatch(r"\d{4}", value):
            raise ImpossibleDateError(f"a {kind} clue needs a year written YYYY, got {value!r}")
        check_iso_date(value)
    elif kind in ("not_before", "not_after"):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ImpossibleDateError(f"a {kind} clue needs a day written YYYY-MM-DD, got {value!r}")
        check_iso_date(value)
    elif kind == "weekday":
        if weekday_in(value) is None:
            raise ImpossibleDateError(f"a weekday clue needs a French weekday name (lundi … dimanche), got {value!r}")
    else:
        raise ImpossibleDateError(f"unknown clue kind {kind!r}; expected one of {', '.join(CLUE_KINDS)}")
    return value


def weekday_in(text: str) -> int | None:
    """The weekday a French text names ("ce vendredi 1er octobre" -> 4), if any."""
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if word in _WEEKDAYS:
            return _WEEKDAYS[word]
    return None


def parse_printed_date(date_text: str) -> PrintedDate:
    """Day, month, year and weekday as printed, each None when the text does not give it."""
    if not date_text.strip():
        return PrintedDate(None, None, None, None)
    weekday = weekday_in(date_text)
    year = _YEAR.search(date_text)
    # Keep just "<day> <month word>": dateparser trips on surrounding words such as "ce" or ordinals "1er".
    day_month = _DAY_MONTH.search(date_text)
    parsed = _PARSER.get_date_data(f"{day_month[1]} {day_month[2]}").date_obj if day_month else None
    if parsed is None:
        raise DateInferenceError(f"cannot read a day and a month in {date_text!r}")
    return PrintedDate(parsed.day, parsed.month, int(year.group()) if year else None, weekday)


def _window(clues: list[Clue]) -> tuple[dt.date | None, dt.date | None, int | None, list[str]]:
    earliest: dt.date | None = None
    latest: dt.date | None = None
    weekday: int | None = None
    reasons: list[str] = []

    def later(a, b):
        return b if a is None else max(a, b)

    def sooner(a, b):
        return b if a is None else min(a, b)

    for clue in clues:
        try:
            if clue.kind == "weekday":
                weekday = weekday_in(clue.value)
                if weekday is None:
                    raise ValueError(clue.value)
                reasons.append(f"a {_weekday_name(weekday)} from '{clue.span}'")
                continue
            if clue.kind in ("year", "year_min", "year_max"):
                year = int(clue.value)
                low, high = dt.date(year, 1, 1), dt.date(year, 12, 31)
            elif clue.kind in ("not_before", "not_after"):
                low = high = dt.date.fromisoformat(clue.value)
            else:
                raise DateInferenceError(f"unknown clue kind {clue.kind!r}; expected one of {CLUE_KINDS}")
        except ValueError as exc:
            if isinstance(exc, DateInferenceError):
                raise
            raise DateInferenceError(f"the {clue.kind} clue value {clue.value!r} is not valid") from exc
        if clue.kind in ("year", "year_min", "not_before"):
            earliest = later(earliest, low)
        if clue.kind in ("year", "year_max", "not_after"):
            latest = sooner(latest, high)
        label = {
            "year": "in",
            "year_min": "not before",
            "year_max": "not after",
            "not_before": "not before",
            "not_after": "not after",
        }[clue.kind]
        reasons.append(f"{label} {clue.value} from '{clue.span}' ({clue.reason})")
    return earliest, latest, weekday, reasons


def infer_publication_date(date_text: str, clues: list[Clue]) -> PublicationDate:
    """The publication date (or window) that the printed date and the clues allow."""
    printed = parse_printed_date(date_text)
    year_clues = [Clue("year", str(printed.year), date_text, "printed")] if printed.year else []
    earliest, latest, clue_weekday, reasons = _window(year_clues + clues)
    if earliest is None or latest is None:
        raise DateInferenceError(
            "the clues do not bound the year on both sides; add a clue (year, year_min/not_before and "
            "year_max/not_after)"
        )
    if earliest > latest:
        raise DateInferenceError(f"the clues contradict each other: not before {earliest}, not after {latest}")
    weekday = printed.weekday if printed.weekday is not None else clue_weekday
    if printed.weekday is not None and clue_weekday is not None and printed.weekday != clue_weekday:
        raise DateInferenceError(f"{date_text!r} and a weekday clue name different weekdays")
    basis = "; ".join(reasons)

    if printed.day is None:
        return _window_result(earliest, latest, f"no date printed; {basis}")

    candidates = []
    for year in range(earliest.year, latest.year + 1):
        try:
            day = dt.date(year, printed.month, printed.day)
        except ValueError:
            continue  # 29 February of a common year
        if earliest <= day <= latest and (weekday is None or day.weekday() == weekday):
            candidates.append(day)
    printed_basis = f"day and month from '{date_text}'"
    if weekday is not None:
        printed_basis += f", a {_weekday_name(weekday)}"
    if not candidates:
        raise DateInferenceError(
            f"no date between {earliest} and {latest} matches {date_text!r}"
            + (f" on a {_weekday_name(weekday)}" if weekday is not None else "")
        )
    if len(candidates) > 1:
        listed = ", ".join(day.isoformat() for day in candidates)
        return PublicationDate(
            "",
            candidates[0],
            candidates[-1],
            "uncertain",
            False,
            f"{printed_basis}; {basis}; the year stays uncertain: {listed}",
        )
    (day,) = candidates
    window = f"{earliest.year}" if earliest.year == latest.year else f"{earliest.year}-{latest.year}"
    unique = f"the only match in {window}" if earliest.year != latest.year else f"year {day.year}"
    return PublicationDate(day.isoformat(), day, day, "day", True, f"{printed_basis}; {basis}; {unique}")


def _window_result(earliest: dt.date, latest: dt.date, basis: str) -> PublicationDate:
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        published, precision = earliest.strftime("%Y-%m"), "month"
    elif earliest.year == latest.year:
        published, precision = str(earliest.year), "year"
    else:
        return PublicationDate(
            "",
            earliest,
            latest,
            "uncertain",
            False,
            f"{basis}; the year stays uncertain: between {earliest} and {latest}",
        )
    return PublicationDate(
        published, earliest, latest, precision, True, f"{basis}; published between {earliest} and {latest}"
    )


def _weekday_name(number: int) -> str:
    return _ENGLISH_WEEKDAYS[number]
