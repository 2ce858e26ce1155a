"""ARCEP's FTTH deployment by commune, Q3 2017 – Q1 2018: reading, fingerprint check and validation.

The six files in ``data/raw/arcep_2018`` are ARCEP's, copied unchanged (see its ``provenance.csv``), so they
keep ARCEP's layout: four title lines, the header on line 5, counts padded with spaces, a space or a no-break
space as thousands separator and "-" for none. Each file's Table Schema (beside it) says so; this module reads
the files by those schemas with vectorised pandas (the 35 000 communes take well under a second) instead of
frictionless' row-by-row check, which takes seconds on 70 000 rows.

Before anything is read, every file's SHA-256 is checked against ``SHA256SUMS``: a changed file stops the
build with its name, since the panel's numbers would silently move with it.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from divide_study.data.tables import load_schema, read_text_strict, schema_path_for, suspect_text, text_problem
from divide_study.errors import DataError

TABLES = ("communes", "departements", "regions", "ftthCommunes", "ftthDepartements", "ftthRegions")
QUARTERS = ("T3 2017", "T4 2017", "T1 2018")
PLUGS = "Locaux Raccordables"  # the 'Champ' of premises able to connect
# Every white space a count may hold (ARCEP pads its cells and groups thousands with spaces or no-break spaces;
# any other kind is taken out too), removed by one translation per cell: about twice as fast as a regular
# expression over the 35,000 communes of each column.
WHITE_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)  # every character str.isspace() accepts (tested)
_NO_SPACES = str.maketrans("", "", WHITE_SPACES)


@dataclass
class ArcepData:
    communes: pd.DataFrame
    departements: pd.DataFrame
    regions: pd.DataFrame
    ftth_communes: pd.DataFrame
    ftth_departements: pd.DataFrame
    provenance: pd.DataFrame
    directory: Path


def check_fingerprints(
    directory: Path, required: tuple[str, ...] | None = None, kept_by: str = "ARCEP"
) -> dict[str, str]:
    """Stop unless every file listed in SHA256SUMS is present and unchanged; return {file: sha256}.

    ``required`` names the files that must have a fingerprint (default: ARCEP's six tables); ``kept_by`` says
    whose files they are in the message."""
    sums_path = directory / "SHA256SUMS"
    expected: dict[str, str] = {}
    for number, line in enumerate(read_text_strict(sums_path).splitlines(), start=1):
        if not line.strip():
            continue
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S+)", line.strip())
        if not match:
            raise DataError(sums_path, f"line {number} is not '<sha256>  <file>': {line!r}")
        expected[match[2]] = match[1]
    required = tuple(f"{name}.csv" for name in TABLES) if required is None else required
    missing = [name for name in required if name not in expected]
    if missing:
        raise DataError(sums_path, f"no fingerprint for {missing}: add their SHA-256")
    for name, digest in expected.items():
        path = directory / name
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError as exc:
            raise DataError(path, "the file is missing (SHA256SUMS lists it)") from exc
        if actual != digest:
            raise DataError(
                path,
                f"the file changed: its SHA-256 is {actual[:12]}…, SHA256SUMS records {digest[:12]}…. "
                f"{kept_by}'s files are kept unchanged; restore the file, or if the new one is a deliberate "
                "update, record its fingerprint in SHA256SUMS and its origin in provenance.csv",
            )
    return expected


def _parse_counts(values: pd.Series, missing: set[str]) -> tuple[pd.Series, pd.Series]:
    """Counts as printed by ARCEP -> (Int64 values, mask of cells that are not counts)."""
    bare = values.str.translate(_NO_SPACES)
    absent = bare.isin(missing)
    bad = ~absent & ~bare.str.isdecimal()  # digits only (what r"\d+" matches), not empty
    numbers = pd.to_numeric(bare.where(~absent & ~bad), errors="coerce").astype("Int64")
    return numbers, bad


def read_arcep_table(path: Path, schema_path: Path | None = None) -> pd.DataFrame:
    """A CSV read by its Table Schema: exact header (on the schema's ``headerRow``, default 1; fields separated
    by the schema's ``delimiter``, default a comma), typed counts and numbers, constraints (required, pattern,
    enum, minimum, maximum, primary key) checked column by column.

    Used for ARCEP's files and the small tables beside them: frictionless' first validation in a process
    costs about 1.5 s of start-up, a third of the panel step's budget. Errors name the file, the data row
    and file line, the column and the row's key.
    """
    schema = load_schema(schema_path or schema_path_for(path))
    header_row = int(schema.get("headerRow", 1))
    text = read_text_strict(path)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            skiprows=header_row - 1,
            sep=schema.get("delimiter", ","),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
        )
    except pd.errors.ParserError as exc:
        raise DataError(path, f"cannot be read as CSV: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, f"the file has no header on line {header_row}") from exc
    expected = [field["name"] for field in schema["fields"]]
    if list(frame.columns) != expected:
        raise DataError(path, f"line {header_row} should be the header {expected}; found {list(frame.columns)}")
    missing = set(schema.get("missingValues", [""]))
    key_fields = schema.get("primaryKey", [])

    def fail(mask: pd.Series, column: str, reason: str) -> None:
        first = int(mask.to_numpy().nonzero()[0][0])
        row = first + 1
        key = ", ".join(f"{k}={frame[k].iloc[first]}" for k in key_fields)
        more = int(mask.sum()) - 1
        extra = f" ({more} more such row(s))" if more else ""
        raise DataError(
            path,
            f"data row {row} (line {header_row + row}) [{key}]: "
            f"value {frame[column].iloc[first].strip()!r} {reason}{extra}",
            column=column,
        )

    for field in schema["fields"]:
        name, constraints = field["name"], field.get("constraints", {})
        values = frame[name]
        if field["type"] == "integer":
            numbers, bad = _parse_counts(values, missing)
            if bad.any():
                fail(bad, name, "is not a whole number (digits with spaces as thousands separators, or '-')")
            if constraints.get("required") and numbers.isna().any():
                fail(numbers.isna(), name, "is empty, but a value is required")
            if "minimum" in constraints and (numbers < constraints["minimum"]).any():
                fail((numbers < constraints["minimum"]).fillna(False), name, f"is below {constraints['minimum']}")
            frame[name] = numbers
            continue
        if field["type"] == "number":
            stripped = values.str.strip()
            absent = stripped.isin(missing)
            numbers = pd.to_numeric(stripped.where(~absent), errors="coerce")
            bad = ~absent & (numbers.isna() | ~np.isfinite(numbers.fillna(0)))
            if bad.any():
                fail(bad, name, "is not a number (digits, a '.' as decimal mark)")
            if constraints.get("required") and absent.any():
                fail(absent, name, "is empty, but a value is required")
            for bound, outside in (
                ("minimum", numbers < constraints.get("minimum", -np.inf)),
                ("maximum", numbers > constraints.get("maximum", np.inf)),
            ):
                if outside.any():
                    fail(outside, name, f"is {'below' if bound == 'minimum' else 'above'} {constraints[bound]}")
            frame[name] = numbers
            continue
        stripped = values.str.strip()
        # Whole text only: no control character, nothing a spreadsheet would run (see data.text).
        bad = suspect_text(stripped)
        if bad.any():
            fail(bad, name, text_problem(stripped[bad].iloc[0]) or "")
        if constraints.get("required") and (stripped == "").any():
            fail(stripped == "", name, "is empty, but a value is required")
        if "pattern" in constraints:
            bad = (stripped != "") & ~stripped.str.fullmatch(constraints["pattern"])
            if bad.any():
                fail(bad, name, f"does not match the pattern {constraints['pattern']}")
        if "enum" in constraints:
            bad = ~stripped.isin(constraints["enum"])
            if bad.any():
                fail(bad, name, f"is not one of {constraints['enum']}")
        frame[name] = stripped
    if key_fields:
        duplicated = frame.duplicated(key_fields, keep="first")
        if duplicated.any():
            fail(duplicated, key_fields[0], f"repeats a key ({', '.join(key_fields)}) already given above")
    return frame


def load_arcep(directory: Path) -> ArcepData:
    """The ARCEP tables, fingerprints checked, each read by its schema, and the communes' files cross-checked."""
    check_fingerprints(directory)
    provenance = read_arcep_table(directory / "provenance.csv")
    undescribed = sorted({f"{name}.csv" for name in TABLES} - set(provenance["table"]))
    if undescribed:
        raise DataError(directory / "provenance.csv", f"no provenance row for {undescribed}: add their citation")
    tables = {name: read_arcep_table(directory / f"{name}.csv") for name in TABLES}
    communes, ftth = tables["communes"], tables["ftthCommunes"]
    _check_same_communes(directory, communes, ftth)
    _check_known_departements(directory, communes, tables["departements"])
    return ArcepData(
        communes=communes,
        departements=tables["departements"],
        regions=tables["regions"],
        ftth_communes=ftth,
        ftth_departements=tables["ftthDepartements"],
        provenance=provenance,
        directory=directory,
    )


def _check_same_communes(directory: Path, communes: pd.DataFrame, ftth: pd.DataFrame) -> None:
    """Every commune has its plugs, and every commune's plugs have a commune (else a zone would lose them)."""
    plugs = ftth.loc[ftth["Champ"] == PLUGS, "Code commune"]
    without_plugs = ~communes["Code commune"].isin(plugs)
    if without_plugs.any():
        first = int(without_plugs.to_numpy().nonzero()[0][0])
        code = communes["Code commune"].iloc[first]
        raise DataError(
            directory / "ftthCommunes.csv",
            f"no '{PLUGS}' row for commune {code} (communes.csv, data row {first + 1}); "
            f"{int(without_plugs.sum())} commune(s) lack one",
            column="Code commune",
        )
    unknown = ~plugs.isin(communes["Code commune"])
    if unknown.any():
        first = unknown.index[unknown.to_numpy().nonzero()[0][0]]
        raise DataError(
            directory / "ftthCommunes.csv",
            f"data row {first + 1}: commune {plugs.loc[first]} is not in communes.csv, so it has no zone",
            column="Code commune",
        )


def _check_known_departements(directory: Path, communes: pd.DataFrame, departements: pd.DataFrame) -> None:
    unknown = ~communes["Code département"].isin(departements["Code département"])
    if unknown.any():
        first = int(unknown.to_numpy().nonzero()[0][0])
        raise DataError(
            directory / "communes.csv",
            f"data row {first + 1} [Code commune={communes['Code commune'].iloc[first]}]: département "
            f"{communes['Code département'].iloc[first]!r} is not in departements.csv",
            column="Code département",
        )
