"""The numbers the report quotes, as rows: each analysis step publishes the numbers it owns, with their source.

A quoted number is one row of ``data/processed/quoted_<step>.csv`` (schema ``quoted.schema.json``):

- ``key``: a stable id, unique over every quoted table (``"<step>.<subject>.<name>"``);
- ``value`` (a number) or ``date`` (ISO year, month or day, for a number that *is* a date), its ``unit``,
  ``scope`` (what it covers) and ``subject`` (an initiative id, or empty), its ``nature`` (stated, lower bound,
  plan, claim, computed, assumption…), the date it speaks for (``as_of``) and ``what`` it is, in English words
  (the French is in ``data/raw/words.csv``);
- where it comes from: a number *read* names the table, row and column it was read from (``source_table``,
  ``source_row`` as ``column=value`` pairs, ``source_column``); a number *computed* names the keys of its inputs
  (other quoted rows, ``inputs``) and the ``operation``. An assumption names the parameter it comes from.

The report never computes and never types a source: it asks for a key, and the provenance ledger follows these
references down to an article's words or a reference row (``report.ledger.Report.quote``). This is the shape
owid's "metadata travels with the variable" takes for each number of a report.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from divide_study.errors import StudyError

COLUMNS = [
    "key",
    "value",
    "date",
    "unit",
    "scope",
    "subject",
    "nature",
    "as_of",
    "what",
    "source_table",
    "source_row",
    "source_column",
    "inputs",
    "operation",
]

# What a number is, as the sentence that quotes it must say: a stated figure, a bound, an approximation, a target
# or plan (never spending), money spent, a funding need, an interested party's claim, a computation of the study,
# or an assumption of the study.
NATURES = (
    "stated",
    "lower_bound",
    "upper_bound",
    "approximate",
    "target",
    "plan",
    "spent",
    "funding_need",
    "claim",
    "computed",
    "assumption",
)
# Each unit with how a sentence shows it by default (the report may scale it: "{:,.0f}" million euros).
UNITS = {
    "EUR": "{:,.0f} €",
    "EUR_per_premise": "{:,.0f} €",
    "EUR_per_inhabitant": "{:,.0f} €",
    "EUR_per_premise_per_mbit": "{:,.2f} €",
    "share": "{:.0%}",
    "ratio": "{:.1f}",
    "points_per_year": "{:.1f}",
    "people_per_family": "{:.1f}",
    "persons_per_household": "{:.1f}",
    "plugs": "{:,.0f}",
    "premises": "{:,.0f}",
    "households": "{:,.0f}",
    "inhabitants": "{:,.0f}",
    "people": "{:,.0f}",
    "families": "{:,.0f}",
    "teleworkers": "{:,.0f}",
    "count": "{:,.0f}",
    "Mbit/s": "{:,.0f} Mbit/s",
    "businesses": "{:,.0f}",
    "dwellings": "{:,.0f}",
    "communes": "{:,.0f}",
    "sites": "{:,.0f}",
    "subscribers": "{:,.0f}",
    "subscriptions": "{:,.0f}",
    "EUR/plug": "{:,.0f} €",
    "EUR/dwelling": "{:,.0f} €",
    "EUR/year": "{:,.0f} €",
    "EUR_per_newcomer": "{:,.0f} €",
    "years": "{:.0f}",
    "year": "{:.0f}",
    "date": "",
    "rank": "{:.0f}",
}
OPERATIONS = (
    "add",
    "divide",
    "multiply",
    "difference",
    "relative_gap",
    "min",
    "max",
    "median",
    "count",
    "per_year",
    "years_inclusive",
    "deflate",
    "recompute",
    "scenario",
    # Read straight from a primary file's rows (no inputs): the sum of a column, or the number of rows, over the
    # rows a filter selects (``source_row``, see ``select_rows``); and a place among inputs (``rank``).
    "sum_rows",
    "count_rows",
    "rank",
)
# The operations that read a primary file's rows themselves: their row names the file, the filter and the column.
ROW_OPERATIONS = ("sum_rows", "count_rows")
# The operations whose result follows from the inputs alone, checked when a step quotes them.
ARITHMETIC = {
    "add": math.fsum,
    "difference": lambda n: n[0] - math.fsum(n[1:]),
    "multiply": math.prod,
    "divide": lambda n: n[0] / n[1] if n[1] else math.nan,
    "years_inclusive": lambda n: n[1] - n[0] + 1 if len(n) == 2 else math.nan,
}
KEY = re.compile(r"\A[a-z0-9_]+(?:\.[a-z0-9_]+)+\Z")
DATE = re.compile(r"\A\d{4}(?:-\d{2}(?:-\d{2})?)?\Z")
# The tables a read number may name: the primary sources (an article's figure, a reference row, a raw reference
# file, a parameter) and the study's own processed tables, whose rows name their own sources in turn.
PARAMETERS = "params/default.yaml"


def row_key(pairs: Mapping[str, object]) -> str:
    """A row's key as text: ``figure_id=gers_cost`` or ``topic=gers;figure=take_up;as_of=2023``."""
    return ";".join(f"{column}={value}" for column, value in pairs.items())


