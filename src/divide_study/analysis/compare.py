"""The comparison: cost per premise, per inhabitant and per Mbit/s, in nominal and constant euros.

What each initiative's cost, premise count, population and speed *are* is data (``data/raw/measures.csv``):
each option points at an article figure, a cited reference row, or an assumption said to be one. A
comparison picks one option per initiative and quantity (the defaults, or the ``options`` parameter), so a
new initiative enters by adding rows. Figures of different dates, scopes and technologies are never added
up across those differences; every row carries the notes that say what it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.data.reference import cpi_factor
from divide_study.data.tables import read_table, rows
from divide_study.errors import DataError, StudyError

QUANTITIES = ("cost", "premises", "population", "speed")
COMPARISON_COLUMNS = [
    "initiative",
    "metric",
    "value_nominal",
    "value_constant",
    "unit",
    "price_year",
    "base_year",
    "option",
    "inputs",
    "note",
]


@dataclass(frozen=True)
class Measure:
    initiative: str
    quantity: str
    option: str
    value: float
    unit: str
    year: int | None  # the year the value refers to (for euros: the price year before any CPI cap)
    inputs: str  # where it comes from: figure ids, reference rows, or "assumption"
    note: str


def load_measures(path: Path, figures: pd.DataFrame, external: pd.DataFrame, validate: bool = True) -> pd.DataFrame:
    """The measures table, each row pointing at exactly one existing source."""
    measures = read_table(path, validate=validate)
    known = set(figures["figure_id"])
    for row, record in rows(measures):
        key = f"{record['initiative']}/{record['quantity']}/{record['option']}"
        given = [
            bool(record["figure_id"]),
            bool(record["reference_topic"] or record["reference_figure"]),
            not pd.isna(record["assumed_value"]),
        ]
        if sum(given) != 1:
            raise DataError(
                path,
                "give exactly one of figure_id, reference_topic + reference_figure, assumed_value",
                row=row,
                column="figure_id",
                key=key,
            )
        if record["figure_id"] and record["figure_id"] not in known:
            raise DataError(path, f"unknown figure {record['figure_id']!r}", row=row, column="figure_id", key=key)
        if given[1]:
            match = external[
                (external["topic"] == record["reference_topic"]) & (external["figure"] == record["reference_figure"])
            ]
            if match.empty:
                raise DataError(
                    path,
                    f"no external_figures.csv row for {record['reference_topic']!r} / {record['reference_figure']!r}",
                    row=row,
                    column="reference_figure",
                    key=key,
                )
        if given[2] and not record["assumed_unit"]:
            raise DataError(path, "an assumed value needs its unit", row=row, column="assumed_unit", key=key)
    for (initiative, quantity), group in measures.groupby(["initiative", "quantity"]):
        defaults = set(group.loc[group["default"].astype(bool), "option"])
        if len(defaults) != 1:
            raise DataError(path, f"{initiative}/{quantity} needs exactly one default option, has {sorted(defaults)}")
    return measures


def year_of(as_of: str) -> int:
    return int(str(as_of)[:4])


def resolve(
    measures: pd.DataFrame,
    figures: pd.DataFrame,
    external: pd.DataFrame,
    initiative: str,
    quantity: str,
    option: str | None = None,
    near_year: int | None = None,
) -> Measure:
    """One quantity of one initiative under one option (the default when None), its rows added up."""
    candidates = measures[(measures["initiative"] == initiative) & (measures["quantity"] == quantity)]
    if candidates.empty:
        raise StudyError(f"no {quantity} measure for initiative {initiative!r} in measures.csv")
    if option is None:
        option = candidates.loc[candidates["default"].astype(bool), "option"].iloc[0]
    chosen = candidates[candidates["option"] == option]
    if chosen.empty:
        raise StudyError(
            f"unknown {quantity} option {option!r} for {initiative!r}; "
            f"choose one of {sorted(set(candidates['option']))}"
        )
    values, units, years, inputs = [], [], [], []
    by_id = figures.set_index("figure_id")
    for record in chosen.to_dict("records"):
        if record["figure_id"]:
            figure = by_id.loc[record["figure_id"]]
            values.append(float(figure["value"]))
            units.append(figure["unit"])
            years.append(year_of(figure["as_of"]))
            inputs.append(f"article {figure['article']} ({record['figure_id']})")
        elif not pd.isna(record["assumed_value"]):
            values.append(float(record["assumed_value"]))
            units.append(record["assumed_unit"])
            inputs.append("assumption")
        else:
            rows_ = external[
                (external["topic"] == record["reference_topic"]) & (external["figure"] == record["reference_figure"])
            ].copy()
            rows_["year"] = rows_["as_of"].map(year_of)
            if near_year is not None:
                # Nearest year to the cost's; on a tie the later figure, being the better-established one.
                rows_ = rows_.assign(distance=(rows_["year"] - near_year).abs(), later=-rows_["year"])
                rows_ = rows_.sort_values(["distance", "later"])
            else:
                rows_ = rows_.sort_values("year", ascending=False)
            row = rows_.iloc[0]
            values.append(float(row["value"]))
            units.append(row["unit"])
            years.append(int(row["year"]))
            inputs.append(f"{row['figure']}, {row['as_of']} ({row['source']})")
    unit = units[0] if len(set(units)) == 1 else "premises"
    notes = "; ".join(dict.fromkeys(chosen["note"]))
    return Measure(
        initiative, quantity, option, sum(values), unit, max(years) if years else None, "; ".join(inputs), notes
    )


def price_year(year: int, cpi: pd.DataFrame) -> tuple[int, str]:
    """The CPI year to use for euros of ``year``: itself, or the last CPI year when the table stops before."""
    last = int(cpi["year"].max())
    if year > last:
        return last, f"CPI ends in {last}: euros of {year} are taken as euros of {last}"
    return year, ""


def compare_networks(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    measures: pd.DataFrame,
    cpi: pd.DataFrame,
    initiatives: list[str],
    base_year: int,
    options: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per initiative and metric; euro metrics both nominal and in constant euros of ``base_year``."""
    options = options or {}
    unknown = sorted(set(options) - {f"{i}.{q}" for i in initiatives for q in QUANTITIES})
    if unknown:
        raise StudyError(f"options {unknown} name no initiative.quantity; use e.g. 'gers_numerique.cost'")
    out = []
    for initiative in initiatives:
        chosen = {q: options.get(f"{initiative}.{q}") for q in QUANTITIES}
        out += _initiative_rows(figures, external, measures, cpi, initiative, base_year, chosen)
    frame = pd.DataFrame(out, columns=COMPARISON_COLUMNS)
    frame["price_year"] = frame["price_year"].astype("Int64")
    frame["base_year"] = frame["base_year"].astype("Int64")
    return frame


