"""One chart style for the study, each chart drawn once per edition, saved as PNG with the CSV behind it.

Charts carry a title that states the finding, units on the axes and a source line underneath. Each is drawn at
the size it prints at in the PDFs (the print box of ``chart_files``), so its sizes in points are the printed
ones, none under 7 points; one whose words would print smaller is refused when it is saved. Every word a
reader sees is in the edition's language: sentences through the "charts" gettext catalog, codes through
labels.csv, numbers through babel (``Formats``): "2 140 €", "11,4", "67 %" in French. Axes are linear: a
lay reader reads a bar's length as its size, which a log scale breaks. Files are written byte-for-byte
reproducibly: fixed PNG metadata. The report embeds the PNG; no SVG is written (nothing read it, and it cost
about as much as the PNG to write). The English edition keeps the
plain names (``cost_per_premise.png``); another edition adds its language (``cost_per_premise.fr.png``); the
CSV of the data drawn is written once, with the English chart.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the build and CI have no display

import matplotlib.lines
import matplotlib.patches
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.layout_engine import TightLayoutEngine

from divide_study.analysis.chart_files import (  # ``figure_file``: also ``plots.figure_file``, as before
    MIN_PRINT_PT,
    MM_PER_INCH,
    PRINT_HEIGHT_MM,
    PRINT_WIDTH_MM,
    figure_file,
    print_scale,
)
from divide_study.analysis.timeline import own_targets
from divide_study.data.reference import site_name
from divide_study.data.tables import write_csv_atomic
from divide_study.errors import StudyError
from divide_study.i18n import LOCALES, SOURCE_LANGUAGE, Translator
from divide_study.language.formats import Formats
from divide_study.language.labels import Labels

# The editions every chart is drawn for, English (the source language) first: it writes the CSV.
EDITIONS = tuple(sorted(LOCALES, key=lambda lang: lang != SOURCE_LANGUAGE))
KEEP = "\x00"  # stands for a space that ``textwrap`` must not break at
CONTEXT_COLOUR = "#7a7a7a"  # what is not one of the study's initiatives
# Each initiative's short name and colour, in the order of initiatives.csv, and the labels of the data's codes
# (labels.csv): data, set by ``use_style``.
NAMES: dict[str, str] = {}
PALETTE: dict[str, str] = {}
LABELS: list[pd.DataFrame] = []
# Okabe–Ito colours for the national panel's dots.
GREENS = ["#3b8f5a", "#8fc79f", "#c7e3cf"]  # the units of a programme's counts
PANEL_COLOURS = {"studied": "#0072B2", "same region": "#E69F00", "other": "#9a9a9a"}
# Every chart is drawn at the size it prints at on A4 (the print box of ``chart_files``) and no taller, so its
# sizes in points are the printed ones: none under ``MIN_PRINT_PT``.
PRINT_WIDTH = PRINT_WIDTH_MM / MM_PER_INCH  # inches
PRINT_HEIGHT = PRINT_HEIGHT_MM / MM_PER_INCH
DPI = 180  # about 1,200 pixels across: sharp on paper, and on a screen as wide as the report's text
TITLE_PT = 10  # the finding, bold, over the chart
AXIS_PT = 8.5  # axis labels, tick labels, the names of bars and lanes
VALUE_PT = 7.5  # values written beside bars and points, legends
NOTE_PT = MIN_PRINT_PT  # source lines, labels of crowded charts, side notes


def chart_size(height: float) -> tuple[float, float]:
    """A chart's size in inches: the print box's width and ``height``, at most the box's height (a chart with
    many rows packs them closer, never prints its words smaller)."""
    return PRINT_WIDTH, min(height, PRINT_HEIGHT)


def lay_out(fig: plt.Figure, bottom: float = 0.0) -> None:
    """Fit the axes and their words into the figure above ``bottom`` (a share of its height), as ``tight_layout``
    does, without leaving a layout engine on the figure: ``savefig`` then skips the extra layout pass it makes for a
    figure that has one (about 0.03 s a chart, the same pixels)."""
    TightLayoutEngine(rect=(0, bottom, 1, 1)).execute(fig)


def smallest_printed_text(fig: plt.Figure, drawn: bool = False) -> tuple[float, str]:
    """The size in points at which the smallest visible words of ``fig`` print on A4 (their font size times the
    chart's ``print_scale`` at the saving resolution), and those words. The figure is drawn first (its tick
    labels written) unless ``drawn`` says it just was (saved, or laid out by ``tight_layout``)."""
    if not drawn:
        fig.canvas.draw()
    scale = print_scale(float(fig.get_figwidth()), float(fig.get_figheight()), plt.rcParams["savefig.dpi"])
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    smallest = min(texts, key=lambda t: t.get_fontsize())
    return float(smallest.get_fontsize()) * scale, smallest.get_text()


def legend_covers(fig: plt.Figure) -> list[str]:
    """What a legend drawn inside its axes covers that a reader must read: a value or note written on the chart
    (the axes' texts, by their words) or a bar ("a bar"). Lines and points may pass under a legend (the series
    chart's grey lines do); a legend placed outside its axes covers nothing of them. The figure must have been
    drawn (saved, or laid out)."""
    renderer = fig.canvas.get_renderer()
    covered = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        if not box.overlaps(ax.get_window_extent(renderer)):
            continue
        for text in ax.texts:
            if text.get_visible() and text.get_text().strip() and box.overlaps(text.get_window_extent(renderer)):
                covered.append(text.get_text())
        for bar in ax.patches:
            drawn = isinstance(bar, matplotlib.patches.Rectangle) and bar.get_visible()
            if drawn and bar.get_width() and bar.get_height() and box.overlaps(bar.get_window_extent(renderer)):
                covered.append("a bar")
    return covered


def cut_off(fig: plt.Figure, tolerance: float = 1.0) -> list[str]:
    """What a reader would see cut by the figure's sides: a legend (by its first words) that reaches past its left or
    right edge, as Figure 5's legend in three columns did. (A legend too tall for its figure comes of labels the data
    makes pathologically long; the layout gives any other the room below the axes. Words written on the chart are
    placed by each chart's own code, the tornado's by ``_fit_labels``.) The figure must have been drawn."""
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox

    def beyond(box) -> bool:
        return box.x0 < frame.x0 - tolerance or box.x1 > frame.x1 + tolerance

    cut = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend.get_visible() and beyond(legend.get_window_extent(renderer)):
            cut.append("the legend (" + " / ".join(t.get_text() for t in legend.get_texts()[:2]) + ")")
    return cut


LEGEND_WIDTHS = (60, 40, 25)  # characters a legend entry's line is narrowed to, in turn, while its legend is cut


def fit_legends(fig: plt.Figure, bottom: float = 0.0) -> None:
    """Narrow a legend the figure's edge would cut: its entries' words wrapped on shorter lines (``LEGEND_WIDTHS``),
    the figure laid out again, until it fits. A label the data makes long (a user's label, a scope's words) then
    reads whole on several lines; one that fits is left as it is. ``save_figure`` refuses what still does not fit."""
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    words = {id(text): text.get_text() for legend in legends for text in legend.get_texts()}
    for width in LEGEND_WIDTHS:
        fig.draw_without_rendering()
        if not cut_off(fig):  # the same test save_figure refuses by
            return
        for legend in legends:
            for text in legend.get_texts():
                text.set_text(textwrap.fill(words[id(text)], width))
        lay_out(fig, bottom)


def use_style(initiatives: pd.DataFrame | None = None, labels: pd.DataFrame | None = None) -> None:
    """The study's look: seaborn's clean grid, readable sizes, reproducible files; each initiative's name and
    colour from ``initiatives`` (initiatives.csv's ``short_name`` and ``colour``); the words of the data's codes
    in each edition from ``labels`` (labels.csv)."""
    if initiatives is not None:
        NAMES.clear()
        PALETTE.clear()
        for record in initiatives.to_dict("records"):
            NAMES[record["initiative"]] = record["short_name"]
            PALETTE[record["initiative"]] = record["colour"]
    if labels is not None:
        LABELS[:] = [labels]
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    plt.rcParams.update(
        {
            "figure.figsize": chart_size(3.8),
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "font.size": AXIS_PT,
            "axes.titlesize": TITLE_PT,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": AXIS_PT,
            "xtick.labelsize": AXIS_PT,
            "ytick.labelsize": AXIS_PT,
            "legend.fontsize": VALUE_PT,
            "legend.title_fontsize": VALUE_PT,
            "axes.formatter.use_locale": False,  # numbers are formatted by babel, per edition, never by the OS
            # Every word of a chart is the data's text, shown as written: matplotlib read a pair of '$' in a name
            # or a label as TeX math ("Gers $5 to $6" drew "Gers 5to6", "$\\frac$" stopped the step with a
            # parse error). One rule with the report's escaping: the user's text is text.
            "text.parse_math": False,
        }
    )


def translator(lang: str = "en") -> Translator:
    """The chart words of an edition: ``_ = translator("fr")``."""
    return Translator(lang, "charts")


def words(lang: str = "en") -> tuple[Translator, Formats]:
    """The chart words and number formats of an edition: ``_, fmt = words("fr")``."""
    return translator(lang), Formats(lang)


class _Codes:
    """The words of the data's codes in one edition (labels.csv, as given to ``use_style``).

    Without labels the English edition falls back to the code with spaces (how the charts read before the
    editions); another edition cannot: a code never reaches its readers.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.labels = Labels(LABELS[0], lang) if LABELS else None
        if self.labels is None and lang != SOURCE_LANGUAGE:
            raise StudyError(f"the {lang!r} charts need the labels of the codes: call plots.use_style(..., labels)")

    def __call__(self, kind: str, key: str) -> str:
        return self.labels(kind, key) if self.labels is not None else key.replace("_", " ")

    def option(self, initiative: str, option: str) -> str:
        return self.labels.option(initiative, option) if self.labels is not None else option.replace("_", " ")


def set_title(ax: plt.Axes, title: str) -> None:
    """A finding-stating title over the whole figure, wrapped to its width so it never runs off."""
    fig = ax.get_figure()
    width = int(fig.get_figwidth() * 108 / TITLE_PT)  # about 108 / size bold characters to the inch
    fig.suptitle(textwrap.fill(title, width), x=0.01, ha="left", fontsize=TITLE_PT, fontweight="bold")


def source_from(comparison: pd.DataFrame, metric: str, cpi: bool = True, lang: str = "en") -> str:
    """The source line of a comparison chart: for each initiative, the articles, sites (with the date of the
    figure) and assumptions its ``metric`` comes from, in the edition's language."""
    _, fmt = words(lang)
    rows = comparison[comparison["metric"] == metric]
    parts = []
    for row in rows.itertuples():
        cited: list[str] = []
        for part in re.split(r" \| |; ", str(row.inputs)):
            article = re.fullmatch(r"article (\S+) \(.*\)", part)
            reference = re.fullmatch(r".*, (\d{4}(?:-\d{2}){0,2}) \((.+)\)", part)
            if article:
                text = _("article {article}").format(article=article[1])
            elif part == "assumption":
                text = _("assumption of the study")
            elif reference:
                text = _("{source} ({date})").format(source=site_name(reference[2]), date=fmt.date(reference[1]))
            else:
                text = site_name(part)
            cited.append(text)
        parts.append(
            _("{name}: {sources}").format(name=_label(row.initiative), sources=", ".join(dict.fromkeys(cited)))
        )
    end = _("INSEE CPI (constant euros).") if cpi else ""
    return _("; ").join(parts) + (_("; ") + end if end else ".")


def add_source_line(fig: plt.Figure, text: str, lang: str = "en") -> float:
    """The source under the chart, wrapped to the figure's width; returns the height it takes (figure share)."""
    _ = translator(lang)
    # About 120 / size characters to the inch, the widest words' (English) included.
    lines = textwrap.wrap(_("Source: {source}").format(source=text), int(fig.get_figwidth() * 120 / NOTE_PT))
    fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=NOTE_PT, color="#555555")
    return (len(lines) * NOTE_PT * 1.25 + 6) / 72 / fig.get_figheight()