def parse_row_key(text: str) -> dict[str, str]:
    """The inverse of ``row_key``."""
    pairs = {}
    for part in str(text).split(";"):
        column, sep, value = part.partition("=")
        if not sep:
            raise StudyError(f"quoted numbers: row key {text!r} is not 'column=value' pairs joined by ';'")
        pairs[column] = value
    return pairs


@dataclass
class Quotes:
    """The quoted numbers one step publishes, built as it computes them.

    ``step`` prefixes every key (``compare.<initiative>.cost_per_premise``), so keys stay unique over the
    steps; an input may name a key of another step's table (read by the step before it runs).
    """

    step: str
    rows: list[dict] = field(default_factory=list)
    # Keys already made for a thing quoted from several places (one sensitivity choice bounds several ratios).
    made: dict[str, list[str]] = field(default_factory=dict)

    def _key(self, name: str) -> str:
        key = f"{self.step}.{name}"
        if not KEY.fullmatch(key):
            raise StudyError(f"quoted number {key!r}: a key is lower-case words joined by dots")
        if any(r["key"] == key for r in self.rows):
            raise StudyError(f"quoted number {key!r} is published twice by step {self.step!r}")
        return key

    def value(self, key: str) -> float:
        """The value of a number this step quoted already, by its key."""
        for row in self.rows:
            if row["key"] == key:
                return float(row["value"])
        raise StudyError(f"quoted number {key!r}: this step has not quoted it (yet)")

    def _add(self, name: str, value: object, unit: str, nature: str, what: str, **more: object) -> str:
        if unit not in UNITS:
            raise StudyError(f"quoted number {name!r}: unknown unit {unit!r}; expected one of {sorted(UNITS)}")
        if nature not in NATURES:
            raise StudyError(f"quoted number {name!r}: unknown nature {nature!r}; expected one of {list(NATURES)}")
        row = dict.fromkeys(COLUMNS, "")
        row.update(key=self._key(name), unit=unit, nature=nature, what=what, value=math.nan)
        if unit == "date":
            text = str(value)
            if not DATE.fullmatch(text):
                raise StudyError(f"quoted number {name!r}: {text!r} is not an ISO year, month or day")
            row["date"] = text
        else:
            number = float(value)
            if not math.isfinite(number):
                raise StudyError(f"quoted number {name!r}: {value!r} is not a finite number")
            row["value"] = number
        row.update({k: "" if v is None else str(v) for k, v in more.items()})
        self.rows.append(row)
        return row["key"]

    def read(
        self,
        name: str,
        value: object,
        *,
        table: str,
        row: Mapping[str, object],
        column: str,
        unit: str,
        nature: str,
        what: str,
        scope: str = "",
        subject: str = "",
        as_of: object = "",
    ) -> str:
        """A number read from one cell of a table (``table``, the row whose columns ``row`` names, ``column``);
        its key."""
        return self._add(
            name,
            value,
            unit,
            nature,
            what,
            scope=scope,
            subject=subject,
            as_of=as_of,
            source_table=table,
            source_row=row_key(row),
            source_column=column,
        )

    def computed(
        self,
        name: str,
        value: object,
        *,
        inputs: Iterable[str],
        operation: str,
        unit: str,
        what: str,
        scope: str = "",
        subject: str = "",
        as_of: object = "",
        nature: str = "computed",
    ) -> str:
        """A number the step computed from other quoted numbers (``inputs``: their keys) by ``operation``."""
        inputs = list(inputs)
        if not inputs:
            raise StudyError(f"quoted number {name!r}: a computed number names its inputs")
        if operation not in OPERATIONS or operation in ROW_OPERATIONS:
            raise StudyError(f"quoted number {name!r}: unknown operation {operation!r}; expected one of {OPERATIONS}")
        self._check_arithmetic(name, value, inputs, operation)
        return self._add(
            name,
            value,
            unit,
            nature,
            what,
            scope=scope,
            subject=subject,
            as_of=as_of,
            inputs=";".join(inputs),
            operation=operation,
        )

    def _check_arithmetic(self, name: str, value: object, inputs: list[str], operation: str) -> None:
        """A sum, difference, product or quotient must be what its listed inputs give: an entry that names inputs
        its value was not computed from would send a reader to the wrong numbers (a per-inhabitant figure whose
        population input is another year's count)."""
        if operation not in ARITHMETIC or (operation == "divide" and len(inputs) != 2):
            return  # a quotient of several inputs is read by its entry's words (parts added, or divided in turn)
        known = {row["key"]: row["value"] for row in self.rows}
        numbers = [known.get(k) for k in inputs]
        if any(n is None or (isinstance(n, float) and math.isnan(n)) for n in numbers):
            return  # an input of another step, or a date: nothing here to check it against
        expected = ARITHMETIC[operation](numbers)
        if not math.isclose(float(value), expected, rel_tol=1e-9, abs_tol=1e-12):
            raise StudyError(
                f"quoted number {name!r}: its value {float(value)!r} is not the {operation} of its inputs "
                f"{inputs} ({expected!r}); name the numbers it was computed from"
            )

    def assumed(self, name: str, value: object, *, parameter: str, unit: str, what: str, subject: str = "") -> str:
        """A value the study assumes: a parameter of ``params/default.yaml`` (or the scenario's)."""
        return self._add(
            name,
            value,
            unit,
            "assumption",
            what,
            subject=subject,
            source_table=PARAMETERS,
            source_row=row_key({"parameter": parameter}),
            source_column="value",
        )

    def summed(
        self,
        name: str,
        value: object,
        *,
        table: str,
        where: Mapping[str, object],
        column: str,
        unit: str,
        what: str,
        scope: str = "",
        subject: str = "",
        as_of: object = "",
    ) -> str:
        """A number the step summed over the rows of a primary file (``table``) that ``where`` selects (see
        ``select_rows``): the sum of ``column``. No inputs: the file, the filter and the column are its source."""
        return self._rows("sum_rows", name, value, table, where, column, unit, what, scope, subject, as_of)

    def counted(
        self,
        name: str,
        value: object,
        *,
        table: str,
        where: Mapping[str, object],
        unit: str,
        what: str,
        scope: str = "",
        subject: str = "",
        as_of: object = "",
    ) -> str:
        """The number of rows of a primary file (``table``) that ``where`` selects (every row if it is empty)."""
        return self._rows("count_rows", name, value, table, where, "", unit, what, scope, subject, as_of)

    def _rows(self, operation, name, value, table, where, column, unit, what, scope, subject, as_of) -> str:
        if not is_primary(table):
            raise StudyError(f"quoted number {name!r}: {table!r} is no primary file; {operation} reads one")
        return self._add(
            name,
            value,
            unit,
            "computed",
            what,
            scope=scope,
            subject=subject,
            as_of=as_of,
            source_table=table,
            source_row=row_key(where),
            source_column=column,
            operation=operation,
        )

    def frame(self, known: Iterable[str] = ()) -> pd.DataFrame:
        """The table to publish; every input must be a key of this step or of ``known`` (earlier steps')."""
        frame = pd.DataFrame(self.rows, columns=COLUMNS)
        check(frame, known)
        return frame


