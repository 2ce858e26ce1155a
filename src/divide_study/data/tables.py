"""Reading and writing the study's CSV tables against their Table Schema (frictionless).

Raw tables are read strictly: UTF-8 without a byte-order mark, exactly the schema's columns, every value of
its declared type. Anything else stops with a ``DataError`` naming the file, row and column. Writing goes
through a temporary file and a rename, so a reader never sees half a table.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from divide_study.data.text import CONTROL, control_problem, formula_problem, unknown_hint
from divide_study.errors import DataError

_BOM = b"\xef\xbb\xbf"
_MAX_REPORTED = 5
_RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"


def schema_path_for(table: Path) -> Path:
    """The Table Schema kept beside a raw table: ``figures.csv`` -> ``figures.schema.json``."""
    return table.with_name(table.stem + ".schema.json")


def load_schema(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(path, "the Table Schema is missing") from exc
    except json.JSONDecodeError as exc:
        raise DataError(path, f"the Table Schema is not valid JSON: {exc}") from exc


def read_text_strict(path: Path) -> str:
    """A file's text, refusing what would silently change its content: a BOM or a non-UTF-8 encoding."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataError(path, "the file is missing") from exc
    if raw.startswith(_BOM):
        raise DataError(path, "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path,
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); "
            "it looks saved as Latin-1 or Windows-1252: save it as UTF-8",
        ) from exc
    lone = re.search(r"\r(?!\n)", text)
    if lone:
        # Lines ended by a carriage return alone (as old Mac editors save them): the CSV reader said only "new-line
        # character seen in unquoted field", naming no file.
        line = len(re.findall(r"\r\n|\r|\n", text[: lone.start()])) + 1
        raise DataError(
            path,
            f"line {line} ends with a carriage return alone (CR, U+000D, as some old editors end lines); save the "
            "file with LF (or CRLF) line endings",
        )
    return text


def _check_header(path: Path, text: str, schema: dict) -> None:
    try:
        columns = list(pd.read_csv(io.StringIO(text), nrows=0, dtype=str).columns)
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, "the file is empty: it has no header row") from exc
    expected = [field["name"] for field in schema["fields"]]
    # pandas renames a repeated column ('unit' then 'unit.1'): read the header's own names to say so.
    header = next(csv.reader(io.StringIO(text)), [])
    for name in dict.fromkeys(header):
        places = [number for number, column in enumerate(header, start=1) if column == name]
        if len(places) > 1:
            raise DataError(
                path,
                f"the header names the column {name!r} {len(places)} times (columns {places}); "
                f"the schema expects {expected}",
                column=name,
            )
    missing = [name for name in expected if name not in columns]
    extra = [name for name in columns if name not in expected]
    if missing:
        raise DataError(
            path,
            f"missing column(s) {missing}; the schema expects {expected}"
            + unknown_hint(missing[0], extra, "the header's column"),
            column=missing[0],
        )
    if extra:
        raise DataError(path, f"unexpected column(s) {extra}; the schema expects {expected}", column=extra[0])
    if columns != expected:
        raise DataError(path, f"columns are in the order {columns}; the schema expects {expected}")


