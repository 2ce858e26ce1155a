"""Soho Solo: every count of its newcomers, in one unit where that is honest, each with its source's class."""

from __future__ import annotations

import pandas as pd

from divide_study.analysis.evidence import cumulative_agreement
from divide_study.data.lookup import reference_id
from divide_study.errors import StudyError

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


def cost_per_newcomer(budget_per_year: float, launch_year: int, counts: pd.DataFrame) -> pd.DataFrame:
    """What a programme spent per newcomer counted, were its budget ``budget_per_year`` every year from its launch
    to each count's year, both counted whole: an assumption, since no source gives its spending year by year.

    ``counts`` holds ``evidence_id``, ``as_of`` and ``count``; one row out per count, with ``years``, ``spent`` and
    ``per_newcomer``. A count dated before the launch is refused, naming it.
    """
    out = []
    for row in counts.to_dict("records"):
        years = int(str(row["as_of"])[:4]) - int(launch_year) + 1
        if years < 1:
            raise StudyError(
                f"count {row['evidence_id']!r} ({row['as_of']}) is dated before the launch ({launch_year})"
            )
        spent = budget_per_year * years
        out.append({**row, "years": years, "spent": spent, "per_newcomer": spent / float(row["count"])})
    return pd.DataFrame(out, columns=[*counts.columns, "years", "spent", "per_newcomer"])