def save_figure(
    fig: plt.Figure, data: pd.DataFrame, name: str, figures_dir: Path, source: str, lang: str = "en"
) -> list[Path]:
    """Write the edition's ``name``.png into ``figures_dir`` (``name.fr.png`` for French), and with the English
    one the data drawn as ``name``.csv, once for every edition; return the paths written (the PNG first)."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    bottom = add_source_line(fig, source, lang)
    lay_out(fig, bottom)
    fit_legends(fig, bottom)
    png = figures_dir / figure_file(name, lang)
    printed, words_shown = smallest_printed_text(fig, drawn=True)  # laid out: its tick labels are written
    if printed < MIN_PRINT_PT - 1e-6:
        raise StudyError(
            f"the chart {png.name} would print {words_shown!r} at {printed:.1f} pt on A4, under "
            f"{MIN_PRINT_PT:g} pt: draw its words larger or the chart no larger than its print box (plots.chart_size)"
        )
    covered = legend_covers(fig)
    if covered:
        raise StudyError(
            f"the chart {png.name} would draw its legend over {', '.join(map(repr, covered))}: place the legend "
            "where it covers no value or bar (under the axes, as most of the study's charts do)"
        )
    cut = cut_off(fig)
    if cut:
        raise StudyError(
            f"the chart {png.name} would be cut at its edge: {', '.join(map(repr, cut))}; give its legend more "
            "columns or rows, or its words more room (plots.chart_size)"
        )
    fig.savefig(png, format="png", metadata={"Software": "divide-study"})
    if lang != SOURCE_LANGUAGE:
        return [png]
    csv = figures_dir / f"{name}.csv"
    write_csv_atomic(data, csv)
    return [png, csv]


def euros(value: float, lang: str = "en") -> str:
    """Euros as a reader of the edition quotes them: "€214M", "€5.1M", "€2,870" in English; "214 M€",
    "5,1 M€", "2 870 €" in French (billions: "€1.2bn", "1,2 Md€")."""
    fmt = Formats(lang)
    if abs(value) >= 1e9:
        amount = fmt.number(value / 1e9, 1)
        return f"{amount}\u00a0Md€" if lang == "fr" else f"€{amount}bn"
    if abs(value) >= 1e6:
        return fmt.millions_of_euros(value, 0 if abs(value) >= 1e7 else 1)
    return fmt.euros(value, 2 if 0 < abs(value) < 10 else 0)


def ratio_decimals(value: float) -> int:
    """Digits after the decimal mark of a ratio: one under a hundred (0.6×, 17.7×, 28.2×), as the text writes them
    (two ends of 17.7 and 18.1 both read "18×" beside a text giving them apart), none above (120×)."""
    return 1 if abs(value) < 100 else 0


def times(value: float, lang: str = "en") -> str:
    """A ratio as a short label: "28.2×" in English, "28,2 fois" in French (the sign is English notation there)."""
    _, fmt = words(lang)
    return _("{ratio}×").format(ratio=fmt.number(value, ratio_decimals(value)))


def _tick_times(value: float, lang: str) -> str:
    """A ratio on an axis, as a bare number (the axis's label says it is a ratio, "÷"): whole ticks without
    decimals (0, 5, 10), others with one."""
    _, fmt = words(lang)
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def _axis_format(axis, format_value: Callable[[float], str]) -> None:
    """Tick labels of ``axis`` written by the edition's formatter (babel), never matplotlib's English ones."""
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _position: format_value(value)))


def _year_axis(axis) -> None:
    """Years on an axis: every other year, every fifth over more than twenty (so that they stay apart at the
    print size), without grouping (2 014 is not a year)."""
    low, high = axis.get_view_interval()
    axis.set_major_locator(matplotlib.ticker.MultipleLocator(2 if high - low <= 20 else 5))
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _position: f"{value:.0f}"))


# --- the study's charts: each returns (figure, data drawn, source line) -------------------------------------

ChartResult = tuple[plt.Figure, pd.DataFrame, str]


def _label(initiative: str) -> str:
    return NAMES.get(initiative, initiative)


def _colour(initiative: str) -> str:
    return PALETTE.get(initiative, CONTEXT_COLOUR)


def _costs_worded(natures: dict[str, str] | None, drawn: pd.Series, chart: str) -> dict[str, str]:
    """``natures`` (what each cost is, in words), refusing a chart that would draw a cost it cannot word."""
    natures = natures or {}
    if missing := sorted(set(drawn) - set(natures)):
        raise StudyError(f"{chart}: what the cost of {', '.join(missing)} is (plan, spending...) is not given")
    return natures


def per_unit_chart(
    comparison: pd.DataFrame,
    metric: str,
    title: str,
    ylabel: str,
    source: str,
    lang: str = "en",
    natures: dict[str, str] | None = None,
) -> ChartResult:
    """Nominal and constant euros side by side for one per-unit metric of each initiative. ``natures``: what each
    initiative's cost is, in the edition's words ("planned", "spent to date"), said under its name with its years, so
    a plan never reads as spending; an initiative drawn without one is refused."""
    _, fmt = words(lang)
    columns = ["initiative", "value_nominal", "value_constant", "spending_years", "base_year", "option", "scope"]
    data = comparison[comparison["metric"] == metric][
        columns + (["qualifier"] if "qualifier" in comparison else [])
    ].reset_index(drop=True)
    base_year = int(data["base_year"].iloc[0])
    long = data.melt(
        id_vars=["initiative", "spending_years"],
        value_vars=["value_nominal", "value_constant"],
        var_name="euros",
        value_name="value",
    )
    long["euros"] = long["euros"].map(
        {
            "value_nominal": _("nominal (euros of each year)"),
            "value_constant": _("constant {year} euros").format(year=base_year),
        }
    )
    natures = _costs_worded(natures, data["initiative"], f"{metric} chart")
    long["name"] = [
        _("{name}\n({nature}, {years})").format(name=_label(i), nature=natures[i], years=years)
        for i, years in zip(long["initiative"], long["spending_years"], strict=True)
    ]
    fig, ax = plt.subplots(figsize=chart_size(3.8))
    sns.barplot(data=long, x="name", y="value", hue="euros", ax=ax, palette=["#9cc3e4", "#1b6ca8"])
    # A bar whose value is a bound says so on its label ("≤ 1 964 €": a plan over "more than" N plugs); seaborn
    # draws one container per hue, its bars in the order of the initiatives.
    signs = bound_signs(data)
    for container in ax.containers:
        ax.bar_label(
            container,
            labels=[sign + euros(v, lang) for sign, v in zip(signs, container.datavalues, strict=True)],
            fontsize=VALUE_PT,
            padding=2,
        )
    set_title(ax, title)
    ax.set(xlabel="", ylabel=ylabel)
    _axis_format(ax.yaxis, lambda v: fmt.euros(v))
    ax.legend(title="", fontsize=VALUE_PT, loc="upper right")
    ax.margins(y=0.15)
    return fig, data, source


def cost_per_mbit_chart(comparison: pd.DataFrame, title: str, source: str, lang: str = "en") -> ChartResult:
    """Constant euros per premise per Mbit/s offered, one bar per initiative on a linear axis, each labelled
    with its value and the speed it divides by: a bar ten times longer is ten times the cost."""
    _, fmt = words(lang)
    columns = ["initiative", "metric", "value_nominal", "value_constant", "unit", "option", "note"]
    data = comparison[comparison["metric"].isin(["speed", "cost_per_premise_per_mbit"])][
        columns + (["qualifier"] if "qualifier" in comparison else [])
    ].reset_index(drop=True)
    per_mbit = data[data["metric"] == "cost_per_premise_per_mbit"].reset_index(drop=True)
    speeds = data[data["metric"] == "speed"].set_index("initiative")["value_nominal"]
    names = [
        _("{name}\n{speed} Mbit/s").format(name=_label(i), speed=fmt.number(speeds[i])) for i in per_mbit["initiative"]
    ]
    fig, ax = plt.subplots(figsize=chart_size(1.5 + 0.65 * len(per_mbit)))
    ax.barh(names, per_mbit["value_constant"], color=[_colour(i) for i in per_mbit["initiative"]], height=0.6)
    signs = bound_signs(per_mbit)
    for k, (value, sign) in enumerate(zip(per_mbit["value_constant"], signs, strict=True)):
        ax.annotate(
            sign + euros(value, lang),
            (value, k),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=AXIS_PT,
        )
    ax.invert_yaxis()
    ax.set_xlim(0, per_mbit["value_constant"].max() * 1.15)
    _axis_format(ax.xaxis, lambda v: fmt.euros(v))
    set_title(ax, title)
    ax.set(xlabel=_("constant euros per premise per Mbit/s offered"), ylabel="")
    ax.grid(axis="y", visible=False)
    return fig, data, source


def targets_title(targets: pd.DataFrame, lang: str = "en") -> str:
    """A chart title stating how each network did against its own target, from the targets table."""
    _, fmt = words(lang)
    own = own_targets(targets)  # by its kind, as the summary chooses it
    parts = [
        _("{name} {achieved} by {year} against {target}").format(
            name=_label(t["initiative"]),
            achieved=BOUND_SIGNS.get(str(t.get("achieved_qualifier", "")), "") + fmt.share(t["achieved_by_then"]),
            year=t["by"],
            target=fmt.share(t["target_share"]),
        )
        for t in own.to_dict("records")
    ]
    # The title states the numbers, not a verdict: the shares are counted in different units by different sources.
    lead = _("Own targets against the latest count by then")
    return _("{lead}: {parts}").format(lead=lead, parts=_("; ").join(parts))


# How each share's base is marked in Figure 5 (progress.csv's share_of): shares of different things are not one
# measure, so each keeps its own mark and the legend says what it counts. A bare percentage is an open circle.
SHARE_MARKS = {
    "inhabitants": ("o", "full"),
    "dwellings": ("s", "full"),
    "premises": ("^", "full"),
    "plugs": ("D", "full"),
    "unstated": ("o", "none"),
}


def share_base_words(share_of: str, lang: str = "en") -> str:
    """The legend's words for what a share counts (progress.csv's ``share_of``)."""
    _ = translator(lang)
    said = {
        "inhabitants": _("share of inhabitants"),
        "dwellings": _("share of dwellings"),
        "premises": _("share of premises (homes and businesses)"),
        "plugs": _("share of the network's plugs due"),
        "unstated": _("share of what, not stated"),
    }
    return said[share_of]


def eligibility_chart(timelines: pd.DataFrame, title: str, source: str, lang: str = "en") -> ChartResult:
    """Each network's share able to connect over time (achieved: one mark per kind of base; own targets: stars).
    Its sources count inhabitants, dwellings, premises or plugs, of the network's zone or of the département: each
    kind keeps its own mark (``SHARE_MARKS``, by the timeline's ``share_of``; a timeline without it draws its
    shares as unstated), and the dots are not joined, since a line between shares of different things, or a count
    dated by its year alone and drawn mid-year, would draw a path none of them shows."""
    _, fmt = words(lang)
    fig, ax = plt.subplots(figsize=chart_size(3.8))
    handles = []
    bases_drawn: list[str] = []
    stars = timelines[timelines["kind"] == "target"]  # every network's targets, for the labels kept off them
    for initiative, line in timelines.groupby("initiative", sort=False):
        # In date order; a count that is no share of the network's plugs (households) has none to draw.
        achieved = line[(line["kind"] == "achieved") & line["share"].notna()].sort_values("year")
        target = line[line["kind"] == "target"]
        colour = _colour(initiative)
        bases = achieved["share_of"] if "share_of" in achieved else pd.Series("unstated", index=achieved.index)
        for base, points in achieved.groupby(bases.replace("", "unstated"), sort=False):
            marker, fill = SHARE_MARKS[base]
            ax.plot(
                points["year"],
                points["share"],
                marker=marker,
                fillstyle=fill,
                markerfacecolor=colour if fill == "full" else "white",
                linestyle="none",
                color=colour,
                markersize=7,
                zorder=3,
            )
            bases_drawn += [base] if base not in bases_drawn else []
        previous = None
        for row in achieved.itertuples():
            # A value within half a year of the one before is written under its point, so the two stay apart; so is
            # one with a target's star just above it (the Gers's 50 % under its 67 % target of the same year).
            star_above = ((stars["year"] - row.year).abs() < 0.5) & (stars["share"] - row.share).between(0, 0.25)
            close = (previous is not None and row.year - previous < 0.5) or bool(star_above.any())
            previous = row.year
            ax.annotate(
                # "≤ 51%": a count over "more than" N plugs (a timeline without qualifiers draws the bare share).
                BOUND_SIGNS.get(str(getattr(row, "qualifier", "")), "") + fmt.share(row.share),
                (row.year, row.share),
                textcoords="offset points",
                xytext=(0, -13) if close else (0, 7),
                ha="center",
                fontsize=VALUE_PT,
                color=colour,
            )
        ax.scatter(target["year"], target["share"], marker="*", s=130, color=colour, edgecolor="black", linewidth=0.5)
        handles.append(matplotlib.patches.Patch(color=colour, label=_label(initiative)))
    # The legend: each network's colour, then what each mark of an achieved share counts, then the targets' star
    # (in grey: any network's).
    handles += [
        matplotlib.lines.Line2D(
            [],
            [],
            marker=SHARE_MARKS[base][0],
            fillstyle=SHARE_MARKS[base][1],
            markerfacecolor=CONTEXT_COLOUR if SHARE_MARKS[base][1] == "full" else "white",
            color=CONTEXT_COLOUR,
            linestyle="none",
            label=share_base_words(base, lang),
        )
        for base in SHARE_MARKS
        if base in bases_drawn
    ]
    handles.append(
        matplotlib.lines.Line2D(
            [],
            [],
            marker="*",
            markersize=11,
            color=CONTEXT_COLOUR,
            markeredgecolor="black",
            markeredgewidth=0.5,
            linestyle="none",
            label=_("own target"),
        )
    )
    set_title(ax, title)
    ax.set(xlabel=_("year"), ylabel=_("share achieved"), ylim=(0, 1.12))
    ax.set_xlim(int(timelines["year"].min()) - 0.3, int(timelines["year"].max()) + 1)
    _year_axis(ax.xaxis)
    _axis_format(ax.yaxis, lambda v: fmt.share(v))
    # Under the chart: the points fill its whole width and height, so a legend inside would cover some.
    # Two columns: three of the bases' words do not fit the chart's width side by side (the legend was cut).
    ax.legend(handles=handles, fontsize=VALUE_PT, loc="upper left", bbox_to_anchor=(0, -0.24), ncol=2, frameon=False)
    return fig, timelines, source


def _text_extent(label: matplotlib.text.Annotation, renderer):
    """Where an annotation's words are drawn, without its connecting line."""
    label.update_positions(renderer)
    return matplotlib.text.Text.get_window_extent(label, renderer)


