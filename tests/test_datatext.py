"""The data's own words in each edition: free text of the shown tables, by its English wording."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from divide_study.config import PROCESSED_DIR, PROJ_ROOT
from divide_study.errors import DataError
from divide_study.i18n import catalog, fields
from divide_study.language import datatext
from divide_study.language.datatext import (
    SHOWN,
    TEMPLATES,
    DataText,
    check_data_text,
    data_messages,
    data_text,
    messages_of,
    needs_words,
)

PO = """msgid ""
msgstr ""
"Language: fr\\n"

msgid "own target: {share} eligible"
msgstr "objectif propre\u00a0: {share} raccordables"

msgid "{subscribers} subscribers ÷ ({eligible} eligible × {plugs} plugs)"
msgstr "{subscribers} abonnés ÷ ({eligible} raccordables × {plugs} prises)"

msgid "cited: {figure}"
msgstr "cité\u00a0: {figure}"

msgid "published between {earliest} and {latest}"
msgstr "publié entre le {earliest} et le {latest}"
"""
# The data's own words (data/raw/words.csv): by their English wording; a row without French is missing.
WORDS = pd.DataFrame(
    {
        "en": ["first works", "take-up (lower bound)", "{value}+ plugs eligible", "no date printed", "launch"],
        "fr": [
            "premiers travaux",
            "taux d'abonnement (borne basse)",
            "plus de {value} prises raccordables",
            "aucune date imprimée",
            "",
        ],
        "note": [""] * 5,
    }
)


@pytest.fixture
def catalogs(french_catalog):
    return french_catalog("data", PO)


def test_a_value_is_translated_by_its_wording_and_a_filled_sentence_through_its_template(catalogs):
    frame = pd.DataFrame(
        {
            "target": ["own target: 67% eligible", "first works"],
            "how": ["28,000 subscribers ÷ (73% eligible × 100,000 plugs)", "cited: take-up (lower bound)"],
            "as_of": ["2023-07", "2023"],
        }
    )
    french = data_text(frame, ["target", "how", "as_of"], "fr", "take_up.csv", WORDS)
    assert list(french["target"]) == ["objectif propre\u00a0: 67\u00a0% raccordables", "premiers travaux"]
    # Numbers are written again for the locale (babel: narrow no-break space between thousands).
    assert french["how"][0] == "28\u202f000 abonnés ÷ (73\u00a0% raccordables × 100\u202f000 prises)"
    assert french["how"][1] == "cité\u00a0: taux d'abonnement (borne basse)"  # a template's words, in turn
    assert list(french["as_of"]) == ["2023-07", "2023"]  # dates hold no words
    assert frame["target"][0] == "own target: 67% eligible"  # the caller's frame is left as it was
    assert data_text(frame, ["target", "how"], "en").equals(frame)  # English is the data itself


def test_a_value_that_is_itself_a_template_is_translated_unfilled(catalogs):
    event = DataText("fr", WORDS)("{value}+ plugs eligible")
    assert event.format(value="13\u202f000") == "plus de 13\u202f000 prises raccordables"


def test_a_list_of_sentences_is_translated_part_by_part_with_french_spacing(catalogs):
    basis = "no date printed; published between 2003-01-01 and 2003-12-03"
    assert DataText("fr", WORDS)(basis, "sources.csv", "date_basis") == (
        "aucune date imprimée\u00a0; publié entre le 1\u1d49\u02b3\u00a0janvier 2003 et le 3\u00a0décembre 2003"
    )
    assert messages_of(basis, "sources.csv", "date_basis") == [
        "no date printed",
        "published between {earliest} and {latest}",
    ]


def test_a_missing_translation_names_the_file_row_and_column(catalogs):
    frame = pd.DataFrame({"what": ["first works", "launch", "network completed"]})
    with pytest.raises(DataError, match=r"milestones\.csv, row 2 \(line 3\), column 'what'.*'launch'.*words\.csv"):
        data_text(frame, ["what"], "fr", "milestones.csv", WORDS)  # a row without its French words
    processed = catalogs / "processed"
    processed.mkdir()
    tables = {table: pd.DataFrame({c: ["first works"] for c in columns}) for table, columns in SHOWN.items()}
    tables["targets.csv"].loc[0, "reached_on"] = "not yet"
    for table, shown in tables.items():
        shown.to_csv(processed / table, index=False)
    WORDS.to_csv(processed / "words.csv", index=False)
    with pytest.raises(DataError, match=r"targets\.csv, row 1 \(line 2\), column 'reached_on'.*'not yet'"):
        check_data_text(processed, "fr")
    check_data_text(processed, "en")  # English needs no catalog


def test_only_words_are_messages_and_each_template_reads_back_what_it_writes():
    assert not any(needs_words(v) for v in ("", "2014 – 2026-01-28", "https://a.fr/x", "004_cb51.txt", 3.0))
    assert needs_words("not yet")
    assert messages_of("own target: 138,000 plugs") == ["own target: {plugs} plugs"]
    assert messages_of("national plan: fibre everywhere by") == ["national plan: {goal}", "fibre everywhere by"]
    assert messages_of("from 1999") == ["from {year}"]
    assert messages_of("spending, 2023-07 (a.fr (interview))") == [
        "{figure}, {as_of} ({source})",
        "spending",
        "a.fr (interview)",
    ]
    # A field's kind keeps a template from swallowing words of the same shape.
    assert messages_of("State subsidy cap per plug, range (low)") == ["State subsidy cap per plug, range (low)"]
    with pytest.raises(ValueError, match="kind"):
        datatext.template("{a} and {b}", a="number")
    sample = {"number": "1,234", "share": "5%", "year": "2020", "day": "2020-01-02", "days": "2020-01-02"}
    sample["date"], sample["weekday"], sample["quarter"] = "2020-01", "Monday", "Q1 2018"
    for known in TEMPLATES:
        filled = known.message.format(**{name: sample.get(kind, "x y") for name, kind in known.kinds.items()})
        assert known.match(filled) is not None, known.message


def test_every_value_the_french_edition_shows_is_translated_with_the_same_fields():
    check_data_text(PROCESSED_DIR, "fr")
    for entry in catalog("fr", "data"):
        if entry.id:
            assert fields(entry.string) == fields(entry.id), entry.id
    datatext.check_words(pd.read_csv(PROJ_ROOT / datatext.WORDS, dtype=str, keep_default_na=False), datatext.WORDS)


def test_a_translation_that_loses_a_field_is_refused_with_its_row():
    words = pd.DataFrame({"en": ["{value}+ plugs eligible"], "fr": ["plus de prises raccordables"], "note": [""]})
    with pytest.raises(DataError, match=r"words\.csv, row 1 \(line 2\), column 'fr'.*fields"):
        datatext.check_words(words, datatext.WORDS)


def test_the_french_of_the_data_follows_french_typography():
    # A non-breaking space before : ; ! ? % and inside « », so that a line never starts with the sign.
    words = pd.read_csv(PROJ_ROOT / datatext.WORDS, dtype=str, keep_default_na=False)["fr"]
    french = [entry.string for entry in catalog("fr", "data") if entry.id] + list(words)
    wrong = [text for text in french if re.search(r" [:;!?%»]|« |\w[:;!?»]", text) and "://" not in text]
    assert not wrong, wrong


def test_the_data_catalog_holds_every_sentence_the_code_writes_and_words_csv_exactly_the_shown_words():
    used = set(data_messages(PROJ_ROOT))
    french = catalog("fr", "data")
    kept = {entry.id for entry in french if entry.id}
    sentences = {m for m in used if datatext.is_template(m)}
    # Every template, used by this data or not: other data (a target of "about" N plugs) is written with it too.
    written = sentences | {template.message for template in datatext.TEMPLATES}
    assert kept == written, (
        f"run `uv run study messages`: new {sorted(written - kept)}, unused {sorted(kept - written)}"
    )
    assert [entry.id for entry in french if entry.id and not entry.string] == []  # each one translated
    words = set(pd.read_csv(PROJ_ROOT / datatext.WORDS, dtype=str, keep_default_na=False)["en"])
    assert words == used - sentences, f"run `uv run study messages`: {sorted((used - sentences) ^ words)}"


def test_study_messages_adds_new_words_to_the_data_empty_and_drops_unused_ones(tmp_path):
    path = tmp_path / "words.csv"
    pd.DataFrame({"en": ["kept", "gone"], "fr": ["gardé", "parti"], "note": ["", ""]}).to_csv(path, index=False)
    assert datatext.update_words(path, ["kept", "new words"]) == (1, 1)
    assert pd.read_csv(path, dtype=str, keep_default_na=False).values.tolist() == [
        ["kept", "gardé", ""],
        ["new words", "", ""],
    ]


def test_weekdays_and_quarters_the_code_writes_are_said_by_the_locale_not_by_words_csv(french_catalog):
    french_catalog(
        "data",
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "a {weekday} from \'{span}\'"\nmsgstr "un {weekday} d\'après « {span} »"\n\n'
        'msgid "rank of {department} by public-zone share, {quarter}"\n'
        'msgstr "rang de {department} par part en zone publique, {quarter}"\n',
    )
    no_words = pd.DataFrame({"en": [], "fr": [], "note": []})
    said = DataText("fr", no_words)
    # Monday and Sunday are in no word list: babel's French day names.
    assert said("a Monday from 'Lundi 14 juin'") == "un lundi d'après « Lundi 14 juin »"
    assert said("a Sunday from 'dimanche'") == "un dimanche d'après « dimanche »"
    assert said("rank of Gers by public-zone share, Q1 2018") == "rang de Gers par part en zone publique, T1 2018"
    # Neither a weekday nor a quarter is a message of words.csv: `study messages` never asks for them.
    assert messages_of("a Thursday from 'jeudi'") == ["a {weekday} from '{span}'"]
    assert messages_of("rank of Tarn by public-zone share, Q3 2017") == [
        "rank of {department} by public-zone share, {quarter}"
    ]


def test_a_raw_table_with_an_unquoted_comma_is_named_with_its_row(tmp_path):
    from divide_study.errors import DataError
    from divide_study.language.datatext import raw_shown_values

    (tmp_path / "milestones.csv").write_text(
        "figure_id,label,note\na,{value} settled,\nb,{value} families (promoter, via the press),\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"milestones\.csv, row 2 \(line 3\).*4 fields where the header has 3.*Quote"):
        list(raw_shown_values(tmp_path))
