"""``study messages``: the messages the code and the data use, added to the edition's catalogs.

The code's sentences (``_("…")`` in the modules and in each notebook cell) go to the catalog of their domain;
the data's own words (the values of ``datatext.SHOWN``'s columns) go to ``data/raw/words.csv``, and the sentences
the code writes into the data to the ``data`` catalog.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from divide_study.i18n import DOMAINS, catalog, catalog_path
from divide_study.language.datatext import (
    TEMPLATES,
    WORDS,
    data_messages,
    has_shown_tables,
    is_template,
    update_words,
)

# Which catalog the messages of each file belong to (the first pattern a file matches), relative to the project.
DOMAIN_OF_FILES = (
    ("notebooks/05_report.ipynb", "report"),
    ("src/divide_study/report/tables.py", "analysis"),
    ("src/divide_study/report/models_section.py", "analysis"),
    ("src/divide_study/report/panel_section.py", "analysis"),
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
            if path in seen or path.name in ("i18n.py", "messages.py"):
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
    values of the processed tables' shown columns (``language.datatext``) go to data/raw/words.csv, the
    sentences the code writes into them to the ``data`` catalog. Returns (added, dropped) by catalog.
    """
    from babel.messages.pofile import write_po

    changes = {}
    for domain, messages in used_messages(root).items():
        if domain == "data":
            # The values of the columns a reader sees (language.datatext.SHOWN): the data's own words go to the
            # data (data/raw/words.csv); the sentences the code writes into them stay this catalog's.
            # From the raw data (a new initiative's words, before any build) and the published tables (the words
            # the code writes); without the published tables, no word is dropped (which are unused is unknown).
            found = data_messages(root)
            complete = has_shown_tables(root / "data" / "processed")
            changes[WORDS] = update_words(root / WORDS, [k for k in found if not is_template(k)], lang, complete)
            messages = {key: where for key, where in found.items() if is_template(key)}
            # The code's sentences are kept whether this data uses them or not: other data (a target of "about"
            # N plugs, a test's tiny project) is written with them too, and would find no translation.
            for template in TEMPLATES:
                messages.setdefault(template.message, ["src/divide_study/language/datatext.py:1"])
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
