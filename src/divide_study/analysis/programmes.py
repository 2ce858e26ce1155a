"""Soho Solo: every count of its newcomers, in one unit where that is honest, each with its source's class."""

from __future__ import annotations

import pandas as pd

from divide_study.analysis.evidence import cumulative_agreement
from divide_study.data.lookup import reference_id

NEWCOMER_COLUMNS = [
    "as_of",
    "count",
    "unit",
    "what",
    "people_equivalent",
    "source",
    "quote",
    "evidence_id",
    "source_class",
    "speaker",
]


def newcomer_counts(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    evidence: pd.DataFrame,
    persons_per_household: float,
    programme: str,
) -> pd.DataFrame:
    """Every count of an attraction programme's newcomers the sources give (its article figures and the
    reference rows of the topic named like it), with a people-equivalent where one is honest.

    Families are turned into people with ``persons_per_household`` (an assumption); counts of people
    already include families; counts of teleworkers or members measure something else and get none.
    """
    out = []
    for f in figures[(figures["initiative"] == programme) & (figures["unit"] == "families")].to_dict("records"):
        out.append(
            {
                "as_of": f["as_of"],
                "count": f["value"],
                "unit": "families",
                "what": f["metric"].replace("_", " "),
                "people_equivalent": f["value"] * persons_per_household,
                "source": f"article {f['article']}",
                "quote": f["span"],
                "evidence_id": f["figure_id"],
            }
        )
    for r in external[external["topic"] == programme].to_dict("records"):
        if r["unit"] not in ("people", "members"):
            continue
        whole_people = r["unit"] == "people" and "incl. families" in r["figure"]
        out.append(
            {
                "as_of": str(r["as_of"]),
                "count": r["value"],
                "unit": r["unit"],
                "what": r["figure"],
                "people_equivalent": r["value"] if whole_people else float("nan"),
                "source": r["source"],
                "quote": r["quote"],
                "evidence_id": reference_id(r),
            }
        )
    frame = pd.DataFrame(out, columns=NEWCOMER_COLUMNS[:-2])
    classes = evidence.set_index("evidence_id")[["source_class", "speaker"]]
    frame = frame.join(classes, on="evidence_id")
    return frame.sort_values("as_of", ignore_index=True)[NEWCOMER_COLUMNS]


def people_agreement(outcomes: pd.DataFrame) -> str:
    """Whether the counts of people settled so far (people-equivalents) only grow over time."""
    people = outcomes.dropna(subset=["people_equivalent"])
    counts = pd.DataFrame(
        {"year": people["as_of"].astype(str).str[:4].astype(int), "count": people["people_equivalent"]}
    )
    return cumulative_agreement(counts)
