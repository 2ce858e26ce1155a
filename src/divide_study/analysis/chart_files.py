"""The file names of the charts, apart from the drawing: the report finds each edition's PNG by name without
importing matplotlib and seaborn (``plots`` imports them, about a second of a kernel's start)."""

from __future__ import annotations

from divide_study.i18n import SOURCE_LANGUAGE
from divide_study.language.formats import Formats


def figure_file(name: str, lang: str = "en", ext: str = "png") -> str:
    """The file of a chart in an edition: ``figure_file("models", "fr")`` -> "models.fr.png"."""
    Formats(lang)  # checks the edition
    return f"{name}.{ext}" if lang == SOURCE_LANGUAGE else f"{name}.{lang}.{ext}"
