"""The data's own words in the edition's language: the free text of the tables a reader sees.

Codes have labels (``data/raw/labels.csv``), but the data also hold words: a contract's legal form, who
owns a network, a risk's reading, a claim's verdict, a reference table's title — written in English by the
study team — and sentences the study's code writes ("own target: 67% eligible", a take-up's "how", the
basis of an article's inferred date). The French edition shows them in French. The ``data`` catalog
(``locales/fr/LC_MESSAGES/data.po``) holds the French of each value, keyed by its exact English wording;
``uv run study messages`` collects the values of the columns declared in ``SHOWN`` from ``data/processed``.

Sentences the code fills in are not stored filled: the catalog holds their template ("own target: {share}
eligible" → "objectif propre : {share} raccordables"). A value is read back against ``TEMPLATES``; its
numbers and dates are re-written for the locale and its words translated in turn. Values that already are
templates (milestones' "{value} plugs eligible") are translated as they stand and filled by their reader.
A value with no translation stops the French edition, naming its file, row and column.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from divide_study.errors import DataError, StudyError
from divide_study.i18n import SOURCE_LANGUAGE, catalog, catalog_path, check_language
from divide_study.language.formats import Formats

# The processed tables' columns whose words reach a reader (in a table, a sentence or a chart), by file.
# Codes (scope, qualifier, model…) are not here: labels.csv says them. Proper names (initiatives' names,
# outlets, départements), verbatim French (titles, spans) and identifiers (URLs, files, dates) are not either.
SHOWN: dict[str, tuple[str, ...]] = {
    "contracts.csv": ("phase", "model", "owner", "builder_operator"),  # table "initiatives"; prose
    "cost_figures.csv": ("what", "source"),  # table "costs"
    "benchmarks.csv": ("what", "kind"),  # table "benchmarks"
    "public_money.csv": ("funder",),  # table "money"
    "targets.csv": ("target", "reached_on"),  # table "targets" ("not yet"); prose
    "take_up.csv": ("how",),  # table "take_up"; provenance of the take-up figures
    # Section "The models side by side": prose and table (model_risks.csv's columns reach it through here).
    "models.csv": ("years", "own_target", "public_money_note", "delay_risk", "demand_risk"),
    "programme_outcomes.csv": ("unit", "what", "source"),  # table "soho"
    "press_claims.csv": ("speaker", "verdict", "data_show", "data_cannot_show"),  # table "press_claims"
    "sources.csv": ("date_basis",),  # appendix A, the basis of each inferred date
    "article_classes.csv": ("class_basis",),  # appendix A, why each article is classed so
    "reference_tables.csv": ("title", "producer", "access_note"),  # table "references"
    "milestones.csv": ("event",),  # chart "milestones" (templates with {value}, filled by the chart)
    # Table "findings": the interested parties a finding rests on (a speaker, or else the source).
    "evidence.csv": ("speaker", "source"),
    # Appendix B, the provenance of each number: a reference row's name and source, a comparison's inputs.
    "external_figures.csv": ("figure", "source"),
    "comparison.csv": ("inputs",),
    # Table "scenarios": each scenario by its name (params/scenarios/<name>.yaml, or "central"), and whether it
    # was computed or refused.
    "scenarios.csv": ("scenario", "status"),
    # Appendix B: what each number an analysis step publishes for the report is (analysis.quoted).
    "quoted_compare.csv": ("what",),
    "quoted_programmes.csv": ("what",),
    "quoted_sensitivity.csv": ("what",),
    "quoted_series.csv": ("what",),  # the numbers the fibre series step quotes (07_fibre_series)
    "quoted_panel.csv": ("what",),  # the numbers the national panel step quotes (06_national_panel)
    # Table "series_claims": how the study reads each claim's words, and what the series cannot show about it.
    "series_claims.csv": ("reading", "data_cannot_show"),
}

# Columns whose value is a list of sentences the code joined: each part is translated on its own.
PARTS: dict[tuple[str, str], str] = {("sources.csv", "date_basis"): "; ", ("comparison.csv", "inputs"): " | "}
# How the parts are joined again, where the edition's typography differs: French puts a (non-breaking) space
# before a semicolon.
JOINERS = {"fr": {"; ": "\u00a0; "}}

# What a template's field may hold, as a pattern, and how it is written again for the edition.
KINDS = {
    "number": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?",  # English digits: 28,000 or 7.5
    "share": r"\d+(?:\.\d+)?%",  # 73%
    "year": r"\d{4}",
    "day": r"\d{4}-\d{2}-\d{2}",
    "date": r"\d{4}(?:-\d{2}(?:-\d{2})?)?",  # a year, a month or a day
    "days": r"\d{4}-\d{2}-\d{2}(?:, \d{4}-\d{2}-\d{2})*",
    # Written in English by the code and said in the edition's words by the locale (babel), not by words.csv:
    "weekday": r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",  # dates.py's basis of a date
    "quarter": r"Q[1-4] \d{4}",  # ARCEP's quarter as the code writes it ("Q1 2018" → "T1 2018")
    "verbatim": r".+?",  # kept as it is: words quoted from a French source, proper names
    "text": r".+?",  # words of the data, translated in turn (an exact value or another template)
}


@dataclass(frozen=True)
class Template:
    """A sentence the study's code writes, with named fields of a kind: the message the catalog holds."""

    message: str
    kinds: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        named = set(re.findall(r"\{(\w+)\}", self.message))
        if named != set(self.kinds) or not set(self.kinds.values()) <= set(KINDS):
            raise ValueError(f"template {self.message!r}: each field needs one kind of {sorted(KINDS)}")

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """The message as a regular expression, each field a named group of its kind (made once per template:
        the report matches tens of thousands of values against the templates)."""
        parts = re.split(r"\{(\w+)\}", self.message)
        regex = "".join(
            re.escape(part) if n % 2 == 0 else f"(?P<{part}>{KINDS[self.kinds[part]]})" for n, part in enumerate(parts)
        )
        return re.compile(regex)

    def match(self, value: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(value)
        return None if found is None else found.groupdict()


def template(message: str, **kinds: str) -> Template:
    return Template(message, kinds)


# The sentences the code writes into the shown columns, most specific first. Each mirrors one f-string:
# analysis/timeline.py (targets), analysis/metrics.py (take-up, benchmarks), analysis/models.py (years,
# own target), data/dates.py (the basis of a publication date), the cleaning step (a source "article 003").
TEMPLATES: tuple[Template, ...] = (
    # targets.csv target (timeline.target_rows) and models.csv own_target (the same, its prefix removed)
    template("own target: {share} of inhabitants eligible", share="share"),
    template("own target: {share} eligible", share="share"),
    template("own target: at least {plugs} plugs", plugs="number"),
    template("own target: at most {plugs} plugs", plugs="number"),
    template("own target: about {plugs} plugs", plugs="number"),
    template("own target: {plugs} plugs", plugs="number"),
    template("national plan: {goal}", goal="text"),
    template("{share} of inhabitants eligible", share="share"),
    template("{share} eligible", share="share"),
    template("at least {plugs} plugs", plugs="number"),
    template("at most {plugs} plugs", plugs="number"),
    template("about {plugs} plugs", plugs="number"),
    template("{plugs} plugs", plugs="number"),
    # take_up.csv how (metrics.take_up)
    template(
        "{subscribers} subscribers ÷ ({eligible} eligible × {plugs} plugs)",
        subscribers="number",
        eligible="share",
        plugs="number",
    ),
    template(
        "{subscribers} subscribers ÷ ({eligible} eligible × {dwellings} dwellings of the département)",
        subscribers="number",
        eligible="share",
        dwellings="number",
    ),
    template(
        "{subscriptions} subscriptions ÷ {premises} premises able to connect", subscriptions="number", premises="number"
    ),
    template("cited: {figure}", figure="text"),
    # comparison.csv inputs, each part (measures: an input and where it comes from)
    template("{figure}, {as_of} ({source})", figure="text", as_of="date", source="text"),
    # benchmarks.csv what (metrics.benchmarks)
    # the option is codes, which the report shows by their labels (report.tables.benchmarks), not as words
    template("{name}: cost per premise ({option})", name="verbatim", option="verbatim"),
    # models.csv years (models.side_by_side)
    template("from {year}", year="year"),
    # cost_figures.csv and programme_outcomes.csv source: an article, with its (French) title
    template("article {article} ({title})", article="verbatim", title="verbatim"),
    template("article {article}", article="verbatim"),
    # scenarios.csv status (sensitivity.scenario_headlines)
    template("refused: {reason}", reason="text"),
    # sources.csv date_basis, one part at a time (dates.infer_publication_date)
    template("day and month from '{printed}', a {weekday}", printed="verbatim", weekday="weekday"),
    template("day and month from '{printed}'", printed="verbatim"),
    template("a {weekday} from '{span}'", weekday="weekday", span="verbatim"),
    template("in {year} from '{span}' ({reason})", year="year", span="verbatim", reason="text"),
    template("not before {year} from '{span}' ({reason})", year="year", span="verbatim", reason="text"),
    template("not before {day} from '{span}' ({reason})", day="day", span="verbatim", reason="text"),
    template("not after {year} from '{span}' ({reason})", year="year", span="verbatim", reason="text"),
    template("not after {day} from '{span}' ({reason})", day="day", span="verbatim", reason="text"),
    template("the year stays uncertain: between {earliest} and {latest}", earliest="day", latest="day"),
    template("the year stays uncertain: {listed}", listed="days"),
    template("published between {earliest} and {latest}", earliest="day", latest="day"),
    template("the only match in {first}-{last}", first="year", last="year"),
    template("year {year}", year="year"),
    # quoted_panel.csv what (analysis.panel.PanelQuotes): a département by its name, ARCEP's quarter ("Q1 2018")
    template(
        "plugs in the public-initiative zones of the rest of {department}'s region, {quarter}",
        department="verbatim",
        quarter="quarter",
    ),
    template("plugs in {department}'s public-initiative zone, {quarter}", department="verbatim", quarter="quarter"),
    template("dwellings in {department}'s public-initiative zone", department="verbatim"),
    template(
        "public-zone plugs of {department} as a share of its dwellings, {quarter}",
        department="verbatim",
        quarter="quarter",
    ),
    template("dwellings in {department}'s rural communes", department="verbatim"),
    template("dwellings of {department}'s communes", department="verbatim"),
    template("share of {department}'s dwellings in rural communes", department="verbatim"),
    template("share of {department}'s dwellings in the public-initiative zone", department="verbatim"),
    template("rank of {department} by public-zone share, {quarter}", department="verbatim", quarter="quarter"),
    template("metropolitan départements ranked by public-zone share, {quarter}", quarter="quarter"),
    template(
        "rank of {department} in its region by public-zone plugs, {quarter}", department="verbatim", quarter="quarter"
    ),
    template("départements ranked in {department}'s region", department="verbatim"),
    template("peers of {department}: the metropolitan départements most like it", department="verbatim"),
    template(
        "median public-zone share of the {count} départements most like {department}",
        count="number",
        department="verbatim",
    ),
    template("rank of {department} by public-zone share among itself and its peers", department="verbatim"),
    template("peers of {department} with any public-zone plug", department="verbatim"),
)


_TEMPLATE_MESSAGES = frozenset(t.message for t in TEMPLATES)


def is_template(message: str) -> bool:
    """Whether a message is a sentence the code writes (``TEMPLATES``), not a value of the data."""
    return message in _TEMPLATE_MESSAGES


def update_words(path: Path, values: Sequence[str], lang: str = "fr", drop: bool = True) -> tuple[int, int]:
    """words.csv with a row for each of ``values`` (the data's words readers see): rows kept in their order,
    new ones added with their ``lang`` words empty for a translator to fill in (the cleaning step refuses an
    empty one, naming its row), rows of values no longer shown dropped (unless ``drop`` is false: when the
    published tables are not there to say which words the code writes). Returns (added, dropped)."""
    import csv

    old = pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else pd.DataFrame(columns=["en"])
    for column in ("en", lang, "note"):
        if column not in old.columns:
            old[column] = ""
    wanted = list(dict.fromkeys(values))
    kept = old[old["en"].isin(wanted)] if drop else old
    known = set(old["en"])
    new = pd.DataFrame({"en": [v for v in wanted if v not in known]}).reindex(columns=old.columns, fill_value="")
    rows = pd.concat([kept, new], ignore_index=True)
    rows.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return len(new), len(old) - len(kept)


class MissingDataText(StudyError):
    """A value shown to readers has no translation in the edition's ``data`` catalog."""


def needs_words(value: object) -> bool:
    """Whether a value holds words to translate: not empty, not a date, a number, a URL or a file name."""
    if not isinstance(value, str) or not any(ch.isalpha() for ch in value):
        return False
    return not re.fullmatch(r"https?://\S+|[\w./-]+\.(?:csv|txt|json|html?|pdf)", value)


def messages_of(value: str, table: str = "", column: str = "") -> list[str]:
    """The catalog messages a value needs: itself, or the template it fills and the words of its fields."""
    if not needs_words(value):
        return []
    separator = PARTS.get((table, column))
    if separator is not None:
        return [m for part in value.split(separator) for m in messages_of(part)]
    for known in TEMPLATES:
        fields = known.match(value)
        if fields is not None:
            words = [m for name, text in fields.items() if known.kinds[name] == "text" for m in messages_of(text)]
            return [known.message, *words]
    return [value]


WORDS = "data/raw/words.csv"  # the data's own words, a column per language (the study's data, not its code)


def word_pairs(words: pd.DataFrame | None, lang: str) -> dict[str, str]:
    """English wording -> the edition's, from words.csv (``en`` and a column per other language)."""
    if words is None or lang == SOURCE_LANGUAGE or lang not in getattr(words, "columns", ()):
        return {}
    return {str(en): str(said) for en, said in zip(words["en"], words[lang], strict=True) if str(said)}


def check_words(words: pd.DataFrame, path: Path) -> None:
    """Each translation of words.csv keeps the {fields} of its English (a milestone's "{value}"), or the
    filled sentence would lose its number: said with the file, row and column."""
    for row, record in enumerate(words.to_dict("records"), start=1):
        for lang in (c for c in words.columns if c not in ("en", "note")):
            said = str(record[lang] or "")
            if said and set(re.findall(r"\{(\w*)\}", said)) != set(re.findall(r"\{(\w*)\}", str(record["en"]))):
                raise DataError(
                    path,
                    f"the {lang} words {said!r} do not keep the fields of {record['en']!r}",
                    row=row,
                    column=lang,
                )


class DataText:
    """The words of the data in one edition: ``DataText("fr", words)("first works")`` -> "premiers travaux".

    ``words`` is words.csv (the study's ``words``): the data's own values by their English wording. The
    sentences the code writes into the data (``TEMPLATES``) are the package's, in its ``data`` catalog."""

    def __init__(self, lang: str, words: pd.DataFrame | None = None):
        self.lang = check_language(lang)
        self.formats = Formats(lang)
        self.pairs = word_pairs(words, lang)

    def _message(self, message: str) -> str:
        if message in self.pairs:
            return self.pairs[message]
        found = catalog(self.lang, "data").get(message) if message in _TEMPLATE_MESSAGES else None
        if found is None or found.fuzzy or not found.string:
            if message in _TEMPLATE_MESSAGES:
                where = f"{catalog_path(self.lang, 'data').name} (a sentence the code writes)"
            else:
                where = f"{WORDS}: add a row with its English and its {self.lang!r} words"
            raise MissingDataText(f"no {self.lang!r} translation of {message!r}; {where}")
        return found.string

    def _field(self, kind: str, text: str) -> str:
        if kind == "number":
            decimals = len(text.partition(".")[2])
            return self.formats.number(float(text.replace(",", "")), decimals)
        if kind == "share":
            decimals = len(text.rstrip("%").partition(".")[2])
            return self.formats.share(float(text.rstrip("%")) / 100, decimals)
        if kind in ("day", "date"):
            return self.formats.date(text)  # "1er janvier 2003": the edition's dates, ordinals included
        if kind == "days":
            return ", ".join(self.formats.date(day) for day in text.split(", "))
        if kind == "weekday":
            return self.formats.weekday(text)
        if kind == "quarter":
            return self.formats.quarter(text)
        if kind == "text":
            return self(text)
        return text  # year, verbatim

    def __call__(self, value: object, table: str = "", column: str = "") -> object:
        """The value in the edition's language (English, the source language, is the value itself)."""
        if self.lang == SOURCE_LANGUAGE or not needs_words(value):
            return value
        separator = PARTS.get((table, column))
        if separator is not None:
            joiner = JOINERS.get(self.lang, {}).get(separator, separator)
            return joiner.join(str(self(part)) for part in str(value).split(separator))
        for known in TEMPLATES:
            fields = known.match(str(value))
            if fields is not None:
                filled = {name: self._field(known.kinds[name], text) for name, text in fields.items()}
                return self._message(known.message).format(**filled)
        return self._message(str(value))


def data_text(
    frame: pd.DataFrame, columns: Sequence[str] | None, lang: str, table: str = "", words: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``frame`` with the words of ``columns`` in the edition's language (a copy; other columns unchanged).

    ``table`` is the processed file the frame comes from ("targets.csv"): its columns in ``SHOWN`` are the
    default, and a missing translation is said with that file, the row (the frame's index + 1, as read by
    ``read_table``) and the column. Translate after selecting rows: the code selects on the English words.
    """
    chosen = list(columns) if columns is not None else [c for c in SHOWN.get(table, ()) if c in frame.columns]
    if columns is None and table not in SHOWN:
        raise StudyError(f"data_text: {table!r} is not a table of SHOWN; name the columns to translate")
    said = DataText(lang, words)
    out = frame.copy()
    for column in chosen:
        translated = []
        for index, value in frame[column].items():
            try:
                translated.append(said(value, table, column))
            except MissingDataText as exc:
                row = index + 1 if isinstance(index, int) else None
                raise DataError(f"data/processed/{table or '?'}", str(exc), row=row, column=column) from exc
        out[column] = translated
    return out


def has_shown_tables(processed: Path) -> bool:
    """Whether every table of ``SHOWN`` is there (a built study): only then is a word no table shows unused."""
    return all((processed / table).is_file() for table in SHOWN)


def shown_values(processed: Path) -> Iterable[tuple[str, int, str, str]]:
    """(table, row, column, value) of every value of the ``SHOWN`` columns of the processed tables."""
    for table, columns in SHOWN.items():
        frame = pd.read_csv(processed / table, dtype=str, keep_default_na=False)
        for column in columns:
            if column not in frame.columns:
                raise DataError(processed / table, f"no column {column!r}, which datatext.SHOWN declares as shown")
            for row, value in enumerate(frame[column], start=1):
                yield table, row, column, value


def check_data_text(processed: Path, lang: str) -> None:
    """Every value a reader of the edition sees has a translation; the first one missing is named with its
    file, row and column (and how many others are missing). Run by the report step for its edition."""
    words = DataText(lang, pd.read_csv(processed / "words.csv", dtype=str, keep_default_na=False))
    missing = []
    for table, row, column, value in shown_values(processed):
        try:
            words(value, table, column)
        except MissingDataText as exc:
            missing.append((table, row, column, exc))
    if missing:
        table, row, column, exc = missing[0]
        more = f" ({len(missing) - 1} other values are missing too)" if len(missing) > 1 else ""
        raise DataError(processed / table, f"{exc}{more}", row=row, column=column)


# The raw tables' columns whose words reach a reader through a processed table of ``SHOWN`` (the same value, or
# a field of a sentence the code writes), by file of data/raw, with the rows that are shown (all when None).
# From these, `study messages` lists the words a new initiative needs before any build, and the cleaning step
# refuses each one without its translation, all at once, with its file, row and column.
RAW_SHOWN: tuple[tuple[str, tuple[str, ...], Callable[[dict], bool] | None], ...] = (
    ("reference/contracts.csv", ("phase", "model", "owner", "builder_operator"), None),  # contracts.csv
    ("reference/reference_tables.csv", ("title", "producer", "access_note"), None),  # reference_tables.csv
    ("reference/external_figures.csv", ("figure", "source"), None),  # external_figures.csv, comparison inputs
    ("funding.csv", ("funder",), None),  # public_money.csv funder
    # models.csv public_money_note: the note of the amount that is all the public money of its scope
    ("funding.csv", ("note",), lambda record: str(record.get("all_public_money", "")).lower() == "true"),
    ("milestones.csv", ("event",), None),  # milestones.csv event
    ("claims.csv", ("speaker",), None),  # evidence.csv speaker
    ("press_claims.csv", ("speaker",), None),  # press_claims.csv speaker
    ("reference_source_classes.csv", ("who",), None),  # evidence.csv source of a reference row
    ("article_classes.csv", ("class_basis",), None),  # article_classes.csv
    # sources.csv date_basis: the reason of each clue that bounds the year (a weekday is said by the locale)
    ("date_clues.csv", ("reason",), lambda record: record.get("kind") != "weekday"),
    ("model_risks.csv", ("delay_risk", "demand_risk"), None),  # models.csv
    ("series_claims.csv", ("reading",), None),  # series_claims.csv
)


def _read_plain(path: Path) -> pd.DataFrame:
    """A raw table as text, or a DataError naming its file and the first row whose fields do not match the
    header (pandas alone says "Expected 3 fields in line 12, saw 4", naming no file)."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.ParserError:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            for number, fields in enumerate(reader, start=1):
                if fields and len(fields) != len(header):
                    hint = "; a comma inside a value? Quote the value" if len(fields) > len(header) else ""
                    raise DataError(
                        path,
                        f"{len(fields)} fields where the header has {len(header)} (file line {reader.line_num}){hint}",
                        row=number,
                    ) from None
        raise


def raw_shown_values(raw_dir: Path) -> Iterable[tuple[str, int, str, str]]:
    """(file of data/raw, row, column, value) of every raw value ``RAW_SHOWN`` says a reader will see. Read as
    plain text (no schema check), so it works on rows the cleaning step would refuse."""
    for name, columns, shown in RAW_SHOWN:
        path = raw_dir / name
        if not path.is_file():
            continue
        frame = _read_plain(path)
        for row, record in enumerate(frame.to_dict("records"), start=1):
            if shown is not None and not shown(record):
                continue
            for column in columns:
                if column in record:
                    yield name, row, column, record[column]


def check_raw_words(raw_dir: Path, words: pd.DataFrame, lang: str = "fr") -> None:
    """Every word of the raw data a reader of the ``lang`` edition will see (``RAW_SHOWN``) has its row in
    words.csv: all the missing ones said at once, each with its file, row and column, at the cleaning step —
    not one at a time by the report, after every analysis has run."""
    from divide_study.errors import DataErrors

    # A row with its translation empty is said by i18n.check_translated_words, with its own row.
    listed = set(words["en"]) if "en" in words.columns else set()
    missing: dict[str, DataError] = {}
    for name, row, column, value in raw_shown_values(raw_dir):
        for message in messages_of(value):
            if is_template(message) or message in listed or message in missing:
                continue
            missing[message] = DataError(
                raw_dir / name,
                f"no {lang!r} words for {message!r}: add a row to {WORDS} with its English and its {lang!r} words "
                "(`uv run study messages` adds it, the French empty)",
                row=row,
                column=column,
            )
    errors = list(missing.values())
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)


def data_messages(root: Path) -> dict[str, list[str]]:
    """The ``data`` catalog's messages: each with where it is used (``data/raw/<table>:<line>`` for the raw
    words a reader will see, ``data/processed/<table>:<line>`` for the published tables'), the raw ones first,
    for ``study messages`` (language.messages.update_catalogs). The raw data's words are there before any
    build, so a new initiative's words are listed before its first build."""
    found: dict[str, list[str]] = {}

    def add(message: str, where: str) -> None:
        if where not in found.setdefault(message, []):
            found[message].append(where)

    for name, row, _column, value in raw_shown_values(root / "data" / "raw"):
        for message in messages_of(value):
            add(message, f"data/raw/{name}:{row + 1}")
    processed = root / "data" / "processed"
    if has_shown_tables(processed):
        for table, row, column, value in shown_values(processed):
            for message in messages_of(value, table, column):
                add(message, f"data/processed/{table}:{row + 1}")
    return found
