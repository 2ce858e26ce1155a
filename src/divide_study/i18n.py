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

# Which catalog the messages of each file belong to (the first pattern a file matches), relative to the project.
DOMAIN_OF_FILES = (
    ("notebooks/05_report.ipynb", "report"),
    ("src/divide_study/report/tables.py", "analysis"),
    ("src/divide_study/report/*.py", "report"),
    ("src/divide_study/analysis/plots.py", "charts"),
    ("notebooks/*.ipynb", "charts"),
    ("src/divide_study/analysis/*.py", "analysis"),
)
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def _code_of(path: Path) -> list[tuple[int, str]]:
    """(first line, code) of a module, or of each code cell of a notebook (line numbers within the cell)."""
    if path.suffix == ".ipynb":
        import json

        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return [(n, "".join(c["source"])) for n, c in enumerate(cells) if c["cell_type"] == "code"]
    return [(0, path.read_text(encoding="utf-8"))]


def used_messages(root: Path) -> dict[str, dict[str | tuple[str, str], list[str]]]:
    """Every message the code wraps in ``_``/``ngettext``, by domain, with where each is used.

    Read statically by babel's Python extractor (the convention of ``pybabel extract``), from the modules and
    from each code cell of the notebooks, which ``pybabel`` cannot read.
    """
    import io

    from babel.messages.extract import extract

    found: dict[str, dict[str | tuple[str, str], list[str]]] = {d: {} for d in DOMAINS}
    seen: set[Path] = set()
    for pattern, domain in DOMAIN_OF_FILES:
        for path in sorted(root.glob(pattern)):
            if path in seen or path.name == "i18n.py":
                continue
            seen.add(path)
            for cell, code in _code_of(path):
                for line, message, _, _ in extract("python", io.BytesIO(code.encode()), keywords=KEYWORDS):
                    cell_mark = f"#cell{cell}" if path.suffix == ".ipynb" else ""
                    where = f"{path.relative_to(root)}{cell_mark}:{line}"
                    key = message if isinstance(message, str) else tuple(message)
                    found[domain].setdefault(key, []).append(where)
    return found


def update_catalogs(root: Path, lang: str = "fr") -> dict[str, tuple[int, int]]:
    """Add the messages the code uses to the edition's catalogs (untranslated) and drop the unused ones.

    What ``pybabel update`` does, for the notebooks too: a translator then fills in the empty ones. The
    values of the processed tables' shown columns (``report.datatext``) go to data/raw/words.csv, the
    sentences the code writes into them to the ``data`` catalog. Returns (added, dropped) by catalog.
    """
    from babel.messages.pofile import write_po

    changes = {}
    for domain, messages in used_messages(root).items():
        if domain == "data":
            # The values of the columns a reader sees (report.datatext.SHOWN): the data's own words go to the
            # data (data/raw/words.csv); the sentences the code writes into them stay this catalog's.
            from divide_study.report.datatext import WORDS, data_messages, is_template, update_words

            found = data_messages(root)
            changes[WORDS] = update_words(root / WORDS, [k for k in found if not is_template(k)], lang)
            messages = {key: where for key, where in found.items() if is_template(key)}
        path = catalog_path(lang, domain)
        old = catalog(lang, domain) if path.is_file() else Catalog(locale=lang, domain=domain)
        # Fixed header dates: the catalog changes only when its messages do (it is part of every step's key).
        new = Catalog(
            locale=lang,
            domain=domain,
            project="divide-study",
            header_comment=f"# {lang} catalog of the study's {domain!r} messages: `uv run study messages` adds the new "
            "ones (empty) and drops the unused ones.",
            language_team=lang,
            creation_date=old.creation_date,
            revision_date=old.creation_date,
            fuzzy=False,
        )
        for key, where in messages.items():
            previous = old.get(key)
            string = previous.string if previous is not None else ("", "") if isinstance(key, tuple) else ""
            locations = [(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where]
            new.add(key, string, locations=locations, flags=previous.flags if previous is not None else ())
            if domain == "data":
                new[key].flags.discard("python-format")  # "60% of funding" is words, not a %-format
        kept = {m.id if isinstance(m.id, str) else tuple(m.id) for m in new if m.id}
        dropped = sum(1 for m in old if m.id and (m.id if isinstance(m.id, str) else tuple(m.id)) not in kept)
        added = sum(1 for k in kept if old.get(k) is None)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, new, width=116, sort_output=False, omit_header=False, include_lineno=False)
        catalog.cache_clear()
        changes[domain] = (added, dropped)
    return changes
