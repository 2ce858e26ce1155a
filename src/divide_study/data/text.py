"""Rules for a text value as a whole, shared by the tables (``data.tables``) and the parameters (``build.params``).

Kept free of pandas: the build's own process checks scenario names with it before anything runs.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters and DEL: a line feed or a tab inside an id, a colour or a name is invisible in a
# spreadsheet and makes an "evil twin" of a value (``some_network\n`` is not ``some_network``).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What a spreadsheet runs as a formula when a cell starts with it (the OWASP CSV-injection rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number is not a formula ("-5", "+3,5"), nor a sign alone (ARCEP's "-" for "none"): the only
# cells that may start with + or -.
_PLAIN_NUMBER = re.compile(r"[+-]|[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?")


# Unicode gives control characters no name; the ones an editor can slip in, named.
_CONTROL_NAMES = {"\x00": "NULL", "\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE"}


def control_problem(text: str) -> str | None:
    """Which control character ``text`` holds, and where, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    character = found.group()
    name = _CONTROL_NAMES.get(character, unicodedata.name(character, ""))
    code = f"U+{ord(character):04X}" + (f" {name}" if name else "")
    return f"contains a control character ({code}) at position {found.start() + 1}; remove it"


def formula_problem(text: str) -> str | None:
    """Why a spreadsheet would run ``text`` as a formula, or None."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return (
            f"starts with {text[0]!r}, which a spreadsheet would run as a formula (CSV injection); "
            "reword it so that it does not start with =, +, -, @, a tab or a carriage return"
        )
    return None


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
