"""The report's layout in each edition's words: contents and references read "Tableau 3" in French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from divide_study.report.layout import lay_out, reference_pattern

PAGE = (
    '<main><div class="jp-Cell"><h1>T</h1></div><div class="jp-Cell"><h2 id="s1">Un</h2>'
    "<p>Voir le Tableau 2 et la Figure 1 ; la Table 2 n'est pas un renvoi en français.</p>"
    '<figure class="study-figure" id="figure-1"><figcaption><strong>Figure 1.</strong> A</figcaption></figure>'
    '<div class="study-table-block" id="table-2"><p class="table-caption"><strong>Tableau 2.</strong> C</p>'
    "</div></div></main>"
)


def test_french_references_and_contents_use_french_words():
    laid = lay_out(PAGE, "fr")
    contents = laid[laid.index('<nav class="toc"') : laid.index("</nav>")]
    assert 'aria-label="Sommaire"' in contents and ">Sommaire</h2>" in contents
    assert '<span class="toc-label">Tableau 2</span> <span class="toc-caption">C</span></a>' in contents
    assert ">Tableaux</p>" in contents and ">Figures</p>" in contents
    assert '<a class="xref" href="#table-2">Tableau 2</a>' in laid
    assert '<a class="xref" href="#figure-1">Figure 1</a>' in laid
    assert "la Table 2 n'est pas" in laid  # an English word is no French reference


def test_reference_words_name_their_kind_in_each_language():
    pattern, kinds = reference_pattern("en")
    assert kinds == {"Figure": "figure", "Table": "table"} and pattern.search("see Table 4").group(2) == "4"
    pattern, kinds = reference_pattern("fr")
    assert (
        kinds == {"Figure": "figure", "Tableau": "table"} and pattern.search("voir le Tableau 4").group(1) == "Tableau"
    )


def test_anchors_are_ascii_with_accents_transliterated():
    from divide_study.report.layout import anchor

    assert anchor("Every département as context (ARCEP)") == "every-departement-as-context-arcep"
    assert anchor("Lessons for a département choosing a model") == "lessons-for-a-departement-choosing-a-model"
    assert anchor("Œuvre à Noël, 2ᵉ") == "oeuvre-a-noel-2e"
    with pytest.raises(ValueError, match="no anchor"):
        anchor("« ! »")


def test_numbers_show_their_primary_source_and_their_entries_link_back():
    """A number link carries its entry's source in a line (an article's words; for a computation, the primary
    sources its inputs walk down to) and its entry's number for paper; its entry links back to each place."""
    from divide_study.report.layout import trace_numbers

    def row(k, number, what, source, words):
        cells = "".join(f"<td>{c}</td>" for c in (k, number, what, source, "c", words))
        return f'<tr id="number-{k}">\n{cells}\n</tr>'

    page = (
        '<p>It cost <a class="num" href="#number-2">€2,140</a>, of <a class="num" href="#number-1">€5M</a>; '
        'again <a class="num" href="#number-2">€2,140</a>.</p><h2 id="appendix-sources">A</h2><table>'
        + row(1, "€5M", "investment", "article 002: “News &amp; Co” (1 May 2003), file b.txt", "“5 millions”")
        + row(2, "€2,140", "cost per plug", "computed by the study", 'inputs: <a class="num" href="#number-1">€5M</a>')
        + row(3, "7", "unquoted", "computed by the study", "")
        + "</table>"
    )
    traced = trace_numbers(page)
    assert traced == trace_numbers(page)  # the same page, the same bytes
    first = re.search(r'<a class="num" href="#number-2"([^>]*)>', traced).group(1)
    assert 'id="quoted-2-1"' in first and 'data-entry="2"' in first
    assert 'data-source="cost per plug — from article 002: “News &amp; Co” (1 May 2003), file b.txt"' in first
    assert 'data-source="investment — article 002: “News &amp; Co” (1 May 2003), file b.txt: “5 millions”"' in traced
    assert '<a class="back" href="#quoted-2-1"' in traced and '<a class="back" href="#quoted-2-2"' in traced
    assert '<a class="back" href="#quoted-1-1"' in traced
    assert 'href="#quoted-3' not in traced  # an entry no sentence quotes has no way back
    assert "quoted-1-2" not in traced  # the appendix's own links are no places of the text


