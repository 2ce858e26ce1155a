"""Cited reference data: INSEE CPI, populations, later outcomes and cost benchmarks.

The tables are copied unchanged from ``shared/reference`` into ``data/raw/reference``; every row carries
its citation, and ``reference_tables.csv`` says who produced each table and how it was gathered.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from divide_study.data.dates import ImpossibleDateError, check_iso_date
from divide_study.data.numbers import ImplausibleValueError, check_plausible
from divide_study.data.tables import read_table, rows
from divide_study.data.text import unknown_hint
from divide_study.errors import DataError


def site_name(source: str) -> str:
    """A cited source as a reader names it: a web page by its site ("hit-radio.fr"), anything else by its first
    word."""
    source = source.strip()
    if source.startswith(("http://", "https://")):
        return urlparse(source).netloc.removeprefix("www.")
    return source.split(" ")[0].rstrip(",;:.")


@dataclass
class ReferenceData:
    cpi: pd.DataFrame
    external: pd.DataFrame
    tables: pd.DataFrame
    directory: Path

    def external_rows(self, topic: str, figure: str) -> pd.DataFrame:
        return self.external[(self.external["topic"] == topic) & (self.external["figure"] == figure)]

    def require_external(self, topic: str, figure: str, *, file: Path, row: int, key: str | None, column: str) -> None:
        """Stop unless external_figures.csv has a row for this topic and figure."""
        if self.external_rows(topic, figure).empty:
            raise DataError(
                file,
                f"no row for topic {topic!r} and figure {figure!r} in {self.directory.name}/external_figures.csv"
                + unknown_hint(topic, sorted(set(self.external["topic"])), "topic")
                + unknown_hint(figure, sorted(set(self.external["figure"])), "figure"),
                row=row,
                key=key,
                column=column,
            )


def load_reference(directory: Path, validate: bool = True) -> ReferenceData:
    tables = read_table(directory / "reference_tables.csv", validate=validate)
    listed = set(tables["table"])
    present = {path.name for path in directory.glob("*.csv")} - {"reference_tables.csv"}
    if present - listed:
        raise DataError(
            directory / "reference_tables.csv",
            f"table(s) {sorted(present - listed)} are not described here: add their citation",
        )
    if listed - present:
        raise DataError(directory / "reference_tables.csv", f"table(s) {sorted(listed - present)} are missing")
    external = read_table(directory / "external_figures.csv", validate=validate)
    check_external(external, directory / "external_figures.csv")
    cpi = read_table(directory / "cpi_france.csv", validate=validate)
    check_cpi(cpi, directory / "cpi_france.csv")
    return ReferenceData(
        cpi=cpi,
        external=external,
        tables=tables,
        directory=directory,
    )


# French annual inflation stayed within -1 % and +6 % from 1990 to 2025; a year-on-year change beyond these
# bounds is a slipped decimal or a value in another base, not a price movement.
CPI_YEARLY_CHANGE = (0.8, 1.25)


def check_cpi(cpi: pd.DataFrame, path: Path) -> None:
    """Consecutive years (a gap would stop a conversion later, far from its cause), each index positive and
    within CPI_YEARLY_CHANGE of the year before."""
    previous = None
    # Sorted by year, each row still reported by its place in the file.
    for index, record in cpi.sort_values("year").iterrows():
        year, value = int(record["year"]), float(record["cpi_2015_100"])
        key = f"year={year}"
        file_row = int(index) + 1
        if not (math.isfinite(value) and value > 0):
            raise DataError(
                path, f"the index must be greater than 0, got {value:g}", row=file_row, column="cpi_2015_100", key=key
            )
        if previous is not None:
            last_year, last_value = previous
            if year != last_year + 1:
                raise DataError(
                    path,
                    f"no CPI row for {last_year + 1}{'' if year == last_year + 2 else f'-{year - 1}'}: "
                    "the years must follow each other",
                    row=file_row,
                    column="year",
                    key=key,
                )
            low, high = CPI_YEARLY_CHANGE
            if not low <= value / last_value <= high:
                raise DataError(
                    path,
                    f"{value:g} is {value / last_value - 1:+.0%} on {last_year} ({last_value:g}); a year's "
                    f"change beyond {low - 1:+.0%}/{high - 1:+.0%} is a typo or another base, not inflation",
                    row=file_row,
                    column="cpi_2015_100",
                    key=key,
                )
        previous = (year, value)


def check_external(external: pd.DataFrame, path: Path) -> None:
    """Each value plausible for the unit its row names, each as_of a real date within the study's years.

    Cheap, so it runs even when the row-by-row schema check is skipped.
    """
    for row, record in rows(external):
        key = f"{record['topic']} / {record['figure']}"
        try:
            check_plausible(float(record["value"]), record["unit"])
        except ImplausibleValueError as exc:
            raise DataError(path, str(exc), row=row, column="value", key=key) from exc
        try:
            check_iso_date(record["as_of"])
        except ImpossibleDateError as exc:
            raise DataError(path, str(exc), row=row, column="as_of", key=key) from exc


_REBASED = re.compile(r"= (?P<old>[\d.]+) in base (?P<base>\d{4}) and (?P<new>[\d.]+) in base 2015")
_CHAINED = re.compile(r"chained from (?P<year>\d{4}) with .*?inflation (?:\d{4} )?(?P<rate>[+-]?[\d.]+)%")


def recompute_derived_cpi(cpi: pd.DataFrame) -> pd.DataFrame:
    """Redo the arithmetic that each derived CPI row's source describes, from unrounded predecessors.

    Returns year, the stated value and the recomputed one (unrounded), so a test can compare them.
    """
    exact: dict[int, float] = {}
    out = []
    for record in cpi.sort_values("year").to_dict("records"):
        year, stated = int(record["year"]), float(record["cpi_2015_100"])
        if record["kind"] == "published":
            exact[year] = stated
            continue
        rebased, chained = _REBASED.search(record["source"]), _CHAINED.search(record["source"])
        if rebased:
            # The index of its own base year is 100 by definition; scale it by the overlap month's ratio.
            value = 100 * float(rebased["new"]) / float(rebased["old"])
        elif chained:
            value = exact[int(chained["year"])] * (1 + float(chained["rate"]) / 100)
        else:
            raise ValueError(f"CPI {year}: cannot tell how the derived value was computed from {record['source']!r}")
        exact[year] = value
        out.append({"year": year, "stated": stated, "recomputed": value})
    return pd.DataFrame(out, columns=["year", "stated", "recomputed"])


def cpi_factor(cpi: pd.DataFrame, from_year: int, to_year: int) -> float:
    """How many euros of ``to_year`` buy what one euro bought in ``from_year`` (INSEE CPI ratio)."""
    from divide_study.data.lookup import records

    index = records(cpi, "year")
    for year in (from_year, to_year):
        if year not in index:
            raise KeyError(f"no CPI for {year}: the reference table covers {min(index)}-{max(index)}")
    return float(index[to_year]["cpi_2015_100"]) / float(index[from_year]["cpi_2015_100"])


def to_constant_euros(value: float, from_year: int, base_year: int, cpi: pd.DataFrame) -> float:
    """``value`` euros of ``from_year`` expressed in euros of ``base_year``."""
    return value * cpi_factor(cpi, from_year, base_year)
