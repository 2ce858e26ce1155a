"""The cleaning step: raw tables + articles -> ``data/processed`` (figures, sources, initiatives).

Shape of the step (as every step of the study):
    load inputs   -- raw tables read against their schema, articles checked against their fingerprints
    process       -- spans checked at their offsets, dates inferred, figures parsed and qualified
    save outputs  -- only once everything is valid, each file written atomically (the build
                      describes every processed table in datapackage.json once, after all steps)
A malformed input stops the step before anything is written, with an error naming file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study import config
from divide_study.data.dates import (
    Clue,
    DateInferenceError,
    ImpossibleDateError,
    PublicationDate,
    check_clue,
    check_iso_date,
    infer_publication_date,
)
from divide_study.data.lookup import records
from divide_study.data.numbers import (
    ImplausibleValueError,
    NumberFormatError,
    Units,
    UnknownQualifierError,
    UnknownUnitError,
    check_plausible,
    parse_quantity,
    qualifier_from_text,
)
from divide_study.data.reference import ReferenceData, load_reference
from divide_study.data.sources import check_span, read_sources
from divide_study.data.tables import read_table, rows, write_csv_atomic
from divide_study.data.text import explain_difference, missing_hint, unknown_hint
from divide_study.errors import DataError, DataErrors, Problems

CONTEXT = "context"  # initiative id for national or territorial context figures

FIGURE_COLUMNS = [
    "figure_id",
    "source",
    "article",
    "initiative",
    "metric",
    "value",
    "unit",
    "qualifier",
    "as_of",
    "span",
    "start",
    "end",
]
SOURCE_COLUMNS = [
    "article",
    "source",
    "title",
    "outlet",
    "author",
    "published",
    "published_earliest",
    "published_latest",
    "date_precision",
    "date_basis",
    "relevant",
]


@dataclass
class RawTables:
    sources: pd.DataFrame
    date_clues: pd.DataFrame
    figures: pd.DataFrame
    initiatives: pd.DataFrame
    reference: ReferenceData
    texts: dict[str, str]
    raw_dir: Path
    units: Units


def run(raw_dir: Path | None = None, sources_dir: Path | None = None, out_dir: Path | None = None) -> dict:
    """Clean the raw data into ``out_dir``; return the processed tables by name. Every problem of the articles,
    dates, figures and initiatives is said at once (``errors.DataErrors``), and nothing is written then."""
    problems = Problems()
    tables = process(load_raw(raw_dir or config.RAW_DIR, sources_dir or config.SOURCES_DIR), problems)
    problems.raise_any()
    write_tables(tables, out_dir or config.PROCESSED_DIR)
    return tables


def process(raw: RawTables, problems: Problems | None = None) -> dict[str, pd.DataFrame]:
    """The processed articles, figures and initiatives. With ``problems``, a row's problem is kept there and
    the next row checked (the row is left out); without, the first problem is raised."""
    problems = problems if problems is not None else _Raising()
    sources = clean_sources(raw, problems)
    figures = clean_figures(raw, sources, problems)
    initiatives = clean_initiatives(raw, figures, problems)
    return {"figures": figures, "sources": sources, "initiatives": initiatives}


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    for name, frame in tables.items():
        write_csv_atomic(frame, out_dir / f"{name}.csv")


class _Raising(Problems):
    """Problems that are raised as they are found (the first one stops the step)."""

    def add(self, *errors: DataError) -> None:
        raise errors[0]


def load_raw(raw_dir: Path, sources_dir: Path) -> RawTables:
    registry_path = raw_dir / "sources.csv"
    registry = read_table(registry_path)
    return RawTables(
        sources=registry,
        date_clues=read_table(raw_dir / "date_clues.csv"),
        figures=read_table(raw_dir / "figures.csv"),
        initiatives=read_table(raw_dir / "initiatives.csv"),
        reference=load_reference(raw_dir / "reference"),
        texts=read_sources(registry, sources_dir, registry_path),
        raw_dir=raw_dir,
        units=load_units(raw_dir / "units.csv"),
    )


def load_units(path: Path) -> Units:
    """The units table (units.csv): each unit's kind, base unit and factor, and its printed words."""
    table = read_table(path)
    try:
        return Units.from_records(table.to_dict("records"))
    except ValueError as exc:
        raise DataError(path, str(exc), column="base") from exc