def check(frame: pd.DataFrame, known: Iterable[str] = ()) -> None:
    """Refuse a quoted table whose keys repeat or whose inputs name no quoted number."""
    keys = set(frame["key"])
    if len(keys) != len(frame):
        twice = sorted(frame.loc[frame["key"].duplicated(), "key"])
        raise StudyError(f"quoted numbers published twice: {twice}")
    everything = keys | set(known)
    for row in frame.itertuples(index=False):
        for item in str(row.inputs or "").split(";"):
            if item and item not in everything:
                raise StudyError(f"quoted number {row.key!r}: its input {item!r} is no quoted number")


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Every step's quoted numbers, as one table indexed by key (the ledger's view)."""
    frame = pd.concat(list(frames), ignore_index=True)
    check(frame)
    return frame.set_index("key", drop=False)


def load(processed_dir: Path) -> pd.DataFrame:
    """Every step's quoted numbers from ``processed_dir`` (``quoted_*.csv``), as one table indexed by key."""
    from divide_study.config import schema_of
    from divide_study.data.tables import read_table

    frames = [
        read_table(path, schema_of(path.stem), validate=False) for path in sorted(processed_dir.glob("quoted_*.csv"))
    ]
    if not frames:
        raise StudyError(f"no quoted numbers in {processed_dir} (quoted_*.csv): run the analysis steps first")
    frame = combine(frames)
    text = [c for c in COLUMNS if c != "value"]
    frame[text] = frame[text].fillna("").astype(str)
    return frame


