"""One chart style for the study, and saving each chart as SVG + PNG with the CSV behind it.

Charts carry a title that states the finding, units on the axes and a source line underneath. Files are
written byte-for-byte reproducibly: no dates in the SVG, a fixed SVG id salt, fixed PNG metadata.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the build and CI have no display

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from divide_study.data.tables import write_csv_atomic

CONTEXT_COLOUR = "#7a7a7a"  # what is not one of the study's initiatives
# Each initiative's short name and colour, in the order of initiatives.csv: data, set by ``use_style``.
NAMES: dict[str, str] = {}
PALETTE: dict[str, str] = {}


def use_style(initiatives: pd.DataFrame | None = None) -> None:
    """The study's look: seaborn's clean grid, readable sizes, reproducible files; each initiative's name and
    colour from ``initiatives`` (initiatives.csv's ``short_name`` and ``colour``)."""
    if initiatives is not None:
        NAMES.clear()
        PALETTE.clear()
        for record in initiatives.to_dict("records"):
            NAMES[record["initiative"]] = record["short_name"]
            PALETTE[record["initiative"]] = record["colour"]
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    plt.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 10,
            "svg.hashsalt": "divide-study",  # SVG element ids become deterministic
            "svg.fonttype": "path",
        }
    )


def set_title(ax: plt.Axes, title: str) -> None:
    """A finding-stating title over the whole figure, wrapped to its width so it never runs off."""
    fig = ax.get_figure()
    width = int(fig.get_figwidth() * 9)  # about nine bold 12-pt characters to the inch
    fig.suptitle(textwrap.fill(title, width), x=0.01, ha="left", fontsize=12, fontweight="bold")


def source_from(comparison: pd.DataFrame, metric: str, cpi: bool = True) -> str:
    """The source line of a comparison chart: each initiative's inputs for ``metric``."""
    rows = comparison[comparison["metric"] == metric]
    parts = [f"{NAMES.get(r.initiative, r.initiative)}: {r.inputs}" for r in rows.itertuples()]
    return "; ".join(parts) + ("; INSEE CPI (constant euros)." if cpi else ".")


def add_source_line(fig: plt.Figure, text: str) -> float:
    """The source under the chart, wrapped to the figure's width; returns the height it takes (figure share)."""
    lines = textwrap.wrap(f"Source: {text}", int(fig.get_figwidth() * 17))  # about 17 7.5-pt characters an inch
    fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=7.5, color="#555555")
    return (len(lines) * 7.5 * 1.25 + 6) / 72 / fig.get_figheight()