# --- sources ------------------------------------------------------------------------------------------------


def clean_sources(raw: RawTables, problems: Problems | None = None) -> pd.DataFrame:
    """One row per article, with the publication date inferred from the printed date and the clues."""
    problems = problems if problems is not None else _Raising()
    out = []
    for row, record in rows(raw.sources):
        with problems.check(failed_id=f"article:{record['article']}"):
            out.append(_clean_source(raw, row, record))
    return pd.DataFrame(out, columns=SOURCE_COLUMNS).sort_values("article", ignore_index=True)


def _clean_source(raw: RawTables, row: int, record: dict) -> dict:
    path = raw.raw_dir / "sources.csv"
    key = f"article={record['article']}"
    text = raw.texts[record["source"]]
    start, end = int(record["article_start"]), int(record["article_end"])
    if not 0 <= start < end <= len(text):
        raise DataError(
            path,
            f"article offsets {start}:{end} fall outside the file (0:{len(text)})",
            row=row,
            column="article_end",
            key=key,
        )
    article_text = text[start:end]
    if record["title"] not in article_text:
        raise DataError(
            path,
            f"the title {record['title']!r} is not found verbatim in the article"
            + missing_hint(record["title"], article_text, ("the title", "the article")),
            row=row,
            column="title",
            key=key,
        )
    if record["date_text"]:
        for column in ("date_start", "date_end"):
            if pd.isna(record[column]):
                raise DataError(path, "date_text is given: give its offsets too", row=row, column=column, key=key)
        check_span(
            text,
            record["date_text"],
            _int(record["date_start"]),
            _int(record["date_end"]),
            file=path,
            row=row,
            key=key,
            column="date_text",
        )
    date = _publication_date(raw, record, row)
    return {
        "article": record["article"],
        "source": record["source"],
        "title": record["title"],
        "outlet": record["outlet"],
        "author": record["author"],
        "published": date.published,
        "published_earliest": date.earliest.isoformat(),
        "published_latest": date.latest.isoformat(),
        "date_precision": date.precision,
        "date_basis": date.basis,
        "relevant": bool(record["relevant"]),
    }


def _publication_date(raw: RawTables, record: dict, row: int) -> PublicationDate:
    clues_path = raw.raw_dir / "date_clues.csv"
    article = record["article"]
    clues = []
    for clue_row, clue in rows(raw.date_clues):
        if clue["article"] != article:
            continue
        key = f"article={article}"
        if clue["source"] != record["source"]:
            raise DataError(
                clues_path,
                f"source {clue['source']!r} is not the file of article {article!r} ({record['source']})"
                + _why(clue["source"], record["source"]),
                row=clue_row,
                column="source",
                key=key,
            )
        try:
            check_clue(clue["kind"], clue["value"])
        except ImpossibleDateError as exc:
            raise DataError(clues_path, str(exc), row=clue_row, column="value", key=key) from exc
        check_span(
            raw.texts[clue["source"]],
            clue["span"],
            int(clue["start"]),
            int(clue["end"]),
            file=clues_path,
            row=clue_row,
            key=key,
        )
        if clue["reference_topic"] or clue["reference_figure"]:
            raw.reference.require_external(
                clue["reference_topic"],
                clue["reference_figure"],
                file=clues_path,
                row=clue_row,
                key=key,
                column="reference_figure",
            )
        clues.append(Clue(clue["kind"], clue["value"], clue["span"], clue["reason"]))
    try:
        return infer_publication_date(record["date_text"], clues)
    except DateInferenceError as exc:
        raise DataError(
            raw.raw_dir / "sources.csv",
            f"cannot date the article ({exc}); its clues are in date_clues.csv",
            row=row,
            column="date_text",
            key=f"article={article}",
        ) from exc


# --- figures ------------------------------------------------------------------------------------------------


