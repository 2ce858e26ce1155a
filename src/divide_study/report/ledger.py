"""Building blocks of the report notebook: numbered figures and tables, and numbers that remember where
they come from.

Every number the report quotes goes through a ``Report`` method that formats it *and* records its
provenance (the article's title, date, file and verbatim span; or the reference row and its citation; or
the computation and its inputs). The appendix lists them all, so a reader can trace any number.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.analysis.evidence import CLASS_LABELS
from divide_study.analysis.metrics import metric
from divide_study.i18n import Translator
from divide_study.report.formats import Formats

# Characters that HTML or the report's Markdown would read as markup: HTML's five, and Markdown's emphasis,
# links, code, images, math, tables, headings, strikethrough and autolinks ("http:", "a@b"). A newline could
# start a Markdown block (list, heading, code), so it becomes a space.
_MARKUP = frozenset("&<>\"'\\`*_[]{}()#!|~$:@")


def esc(value: object) -> str:
    """``value`` as text that HTML *and* Markdown show literally: for every data value (or file name) put into
    the report's ``md(...)`` or ``show(...)``.

    Each character that could be markup becomes a numeric character reference (``<`` → ``&#60;``), which
    browsers and the report's Markdown renderer both turn back into the character itself, never into markup;
    so one helper serves both, and ``*``, ``_`` or ``[`` in a name do not turn into emphasis or a link.
    """
    return "".join(f"&#{ord(c)};" if c in _MARKUP else " " if c in "\r\n" else c for c in str(value))


LONG_TABLE_ROWS = 25  # rows beyond which a printed table may break across pages
LONG_WORD = 22  # characters beyond which a word of a table cell may be broken anywhere in print


def readable_number(value: float) -> str:
    """Large numbers without decimals, small ones with two, years as they are."""
    if pd.isna(value):
        return "–"
    if float(value).is_integer() and 1900 <= value <= 2100:
        return f"{value:.0f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


@dataclass
class Provenance:
    number: str
    what: str
    source: str
    words: str
    source_class: str = ""  # official / independent press / interested party's claim / computed / assumption


class Report:
    def __init__(
        self,
        figures: pd.DataFrame,
        sources: pd.DataFrame,
        external: pd.DataFrame,
        figure_keys: list[str],
        table_keys: list[str],
        evidence: pd.DataFrame | None = None,
        lang: str = "en",
    ):
        # The edition: its words (the 'report' catalog) and its number formats.
        self.lang = lang
        self._ = Translator(lang, "report")
        self.formats = Formats(lang)
        self.figures = figures.set_index("figure_id")
        # The class of each figure's and reference row's source, when known (evidence.csv).
        self.classes = (
            {} if evidence is None else dict(zip(evidence["evidence_id"], evidence["source_class"], strict=True))
        )
        self.sources = sources.set_index("article")
        self.external = external
        # Declared up front, so prose can cite "Figure 3" before the figure appears.
        self.figure_numbers = {key: n for n, key in enumerate(figure_keys, start=1)}
        self.table_numbers = {key: n for n, key in enumerate(table_keys, start=1)}
        self.ledger: list[Provenance] = []

    # --- numbers ------------------------------------------------------------------------------------------

    def _record(self, number: str, what: str, source: str, words: str = "", source_class: str = "") -> str:
        entry = Provenance(number, what, source, words, CLASS_LABELS.get(source_class, source_class))
        if entry not in self.ledger:
            self.ledger.append(entry)
        return number

    def article(self, article: str) -> str:
        """'"Title" (outlet, date), file NNN_x.txt' for citations."""
        row = self.sources.loc[article]
        date = row["published"] or f"{row['published_earliest']} to {row['published_latest']}"
        outlet = f"{row['outlet']}, " if row["outlet"] else ""
        return f"“{row['title']}” ({outlet}{date}), file {row['source']}"

    def fig(self, figure_id: str, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """A figure stated in an article, formatted; recorded with its article and verbatim span."""
        row = self.figures.loc[figure_id]
        number = fmt.format(row["value"] * scale)
        what = f"{row['metric'].replace('_', ' ')} ({row['initiative'].replace('_', ' ')}, {row['as_of']})"
        return self._record(
            number,
            what,
            f"article {row['article']}: {self.article(row['article'])}",
            f"“{row['span']}” (characters {row['start']}–{row['end']})",
            self.classes.get(figure_id, ""),
        )

    def date_of(self, figure_id: str) -> str:
        """The date a figure refers to, as prose ("March 2019"), recorded like a number."""
        from babel.dates import format_date

        row = self.figures.loc[figure_id]
        parts = [int(p) for p in str(row["as_of"]).split("-")]
        if len(parts) == 1:
            text = str(parts[0])
        else:
            text = format_date(dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1), "MMMM y", locale="en")
        return self._record(
            text,
            f"date of {row['metric'].replace('_', ' ')}",
            f"article {row['article']}: {self.article(row['article'])}",
            "date inferred, see Table of sources",
        )

    def as_of(self, evidence_id: str) -> str:
        """The date an article figure or a reference row speaks for, as the edition writes dates ("juillet
        2023"), recorded like a number with its source."""
        if evidence_id in self.figures.index:
            row = self.figures.loc[evidence_id]
            source = f"article {row['article']}: {self.article(row['article'])}"
            date, what = str(row["as_of"]), row["metric"].replace("_", " ")
        else:
            topic, what, date = evidence_id.split("|")
            rows = self.external[(self.external["topic"] == topic) & (self.external["figure"] == what)]
            source = f"reference data: {rows.iloc[0]['source']}" if len(rows) else "reference data"
        return self._record(self.formats.date(date), f"date of {what}", source, f"as of {date}")

    def ref(self, topic: str, figure: str, as_of: str | None = None, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """A figure of the cited reference data, formatted; recorded with its source and quote."""
        rows = self.external[(self.external["topic"] == topic) & (self.external["figure"] == figure)]
        if as_of is not None:
            rows = rows[rows["as_of"] == as_of]
        if len(rows) != 1:
            raise KeyError(f"expected one reference row for {topic!r} / {figure!r} / {as_of!r}, found {len(rows)}")
        row = rows.iloc[0]
        number = fmt.format(row["value"] * scale)
        return self._record(
            number,
            f"{figure} ({row['as_of']})",
            f"reference data: {row['source']}",
            f"“{row['quote']}”",
            self.classes.get(f"{topic}|{figure}|{row['as_of']}", ""),
        )

    def evidence(self, evidence_id: str, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """An article figure (by its id) or a reference row (by 'topic|figure|as_of'), recorded as above."""
        if evidence_id in self.figures.index:
            return self.fig(evidence_id, fmt, scale)
        topic, figure, as_of = evidence_id.split("|")
        return self.ref(topic, figure, as_of, fmt, scale)

    def computed(self, value: float, what: str, basis: str, fmt: str = "{:,.0f}") -> str:
        """A number the study computed, recorded with how."""
        return self._record(fmt.format(value), what, "computed by the study", basis, "computed")

    def date(self, value: str, what: str, basis: str) -> str:
        """A date the study read from its results (ISO), as the edition writes dates, recorded with how."""
        return self._record(self.formats.date(value), what, "computed by the study", basis, "computed")

    def assumed(self, value: float, what: str, basis: str, fmt: str = "{:,.0f}") -> str:
        """A value the study assumes (the sources give none), recorded as an assumption."""
        return self._record(fmt.format(value), what, "assumption of the study", basis, "assumption")

    def compared(
        self, comparison: pd.DataFrame, initiative: str, name: str, fmt: str = "{:,.0f}", column: str = "value_constant"
    ) -> str:
        """A number of the comparison table, recorded with its inputs."""
        value = metric(comparison, initiative, name, column)
        row = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == name)].iloc[0]
        euros = f", constant {row['base_year']} euros" if column == "value_constant" else ""
        return self.computed(
            value,
            f"{name.replace('_', ' ')} of {initiative.replace('_', ' ')}{euros}",
            f"data/processed/comparison.csv; inputs: {row['inputs']}",
            fmt,
        )

    # --- figures and tables -------------------------------------------------------------------------------

    def figure_label(self, key: str) -> str:
        return f"Figure {self.figure_numbers[key]}"

    def table_label(self, key: str) -> str:
        return f"Table {self.table_numbers[key]}"

    def figure_ref(self, key: str) -> str:
        """'Figure 3', as a link to the figure."""
        return f'<a class="xref" href="#figure-{self.figure_numbers[key]}">{self.figure_label(key)}</a>'

    def table_ref(self, key: str) -> str:
        """'Table 3', as a link to the table."""
        return f'<a class="xref" href="#table-{self.table_numbers[key]}">{self.table_label(key)}</a>'

    def figure(self, key: str, png: Path, caption: str, source: str) -> str:
        """A numbered figure, its image embedded, with caption and source line."""
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        label = self.figure_label(key)
        return (
            f'<figure class="study-figure" id="figure-{self.figure_numbers[key]}">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(label)}: {html.escape(caption)}">'
            f"<figcaption><strong>{label}.</strong> {html.escape(caption)}"
            f'<span class="source">Source: {html.escape(source)}. Data: figures/{png.stem}.csv</span>'
            "</figcaption></figure>"
        )

    def _for_readers(self, frame: pd.DataFrame, formats: dict) -> tuple[pd.DataFrame, dict]:
        """With the edition's labels (``self.labels``): column headers that are codes get their label, and
        yes/no columns read as words, not 1.00/0.00."""
        labels = getattr(self, "labels", None)
        if labels is None:
            return frame, formats
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == bool:
                frame[column] = frame[column].map({True: labels("word", "yes"), False: labels("word", "no")})
        names = {c: labels.get("column", c) for c in frame.columns}
        names = {c: n for c, n in names.items() if n is not None}
        shown = [names.get(c, c) for c in frame.columns]
        if len(set(shown)) < len(shown):
            raise ValueError(f"two columns would read alike: {shown}; give them distinct labels in labels.csv")
        return frame.rename(columns=names), {names.get(c, c): f for c, f in formats.items()}

    def table(
        self, key: str, frame: pd.DataFrame, caption: str, source: str, formats: dict[str, str] | None = None
    ) -> str:
        """A numbered static HTML table (pandas Styler), scrollable on narrow screens.

        Numeric columns without a format get one by magnitude and are right-aligned. Every cell and column
        header is HTML-escaped (Styler escapes nothing unless asked): cells and headers come from data (an
        initiative's name heads a column of the models table), and the caption and source are escaped too.
        """
        frame, formats = self._for_readers(frame, formats or {})
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool]
        formats = {**dict.fromkeys(numeric, readable_number), **formats}
        styler = frame.style.hide(axis="index").format(formats, na_rep="–", escape="html")
        styler = styler.format_index(escape="html", axis=1)

        # Columns holding long unbroken words (URLs, file names, identifiers) may break them anywhere in print;
        # the others break between words only, so short columns are never squeezed letter by letter.
        def kind(column: str) -> str:
            if column in numeric:
                return "num"
            words = frame[column].astype(str).str.split().explode().dropna()
            return "long-words" if len(words) and words.str.len().max() > LONG_WORD else ""

        classes = pd.DataFrame({c: [kind(c)] * len(frame) for c in frame.columns}, frame.index)
        styler = styler.set_td_classes(classes)
        # Headers too long for their column (identifiers) may break anywhere, the others between words only.
        long_headers = [n for n, c in enumerate(frame.columns) if len(str(c)) > LONG_WORD]
        if long_headers:
            styler = styler.set_table_styles(
                [{"selector": f"th.col{n}", "props": [("overflow-wrap", "anywhere")]} for n in long_headers],
                overwrite=False,
            )
        # A fixed id instead of pandas' random one, so two builds give the same HTML.
        styler = styler.set_table_attributes('class="study-table"').set_uuid(f"table{self.table_numbers[key]}")
        label = self.table_label(key)
        # In print, a table kept whole unless it is longer than a page (then it breaks between rows).
        block = "study-table-block long" if len(frame) > LONG_TABLE_ROWS else "study-table-block"
        return (
            f'<div class="{block}" id="table-{self.table_numbers[key]}">'
            f'<p class="table-caption"><strong>{label}.</strong> {html.escape(caption)}</p>'
            f'<div class="table-wrap">{styler.to_html()}</div>'
            f'<p class="source">Source: {html.escape(source)}</p></div>'
        )

    def provenance(self) -> pd.DataFrame:
        """Every number quoted so far, with where it comes from."""
        return pd.DataFrame(
            [
                {"number": e.number, "what": e.what, "source": e.source, "class": e.source_class, "words": e.words}
                for e in self.ledger
            ],
            columns=["number", "what", "source", "class", "words"],
        )