def save_figure(fig: plt.Figure, data: pd.DataFrame, name: str, figures_dir: Path, source: str) -> list[Path]:
    """Write ``name``.svg, .png and .csv (the data drawn) into ``figures_dir``; return the paths."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    bottom = add_source_line(fig, source)
    fig.tight_layout(rect=(0, bottom, 1, 1))
    svg, png, csv = (figures_dir / f"{name}.{ext}" for ext in ("svg", "png", "csv"))
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "divide-study"})
    fig.savefig(png, format="png", metadata={"Software": "divide-study"})
    write_csv_atomic(data, csv)
    return [svg, png, csv]


def euros(value: float) -> str:
    """Euros as a reader quotes them: 5 M€, 214 M€, 1,234 €."""
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.1f} bn€"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.0f} M€" if abs(value) >= 1e7 else f"{value / 1e6:,.1f} M€"
    return f"{value:,.0f} €"


# --- the study's charts: each returns (figure, data drawn, source line) -------------------------------------

ChartResult = tuple[plt.Figure, pd.DataFrame, str]


def _label(initiative: str) -> str:
    return NAMES.get(initiative, initiative)


def _colour(initiative: str) -> str:
    return PALETTE.get(initiative, CONTEXT_COLOUR)


def per_unit_chart(comparison: pd.DataFrame, metric: str, title: str, ylabel: str, source: str) -> ChartResult:
    """Nominal and constant euros side by side for one per-unit metric of each initiative."""
    data = comparison[comparison["metric"] == metric][
        ["initiative", "value_nominal", "value_constant", "spending_years", "base_year", "option", "scope"]
    ].reset_index(drop=True)
    base_year = int(data["base_year"].iloc[0])
    long = data.melt(
        id_vars=["initiative", "spending_years"],
        value_vars=["value_nominal", "value_constant"],
        var_name="euros",
        value_name="value",
    )
    long["euros"] = long["euros"].map(
        {"value_nominal": "nominal (euros of the years spent)", "value_constant": f"constant {base_year} euros"}
    )
    long["name"] = long["initiative"].map(_label) + "\n(spent " + long["spending_years"].astype(str) + ")"
    fig, ax = plt.subplots()
    sns.barplot(data=long, x="name", y="value", hue="euros", ax=ax, palette=["#9cc3e4", "#1b6ca8"])
    for container in ax.containers:
        ax.bar_label(container, labels=[euros(v) for v in container.datavalues], fontsize=8, padding=2)
    set_title(ax, title)
    ax.set(xlabel="", ylabel=ylabel)
    ax.legend(title="", fontsize=8, loc="upper right")
    ax.margins(y=0.15)
    return fig, data, source


def cost_per_mbit_chart(comparison: pd.DataFrame, title: str, source: str) -> ChartResult:
    data = comparison[comparison["metric"].isin(["speed", "cost_per_premise_per_mbit"])][
        ["initiative", "metric", "value_nominal", "value_constant", "unit", "option", "note"]
    ].reset_index(drop=True)
    per_mbit = data[data["metric"] == "cost_per_premise_per_mbit"].copy()
    speeds = data[data["metric"] == "speed"].set_index("initiative")["value_nominal"]
    per_mbit["name"] = [f"{_label(i)}\n{speeds[i]:,.0f} Mbit/s" for i in per_mbit["initiative"]]
    fig, ax = plt.subplots()
    # Each initiative's colour from initiatives.csv; one without (a table built by hand) takes the neutral one.
    colours = {i: _colour(i) for i in per_mbit["initiative"]}
    sns.barplot(data=per_mbit, x="name", y="value_constant", hue="initiative", palette=colours, legend=False, ax=ax)
    ax.set_yscale("log")
    for container in ax.containers:
        ax.bar_label(container, labels=[f"{v:,.2f} €" for v in container.datavalues], fontsize=8, padding=2)
    set_title(ax, title)
    ax.set(xlabel="", ylabel="constant € per premise per Mbit/s (log)")
    return fig, data, source


def eligibility_chart(timelines: pd.DataFrame, title: str, source: str) -> ChartResult:
    """Each network's share of its plugs able to connect over time (achieved: line; own targets: stars)."""
    fig, ax = plt.subplots()
    for initiative, line in timelines.groupby("initiative", sort=False):
        achieved = line[line["kind"] == "achieved"]
        target = line[line["kind"] == "target"]
        colour = _colour(initiative)
        ax.plot(achieved["year"], achieved["share"], marker="o", color=colour, label=f"{_label(initiative)}: achieved")
        for row in achieved.itertuples():
            ax.annotate(
                f"{row.share:.0%}",
                (row.year, row.share),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
                color=colour,
            )
        ax.scatter(
            target["year"],
            target["share"],
            marker="*",
            s=160,
            color=colour,
            edgecolor="black",
            linewidth=0.5,
            zorder=3,
            label=f"{_label(initiative)}: own target",
        )
    set_title(ax, title)
    ax.set(xlabel="year", ylabel="share of the network's plugs able to connect", ylim=(0, 1.08))
    ax.set_xlim(int(timelines["year"].min()) - 0.3, int(timelines["year"].max()) + 1)
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(2))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%d"))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(fontsize=8, loc="lower right")
    return fig, timelines, source


def milestones_chart(events: pd.DataFrame, title: str, source: str) -> ChartResult:
    present = list(dict.fromkeys(events["initiative"]))
    order = [i for i in NAMES if i in present] + [i for i in present if i not in NAMES]
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for lane, initiative in enumerate(order):
        rows = events[events["initiative"] == initiative].reset_index(drop=True)
        ax.scatter(rows["year"], [lane] * len(rows), color=_colour(initiative), s=40, zorder=3)
        ax.hlines(lane, rows["year"].min(), rows["year"].max(), color=_colour(initiative), alpha=0.4)
        for k, row in rows.iterrows():
            offset = 10 + 11 * (k % 3)
            ax.annotate(
                f"{row['date']}: {row['event']}",
                (row["year"], lane),
                textcoords="offset points",
                xytext=(0, offset if k % 2 == 0 else -offset - 6),
                ha="center",
                fontsize=7,
                arrowprops={"arrowstyle": "-", "color": "#aaaaaa", "lw": 0.5},
            )
    ax.set_yticks(range(len(order)), [_label(i) for i in order])
    ax.set_ylim(-0.8, len(order) - 0.2)
    set_title(ax, title)
    ax.set(xlabel="year")
    ax.grid(axis="y", visible=False)
    return fig, events, source


def cost_scopes_chart(costs: pd.DataFrame, title: str, source: str) -> ChartResult:
    """Every euro amount about a network, coloured by the scope the study reads in it; hedged ones marked."""
    data = costs.copy()
    hedge = data["qualifier"].map({"at_least": "≥ ", "approx": "≈ "}).fillna("")
    data["label"] = hedge + data["what"] + " (" + data["as_of"].astype(str) + ")"
    fig, ax = plt.subplots(figsize=(9, 4.8))
    sns.barplot(data=data, y="label", x="amount_eur", hue="scope", dodge=False, palette="colorblind", ax=ax)
    for container in ax.containers:
        ax.bar_label(
            container, labels=[euros(v) if v == v else "" for v in container.datavalues], fontsize=8, padding=2
        )
    ax.legend(title="scope the study reads", fontsize=8, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: euros(v)))
    set_title(ax, title)
    ax.set(xlabel="euros, nominal (each of its own year)", ylabel="")
    ax.margins(x=0.15)
    return fig, data, source


