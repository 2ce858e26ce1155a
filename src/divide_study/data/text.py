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
