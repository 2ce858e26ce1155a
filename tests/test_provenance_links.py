"""Every number a reader sees is one click from its source: in each edition of the built report, no digit of the
visible text stands outside an ``a.num`` link to its provenance entry, and every such link leads to an entry.

Exempt: a figure's or table's own numbering ("Figure 3", "Table 3", "Tableau 3"), the name of a network's phase
("phase 2", a name, not a quantity), the contents box, the
edition's stamp (parameters, data and code versions, in the colophon), the cover's line (the edition's date and its
state of knowledge), and the two appendices (the sources and the provenance of
every number), which are the sources themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from divide_study import config

# The editions a build may publish: the English report, and the French one when the build makes it.
EDITIONS = ("report.html", "rapport.html")
NUMBERING = re.compile(r"\b(?:Figure|Table|Tableau)[\s\u00a0]+\d+")
# Names that hold a digit without being a quantity: the phases of a network ("phase 2", "Phase-2 amounts").
NAMES = re.compile(r"\b[Pp]hase[\s\u00a0-]+\d\b")
DIGITS = re.compile(r"\d+")
# The contents box, the stamp block (the colophon's), the cover's line (the edition's date and the state of knowledge:
# dates of the edition, as the stamp's, not numbers of the study) and a scenario edition's warning.
EXEMPT_IDS = {"contents", "edition-stamp", "edition-date", "scenario-warning"}
APPENDIX_IDS = {"appendix-sources", "appendix-provenance"}  # from the first of them to the end: the sources
HIDDEN = {"style", "script", "title", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class BareNumber:
    digits: str
    section: str  # the last heading before it
    context: str  # the text around it

    def __str__(self) -> str:
        return f"{self.digits!r} in «{self.section}»: …{self.context}…"


@dataclass
class Walk:
    bare: list[BareNumber] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    hrefs: list[str] = field(default_factory=list)  # of every a.num

    @property
    def unresolved(self) -> list[str]:
        return [h for h in self.hrefs if not h.startswith("#") or h[1:] not in self.ids]


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.walk = Walk()
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is exempt)
        self.in_appendix = False
        self.section = "(start)"
        self.heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.walk.ids.add(values["id"])
            self.in_appendix |= values["id"] in APPENDIX_IDS
        is_number = tag == "a" and "num" in values.get("class", "").split()
        if is_number:
            self.walk.hrefs.append(values.get("href", ""))
        if tag in VOID:
            return
        exempt = is_number or tag in HIDDEN or values.get("id") in EXEMPT_IDS
        self.stack.append((tag, exempt))
        if tag in ("h1", "h2", "h3"):
            self.heading = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.walk.ids.add(values["id"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self.heading is not None:
            self.section = " ".join("".join(self.heading).replace("¶", "").split())
            self.heading = None
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        if self.in_appendix or any(exempt for _, exempt in self.stack):
            return
        text = NAMES.sub(lambda m: " " * len(m.group(0)), NUMBERING.sub(lambda m: " " * len(m.group(0)), data))
        for found in DIGITS.finditer(text):
            around = " ".join(data[max(0, found.start() - 40) : found.end() + 40].split())
            self.walk.bare.append(BareNumber(found.group(0), self.section, around))


def walk(page: str) -> Walk:
    """The digits of ``page``'s visible text outside ``a.num`` links (and outside the exempt parts), the ids
    of its elements and the targets of its ``a.num`` links."""
    walker = _Walker()
    walker.feed(page)
    walker.close()
    return walker.walk


# --- the walker, on tiny pages ----------------------------------------------------------------------------


def test_a_page_whose_numbers_are_all_links_passes():
    page = (
        "<html><head><title>Report 2026</title><style>p{margin:0 2px}</style></head><body>"
        '<p class="edition-stamp" id="edition-stamp">Parameters: default (ab12) · data 2026-12-02</p>'
        '<nav id="contents"><a href="#s">1 Section</a><span>Table 4</span></nav>'
        '<h2 id="s">Costs</h2><p>It cost <a class="num" href="#number-1">€2,140</a> a plug '
        '(<a class="xref" href="#table-1">Table 1</a>, Figure\u00a02, Tableau 3) in phase 2, or Phase-1.</p>'
        '<div id="table-1"><p><strong>Table 1.</strong> Costs</p><table><tr><td>'
        '<a class="num" href="#number-2">2003</a></td></tr></table></div><br/><img src="x.png" alt="Figure 9 in 2020">'
        '<h2 id="appendix-sources">Appendix A</h2><p>Article 000, 15 March 2019</p>'
        '<table><tr id="number-1"><td>1</td></tr><tr id="number-2"><td>2</td></tr></table></body></html>'
    )
    found = walk(page)
    assert found.bare == []
    assert found.hrefs == ["#number-1", "#number-2"] and found.unresolved == []


def test_a_typed_number_or_a_dangling_link_fails():
    page = (
        '<h2 id="s">Costs</h2><p>A network of 2003, built by <a class="num" href="#number-7">5</a> firms; '
        "<em>11,4</em> km; Table 3 and Tables 4; 2 phases.</p>"
        '<table><tr><td>x</td><td>2 140</td></tr></table><h2 id="appendix-provenance">B</h2><p id="number-1">1</p>'
    )
    found = walk(page)
    assert [(b.digits, b.section) for b in found.bare] == [
        ("2003", "Costs"),
        ("11", "Costs"),
        ("4", "Costs"),
        ("4", "Costs"),  # "Tables 4" is no figure's or table's numbering
        ("2", "Costs"),  # a count of phases is a quantity
        ("2", "Costs"),
        ("140", "Costs"),
    ]
    assert "A network of 2003, built by" in str(found.bare[0])
    assert found.unresolved == ["#number-7"]


# --- the built editions -----------------------------------------------------------------------------------


def built_editions() -> list:
    editions = [config.REPORT_DIR / name for name in EDITIONS if (config.REPORT_DIR / name).is_file()]
    if not editions:
        import os

        if os.environ.get("CI"):
            pytest.fail(f"CI builds the study before testing, yet {config.REPORT_DIR / EDITIONS[0]} is missing")
        pytest.skip("the report has not been built in this checkout (uv run study build)")
    return editions


def test_every_number_of_every_edition_links_to_its_source():
    failures = []
    for edition in built_editions():
        found = walk(edition.read_text(encoding="utf-8"))
        failures += [f"{edition.name}: {bare}" for bare in found.bare]
        failures += [f"{edition.name}: a.num to {href}, which is no element of the page" for href in found.unresolved]
        if not found.hrefs:
            failures.append(f"{edition.name}: no number links to its provenance at all")
    assert failures == [], f"{len(failures)} numbers outside the ledger:\n" + "\n".join(failures)