# Where a walk down a quoted number's references may end: an article's figure, a cited reference row or file, or a
# declared assumption (a parameter, an assumed value of measures.csv). A processed table is never an end.
PRIMARY = (
    "data/processed/figures.csv",
    "data/processed/external_figures.csv",
    PARAMETERS,
    "params/scenarios/",
    "data/raw/measures.csv",
    "data/raw/series_claims.csv",  # the study's declared reading of a claim's words (a share, a date)
    "data/raw/spending_profiles.csv",
    "data/raw/reference/",
    # ARCEP's files, copied unchanged and fingerprinted (data/raw/arcep_2018/provenance.csv, SHA256SUMS).
    "data/raw/arcep_2018/",
    # The press claims: each row an article's verbatim words with their offsets, checked against the article.
    "data/raw/press_claims.csv",
)


def is_primary(table: str) -> bool:
    return any(table == p or (p.endswith("/") and table.startswith(p)) for p in PRIMARY)


def resting_on(indexed: pd.DataFrame, keys: Iterable[str], missing: Callable[[str], str]) -> list[str]:
    """The keys of the numbers without inputs (each read from a file, assumed, or summed over a file's rows) that
    ``keys`` rest on: their inputs followed down, depth first in the order they are listed, each key once.
    ``indexed`` is the quoted numbers indexed by key; a key it does not hold is a ``StudyError`` worded by
    ``missing(key)``."""
    found: list[str] = []
    seen: set[str] = set()

    def walk(item: str) -> None:
        if item in seen:
            return
        seen.add(item)
        if item not in indexed.index:
            raise StudyError(missing(item))
        inputs = [i for i in str(indexed.loc[item, "inputs"] or "").split(";") if i and i != "nan"]
        if not inputs:
            found.append(item)
        for i in inputs:
            walk(i)

    for key in keys:
        walk(key)
    return found