def clean_figures(raw: RawTables, sources: pd.DataFrame, problems: Problems | None = None) -> pd.DataFrame:
    """One row per figure, its number read, its unit and qualifier normalised, its date resolved."""
    problems = problems if problems is not None else _Raising()
    published = sources.set_index("article")["published"]
    out = []
    for row, record in rows(raw.figures):
        failed_id = f"figure:{record['figure_id']}"
        if f"article:{record['article']}" in problems.failed:
            problems.failed.add(failed_id)  # its article's problem is said; its figures wait for it
            continue
        with problems.check(failed_id=failed_id):
            out.append(_clean_figure(raw, row, record, published))
    return pd.DataFrame(out, columns=FIGURE_COLUMNS).sort_values("figure_id", ignore_index=True)


def _clean_figure(raw: RawTables, row: int, record: dict, published: pd.Series) -> dict:
    path = raw.raw_dir / "figures.csv"
    articles = raw.sources.set_index("article")
    initiatives = set(raw.initiatives["initiative"]) | {CONTEXT}
    key = f"figure_id={record['figure_id']}"

    def fail(column: str, message: str, row=row, key=key) -> DataError:
        return DataError(path, message, row=row, column=column, key=key)

    if record["article"] not in articles.index:
        raise fail(
            "article",
            f"unknown article {record['article']!r}; see data/raw/sources.csv"
            + unknown_hint(record["article"], articles.index, "article"),
        )
    article = articles.loc[record["article"]]
    if record["source"] != article["source"]:
        raise fail(
            "source",
            f"{record['source']!r} is not the file of article {record['article']!r} ({article['source']})"
            + _why(record["source"], article["source"]),
        )
    if not article["relevant"]:
        raise fail("article", f"article {record['article']!r} is marked off topic; it yields no figure")
    if record["initiative"] not in initiatives:
        raise fail(
            "initiative",
            f"unknown initiative {record['initiative']!r}; known: "
            f"{sorted(initiatives)} (add it to data/raw/initiatives.csv)"
            + unknown_hint(record["initiative"], sorted(initiatives), "initiative"),
        )
    start, end = int(record["start"]), int(record["end"])
    check_span(raw.texts[record["source"]], record["span"], start, end, file=path, row=row, key=key)
    if not int(article["article_start"]) <= start < end <= int(article["article_end"]):
        raise fail("start", f"the span lies outside article {record['article']!r}")
    try:
        quantity = parse_quantity(record["value_text"])
    except NumberFormatError as exc:
        raise fail("value_text", str(exc)) from exc
    unit = _unit(record, quantity.unit, raw.units, fail)
    try:
        raw.units.get(unit).check(quantity.value)
    except ImplausibleValueError as exc:
        raise fail("value_text", f"{record['value_text']!r} reads as {quantity.value:g} {unit}: {exc}") from exc
    # Stored in its unit's base (units.csv): 2 Gbit/s is 2000 Mbit/s, so every speed compares with every other.
    value, unit = raw.units.stored(quantity.value, unit)
    try:
        qualifier = qualifier_from_text(record["qualifier_text"])
    except UnknownQualifierError as exc:
        raise fail("qualifier_text", str(exc)) from exc
    # Read first, then located: a word the reader cannot use is the clearer message.
    for column in ("value_text", "unit_text", "qualifier_text"):
        if record[column] and record[column] not in record["span"]:
            raise fail(
                column,
                f"{record[column]!r} is not part of the span {record['span']!r}"
                + missing_hint(record[column], record["span"], (column, "the span")),
            )
    as_of = published[record["article"]] if record["as_of"] == "published" else record["as_of"]
    if not as_of:
        raise fail("as_of", f"the date of article {record['article']!r} is uncertain; give as_of explicitly")
    try:
        check_iso_date(as_of)
    except ImpossibleDateError as exc:
        raise fail("as_of", str(exc)) from exc
    return {
        "figure_id": record["figure_id"],
        "source": record["source"],
        "article": record["article"],
        "initiative": record["initiative"],
        "metric": record["metric"],
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "as_of": as_of,
        "span": record["span"],
        "start": start,
        "end": end,
    }