MILESTONE_ROW = 0.19  # inches per event: a line of words at ``VALUE_PT`` and room between lines
MILESTONE_GAP = 0.7  # rows between one initiative's events and the next's


def milestones_chart(events: pd.DataFrame, title: str, source: str, lang: str = "en") -> ChartResult:
    """Each initiative's dated events in date order, one line each, grouped under its name: the point at its
    date, its words beside it (the data's ``event``), rightwards, or leftwards where the right has not the room;
    a band in the initiative's colour spans its first to its last event. One line per event, so no words cover
    others at the size they print (the print box holds some 25 lines; more would close up)."""
    _, fmt = words(lang)
    present = list(dict.fromkeys(events["initiative"]))
    order = [i for i in NAMES if i in present] + [i for i in present if i not in NAMES]
    rows = len(events) + MILESTONE_GAP * (len(order) - 1)
    fig, ax = plt.subplots(figsize=chart_size(1.35 + MILESTONE_ROW * rows))
    first, last = float(events["year"].min()), float(events["year"].max())
    ax.set_xlim(first - 1, last + 1)
    ax.set_ylim(rows - 0.4, -0.6)  # the first initiative on top
    set_title(ax, title)
    ax.set(xlabel=_("year"))
    _year_axis(ax.xaxis)
    ax.grid(visible=False)  # each event says its date: no line runs behind its words
    y, centres, labels = 0.0, [], []
    for initiative in order:
        lane = events[events["initiative"] == initiative].sort_values("year", kind="stable")
        ys = [y + k for k in range(len(lane))]
        colour = _colour(initiative)
        start, end = lane["year"].min(), lane["year"].max()
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (start, ys[0] - 0.45), end - start, len(ys) - 0.1, color=colour, alpha=0.15, lw=0, zorder=1
            )
        )
        ax.scatter(lane["year"], ys, color=colour, s=30, zorder=3)
        for row, at in zip(lane.to_dict("records"), ys, strict=True):
            label = ax.annotate(
                _("{date}: {event}").format(date=fmt.date(row["date"]), event=row["event"]),
                (row["year"], at),
                xytext=(5, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=VALUE_PT,
                zorder=4,
            )
            label.set_in_layout(False)  # kept inside the axes below, not by shrinking them
            labels.append(label)
        centres.append((ys[0] + ys[-1]) / 2)
        y = ys[-1] + 1 + MILESTONE_GAP
    ax.set_yticks(centres, [_label(i) for i in order])
    ax.tick_params(axis="y", length=0)
    lay_out(fig)  # the axes' final width, so that the words' measured extents hold
    _keep_inside(ax, labels)
    return fig, events, source


def _keep_inside(ax: plt.Axes, labels: list[matplotlib.text.Annotation]) -> None:
    """Turn leftwards each label written rightwards of its point that would leave the axes; if it leaves them
    that way too, on the side with more room, wrapped to that room."""
    fig = ax.get_figure()
    renderer, frame, pad = fig.canvas.get_renderer(), ax.get_window_extent(), 8 * fig.dpi / 72
    for label in labels:
        box = _text_extent(label, renderer)
        point = ax.transData.transform(label.xy)[0]
        right, left = frame.x1 - pad - point, point - pad - frame.x0  # the room on either side
        needed = box.x1 - point  # from the point to the words' far end
        if needed <= right:
            continue
        leftwards = needed <= left or left > right
        room = left if leftwards else right
        if needed > room:
            text = label.get_text()
            label.set_text(textwrap.fill(text, max(int(len(text) * (room - box.x0 + point) / box.width), 12)))
        if leftwards:
            label.xyann = (-label.xyann[0], label.xyann[1])
            label.set_ha("right")


def _bar_name(_: Translator, what: str, date: str, width: int = 40) -> str:
    """A bar's name, "what (date)", wrapped to ``width`` characters with its date kept whole: the bars keep
    their width at the print size, however long the data's words."""
    whole = date.replace(" ", KEEP)  # no line breaks inside the date; its spaces put back once wrapped
    return textwrap.fill(_("{what} ({date})").format(what=what, date=whole), width).replace(KEEP, " ")


def cost_scopes_chart(costs: pd.DataFrame, title: str, source: str, lang: str = "en") -> ChartResult:
    """Every euro amount about a network, coloured by the scope the study reads in it; hedged ones marked.

    The amounts' descriptions (``what``) are the data's words: a French chart is given them in French.
    """
    _, fmt = words(lang)
    codes = _Codes(lang)
    data = costs.copy()
    hedge = bound_signs(data)
    what = [f"{h}{w}" for h, w in zip(hedge, data["what"], strict=True)]
    dates = [fmt.date(str(as_of)) for as_of in data["as_of"]]
    data["label"] = [_("{what} ({date})").format(what=w, date=d) for w, d in zip(what, dates, strict=True)]
    # A description can be long ("≈ phase 2 investment (7,000 km more network) (2022)"): wrapped.
    drawn = data.assign(
        scope=[codes("scope", s) for s in data["scope"]],
        label=[_bar_name(_, w, d) for w, d in zip(what, dates, strict=True)],
    )
    fig, ax = plt.subplots(figsize=chart_size(1.7 + 0.45 * len(data)))
    sns.barplot(data=drawn, y="label", x="amount_eur", hue="scope", dodge=False, palette="colorblind", ax=ax)
    for container in ax.containers:
        ax.bar_label(
            container,
            labels=[euros(v, lang) if v == v else "" for v in container.datavalues],
            fontsize=VALUE_PT,
            padding=2,
        )
    ax.legend(title=_("scope the study reads"), loc="upper right", bbox_to_anchor=(1, -0.2), ncol=3, frameon=False)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    _axis_format(ax.xaxis, lambda v: euros(v, lang))
    set_title(ax, title)
    ax.set(xlabel=_("euros, nominal (each of its own year)"), ylabel="")
    ax.margins(x=0.15)
    return fig, data, source


# A bound's sign before a value drawn, joined to it by a no-break space: a wrapped title never ends a line on "≤".
BOUND_SIGNS = {"at_least": "≥\u00a0", "upper_bound": "≤\u00a0", "approx": "≈\u00a0"}


def bound_signs(frame: pd.DataFrame, column: str = "qualifier") -> list[str]:
    """The sign each row's value is drawn after ("≤ " for an upper bound, "" for an exact value or a table
    without ``column``), in the frame's order."""
    return [BOUND_SIGNS.get(str(q), "") for q in frame.get(column, pd.Series("", index=frame.index))]


def money_columns(base_year: int | None) -> dict[str, str]:
    """models.csv's columns of money per plug: nominal, or constant euros of the base year when one is given
    (amounts spent in 2003, 2014-2023 and planned in 2019 compare only so)."""
    suffix = "_constant" if base_year is not None else ""
    return {column: column + suffix for column in ("cost_per_premise", "public_money_per_premise")}


def models_title(
    models: pd.DataFrame, model_words: Callable[[str], str], lang: str = "en", base_year: int | None = None
) -> str:
    """The models chart's title: each network's public money per plug, from the lowest, as what it is (≤ a bound),
    then the networks without a public amount of the plugs' scope. ``model_words``: a model's code in the
    edition's words; ``base_year``: the amounts in constant euros of that year (``money_columns``)."""
    _ = translator(lang)
    public = money_columns(base_year)["public_money_per_premise"]
    cited = models.dropna(subset=[public]).sort_values(public)
    signs = bound_signs(cited, "public_money_per_premise_qualifier")
    parts = [
        _("{name} ({model}) {euros}").format(
            name=r["name"], model=model_words(r["model"]), euros=sign + euros(r[public], lang)
        )
        for r, sign in zip(cited.to_dict("records"), signs, strict=True)
    ]
    uncited = models.loc[models[public].isna(), "name"]
    if len(uncited):
        # Not "no source gives it": a source may give public money of another scope than the plugs (the Gers's
        # phase 1 with copper and WiFi), or none split from private money (Castres-Mazamet's).
        parts.append(
            _("no amount of all their public money of the plugs' scope for {names}").format(names=", ".join(uncited))
        )
    # "As its source counts it": a source may leave out some funders (the Tarn's counts the Département's money
    # only), so the amount is never called all the public money.
    if base_year is not None:
        return _("Public money per plug in euros of {year}, as its source counts it: {parts}").format(
            year=base_year, parts=_("; ").join(parts)
        )
    return _("Public money per plug, as its source counts it: {parts}").format(parts=_("; ").join(parts))


def public_money_whose(models: pd.DataFrame, labels: Labels) -> dict[str, str]:
    """Whose money each network's public money per plug holds, in the edition's words, from models.csv's
    ``public_money_covers`` (funding.csv's covers: "departement;intercommunalities"): "the Département and the
    intercommunalities, by the study's reading". Said beside its bar, so an amount that leaves out the State and the
    Région never reads as all the public money beside a network drawn without one."""
    _ = translator(labels.lang)
    formats = Formats(labels.lang)
    return {
        row["initiative"]: _("{funders}, by the study's reading").format(
            funders=formats.join([labels("funder", code) for code in str(row["public_money_covers"]).split(";")])
        )
        for row in models.to_dict("records")
        if isinstance(row["public_money_covers"], str)
        and row["public_money_covers"]
        and row["public_money_per_premise"] == row["public_money_per_premise"]
    }


def models_chart(
    models: pd.DataFrame,
    title: str,
    source: str,
    lang: str = "en",
    natures: dict[str, str] | None = None,
    base_year: int | None = None,
    whose: dict[str, str] | None = None,
) -> ChartResult:
    """Per network, all the money per plug against the public money per plug (each of one scope); a network
    whose public share no source gives is said so, not drawn as zero. ``natures``: what each network's cost is, in
    the edition's words ("planned", "spent to date"), said beside its bar, so a plan never reads as spending; a
    network drawn without one is refused. ``base_year``: drawn in constant euros of that year (``money_columns``),
    else in nominal euros, each of its own years."""
    _, fmt = words(lang)
    codes = _Codes(lang)
    drawn = money_columns(base_year)
    data = models[["initiative", "name", "model", *drawn.values()]].rename(columns={v: k for k, v in drawn.items()})
    signs = {
        column: dict(zip(models["initiative"], bound_signs(models, f"{column}_qualifier"), strict=True))
        for column in ("cost_per_premise", "public_money_per_premise")
    }
    fig, ax = plt.subplots(figsize=chart_size(1.2 + 0.75 * len(data)))
    # Per bar: its column, its legend, its colour, its place, and what is written where a source gives no figure.
    bars = (
        ("cost_per_premise", _("the network's cost, per plug"), "#56b4e9", -0.2, _("cost: no figure per plug")),
        (
            "public_money_per_premise",
            _("public money per plug, by its source's count"),
            "#0072b2",
            0.2,
            _("public money: no amount of all its funders per plug"),
        ),
    )
    natures = _costs_worded(natures, data.loc[data["cost_per_premise"].notna(), "initiative"], "models chart")
    for column, label, colour, shift, missing in bars:
        for k, (value, initiative) in enumerate(zip(data[column], data["initiative"], strict=True)):
            cited = value == value
            ax.barh(k + shift, value if cited else 0, height=0.38, color=colour, label=label if k == 0 else None)
            shown = euros(value, lang) if cited else missing
            if cited:
                # A quotient that is a bound says so ("≤ 203 €": an exact amount over "more than" N plugs).
                shown = signs[column][initiative] + shown
            if cited and column == "cost_per_premise":
                shown = _("{amount} ({nature})").format(amount=shown, nature=natures[initiative])
            if cited and column == "public_money_per_premise" and whose and initiative in whose:
                shown = _("{amount} ({whose})").format(amount=shown, whose=whose[initiative])
            # A network whose public share no source gives is said so where its bar would be, not drawn as zero.
            ax.annotate(
                shown,
                (value if cited else 0, k + shift),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=VALUE_PT,
                style="normal" if cited else "italic",
            )
    # A model's label can be a phrase ("public body: works contract, then …"): wrapped, so the bars keep their width.
    names = [
        f"{name}\n({textwrap.fill(codes('model', model), 30)})"
        for name, model in zip(data["name"], data["model"], strict=True)
    ]
    ax.set_yticks(range(len(data)), names)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    set_title(ax, title)
    xlabel = (
        _("euros of {year} per plug (each amount along its years of spending)").format(year=base_year)
        if base_year is not None
        else _("euros per plug, nominal (each of its own years and scope)")
    )
    ax.set(xlabel=xlabel, ylabel="")
    _axis_format(ax.xaxis, lambda v: fmt.euros(v))
    # Room for the longest value label right of its bar (a French nature is long: "dépense au dernier décompte"),
    # measured as drawn: a label of w pixels starting at x fits in an axis of W pixels when the axis reaches
    # x / (1 - w / W), with a little margin.
    widest = data[["cost_per_premise", "public_money_per_premise"]].max().max()
    for label in ax.texts:
        label.set_in_layout(False)  # kept inside the axes by the limit below, not by shrinking them
    lay_out(fig)  # the axes' final width, so that the labels' measured extents hold
    renderer = fig.canvas.get_renderer()
    room = ax.get_window_extent(renderer).width
    offset = 3 * fig.dpi / 72  # the labels' 3-point offset from their bar
    ends = [
        t.xy[0] / (0.97 - (t.get_window_extent(renderer).width + offset) / room)
        for t in ax.texts
        if (t.get_window_extent(renderer).width + offset) / room < 0.9
    ]
    ax.set_xlim(0, max([widest * 1.15, *ends]))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5))  # French euros ("1 500 €") are wide
    # Under the axes: inside them, any place covers a bar or its value on some data ("best" put it over the Gers's).
    ax.legend(fontsize=VALUE_PT, loc="upper right", bbox_to_anchor=(1, -0.24), ncol=2, frameon=False)
    return fig, data, source


