"""The study's words in each edition's language: gettext message catalogs, read by babel.

The report, its tables and its charts are written once, in English, with every sentence a reader sees wrapped
in ``_("…")`` (or ``ngettext`` where a count decides the form). English is the source language: its text *is*
the message. Other editions read their text from ``locales/<lang>/LC_MESSAGES/<domain>.po``, the catalogs a
translator edits with any PO editor (Poedit, Weblate, ``pybabel``), one domain per part of the study so that
each catalog stays short: ``report`` (the report's prose), ``charts`` (chart text), ``analysis`` (sentences the
analyses write into their results), ``data`` (free text of the data tables, by its English wording).

Messages are ``str.format`` templates with named fields (``"{share} eligible by {year}"``): the numbers go in
after translation, already formatted for the locale and linked to their provenance, and a translation may
move them. A message missing from a catalog (or still marked fuzzy) stops the build with its domain and
words: an edition never falls back to English text in front of its readers.
"""

from __future__ import annotations

import gettext
import string
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from divide_study.errors import StudyError

# The editions, by the `lang` parameter (and babel's locale of each, for numbers and dates).
LOCALES = {"en": "en_GB", "fr": "fr_FR"}
SOURCE_LANGUAGE = "en"
DOMAINS = ("report", "charts", "analysis", "data")
LOCALE_DIR = Path(__file__).parent / "locales"


class MissingTranslation(StudyError):
    """A message an edition needs has no (or only a fuzzy) translation in its catalog."""


def check_language(lang: str, parameter: str = "lang") -> str:
    if lang not in LOCALES:
        raise StudyError(f"parameter {parameter!r}: {lang!r} is not an edition; choose one of {sorted(LOCALES)}")
    return lang


def catalog_path(lang: str, domain: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


@cache
def catalog(lang: str, domain: str) -> Catalog:
    """The catalog of one edition and domain (read once per process)."""
    path = catalog_path(lang, domain)
    if not path.is_file():
        raise MissingTranslation(f"{path}: no {domain!r} catalog for the {lang!r} edition")
    with path.open("rb") as handle:
        return read_po(handle, locale=LOCALES[lang].split("_")[0], domain=domain)


def fields(message: str) -> set[str]:
    """The named fields of a message template: ``"{a} to {b:,}"`` -> {"a", "b"}."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


class Translator:
    """``_ = Translator("fr", "report")``; ``_("Table {n}").format(n=3)`` -> "Tableau 3"."""

    def __init__(self, lang: str, domain: str = "report"):
        if domain not in DOMAINS:
            raise ValueError(f"unknown message domain {domain!r}; the study has {DOMAINS}")
        self.lang, self.domain = check_language(lang), domain

    def _entry(self, key: str | tuple[str, str]):
        found = catalog(self.lang, self.domain).get(key)
        shown = key if isinstance(key, str) else key[0]
        where = catalog_path(self.lang, self.domain).relative_to(LOCALE_DIR.parent.parent)
        texts = () if found is None else found.string if isinstance(found.string, tuple) else (found.string,)
        if found is None or found.fuzzy or not all(texts):
            raise MissingTranslation(
                f"{where}: no {self.lang!r} translation of {shown!r}; add it to the catalog "
                "(tests/test_translations.py lists every message the study uses)"
            )
        return found

    def __call__(self, message: str) -> str:
        if self.lang == SOURCE_LANGUAGE or message == "":
            return message
        return self._entry(message).string

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for ``count`` (French: 0 and 1 singular; English: 1 singular)."""
        if self.lang == SOURCE_LANGUAGE:
            return singular if count == 1 else plural
        entry = self._entry(singular)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        chosen = gettext.c2py(catalog(self.lang, self.domain).plural_expr)(count)
        return forms[min(chosen, len(forms) - 1)]


# --- the messages the study uses, found in its code ------------------------------------------------------