def _unit(record: dict, implied: str | None, units: Units, fail) -> str:
    """The figure's unit: declared in `unit` (a row of units.csv), and agreeing with what the printed words
    imply."""
    declared = record["unit"]
    try:
        units.get(declared)
    except UnknownUnitError as exc:
        raise fail("unit", str(exc)) from exc
    printed = None
    if record["unit_text"]:
        try:
            printed = units.of_words(record["unit_text"])
        except UnknownUnitError as exc:
            raise fail("unit_text", str(exc)) from exc
    for source, unit in (("value_text", implied), ("unit_text", printed)):
        if unit is not None and unit != declared:
            raise fail("unit", f"declared unit {declared!r} but {source} {record[source]!r} means {unit!r}")
    return declared


# The units each quantity of the comparison may be measured in. Every one is a size greater than zero
# (numbers.check_plausible), so a cost is never divided by a share, a year or a zero.
QUANTITY_UNITS = {
    "cost": ("EUR",),
    "premises": ("plugs", "households", "businesses", "dwellings", "premises", "lines", "sites"),
    "population": ("inhabitants", "people"),
    "speed": ("Mbit/s",),
}


def check_measure_units(
    measures: pd.DataFrame, figures: pd.DataFrame, external: pd.DataFrame, path: Path, failed: set[str] = frozenset()
) -> None:
    """Each measure's value in a unit its quantity allows, and each assumed value plausible for its unit
    (a figure of ``failed``, whose own row failed, is not checked here)."""
    units_of_figures = figures.set_index("figure_id")["unit"]
    for row, record in rows(measures):
        key = f"{record['initiative']}/{record['quantity']}/{record['option']}"
        allowed = QUANTITY_UNITS.get(record["quantity"], ())
        if record["figure_id"] in failed:
            continue
        if record["figure_id"]:
            column, units = "figure_id", {units_of_figures[record["figure_id"]]}
        elif pd.isna(record["assumed_value"]):
            column = "reference_figure"
            chosen = external[
                (external["topic"] == record["reference_topic"]) & (external["figure"] == record["reference_figure"])
            ]
            units = set(chosen["unit"])
        else:
            column, units = "assumed_unit", {record["assumed_unit"]}
            try:
                check_plausible(float(record["assumed_value"]), record["assumed_unit"])
            except ImplausibleValueError as exc:
                raise DataError(path, str(exc), row=row, column="assumed_value", key=key) from exc
        wrong = sorted(units - set(allowed))
        if wrong:
            raise DataError(
                path,
                f"a {record['quantity']} is measured in {', '.join(allowed)}, but this row's value is in "
                f"{', '.join(wrong)}",
                row=row,
                column=column,
                key=key,
            )


# --- initiatives --------------------------------------------------------------------------------------------


def clean_initiatives(raw: RawTables, figures: pd.DataFrame, problems: Problems | None = None) -> pd.DataFrame:
    """The initiatives table, with each start year taken from the figure it names."""
    problems = problems if problems is not None else _Raising()
    by_id = figures.set_index("figure_id")
    start_years = []
    for row, record in rows(raw.initiatives):
        start_years.append(pd.NA)
        with problems.check():
            start_years[-1] = _start_year(raw, row, record, by_id, problems.failed)
    out = raw.initiatives.copy()
    out.insert(out.columns.get_loc("start_figure") + 1, "start_year", pd.array(start_years, dtype="Int64"))
    return out


def _start_year(raw: RawTables, row: int, record: dict, by_id: pd.DataFrame, failed: set[str]):
    """The start year of one initiative (its ``start_figure``'s value), checking the rows it names."""
    path = raw.raw_dir / "initiatives.csv"
    key = f"initiative={record['initiative']}"
    if record["population_topic"] or record["population_figure"]:
        raw.reference.require_external(
            record["population_topic"],
            record["population_figure"],
            file=path,
            row=row,
            key=key,
            column="population_figure",
        )
    figure_id = record["start_figure"]
    if not figure_id or f"figure:{figure_id}" in failed:
        return pd.NA  # none, or one whose own problem is said
    if figure_id not in by_id.index:
        raise DataError(
            path,
            f"unknown figure {figure_id!r}" + unknown_hint(figure_id, by_id.index, "figure"),
            row=row,
            column="start_figure",
            key=key,
        )
    figure = by_id.loc[figure_id]
    if figure["unit"] != "year" or figure["initiative"] != record["initiative"]:
        raise DataError(
            path, f"figure {figure_id!r} is not a year of this initiative", row=row, column="start_figure", key=key
        )
    return int(figure["value"])


