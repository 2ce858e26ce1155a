"""The data tables the report's Method names, in one place: the Method links each (on screen), the colophon lists
each with its file (on paper a link leads nowhere, so the colophon says where the table is)."""

from __future__ import annotations


def _(words: str) -> str:
    """Marks words for the report's catalog (babel extracts calls to ``_``); each edition translates them where it
    shows them."""
    return words


# key -> (the file, relative to the project; the words a reader reads). The keys are the Method's placeholders.
METHOD_TABLES = {
    "measures": ("data/raw/measures.csv", _("the table of measures")),
    "profiles": ("data/raw/spending_profiles.csv", _("the table of spending profiles")),
    "classes": ("data/raw/article_classes.csv", _("the table of article classes")),
    "claims": ("data/raw/claims.csv", _("the table of reported words")),
    "natures": ("data/raw/amount_natures.csv", _("the table of amount natures")),
}
