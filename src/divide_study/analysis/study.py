"""Everything a notebook after the cleaning step reads, from ``data/processed`` only, in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.data.tables import read_table


@dataclass
class Study:
    figures: pd.DataFrame
    sources: pd.DataFrame
    initiatives: pd.DataFrame
    measures: pd.DataFrame
    spending_profiles: pd.DataFrame
    evidence: pd.DataFrame
    funding: pd.DataFrame
    cpi: pd.DataFrame
    external: pd.DataFrame
    contracts: pd.DataFrame
    reference_tables: pd.DataFrame

    def networks(self) -> list[str]:
        """The initiatives with a cost and premises in measures.csv (networks, so cost per premise means
        something), in the order of initiatives.csv."""
        measured = self.measures.groupby("initiative")["quantity"].agg(set)
        costed = {i for i, quantities in measured.items() if {"cost", "premises"} <= quantities}
        return [i for i in self.initiatives["initiative"] if i in costed]

    def name(self, initiative: str) -> str:
        return str(self.initiatives.set_index("initiative").loc[initiative, "name"])


TABLES = (
    "figures",
    "sources",
    "initiatives",
    "measures",
    "spending_profiles",
    "evidence",
    "funding",
    "cpi_france",
    "external_figures",
    "contracts",
    "reference_tables",
)


def load_study(processed_dir: Path, validate: bool = False) -> Study:
    """The processed tables the analyses read.

    01_clean validates every raw table and writes these from validated data, and a build re-runs it whenever
    a raw file changes; so by default they are only typed here, not validated again row by row.
    """
    from divide_study.config import SCHEMAS_DIR

    def processed(name: str) -> pd.DataFrame:
        return read_table(processed_dir / f"{name}.csv", SCHEMAS_DIR / f"{name}.schema.json", validate=validate)

    t = {name: processed(name) for name in TABLES}
    for frame, columns in ((t["measures"], ("spending", "reference_as_of", "figure_id")), (t["funding"], ("note",))):
        for column in columns:
            frame[column] = frame[column].fillna("").astype(str)
    return Study(
        figures=t["figures"],
        sources=t["sources"],
        initiatives=t["initiatives"],
        measures=t["measures"],
        spending_profiles=t["spending_profiles"],
        evidence=t["evidence"],
        funding=t["funding"],
        cpi=t["cpi_france"],
        external=t["external_figures"],
        contracts=t["contracts"],
        reference_tables=t["reference_tables"],
    )