def _why(written: str, expected: str) -> str:
    """'' or '; ' + the code points of two names that print alike but differ."""
    why = explain_difference(written, expected, ("the value", "the expected one"))
    return f"; {why}" if why else ""


def _int(value) -> int:
    return int(value) if not pd.isna(value) else -1


def check_model_risks(model_risks: pd.DataFrame, initiatives: pd.DataFrame, path: Path) -> None:
    """A row of ``model_risks.csv`` for every model an initiative uses: without it the report would show that
    initiative's owner, payer and risks as "–", as if nobody carried them."""
    described = set(model_risks["model"])
    problems = [
        DataError(
            path,
            f"no row for the model {record['model']!r}, which data/raw/initiatives.csv (row {row}) gives to "
            f"{record['initiative']!r}; add a row saying who owns, pays and carries the risks under it",
            column="model",
        )
        for row, record in rows(initiatives)
        if record["model"] not in described
    ]
    if problems:
        raise problems[0] if len(problems) == 1 else DataErrors(problems)


# What each kind of progress.csv row can be measured in: the timeline reads a share as a share of the network's
# premises and anything else as a count of them, so a euro amount given as "achieved" used to pass the
# cleaning and the comparison and fail in the report ("not enough values to unpack").
PROGRESS_UNITS = {
    "target": ("share", *QUANTITY_UNITS["premises"]),
    "achieved": ("share", *QUANTITY_UNITS["premises"]),
}


# What a share of progress.csv can count (its column share_of; the schema's enum says the same).
SHARE_BASES = ("inhabitants", "dwellings", "premises", "plugs", "unstated")


def check_progress_units(progress: pd.DataFrame, evidence: pd.DataFrame, path: Path) -> None:
    """Each target and achieved row of ``progress.csv`` names evidence about its own initiative, in a share
    or a count of premises; a share says what it counts (``share_of``), a count does not; each target's
    ``by_evidence_id`` names a year (the target's deadline)."""
    by_id = records(evidence, "evidence_id")
    for row, record in rows(progress):
        key = f"initiative={record['initiative']}"
        found = by_id.get(record["evidence_id"])
        if found is None:
            continue  # an unknown id is said by load_evidence_rows, with the same file, row and column
        subject = found.get("subject")
        if isinstance(subject, str) and subject and subject != record["initiative"]:
            raise DataError(
                path,
                f"the evidence {record['evidence_id']!r} is about {subject!r}, not {record['initiative']!r}",
                row=row,
                column="evidence_id",
                key=key,
            )
        allowed = PROGRESS_UNITS.get(record["kind"])
        if allowed and found["unit"] not in allowed:
            raise DataError(
                path,
                f"a {record['kind']!r} row is a share of the network's premises or a count of them "
                f"({', '.join(allowed)}), but the evidence {record['evidence_id']!r} is in {found['unit']!r}",
                row=row,
                column="evidence_id",
                key=key,
            )
        # What a share counts is said for each share (inhabitants, dwellings…), so that Figure 5 never draws
        # shares of different things as one measure; a count's is its unit, so it names none.
        share_of = record.get("share_of")
        share_of = share_of if isinstance(share_of, str) else ""
        if found["unit"] == "share" and record["kind"] in PROGRESS_UNITS and not share_of:
            raise DataError(
                path,
                f"the evidence {record['evidence_id']!r} is a share: say what it counts (share_of: "
                f"{', '.join(SHARE_BASES)})",
                row=row,
                column="share_of",
                key=key,
            )
        if found["unit"] != "share" and share_of:
            raise DataError(
                path,
                f"share_of is for shares, but the evidence {record['evidence_id']!r} is a count in "
                f"{found['unit']!r}: leave it empty",
                row=row,
                column="share_of",
                key=key,
            )
        by = record.get("by_evidence_id")
        if isinstance(by, str) and by:
            deadline = by_id.get(by)
            if deadline is not None and deadline["unit"] != "year":
                raise DataError(
                    path,
                    f"by_evidence_id names the year a target is due, but {by!r} is in {deadline['unit']!r}, not a year",
                    row=row,
                    column="by_evidence_id",
                    key=key,
                )