def primary_sources(frame: pd.DataFrame, key: str) -> list[tuple[str, str, str]]:
    """The (table, row, column) of every primary source a quoted number rests on, its inputs followed down;
    a walk that stops anywhere else (a processed table, a key no step publishes) is refused."""
    indexed = frame if frame.index.name == "key" else frame.set_index("key", drop=False)
    found: list[tuple[str, str, str]] = []
    for item in resting_on(
        indexed, [key], lambda item: f"quoted number {key!r}: its input {item!r} is no quoted number"
    ):
        row = indexed.loc[item]
        if str(row["operation"]) in ROW_OPERATIONS and not is_primary(str(row["source_table"])):
            raise StudyError(f"quoted number {item!r} sums the rows of {row['source_table']!r}, no primary file")
        if not is_primary(str(row["source_table"])):
            raise StudyError(
                f"quoted number {item!r} stops at {row['source_table']!r}, which is no primary source "
                f"(an article's figure, a reference row, a declared assumption)"
            )
        found.append((str(row["source_table"]), str(row["source_row"]), str(row["source_column"])))
    return found


# --- a filter over a primary file's rows (the source_row of sum_rows and count_rows) ------------------------------

NONE = "-"  # the value a filter gives for "no value": ARCEP prints "-" (or leaves the cell empty, or writes 0)
NOT = "!"  # a filter's column ending so selects the rows that do *not* match
JOINED = ":"  # "communes.csv[Code commune]:Code département": a column of another file of the same folder
_JOIN = re.compile(r"\A(?P<file>[^\[\]]+)\[(?P<by>[^\[\]]+)\]\Z")  # "communes.csv[Code commune]": file, joined by


def joined_file(other: str) -> tuple[str, str]:
    """(file, the column it is joined by) of a filter's other file, written ``file.csv[column]``."""
    found = _JOIN.fullmatch(other)
    if found is None:
        raise StudyError(f"filter: {other!r} should name a file and the column it is joined by: 'file.csv[column]'")
    return found["file"], found["by"]


def filter_terms(where: Mapping[str, object] | str) -> list[tuple[str, str, str, bool]]:
    """A filter's terms, as (file or "", column, value, negated): ``where`` as pairs or as its row key text."""
    text = where if isinstance(where, str) else row_key(where)
    pairs = parse_row_key(text) if text else {}
    terms = []
    for column, value in pairs.items():
        negated = column.endswith(NOT)
        column = column.removesuffix(NOT)
        other, sep, name = column.partition(JOINED)
        terms.append((other, name, value, negated) if sep else ("", column, value, negated))
    return terms


# Each column's cells as stripped numpy strings, by its table and name (the table is kept, so that no other table
# taking its id is mistaken for it; tables read from files are not changed in place): ARCEP's files have 70 000
# rows, and a panel quotes some 200 sums over them.
_TEXTS: dict[tuple[int, str], tuple[pd.DataFrame, np.ndarray]] = {}


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    cached = _TEXTS.get((id(frame), column))
    if cached is not None and cached[0] is frame:
        return cached[1]
    cells = frame[column]
    text = np.char.strip(cells.astype(object).where(cells.notna(), "").to_numpy(dtype=str))
    if len(_TEXTS) > 64:
        _TEXTS.clear()
    _TEXTS[(id(frame), column)] = (frame, text)
    return text


def _matches(text: np.ndarray, value: str) -> np.ndarray:
    if value == NONE:
        return (text == "") | (text == NONE) | (text == "0")
    if "*" in value:
        return np.fromiter((fnmatch.fnmatchcase(cell, value) for cell in text), dtype=bool, count=len(text))
    return text == value