def test_the_printed_contents_give_each_entry_its_page():
    """Each section, figure and table of the contents is found on the page that prints it (its heading's line,
    its caption's label), in reading order after the contents' own page, and its number added to its entry."""
    from divide_study.report.publish import contents_of, pages_of_contents, with_page_numbers

    page = (
        '<nav class="toc" id="contents"><ol><li><a href="#summary">Summary</a></li><li><a href="#costs">Costs'
        '</a></li></ol><ul><li><a href="#figure-1"><span class="toc-label">Figure 1</span> <span '
        'class="toc-caption">Cost</span></a></li><li><a href="#table-1">Table 1 Gone</a></li></ul></nav>'
        '<h2 id="summary">Summary</h2>'
    )
    contents = contents_of(page)
    assert contents == [
        ("summary", "Summary"),
        ("costs", "Costs"),
        ("figure-1", "Figure 1 Cost"),
        ("table-1", "Table 1 Gone"),
    ]
    printed = [
        "Contents\nSummary\nCosts\nFigure 1 Cost",  # the contents' page: never an entry's
        "Summary\nThe costs are said below.",
        "text\nFigure 1. Cost per plug.\nCosts",
    ]
    pages = pages_of_contents(printed, contents)
    assert pages == {"summary": 2, "costs": 3, "figure-1": 3}  # "costs" in a sentence is no heading; no Table 1
    numbered = with_page_numbers(page, pages)
    assert '<a href="#summary">Summary<span class="toc-page">2</span></a>' in numbered
    assert '<span class="toc-caption">Cost</span><span class="toc-page">3</span></a>' in numbered
    assert '<a href="#table-1">Table 1 Gone</a>' in numbered and numbered.endswith('<h2 id="summary">Summary</h2>')
    french = pages_of_contents(["", "Tableau 1. Coûts"], [("table-1", "Tableau 1 Coûts")], "fr")
    assert french == {"table-1": 2}


def test_the_cover_line_dates_the_edition_and_links_the_other_one():
    from divide_study.report.publish import cover_line

    stamp = {"released": "2026-12-02", "state": "2026-06-30"}
    line = cover_line(stamp, "fr", {"en": "report", "fr": "rapport"}, "rapport")
    assert line.startswith('<p class="cover-line" id="edition-date">Édition du 2 décembre 2026 · état des')
    assert '<a class="other-edition" href="report.html" hreflang="en" lang="en">This report in English</a>' in line
    english = cover_line({**stamp, "state": "<b>"}, "en", {"en": "report", "fr": "rapport"}, "report")
    assert "state of knowledge: unknown" in english and "<b>" not in english  # what is no date is said so
    assert 'href="rapport.html" hreflang="fr" lang="fr">Ce rapport en français</a>' in english


def test_a_heading_that_wraps_and_the_figures_after_the_last_section_still_get_their_page():
    from divide_study.report.publish import pages_of_contents

    contents = [("a", "Lessons for a département choosing a model"), ("b", "Method"), ("figure-1", "Figure 1 X")]
    printed = ["contents", "Figure 1. X\ntext", "Lessons for a département\nchoosing a model", "Method"]
    assert pages_of_contents(printed, contents) == {"a": 3, "b": 4, "figure-1": 2}
    # A ligature the printer drew ("ﬁ") is its letters.
    assert pages_of_contents(["", "the ﬁbre barometer"], [("c", "the fibre barometer")]) == {"c": 2}


def test_the_contents_pages_are_read_from_the_pdfs_named_destinations(tmp_path: Path):
    """Chromium names each linked element's place in the PDF: an entry's page is read from there, and an entry
    the PDF does not name is looked for in the printed text (here a blank page: not found, left without a page)."""
    from pypdf import PdfWriter

    from divide_study.report.publish import anchor_pages, contents_pages

    writer = PdfWriter()
    for _page in range(4):
        writer.add_blank_page(width=595, height=842)
    writer.add_named_destination("summary", 1)
    writer.add_named_destination("figure-1", 3)
    pdf = tmp_path / "printed.pdf"
    with pdf.open("wb") as out:
        writer.write(out)
    assert anchor_pages(pdf, ["summary", "figure-1", "method"]) == {"summary": 2, "figure-1": 4}
    contents = [("summary", "Summary"), ("figure-1", "Figure 1 Cost"), ("method", "Method")]
    assert contents_pages(pdf, contents) == {"summary": 2, "figure-1": 4}
