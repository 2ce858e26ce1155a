"""``data/processed/datapackage.json``: every processed table with its Table Schema (frictionless).

Schemas live in the package (``schemas/<table>.schema.json``); a processed CSV without one is an error,
so no table reaches readers undescribed. Nothing time-dependent is written, so rebuilds are identical.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from divide_study import __version__, config
from divide_study.data.tables import read_table, write_text_atomic
from divide_study.errors import DataError, StudyError

PACKAGE = {
    # Data Package v2: the schemas' exclusiveMinimum (a cost or count must be above zero) is a v2 constraint.
    "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
    "name": "rural-digital-divide-study",
    "title": "French answers to the rural digital divide: figures from the press and cited data",
    "description": "Figures stated in five French press articles about Gers Numérique, Castres-Mazamet "
    "and Soho Solo, each with its verbatim span, plus the study's computed comparisons.",
    "version": __version__,
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ],
}


def schema_for(table: str) -> dict:
    path = config.schema_of(table)
    if not path.is_file():
        raise StudyError(f"no Table Schema for processed table {table!r}: add {config.display_path(path)}")
    return json.loads(path.read_text(encoding="utf-8"))


def check_processed(csv: Path) -> None:
    """Stop unless a computed table meets its schema: no NaN, infinity, negative cost or share above 1.

    The raw inputs are checked at the boundary; this is the last guard before publication, for a value
    that only arithmetic could make impossible.
    """
    try:
        read_table(csv, config.schema_of(csv.stem))
    except DataError as exc:
        raise DataError(
            exc.file,
            f"the study computed a value its schema refuses, so nothing is published: {exc.reason} "
            "(check the raw data and the parameters this table is computed from)",
            row=exc.row,
            column=exc.column,
            key=exc.key,
        ) from exc


def write_datapackage(processed_dir: Path, validate: bool = True) -> Path:
    """Describe every CSV in ``processed_dir``, each checked against its schema first (``validate``);
    return the path of datapackage.json."""
    resources = []
    for csv in sorted(processed_dir.glob("*.csv")):
        schema = schema_for(csv.stem)
        if validate:
            check_processed(csv)
        content = csv.read_bytes()
        resources.append(
            {
                "name": csv.stem,
                "path": csv.name,
                "title": schema.get("title", csv.stem),
                "description": schema.get("description", ""),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(content),
                "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
                "schema": {key: value for key, value in schema.items() if key not in ("title", "description")},
            }
        )
    path = processed_dir / "datapackage.json"
    write_text_atomic(json.dumps({**PACKAGE, "resources": resources}, ensure_ascii=False, indent=2) + "\n", path)
    return path
