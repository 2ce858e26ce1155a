"""Building blocks of the report notebook: numbered figures and tables, and numbers that remember where
they come from.

Every number the report quotes goes through a ``Report`` method that formats it for the edition (babel, via
``Formats``) *and* records its provenance (the article's title, date, file and verbatim span; or the reference
row, its full URL and quote; or the computation and its inputs). What the method returns is the number as a
link to its entry in the provenance appendix (``<a class="num" href="#number-K">2 140 €</a>``), so a reader
is one click from the source of any number, table cells and captions included.
"""

from __future__ import annotations

import base64
import html
import numbers
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from divide_study.analysis.evidence import reference_class
from divide_study.analysis.metrics import metric
from divide_study.analysis.quoted import (
    NATURES,
    NONE,
    ROW_OPERATIONS,
    UNITS,
    filter_terms,
    is_primary,
    joined_file,
    parse_row_key,
)
from divide_study.data.reference import site_name
from divide_study.errors import StudyError
from divide_study.i18n import Translator
from divide_study.language.datatext import DataText
from divide_study.language.formats import MISSING, Formats
from divide_study.language.formats import significant as significant_figures

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


ISO_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")  # a date a table cell holds; a year stays as it is
PREVIEW = 40  # characters of a table cell an appendix entry shows (the cell itself is one click away)


def preview(text: str) -> str:
    """A table cell's text as an appendix entry shows it: whole up to ``PREVIEW`` characters, else its start and "…"
    (a cell of a sentence or more made a row a page tall in the entry's narrow number column)."""
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1].rstrip() + "…"


# Rows beyond which a printed table may break across pages (its header repeated). Kept whole, a table of six rows
# whose cells wrap (addresses, scopes) left a third of the page before it empty; five rows or fewer fit the foot
# of most pages and stay together. Measured on both PDFs: 66 -> 65 and 72 -> 71 pages, one half-empty page fewer.
LONG_TABLE_ROWS = 5
LONG_WORD = 22  # characters beyond which a word of a table cell may be broken anywhere in print

# The links the Report itself writes: to a provenance entry (class "num") or, in the appendix, to a reference
# row's web page (class "source"). Text given to the Report is escaped except for these, and only for those
# the Report really made (``Report._issued``): markup in the data never passes for one.
OWN_LINK = re.compile(r'<a class="(?:num|source|data)" href="[^"<>]*">[^<>]*</a>')
# A source line is words a reader reads ("the articles' figures and INSEE's consumer price index"); a file of the
# study or of its code ("data/processed/comparison.csv", "evidence.py") is only the data link's target.
FILE_PATH = re.compile(r"[\w.-]+/[\w./-]*\.(?:csv|py|json|yaml|txt)\b|\b[\w-]+\.(?:csv|py)\b")
# Where the published data files are, seen from the report's page (report/NAME.html beside data/ and figures/).
DATA_ROOT = "../"
# Natures a sentence must name to quote: a plan or a funding need is never money paid, so a sentence that does
# not say which it states is refused (``Report.quote``'s ``natures``).
SAID_ONLY_AS_WHAT_THEY_ARE = frozenset({"plan", "funding_need"})
FIGURES_TABLE = "data/processed/figures.csv"  # a quoted number read from here is an article's figure
REFERENCE_TABLE = "data/processed/external_figures.csv"  # and from here a cited reference row
FULL_URL = re.compile(r"https?://[^\s<>\"'`]+")
# A Python format spec the report uses: grouping, decimals, and f / % / d ("{:,.0f} €", "{:.1%}").
SPEC = re.compile(r"(?P<grouping>,)?(?:\.(?P<decimals>\d+))?(?P<kind>[fd%]?)")


def readable_number(value: float, formats: Formats | None = None, significant: int | None = None) -> str:
    """Large numbers without decimals, small ones with two, years as they are; in the edition's format.
    ``significant``: a computed number shows no more digits than that (an amount deflated from "287 millions"
    is not known to the euro)."""
    formats = formats or Formats("en")
    if pd.isna(value):
        return MISSING
    if significant:
        value = significant_figures(float(value), significant)
    if float(value).is_integer() and 1900 <= value <= 2100:
        return formats.number(value, grouping=False)
    return formats.number(value, 0 if abs(value) >= 100 else 2)


def split_format(fmt: str) -> tuple[str, str, str]:
    """(text before, spec, text after) of a one-field format string: "{:,.0f} €" -> ("", ",.0f", " €")."""
    before, spec, after, fields = "", None, "", 0
    for literal, field, field_spec, conversion in string.Formatter().parse(fmt):
        if spec is None:
            before += literal
        else:
            after += literal
        if field is not None:
            if field not in ("", "0") or conversion:
                raise ValueError(f"format {fmt!r}: one plain field such as '{{:,.0f}}' expected")
            spec, fields = field_spec or "", fields + 1
    if fields != 1:
        raise ValueError(f"format {fmt!r}: exactly one field expected, found {fields}")
    return before, spec, after


def format_number(value: float, fmt: str, formats: Formats) -> str:
    """``value`` as ``fmt`` asks (grouping, decimals, %, text around it), written the edition's way.

    ``fmt`` is a Python format string ("{:,.0f}", "{:.0%}", "{:.1f}", "{:,.0f} €", "{:,.0f} Mbit/s"): its
    spec says what to show, babel says how the locale writes it ("2 140 €" / "€2,140", "67 %" / "67%",
    "11,4" / "11.4"). A "€" beside the number makes it an amount in euros; other text stays around the
    number, joined by a no-break space so that a unit never starts a line.
    """
    if value is None or pd.isna(value):
        return MISSING
    before, spec, after = split_format(fmt)
    found = SPEC.fullmatch(spec)
    if found is None:
        raise ValueError(f"format {fmt!r}: the report formats only grouping, decimals and f, d or %")
    kind = found["kind"]
    decimals = 0 if kind == "d" else int(found["decimals"] or (6 if kind == "f" else 0))
    if not kind and found["decimals"] is None and not float(value).is_integer():
        decimals = 2  # "{:,}" of a fraction: two decimals, as readable_number
    if kind == "%":
        text = formats.share(value, decimals)
    elif {before.strip(), after.strip()} == {"€", ""}:
        return formats.euros(value, decimals)
    else:
        text = formats.number(value, decimals, grouping=bool(found["grouping"]))
    if before:
        before = before[:-1] + "\u00a0" if before.endswith(" ") else before
    if after:
        after = "\u00a0" + after[1:] if after.startswith(" ") else after
    return f"{before}{text}{after}"


def fullness(number: str) -> tuple[int, int]:
    """How fully a number's text writes it: its digits, then its length ("€287,000,000" over "287", "17.7" over
    "18", "11 September 2020" over "2020")."""
    return sum(c.isdigit() for c in number), len(number)


@dataclass(frozen=True)
class Provenance:
    """One entry of the provenance appendix. ``what``, ``source`` and ``words`` are text, except for the links
    the Report made itself (to other entries, or a reference's web page), which the appendix shows as links."""

    number: str
    what: str
    source: str
    words: str
    source_class: str = ""  # official / independent press / interested party's claim / computed / assumption


@dataclass(frozen=True)
class EntryGroup:
    """Entries of quoted numbers alike but for their subject (the share, plugs and dwellings of each of 91
    départements), shown in a table of their own in the appendix: one row per subject, one column per measure,
    each cell the entry itself (anchored ``number-K``), and what the column's numbers are and where they come
    from said once, under the table. ``pattern`` matches a quoted key with the named groups ``row`` (the subject)
    and ``column`` (the measure); ``columns`` holds each measure's header, in the order shown; ``rows`` each
    subject's label, in the order shown; ``row_header`` the first column's header."""

    table: str
    pattern: str
    columns: Mapping[str, str]
    rows: Mapping[str, str]
    row_header: str
    caption: str


