"""The file names of the charts and the box they print in, apart from the drawing: the report finds each edition's
PNG by name, and sizes it on paper, without importing matplotlib and seaborn (``plots`` imports them, about a
second of a kernel's start).

The print box is written here once: the report's print style sets every chart's image to at most this width and
height (``publish.to_html`` passes them to the template), and ``plots`` draws each chart at this width and no
taller, so a font of 7 points in matplotlib prints at 7 points on A4. A chart larger than the box would be
scaled down, its words with it: ``print_scale`` says by how much.
"""

from __future__ import annotations

from divide_study.i18n import SOURCE_LANGUAGE
from divide_study.language.formats import Formats

MM_PER_INCH = 25.4
CSS_PX_PER_INCH = 96  # a browser shows an image's pixel as a CSS pixel, 1/96 inch
# A chart's image on A4: at most the text's width (210 mm less two 15 mm margins, less the page's 20 px padding on
# the right, is about 174 mm; 170 mm leaves its frame room) and at most this height (a page holds a chart, its
# caption and some text).
PRINT_WIDTH_MM = 170.0
PRINT_HEIGHT_MM = 115.0
# The smallest text a chart may print (points, 1/72 inch): tick labels, values, legends, source lines.
MIN_PRINT_PT = 7.0


def figure_file(name: str, lang: str = "en", ext: str = "png") -> str:
    """The file of a chart in an edition: ``figure_file("models", "fr")`` -> "models.fr.png"."""
    Formats(lang)  # checks the edition
    return f"{name}.{ext}" if lang == SOURCE_LANGUAGE else f"{name}.{lang}.{ext}"


def print_scale(width_in: float, height_in: float, dpi: float) -> float:
    """How much a chart of ``width_in`` × ``height_in`` inches saved at ``dpi`` is scaled on A4 (1: its own
    size; 0.8: a 10-point label prints at 8 points): shrunk to the print box, keeping its shape, or shown at its
    pixels' size (1/96 inch each) when these are fewer."""
    width_mm, height_mm = width_in * MM_PER_INCH, height_in * MM_PER_INCH
    return min(PRINT_WIDTH_MM / width_mm, PRINT_HEIGHT_MM / height_mm, dpi / CSS_PX_PER_INCH)
