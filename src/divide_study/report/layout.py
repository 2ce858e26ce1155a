"""The report's publication layout, made from its own HTML: a table of contents (sections, figures, tables) and
every "Figure N" / "Table N" of the text made a link to that figure or table.

Nothing here is typed: headings, figures and tables are read from the page nbconvert wrote, so the contents
follow the notebook. The output is a pure function of the input (no clock, no random ids).
"""

from __future__ import annotations

import functools
import html
import importlib.util
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from divide_study.errors import StudyError
from divide_study.i18n import Translator


def anchor(text: str) -> str:
    """An anchor a reader can read and type: ASCII, lower case, words joined by '-', accents transliterated
    ("Every département as context" -> "every-departement-as-context", never "every-d-partement-…")."""
    from slugify import slugify

    found = slugify(text)
    if not found:
        raise ValueError(f"{text!r} gives no anchor: a heading's anchor needs letters or digits")
    return found


def reference_pattern(lang: str = "en") -> tuple[re.Pattern[str], dict[str, str]]:
    """ "Figure 3" / "Table 3" in the edition's words ("Tableau 3"), and which kind each word names."""
    _ = Translator(lang, "report")
    kinds = {_("Figure"): "figure", _("Table"): "table"}
    words = "|".join(re.escape(word) for word in kinds)
    return re.compile(rf"\b({words})[\s\u00a0]+(\d+)\b"), kinds


# Text in these elements is never linked: links already, code and styles, the figure's or table's own label.
NO_LINK = {"a", "style", "script", "title", "textarea", "code", "pre"}


@dataclass
class Entry:
    kind: str  # "h2", "h3", "figure", "table"
    id: str
    text: str = ""


@dataclass
class _State:
    tag: str
    attrs: dict[str, str]
    entry: Entry | None = None
    label: bool = False  # the <strong>Figure 3.</strong> of a caption


