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


def appendix(*groups: tuple[str, list[tuple]]) -> str:
    """A provenance appendix as the ledger writes it: a heading row per source, then a row per entry."""
    body = ""
    for n, (source, rows) in enumerate(groups, start=1):
        body += f'<tbody class="source-group"><tr class="source-row" id="source-{n}"><th colspan="4">{source}</th></tr>'
        for k, number, what, words in rows:
            cells = f'<td class="data col0 entry"><span class="entry-k">{k}</span></td>'
            cells += "".join(f"<td>{c}</td>" for c in (number, what + '<span class="entry-class">c</span>', words))
            body += f'<tr id="number-{k}">{cells}</tr>'
        body += "</tbody>"
    return f"<table><thead><tr><th>entry</th></tr></thead>{body}</table>"


ARTICLE = "article 002: “News &amp; Co” (1 May 2003), file b.txt"
CITED = "article 002: “News &amp; Co” (1 May 2003)"  # as a popup cites it: where the study files it is left out


def test_numbers_show_their_primary_source_and_their_entries_link_back():
    """A number link carries its entry's source in a line (an article's words; for a computation, the primary
    sources its inputs walk down to) and its entry's number for paper; its entry links back to each place."""
    from divide_study.report.layout import appendix_rows, trace_numbers

    page = (
        '<p>It cost <a class="num" href="#number-2">€2,140</a>, of <a class="num" href="#number-1">€5M</a>; '
        'again <a class="num" href="#number-2">€2,140</a>.</p><h2 id="appendix-sources">A</h2>'
        + appendix(
            (ARTICLE, [(1, "€5M", "investment", "“5 millions”")]),
            (
                "computed by the study",
                [(2, "€2,140", "cost per plug", 'inputs: <a class="num" href="#number-1">€5M</a>'), (3, "7", "x", "")],
            ),
        )
    )
    assert appendix_rows(page)[1] == ("€5M", "investment", ARTICLE, "“5 millions”")  # the class aside
    traced = trace_numbers(page)
    assert traced == trace_numbers(page)  # the same page, the same bytes
    first = re.search(r'<a class="num" href="#number-2"([^>]*)>', traced).group(1)
    assert 'id="quoted-2-1"' in first and 'data-entry="2"' in first
    assert f'data-source="cost per plug — from {CITED}"' in first
    assert f'data-source="investment — {CITED}: “5 millions”"' in traced
    assert '<a class="back" href="#quoted-2-1"' in traced and '<a class="back" href="#quoted-2-2"' in traced
    assert '<a class="back" href="#quoted-1-1"' in traced
    # The back links follow the entry's number, in its first cell.
    assert re.search(r'<span class="entry-k">2</span> <a class="back" href="#quoted-2-1"', traced)
    assert 'href="#quoted-3' not in traced  # an entry no sentence quotes has no way back
    assert "quoted-1-2" not in traced  # the appendix's own links are no places of the text


def test_entries_are_renumbered_in_the_order_the_appendix_prints_them():
    """Grouped by source, the appendix prints entry 2 before entry 1: they become 1 and 2, and every link, anchor,
    shown number and grouped cell follows, so that a marker on paper is found by paging."""
    from divide_study.report.layout import renumber_entries

    page = (
        '<p><a class="num" href="#number-1">5</a> and <a class="num" href="#number-2">7</a></p>'
        + appendix(
            (ARTICLE, [(2, "7", "seven", "")]),
            ("computed by the study", [(1, "5", "five", 'inputs: <a class="num" href="#number-2">7</a>')]),
        )
        + '<td><span class="entry" id="number-3">9</span> <span class="entry-number">3 ← '
        '<a class="input" href="#number-1">1</a> <a class="input" href="#number-2">2</a></span></td>'
    )
    renumbered = renumber_entries(page)
    assert renumbered.startswith('<p><a class="num" href="#number-2">5</a> and <a class="num" href="#number-1">7</a>')
    assert '<tr id="number-1"><td class="data col0 entry"><span class="entry-k">1</span></td><td>7</td>' in renumbered
    assert '<tr id="number-2"><td class="data col0 entry"><span class="entry-k">2</span></td><td>5</td>' in renumbered
    assert 'inputs: <a class="num" href="#number-1">7</a>' in renumbered
    assert (
        '<span class="entry-number">3 ← <a class="input" href="#number-2">2</a> '
        '<a class="input" href="#number-1">1</a></span>' in renumbered
    )
    assert renumber_entries(renumbered) == renumbered  # in order already: unchanged
    dangling = page.replace('href="#number-1">5', 'href="#number-8">5')
    assert renumber_entries(dangling) == dangling  # a link to no entry: left for the tests to find


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
    assert line.startswith('<p class="cover-line" id="edition-date">Édition du 2\u00a0décembre 2026 · état des')
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