def newcomers_title(outcomes: pd.DataFrame, persons_per_household: float, lang: str = "en") -> str:
    """The newcomers chart's title: the families a source claims, turned into people at the assumed household
    size (said as the assumption it is), set against the later counts of people by what the numbers show — more
    than, fewer than or within them, never a verdict the numbers do not carry."""
    _, fmt = words(lang)
    families = outcomes[outcomes["unit"] == "families"].iloc[0]
    later = outcomes.loc[(outcomes["unit"] == "people") & outcomes["people_equivalent"].notna(), "count"]
    people, low, high = float(families["people_equivalent"]), float(later.min()), float(later.max())
    if people > high:
        template = _(
            "At an assumed {per_family} people per family, the {families} families of {year} (the press, on its "
            "promoter) would be about {people} people: more than the later counts of {low} to {high}"
        )
    elif people < low:
        template = _(
            "At an assumed {per_family} people per family, the {families} families of {year} (the press, on its "
            "promoter) would be about {people} people: fewer than the later counts of {low} to {high}"
        )
    else:
        template = _(
            "At an assumed {per_family} people per family, the {families} families of {year} (the press, on its "
            "promoter) would be about {people} people: within the later counts of {low} to {high}"
        )
    return template.format(
        per_family=fmt.number(persons_per_household, 1),
        families=fmt.number(families["count"]),
        year=families["as_of"],
        people=fmt.number(people),
        low=fmt.number(low),
        high=fmt.number(high),
    )


