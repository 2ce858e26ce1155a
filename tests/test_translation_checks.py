"""Issue 23, class 4: translations are checked wherever the build reads them, not only in tests. Each msgstr of
a catalog and each words.csv value keeps exactly its English {fields} (no doubled braces, no format spec); a
broken catalog is named by file and line; catalogs are read in NFC, and words.csv not in NFC is refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from divide_study import i18n
from divide_study.errors import DataError

HEADER = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
GOOD = 'msgid "speeds from {speed_low} to {speed_high}"\nmsgstr "débits de {speed_low} à {speed_high}"\n\n'


@pytest.mark.parametrize(
    ("msgstr", "words"),
    [
        ('"débits de {speed_low}"', "drops {speed_high}, so its number would be lost"),
        ('"débits de {speed_low} à {{speed_high}}"', "has doubled braces, which print braces instead of the value"),
        ('"débits de {speed_low} à {speed_high:>12}"', "formats {speed_high:>12} itself"),
        ('"débits de {speed_low} à {speed_high!r}"', "formats {speed_high!r} itself"),
        ('"débits de {speed_low} à {vitesse}"', "has field(s) {vitesse} the English does not"),
        ('"débits de {speed_low} à {speed_high"', "is not a valid template"),
    ],
)
def test_a_translation_that_changes_the_numbers_is_named_by_catalog_and_line(french_catalog, msgstr, words):
    french_catalog("report", HEADER + GOOD + f'msgid "from {{speed_low}} to {{speed_high}}"\nmsgstr {msgstr}\n')
    with pytest.raises(i18n.BrokenCatalog) as info:
        i18n.Translator("fr", "report")("speeds from {speed_low} to {speed_high}")
    message = str(info.value)
    assert "fr/LC_MESSAGES/report.po, line 10: the 'fr' translation of 'from {speed_low} to {speed_high}'" in message
    assert words in message, message


def test_an_unterminated_string_is_named_by_its_line_before_babel_reads_it(french_catalog):
    french_catalog("report", HEADER + 'msgid "evidence: {strength}"\nmsgstr "niveau de preuve : {strength}\n\n' + GOOD)
    with pytest.raises(i18n.BrokenCatalog, match=r"report\.po, line 7: not a line of a PO catalog: 'msgstr "):
        i18n.Translator("fr", "report")("evidence: {strength}")


def test_plural_forms_may_leave_out_the_count_but_add_nothing(french_catalog):
    plural = (
        'msgid "{count} network"\nmsgid_plural "{count} networks"\nmsgstr[0] "un réseau"\nmsgstr[1] "{count} réseaux"\n'
    )
    french_catalog("report", HEADER + plural)
    assert i18n.Translator("fr", "report").ngettext("{count} network", "{count} networks", 1) == "un réseau"
    i18n.catalog.cache_clear()
    french_catalog("report", HEADER + plural.replace("{count} réseaux", "{total} réseaux"))
    with pytest.raises(i18n.BrokenCatalog, match=r"has field\(s\) \{total\} the English does not"):
        i18n.Translator("fr", "report").ngettext("{count} network", "{count} networks", 2)


def test_a_catalog_saved_in_nfd_is_read_in_nfc(french_catalog):
    text = (
        HEADER + 'msgid "eligible households"\nmsgstr "foyers éligibles"\n\nmsgid "Département"\nmsgstr "Département"\n'
    )
    french_catalog("report", unicodedata.normalize("NFD", text))
    translate = i18n.Translator("fr", "report")
    assert translate("eligible households") == "foyers éligibles"
    assert unicodedata.is_normalized("NFC", translate("eligible households"))
    assert translate("Département") == "Département"  # an NFC key finds an NFD-saved message


def test_the_studys_own_catalogs_pass():
    i18n.catalog.cache_clear()
    for domain in i18n.DOMAINS:
        assert len(i18n.catalog("fr", domain)) > 0


WORDS = Path("data/raw/words.csv")


@pytest.mark.parametrize(
    ("fr", "words"),
    [
        ("plus de {{value}} prises", "has doubled braces"),
        ("plus de {value:>12} prises", "formats {value:>12} itself"),
        ("plus de prises", "drops {value}"),
        ("plus de {valeur} prises", "has field(s) {valeur} the English does not"),
    ],
)
def test_words_that_change_the_numbers_are_refused_with_file_row_and_column(fr, words):
    frame = pd.DataFrame({"en": ["first works", "{value}+ plugs eligible"], "fr": ["premiers travaux", fr], "note": ""})
    with pytest.raises(DataError) as info:
        i18n.check_translated_words(frame, WORDS)
    message = str(info.value)
    assert "words.csv, row 2 (line 3), column 'fr': the fr words " in message and words in message, message


@pytest.mark.parametrize("column", ["en", "fr"])
def test_words_not_in_nfc_are_refused_with_their_code_points(column):
    frame = pd.DataFrame({"en": ["first works"], "fr": ["premiers travaux"], "note": ""})
    frame.loc[0, column] = unicodedata.normalize("NFD", "réseau" if column == "fr" else "Département")
    with pytest.raises(DataError) as info:
        i18n.check_translated_words(frame, WORDS)
    message = str(info.value)
    assert f"words.csv, row 1 (line 2), column '{column}'" in message and "is not in Unicode NFC" in message
    assert "U+0065 U+0301 where the study writes U+00E9" in message, message


def test_the_studys_own_words_pass():
    from divide_study import config
    from divide_study.data.tables import read_table

    i18n.check_translated_words(read_table(config.RAW_DIR / "words.csv"), config.RAW_DIR / "words.csv")