def test_french_spacing_sets_no_break_spaces_in_text_only():
    from divide_study.report.layout import french_spacing

    page = (
        '<style>a:hover { color: red; }</style><h2 id="annexe-a">Annexe A : Sources</h2>'
        '<p title="a : b">T3 2017 102; T4 2017: données « seuls » x&#40; &nbsp; coût &#58; 2 ?</p>'
        "<code>a : b</code> https://x.fr/?p=1<li><strong>T3 2017</strong>: données</li>"
    )
    set_ = french_spacing(page)
    assert "</strong>\u00a0: données" in set_
    assert "Annexe A\u00a0: Sources" in set_ and "102\u00a0; T4 2017\u00a0: données" in set_
    assert "«\u00a0seuls\u00a0»" in set_ and "coût\u00a0&#58;" in set_ and "2\u00a0?" in set_
    # Styles, attributes, code, character references and addresses are left as they are.
    assert "a:hover { color: red; }" in set_ and 'title="a : b"' in set_ and "<code>a : b</code>" in set_
    assert "x&#40; &nbsp;" in set_ and "https://x.fr/?p=1" in set_
    assert french_spacing(set_) == set_  # applying it twice changes nothing


def test_a_source_without_words_of_its_own_ends_the_popup():
    from divide_study.report.layout import popups

    page = appendix((ARTICLE, [(1, "2003", "date of publication", "")]))
    assert popups(page) == {1: f"date of publication — {CITED}".replace("&amp;", "&")}


def test_a_popup_cites_who_said_it_and_when_not_where_the_study_files_it():
    from divide_study.report.layout import popups

    page = appendix(
        ("article 004 : « Titre » (La Dépêche, 2003), fichier 004_ab12.txt", [(1, "5", "coût", "« 5 millions »")]),
        (
            "hypothèse de l'étude",
            [(2, "2,2", "personnes par foyer", "un choix de l'étude, déclaré dans params/a.yaml")],
        ),
        ("données de référence : https://x.fr/a.csv", [(3, "7", "prises", "ligne 3, colonne « n »")]),
    )
    assert popups(page, "fr") == {
        1: "coût — article 004 : « Titre » (La Dépêche, 2003)\u00a0: « 5 millions »",
        2: "personnes par foyer — hypothèse de l'étude\u00a0: un choix de l'étude",
        3: "prises — données de référence : https://x.fr/a.csv\u00a0: ligne 3, colonne « n »",  # a row stays
    }


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


def test_the_lists_of_figures_and_tables_give_short_titles_of_whole_words():
    from divide_study.report.layout import printed_width, short_title

    assert short_title("Coût par local desservi, en euros courants et constants.") == "Coût par local desservi"
    # A first clause too short to say much runs on to the next one.
    assert (
        short_title("Quel modèle, à quel coût, avec quel risque (faible niveau de preuve).")
        == "Quel modèle, à quel coût"
    )
    assert short_title("Coût par local et par Mbit/s offert\u00a0; le débit du Gers est une hypothèse.") == (
        "Coût par local et par Mbit/s offert"
    )
    assert short_title("Every euro figure about the Gers network, by scope (≥: at least).") == (
        "Every euro figure about the Gers network"
    )
    assert short_title("Milestones of the initiatives.") == "Milestones of the initiatives"  # one clause: itself
    assert short_title("Cost per Mbit/s (1.5 Mbit/s assumed)") == "Cost per Mbit/s (1.5 Mbit/s assumed)"  # 15 < 18
    # Wider than its list's line: the whole words that fit, then "…", never a word cut, nor a small word last.
    long = "Financement public et coût du réseau par prise, dans un seul périmètre"
    fitted = short_title(long, 150)
    assert fitted == "Financement public et coût du réseau…" and printed_width(fitted) <= 150
    assert printed_width("Financement public et coût du réseau par…") > 150  # one more word would not fit
    assert short_title("How far each choice moves the ratio", printed_width("How far each choice moves the…")) == (
        "How far each choice moves…"  # not "the…"
    )
    assert short_title("Coût par local desservi, en euros", 150) == "Coût par local desservi"  # it fits
    assert printed_width("iiii") < printed_width("MMMM")  # widths are the font's, not a count of characters


def test_two_figures_that_would_read_alike_in_the_contents_are_refused():
    from divide_study.errors import StudyError
    from divide_study.report.layout import Entry, Page, table_of_contents

    def page(*captions):
        return Page(entries=[Entry("figure", f"figure-{n}", c) for n, c in enumerate(captions, start=1)])

    ratio = "How far each choice moves the {} ratio of the cost per premise per Mbit/s offered by each network."
    with pytest.raises(StudyError, match="Figure 1 and Figure 2 alike"):
        table_of_contents(page(ratio.format("Gers/Castres"), ratio.format("Castres/Gers")))
    told = table_of_contents(page("The Gers/Castres ratio: how far.", "The Castres/Gers ratio: how far."))
    assert "The Gers/Castres ratio" in told and "The Castres/Gers ratio" in told