def newcomers_chart(
    outcomes: pd.DataFrame, persons_per_household: float, title: str, source: str, lang: str = "en"
) -> ChartResult:
    """Each count of a programme's newcomers in the unit its source states, with the people-equivalent of
    families as a tick. The counts' descriptions (``what``) are the data's words."""
    _, fmt = words(lang)
    codes = _Codes(lang)
    data = outcomes.copy()
    what = [str(w).replace("_", " ") for w in data["what"]]
    dates = [fmt.date(str(as_of)) for as_of in data["as_of"]]
    data["label"] = [_("{what} ({date})").format(what=w, date=d) for w, d in zip(what, dates, strict=True)]
    drawn = data.assign(
        unit=[codes("unit", u) for u in data["unit"]],
        label=[_bar_name(_, w, d, 32) for w, d in zip(what, dates, strict=True)],
    )
    fig, ax = plt.subplots(figsize=chart_size(1.9 + 0.45 * len(data)))
    sns.barplot(
        data=drawn, y="label", x="count", hue="unit", dodge=False, ax=ax, palette=GREENS[: drawn["unit"].nunique()]
    )
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt.number(v) for v in container.datavalues], fontsize=VALUE_PT, padding=2)
    # The people-equivalent where it differs from the count (families turned into people), with its value.
    converted = drawn["people_equivalent"].notna() & (drawn["people_equivalent"] != drawn["count"])
    equivalent = drawn[converted]
    ax.scatter(
        equivalent["people_equivalent"],
        equivalent["label"],
        marker="|",
        s=250,
        color="black",
        zorder=3,
        label=_("people-equivalent ({persons} per family)").format(
            persons=fmt.number(persons_per_household, 0 if float(persons_per_household).is_integer() else 1)
        ),
    )
    for row in equivalent.itertuples():
        ax.annotate(
            f"≈ {fmt.number(row.people_equivalent)}",
            (row.people_equivalent, row.label),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=VALUE_PT,
        )
    set_title(ax, title)
    ax.set(xlabel=_("count (unit as each source states it)"), ylabel="")
    _axis_format(ax.xaxis, lambda v: fmt.number(v))
    ax.legend(fontsize=VALUE_PT, loc="upper right", bbox_to_anchor=(1, -0.24), ncol=2, frameon=False)
    ax.set_xlim(0, max(data["count"].max(), data["people_equivalent"].max()) * 1.15)
    return fig, data, source


