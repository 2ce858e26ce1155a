"""Every entry of the provenance appendix, in both published editions, walks down to a primary source.

An entry is *primary* when it names an article (its outlet, date and verbatim words), a cited reference row or
file (its URL, or its file, row and column), or a declared assumption of the study. Any other entry — a
computation, a table's row — must link the entries of the numbers it rests on, and following those links must
end at primary entries only: an entry that stops at one of the study's processed files fails.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import appendix_entries

from divide_study import config

EDITIONS = {"en": config.PROJ_ROOT / "report" / "report.html", "fr": config.PROJ_ROOT / "report" / "rapport.html"}
# How each edition names a primary source (the ledger's words: an article, reference data, an assumption).
PRIMARY = {
    "en": ("article ", "reference data: ", "assumption of the study"),
    "fr": ("article ", "données de référence", "hypothèse de l’étude"),
}
LINK = re.compile(r'href="#number-(\d+)"')


def entries(lang: str) -> dict[int, dict[str, str]]:
    return appendix_entries(EDITIONS[lang].read_text(encoding="utf-8"))


def plain(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def stops(lang: str) -> list[str]:
    """The entries whose walk does not end at primary sources, with why."""
    table = entries(lang)
    verdict: dict[int, str] = {}

    def walk(number: int, seen: tuple[int, ...] = ()) -> str:
        if number in verdict:
            return verdict[number]
        entry = table[number]
        if "data/processed/" in plain(entry["source"]):  # a table's row, a computation: the study's own file
            verdict[number] = f"entry {number} ({plain(entry['what'])}): stops at {plain(entry['source'])!r}"
            return verdict[number]
        if plain(entry["source"]).startswith(PRIMARY[lang]):
            verdict[number] = ""
            return ""
        links = [int(n) for n in LINK.findall(entry["what"] + entry["words"]) if int(n) != number]
        if not links:
            verdict[number] = f"entry {number} ({plain(entry['what'])}): stops at {plain(entry['source'])!r}"
            return verdict[number]
        for link in links:
            if link in seen:
                continue
            if link not in table:
                verdict[number] = f"entry {number}: links entry {link}, which the appendix does not hold"
                return verdict[number]
            below = walk(link, (*seen, number))
            if below:
                verdict[number] = f"entry {number} ({plain(entry['what'])}) → {below}"
                return verdict[number]
        verdict[number] = ""
        return ""

    return [why for n in table if (why := walk(n))]


@pytest.mark.parametrize("lang", sorted(EDITIONS))
def test_every_appendix_entry_walks_to_a_primary_source(lang):
    table = entries(lang)
    assert len(table) > 300  # the whole appendix was read
    failed = stops(lang)
    assert not failed, f"{len(failed)} entries stop short of a primary source:\n" + "\n".join(failed[:40])