def _initiative_rows(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    measures: pd.DataFrame,
    cpi: pd.DataFrame,
    initiative: str,
    base_year: int,
    chosen: dict[str, str | None],
) -> list[dict]:
    cost = resolve(measures, figures, external, initiative, "cost", chosen["cost"])
    premises = resolve(measures, figures, external, initiative, "premises", chosen["premises"])
    # The population of the cost's year, as near as the reference data allows.
    population = resolve(measures, figures, external, initiative, "population", chosen["population"], cost.year)
    speed = resolve(measures, figures, external, initiative, "speed", chosen["speed"])
    cpi_year, cap = price_year(cost.year, cpi)
    factor = cpi_factor(cpi, cpi_year, base_year)

    def row(metric: str, nominal: float, unit: str, parts: list[Measure], in_euros: bool = True, note: str = ""):
        return {
            "initiative": initiative,
            "metric": metric,
            "value_nominal": nominal,
            "value_constant": nominal * factor if in_euros else float("nan"),
            "unit": unit,
            "price_year": cpi_year if in_euros else pd.NA,
            "base_year": base_year if in_euros else pd.NA,
            "option": " + ".join(f"{m.quantity}={m.option}" for m in parts),
            "inputs": " | ".join(m.inputs for m in parts),
            "note": note or " | ".join(m.note for m in parts),
        }

    return [
        row("cost", cost.value, "EUR", [cost], note="; ".join(filter(None, [cost.note, cap]))),
        row("premises", premises.value, premises.unit, [premises], in_euros=False),
        row("cost_per_premise", cost.value / premises.value, "EUR per premise", [cost, premises]),
        row("population", population.value, "inhabitants", [population], in_euros=False),
        row("cost_per_inhabitant", cost.value / population.value, "EUR per inhabitant", [cost, population]),
        row("speed", speed.value, "Mbit/s", [speed], in_euros=False),
        row(
            "cost_per_premise_per_mbit",
            cost.value / premises.value / speed.value,
            "EUR per premise per Mbit/s",
            [cost, premises, speed],
        ),
    ]


