"""Everything a notebook after the cleaning step reads, from ``data/processed`` only, in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from divide_study.analysis.measures import networks
from divide_study.data.tables import read_table
from divide_study.errors import DataError


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
    progress: pd.DataFrame
    milestones: pd.DataFrame
    headlines: pd.DataFrame
    model_risks: pd.DataFrame
    labels: pd.DataFrame
    words: pd.DataFrame  # the data's own words in each edition's language (words.csv: en, fr)
    # The row that plays each role the report needs (roles.csv); empty for a study made in a test.
    roles: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["role", "evidence_id", "note"]))
    # Who publishes each cited reference, and its class (reference_source_classes.csv); empty in a test's study.
    reference_classes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_contains", "source_class", "who", "note"])
    )

    def networks(self) -> list[str]:
        """The initiatives with a cost and premises in measures.csv (networks, so cost per premise means
        something), in the order of initiatives.csv."""
        costed = networks(self.measures)
        return [i for i in self.initiatives["initiative"] if i in costed]

    def name(self, initiative: str) -> str:
        return str(self.initiatives.set_index("initiative").loc[initiative, "name"])

    def short_name(self, initiative: str) -> str:
        return str(self.initiatives.set_index("initiative").loc[initiative, "short_name"])

    def programmes(self) -> list[str]:
        """The initiatives that are programmes, not networks (model ``attraction_programme``)."""
        chosen = self.initiatives[self.initiatives["model"] == "attraction_programme"]
        return list(chosen["initiative"])

    def focus(self) -> str:
        """The initiative the study is about: the numerator of its first headline (headlines.csv)."""
        return str(self.headlines["numerator"].iloc[0])

    def role(self, role: str) -> str:
        """The evidence id of the row that plays ``role`` (roles.csv); a missing role is the data's mistake."""
        found = self.roles.loc[self.roles["role"] == role, "evidence_id"]
        if len(found) != 1:
            raise DataError(
                "data/raw/roles.csv", f"no row plays the role {role!r}: add one (role, evidence_id)", column="role"
            )
        return str(found.iloc[0])

    def headline_pairs(self) -> dict[str, tuple[str, str, str]]:
        """headline -> (metric, numerator, denominator), from headlines.csv."""
        return {
            r["headline"]: (r["metric"], r["numerator"], r["denominator"]) for r in self.headlines.to_dict("records")
        }


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
    "progress",
    "milestones",
    "headlines",
    "model_risks",
    "labels",
    "words",
    "roles",
    "reference_source_classes",
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
    text_columns = (
        (t["measures"], ("spending", "reference_as_of", "figure_id")),
        (t["funding"], ("note",)),
        (t["progress"], ("by_evidence_id", "note", "reading")),
        (t["milestones"], ("note",)),
        (t["model_risks"], ("evidence_ids",)),
    )
    for frame, columns in text_columns:
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
        progress=t["progress"],
        milestones=t["milestones"],
        headlines=t["headlines"],
        model_risks=t["model_risks"],
        labels=t["labels"],
        words=t["words"].fillna(""),
        roles=t["roles"],
        reference_classes=t["reference_source_classes"],
    )
