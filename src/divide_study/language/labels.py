"""What a reader sees in place of the data's codes, in the edition's language (``data/raw/labels.csv``).

The data speaks in codes (``cost_per_premise``, ``whole_network``, ``interested_party``); a report shows
none of them. Every code a table or chart shows has a row in labels.csv with an English and a French label;
the cleaning step refuses data using a code without one (``check_labels``), so a missing label is said with
the file, row and column before anything runs, never shown to a reader as an identifier.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide_study.errors import DataError, DataErrors, StudyError
from divide_study.i18n import check_language


class Labels:
    """Labels of one language: ``labels("scope", "phase_1")`` -> "phase 1"."""

    def __init__(self, table: pd.DataFrame, lang: str):
        self.lang = check_language(lang)
        self._labels = {(r["kind"], r["key"]): r[lang] for r in table.to_dict("records")}

    def __call__(self, kind: str, key: str) -> str:
        found = self._labels.get((kind, key))
        if found is None:
            raise StudyError(f"data/raw/labels.csv: no {kind} label for {key!r}; add a row ({kind},{key},…)")
        return found

    def get(self, kind: str, key: str) -> str | None:
        """The label, or None when there is none (for headers that are already words)."""
        return self._labels.get((kind, key))

    def option(self, initiative: str, option: str) -> str:
        """A measure option (``initiative.option``) or a spending profile (``*.profile``)."""
        found = self._labels.get(("option", f"{initiative}.{option}")) or self._labels.get(("option", f"*.{option}"))
        if found is None:
            raise StudyError(
                f"data/raw/labels.csv: no option label for {initiative}.{option!r}; "
                f"add a row (option,{initiative}.{option},…)"
            )
        return found

    def values(self, series: pd.Series, kind: str) -> pd.Series:
        """Each code of ``series`` replaced by its label (missing values stay missing)."""
        return series.map(lambda code: code if pd.isna(code) or code == "" else self(kind, str(code)))


def check_labels(labels: pd.DataFrame, codes: list[tuple[str, str, str]], path: Path) -> None:
    """Every code the report can show has an English and a French label."""
    known = {(r["kind"], r["key"]) for r in labels.to_dict("records")}
    missing = []
    for kind, key, where in codes:
        if (kind, key) in known:
            continue
        if kind == "option" and ("option", "*." + key.split(".", 1)[-1]) in known:
            continue
        missing.append(
            DataError(
                path,
                f"no {kind} label for {key!r} (used in {where}): add a row '{kind},{key},<English>,<French>,' so "
                "that no code reaches a reader",
                column="key",
            )
        )
    # Every missing label at once: a new initiative's options, metrics and scopes are fixed in one go.
    if missing:
        raise missing[0] if len(missing) == 1 else DataErrors(missing)
