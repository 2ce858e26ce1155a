"""The editions' words: every message the study uses is translated, with the same fields, and nothing else."""

from __future__ import annotations

import json

import pytest

from divide_study import i18n
from divide_study.config import PROJ_ROOT
from divide_study.i18n import MissingTranslation, Translator, catalog, fields
from divide_study.language.messages import used_messages

PO = """msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Table {n}"
msgstr "Tableau {n}"

msgid "{n} article"
msgid_plural "{n} articles"
msgstr[0] "{n} article"
msgstr[1] "{n} articles"

#, fuzzy
msgid "Source"
msgstr "Source"
"""


@pytest.fixture
def catalogs(french_catalog):
    return french_catalog("report", PO)


def test_english_is_the_message_itself_and_french_comes_from_the_catalog(catalogs):
    assert Translator("en")("Table {n}").format(n=3) == "Table 3"
    assert Translator("fr")("Table {n}").format(n=3) == "Tableau 3"
    # French: 0 and 1 take the singular, English only 1.
    assert [Translator("fr").ngettext("{n} article", "{n} articles", n) for n in (0, 1, 2)] == [
        "{n} article",
        "{n} article",
        "{n} articles",
    ]
    assert Translator("en").ngettext("{n} article", "{n} articles", 0) == "{n} articles"


def test_a_missing_or_fuzzy_translation_stops_the_edition_naming_the_catalog(catalogs):
    with pytest.raises(MissingTranslation, match=r"report\.po.*'Figure'"):
        Translator("fr")("Figure")
    with pytest.raises(MissingTranslation, match="'Source'"):
        Translator("fr")("Source")  # marked fuzzy: not yet checked by a translator
    with pytest.raises(Exception, match="not an edition"):
        Translator("de")


def test_messages_are_found_in_notebook_cells_and_modules(tmp_path):
    (tmp_path / "notebooks").mkdir()
    cell = {"cell_type": "code", "metadata": {}, "source": ['md(_("Per plug {cost}").format(cost=c))\n']}
    (tmp_path / "notebooks" / "05_report.ipynb").write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    found = used_messages(tmp_path)
    assert found["report"] == {"Per plug {cost}": ["notebooks/05_report.ipynb#cell0:1"]}
    assert fields("{a} to {b:,.0f}") == {"a", "b"}


def test_every_message_the_study_uses_has_a_french_translation_with_the_same_fields():
    problems = []
    for domain, messages in used_messages(PROJ_ROOT).items():
        if domain == "data":
            continue
        known = catalog("fr", domain) if i18n.catalog_path("fr", domain).is_file() else None
        for key, where in messages.items():
            singular = key if isinstance(key, str) else key[0]
            entry = known.get(key if isinstance(key, str) else key[0]) if known is not None else None
            texts = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if entry is None or entry.fuzzy or not all(texts):
                problems.append(f"{domain}: untranslated {singular!r} ({where[0]}); run `uv run study messages`")
            elif any(fields(t) != fields(singular) for t in texts):
                problems.append(f"{domain}: {singular!r} and its translation have different fields ({where[0]})")
    assert not problems, "\n".join(problems)


def test_the_catalogs_hold_no_message_the_code_no_longer_uses():
    used = used_messages(PROJ_ROOT)
    for domain in ("report", "charts", "analysis"):
        if not i18n.catalog_path("fr", domain).is_file():
            continue
        kept = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog("fr", domain) if m.id}
        stale = kept - set(used[domain])
        assert not stale, f"{domain}.po holds unused messages (run `uv run study messages`): {sorted(map(str, stale))}"


def test_the_studys_own_french_elides_with_the_typographic_apostrophe():
    """« l’étude », not « l'étude »: a French publication's apostrophe is ’ (U+2019). The sources' verbatim words keep
    theirs (they are quoted as printed, in figures.csv and the reference data), so only the study's own French is
    checked: the catalogs and the French columns of words.csv and labels.csv."""
    import csv
    import re

    from babel.messages.pofile import read_po

    straight = re.compile(r"\b(?:l|d|qu|n|s|c|j|L|D|Qu|jusqu|lorsqu|puisqu)'(?=[aeiouyhàâéèêëîïôûAEIOUYHÉÀ])")
    found = []
    for path in sorted((PROJ_ROOT / "src/divide_study/locales/fr/LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [f"{path.name}: {s[:80]!r}" for s in strings if message.id and straight.search(s or "")]
    for name in ("words.csv", "labels.csv"):
        with (PROJ_ROOT / "data/raw" / name).open(encoding="utf-8") as f:
            found += [f"{name}: {row['fr'][:80]!r}" for row in csv.DictReader(f) if straight.search(row["fr"] or "")]
    assert not found, "\n".join(found)
    assert straight.search("hypothèse de l'étude") and not straight.search("the study's words")  # the check can fail