@dataclass
class Page:
    entries: list[Entry] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    # (offset, raw text) of each text run where a reference may be linked
    texts: list[tuple[int, str]] = field(default_factory=list)
    first_section_cell: int | None = None  # the contents go before the cell of the first section heading


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    """Collects headings, figures, tables and ids, and the text runs outside links, with their offsets."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.page = Page()
        self.stack: list[_State] = []
        self.last_cell: int | None = None

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _open_entry(self) -> Entry | None:
        for state in reversed(self.stack):
            if state.entry is not None:
                return state.entry
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "div" and "jp-Cell" in classes:
            self.last_cell = self.position()
        entry = None
        if tag in ("h2", "h3") and values.get("id") and "toc-title" not in classes:
            entry = Entry(tag, values["id"])
            if tag == "h2" and self.page.first_section_cell is None:
                self.page.first_section_cell = self.last_cell
        elif tag == "figure" and "study-figure" in classes and values.get("id"):
            entry = Entry("figure", values["id"])
        elif tag == "div" and "study-table-block" in classes and values.get("id"):
            entry = Entry("table", values["id"])
        if entry is not None:
            self.page.entries.append(entry)
        parent = self.stack[-1] if self.stack else None
        label = (
            tag == "strong"
            and parent is not None
            and (parent.tag == "figcaption" or "table-caption" in parent.attrs.get("class", "").split())
        )
        if tag in VOID:
            return
        self.stack.append(_State(tag, values, entry, label))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.page.ids.add(values["id"])

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def _caption_text(self, data: str) -> None:
        entry = self._open_entry()
        if entry is None:
            return
        inside = {s.tag for s in self.stack}
        if entry.kind in ("h2", "h3"):
            wanted = not any("anchor-link" in s.attrs.get("class", "").split() for s in self.stack)  # not "¶"
        else:  # the caption, without its label ("Figure 3.") and its source line
            in_caption = any(
                s.tag == "figcaption" or "table-caption" in s.attrs.get("class", "").split() for s in self.stack
            )
            wanted = in_caption and "span" not in inside and not any(s.label for s in self.stack)
        if wanted:
            entry.text += data

    def handle_data(self, data: str) -> None:
        self._caption_text(data)
        if any(s.tag in NO_LINK or s.label for s in self.stack):
            return
        if any(c.isdigit() for c in data):  # a reference ("Figure 3") holds a number
            self.page.texts.append((self.position(), data))

    def handle_entityref(self, name: str) -> None:
        self._caption_text(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._caption_text(html.unescape(f"&#{name};"))


def read_page(source: str) -> Page:
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    return reader.page


def _clean(text: str) -> str:
    return " ".join(text.split())


# Where a caption's first clause ends: a comma, colon, semicolon or an opening bracket (French puts a space before
# the colon and semicolon: the no-break space of the edition, or a plain one).
CLAUSE_END = re.compile(r",\s|[\s\u00a0\u202f]?[:;]\s|\s\(|\.\s")
SHORT_TITLE = 18  # characters a short title has at least: "Quel modèle" alone says too little


# The width in points a short title has on its printed line, beside its label and page number: the lists print in
# DejaVu Sans at 7.5 points (the template's print style), the figures' column the narrower (1 : 1.25); measured on
# the French edition's PDF, whose labels ("Tableau 12") are the longer, less a margin.
TITLE_POINTS = {"figure": 150.0, "table": 200.0}
LIST_POINTS = 7.5


@functools.cache
def _list_font():
    """DejaVu Sans, the font the report prints in, as matplotlib ships it (a dependency: always there, the same
    metrics as Debian's fonts-dejavu-core that Chromium uses), at ten times the lists' size for precise widths."""
    from PIL import ImageFont

    spec = importlib.util.find_spec("matplotlib")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return ImageFont.truetype(str(folder / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"), int(LIST_POINTS * 10))


def printed_width(text: str) -> float:
    """The width in points of ``text`` printed in the lists of figures and tables."""
    return _list_font().getlength(text) / 10


def short_title(caption: str, room: float | None = None) -> str:
    """A caption's short title for the lists of figures and tables: its words up to the first clause that ends
    after ``SHORT_TITLE`` characters ("Coût par local desservi, en euros courants et constants." -> "Coût par local
    desservi"), whole words, never cut mid-word; a caption of one clause is itself, without its full stop. Wider
    than ``room`` points in print, it ends at the last whole word that fits with "…", never on a small word that
    leads into the rest ("the", "de", "par": lower-case, three letters at most)."""
    text = _clean(caption).rstrip(".")
    for end in CLAUSE_END.finditer(text):
        if end.start() >= SHORT_TITLE:
            text = text[: end.start()]
            break
    if room is None or printed_width(text) <= room:
        return text
    words = text.split(" ")
    while len(words) > 1 and printed_width(" ".join(words) + "…") > room:
        words.pop()
    while len(words) > 1 and len(words[-1]) <= 3 and words[-1].islower():
        words.pop()
    return " ".join(words).rstrip(",;:(\u00a0 ") + "…"


def table_of_contents(page: Page, lang: str = "en") -> str:
    """The contents as HTML: the sections (with their subsections), then the figures and the tables."""
    sections: list[str] = []
    open_sub = False
    for entry in page.entries:
        if entry.kind == "h2":
            if open_sub:
                sections.append("</ol></li>")
                open_sub = False
            elif sections:
                sections.append("</li>")
            sections.append(f'<li><a href="#{html.escape(entry.id)}">{html.escape(_clean(entry.text))}</a>')
        elif entry.kind == "h3" and sections:
            if not open_sub:
                sections.append("<ol>")
                open_sub = True
            sections.append(f'<li><a href="#{html.escape(entry.id)}">{html.escape(_clean(entry.text))}</a></li>')
    if sections:
        sections.append("</ol></li>" if open_sub else "</li>")

    def listing(kind: str, name: str) -> str:
        items = []
        seen: dict[str, str] = {}
        for entry in page.entries:
            if entry.kind == kind:
                number = entry.id.rsplit("-", 1)[-1]
                caption = short_title(entry.text, TITLE_POINTS[kind])
                # Two entries that read alike in the list ("How far each choice moves…" for two charts) send a
                # reader to either: the captions must say first what sets them apart.
                if caption in seen:
                    raise StudyError(
                        f"the list of {kind}s would show {seen[caption]} and {name} {number} alike ({caption!r}): "
                        "begin their captions with what sets them apart"
                    )
                seen[caption] = f"{name} {number}"
                items.append(
                    f'<li><a href="#{html.escape(entry.id)}"><span class="toc-label">{name} {html.escape(number)}'
                    f'</span> <span class="toc-caption">{html.escape(caption)}</span></a></li>'
                )
        return "".join(items)

    _ = Translator(lang, "report")
    figures, tables = listing("figure", _("Figure")), listing("table", _("Table"))
    contents = html.escape(_("Contents"))
    parts = [
        f'<nav class="toc" id="contents" aria-label="{contents}">',
        f'<h2 class="toc-title">{contents}</h2>',
        f'<ol class="toc-sections">{"".join(sections)}</ol>',
    ]
    if figures or tables:
        parts.append('<div class="toc-lists">')
        if figures:
            heading = html.escape(_("Figures"))
            parts.append(f'<div><p class="toc-heading">{heading}</p><ul class="toc-figures">{figures}</ul></div>')
        if tables:
            heading = html.escape(_("Tables"))
            parts.append(f'<div><p class="toc-heading">{heading}</p><ul class="toc-tables">{tables}</ul></div>')
        parts.append("</div>")
    parts.append("</nav>")
    return "".join(parts)


def link_references(source: str, page: Page, lang: str = "en") -> str:
    """Each "Figure N" / "Table N" of the text, outside links and labels, made a link to its figure or table."""
    reference, kinds = reference_pattern(lang)
    pieces, cursor = [], 0
    for start, text in page.texts:

        def link(match: re.Match[str]) -> str:
            target = f"{kinds[match.group(1)]}-{match.group(2)}"
            if target not in page.ids:
                return match.group(0)
            return f'<a class="xref" href="#{target}">{match.group(0)}</a>'

        pieces.append(source[cursor:start])
        pieces.append(reference.sub(link, text))
        cursor = start + len(text)
    pieces.append(source[cursor:])
    return "".join(pieces)


# --- numbers that show their source -----------------------------------------------------------------------

# The provenance appendix as the ledger writes it (``Report._provenance_table``): a group of rows per source,
# opened by the source's heading row, then a row per entry, anchored ``number-K``, its cells the entry, the
# number, what (and the class of its source) and the source's words or the computation.
SOURCE_GROUP = re.compile(r'<tr class="source-row"[^>]*><th[^>]*>(.*?)</th></tr>(.*?)</tbody>', re.S)
ENTRY_ROW = re.compile(r'<tr id="number-(\d+)">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
ENTRY_CLASS = re.compile(r'<span class="entry-class">.*?</span>', re.S)
NUMBER_LINK = re.compile(r'<a class="num" href="#number-(\d+)">')
GROUP_BLOCK = re.compile(r'<div class="study-table-block[^"]*provenance-group"(.*?)</table>', re.S)
GROUP_CAPTION = re.compile(r'<p class="table-caption">(.*?)</p>', re.S)
GROUP_ENTRY = re.compile(r'<span class="entry" id="number-(\d+)">')
POPUP = 280  # characters of a popup at most


def _plain(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())


def _cut(text: str, size: int = POPUP) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def appendix_rows(source: str) -> dict[int, tuple[str, str, str, str]]:
    """Each entry of the provenance appendix by its number K, as HTML: (number, what, source, words); what
    without the class of its source."""
    rows = {}
    for origin, group in SOURCE_GROUP.findall(source):
        for number, row in ENTRY_ROW.findall(group):
            cells = CELL.findall(row)
            if len(cells) == 4:
                rows[int(number)] = (cells[1], ENTRY_CLASS.sub("", cells[2]), origin, cells[3])
    return rows


# Where an entry's number K is written, in the page as the notebook made it (before ``trace_numbers``): a link
# or an anchor ("#number-K", id="number-K"), and the K a reader reads beside an entry or a grouped cell.
ENTRY_NUMBERS = re.compile(
    r'(?P<at>(?:href="#|id=")number-)(?P<k>\d+)(?P<close>")'
    r'|(?P<shown><span class="entry-(?:k|number)">)(?P<text>\d+)'
)


def renumber_entries(source: str) -> str:
    """The appendix's entries numbered 1, 2, 3… in the order it prints them (by source), so that a reader with a
    number's marker finds its entry by paging; every link, anchor and shown number K follows. A page whose links
    name an entry it does not hold is left as it is."""
    order: dict[int, int] = {}
    for found in re.finditer(r'id="number-(\d+)"', source):
        order.setdefault(int(found.group(1)), len(order) + 1)
    linked = {int(k) for k in re.findall(r'href="#number-(\d+)"', source)}
    if not order or not linked <= set(order) or all(k == n for k, n in order.items()):
        return source

    def new(match: re.Match[str]) -> str:
        if match["at"]:
            return f"{match['at']}{order[int(match['k'])]}{match['close']}"
        return f"{match['shown']}{order[int(match['text'])]}"

    # A link inside a shown K ('<a class="input" href="#number-K">K</a>') is renumbered once, as a whole.
    def link(match: re.Match[str]) -> str:
        return f'<a class="input" href="#number-{order[int(match[1])]}">{order[int(match[2])]}</a>'

    inputs = re.compile(r'<a class="input" href="#number-(\d+)">(\d+)</a>')
    pieces, cursor = [], 0
    for found in inputs.finditer(source):
        pieces += [ENTRY_NUMBERS.sub(new, source[cursor : found.start()]), link(found)]
        cursor = found.end()
    pieces.append(ENTRY_NUMBERS.sub(new, source[cursor:]))
    return "".join(pieces)


# The citations whose last clause only says where the study files its source: an article's file, the parameter
# file an assumption is declared in. A popup says who said it, when, and the words; the entry keeps the file.
FILED_IN = (
    "“{title}” ({date}), file {file}",
    "a choice of the study, declared in {file}",
    "a choice of a scenario, declared in {file}",
)


def filing_clauses(lang: str = "en") -> re.Pattern[str]:
    """The clauses ", file 004_x.txt" and ", declared in params/default.yaml" as the edition words them (from its
    catalogue: ", fichier …", ", déclaré dans …"), spaces as ``_plain`` leaves them."""
    _ = Translator(lang, "report")
    clauses = set()
    for template in FILED_IN:
        before = " ".join(_(template).split("{file}")[0].split())  # "… (1 May 2003), file"
        clauses.add(re.escape(before[before.rfind(",") :]))  # ", file"
    return re.compile(rf"(?:{'|'.join(sorted(clauses))}) [\w./-]+")


def popups(source: str, lang: str = "en") -> dict[int, str]:
    """Each appendix entry's source in a line, by its number K: for an entry that is its own primary source (an
    article and its verbatim words, a reference row and its quote, an assumption), that source and those words;
    for a computation or a table's row, what it is and the primary sources its inputs walk down to."""
    _ = Translator(lang, "report")
    filed = filing_clauses(lang)
    # Their words as ``_plain`` reads a cell (a no-break space is a space there).
    primary = tuple(
        " ".join(words.split()) + (" " if words.endswith((" ", "\u00a0")) else "")
        for words in (
            _("article {article}: {citation}").split("{")[0],
            _("reference data: {source}").split("{")[0],
            _("assumption of the study"),
        )
    )
    entries = {number: (what, origin, words) for number, (_n, what, origin, words) in appendix_rows(source).items()}
    # An entry shown in a table of every département's numbers: its source is that table's (its caption).
    grouped = {}
    for block in GROUP_BLOCK.findall(source):
        caption = GROUP_CAPTION.search(block)
        for number in GROUP_ENTRY.findall(block):
            grouped[int(number)] = _plain(caption.group(1)) if caption else ""
    lines: dict[int, str] = {}

    def primaries(k: int, seen: set[int]) -> list[str]:
        if k in grouped:
            return [grouped[k]]
        if k in seen or k not in entries:
            return []
        seen.add(k)
        what, origin, words = entries[k]
        if _plain(origin).startswith(primary):
            return [_plain(origin)]
        found: list[str] = []
        for link in NUMBER_LINK.findall(what + words):
            found += [f for f in primaries(int(link), seen) if f not in found]
        return found

    for k, cells in entries.items():
        what, origin, words = (_plain(cell) for cell in cells)
        if origin.startswith(primary):
            line = _("{what} — {source}: {words}").format(what=what, source=origin, words=words or "")
            line = line if words else line.rstrip(" :\u00a0\u202f")  # no words of its own: the source ends it
        else:
            found = primaries(k, set())
            sources = "; ".join(found[:3]) + ("; …" if len(found) > 3 else "")
            line = (
                _("{what} — from {sources}").format(what=what, sources=sources)
                if found
                else _("{what} — {source}: {words}").format(what=what, source=origin, words=words or "")
            )
        lines[k] = _cut(filed.sub("", line))
    return lines


def trace_numbers(source: str, lang: str = "en") -> str:
    """Every number link of the text shows its source on hover or focus (``data-source``: its entry in a line) and
    carries its entry's number for paper (``data-entry``); every place a number is quoted before the appendices
    gets an anchor (``quoted-K-N``), and its appendix entry links each place back (↩ 1, 2…)."""
    lines = popups(source, lang)
    appendix = source.find('id="appendix-sources"')
    appendix = len(source) if appendix == -1 else appendix
    places: dict[int, list[str]] = {}

    def mark(match: re.Match[str]) -> str:
        k = int(match.group(1))
        attributes = f' data-entry="{k}"'
        if k in lines:
            attributes += f' data-source="{html.escape(lines[k])}"'
        if match.start() < appendix:
            places.setdefault(k, []).append(f"quoted-{k}-{len(places.get(k, [])) + 1}")
            attributes = f' id="{places[k][-1]}"' + attributes
        return f'<a class="num" href="#number-{k}"{attributes}>'

    marked = NUMBER_LINK.sub(mark, source)
    _ = Translator(lang, "report")
    back = html.escape(_("back to where the text quotes it"))

    def backlinks(k: int) -> str:
        return "".join(
            f' <a class="back" href="#{place}" aria-label="{back}">↩{"" if len(places[k]) == 1 else n}</a>'
            for n, place in enumerate(places.get(k, []), start=1)
        )

    def entry_row(match: re.Match[str]) -> str:
        k = int(match.group(1))
        if k not in places:
            return match.group(0)
        row = match.group(0)
        first = row.index("</td>")
        return row[:first] + backlinks(k) + row[first:]

    return ENTRY_ROW.sub(entry_row, marked)


# French typesetting: a no-break space before a colon, semicolon, question or exclamation mark and inside « »,
# so none starts a line alone. Applied to the text between tags only (never to a tag, an attribute, a style, a
# script or code): the messages, the data's words and the study's joins all pass through it, so a space typed
# as a plain one anywhere still prints as the French page wants. ":" and "!" may be written as character references
# (the ledger's ``esc``).
_FRENCH_MARKS = r"(?:[:;!?»]|&#58;|&#33;|&#63;|&#59;)"
_SPACE_BEFORE_MARK = re.compile(rf"[ \t\n]+(?={_FRENCH_MARKS})")
# "2017: données" -> "2017 : données"; a character reference ("&nbsp;", "&#40;") is matched whole and kept.
_NO_SPACE_BEFORE_MARK = re.compile(r"(&#?\w+;)|(?<=[\w)»%€])([;:!?])(?=[ \n])")
_SPACE_AFTER_OPENING = re.compile(r"«[ \t\n]+")
_CLOSING_INLINE = re.compile(r"</(?:a|strong|em|b|i|span|sup)\s*>", re.I)
_MARK_AFTER_INLINE = re.compile(r"^([;:!?])(?=[ \n])")
_VERBATIM = re.compile(r"(<(style|script|code|pre)\b.*?</\2\s*>|<[^>]*>)", re.S | re.I)


def french_spacing(page: str) -> str:
    """``page`` (HTML) with French no-break spaces before ``: ; ! ?`` and ``»`` and after ``«`` in its text."""

    def text(part: str) -> str:
        part = _SPACE_BEFORE_MARK.sub("\u00a0", part)
        part = _NO_SPACE_BEFORE_MARK.sub(lambda m: m.group(1) or f"\u00a0{m.group(2)}", part)
        return _SPACE_AFTER_OPENING.sub("«\u00a0", part)

    out, at, after_inline = [], 0, False
    for verbatim in _VERBATIM.finditer(page):
        part = text(page[at : verbatim.start()])
        if after_inline:  # "<strong>T3 2017</strong>: données": the mark follows a word that a tag closed
            part = _MARK_AFTER_INLINE.sub("\u00a0\\1", part)
        out += [part, verbatim.group(0)]
        after_inline = bool(_CLOSING_INLINE.fullmatch(verbatim.group(0)))
        at = verbatim.end()
    last = text(page[at:])
    return "".join(out) + (_MARK_AFTER_INLINE.sub("\u00a0\\1", last) if after_inline else last)


def lay_out(source: str, lang: str = "en", cover: str = "") -> str:
    """The report with its contents filled in and its references linked, in the edition's words; ``cover`` (HTML:
    the edition's date and the link to the other edition) goes just before the contents, closing the cover. The
    French edition is set with French spacing (``french_spacing``)."""
    source = trace_numbers(renumber_entries(source), lang)
    page = read_page(source)
    linked = link_references(source, page, lang)
    laid = read_page(linked)
    at = laid.first_section_cell
    out = linked if at is None else f"{linked[:at]}{cover}{table_of_contents(laid, lang)}\n{linked[at:]}"
    # Last, so the contents, the references' words and the numbers' entries are set too.
    return french_spacing(out) if lang == "fr" else out
