"""Everything a notebook after the cleaning step reads, loaded and checked in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.analysis.compare import load_measures
from divide_study.data.reference import ReferenceData, load_reference
from divide_study.data.tables import read_table


@dataclass
class Study:
    figures: pd.DataFrame
    sources: pd.DataFrame
    initiatives: pd.DataFrame
    reference: ReferenceData
    measures: pd.DataFrame

    def networks(self) -> list[str]:
        """The initiatives that build a network (so cost per premise means something), in table order."""
        is_network = self.initiatives["model"].isin(["public_network", "ppp"])
        return list(self.initiatives.loc[is_network, "initiative"])


def load_study(processed_dir: Path, raw_dir: Path, validate: bool = False) -> Study:
    """The clean tables and the raw tables the analysis reads.

    01_clean validates every raw table (measures.csv included) and writes the processed ones from validated
    data, and a build re-runs it whenever a raw file changes; so by default the tables are only typed here,
    not validated again row by row. ``validate=True`` checks them all.
    """
    from divide_study.config import SCHEMAS_DIR

    def processed(name: str) -> pd.DataFrame:
        return read_table(processed_dir / f"{name}.csv", SCHEMAS_DIR / f"{name}.schema.json", validate=validate)

    figures = processed("figures")
    reference = load_reference(raw_dir / "reference", validate=validate)
    return Study(
        figures=figures,
        sources=processed("sources"),
        initiatives=processed("initiatives"),
        reference=reference,
        measures=load_measures(raw_dir / "measures.csv", figures, reference.external, validate=validate),
    )