def metric(comparison: pd.DataFrame, initiative: str, name: str, column: str = "value_constant") -> float:
    """One number of the comparison table, for prose and titles that quote it."""
    match = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == name)]
    if len(match) != 1:
        raise KeyError(f"no single {name!r} row for {initiative!r}")
    return float(match.iloc[0][column])


def eligibility_timeline(figures: pd.DataFrame, external: pd.DataFrame) -> pd.DataFrame:
    """Share of the Gers eligible to fibre over time, from the articles and later cited figures, with targets."""
    from_articles = figures[
        (figures["initiative"] == "gers_numerique") & (figures["metric"] == "share_inhabitants_eligible")
    ]
    out = [
        {
            "date": f["as_of"],
            "share": f["value"],
            "kind": "target" if f["qualifier"] == "target" else "achieved",
            "source": f"article {f['article']} ({f['figure_id']})",
            "quote": f["span"],
        }
        for f in from_articles.to_dict("records")
    ]
    later = external[(external["topic"] == "gers_numerique") & (external["figure"] == "share eligible")]
    out += [
        {"date": r["as_of"], "share": r["value"], "kind": "achieved", "source": r["source"], "quote": r["quote"]}
        for r in later.to_dict("records")
    ]
    frame = pd.DataFrame(out, columns=["date", "share", "kind", "source", "quote"])
    frame["year"] = frame["date"].map(_decimal_year)
    return frame.sort_values(["year", "kind"], ignore_index=True)


def _decimal_year(as_of: str) -> float:
    """'2020-09-11' -> 2020.69, '2020' -> 2020.5 (mid-year when only the year is known)."""
    parts = [int(p) for p in str(as_of).split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    month = parts[1]
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1 + (day - 1) / 31) / 12