def assumption_label(assumption: str, lang: str = "en") -> str:
    """An assumption of the sensitivity as a reader names it: "Gers Numérique: cost and premises"."""
    _ = translator(lang)
    name, _newline, quantity = _assumption_label(assumption, _Codes(lang)).rpartition("\n")
    return _("{initiative}: {quantity}").format(initiative=name, quantity=quantity) if name else quantity


def _assumption_label(assumption: str, codes: _Codes) -> str:
    if "." not in assumption:
        return codes("quantity", assumption)
    initiative, quantity = assumption.split(".", 1)
    return f"{_label(initiative)}\n{codes('quantity', quantity)}"


def _setting_label(assumption: str, setting: object, codes: _Codes) -> str:
    """A setting of an assumption in the edition's words: a base year as it is, options by their labels
    (a cost and premises pair as "cost / premises")."""
    if "." not in assumption:
        return str(setting)
    initiative = assumption.split(".", 1)[0]
    # A pair on two lines, each wrapped: its label stays narrow enough to sit beside its bar, inside the chart.
    return " /\n".join(
        textwrap.fill(codes.option(initiative, part.strip()), SETTING_WIDTH) for part in str(setting).split(" / ")
    )


SETTING_WIDTH = 30  # characters a line of a tornado chart's setting holds: its words fit beside its bar


def _fit_labels(ax: plt.Axes, labels: list[tuple[matplotlib.text.Annotation, float, str]], central: float) -> None:
    """Widen the axis to the right just enough for the labels past the bars' high ends (their widths measured),
    then move any label that would leave the axes on the left (a low end near zero) over its bar, or under it
    where the bar is shorter than its words."""
    fig = ax.get_figure()
    renderer, frame = fig.canvas.get_renderer(), ax.get_window_extent()
    left, right = ax.get_xlim()
    for label, _, align in labels:
        if align == "right":  # written rightwards from a high end: (end - left) / span * width + its reach fits
            reach = _text_extent(label, renderer).x1 - ax.transData.transform(label.xy)[0]  # before widening
            room = frame.width - reach - 8
            right = max(right, left + (label.xy[0] - left) * frame.width / max(room, frame.width * 0.2))
    ax.set_xlim(left, right)
    bottom, top = ax.get_ylim()
    half_bar = 0.3 * frame.height / abs(bottom - top) * 72 / fig.dpi  # half a bar's height (0.6 rows), in points
    for label, inside_offset, inside_align in labels:
        box = _text_extent(label, renderer)
        if box.x0 >= frame.x0:
            continue
        # Over its bar when the bar is long enough for the words, else under the bar, from its end.
        bar = abs(central - label.xy[0]) / (right - left) * frame.width
        if bar > box.width + 2 * abs(inside_offset) * fig.dpi / 72:
            label.xyann = (inside_offset, 0)
        else:
            label.xyann = (0, -half_bar - 1)
            label.set_va("top")
        label.set_ha(inside_align)


