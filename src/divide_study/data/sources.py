"""The press articles: checked against the registry's fingerprints, and spans checked at their offsets.

The articles stay in ``../shared/sources``; the project keeps only their names, SHA-256 and sizes, and
short verbatim spans with offsets.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pandas as pd

from divide_study.data.tables import rows
from divide_study.data.text import explain_difference
from divide_study.errors import DataError


def read_sources(registry: pd.DataFrame, directory: Path, registry_path: Path) -> dict[str, str]:
    """The text of every registered file, after checking it is the very file the registry describes."""
    texts: dict[str, str] = {}
    for row, record in rows(registry):
        name = record["source"]
        if name in texts:
            continue  # one file may hold several articles
        key = f"article={record['article']}"
        file = directory / name
        if not file.is_file():
            raise DataError(
                registry_path,
                f"source file {name!r} not found in {directory} "
                "(the articles live in ../shared/sources; the sources_dir parameter names another folder)",
                row=row,
                column="source",
                key=key,
            )
        raw = file.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != record["sha256"]:
            raise DataError(
                registry_path,
                f"the source {name!r} has changed since it was registered: its SHA-256 is now {digest}, "
                f"the registry records {record['sha256']}. Re-check every span of this file before "
                "updating the registry",
                row=row,
                column="sha256",
                key=key,
            )
        if len(raw) != record["size_bytes"]:
            raise DataError(
                registry_path,
                f"{name!r} is {len(raw)} bytes, the registry says {record['size_bytes']}",
                row=row,
                column="size_bytes",
                key=key,
            )
        texts[name] = raw.decode("utf-8")
    return texts


def check_span(
    text: str, span: str, start: int, end: int, *, file: Path, row: int, key: str | None, column: str = "span"
) -> None:
    """Stop unless ``span`` stands verbatim at ``text[start:end]``, saying where it does stand if anywhere.

    A span that differs only invisibly (an accent decomposed, a no-break space) is shown code point by code
    point, since its two strings would print the same.
    """
    held = text[start:end]
    if held == span:
        return
    found = text.find(span)
    if found >= 0:
        hint = f"it is found at {found}:{found + len(span)}"
    else:
        hint = "it is not found anywhere in the source"
        for form in ("NFC", "NFD"):
            other = unicodedata.normalize(form, span)
            if other != span and other in text:
                where = text.find(other)
                hint = (
                    f"it is in the source at {where}:{where + len(other)} only in Unicode form {form}: "
                    + explain_difference(span, other, ("the span", "the source"))
                )
                break
        else:
            why = explain_difference(span, held, ("the span", "the source"))
            if why:
                hint += f"; compared with what the offsets hold, {why}"
    raise DataError(
        file,
        f"the span {span!r} is not at offsets {start}:{end} of its source (which hold {held!r}); {hint}",
        row=row,
        column=column,
        key=key,
    )