def _term(frame: pd.DataFrame, column: str, value: str, negated: bool, name: str = "") -> np.ndarray:
    if column not in frame.columns:
        raise StudyError(f"filter: {name or 'the file'} has no column {column!r} (columns: {list(frame.columns)})")
    found = _matches(_text(frame, column), value)
    return ~found if negated else found


def select_rows(
    frame: pd.DataFrame, where: Mapping[str, object] | str, others: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """The rows of ``frame`` a filter selects. Each term is ``column=value``: the cell (spaces around it
    ignored) is ``value``; ``-`` selects the cells holding none ("-", empty or 0, as ARCEP prints none); a ``*``
    in ``value`` stands for any text ("97*"). A column ending in ``!`` selects the rows that do *not* match. A
    column ``other.csv[Key]:Column`` is a column of ``others["other.csv"]``: a row is kept when the row of that
    file with the same ``Key`` (ARCEP's commune code) passes every such term, so a commune's plugs can be chosen
    by its département and zone."""
    keep = np.ones(len(frame), dtype=bool)
    joined: dict[str, list[tuple[str, str, bool]]] = {}
    for other, column, value, negated in filter_terms(where):
        if other:
            joined.setdefault(other, []).append((column, value, negated))
        else:
            keep &= _term(frame, column, value, negated)
    for other, terms in joined.items():
        name, by = joined_file(other)
        if others is None or name not in others:
            raise StudyError(f"filter on {name!r}: that file was not given")
        table = others[name]
        if by not in frame.columns or by not in table.columns:
            raise StudyError(f"filter on {name!r}: both files need the column {by!r} they are joined by")
        passes = np.ones(len(table), dtype=bool)
        for column, value, negated in terms:
            passes &= _term(table, column, value, negated, name)
        frame_codes, table_codes, count = _key_codes(frame, table, by)
        passing = np.zeros(count, dtype=bool)
        passing[table_codes[passes]] = True  # a key passes when any row of the other file with it passes
        keep &= passing[frame_codes]
    return frame[keep]


# The join of two tables by a column, as codes of their shared keys (one factorisation): a panel joins ARCEP's
# 35,000 communes to their zones for each of some 150 sums.
_KEY_CODES: dict[tuple[int, int, str], tuple[pd.DataFrame, pd.DataFrame, tuple[np.ndarray, np.ndarray, int]]] = {}


def _key_codes(frame: pd.DataFrame, table: pd.DataFrame, by: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Each row's key in ``frame`` and in ``table`` (column ``by``) as a code shared by equal keys, and how
    many keys there are."""
    cached = _KEY_CODES.get((id(frame), id(table), by))
    if cached is not None and cached[0] is frame and cached[1] is table:
        return cached[2]
    ours, theirs = _text(frame, by), _text(table, by)
    codes, keys = pd.factorize(np.concatenate([ours, theirs]))
    found = (codes[: len(ours)], codes[len(ours) :], len(keys))
    if len(_KEY_CODES) > 16:
        _KEY_CODES.clear()
    _KEY_CODES[(id(frame), id(table), by)] = (frame, table, found)
    return found


def sum_rows(
    frame: pd.DataFrame,
    where: Mapping[str, object] | str,
    column: str,
    others: Mapping[str, pd.DataFrame] | None = None,
) -> float:
    """The sum of ``column`` over the rows ``where`` selects (cells holding none count as 0)."""
    chosen = select_rows(frame, where, others)
    return float(pd.to_numeric(chosen[column], errors="coerce").fillna(0).sum())


def count_rows(
    frame: pd.DataFrame, where: Mapping[str, object] | str, others: Mapping[str, pd.DataFrame] | None = None
) -> int:
    """The number of rows ``where`` selects."""
    return len(select_rows(frame, where, others))


def rank_first(values: Iterable[float]) -> int:
    """The place of the first value among all of them, highest first; equal values share the higher place (the
    ``rank`` operation)."""
    values = [float(v) for v in values]
    return 1 + sum(v > values[0] for v in values[1:])