def tornado_chart(frame: pd.DataFrame, title: str, xlabel: str, source: str, lang: str = "en") -> ChartResult:
    """Low and high of a headline per assumption, on a linear axis from zero; each end labelled with its
    setting and value; assumptions that do not move it are named, not drawn."""
    _ = translator(lang)
    codes = _Codes(lang)
    # Rounding noise aside: a base year scales both costs of a ratio alike, so it cannot move it.
    moves = frame["swing"] > 1e-9 * frame["central"].abs()
    still = [assumption_label(a, lang) for a in frame.loc[~moves, "assumption"]]
    if still:
        source += " " + _("Not shown, as they leave this ratio unchanged: {assumptions}.").format(
            assumptions=", ".join(still)
        )
    frame = frame[moves].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=chart_size(1.6 + 0.65 * len(frame)))
    central = frame["central"].iloc[0]
    low, high = min(frame["low"].min(), 0), frame["high"].max()
    # The axis starts at zero so that lengths read true; ``_fit_labels`` widens it for the labels.
    ax.set_xlim(low, high + 0.1 * (high - low))
    ax.set_ylim(len(frame) - 0.4, -0.9)
    labels = []
    for k, row in enumerate(frame.itertuples()):
        ax.barh(k, row.high - central, left=central, color="#1b6ca8", height=0.6)
        ax.barh(k, row.low - central, left=central, color="#d9822b", height=0.6)
        # Name the setting at each end that moves away from the central case (the central one is the line).
        for end, setting, offset, align in (
            (row.low, row.low_setting, -3, "right"),
            (row.high, row.high_setting, 3, "left"),
        ):
            if abs(end - central) > 1e-9 * max(abs(central), 1):
                text = _("{setting}: {ratio}").format(
                    setting=_setting_label(row.assumption, setting, codes), ratio=times(end, lang)
                )
                label = ax.annotate(
                    text,
                    (end, k),
                    xytext=(offset, 0),
                    textcoords="offset points",
                    ha=align,
                    va="center",
                    fontsize=NOTE_PT,
                )
                label.set_in_layout(False)  # kept inside the axes by ``_fit_labels``, not by shrinking them
                labels.append((label, -offset, "left" if align == "right" else "right"))
    ax.axvline(central, color="black", lw=0.8)
    ax.annotate(
        _("central case: {ratio}").format(ratio=times(central, lang)),
        (central, -0.6),
        xytext=(3, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=VALUE_PT,
        fontweight="bold",
    )
    ax.set_yticks(range(len(frame)), [_assumption_label(a, codes) for a in frame["assumption"]])
    ax.tick_params(axis="y", labelsize=AXIS_PT)
    ax.grid(axis="y", visible=False)
    _axis_format(ax.xaxis, lambda v: _tick_times(v, lang) if v >= 0 else "")
    set_title(ax, title)
    ax.set(xlabel=xlabel)
    lay_out(fig)
    _fit_labels(ax, labels, central)
    return fig, frame, source


def ordinal(rank: int, lang: str = "en") -> str:
    """A rank as a reader writes it: "1st", "36th" in English; "1ᵉʳ", "36ᵉ" in French (``Formats.ordinal``)."""
    return Formats(lang).ordinal(rank)


def quarter_month(quarter: str) -> str:
    """The last month of ARCEP's quarter, as an ISO month: "T1 2018" -> "2018-03"."""
    number, year = quarter.split(" ")
    return f"{year}-{3 * int(number[1:]):02d}"


def quarter_text(quarter: str, lang: str = "en") -> str:
    """ARCEP's quarter ("T1 2018", French) as the edition writes it: "Q1 2018" in English."""
    _ = translator(lang)
    number, year = quarter.split(" ")
    return _("Q{number} {year}").format(number=number[1:], year=year)


def national_panel_title(place: pd.DataFrame, quarter: str, lang: str = "en") -> str:
    """The finding of the national panel, from the placement of the first studied département."""
    _, fmt = words(lang)
    first = place.iloc[0]
    if first["rank_in_region"] == 1:
        region_note = _("the most plugs of any public zone in its region")
    else:
        region_note = _("{rank} in its region by plugs").format(rank=ordinal(first["rank_in_region"], lang))
    return _(
        # Plugs count premises (businesses too), the base dwellings: plugs as many as a share, not a share.
        "{department}: by {date}, its public-initiative zone had fibre plugs for the equivalent of {share} of its "
        "dwellings, {region_note}, but {rank} of the {count} départements with such a zone"
    ).format(
        department=first["department_name"],
        date=fmt.date(quarter_month(quarter)),
        share=fmt.share(first["public_share"], 1),
        region_note=region_note,
        rank=ordinal(first["rank_public_share"], lang),
        count=fmt.number(first["departments_ranked"]),
    )


def national_panel_chart(dots: pd.DataFrame, title: str, quarter: str, lang: str = "en") -> ChartResult:
    """Every metropolitan département as a dot: how rural it is against how far fibre reached its public zone,
    both on linear axes from zero (most départements had next to nothing by then, and the chart says so)."""
    _, fmt = words(lang)
    fig, ax = plt.subplots(figsize=chart_size(4.4))
    for group in ("other", "same region", "studied"):
        rows = dots[dots["group"] == group]
        label = {
            "other": _("other départements"),
            "same region": _("same region ({regions})").format(regions=", ".join(sorted(set(rows["region_name"])))),
            "studied": _("studied territories"),
        }[group]
        ax.scatter(
            rows["rural_dwelling_share"],
            rows["public_share"],
            s=70 if group == "studied" else 28,
            color=PANEL_COLOURS[group],
            edgecolor="black" if group == "studied" else "white",
            linewidth=0.6,
            zorder=3 if group == "studied" else 2,
            label=label,
        )
    for k, row in enumerate(dots[dots["group"] == "studied"].itertuples()):
        ax.annotate(
            _("{department} ({share})").format(department=row.department_name, share=fmt.share(row.public_share, 1)),
            (row.rural_dwelling_share, row.public_share),
            xytext=(0, 22 + 14 * (k % 2)),
            textcoords="offset points",
            ha="center",
            fontsize=AXIS_PT,
            fontweight="bold",
            color=PANEL_COLOURS["studied"],
            arrowprops={"arrowstyle": "-", "color": PANEL_COLOURS["studied"], "lw": 0.8},
        )
    _axis_format(ax.yaxis, lambda v: fmt.share(v))
    _axis_format(ax.xaxis, lambda v: fmt.share(v))
    ax.set_ylim(-0.02, max(dots["public_share"].max(), 0.1) * 1.08)
    ax.set_xlim(-0.02, max(dots["rural_dwelling_share"].max(), 0.1) * 1.08)
    ax.set_xlabel(_("share of the département's dwellings in rural communes"))
    ax.set_ylabel(
        _("public-initiative zone: FTTH plugs as a share\nof its dwellings, {quarter}").format(
            quarter=quarter_text(quarter, lang)
        )
    )
    ax.legend(loc="upper right", fontsize=VALUE_PT, frameon=True)
    set_title(ax, title)
    source = _(
        "ARCEP, FTTH deployment by commune, {quarter}; {count} metropolitan départements. Public-initiative zone: "
        "communes neither very dense, nor under an L. 33-13 commitment, nor with a private intention; its plugs "
        "are counted whoever built them. ARCEP's commune data used here end in {end}."
    ).format(quarter=quarter_text(quarter, lang), count=fmt.number(len(dots)), end=fmt.date(quarter_month(quarter)))
    return fig, dots, source


def spread_apart(values: list[float], gap: float, ceiling: float | None = None) -> list[float]:
    """Heights for the labels of ``values`` (in their order): each at its value, but none above ``ceiling`` and
    none closer than ``gap`` to the label above it (taken from the highest value down, a label too close is moved
    down)."""
    heights: dict[int, float] = {}
    above = ceiling
    for index in sorted(range(len(values)), key=lambda i: -values[i]):
        height = values[index] if above is None else min(values[index], above)
        heights[index] = height
        above = height - gap
    return [heights[i] for i in range(len(values))]


def save(chart: ChartResult, name: str, figures_dir: Path, lang: str = "en") -> None:
    """Save a chart from the functions above in its edition, show it once in a notebook, and free it."""
    fig, data, source = chart
    paths = save_figure(fig, data, name, figures_dir, source, lang)
    plt.close(fig)
    from IPython import get_ipython

    if get_ipython() is not None:
        # The very PNG that was published, whatever matplotlib backend the kernel runs.
        from IPython.display import Image, display

        display(Image(filename=str(paths[0])))


def save_editions(draw: Callable[[str], ChartResult], name: str, figures_dir: Path) -> None:
    """Draw a chart once per edition (``draw(lang)``) and save each: English writes the CSV, once."""
    for lang in EDITIONS:
        save(draw(lang), name, figures_dir, lang)


# --- every département over time (analysis.series) ------------------------------------------------------


def series_quarter_text(quarter: str, lang: str = "en") -> str:
    """The series' quarter ("2024-Q2") as the edition writes it: "Q2 2024", "T2 2024" in French."""
    _ = translator(lang)
    year, number = quarter.split("-Q")
    return _("Q{number} {year}").format(number=number, year=year)


def fibre_series_chart(
    lines: pd.DataFrame, endpoint: pd.DataFrame, studied: dict[str, str], lang: str = "en"
) -> ChartResult:
    """Every metropolitan département's share of premises able to connect to FTTH, one thin grey line each, the
    studied ones named in their initiative's colour, the metropolitan median dashed; the 2026 end point drawn
    apart, after a gap, since it comes from another source.

    ``lines``: department, department_name, quarter, quarter_end, share, role (``other``, ``studied``,
    ``median``); ``endpoint``: department, department_name, as_of, ftth_share, role; ``studied``: département ->
    initiative (its colour and name in initiatives.csv, as ``use_style`` read it).
    """
    from matplotlib import dates

    _, fmt = words(lang)
    fig, ax = plt.subplots(figsize=chart_size(4.5))
    lines = lines.assign(day=pd.to_datetime(lines["quarter_end"]))
    for _code, rows in lines[lines["role"] == "other"].groupby("department"):
        ax.plot(rows["day"], rows["share"], color="#b5b5b5", lw=0.6, alpha=0.7, zorder=1)
    median = lines[lines["role"] == "median"]
    ax.plot(
        median["day"],
        median["share"],
        color="black",
        lw=1.3,
        ls="--",
        zorder=3,
        label=_("median of the metropolitan départements"),
    )
    ax.plot([], [], color="#b5b5b5", lw=0.8, label=_("each other metropolitan département"))
    last_day = lines["day"].max()
    end_day = pd.Timestamp(endpoint["as_of"].iloc[0])
    ends, ends_2026 = [], []
    for code, initiative in studied.items():
        rows = lines[(lines["role"] == "studied") & (lines["department"] == code)]
        colour = PALETTE.get(initiative, CONTEXT_COLOUR)
        name = rows["department_name"].iloc[0]
        ax.plot(rows["day"], rows["share"], color=colour, lw=2.4, zorder=4, label=name)
        ends.append((rows["share"].iloc[-1], name, colour))
        point = endpoint[(endpoint["department"] == code)]
        if not point.empty:
            ends_2026.append((float(point["ftth_share"].iloc[0]), colour))
    # The end points side by side around their month, then the median's: shares close to 100 % lie within a
    # marker's height of each other (94.9 % and 96.8 %), and diamonds drawn on one date hid each other.
    step = pd.Timedelta(days=85)  # a diamond's width and a little more, at the chart's scale
    spots = [end_day + (k - (len(ends_2026) - 1) / 2) * step for k in range(len(ends_2026))]
    for (share, colour), day in zip(ends_2026, spots, strict=True):
        ax.scatter([day], [share], s=46, marker="D", color=colour, edgecolor="black", linewidth=0.6, zorder=5)
    # The end points' values, written left of the markers at their height, the highest first, each lower one moved
    # down when too close to the one above; none rises into the chart's top edge (the shares are close to 100 %).
    leftmost = min(spots, default=end_day)
    for (share, colour), y in zip(ends_2026, spread_apart([s for s, _ in ends_2026], 0.045, 0.975), strict=True):
        ax.annotate(
            fmt.share(share, 1),
            (end_day, share),
            xytext=(leftmost - pd.Timedelta(days=40), y),
            textcoords="data",
            fontsize=VALUE_PT,
            color=colour,
            fontweight="bold",
            ha="right",
            va="center",
        )
    median_end = endpoint[endpoint["role"] == "median"]
    rightmost = max(spots, default=end_day) + (step if not median_end.empty else pd.Timedelta(0))
    if not median_end.empty:
        ax.scatter(
            [rightmost],
            median_end["ftth_share"],
            s=40,
            marker="D",
            facecolor="white",
            edgecolor="black",
            linewidth=0.9,
            zorder=4,
            label=_("median, {month} (another source)").format(month=fmt.date(endpoint["as_of"].iloc[0][:7])),
        )
    # The studied lines' last values, labelled at the series' end, spread apart when close: the name above its
    # share, to a tenth as the text gives it (79.7% is not yet four fifths), so the label stays narrow and clear of
    # the end points' values further right.
    for (share, name, colour), y in zip(ends, spread_apart([s for s, *_ in ends], 0.09), strict=True):
        ax.annotate(
            f"{name}\n{fmt.share(share, 1)}",
            (last_day, share),
            xytext=(last_day + pd.Timedelta(days=25), y),
            textcoords="data",
            fontsize=AXIS_PT,
            fontweight="bold",
            color=colour,
            va="center",
        )
    # The gap between the series and the end point, shaded from just after the series' last quarter (the studied
    # lines' labels sit on it), and the change of basis in 2020.
    gap_start, gap_end = last_day + pd.Timedelta(days=45), end_day - pd.Timedelta(days=60)
    ax.axvspan(gap_start, gap_end, color="#f2f2f2", zorder=0)
    ax.text(
        gap_start + (gap_end - gap_start) / 2,
        0.5,
        _("no data"),
        ha="center",
        va="center",
        rotation=90,
        fontsize=NOTE_PT,
        color="#777777",
    )
    ax.text(
        end_day,
        0.04,
        _("end point\n{month}").format(month=fmt.date(endpoint["as_of"].iloc[0][:7])),
        ha="center",
        fontsize=NOTE_PT,
        color="#555555",
    )
    basis_day = pd.Timestamp("2020-01-01")
    ax.axvline(basis_day, color="#777777", lw=0.8, ls=":", zorder=2)
    ax.text(
        basis_day + pd.Timedelta(days=20),
        0.015,
        _("premises counted\non a new basis"),
        fontsize=NOTE_PT,
        color="#555555",
        va="bottom",
    )
    for threshold in (0.5, 0.8):
        ax.axhline(threshold, color="#999999", lw=0.6, ls=(0, (1, 3)), zorder=1)
    _axis_format(ax.yaxis, lambda v: fmt.share(v))
    ax.set_ylim(0, 1.0)
    ax.xaxis.set_major_locator(dates.YearLocator())
    ax.xaxis.set_major_formatter(dates.DateFormatter("%Y"))
    ax.set_xlim(
        lines["day"].min() - pd.Timedelta(days=60),
        max(end_day + pd.Timedelta(days=150), rightmost + pd.Timedelta(days=40)),
    )
    ax.set_ylabel(_("share of all the département's premises\nable to connect to FTTH (quarter's end)"))
    # Below the axes, in two columns: inside them the legend's box hid the grey lines of the départements at the
    # top left (and anything the series draws there in another year).
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2, fontsize=NOTE_PT, frameon=False)
    last_quarter = lines["quarter"].max()
    studied_ends = ", ".join(
        _("{department} {share}").format(department=name, share=fmt.share(share, 1)) for share, name, _c in ends[::-1]
    )
    set_title(
        ax,
        _(
            "Share of premises able to connect to FTTH, {quarter}: {studied}; median of the metropolitan "
            "départements {median}"
        ).format(
            quarter=series_quarter_text(last_quarter, lang),
            studied=studied_ends,
            median=fmt.share(float(median["share"].iloc[-1]), 1),
        ),
    )
    count = lines.loc[lines["role"] != "median", "department"].nunique()
    source = _(
        "Baromètre des résultats de l'action publique (etalab to {etalab_end}, DITP from {ditp_start}), {count} "
        "metropolitan départements; the share is of all premises, whatever the zone or the network that built "
        "them; premises counted from INSEE dwellings and business sites until 2020, from operators' addresses "
        "after. End point ({month}): ARCEP, Ma connexion internet, through a third party's import (a derivative), "
        "not a quarter of the series."
    ).format(
        etalab_end=series_quarter_text("2022-Q3", lang),
        ditp_start=series_quarter_text("2022-Q2", lang),
        count=fmt.number(count),
        month=fmt.date(endpoint["as_of"].iloc[0][:7]),
    )
    data = pd.concat(
        [
            lines.drop(columns="day"),
            endpoint.assign(quarter="", quarter_end=endpoint["as_of"], share=endpoint["ftth_share"])[
                lines.columns.drop("day")
            ],
        ],
        ignore_index=True,
    )
    return fig, data, source