def models_chart(models: pd.DataFrame, title: str, source: str) -> ChartResult:
    """Per network, all the money per plug against the public money per plug (each of one scope); a network
    whose public share no source gives is said so, not drawn as zero."""
    data = models[["initiative", "name", "model", "cost_per_premise", "public_money_per_premise"]].copy()
    long = data.melt(
        id_vars=["initiative", "name", "model"],
        value_vars=["cost_per_premise", "public_money_per_premise"],
        var_name="money",
        value_name="eur_per_plug",
    )
    long["money"] = long["money"].map(
        {"cost_per_premise": "all money, per plug", "public_money_per_premise": "public money, per plug"}
    )
    long["label"] = long["name"] + "\n(" + long["model"].str.replace("_", " ") + ")"
    fig, ax = plt.subplots(figsize=(8, 0.9 + 0.8 * len(data)))
    sns.barplot(data=long, y="label", x="eur_per_plug", hue="money", ax=ax, palette=["#56b4e9", "#0072b2"], orient="h")
    for container in ax.containers:
        ax.bar_label(
            container, labels=[euros(v) if v == v else "not cited" for v in container.datavalues], fontsize=8, padding=2
        )
    set_title(ax, title)
    ax.set(xlabel="euros per plug, nominal (each of its own years and scope)", ylabel="")
    ax.legend(title="", fontsize=8, loc="lower right")
    ax.margins(x=0.2)
    return fig, data, source


def newcomers_chart(outcomes: pd.DataFrame, persons_per_household: float, title: str, source: str) -> ChartResult:
    data = outcomes.copy()
    data["label"] = data["what"].str.replace("_", " ") + " (" + data["as_of"].astype(str) + ")"
    fig, ax = plt.subplots()
    sns.barplot(
        data=data, y="label", x="count", hue="unit", dodge=False, ax=ax, palette=["#3b8f5a", "#8fc79f", "#c7e3cf"]
    )
    for container in ax.containers:
        ax.bar_label(container, fmt="{:,.0f}", fontsize=8, padding=2)
    equivalent = data.dropna(subset=["people_equivalent"])
    ax.scatter(
        equivalent["people_equivalent"],
        equivalent["label"],
        marker="|",
        s=300,
        color="black",
        zorder=3,
        label=f"people-equivalent ({persons_per_household:g} per family)",
    )
    set_title(ax, title)
    ax.set(xlabel="count (unit as each source states it)", ylabel="")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.4, -0.16), ncol=4, frameon=False)
    ax.margins(x=0.12)
    return fig, data, source


def tornado_chart(frame: pd.DataFrame, title: str, xlabel: str, source: str) -> ChartResult:
    """Low and high of a headline per assumption; assumptions that do not move it are named, not drawn."""
    # Rounding noise aside: a base year scales both costs of a ratio alike, so it cannot move it.
    moves = frame["swing"] > 1e-9 * frame["central"].abs()
    still = frame.loc[~moves, "assumption"].tolist()
    if still:
        source += f" Not shown, as they leave this ratio unchanged: {', '.join(still)}."
    frame = frame[moves].reset_index(drop=True)
    fig, ax = plt.subplots()
    central = frame["central"].iloc[0]
    for k, row in enumerate(frame.itertuples()):
        ax.barh(k, row.high - central, left=central, color="#1b6ca8")
        ax.barh(k, row.low - central, left=central, color="#d9822b")
        # Name the setting at each end that moves away from the central case (the central one is the line).
        for end, setting, offset, align in (
            (row.low, row.low_setting, -3, "right"),
            (row.high, row.high_setting, 3, "left"),
        ):
            if abs(end - central) > 1e-9 * max(abs(central), 1):
                ax.annotate(
                    str(setting).replace("_", " "),
                    (end, k),
                    xytext=(offset, 0),
                    textcoords="offset points",
                    ha=align,
                    va="center",
                    fontsize=7,
                )
    ax.axvline(central, color="black", lw=0.8)
    ax.set_yticks(range(len(frame)), [a.replace("_", " ").replace(".", "\n") for a in frame["assumption"]])
    ax.invert_yaxis()
    set_title(ax, title)
    ax.set(xlabel=xlabel)
    low, high = frame["low"].min(), frame["high"].max()
    if low > 0 and high / low > 10:
        # Ratios over more than an order of magnitude: a log axis, with room for the settings at both ends.
        ax.set_xscale("log")
        ax.set_xlim(low / 6, high * 6)
        ax.set_xlabel(f"{xlabel} (log scale)")
    else:
        ax.margins(x=0.55)  # room for the settings named at both ends
    return fig, frame, source


def save(chart: ChartResult, name: str, figures_dir: Path) -> None:
    """Save a chart from the functions above, show it once in a notebook, and free it."""
    fig, data, source = chart
    paths = save_figure(fig, data, name, figures_dir, source)
    plt.close(fig)
    from IPython import get_ipython

    if get_ipython() is not None:
        # The very PNG that was published, whatever matplotlib backend the kernel runs.
        from IPython.display import Image, display

        display(Image(filename=str(paths[1])))