def _check_rows(path: Path, schema: dict, key_field: str | None) -> None:
    # Imported here: frictionless costs about 1 s, and most kernels read tables without validating them.
    from frictionless import Resource

    # Data Package v2 for the resource, so the schema's exclusiveMinimum (a v2 constraint) is understood; a
    # v1 resource would impose v1 on its schema whatever the schema's own `$schema` says.
    resource = Resource(
        {"$schema": _RESOURCE_PROFILE, "name": "table", "path": path.name, "encoding": "utf-8", "schema": schema},
        basepath=str(path.parent),
    )
    errors = resource.validate().tasks[0].errors
    # The primary-key error repeats the unique-error on the same cell; report the one that names a column.
    errors = [error for error in errors if error.type != "primary-key"] or errors
    if not errors:
        return
    first = errors[0]
    row_number = getattr(first, "row_number", None)
    row = row_number - 1 if row_number else None  # frictionless counts the header as row 1
    key = None
    if row is not None and key_field:
        cells = getattr(first, "cells", None) or []
        names = [field["name"] for field in schema["fields"]]
        if key_field in names and len(cells) > names.index(key_field):
            key = f"{key_field}={cells[names.index(key_field)]}"
    more = f" ({len(errors) - 1} more problem(s) in this file)" if len(errors) > 1 else ""
    cell = getattr(first, "cell", None)
    note = _plain_constraint(first.note, schema, getattr(first, "field_name", None))
    # frictionless counts the header as row 1: its "position 3" is data row 2, on line 3 of the file.
    note = re.sub(
        r"the same as in the row at position (\d+)",
        lambda found: f"the same as row {int(found[1]) - 1} (line {found[1]})",
        note,
    )
    detail = f"value {cell!r}: {note}" if cell not in (None, "") else note
    title = first.title.lower()
    primary = schema.get("primaryKey") or []
    primary = [primary] if isinstance(primary, str) else list(primary)
    if first.type == "primary-key" and row is not None and len(primary) > 1:
        # A key of several columns (labels.csv: kind and key): name them all and their values, not the first.
        cells = getattr(first, "cells", None) or []
        names = [field["name"] for field in schema["fields"]]
        values = {f: cells[names.index(f)] for f in primary if f in names and len(cells) > names.index(f)}
        key = ", ".join(f"{f}={v}" for f, v in values.items()) or key
        title = f"duplicate ({', '.join(primary)}): each must name one row only"
    raise DataError(path, f"{title}: {detail}{more}", row=row, column=getattr(first, "field_name", None), key=key)


_CONSTRAINT = re.compile(r'^constraint "(?P<name>\w+)" is "(?P<limit>.*)"$')
_CONSTRAINT_WORDS = {
    "minimum": "must be at least {limit}",
    "exclusiveMinimum": "must be greater than {limit}",
    "maximum": "must be at most {limit}",
    "exclusiveMaximum": "must be less than {limit}",
    "pattern": "must match the pattern {limit}",
    "enum": "must be one of {limit}",
}


def _plain_constraint(note: str, schema: dict, field_name: str | None) -> str:
    """frictionless says 'constraint "minimum" is "1"'; say what the value must be, and what the column holds."""
    match = _CONSTRAINT.match(note)
    if not match or match["name"] not in _CONSTRAINT_WORDS:
        return note
    text = _CONSTRAINT_WORDS[match["name"]].format(limit=match["limit"])
    described = [f.get("description") for f in schema["fields"] if f["name"] == field_name]
    return f"{text} ({described[0]})" if described and described[0] else text


def _key_of(frame: pd.DataFrame, index: int, key_field: str | None) -> str | None:
    if key_field and key_field in frame.columns and frame.at[index, key_field]:
        return f"{key_field}={frame.at[index, key_field]}"
    return None


def _check_finite(path: Path, frame: pd.DataFrame, schema: dict, key_field: str | None) -> None:
    """Refuse 'NaN', 'inf', 'Infinity', '1e400' in numeric columns, and numbers too small to be read exactly
    ('1e-320', '1e-400').

    frictionless reads them as valid numbers (and only a range constraint, if any, would catch some of
    them with a misleading message), and pandas turns them into NaN or infinity that would print as
    "about nan people". A missing value is an empty cell, never a word.
    """
    for field in schema["fields"]:
        if field["type"] not in ("number", "integer") or field["name"] not in frame.columns:
            continue
        for index, text in frame[field["name"]].items():
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                continue  # not a number at all: the schema check names the type error
            if not math.isfinite(value):
                raise DataError(
                    path,
                    f"value {text!r} is not a finite number; leave the cell empty if the value is unknown",
                    row=index + 1,
                    column=field["name"],
                    key=_key_of(frame, index, key_field),
                )
            # Below the smallest normal float a number keeps only a few digits (subnormal: 1e-320 weights
            # gave shares wrong in the third digit), and below about 5e-324 it reads as 0: neither is the value.
            if 0 < abs(value) < sys.float_info.min or (value == 0 and re.search(r"[1-9]", text.lower().split("e")[0])):
                raise DataError(
                    path,
                    f"value {text!r} is too small to be read exactly (below {sys.float_info.min:.1e}, where a "
                    "number loses its digits or reads as 0); write 0 if it is nothing",
                    row=index + 1,
                    column=field["name"],
                    key=_key_of(frame, index, key_field),
                )