ROW_SENTINEL = "\x00row\x00"  # stands for a row's subject in a column's generic filter, then put in words


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
        publishers: pd.DataFrame | None = None,
    ):
        # The edition: its words (the 'report' catalog) and its number formats.
        self.lang = lang
        self._ = Translator(lang, "report")
        self.formats = Formats(lang)
        self.words = DataText(
            lang
        )  # the data's own words (a reference row's name, a source), in the edition's language
        self.figures = figures.set_index("figure_id")
        # The class of each figure's and reference row's source, when known (evidence.csv).
        self.classes = (
            {} if evidence is None else dict(zip(evidence["evidence_id"], evidence["source_class"], strict=True))
        )
        # How each figure and reference row states its number (unit, qualifier), so a sentence says it so.
        self.stated = {} if evidence is None else {r["evidence_id"]: r for r in evidence.to_dict("records")}
        self.sources = sources.set_index("article")
        self.external = external
        # Who publishes each cited source (reference_source_classes.csv: source_contains, who), so prose names a
        # reference row's outlet by its title ("La Dépêche du Midi"), not its web address.
        self.publishers = publishers
        # Declared up front, so prose can cite "Figure 3" before the figure appears.
        self.figure_numbers = {key: n for n, key in enumerate(figure_keys, start=1)}
        self.table_numbers = {key: n for n, key in enumerate(table_keys, start=1)}
        self.ledger: list[Provenance] = []
        # Each entry's number K by what it records (``_entry``): its source, the source's words and the datum.
        self._entry_numbers: dict[tuple[str, str, object], int] = {}
        self._whats: dict[int, list[str]] = {}  # every description of entry K (a number quoted as several things)
        self._issued: set[str] = set()  # every link this Report wrote (OWN_LINK), the only markup it keeps
        self._key_entries: dict[str, int] = {}  # the entry of each quoted key (several keys may share one)
        self.groups: list[EntryGroup] = []  # entries shown in tables of their own (``group_entries``)
        # An initiative's short name by its id, for the entries' words (the report sets it: r.names = names).
        self.names: dict[str, str] = {}

    # --- words and markup ---------------------------------------------------------------------------------

    def class_words(self, source_class: str) -> str:
        """A source's class as the edition's reader reads it (one wording, the analyses': ``class_label``)."""
        from divide_study.analysis.evidence import class_label

        return self._("computed") if source_class == "computed" else class_label(source_class, self.lang)

    def markup(self, text: str) -> str:
        """``text`` escaped for HTML, except the links this Report made (numbers passed into a caption, an
        entry's inputs): those stay links. Markup from anywhere else is shown as text."""
        pieces, cursor = [], 0
        for found in OWN_LINK.finditer(text):
            if found.group(0) not in self._issued:
                continue
            pieces += [html.escape(text[cursor : found.start()]), found.group(0)]
            cursor = found.end()
        pieces.append(html.escape(text[cursor:]))
        return "".join(pieces)

    def plain(self, text: str) -> str:
        """``text`` with this Report's links replaced by their text (for an image's alt text)."""
        return OWN_LINK.sub(
            lambda m: html.unescape(re.sub(r"<[^>]+>", "", m.group(0))) if m.group(0) in self._issued else m.group(0),
            text,
        )

    def _web_link(self, source: str) -> str:
        """A reference's source as a link to its web page when it is a full URL; otherwise the text as it is."""
        if not FULL_URL.fullmatch(source):
            return source
        url = html.escape(source)
        link = f'<a class="source" href="{url}">{url}</a>'
        self._issued.add(link)
        return link

    # --- numbers ------------------------------------------------------------------------------------------

    def format_number(self, value: float, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """``value * scale`` formatted for the edition, not recorded (use the methods below for the report)."""
        return format_number(value * scale, fmt, self.formats)

    def _entry(
        self, number: str, what: str, source: str, words: str = "", source_class: str = "", datum: object = None
    ) -> int:
        """Record an entry, once per number: its number K.

        A number is its source, the source's words and ``datum``: what the number is in that source (its value,
        or the figure or row it is the date of), whatever the text writes it as ("€287,000,000", "287" beside
        "M€") and whatever the sentence calls it. A number quoted again, however written or described, is the
        same entry: its descriptions are listed once each, and it shows its fullest writing (most digits, then
        longest). Without a ``datum`` a number is also what it is called and how it is written. A date a source
        gives (``("as_of", day)``, ``("published", article)``) is one entry whatever words introduce it."""
        if isinstance(datum, tuple) and datum[:1] in (("as_of",), ("published",)):
            key: tuple[str, str, object] = (source, "", datum)
        else:
            key = (source, words, datum if datum is not None else (what, number))
        found = self._entry_numbers.get(key)
        if found is None:
            self.ledger.append(Provenance(number, what, source, words, self.class_words(source_class)))
            self._entry_numbers[key] = found = len(self.ledger)
            self._whats[found] = [what]
            return found
        entry = self.ledger[found - 1]
        if what not in self._whats[found]:
            self._whats[found].append(what)
            joined = self._whats[found][0]
            for other in self._whats[found][1:]:
                joined = self._("{first}; {second}").format(first=joined, second=other)
            entry = replace(entry, what=joined)
        if fullness(number) > fullness(entry.number):
            entry = replace(entry, number=number)
        if not entry.words and words:
            entry = replace(entry, words=words)
        if not entry.source_class and source_class:
            entry = replace(entry, source_class=self.class_words(source_class))
        self.ledger[found - 1] = entry
        return found

    def _words_entry(self, label: str, position: int, cells: list[tuple[str, str]], numbers: list[str]) -> int:
        """The entry of a table row's words that hold digits (labels of its choice, scope or source): what they
        name is the row's numbers, each linked to its own entry."""
        _ = self._
        named = ", ".join(_("“{column}”").format(column=column) for column, _text in cells)
        what = _.ngettext(
            "{table}, row {row}, the words of column {columns}",
            "{table}, row {row}, the words of columns {columns}",
            len(cells),
        ).format(table=label, row=position, columns=named)
        shown = " · ".join(preview(text) for _c, text in cells)
        return self._entry(
            shown,
            what,
            _("the study's words for the numbers of its row"),
            _("the numbers they name: {inputs}").format(inputs=", ".join(numbers)),
            "",
            ("shown", shown),  # the same words naming the same numbers, in another row: one entry
        )

    def _cell_entry(
        self, label: str, position: int, column: str, text: str, item: str, natures_said: bool = False
    ) -> int:
        """The entry of a table cell that names its number (a key, an evidence id, or a link this Report made):
        that number's own entry; a cell showing several (a span of years: items joined by ';') gets an entry of
        its own linking each. A plan or a need is shown only where ``natures_said`` (a column says what each
        row's amount is)."""
        if item in self._issued:
            parts = [item]
        elif item.startswith("<a "):  # links joined by ';': split between them (a link's text may hold '&#40;')
            parts = re.findall(r"<a [^>]*>.*?</a>", item)
        else:
            parts = [part for part in item.split(";") if part]
        if len(parts) == 1:
            return self._entry_of(self.input_link(parts[0], natures_said))
        links = [self.input_link(part, natures_said) for part in parts]
        for link in links:
            self._entry_of(link)  # each a number of this report
        return self._entry(
            preview(text),  # the cell whole is one click away; the numbers it shows are listed beside
            self._("{table}, row {row}, column “{column}”").format(table=label, row=position, column=column),
            self._("computed by the study"),
            self._("the numbers it shows: {inputs}").format(inputs=", ".join(links)),
            "computed",
            ("shown", text),  # the same numbers shown alike in another cell: one entry
        )

    def _entry_of(self, link: str) -> int:
        """The entry a link this Report made points to."""
        found = re.search(r'href="#number-(\d+)"', link)
        if link not in self._issued or found is None:
            raise StudyError(f"{link!r} is no number of this report: a table cell names a key no step publishes")
        return int(found.group(1))

    def _link(self, entry: int, text: str) -> str:
        # The link's text by the one rule for what a reader sees (``esc``), not only HTML's: a link goes into
        # Markdown prose too, where a label's "![p](http://…)" inside it became a live remote image (issue 23).
        link = f'<a class="num" href="#number-{entry}">{esc(text)}</a>'
        self._issued.add(link)
        return link

    def _record(
        self,
        number: str,
        what: str,
        source: str,
        words: str = "",
        source_class: str = "",
        datum: object = None,
        shown: str | None = None,
    ) -> str:
        """Record an entry (``_entry``) and return the number as a link to it; ``shown``: how the text writes it
        when that is not the entry's own writing ("23" beside "millions d'euros" for the entry's "23 000 000 €")."""
        return self._link(self._entry(number, what, source, words, source_class, datum), shown or number)

    def _written(self, evidence_id: str, value: float, fmt: str, scale: float) -> tuple[str, str | None]:
        """(the entry's writing, the text's) of a figure quoted with ``fmt`` and ``scale``: a figure the text writes
        in millions ("23" beside "million euros") has its entry say it whole, with its unit ("€23,000,000"), since
        the appendix shows the number without the sentence around it."""
        if scale == 1.0:
            return self.format_number(value, fmt, scale), None
        return self.format_number(value, self._natural_format(evidence_id)), self.format_number(value, fmt, scale)

    def _cited(self, source: str) -> str:
        """A reference row's source: a link when it is a full URL, else its words in the edition's language."""
        if source.startswith(("http://", "https://")):
            return self._web_link(source)
        return self._web_link(self.words(source, "external_figures.csv", "source"))

    def named(self, text: str, what: str, source: str, words: str = "") -> str:
        """A name that holds figures ("initial budget (2014) / homes targeted by phase 1": a choice of the
        sensitivity analysis), linked like a number to an entry saying what it names and where it comes from."""
        return self._record(text, what, source, words)

    def article(self, article: str) -> str:
        """'"Title" (outlet, date), file NNN_x.txt' for citations."""
        row = self.sources.loc[article]
        if row["published"]:
            date = self.formats.date(row["published"])
        else:
            date = self._("{earliest} to {latest}").format(
                earliest=self.formats.date(row["published_earliest"]),
                latest=self.formats.date(row["published_latest"]),
            )
        if row["outlet"]:
            return self._("“{title}” ({outlet}, {date}), file {file}").format(
                title=row["title"], outlet=row["outlet"], date=date, file=row["source"]
            )
        return self._("“{title}” ({date}), file {file}").format(title=row["title"], date=date, file=row["source"])

    def published(self, article: str, year_only: bool = False) -> str:
        """When an article was published, as the edition writes dates (its year alone with ``year_only``; an
        article dated only within a window gives the window's end), recorded with the article as its source."""
        row = self.sources.loc[article]
        day = str(row["published"] or row["published_latest"])
        if row["published"]:
            words = self._("date of publication")
        else:
            words = self._("dated only within a window, from {earliest} to {latest}; see the table of sources").format(
                earliest=self.formats.date(row["published_earliest"]), latest=self.formats.date(row["published_latest"])
            )
        return self._record(
            day[:4] if year_only else self.formats.date(day),
            self._("date of publication of article {article}").format(article=article),
            self._article_source(article),
            words,
            datum=("published", article),
        )

    def _article_source(self, article: str) -> str:
        return self._("article {article}: {citation}").format(article=article, citation=self.article(article))

    def fig(self, figure_id: str, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """A figure stated in an article, formatted; recorded with its article and verbatim span."""
        row = self.figures.loc[figure_id]
        what = self._("{metric} ({initiative}, {as_of})").format(
            metric=self._label("metric", row["metric"]),
            initiative=self._initiative(row["initiative"]),
            as_of=self.formats.date(str(row["as_of"])),
        )
        number, shown = self._written(figure_id, float(row["value"]), fmt, scale)
        return self._record(
            number,
            what,
            self._article_source(row["article"]),
            self._("“{words}” (characters {start}–{end})").format(
                words=row["span"], start=row["start"], end=row["end"]
            ),
            self.classes.get(figure_id, ""),
            ("value", float(row["value"])),
            shown,
        )

    def date_of(self, figure_id: str) -> str:
        """The date a figure refers to, as prose ("March 2019", "mars 2019"; a year alone as it is), recorded
        like a number."""
        row = self.figures.loc[figure_id]
        return self._record(
            self.formats.date(str(row["as_of"])[:7]),
            self._("date of {metric}").format(metric=self._label("metric", row["metric"])),
            self._article_source(row["article"]),
            self._("date inferred, see the table of sources"),
            datum=("as_of", str(row["as_of"])),
        )

    def as_of(self, evidence_id: str) -> str:
        """The date an article figure or a reference row speaks for, as the edition writes dates ("juillet
        2023"), recorded like a number: its entry links the figure it dates."""
        if evidence_id in self.figures.index:
            row = self.figures.loc[evidence_id]
            date, source = str(row["as_of"]), self._article_source(row["article"])
        else:
            date = evidence_id.split("|")[2]
            row = self._reference_row(evidence_id)
            source = self._("reference data: {source}").format(source=self._cited(str(row["source"])))
        what = self._("date of {figure}").format(figure=self.input_link(evidence_id))
        return self._record(self.formats.date(date), what, source, datum=("as_of", str(date)))

    def dated(self, value: str, what: str, source: str, words: str = "") -> str:
        """A date read from a processed table ("2026-01-28", "2023-07", "2022"), as the edition writes it
        ("28 January 2026", "juillet 2023", "2022"), recorded with where it comes from (``source``: the file and
        row; ``words``: how it was read) and returned as a link to its entry."""
        return self._record(self.formats.date(str(value)), what, source, words)

    def ref(self, topic: str, figure: str, as_of: str | None = None, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """A figure of the cited reference data, formatted; recorded with its source (a link when it is a full
        URL) and quote."""
        if as_of is not None:
            row = self._reference_row(f"{topic}|{figure}|{as_of}")
        else:
            rows = self._external_of(topic, figure)
            if len(rows) != 1:
                raise KeyError(f"expected one reference row for {topic!r} / {figure!r}, found {len(rows)}")
            row = rows.iloc[0]
        number, shown = self._written(f"{topic}|{figure}|{row['as_of']}", float(row["value"]), fmt, scale)
        # A row whose value is a year ends its words on "by": the year is the entry's number, and the row's own date
        # is when it was stated ("fibre everywhere by (2023)" read as a deadline of 2023).
        if row.get("unit") != "year":
            what = self._("{figure} ({as_of})")
        elif len(str(row["as_of"])) == 10:  # a day: "stated on 24 April 2019", "énoncé le 24 avril 2019"
            what = self._("{figure} … (stated on {as_of})")
        else:
            what = self._("{figure} … (stated in {as_of})")
        return self._record(
            number,
            what.format(
                figure=self.words(figure, "external_figures.csv", "figure"), as_of=self.formats.date(str(row["as_of"]))
            ),
            self._("reference data: {source}").format(source=self._cited(str(row["source"]))),
            self._("“{words}”").format(words=row["quote"]),
            self.classes.get(f"{topic}|{figure}|{row['as_of']}", ""),
            ("value", float(row["value"])),
            shown,
        )

    def site_of(self, evidence_id: str) -> str:
        """Who gives a figure, as a reader names it, escaped: an article figure's outlet, or a reference row's
        publisher ('topic|figure|as_of': "Hit Radio", by reference_source_classes.csv; its site, "hit-radio.fr",
        where no row names it). Text, not a number (the figure's entry cites it)."""
        if evidence_id in self.figures.index:
            outlet = str(self.sources.loc[self.figures.loc[evidence_id, "article"], "outlet"] or "")
            if not outlet:
                raise StudyError(f"sources.csv: the article of figure {evidence_id!r} names no outlet")
            return html.escape(outlet)
        if evidence_id.count("|") != 2:
            raise StudyError(
                f"no article figure or reference row {evidence_id!r} (a reference row is topic|figure|as_of)"
            )
        source = str(self._reference_row(evidence_id)["source"])
        publisher = None if self.publishers is None else reference_class(source, self.publishers)
        if publisher is not None:
            return html.escape(self.words(str(publisher["who"]), "reference_source_classes.csv", "who"))
        return html.escape(site_name(source))

    def stated_as(self, evidence_id: str) -> tuple[str, str]:
        """(unit, qualifier) of an article figure or a reference row, as evidence.csv holds them."""
        if evidence_id not in self.stated:
            raise StudyError(f"evidence.csv has no row {evidence_id!r}")
        row = self.stated[evidence_id]
        return str(row["unit"]), str(row["qualifier"] or "exact")

    def evidence(self, evidence_id: str, fmt: str = "{:,.0f}", scale: float = 1.0) -> str:
        """An article figure (by its id) or a reference row (by 'topic|figure|as_of'), recorded as above."""
        if evidence_id in self.figures.index:
            return self.fig(evidence_id, fmt, scale)
        topic, figure, as_of = evidence_id.split("|")
        return self.ref(topic, figure, as_of, fmt, scale)

    def _natural_format(self, evidence_id: str) -> str:
        """How a figure reads without a format from the prose: shares as %, euros as €, counts grouped."""
        known = evidence_id in self.figures.index
        row = self.figures.loc[evidence_id] if known else self._reference_row(evidence_id)
        unit = str(row.get("unit", ""))
        value = float(row["value"])
        if unit == "share":
            return "{:.0%}"
        if unit == "year":  # a year is never grouped ("2019", not "2,019")
            return "{:.0f}"
        decimals = "0" if value.is_integer() or abs(value) >= 100 else "2"
        return f"{{:,.{decimals}f}} €" if unit == "EUR" else f"{{:,.{decimals}f}}"

    def input_link(self, item: str, natures_said: bool = True) -> str:
        """One input of a computation: a number this Report returned stays the link it is; an evidence id (an
        article figure's id or 'topic|figure|as_of') becomes a link to its own entry; anything else is text.

        A link to an entry may name a plan or a need (its entry quotes the source's words); where the link is
        shown as a value in a table, ``natures_said=False`` unless a column of the table says what each is."""
        if item in self._issued:
            return item
        quoted = getattr(self, "quoted", None)
        if quoted is not None and item in quoted.index and item not in self.figures.index:
            return self.quote(item, natures=NATURES if natures_said else None)
        known = item in self.figures.index
        if not known and item.count("|") == 2:
            topic, figure, as_of = item.split("|")
            rows = self._external_of(topic, figure)
            known = bool(len(rows) and (rows["as_of"] == as_of).any())
        return self.evidence(item, self._natural_format(item)) if known else item

    def _external_of(self, topic: str, figure: str) -> pd.DataFrame:
        """The reference rows of one topic and figure (their index kept). Looked up for each number that cites
        them, hundreds per edition: the table is grouped once."""
        external = self.external
        cached = self.__dict__.get("_external_groups")
        if cached is None or cached[0] is not external:
            groups = dict(list(external.groupby(["topic", "figure"], sort=False))) if len(external) else {}
            cached = self.__dict__["_external_groups"] = (external, groups)
        return cached[1].get((topic, figure), external.iloc[0:0])

    def _reference_row(self, evidence_id: str) -> pd.Series:
        """The one reference row 'topic|figure|as_of' names. A figure reported several times (70 % eligible in
        2022 on the Département's site, 83 % in 2024 in the press) has a source for each date, so whatever cites
        one of them (its value, its date, its publisher) cites that row, never the figure's first row."""
        topic, figure, as_of = evidence_id.split("|")
        rows = self._external_of(topic, figure)
        rows = rows[rows["as_of"].astype(str) == as_of]
        if len(rows) != 1:
            raise StudyError(f"external_figures.csv: expected one reference row {evidence_id!r}, found {len(rows)}")
        return rows.iloc[0]

    def _with_inputs(self, basis: str, inputs: Iterable[str]) -> str:
        links = [self.input_link(str(item)) for item in inputs if str(item)]
        if not links:
            return basis
        return self._("{basis}; inputs: {inputs}").format(basis=basis, inputs=", ".join(links))

    def computed(
        self,
        value: float,
        what: str,
        basis: str,
        fmt: str = "{:,.0f}",
        inputs: Iterable[str] = (),
        datum: object = None,
    ) -> str:
        """A number the study computed, recorded with how (``basis``) and from what (``inputs``: numbers this
        Report returned, or evidence ids; each becomes a link to its own entry). The same value computed the same
        way from the same inputs is one entry, whatever it is called (``datum``: the value, by default)."""
        words = self._with_inputs(basis, inputs)
        datum = ("value", value) if datum is None else datum
        return self._record(
            self.format_number(value, fmt), what, self._("computed by the study"), words, "computed", datum
        )

    def date(self, value: str, what: str, basis: str) -> str:
        """A date the study read from its results (ISO), as the edition writes dates, recorded with how."""
        return self._record(self.formats.date(value), what, self._("computed by the study"), basis, "computed")

    def assumed(self, value: float, what: str, basis: str, fmt: str = "{:,.0f}", datum: object = None) -> str:
        """A value the study assumes (the sources give none), recorded as an assumption; ``datum`` names the
        declaration (its file, row and column) when one value is quoted under several names."""
        return self._record(
            self.format_number(value, fmt), what, self._("assumption of the study"), basis, "assumption", datum
        )

    def _label(self, kind: str, code: str) -> str:
        labels = getattr(self, "labels", None)
        found = labels.get(kind, code) if labels is not None else None
        return found or code.replace("_", " ")

    def _initiative(self, code: str) -> str:
        """An initiative's short name (``self.names``, set by the report) or its code in words."""
        return self.names.get(code) or code.replace("_", " ")

    def compared(
        self, comparison: pd.DataFrame, initiative: str, name: str, fmt: str = "{:,.0f}", column: str = "value_constant"
    ) -> str:
        """A number of the comparison table, recorded with its row of comparison.csv and its inputs, each a link
        to its own entry."""
        value = metric(comparison, initiative, name, column)
        rows = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == name)]
        row = rows.iloc[0]
        names = {"metric": self._label("metric", name), "initiative": self._initiative(initiative)}
        if column == "value_constant":
            what = self._("{metric} of {initiative}, constant {year} euros").format(**names, year=row["base_year"])
        else:
            what = self._("{metric} of {initiative}").format(**names)
        basis = self._("data/processed/comparison.csv, line {line}").format(line=int(rows.index[0]) + 2)
        ids = str(row.get("input_ids", "") or "")
        inputs = (
            [i for i in ids.split(";") if i]
            if ids and ids != "nan"
            else [self.words(str(row["inputs"]), "comparison.csv", "inputs")]
        )
        return self.computed(value, what, basis, fmt, inputs)

    # --- quoted numbers: rows published by the analysis steps ------------------------------------------------

    def _quoted_row(self, key: str) -> pd.Series:
        quoted = getattr(self, "quoted", None)
        if quoted is None or key not in quoted.index:
            raise StudyError(
                f"the report quotes {key!r}, which no analysis step publishes (data/processed/quoted_*.csv)"
            )
        # A row is looked up again for each place it is quoted and each number that names it as an input
        # (about 9,000 lookups per edition): each key's row is taken from the table once (read only after).
        cached = self.__dict__.get("_quoted_rows")
        if cached is None or cached[0] is not quoted:
            cached = self.__dict__["_quoted_rows"] = (quoted, {})
        rows = cached[1]
        if key not in rows:
            rows[key] = quoted.loc[key]
        return rows[key]

    def _quoted_what(self, row: pd.Series) -> str:
        """What a quoted number is, in the edition's words, with the initiative it is about."""
        what = str(self.words(row["what"], self._quoted_file(row["key"]), "what"))
        if row["subject"]:
            return self._("{what} ({initiative})").format(what=what, initiative=self._initiative(row["subject"]))
        return what

    @staticmethod
    def _quoted_file(key: str) -> str:
        return f"quoted_{key.split('.', 1)[0]}.csv"

    def _operation(self, row: pd.Series) -> str:
        """How a computed number was computed, in the edition's words."""
        words = self._operation_words()
        if row["operation"] == "count_rows" and not row["source_row"]:
            words = {**words, "count_rows": self._("its number of rows")}
        choice = self.choice_words(row["scope"]) if row["operation"] == "recompute" else ""
        where = self.filter_words(row["source_row"]) if row["operation"] in ROW_OPERATIONS else ""
        return words[row["operation"]].format(choice=choice, column=row["source_column"], filter=where)

    def _operation_words(self) -> dict[str, str]:
        """The words of each operation in the edition (translated once per report, not once per number)."""
        cached = self.__dict__.get("_operation_words_cache")
        if cached is not None:
            return cached
        _ = self._
        words = {
            "add": _("computed by the study: the sum of its inputs"),
            "divide": _("computed by the study: the first input divided by the others"),
            "multiply": _("computed by the study: the product of its inputs"),
            "difference": _("computed by the study: the first input less the second"),
            "relative_gap": _("computed by the study: how far the first input is from the second, as a share of it"),
            "min": _("computed by the study: the lowest of its inputs"),
            "max": _("computed by the study: the highest of its inputs"),
            "count": _("computed by the study: a count of its inputs"),
            "per_year": _("computed by the study: the second input less the first, per year between their dates"),
            "years_inclusive": _("computed by the study: the years from the first input to the second, both counted"),
            "median": _("computed by the study: the median of its inputs"),
            "deflate": _(
                "computed by the study: brought to constant euros of the base year along the spending profile "
                "(INSEE consumer price index)"
            ),
            "recompute": _("computed by the study: recomputed with one choice moved ({choice}), the others central"),
            "scenario": _(
                "computed by the study: recomputed under a scenario (its choices are its inputs), the others central"
            ),
            # Read from a primary file's rows: the entry's source names the file, these words the rows and column.
            "sum_rows": _("the sum of column “{column}” over its rows where {filter}"),
            "count_rows": _("the number of its rows where {filter}"),
            "rank": _(
                "computed by the study: the place of the first input among all its inputs, highest first (equal "
                "values share the higher place)"
            ),
        }
        self.__dict__["_operation_words_cache"] = words
        return words

    def filter_words(self, where: str) -> str:
        """The rows a filter of a primary file selects (``analysis.quoted.select_rows``), in the edition's words."""
        _ = self._

        def term(column: str, value: str, negated: bool) -> str:
            if value == NONE:
                text = _("“{column}” holds something") if negated else _("“{column}” holds nothing (“-”, empty or 0)")
                return text.format(column=column)
            if value.endswith("*") and "*" not in value[:-1]:
                text = (
                    _("“{column}” does not start with “{value}”") if negated else _("“{column}” starts with “{value}”")
                )
                return text.format(column=column, value=value[:-1])
            if value.startswith("*") and "*" not in value[1:]:
                text = _("“{column}” does not end with “{value}”") if negated else _("“{column}” ends with “{value}”")
                return text.format(column=column, value=value[1:])
            text = _("“{column}” is not “{value}”") if negated else _("“{column}” is “{value}”")
            return text.format(column=column, value=value)

        own: list[str] = []
        joined: dict[str, list[str]] = {}
        for other, column, value, negated in filter_terms(where):
            (joined.setdefault(other, []) if other else own).append(term(column, value, negated))
        parts = [self.formats.join(own)] if own else []
        for other, terms in joined.items():
            file, by = joined_file(other)
            parts.append(
                _("in the row of {file} with the same “{by}”, {terms}").format(
                    file=file, by=by, terms=self.formats.join(terms)
                )
            )
        text = parts[0] if parts else ""
        for part in parts[1:]:
            text = _("{first}; {second}").format(first=text, second=part)
        return text

    def choice_words(self, choice: str) -> str:
        """A choice of the sensitivity analysis in words (the report sets ``choice_words`` to its labels')."""
        return choice

    def quote(
        self,
        key: str,
        fmt: str | None = None,
        scale: float = 1.0,
        *,
        unit: str | Iterable[str] | None = None,
        natures: Iterable[str] | None = None,
        shown: str | None = None,
        input_formats: Mapping[str, str] | None = None,
    ) -> str:
        """A number an analysis step published (``data/processed/quoted_*.csv``), by its key: formatted for the
        edition and linked to its entry, which follows the row's references down to the article's words, the
        reference row, the study's assumption, or the computation with each input linked in turn.

        A sentence says what it can state: ``unit`` (the units its words fit) and ``natures`` (stated, lower
        bound, plan, claim…). A number of another unit or nature is refused, never printed as something else.
        ``shown`` is the text of a date the edition writes otherwise than as a date (ARCEP's quarter, "Q1 2018");
        ``input_formats``, how its inputs (and theirs) are written, by unit, when not as ``UNITS`` says (shares
        ranked to a tenth of a percent): the appendix then lists each once, as the text quotes it.
        """
        link = self._quote_link(key, fmt, scale, unit=unit, natures=natures, shown=shown, input_formats=input_formats)
        self._key_entries[key] = self._entry_of(link)
        return link

    def _quote_link(
        self,
        key: str,
        fmt: str | None,
        scale: float,
        *,
        unit: str | Iterable[str] | None,
        natures: Iterable[str] | None,
        shown: str | None,
        input_formats: Mapping[str, str] | None,
    ) -> str:
        """``quote``'s link, made by the path its row's source takes."""
        row = self._quoted_row(key)
        units = {unit} if isinstance(unit, str) else set(unit or ())
        if units and row["unit"] not in units:
            raise StudyError(
                f"{self._quoted_file(key)}, row [key={key}], column 'unit': the sentence states this number in "
                f"{sorted(units)}, but it is in {row['unit']!r}; write a sentence that fits it"
            )
        if natures is None and row["nature"] in SAID_ONLY_AS_WHAT_THEY_ARE:
            raise StudyError(
                f"{self._quoted_file(key)}, row [key={key}], column 'nature': this number is a "
                f"{row['nature']!r}, not money paid; the sentence must say so (natures=[{row['nature']!r}])"
            )
        if natures is not None and row["nature"] not in set(natures):
            raise StudyError(
                f"{self._quoted_file(key)}, row [key={key}], column 'nature': the sentence states this number as "
                f"{sorted(set(natures))}, but it is {row['nature']!r}; write a sentence that fits it"
            )
        table, column = row["source_table"], row["source_column"]
        pairs = parse_row_key(row["source_row"]) if row["source_row"] else {}
        if row["unit"] == "date" or column == "as_of":
            return self._quoted_date(row, table, pairs, fmt, shown)
        if row["operation"] in ROW_OPERATIONS:  # summed or counted over the rows of a primary file
            return self._record(
                self.format_number(float(row["value"]) * scale, fmt or UNITS[row["unit"]]),
                self._quoted_what(row),
                self._("reference data: {file}").format(file=table),
                self._operation(row),
                "computed",
                ("value", float(row["value"])),
            )
        fmt = fmt or UNITS[row["unit"]]
        if table == FIGURES_TABLE and column == "value":
            return self.fig(pairs["figure_id"], fmt, scale)
        if table == REFERENCE_TABLE and column == "value":
            return self.ref(pairs["topic"], pairs["figure"], pairs["as_of"], fmt, scale)
        value = float(row["value"]) * scale
        if row["nature"] == "assumption":  # where it is declared: a parameter, or measures.csv's assumed values
            where = self._("a choice of the study, declared in {file}").format(file=table)
            if table.startswith("params/scenarios/"):
                where = self._("a choice of a scenario, declared in {file}").format(file=table)
            declared = ("assumption", table, str(row["source_row"]), str(column), float(row["value"]))
            return self.assumed(value, self._quoted_what(row), where, fmt, declared)
        if row["operation"]:
            formats = dict(input_formats or {})
            inputs = [
                # An input is a link to its entry, which quotes its source's words: a plan may be one.
                self.quote(k, formats.get(self._quoted_row(k)["unit"]), natures=NATURES, input_formats=formats)
                for k in str(row["inputs"]).split(";")
                if k
            ]
            datum = ("value", float(row["value"]))  # unscaled: the same number written in millions or in full
            return self.computed(value, self._quoted_what(row), self._operation(row), fmt, inputs, datum)
        if is_primary(table):  # a cell of a cited reference file, copied unchanged into data/raw/reference
            return self._record(
                self.format_number(value, fmt),
                self._quoted_what(row),
                self._("reference data: {file}").format(file=table),
                self._cell_words(pairs, column),
                self.class_words("official"),
                ("value", float(row["value"])),
            )
        raise StudyError(f"{self._quoted_file(key)}, row [key={key}]: no primary source and no inputs to follow")

    def reference_cell(
        self, text: str, what: str, table: str, row: int, column: str, source_class: str = "official"
    ) -> str:
        """Words of a cited reference table's cell that hold numbers ("85% Gers Numérique, 15% Orange"), as the
        cell says them, linked like a number to the file, row (data rows counted from 1) and column they stand in;
        ``source_class`` is the class of whoever the cell's words come from."""
        return self._record(
            text,
            what,
            self._("reference data: {file}").format(file=table),
            self._cell_words({"row": str(row)}, column),
            source_class,
            ("cell", row, column, text),  # the same cell's words, whatever the sentence calls them: one entry
        )

    def _cell_words(self, pairs: dict[str, str], column: str) -> str:
        """Where in a reference file a number stands: its row (data rows counted from 1) or key, and column."""
        if set(pairs) == {"row"}:
            # The file's own line beside the data row, so a reader opening the file lands on it (the header is
            # line 1).
            return self._("row {row} (line {line}), column “{column}”").format(
                row=pairs["row"], line=int(pairs["row"]) + 1, column=column
            )
        if set(pairs) == {"line"}:  # a column's heading (ARCEP's quarter), on the file's header line
            return self._("heading of column “{column}” (line {line})").format(line=pairs["line"], column=column)
        # An entry of a JSON file, by its key ("FR-32"): its field is named by what the number is.
        return self._("entry {where}").format(where=", ".join(pairs.values()))

    def bounding_choice(self, key: str) -> str:
        """The choice that gives a lowest or highest quoted number (``min``/``max`` of recomputed values): its
        name in words (``choice_words``), linked to an entry that links the number it gives."""
        row = self._quoted_row(key)
        for item in str(row["inputs"]).split(";"):
            given = self._quoted_row(item)
            if np.isclose(float(given["value"]), float(row["value"])):
                return self._record(
                    self.choice_words(given["scope"]),
                    self._("the choice that gives {what}").format(what=self._quoted_what(row)),
                    self._("computed by the study"),
                    self._("the number it gives: {number}").format(number=self.quote(item)),
                    "computed",
                )
        raise StudyError(f"{self._quoted_file(key)}, row [key={key}]: no input gives its value")

    def _quoted_date(
        self, row: pd.Series, table: str, pairs: dict[str, str], fmt: str | None, shown: str | None = None
    ) -> str:
        """A date (or the year of one) a quoted row read from a figure's or a reference row's ``as_of``, or from a
        reference file's cell (a column's heading: ARCEP's quarter); ``shown``, its text if not the date's."""
        text = (
            self.formats.date(str(row["date"]))
            if row["unit"] == "date"
            else self.format_number(row["value"], fmt or "{:.0f}")
        )
        text = shown if shown is not None else text
        # The date itself (a year is the year of it): the same date, as a date or as its year, is one entry.
        day = str(row["date"]) if row["unit"] == "date" else str(row["value"])
        cell = (table, str(row["source_row"]), str(row["source_column"]), day)
        if row["nature"] == "assumption":  # a date the study reads in a source's words, declared in its file
            return self._record(
                text,
                self._quoted_what(row),
                self._("assumption of the study"),
                self._("a choice of the study, declared in {file}").format(file=table),
                "assumption",
                ("assumption", *cell),
            )
        if table not in (FIGURES_TABLE, REFERENCE_TABLE):  # a date of a cited reference file's row
            return self._record(
                text,
                self._quoted_what(row),
                self._("reference data: {file}").format(file=table),
                self._cell_words(pairs, row["source_column"]),
                datum=("date", *cell),
            )
        if table == FIGURES_TABLE:
            evidence_id = pairs["figure_id"]
            source = self._article_source(self.figures.loc[evidence_id, "article"])
            day = str(self.figures.loc[evidence_id, "as_of"])
        else:
            evidence_id = "|".join((pairs["topic"], pairs["figure"], pairs["as_of"]))
            source = self._("reference data: {source}").format(
                source=self._cited(str(self._reference_row(evidence_id)["source"]))
            )
            day = pairs["as_of"]
        # What the date is (the quoted row's words), and the figure it is the date of, linked to its own entry.
        figure = self._("the date its source gives for {figure}").format(figure=self.input_link(evidence_id))
        return self._record(text, self._quoted_what(row), source, figure, datum=("as_of", day))

    # --- figures and tables -------------------------------------------------------------------------------

    def figure_label(self, key: str) -> str:
        return self._("Figure {n}").format(n=self.figure_numbers[key])

    def table_label(self, key: str) -> str:
        return self._("Table {n}").format(n=self.table_numbers[key])

    def figure_ref(self, key: str) -> str:
        """'Figure 3', as a link to the figure."""
        return f'<a class="xref" href="#figure-{self.figure_numbers[key]}">{self.figure_label(key)}</a>'

    def table_ref(self, key: str) -> str:
        """'Table 3', as a link to the table."""
        return f'<a class="xref" href="#table-{self.table_numbers[key]}">{self.table_label(key)}</a>'

    def figure(self, key: str, png: Path, caption: str, source: str) -> str:
        """A numbered figure, its image embedded, with caption and source line. Numbers this Report returned
        stay links in the caption (and plain text in the image's alt text); everything else is escaped."""
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        label = self.figure_label(key)
        alt = html.escape(f"{label}: {self.plain(caption)}")
        # The data behind a chart is one CSV for every edition's drawing of it (name.csv beside name.fr.png).
        behind = self.data_link(f"figures/{png.name.split('.')[0]}.csv", self._("the chart's data (CSV)"))
        line = self._("Source: {source}").format(source=self._source_words(source))
        return (
            f'<figure class="study-figure" id="figure-{self.figure_numbers[key]}">'
            f'<img src="data:image/png;base64,{data}" alt="{alt}">'
            f"<figcaption><strong>{html.escape(label)}.</strong> {self.markup(caption)}"
            f'<span class="source">{self.markup(line)}{self._data_words(behind)}</span>'
            "</figcaption></figure>"
        )

    def data_link(self, file: str, text: str) -> str:
        """A link for analysts to a published data file (``file``, relative to the project: "figures/x.csv"),
        its visible text words (``text``), never the file's name."""
        link = f'<a class="data" href="{html.escape(DATA_ROOT + file)}">{esc(text)}</a>'
        self._issued.add(link)
        return link

    def _data_words(self, link: str) -> str:
        """The words ". Data: <link>" (HTML) after a source line, in a span of its own: a screen shows it, paper
        does not (a link to a file means nothing on paper)."""
        words = html.escape(self._("Data: {data}")).format(data=link)
        return f'<span class="data-link">. {words}</span>'

    @staticmethod
    def _source_words(source: str) -> str:
        """A figure's or table's source as given, refused when it names a file: a reader reads words there."""
        found = FILE_PATH.search(source)
        if found is not None:
            raise StudyError(
                f"source line {source!r} names the file {found.group(0)!r}: say the source in words, and give the "
                "file as the data link (table's data= or file=)"
            )
        return source

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

    def _cell_text(self, value: object, fmt: str | Callable | None) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return MISSING
        numeric = isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)
        if callable(fmt):
            return str(fmt(value))
        if fmt is not None and numeric:
            return self.format_number(value, fmt)
        if numeric:
            return readable_number(value, self.formats)
        if isinstance(value, str) and ISO_MONTH_OR_DAY.fullmatch(value):
            return self.formats.date(value)  # "2023-07" -> "July 2023", "juillet 2023"
        return str(value)

    def _row_evidence(self, frame: pd.DataFrame, evidence: str | pd.Series | None) -> pd.Series | None:
        if isinstance(evidence, str):
            return frame[evidence]
        if evidence is not None:
            return evidence
        for column in ("evidence_id", "evidence_ids"):
            if column in frame.columns:
                return frame[column]
        return None

    def _row_entry(
        self,
        cells: list[tuple[str, str]],
        label: str,
        position: int,
        index: object,
        origin: str,
        data: str | None,
        ids: str,
    ) -> int:
        """The entry of a table row's numbers (``cells``: (column, text) of each cell holding one): the table,
        row and columns, the processed file's line it comes from (when ``data`` says which file the rows are),
        and the row's evidence entries. One entry per row, not per cell: the row's cells share their source,
        and the appendix stays a list a reader can read (and print)."""
        _ = self._
        columns = ", ".join(_("“{column}”").format(column=column) for column, _text in cells)
        what = _.ngettext("{table}, row {row}, column {columns}", "{table}, row {row}, columns {columns}", len(cells))
        what = what.format(table=label, row=position, columns=columns)
        if data is not None and isinstance(index, numbers.Integral):
            source = _("{file}, line {line}").format(file=data, line=int(index) + 2)
        else:
            source = origin
        links = [self.input_link(i) for i in str(ids).split(";") if i and i != "nan"]
        words = _("evidence of the row: {inputs}").format(inputs=", ".join(links)) if links else ""
        # The entry names the row's numbers; a long cell (a sentence holding numbers) is shown by its start.
        shown = " · ".join(preview(text) for _c, text in cells)
        return self._entry(shown, what, source, words)

    def table(
        self,
        key: str,
        frame: pd.DataFrame,
        caption: str,
        source: str,
        formats: dict[str, str] | None = None,
        data: str | None = None,
        evidence: str | pd.Series | None = None,
        cells: pd.DataFrame | None = None,
        words: Iterable[str] | pd.DataFrame = (),
        natures_in: str | None = None,
        file: str | None = None,
    ) -> str:
        """A numbered static HTML table (pandas Styler), scrollable on narrow screens.

        ``source`` says in words where the table's numbers come from (no file name: refused); ``file`` (by
        default ``data``) is the published file it shows, linked under it for analysts.

        ``natures_in`` names the column whose words say what each row's amount is (planned, a funding need...):
        only then may a cell show a plan or a need (``quote``'s rule for sentences, applied to cells).

        ``cells`` (on the frame's index, some of its columns) names the number each cell shows: a quoted
        number's key or an evidence id. Such a cell links to that number's own entry, which walks down to its
        primary source; ``words`` names columns that hold words, not numbers (a label, an address), linked to
        nothing even when they hold digits (or, as a frame of booleans like ``cells``, such cells one by one).
        Any other cell holding a number is linked to its row's entry as below.

        Numeric columns without a format get one by magnitude and are right-aligned; every number is written
        the edition's way. Every cell holding a number or a date (any digit) is a link to its row's provenance
        entry, naming the table, row and columns; ``data`` names the processed file whose rows the frame's index
        numbers (then the entry gives the file's line), and ``evidence`` (a column of ``frame``, or a series
        on its index; by default its ``evidence_id``/``evidence_ids`` column) the row's evidence ids, linked
        from the entry to their own entries. The provenance frame (``provenance()``) is shown as the
        appendix instead: each row carries its entry's anchor, and its cells link to nothing new.

        ``links`` (the frame's index and columns) gives a cell its own link, one this Report made (``quote``):
        the cell shows it instead of linking its row's entry, and must read as the cell itself would.

        Every cell and column header is HTML-escaped (cells and headers come from data: an initiative's name
        heads a column of the models table); the only markup added is the Report's own links, after escaping.
        """
        if frame.attrs.get("provenance"):
            return self._provenance_table(key, frame, caption, source)
        ids = self._row_evidence(frame, evidence)
        original = list(frame.columns)
        frame, formats = self._for_readers(frame, formats or {})
        headers = dict(zip(original, frame.columns, strict=True))  # a column's code -> its header as shown
        word_cells = words if isinstance(words, pd.DataFrame) else pd.DataFrame(index=frame.index)
        word_columns = () if isinstance(words, pd.DataFrame) else tuple(words)
        given = {*(cells.columns if cells is not None else ()), *word_columns, *word_cells.columns}
        given |= {natures_in} if natures_in else set()
        unknown = sorted(given - set(original))
        if unknown:
            raise StudyError(f"table {key!r}: cells or words name columns it does not have: {unknown}")
        named = (cells if cells is not None else pd.DataFrame(index=frame.index)).rename(columns=headers)
        word_cells = word_cells.rename(columns=headers)
        plain_columns = {headers[c] for c in word_columns}

        def in_words(index: object, column: str) -> bool:
            if column in plain_columns:
                return True
            return column in word_cells.columns and index in word_cells.index and bool(word_cells.at[index, column])

        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool]
        label = self.table_label(key)
        shown = pd.DataFrame(index=frame.index, columns=frame.columns, dtype=object)
        # Row by row, so that the appendix lists a table's entries in reading order.
        for position, index in enumerate(frame.index, start=1):
            texts = [self._cell_text(frame.iat[position - 1, j], formats.get(c)) for j, c in enumerate(frame.columns)]
            own = {}  # the cells that name their own number: each links that number's entry
            for j, column in enumerate(frame.columns):
                item = named.at[index, column] if column in named.columns and index in named.index else ""
                if texts[j] != MISSING and isinstance(item, str) and item:
                    own[j] = self._cell_entry(label, position, column, texts[j], item, natures_in is not None)
            linked = [
                j
                for j, (column, text) in enumerate(zip(frame.columns, texts, strict=True))
                if j not in own
                and not in_words(index, column)
                and text != MISSING
                and (column in numeric or any(c.isdigit() for c in text))
            ]
            row_ids = "" if ids is None else ids.get(index, "")
            if linked:
                cells = [(str(frame.columns[j]), texts[j]) for j in linked]
                entry = self._row_entry(cells, label, position, index, source, data, row_ids)
            # Words that hold digits (a label "spent by July 2023", an address) are no numbers of their own: they
            # link to one entry of the row's words, which links each number of the row.
            worded = [
                j
                for j, column in enumerate(frame.columns)
                if j not in own and j not in linked and in_words(index, column) and any(c.isdigit() for c in texts[j])
            ]
            if worded:
                numbers = [self._link(own[k], texts[k]) for k in sorted(own)]
                numbers += [self.input_link(i) for i in str(row_ids).split(";") if i and i != "nan"]
                if not numbers:  # words with no number to name: the row's entry, as for any other cell
                    cells = [(str(frame.columns[j]), texts[j]) for j in worded]
                    words_entry = self._row_entry(cells, label, position, index, source, data, row_ids)
                else:
                    words_entry = self._words_entry(
                        label, position, [(frame.columns[j], texts[j]) for j in worded], numbers
                    )
            for j, text in enumerate(texts):
                if j in own:
                    shown.iat[position - 1, j] = self._link(own[j], text)
                elif j in worded:
                    shown.iat[position - 1, j] = self._link(words_entry, text)
                else:
                    shown.iat[position - 1, j] = self._link(entry, text) if j in linked else html.escape(text)
        return self._render(key, frame, shown, numeric, caption, source, file=file or data)

    def _render(
        self,
        key: str,
        frame: pd.DataFrame,
        shown: pd.DataFrame,
        numeric: list,
        caption: str,
        source: str,
        row_ids: list[str] | None = None,
        block_class: str = "",
        notes: Iterable[str] = (),
        file: str | None = None,
    ) -> str:
        """The Styler HTML of ``shown`` (cells already escaped and linked), laid out after ``frame``; ``notes``
        (HTML) listed under the caption; ``file`` the published data file it shows, linked for analysts."""
        styler = shown.style.hide(axis="index").format_index(escape="html", axis=1)

        # Columns holding long unbroken words (URLs, file names, identifiers) may break them anywhere in print;
        # the others break between words only, so short columns are never squeezed letter by letter.
        def kind(column: str) -> str:
            if column in numeric:
                return "num"
            words = frame[column].astype(str).str.split().explode().dropna()
            return "long-words" if len(words) and words.str.len().max() > LONG_WORD else ""

        classes = pd.DataFrame({c: [kind(c)] * len(frame) for c in frame.columns}, frame.index)
        styler = styler.set_td_classes(classes)
        # Headers holding a word too long for any column (an identifier) may break anywhere; the others between words
        # only (a header of several words measured whole broke "comparables" as "comparab les").
        long_headers = [n for n, c in enumerate(frame.columns) if max(map(len, str(c).split()), default=0) > LONG_WORD]
        if long_headers:
            styler = styler.set_table_styles(
                [{"selector": f"th.col{n}", "props": [("overflow-wrap", "anywhere")]} for n in long_headers],
                overwrite=False,
            )
        # A fixed id instead of pandas' random one, so two builds give the same HTML.
        styler = styler.set_table_attributes('class="study-table"').set_uuid(f"table{self.table_numbers[key]}")
        rendered = styler.to_html()
        if row_ids is not None:  # each row's anchor, in order (Styler writes no id on a row)
            head, tbody, body = rendered.partition("<tbody>")
            rows = iter(row_ids)
            body = re.sub(r"<tr>", lambda _: f'<tr id="{html.escape(next(rows))}">', body)
            rendered = head + tbody + body
        label = self.table_label(key)
        # In print, a table kept whole unless it is longer than a page (then it breaks between rows).
        block = "study-table-block long" if len(frame) > LONG_TABLE_ROWS else "study-table-block"
        block = f"{block} {block_class}" if block_class else block
        line = self.markup(self._("Source: {source}").format(source=self._source_words(source)))
        if file:
            line += self._data_words(self.data_link(file.removeprefix("./"), self._("the table's data (CSV)")))
        items = "".join(f"<li>{note}</li>" for note in notes)
        listed = f'<ul class="column-notes">{items}</ul>' if items else ""
        head = f'<p class="table-caption"><strong>{html.escape(label)}.</strong> {self.markup(caption)}</p>'
        if listed:
            # A table whose columns each say their source: its source line closes those notes, above the rows, so
            # in print it can never fall alone onto the page after a long table.
            return (
                f'<div class="{block}" id="table-{self.table_numbers[key]}">{head}{listed}'
                f'<p class="source">{line}</p><div class="table-wrap">{rendered}</div></div>'
            )
        return (
            f'<div class="{block}" id="table-{self.table_numbers[key]}">{head}'
            f'<div class="table-wrap">{rendered}</div><p class="source">{line}</p></div>'
        )

    def provenance(self) -> pd.DataFrame:
        """Every number quoted so far, with where it comes from; ``entry`` is the number K of its anchor
        ``number-K``. Give it to ``table`` to show it as the appendix. The entries of a group (``group_entries``)
        are not in it: ``grouped_tables`` shows them."""
        grouped = self._grouped()
        frame = pd.DataFrame(
            [
                {
                    "entry": n,
                    "number": e.number,
                    "what": e.what,
                    "source": e.source,
                    "class": e.source_class,
                    "words": e.words,
                }
                for n, e in enumerate(self.ledger, start=1)
                if n not in grouped  # shown in its group's table (``grouped_tables``)
            ],
            columns=["entry", "number", "what", "source", "class", "words"],
        )
        frame.attrs["provenance"] = True
        return frame

    def source_order(self, source: str) -> tuple[int, str]:
        """Where a source's entries stand in the appendix: the articles first (in their order), then each cited
        reference (a web page or a file, alphabetically), the study's assumptions, and what the study computed or
        named (which links the entries above)."""
        _ = self._
        plain = html.unescape(re.sub(r"<[^>]+>", "", source))
        kinds = (
            _("article {article}: {citation}").split("{")[0],
            _("reference data: {source}").split("{")[0],
            _("assumption of the study"),
        )
        for rank, prefix in enumerate(kinds):
            if plain.startswith(prefix):
                return rank, plain.casefold()
        return len(kinds), ""  # the study's own: in the order the text quotes them

    def _provenance_table(self, key: str, frame: pd.DataFrame, caption: str, source: str) -> str:
        """The provenance appendix, by primary source: under a heading row for each source (an article, a cited
        reference, the study's assumptions, its computations), a row for each of its entries, anchored
        ``number-K``: the number, what it is (and the class of its source), and the source's words or the
        computation. Each number is one entry (``_entry``); the links an entry holds (its inputs, a reference's
        web page) are kept, everything else escaped. One table, its header repeated on every printed page."""
        _ = self._
        headers = [_("entry"), _("number"), _("what"), _("words or computation")]
        groups: dict[str, list[dict]] = {}
        for record in frame.to_dict("records"):
            groups.setdefault(record["source"], []).append(record)
        order = sorted(groups, key=lambda s: (*self.source_order(s), groups[s][0]["entry"]))
        head = "".join(
            f'<th class="col_heading level0 col{n}" scope="col">{html.escape(h)}</th>' for n, h in enumerate(headers)
        )
        body = []
        for g, origin in enumerate(order, start=1):
            body.append(
                f'<tbody class="source-group"><tr class="source-row" id="source-{g}">'
                f'<th class="source-heading" colspan="4" scope="rowgroup">{self.markup(origin)}</th></tr>'
            )
            for e in groups[origin]:
                kind = f'<span class="entry-class">{html.escape(e["class"])}</span>' if e["class"] else ""
                body.append(
                    f'<tr id="number-{e["entry"]}">'
                    f'<td class="data col0 entry"><span class="entry-k">{e["entry"]}</span></td>'
                    f'<td class="data col1 number">{html.escape(e["number"])}</td>'
                    f'<td class="data col2 what">{self.markup(e["what"])}{kind}</td>'
                    f'<td class="data col3 words">{self.markup(e["words"])}</td></tr>'
                )
            body.append("</tbody>")
        table = (
            f'<table class="study-table provenance-table" id="T_table{self.table_numbers[key]}">'
            f"<thead><tr>{head}</tr></thead>{''.join(body)}</table>"
        )
        line = self.markup(_("Source: {source}").format(source=self._source_words(source)))
        return (
            f'<div class="study-table-block long provenance" id="table-{self.table_numbers[key]}">'
            f'<p class="table-caption"><strong>{html.escape(self.table_label(key))}.</strong> '
            f"{self.markup(caption)}</p>"
            f'<div class="table-wrap">{table}</div><p class="source">{line}</p></div>'
        )

    # --- entries shown by group ---------------------------------------------------------------------------

    def group_entries(self, group: EntryGroup) -> None:
        """Show the entries of the quoted numbers ``group`` matches in a table of their own (``EntryGroup``)."""
        self.groups.append(group)

    def _grouped(self) -> dict[int, tuple[EntryGroup, str, str, str]]:
        """Each grouped entry's group, row (its subject), column (its measure) and the key placing it there, by
        its entry number K."""
        # An entry several keys name (one share ending several windows) goes to the first column of them all.
        best: dict[int, tuple[int, int, EntryGroup, str, str, str]] = {}
        for key, entry in self._key_entries.items():
            for g, group in enumerate(self.groups):
                match = re.fullmatch(group.pattern, key)
                if match is None or match["column"] not in group.columns:
                    continue
                if match["row"] not in group.rows:
                    raise StudyError(
                        f"appendix table {group.table!r}: the quoted number {key!r} is of {match['row']!r}, a row "
                        "the table has no label for"
                    )
                at = list(group.columns).index(match["column"])
                place = (g, at, group, match["row"], match["column"], key)
                if entry not in best or place[:2] < best[entry][:2]:
                    best[entry] = place
                break
        return {entry: place[2:] for entry, place in best.items()}

    def grouped_tables(self) -> list[str]:
        """A table for each group of entries (``group_entries``) that holds any: one row per subject, one column
        per measure, each cell a number anchored as its entry, and under the caption what each column's numbers
        are and where they come from, said once (every number of a column must come alike, else it is refused)."""
        grouped = self._grouped()
        tables = []
        for group in self.groups:
            members = {n: (row, column) for n, (g, row, column, _key) in grouped.items() if g is group}
            if members:
                tables.append(self._group_table(group, members, grouped))
        return tables

    def _group_table(
        self,
        group: EntryGroup,
        members: dict[int, tuple[str, str]],
        grouped: dict[int, tuple[EntryGroup, str, str, str]],
    ) -> str:
        _ = self._
        columns = [c for c in group.columns if any(column == c for _row, column in members.values())]
        rows = [r for r in group.rows if any(row == r for row, _column in members.values())]
        cells: dict[tuple[str, str], str] = {}
        plain: dict[tuple[str, str], str] = {}
        notes = []
        for column in columns:
            entries = sorted((n, row) for n, (row, c) in members.items() if c == column)
            note, extra = self._column_note(group, column, entries, grouped)
            notes.append(f"<strong>{html.escape(group.columns[column])}</strong>: {note}")
            for n, row in entries:
                number = self.ledger[n - 1].number
                cells[(row, column)] = (
                    f'<span class="entry" id="number-{n}">{html.escape(number)}</span> '
                    f'<span class="entry-number">{n}{extra.get(n, "")}</span>'
                )
                plain[(row, column)] = number
        headers = [group.row_header, *(group.columns[c] for c in columns)]
        if len(set(headers)) < len(headers):
            raise StudyError(f"appendix table {group.table!r}: two of its columns have one header ({headers})")
        # Its source in words: the cited reference data (each column's note names its file) and the study's
        # computation.
        source = _("the cited reference data named under each column, and the study's computation")
        shown = pd.DataFrame(
            [[html.escape(group.rows[r]), *(cells.get((r, c), "") for c in columns)] for r in rows], columns=headers
        )
        laid_out = pd.DataFrame(
            [[group.rows[r], *(plain.get((r, c), "") for c in columns)] for r in rows], columns=headers
        )
        return self._render(
            group.table, laid_out, shown, [], group.caption, source, block_class="provenance-group", notes=notes
        )

    def _column_note(
        self,
        group: EntryGroup,
        column: str,
        entries: list[tuple[int, str]],
        grouped: dict[int, tuple[EntryGroup, str, str, str]],
    ) -> tuple[str, dict[int, str]]:
        """What the numbers of a group's column are and where they come from, said once (HTML); and each cell's
        own words (the raw row it is read from, or links to the entries it is computed from)."""
        _ = self._
        keys = {n: grouped[n][3] for n, _subject in entries}
        rows = [(n, subject, self._quoted_row(keys[n])) for n, subject in entries]
        first = rows[0][2]

        def alike(values: list[object], what: str) -> None:
            if len(set(values)) > 1:
                raise StudyError(
                    f"appendix table {group.table!r}, column {column!r}: its numbers differ in {what} "
                    f"({sorted(map(str, set(values)))[:3]}); a column holds numbers that come alike"
                )

        for field in ("operation", "source_table", "source_column", "unit", "nature"):
            alike([str(row[field]) for _n, _subject, row in rows], field)
        operation, table = str(first["operation"]), str(first["source_table"])
        extra: dict[int, str] = {}
        if operation in ROW_OPERATIONS:  # summed or counted over a primary file's rows: one filter, but its subject
            generic = [self._generic_filter(str(row["source_row"]), subject) for _n, subject, row in rows]
            alike(generic, "the rows they read")
            template = first.copy()
            template["source_row"] = generic[0]
            # The sentinel and the quotation marks around it ("“…”", "« … »") become the words for the row's code.
            words = re.sub(
                rf"\S?\s?{re.escape(ROW_SENTINEL)}\s?\S?", lambda _m: _("the row's code"), self._operation(template)
            )
            note = f"{html.escape(_('reference data: {file}').format(file=table))}; {html.escape(words)}"
            return note + f" ({html.escape(self.class_words('computed'))})", extra
        if operation:  # computed from numbers of the same row, each in a column of the table
            input_columns = []
            for n, subject, row in rows:
                own = []
                for key in (k for k in str(row["inputs"]).split(";") if k):
                    entry = self._key_entries.get(key)
                    place = grouped.get(entry) if entry is not None else None
                    if place is None or place[0] is not group or place[1] != subject:
                        raise StudyError(
                            f"appendix table {group.table!r}, column {column!r}: {keys[n]!r} is computed "
                            f"from {key!r}, which is not a number of its own row"
                        )
                    own.append(place[2])
                    extra[n] = extra.get(n, " ←") + f' <a class="input" href="#number-{entry}">{entry}</a>'
                input_columns.append(tuple(own))
            alike(input_columns, "the columns they are computed from")
            named = self.formats.join([_("“{name}”").format(name=group.columns[c]) for c in input_columns[0]])
            note = _("{how}; inputs: {columns} of its row").format(how=self._operation(first), columns=named)
            return html.escape(note), extra
        pairs = [parse_row_key(str(row["source_row"])) for _n, _subject, row in rows]
        if is_primary(table) and all(set(p) == {"row"} for p in pairs):  # a cell of a cited file: its row
            for (n, _subject, _row), p in zip(rows, pairs, strict=True):
                extra[n] = " · " + html.escape(_("row {row}").format(row=p["row"]))
            words = _("column “{column}”, in the row each cell names").format(column=first["source_column"])
            source_words = _("reference data: {file}").format(file=table)
            return html.escape(f"{source_words}; {words} ({self.class_words('official')})"), extra
        raise StudyError(
            f"appendix table {group.table!r}, column {column!r}: {keys[rows[0][0]]!r} is neither read "
            "from a primary file's rows nor computed from numbers of its row"
        )

    @staticmethod
    def _generic_filter(where: str, subject: str) -> str:
        """A filter with its subject's value (a département's code) in place of a sentinel, so that the filters of
        a column's numbers compare equal when they differ only in their subject."""
        pairs = parse_row_key(where)
        hits = [column for column, value in pairs.items() if value.lower() == subject.lower()]
        if len(hits) != 1:
            return where
        pairs[hits[0]] = ROW_SENTINEL
        return ";".join(f"{column}={value}" for column, value in pairs.items())
