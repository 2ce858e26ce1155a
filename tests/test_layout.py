"""The report's layout in each edition's words: contents and references read "Tableau 3" in French."""

from __future__ import annotations

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
    assert '<span class="toc-label">Tableau 2</span> C</a>' in contents
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
