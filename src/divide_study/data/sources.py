"""The press articles: checked against the registry's fingerprints, and spans checked at their offsets.

The articles stay in ``../shared/sources``; the project keeps only their names, SHA-256 and sizes, and
short verbatim spans with offsets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd

from divide_study.data.tables import rows
from divide_study.errors import DataError


def read_sources(registry: pd.DataFrame, directory: Path, registry_path: Path) -> dict[str, str]:
    """The text of every registered file, after checking it is the very file the registry describes."""
    texts: dict[str, str] = {}
    for row, record in rows(registry):
        name = record["source"]
        if name in texts:
            continue  # one file may hold several articles
        key = f"article={record['article']}"
        file = directory / name
        if not file.is_file():
            raise DataError(
                registry_path,
                f"source file {name!r} not found in {directory} "
                "(the articles live in ../shared/sources; the sources_dir parameter names another folder)",
                row=row,
                column="source",
                key=key,
            )
        raw = file.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != record["sha256"]:
            raise DataError(
                registry_path,
                f"the source {name!r} has changed since it was registered: its SHA-256 is now {digest}, "
                f"the registry records {record['sha256']}. Re-check every span of this file before "
                "updating the registry",
                row=row,
                column="sha256",
                key=key,
            )
        if len(raw) != record["size_bytes"]:
            raise DataError(
                registry_path,
                f"{name!r} is {len(raw)} bytes, the registry says {record['size_bytes']}",
                row=row,
                column="size_bytes",
                key=key,
            )
        texts[name] = raw.decode("utf-8")
    return texts


def code_points(text: str) -> str:
    """'é' -> 'U+0065 U+0301' (decomposed) or 'U+00E9' (precomposed): what a printed string hides."""
    return " ".join(f"U+{ord(char):04X}" for char in text)


def _differing_parts(expected: str, found: str) -> tuple[str, str, int]:
    """The parts where two strings differ, after their common beginning and end, and where they start."""
    prefix = 0
    while prefix < min(len(expected), len(found)) and expected[prefix] == found[prefix]:
        prefix += 1
    # A combining mark belongs to the letter before it: start the difference at that letter.
    while prefix > 0 and (
        unicodedata.combining(expected[prefix : prefix + 1] or " ")
        or unicodedata.combining(found[prefix : prefix + 1] or " ")
    ):
        prefix -= 1
    suffix = 0
    while (
        suffix < min(len(expected), len(found)) - prefix
        and expected[len(expected) - 1 - suffix] == found[len(found) - 1 - suffix]
    ):
        suffix += 1
    return expected[prefix : len(expected) - suffix], found[prefix : len(found) - suffix], prefix


def _letters(text: str) -> list[str]:
    """Each letter with the combining marks that follow it: 'e' + U+0301 is one letter, as printed."""
    letters: list[str] = []
    for char in text:
        if letters and unicodedata.combining(char):
            letters[-1] += char
        else:
            letters.append(char)
    return letters


def explain_difference(expected: str, found: str, labels: tuple[str, str] = ("expected", "found")) -> str:
    """Why two strings that print (nearly) the same differ, with code points; '' when the difference is plain.

    Shown for the same letters in two Unicode forms (e + U+0301 against U+00E9), and for a short difference
    in characters that are not plain ASCII (no-break or narrow spaces, curly apostrophes, look-alike letters).
    """
    if expected == found:
        return ""
    same_letters = unicodedata.normalize("NFC", expected) == unicodedata.normalize("NFC", found)
    ours, theirs = _letters(expected), _letters(found)
    if len(ours) == len(theirs):
        # Letter by letter: each distinct pair once, in order ("é" may differ three times in one span).
        pairs = list(dict.fromkeys((a, b) for a, b in zip(ours, theirs, strict=True) if a != b))
    else:
        ours_part, theirs_part, _ = _differing_parts(expected, found)
        pairs = [(ours_part, theirs_part)]
    look_alike = all(not (a + b).isascii() and max(len(a), len(b)) <= 3 for a, b in pairs)
    if not (same_letters or look_alike):
        return ""
    shown = "; ".join(
        f"{labels[0]} has {a!r} = {code_points(a) or 'nothing'} where {labels[1]} has {b!r} = "
        f"{code_points(b) or 'nothing'}"
        for a, b in pairs[:4]
    )
    if len(pairs) > 4:
        shown += f"; and {len(pairs) - 4} more"
    if same_letters:
        return (
            f"{shown}: the same letters in two Unicode forms (decomposed and precomposed); normalise "
            f"{labels[0]} to NFC (unicodedata.normalize('NFC', text)) or copy it again from {labels[1]}"
        )
    names = ", ".join(sorted({unicodedata.name(char, "?") for a, b in pairs for char in a + b if not char.isascii()}))
    return f"{shown} ({names})"


_LOOK_ALIKE = {" ": "[ \u00a0\u202f\u2009]", "\u00a0": "[ \u00a0\u202f\u2009]", "\u202f": "[ \u00a0\u202f\u2009]"}
_LOOK_ALIKE.update({"'": "['\u2019]", "\u2019": "['\u2019]"})


def look_alike_in(part: str, whole: str) -> str | None:
    """The text in ``whole`` that ``part`` would be but for invisible differences (Unicode form, kind of
    space, straight or curly apostrophe); None when there is none."""
    for form in ("NFC", "NFD"):
        other = unicodedata.normalize(form, part)
        if other != part and other in whole:
            return other
    pattern = "".join(_LOOK_ALIKE.get(char, re.escape(char)) for char in unicodedata.normalize("NFC", part))
    match = re.search(pattern, unicodedata.normalize("NFC", whole))
    return match.group() if match and match.group() != part else None


def missing_hint(part: str, whole: str, labels: tuple[str, str]) -> str:
    """'' or '; ' + why ``part`` is not found verbatim in ``whole`` although something like it is."""
    similar = look_alike_in(part, whole)
    why = explain_difference(part, similar, labels) if similar is not None else ""
    return f"; {why}" if why else ""


def unknown_hint(value: str, known, what: str = "the known value") -> str:
    """'' or '; ' + how ``value`` differs from a known value it prints like (an id typed with a no-break
    space, a decomposed accent or a look-alike letter), so 'unknown X' does not read as nonsense."""
    for candidate in known:
        why = explain_difference(value, str(candidate), ("the value", f"{what} {candidate!r}"))
        if why:
            return f"; {why}"
    return ""


def check_span(
    text: str, span: str, start: int, end: int, *, file: Path, row: int, key: str | None, column: str = "span"
) -> None:
    """Stop unless ``span`` stands verbatim at ``text[start:end]``, saying where it does stand if anywhere.

    A span that differs only invisibly (an accent decomposed, a no-break space) is shown code point by code
    point, since its two strings would print the same.
    """
    held = text[start:end]
    if held == span:
        return
    found = text.find(span)
    if found >= 0:
        hint = f"it is found at {found}:{found + len(span)}"
    else:
        hint = "it is not found anywhere in the source"
        for form in ("NFC", "NFD"):
            other = unicodedata.normalize(form, span)
            if other != span and other in text:
                where = text.find(other)
                hint = (
                    f"it is in the source at {where}:{where + len(other)} only in Unicode form {form}: "
                    + explain_difference(span, other, ("the span", "the source"))
                )
                break
        else:
            why = explain_difference(span, held, ("the span", "the source"))
            if why:
                hint += f"; compared with what the offsets hold, {why}"
    raise DataError(
        file,
        f"the span {span!r} is not at offsets {start}:{end} of its source (which hold {held!r}); {hint}",
        row=row,
        column=column,
        key=key,
    )