def gers_funding(figures: pd.DataFrame, external: pd.DataFrame) -> pd.DataFrame:
    """Who paid for the Gers network, as far as the sources say: each amount with its date and source.

    Amounts come from different dates and phases, so they are listed side by side, never added up.
    """
    out = []
    state = figures[figures["figure_id"] == "gers_state_funding"]
    for f in state.to_dict("records"):
        out.append(
            {
                "funder": "State",
                "amount_eur": f["value"],
                "share": float("nan"),
                "as_of": f["as_of"],
                "scope": "State investment in the Gers fibre network",
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    wanted = {
        "State share of phase 1": "State",
        "Region contribution": "Region Occitanie",
        "funding share of the Département": "Département (share of the local funding)",
    }
    for r in external[(external["topic"] == "gers_numerique") & external["figure"].isin(wanted)].to_dict("records"):
        is_share = r["unit"] == "share"
        out.append(
            {
                "funder": wanted[r["figure"]],
                "amount_eur": float("nan") if is_share else r["value"],
                "share": r["value"] if is_share else float("nan"),
                "as_of": r["as_of"],
                "scope": f"{r['figure']}; {r['note']}".rstrip("; "),
                "source": r["source"],
                "quote": r["quote"],
            }
        )
    return pd.DataFrame(out, columns=["funder", "amount_eur", "share", "as_of", "scope", "source", "quote"])


# --- Soho Solo ----------------------------------------------------------------------------------------------


def soho_outcomes(figures: pd.DataFrame, external: pd.DataFrame, persons_per_household: float) -> pd.DataFrame:
    """Every count of Soho Solo's newcomers the sources give, with a people-equivalent where one is honest.

    Families are turned into people with ``persons_per_household``; counts of people already include
    families; counts of teleworkers or members measure something else and get no people-equivalent.
    """
    out = []
    for f in figures[(figures["initiative"] == "soho_solo") & (figures["unit"] == "families")].to_dict("records"):
        out.append(
            {
                "as_of": f["as_of"],
                "count": f["value"],
                "unit": "families",
                "what": f["metric"],
                "people_equivalent": f["value"] * persons_per_household,
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    for r in external[external["topic"] == "soho_solo"].to_dict("records"):
        if r["unit"] not in ("people", "members"):
            continue
        whole_people = r["unit"] == "people" and "incl. families" in r["figure"]
        out.append(
            {
                "as_of": r["as_of"],
                "count": r["value"],
                "unit": r["unit"],
                "what": r["figure"],
                "people_equivalent": r["value"] if whole_people else float("nan"),
                "source": r["source"],
                "quote": r["quote"],
            }
        )
    frame = pd.DataFrame(out, columns=["as_of", "count", "unit", "what", "people_equivalent", "source", "quote"])
    return frame.sort_values("as_of", ignore_index=True)


# --- sensitivity --------------------------------------------------------------------------------------------

HEADLINE_METRICS = ("cost_per_premise", "cost_per_inhabitant", "cost_per_premise_per_mbit")


def headlines(comparison: pd.DataFrame) -> dict[str, float]:
    """The headline values in constant euros, as 'initiative.metric', and the ratio of the first compared
    initiative's cost per premise to the second's."""
    initiatives = list(dict.fromkeys(comparison["initiative"]))
    values = {f"{i}.{m}": metric(comparison, i, m) for i in initiatives for m in HEADLINE_METRICS}
    if len(initiatives) >= 2:
        first, second = initiatives[:2]
        values["ratio_cost_per_premise"] = values[f"{first}.cost_per_premise"] / values[f"{second}.cost_per_premise"]
    return values


def sensitivity(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    measures: pd.DataFrame,
    cpi: pd.DataFrame,
    initiatives: list[str],
    base_year: int,
    options: dict[str, str],
    base_years: list[int],
) -> pd.DataFrame:
    """Each assumption moved alone through its options (others central): the headlines it gives.

    Long format: one row per assumption, setting and headline, with ``central`` marking the central case.
    """

    def run(year, chosen):
        return headlines(compare_networks(figures, external, measures, cpi, initiatives, year, chosen))

    out = []
    dimensions: list[tuple[str, list[str]]] = [("base_year", [str(y) for y in sorted(set(base_years) | {base_year})])]
    for (initiative, quantity), group in measures[measures["initiative"].isin(initiatives)].groupby(
        ["initiative", "quantity"], sort=True
    ):
        if group["option"].nunique() > 1:
            dimensions.append((f"{initiative}.{quantity}", list(dict.fromkeys(group["option"]))))
    for dimension, settings in dimensions:
        for setting in settings:
            if dimension == "base_year":
                year, chosen = int(setting), options
                central = int(setting) == base_year
            else:
                year, chosen = base_year, {**options, dimension: setting}
                default = measures[
                    (measures["initiative"] + "." + measures["quantity"] == dimension)
                    & measures["default"].astype(bool)
                ]["option"].iloc[0]
                central = setting == options.get(dimension, default)
            for headline, value in run(year, chosen).items():
                out.append(
                    {
                        "assumption": dimension,
                        "setting": setting,
                        "central": central,
                        "headline": headline,
                        "value": value,
                    }
                )
    return pd.DataFrame(out, columns=["assumption", "setting", "central", "headline", "value"])


def tornado(table: pd.DataFrame, headline: str) -> pd.DataFrame:
    """Low, central and high of one headline for each assumption, widest swing first."""
    rows_ = table[table["headline"] == headline]
    central_value = rows_.loc[rows_["central"], "value"].iloc[0]
    out = []
    for assumption, group in rows_.groupby("assumption", sort=False):
        low, high = group.loc[group["value"].idxmin()], group.loc[group["value"].idxmax()]
        out.append(
            {
                "assumption": assumption,
                "low": low["value"],
                "low_setting": low["setting"],
                "central": central_value,
                "high": high["value"],
                "high_setting": high["setting"],
            }
        )
    frame = pd.DataFrame(out)
    frame["swing"] = frame["high"] - frame["low"]
    return frame.sort_values(["swing", "assumption"], ascending=[False, True], ignore_index=True)


# --- timelines and cost scopes ------------------------------------------------------------------------------


def milestones(figures: pd.DataFrame, external: pd.DataFrame) -> pd.DataFrame:
    """Dated events of each initiative: years the articles state, milestones with their figures, and the
    later outcomes of the reference data."""
    out = []
    labels = {
        "launch_year": "launch",
        "creation_year": "Gers Numérique created (press)",
        "first_works_year": "first works",
        "digital_plan_year": "first digital plan",
        "metro_network_year": "metropolitan fibre network",
    }
    for f in figures[figures["metric"].isin(labels)].to_dict("records"):
        label = labels[f["metric"]]
        out.append(
            {
                "initiative": f["initiative"],
                "date": str(int(f["value"])),
                "event": label,
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    picks = {
        "gers_plugs_eligible_2019": "{value:,.0f}+ plugs eligible",
        "gers_share_eligible_2020": "{value:.0%} of inhabitants eligible",
        "castres_households_covered": "DSL + WiFi for {value:,.0f} households announced",
        "soho_families_settled": "{value:,.0f} families settled",
    }
    for f in figures[figures["figure_id"].isin(picks)].to_dict("records"):
        out.append(
            {
                "initiative": f["initiative"],
                "date": f["as_of"],
                "event": picks[f["figure_id"]].format(value=f["value"]),
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    later = {
        ("gers_numerique", "final cost at completion"): "network completed",
        ("gers_numerique", "Gers Numérique syndicate creation year"): "syndicate created (per the Département)",
    }
    for r in external.to_dict("records"):
        if (r["topic"], r["figure"]) in later:
            out.append(
                {
                    "initiative": r["topic"],
                    "date": r["as_of"],
                    "event": later[(r["topic"], r["figure"])],
                    "source": r["source"],
                    "quote": r["quote"],
                }
            )
    frame = pd.DataFrame(out, columns=["initiative", "date", "event", "source", "quote"])
    frame["year"] = frame["date"].map(_decimal_year)
    return frame.sort_values(["initiative", "year", "event"], ignore_index=True)


def gers_cost_figures(figures: pd.DataFrame, external: pd.DataFrame) -> pd.DataFrame:
    """Every euro amount about the Gers network, with its scope: they differ and must not be added up."""
    out = []
    for f in figures[(figures["initiative"] == "gers_numerique") & (figures["unit"] == "EUR")].to_dict("records"):
        out.append(
            {
                "amount_eur": f["value"],
                "as_of": f["as_of"],
                "what": f["metric"].replace("_", " "),
                "source": f"article {f['article']}",
                "quote": f["span"],
            }
        )
    rows_ = external[(external["topic"] == "gers_numerique") & (external["unit"] == "EUR")]
    for r in rows_.to_dict("records"):
        out.append(
            {
                "amount_eur": r["value"],
                "as_of": r["as_of"],
                "what": r["figure"],
                "source": r["source"],
                "quote": r["quote"],
            }
        )
    frame = pd.DataFrame(out, columns=["amount_eur", "as_of", "what", "source", "quote"])
    return frame.sort_values(["as_of", "what"], ignore_index=True)