# One pass over a column: a control character anywhere, or a formula's first character followed by anything.
_SUSPECT = re.compile(CONTROL.pattern + r"|\A[=+\-@\t\r].")
_SUSPECT_JOINED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]|\n[=+\-@\t\r].")


def suspect_text(column: pd.Series) -> pd.Series:
    """The cells of a text column that break ``text_problem``'s rules (vectorised first, then cell by cell)."""
    values = column.tolist()
    joined = "\n" + "\n".join(values)  # the common case, no suspect at all, in one search (4 times faster)
    if joined.count("\n") == len(values) and not _SUSPECT_JOINED.search(joined):
        return pd.Series(False, index=column.index)
    suspect = column.str.contains(_SUSPECT)
    if suspect.any():
        suspect[suspect] = column[suspect].map(lambda text: text_problem(text) is not None)
    return suspect.astype(bool)


def text_problem(text: str) -> str | None:
    """What is wrong with a text cell as a whole (a control character, a formula), or None."""
    return control_problem(text) or formula_problem(text)


def _check_text(path: Path, frame: pd.DataFrame, schema: dict, key_field: str | None) -> None:
    """Text cells are checked whole, before the schema's patterns: no control character anywhere (a pattern's
    ``$`` matches before a final newline, so ``"#0072b2\n"`` passed ``^#[0-9a-f]{6}$`` and ``"some_network\n"``
    passed as an id: the only character ``$`` lets through is such a newline, refused here), and nothing a
    spreadsheet would run as a formula (every published CSV is made from these tables)."""
    for field in schema["fields"]:
        name = field["name"]
        if field["type"] in ("number", "integer") or name not in frame.columns:
            continue
        column = frame[name].astype(str)
        for index, text in column[suspect_text(column)].items():
            problem = text_problem(text)
            if problem:
                problem = f"value {text!r} {problem}"
                key = None if name == key_field else _key_of(frame, index, key_field)
                raise DataError(path, problem, row=index + 1, column=name, key=key)


def _typed(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    for field in schema["fields"]:
        name, kind = field["name"], field["type"]
        if kind == "integer":
            frame[name] = pd.to_numeric(frame[name].replace("", None)).astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(frame[name].replace("", None)).astype("float64")
        elif kind == "boolean":
            frame[name] = frame[name].str.lower().map({"true": True, "false": False}).astype("boolean")
    return frame


def _check_field_counts(path: Path, text: str) -> None:
    """Stop at the first row with more or fewer fields than the header (pandas would say only "Expected 7 fields
    in line 6, saw 8", naming no file): most often a comma inside a value that is not quoted."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    for number, fields in enumerate(reader, start=1):
        if fields and len(fields) != len(header):
            hint = "; a comma inside a value? Quote the value" if len(fields) > len(header) else ""
            raise DataError(
                path,
                f"{len(fields)} fields where the header has {len(header)} (file line {reader.line_num}){hint}",
                row=number,
            )


def read_table(path: Path, schema_path: Path | None = None, validate: bool = True) -> pd.DataFrame:
    """A CSV table checked against its Table Schema, with typed columns (strings stay strings, '' = empty).

    ``validate=False`` skips the row-by-row check (about 0.2 s a table) for tables the same build has
    already validated upstream; encoding, header and finite numbers are still checked.
    """
    schema = load_schema(schema_path or schema_path_for(path))
    text = read_text_strict(path)
    _check_header(path, text, schema)
    _check_field_counts(path, text)
    key_field = (schema.get("primaryKey") or [None])[0]
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    # Before the schema check, whose range constraints would call 'NaN' "below the minimum".
    _check_finite(path, frame, schema, key_field)
    _check_text(path, frame, schema, key_field)
    if validate:
        _check_rows(path, schema, key_field)
    return _typed(frame, schema)


def write_csv_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV that is either all there or not changed: temporary file in the same folder, then rename."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    write_text_atomic(buffer.getvalue(), path)


def write_text_atomic(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        # mkstemp makes the file private; published outputs are for every reader, as the umask allows.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rows(frame: pd.DataFrame) -> Iterable[tuple[int, dict]]:
    """(data row number counted from 1, row as a dict), for checks that report the row."""
    yield from enumerate(frame.to_dict("records"), start=1)
