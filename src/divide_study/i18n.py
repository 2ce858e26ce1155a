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
import io
import re
import string
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

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


class BrokenCatalog(StudyError):
    """A catalog that cannot be trusted to print the English numbers: named by file and line."""


# A line of a PO file: a comment, a keyword and its quoted string, or a quoted string continuing it. babel reads
# an unterminated string without a word (``msgstr "… {strength`` became a valid but wrong message), so the
# lines are checked first.
_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"')


def _shown_catalog(path: Path) -> str:
    from divide_study.config import display_path

    return display_path(path)


@cache
def catalog(lang: str, domain: str) -> Catalog:
    """The catalog of one edition and domain (read once per process), checked: each line well formed, each
    translation keeping exactly its English fields (``check_fields``). Its text is read in Unicode NFC, as the
    code's messages are written (a catalog saved in NFD would otherwise miss every accented message)."""
    path = catalog_path(lang, domain)
    if not path.is_file():
        raise MissingTranslation(f"{path}: no {domain!r} catalog for the {lang!r} edition")
    shown = _shown_catalog(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BrokenCatalog(f"{shown}: not UTF-8 (byte {exc.start}); save it as UTF-8") from exc
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if line and not line.startswith("#") and not _PO_LINE.fullmatch(line):
            raise BrokenCatalog(
                f"{shown}, line {number}: not a line of a PO catalog: {line[:80]!r} (a string not closed by a "
                '", or a keyword misspelt?); fix it in a PO editor before `study messages` rewrites the catalog'
            )
    read = read_po(
        io.BytesIO(unicodedata.normalize("NFC", text).encode("utf-8")),
        locale=LOCALES[lang].split("_")[0],
        domain=domain,
    )
    for message in read:
        if not message.id or not message.string:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = message.string if isinstance(message.string, tuple) else (message.string,)
        for text_of_form in translated:
            problem = field_problem(english, text_of_form, plural=len(english) > 1)
            if problem and text_of_form:
                # babel numbers the msgid's line; the translator edits the msgstr below it.
                after = range(message.lineno or 1, len(lines) + 1)
                line = next((n for n in after if lines[n - 1].lstrip().startswith("msgstr")), message.lineno)
                raise BrokenCatalog(f"{shown}, line {line}: the {lang!r} translation of {english[0]!r} {problem}")
    return read


def fields(message: str) -> set[str]:
    """The named fields of a message template: ``"{a} to {b:,}"`` -> {"a", "b"}."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def field_problem(english: str | tuple[str, ...], translated: str, plural: bool = False) -> str | None:
    """How a translation fails to keep its English ``{fields}`` (the numbers that go in after translation), or
    None. Exactly the English fields (for one of several plural forms: none the English lacks), each plain:
    no doubled braces (``{{value}}`` prints "{value}"), no format spec or conversion (``{value:>12}``,
    ``{value!r}`` change how the number prints)."""
    english = (english,) if isinstance(english, str) else english
    wanted: set[str] = set()
    for text in english:
        wanted |= {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    try:
        parsed = list(string.Formatter().parse(translated))
    except ValueError as exc:
        return f"is not a valid template ({exc}): {translated!r}"
    braces = "{{" in translated or "}}" in translated
    if braces and not any("{{" in text or "}}" in text for text in english):
        return f"has doubled braces, which print braces instead of the value: {translated!r}"
    shaped = [
        (name, spec, conversion) for _, name, spec, conversion in parsed if name is not None and (spec or conversion)
    ]
    if shaped:
        name, spec, conversion = shaped[0]
        written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        return f"formats {written} itself, which changes how the number prints; write {{{name}}}: {translated!r}"
    found = {name for _, name, _, _ in parsed if name is not None}
    dropped, added = sorted(wanted - found), sorted(found - wanted)
    if added:
        return f"has field(s) {', '.join('{' + n + '}' for n in added)} the English does not: {translated!r}"
    if dropped and not plural:
        return f"drops {', '.join('{' + n + '}' for n in dropped)}, so its number would be lost: {translated!r}"
    return None


def nfc_problem(text: str) -> str | None:
    """Where a text is not in Unicode NFC (an accent typed as a separate character), or None."""
    if unicodedata.is_normalized("NFC", text):
        return None
    for index in range(1, len(text)):
        pair = text[index - 1 : index + 1]
        if not unicodedata.is_normalized("NFC", pair):
            points = " ".join(f"U+{ord(c):04X}" for c in pair)
            joined = unicodedata.normalize("NFC", pair)
            composed = " ".join(f"U+{ord(c):04X}" for c in joined)
            return (
                f"is not in Unicode NFC: {pair!r} is {points} where the study writes {composed}; save the file "
                "in NFC (most editors: 'normalise Unicode'), or its words would match nothing"
            )
    return "is not in Unicode NFC; save the file in NFC"


def check_translated_words(words: Any, path: Path) -> None:
    """words.csv checked as the catalogs are, at the cleaning step: every translation given (``study messages``
    adds a new value with its translation empty), each keeping exactly the English {fields}
    (``field_problem``), and every cell in Unicode NFC (``nfc_problem``). Every problem is said at once."""
    from divide_study.errors import DataError, DataErrors

    columns = [column for column in words.columns if column != "note"]
    problems = []
    for row, record in enumerate(words.to_dict("records"), start=1):
        for column in columns:
            said = str(record[column] or "")
            problem = nfc_problem(said)
            if problem is None and column != "en" and not said.strip():
                problem = f"no {column} words for {record['en']!r}: write them in this cell"
            elif problem is None and column != "en":
                problem = field_problem(str(record["en"]), said)
                problem = problem and f"the {column} words {problem}"
            elif problem:
                problem = f"value {said!r} {problem}"
            if problem:
                problems.append(DataError(path, problem, row=row, column=column))
    if problems:
        raise problems[0] if len(problems) == 1 else DataErrors(problems)


class Translator:
    """``_ = Translator("fr", "report")``; ``_("Table {n}").format(n=3)`` -> "Tableau 3"."""

    def __init__(self, lang: str, domain: str = "report"):
        if domain not in DOMAINS:
            raise ValueError(f"unknown message domain {domain!r}; the study has {DOMAINS}")
        self.lang, self.domain = check_language(lang), domain

    def _entry(self, key: str | tuple[str, str]):
        # The catalog is read in NFC; so is the message looked up.
        key = unicodedata.normalize("NFC", key) if isinstance(key, str) else key
        found = catalog(self.lang, self.domain).get(key)
        texts = () if found is None else found.string if isinstance(found.string, tuple) else (found.string,)
        if found is None or found.fuzzy or not all(texts):
            shown = key if isinstance(key, str) else key[0]
            where = catalog_path(self.lang, self.domain).relative_to(LOCALE_DIR.parent.parent)
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
