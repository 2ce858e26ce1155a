"""What each analysis step quotes: the numbers of its results the report states, as ``quoted`` rows.

Each function takes a step's results (and the processed tables they came from) and adds rows to the step's
``Quotes``: a number read from an article's figure or a reference row names that row; a number the step computed
names its inputs and the operation. The report asks for these rows by key (``report.ledger.Report.quote``).

Rows are chosen by ids and roles — an initiative id, a metric code, an evidence id, a ``role`` of
``data/raw/roles.csv`` — never by their English wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from divide_study.analysis.evidence import FORESEEN
from divide_study.analysis.measures import PROFILE_KEY, resolve
from divide_study.analysis.metrics import derived_from_share
from divide_study.analysis.quoted import Quotes
from divide_study.analysis.sensitivity import Inputs, bounds, tornado
from divide_study.analysis.timeline import NATIONAL_GOAL, NOT_YET
from divide_study.errors import StudyError

FIGURES = "data/processed/figures.csv"  # the articles' figures, each with its verbatim span
REFERENCE = "data/processed/external_figures.csv"  # the cited reference rows, copied unchanged
MEASURES = "data/raw/measures.csv"  # where an assumed value (the sources state none) is declared
ROLES = "data/raw/roles.csv"

# A figure's qualifier says what the number is: the words "plus de" make it a lower bound, "environ" an
# approximation, "d'ici" a target.
QUALIFIER_NATURE = {
    "exact": "stated",
    "at_least": "lower_bound",
    "approx": "approximate",
    "upper_bound": "upper_bound",
    "target": "target",
}
# The comparison's metrics, as the quoted table names their units.
METRIC_UNITS = {
    "cost": "EUR",
    "premises": "premises",
    "population": "inhabitants",
    "speed": "Mbit/s",
    "cost_per_premise": "EUR_per_premise",
    "cost_per_inhabitant": "EUR_per_inhabitant",
    "cost_per_premise_per_mbit": "EUR_per_premise_per_mbit",
}
METRIC_WHAT = {
    "cost": "cost, nominal euros",
    "premises": "premises",
    "population": "population",
    "speed": "speed offered",
    "cost_per_premise": "cost per premise",
    "cost_per_inhabitant": "cost per inhabitant",
    "cost_per_premise_per_mbit": "cost per premise per Mbit/s",
}


def evidence_row(evidence: pd.DataFrame, evidence_id: str) -> pd.Series:
    """One row of evidence.csv (an article's figure or a reference row) by its id."""
    rows = evidence[evidence["evidence_id"] == evidence_id]
    if len(rows) != 1:
        raise StudyError(f"evidence.csv has {len(rows)} rows of id {evidence_id!r}; one was expected")
    return rows.iloc[0]


def source_of(evidence_id: str, row: pd.Series) -> tuple[str, dict[str, str]]:
    """The table and row an evidence id names: an article's figure, or a reference row (topic|figure|as_of)."""
    if row["kind"] == "article":
        return FIGURES, {"figure_id": evidence_id}
    topic, figure, as_of = evidence_id.split("|")
    return REFERENCE, {"topic": topic, "figure": figure, "as_of": as_of}


def read_evidence(
    q: Quotes,
    name: str,
    evidence_id: str,
    evidence: pd.DataFrame,
    what: str,
    *,
    subject: str = "",
    scope: str = "",
    unit: str | None = None,
) -> str:
    """Quote a figure as its source states it (its value, unit, qualifier and date); its key."""
    row = evidence_row(evidence, evidence_id)
    table, pairs = source_of(evidence_id, row)
    return q.read(
        name,
        row["value"],
        table=table,
        row=pairs,
        column="value",
        unit=unit or str(row["unit"]),
        nature=evidence_nature(row),
        what=what,
        subject=subject,
        scope=scope,
        as_of=row["as_of"],
    )


def evidence_nature(row: Mapping) -> str:
    """What a sentence may state an evidence row as: an amount foreseen (a plan, budget, estimate or
    announcement) only as a plan, a funding need only as a need, penalties counted or money a party says was
    invested only as a claim; any other
    figure as its qualifier says (stated, a lower bound, about...)."""
    amount = str(row.get("amount_nature") or "")
    if amount in FORESEEN:
        return "plan"
    if amount == "funding_need":
        return "funding_need"
    if amount in ("penalties", "said_invested"):
        return "claim"
    return QUALIFIER_NATURE.get(str(row["qualifier"]), "stated")


def read_date(
    q: Quotes, name: str, evidence_id: str, evidence: pd.DataFrame, what: str, subject: str = "", precision: int = 10
) -> str:
    """Quote the date a figure speaks for (its ``as_of``), as a date: to the day, or to the month with
    ``precision=7`` ("by March 2025"), or as a year (``precision=4``, a number: the year of a cost's prices)."""
    row = evidence_row(evidence, evidence_id)
    table, pairs = source_of(evidence_id, row)
    as_of = str(row["as_of"])[:precision]
    return q.read(
        name,
        int(as_of) if precision == 4 else as_of,
        table=table,
        row=pairs,
        column="as_of",
        unit="year" if precision == 4 else "date",
        nature="stated",
        what=what,
        subject=subject,
    )


def _assumed_measure(q: Quotes, name: str, measures: pd.DataFrame, initiative: str, quantity: str, option: str) -> str:
    """A value measures.csv assumes (the sources state none): its row is where the assumption is declared."""
    rows = measures[
        (measures["initiative"] == initiative) & (measures["quantity"] == quantity) & (measures["option"] == option)
    ]
    if len(rows) != 1 or pd.isna(rows.iloc[0]["assumed_value"]):
        raise StudyError(f"measures.csv: no assumed value for {initiative}.{quantity}={option}")
    row = rows.iloc[0]
    return q.read(
        name,
        row["assumed_value"],
        table=MEASURES,
        row={"initiative": initiative, "quantity": quantity, "option": option},
        column="assumed_value",
        unit=str(row["assumed_unit"]),
        nature="assumption",
        what=METRIC_WHAT.get(quantity, quantity),
        subject=initiative,
        scope=str(row["scope"]),
    )


def comparison_quotes(q: Quotes, comparison: pd.DataFrame, evidence: pd.DataFrame, measures: pd.DataFrame) -> None:
    """The comparison's numbers: each initiative's cost, premises, population and speed as their sources state
    them, the cost in constant euros, and each per-unit figure with the inputs it divides.

    Keys: ``<step>.<initiative>.<metric>`` (constant euros for euro metrics) and ``…<metric>_nominal``.
    """
    base_years = comparison["base_year"].dropna().unique()
    if len(base_years) != 1:
        raise StudyError(f"comparison.csv: expected one base year, found {list(base_years)}")
    base_year = q.assumed("base_year", int(base_years[0]), parameter="base_year", unit="year", what="base year")
    for initiative, rows in comparison.groupby("initiative", sort=False):
        by_metric = rows.set_index("metric")
        keys: dict[str, str] = {}
        for metric in ("cost", "premises", "population", "speed"):
            if metric not in by_metric.index:
                continue
            row = by_metric.loc[metric]
            ids = [i for i in str(row["input_ids"]).split(";") if i]
            name, what = f"{initiative}.{metric}", METRIC_WHAT[metric]
            common = {"subject": initiative, "scope": str(row["scope"])}
            if metric == "cost":
                name = f"{initiative}.cost_nominal"
            if len(ids) == 1 and ids[0].startswith("assumption:"):
                quantity, option = ids[0].removeprefix("assumption:").split(".", 1)[1].split("=")
                keys[metric] = _assumed_measure(q, name, measures, initiative, quantity, option)
            elif len(ids) == 1:
                keys[metric] = read_evidence(
                    q, name, ids[0], evidence, what, unit=METRIC_UNITS[metric] if metric != "cost" else None, **common
                )
                if metric == "cost":  # the date a cost speaks for ("spent by July 2023")
                    read_date(q, f"{name}.on", ids[0], evidence, "date of the cost", initiative)
                if metric == "population":  # a per-inhabitant figure says whose count of which year it divides by
                    read_year(q, f"{name}.year", ids[0], evidence, "year of the population count", initiative)
            else:  # premises of several counts (households and businesses): each read, then added
                parts = [read_evidence(q, f"{name}.part_{n}", i, evidence, what, **common) for n, i in enumerate(ids)]
                keys[metric] = q.computed(
                    name,
                    row["value_nominal"],
                    inputs=parts,
                    operation="add",
                    unit=METRIC_UNITS[metric],
                    what=what,
                    **common,
                )
        cost = by_metric.loc["cost"]
        years = _spending_years(q, initiative, cost, measures)
        keys["cost_constant"] = q.computed(
            f"{initiative}.cost",
            cost["value_constant"],
            inputs=[keys["cost"], base_year, *years],
            operation="deflate",
            unit="EUR",
            what="cost, constant euros of the base year",
            subject=initiative,
            scope=str(cost["scope"]),
        )
        if pd.notna(cost["price_year"]):  # a cost of one year: the year of its prices is its figure's year
            cost_ids = [i for i in str(cost["input_ids"]).split(";") if i]
            read_year(q, f"{initiative}.price_year", cost_ids[0], evidence, "year of the cost's prices", initiative)
        divisors = {
            "cost_per_premise": ["premises"],
            "cost_per_inhabitant": ["population"],
            "cost_per_premise_per_mbit": ["premises", "speed"],
        }
        for metric, below in divisors.items():
            if metric not in by_metric.index:
                continue
            row = by_metric.loc[metric]
            for suffix, column, top in (("", "value_constant", "cost_constant"), ("_nominal", "value_nominal", "cost")):
                q.computed(
                    f"{initiative}.{metric}{suffix}",
                    row[column],
                    inputs=[keys[top], *(keys[b] for b in below)],
                    operation="divide",
                    unit=METRIC_UNITS[metric],
                    what=METRIC_WHAT[metric] + (", constant euros" if not suffix else ", nominal euros"),
                    subject=initiative,
                    scope=str(row["scope"]),
                )


PER_UNIT = ("cost_per_premise", "cost_per_inhabitant", "cost_per_premise_per_mbit")


def comparison_keys(comparison: pd.DataFrame, step: str = "compare") -> pd.DataFrame:
    """The key of the quoted number each cell of comparison.csv shows (its nominal and constant values), by the
    row's ids (initiative, metric): the keys ``comparison_quotes`` gives them; empty where a cell has none."""
    nominal, constant, spent = [], [], []
    for initiative, metric, years in zip(
        comparison["initiative"], comparison["metric"], comparison["spending_years"].fillna(""), strict=True
    ):
        base = f"{step}.{initiative}.{metric}"
        # The years a cost is spread over ("2014–2023"): its profile's first and last year, each quoted.
        ends = [f"{step}.{initiative}.spending.first_year", f"{step}.{initiative}.spending.last_year"]
        spent.append("" if not years else ends[0] if "–" not in str(years) else ";".join(ends))
        if metric == "cost" or metric in PER_UNIT:
            nominal.append(f"{base}_nominal")
            constant.append(base)
        else:  # premises, population, speed: stated, one value
            nominal.append(base)
            constant.append("")
    return pd.DataFrame(
        {"value_nominal": nominal, "value_constant": constant, "spending_years": spent}, index=comparison.index
    )


def headline_quotes(q: Quotes, values: dict[str, float], pairs: dict[str, tuple[str, str, str]]) -> None:
    """Each headline ratio of headlines.csv: the numerator's metric over the denominator's (constant euros)."""
    for headline, (metric, top, bottom) in pairs.items():
        q.computed(
            f"headline.{headline}",
            values[headline],
            inputs=[f"{q.step}.{top}.{metric}", f"{q.step}.{bottom}.{metric}"],
            operation="divide",
            unit="ratio",
            what=f"ratio of {METRIC_WHAT[metric]}",
        )


def read_year(q: Quotes, name: str, evidence_id: str, evidence: pd.DataFrame, what: str, subject: str = "") -> str:
    """Quote the year a figure speaks for (the year of its ``as_of``): the year of a cost's prices, of a target."""
    return read_date(q, name, evidence_id, evidence, what, subject, precision=4)


def target_quotes(q: Quotes, targets: pd.DataFrame, evidence: pd.DataFrame, goals: dict[str, str]) -> None:
    """Each target of targets.csv: what was aimed at and by when, what was achieved by then and when, and when
    the target was reached. An initiative's own target is ``<initiative>.own_target`` (``_2``… after the first);
    a national goal is keyed by its role in roles.csv (``goals``: evidence id -> role)."""
    for initiative, rows in targets.groupby("initiative", sort=False):
        own = 0
        # What a count achieved is a share of: the network's plugs (the comparison's premises, quoted before).
        plugs = next((r for r in q.rows if r["key"] == f"{q.step}.{initiative}.premises"), None)
        for row in rows.to_dict("records"):
            if row["target_id"] in goals:
                name = f"{initiative}.{goals[row['target_id']]}"
                # A national goal is a year: "fibre everywhere by 2025".
                read_evidence(q, f"{name}.by", row["target_id"], evidence, "year of the target", subject=initiative)
            elif row["cited_as"] == NATIONAL_GOAL:
                continue  # a national goal no role names: the report does not quote it
            else:
                own += 1
                name = f"{initiative}.own_target" + (f"_{own}" if own > 1 else "")
                unit = "share" if row["cited_as"] == "share" else None
                read_evidence(q, name, row["target_id"], evidence, "own target", subject=initiative, unit=unit)
                if row["by_id"] != row["target_id"]:  # a year stated by another row ("d'ici octobre 2022")
                    read_evidence(q, f"{name}.by", row["by_id"], evidence, "year of the target", subject=initiative)
                else:
                    read_year(q, f"{name}.by", row["target_id"], evidence, "year of the target", initiative)
            if row["achieved_id"]:
                achieved = read_evidence(
                    q, f"{name}.achieved", row["achieved_id"], evidence, "achieved by then", subject=initiative
                )
                read_date(
                    q, f"{name}.achieved_on", row["achieved_id"], evidence, "date of what was achieved", initiative
                )
                got = evidence_row(evidence, row["achieved_id"])
                # A count of plugs achieved over the network's plugs: the share able to connect (a count of
                # households or dwellings is not divided by plugs).
                if plugs is not None and got["unit"] in ("plugs", "premises"):
                    q.computed(
                        f"{name}.achieved_share",
                        float(got["value"]) / float(plugs["value"]),
                        inputs=[achieved, plugs["key"]],
                        operation="divide",
                        unit="share",
                        what="share of the network's plugs achieved by then",
                        subject=initiative,
                    )
            if row["reached_id"] and row["reached_on"] == NOT_YET:
                read_date(
                    q,
                    f"{name}.not_reached_as_of",
                    row["reached_id"],
                    evidence,
                    "date of the last count, the target not reached by then",
                    initiative,
                )
            elif row["reached_id"]:
                read_date(
                    q, f"{name}.reached_on", row["reached_id"], evidence, "date the target was reached", initiative
                )


def cost_range_quotes(q: Quotes, costs: pd.DataFrame, evidence: pd.DataFrame, focus: str) -> None:
    """The lowest and the highest of the focus's cost figures, each as its source states it."""
    for name, position in (("lowest", costs["amount_eur"].idxmin()), ("highest", costs["amount_eur"].idxmax())):
        read_evidence(
            q,
            f"{focus}.cost_figures.{name}",
            costs.loc[position, "evidence_id"],
            evidence,
            f"{name} cost figure",
            subject=focus,
        )


def slug(text: str) -> str:
    """A key part from any words: "cost+premises = initial_budget / phase1_homes" -> "cost_premises_initial_…"."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def _measure_quotes(
    q: Quotes,
    name: str,
    inputs: Inputs,
    evidence: pd.DataFrame,
    initiative: str,
    quantity: str,
    option: str | None,
    year: bool = False,
    near_year: int | None = None,
) -> list[str]:
    """The quoted rows of one option of measures.csv (its rows nearest ``near_year``, as ``resolve`` picks them):
    each figure or reference row it reads, or its assumption; with ``year``, the year a single figure read speaks
    for (``<name>.year``: a population's count)."""
    measure = resolve(inputs.measures, inputs.figures, inputs.external, initiative, quantity, option, near_year)
    if year and len(measure.input_ids) == 1 and not measure.input_ids[0].startswith("assumption:"):
        read_year(q, f"{name}.year", measure.input_ids[0], evidence, f"year of the {quantity} count", initiative)
    keys = []
    for n, evidence_id in enumerate(measure.input_ids):
        part = name if len(measure.input_ids) == 1 else f"{name}.part_{n}"
        if evidence_id.startswith("assumption:"):
            keys.append(_assumed_measure(q, part, inputs.measures, initiative, quantity, measure.option))
        else:
            keys.append(
                read_evidence(q, part, evidence_id, evidence, METRIC_WHAT.get(quantity, quantity), subject=initiative)
            )
    return keys


def choice_quotes(q: Quotes, inputs: Inputs, evidence: pd.DataFrame, assumption: str, setting: str) -> list[str]:
    """What one choice of the sensitivity analysis brings in instead of the central case, as quoted rows: the
    figures of another cost, premises, population or speed option, or another base year. A spending profile is
    a shape, not a number: the figures it spreads (the central cost) are its inputs, and the quoted number's
    ``scope`` names the profile."""
    name = f"choice.{slug(assumption)}.{slug(setting)}"
    if name not in q.made:
        q.made[name] = _choice_quotes(q, inputs, evidence, assumption, setting, name)
    return q.made[name]


def _choice_quotes(
    q: Quotes, inputs: Inputs, evidence: pd.DataFrame, assumption: str, setting: str, name: str
) -> list[str]:
    if assumption == "base_year":
        return [q.assumed(name, int(setting), parameter="sensitivity_base_years", unit="year", what="base year tried")]
    initiative, quantity = assumption.split(".", 1)
    if quantity == PROFILE_KEY:
        return _measure_quotes(q, f"{name}.cost", inputs, evidence, initiative, "cost", None)
    if quantity == "cost+premises":
        cost, premises = (part.strip() for part in setting.split("/"))
        return [
            *_measure_quotes(q, f"{name}.cost", inputs, evidence, initiative, "cost", cost),
            *_measure_quotes(q, f"{name}.premises", inputs, evidence, initiative, "premises", premises),
        ]
    return _measure_quotes(q, name, inputs, evidence, initiative, quantity, setting)


def sensitivity_quotes(q: Quotes, table: pd.DataFrame, inputs: Inputs, evidence: pd.DataFrame) -> None:
    """Each headline ratio's low and high under every choice that moves it (``<headline>.<choice>.low``), each
    recomputed from the figures the choice brings in; and the lowest and highest over every choice (``.low``,
    ``.high``)."""
    headlines = [h for h in dict.fromkeys(table["headline"].dropna()) if h in inputs.pairs]
    for headline in headlines:
        ranges = tornado(table, headline)
        lows, highs = [], []
        for row in ranges.to_dict("records"):
            for end, keys in (("low", lows), ("high", highs)):
                brought = choice_quotes(q, inputs, evidence, row["assumption"], row[f"{end}_setting"])
                keys.append(
                    q.computed(
                        f"{headline}.{slug(row['assumption'])}.{end}",
                        row[end],
                        inputs=brought,
                        operation="recompute",
                        unit="ratio",
                        what="ratio recomputed with another choice",
                        scope=f"{row['assumption']} = {row[f'{end}_setting']}",
                    )
                )
        span = bounds(table, headline)
        q.computed(f"{headline}.low", span["low"], inputs=lows, operation="min", unit="ratio", what="lowest ratio")
        q.computed(f"{headline}.high", span["high"], inputs=highs, operation="max", unit="ratio", what="highest ratio")


def reading_quotes(q: Quotes, table: pd.DataFrame, inputs: Inputs, evidence: pd.DataFrame, networks: list[str]) -> None:
    """Each network's cost per premise under each compatible pair of cost and premises (``readings``' cost
    readings), recomputed from the figures the pair reads. Keys: ``reading.<initiative>.<cost / premises>``."""
    for initiative in networks:
        assumption = f"{initiative}.cost+premises"
        rows = table[
            (table["assumption"] == assumption)
            & (table["headline"] == f"{initiative}.cost_per_premise")
            & (table["status"] == "ok")
        ]
        for row in rows.to_dict("records"):
            q.computed(
                f"reading.{slug(initiative)}.{slug(row['setting'])}",
                row["value"],
                inputs=choice_quotes(q, inputs, evidence, assumption, row["setting"]),
                operation="recompute",
                unit="EUR_per_premise",
                what="cost per premise under one reading of its cost and premises, constant euros",
                subject=initiative,
                scope=f"{assumption} = {row['setting']}",
            )


def reading_key(initiative: str, setting: str, step: str = "sensitivity") -> str:
    """The key ``reading_quotes`` gives one network's cost per premise under one pair of cost and premises."""
    return f"{step}.reading.{slug(initiative)}.{slug(setting)}"


def scenario_quotes(
    q: Quotes,
    scenarios: pd.DataFrame,
    swept: dict[str, dict],
    central: dict,
    files: dict[str, str],
    inputs: Inputs,
    evidence: pd.DataFrame,
) -> None:
    """Each headline under each scenario of ``params/scenarios/`` (scenarios.csv), recomputed from what the
    scenario changes: a base year read from its file, or the figures of the options it chooses (their rows of
    measures.csv). Keys: ``scenario.<name>.<headline>``; a refused scenario has none."""
    for name, values in swept.items():
        rows = scenarios[(scenarios["scenario"] == name) & (scenarios["status"] == "ok")]
        if rows.empty:
            continue
        base = f"scenario.{slug(name)}"
        brought = []
        if values["base_year"] != central["base_year"]:
            brought.append(
                q.read(
                    f"{base}.base_year",
                    int(values["base_year"]),
                    table=files[name],
                    row={"parameter": "base_year"},
                    column="value",
                    unit="year",
                    nature="assumption",
                    what="base year of the scenario",
                )
            )
        for choice, option in sorted(values["options"].items()):
            if central["options"].get(choice) == option:
                continue
            initiative, quantity = choice.split(".", 1)
            part = f"{base}.{slug(choice)}"
            brought += _measure_quotes(q, part, inputs, evidence, initiative, quantity, option)
        if not brought:  # a scenario that changes nothing the central case sets: its one choice, the base year
            brought.append(
                q.assumed(
                    f"{base}.base_year",
                    int(values["base_year"]),
                    parameter="base_year",
                    unit="year",
                    what="base year of the scenario",
                )
            )
        for row in rows.to_dict("records"):
            headline = str(row["headline"])
            metric = headline.rsplit(".", 1)[-1]
            unit = "ratio" if metric.startswith("ratio_") else METRIC_UNITS[metric]
            q.computed(
                f"{base}.{slug(headline)}",
                row["value"],
                inputs=brought,
                operation="scenario",
                unit=unit,
                what="headline under a scenario",
                scope=name,
            )


def programme_quotes(
    q: Quotes, outcomes: pd.DataFrame, evidence: pd.DataFrame, programme: str, persons_per_household: float
) -> None:
    """A programme's counts of newcomers: the families its promoter claimed and when, the same as people at the
    assumed household size, the lowest and highest later count of people, and the people per family those
    counts would imply."""
    families = outcomes[outcomes["unit"] == "families"]
    people = outcomes[(outcomes["unit"] == "people") & outcomes["people_equivalent"].notna()]
    if families.empty or people.empty:
        return
    claim = families.iloc[0]
    claimed = read_evidence(
        q, f"{programme}.families", claim["evidence_id"], evidence, "families settled", subject=programme
    )
    read_date(q, f"{programme}.families.on", claim["evidence_id"], evidence, "date of the families settled", programme)
    household = q.assumed(
        f"{programme}.persons_per_household",
        persons_per_household,
        parameter="persons_per_household",
        unit="persons_per_household",
        what="persons per household",
        subject=programme,
    )
    q.computed(
        f"{programme}.families.as_people",
        claim["people_equivalent"],
        inputs=[claimed, household],
        operation="multiply",
        unit="people",
        what="families settled, as people at the assumed household size",
        subject=programme,
    )
    counts = {}
    for end, position in (("lowest", people["count"].idxmin()), ("highest", people["count"].idxmax())):
        evidence_id = people.loc[position, "evidence_id"]
        counts[end] = read_evidence(
            q, f"{programme}.people.{end}", evidence_id, evidence, f"{end} later count of people", subject=programme
        )
    for end, position in (("first", people["as_of"].idxmin()), ("last", people["as_of"].idxmax())):
        read_date(
            q,
            f"{programme}.people.{end}_on",
            people.loc[position, "evidence_id"],
            evidence,
            f"date of the {end} later count",
            programme,
        )
    q.computed(
        f"{programme}.people_per_family",
        people["count"].max() / claim["count"],
        inputs=[counts["highest"], claimed],
        operation="divide",
        unit="people_per_family",
        what="people per family the later counts would imply",
        subject=programme,
    )


def newcomer_cost_quotes(
    q: Quotes, evidence: pd.DataFrame, programme: str, budget_id: str, launch_id: str, count_ids: list[str]
) -> None:
    """What the programme spent per newcomer counted, at its cited budget every year from its launch to each
    count (``programmes.cost_per_newcomer``: an assumption the entries say), and the lowest and highest of them:
    ``<programme>.cost_per_newcomer.lowest`` / ``.highest``, each computed from the budget, the launch year and
    the count it divides by."""
    from divide_study.analysis.programmes import cost_per_newcomer

    budget = read_evidence(q, f"{programme}.budget_per_year", budget_id, evidence, "budget a year", subject=programme)
    launch = read_evidence(q, f"{programme}.launch_year", launch_id, evidence, "year of launch", subject=programme)
    counts = pd.DataFrame(
        [
            {"evidence_id": i, "as_of": evidence_row(evidence, i)["as_of"], "count": evidence_row(evidence, i)["value"]}
            for i in count_ids
        ]
    )
    costs = cost_per_newcomer(
        float(evidence_row(evidence, budget_id)["value"]), int(evidence_row(evidence, launch_id)["value"]), counts
    )
    per_newcomer = []
    for n, row in enumerate(costs.to_dict("records")):
        name = f"{programme}.newcomers_{n}"
        count = read_evidence(q, name, row["evidence_id"], evidence, "people counted", subject=programme)
        year = read_year(q, f"{name}.year", row["evidence_id"], evidence, "year of the count", programme)
        years = q.computed(
            f"{name}.years",
            row["years"],
            inputs=[launch, year],
            operation="years_inclusive",
            unit="years",
            what="years from the launch to the count",
            subject=programme,
        )
        spent = q.computed(
            f"{name}.spent",
            row["spent"],
            inputs=[budget, years],
            operation="multiply",
            unit="EUR",
            what="spending to the count, at the cited budget every year (assumed)",
            subject=programme,
        )
        per_newcomer.append(
            q.computed(
                f"{name}.per_newcomer",
                row["per_newcomer"],
                inputs=[spent, count],
                operation="divide",
                unit="EUR_per_newcomer",
                what="spending per person counted (assumed budget)",
                subject=programme,
            )
        )
    for end, value in (("lowest", costs["per_newcomer"].min()), ("highest", costs["per_newcomer"].max())):
        q.computed(
            f"{programme}.cost_per_newcomer.{end}",
            value,
            inputs=per_newcomer,
            operation="min" if end == "lowest" else "max",
            unit="EUR_per_newcomer",
            what=f"{end} spending per person counted (assumed budget)",
            subject=programme,
        )


def assumed_range_quotes(q: Quotes, measures: pd.DataFrame, quantity: str) -> None:
    """The lowest and highest value each initiative's options assume for ``quantity`` (the speeds tried when the
    sources state none): ``<initiative>.<quantity>_assumed.lowest`` and ``.highest``."""
    assumed = measures[(measures["quantity"] == quantity) & measures["assumed_value"].notna()]
    for initiative, rows in assumed.groupby("initiative", sort=False):
        for end, position in (("lowest", rows["assumed_value"].idxmin()), ("highest", rows["assumed_value"].idxmax())):
            option = str(rows.loc[position, "option"])
            _assumed_measure(q, f"{initiative}.{quantity}_assumed.{end}", measures, initiative, quantity, option)


def money_quotes(q: Quotes, money: pd.DataFrame, tables: Inputs, evidence: pd.DataFrame) -> None:
    """Each amount of public_money.csv as its source states it, and — where premises or a population of the
    same scope divide it — per premise and per inhabitant, with the figures divided named as inputs.

    Keys: ``<initiative>.money.<evidence id>`` (its words made a key), ``….per_premise``, ``….per_inhabitant``.
    """
    for row in money.to_dict("records"):
        initiative = row["initiative"]
        name = money_name(row)
        common = {"subject": initiative, "scope": str(row["scope"])}
        if derived_from_share(row):
            # One funder's amount over its stated share (funding.csv's share_id): both read, then divided.
            stated = read_evidence(q, f"{name}.stated", row["evidence_id"], evidence, "amount of money", **common)
            share = read_evidence(
                q, f"{name}.share", row["share_id"], evidence, "the funder's share of the money", **common
            )
            amount = q.computed(
                name,
                row["amount_eur"],
                inputs=[stated, share],
                operation="divide",
                unit="EUR",
                what="money of all the funders it covers, from one funder's amount and share (an assumption)",
                **common,
            )
        else:
            amount = read_evidence(q, name, row["evidence_id"], evidence, "amount of money", **common)
        for column, quantity, unit, what in (
            ("premises_option", "premises", "EUR_per_premise", "money per premise of its scope"),
            ("population_option", "population", "EUR_per_inhabitant", "money per inhabitant"),
        ):
            option = row[column]
            if not isinstance(option, str) or not option:
                continue
            # The count nearest the amount's year, as public_money.csv divided it (metrics.public_money); a
            # per-inhabitant figure says which year's count that is.
            as_of = str(row["as_of"])[:4]
            divisor = _measure_quotes(
                q,
                f"{name}.{quantity}",
                tables,
                evidence,
                initiative,
                quantity,
                option,
                year=quantity == "population",
                near_year=int(as_of) if as_of.isdigit() else None,
            )
            suffix = "per_premise" if quantity == "premises" else "per_inhabitant"
            quotient = q.computed(
                f"{name}.{suffix}",
                row[f"per_{'premise' if quantity == 'premises' else 'inhabitant'}"],
                inputs=[amount, *divisor],
                operation="divide",
                unit=unit,
                what=what,
                **common,
            )
            if quantity == "premises" and pd.notna(row.get("per_premise_constant", float("nan"))):
                _constant_money(q, name, row, quotient, common)


def _constant_money(q: Quotes, name: str, row: dict, per_premise: str, common: dict) -> None:
    """Money per premise in constant euros of the base year: the nominal quotient, the base year (the comparison's
    parameter, quoted by ``comparison_quotes``) and the years of its spending period (an assumption), as inputs."""
    years = str(row["spending_years"]).split("–")
    ends = (("first_year", years[0]), ("last_year", years[-1])) if len(years) > 1 else (("year", years[0]),)
    spread = _read_spending_years(q, name, row["spending"], row["spending_profile"], ends, row["initiative"])
    q.computed(
        f"{name}.per_premise_constant",
        row["per_premise_constant"],
        inputs=[per_premise, f"{q.step}.base_year", *spread],
        operation="deflate",
        unit="EUR_per_premise",
        what="money per premise of its scope, constant euros",
        **common,
    )


def target_keys(
    targets: pd.DataFrame, evidence: pd.DataFrame, goals: dict[str, str], step: str = "compare"
) -> pd.DataFrame:
    """The key of the quoted number each cell of targets.csv shows (``target_quotes``' keys, by the row's ids):
    the target, its year, the share achieved by then and its date, and the date the target was reached."""
    out = []
    for initiative, rows in targets.groupby("initiative", sort=False):
        own = 0
        for index, row in rows.iterrows():
            if row["target_id"] in goals:
                name, target = f"{step}.{initiative}.{goals[row['target_id']]}", ""
                aim = f"{name}.by"  # a national goal is its year; its share is all premises
            elif row["cited_as"] == NATIONAL_GOAL:
                out.append((index, {}))
                continue
            else:
                own += 1
                name = f"{step}.{initiative}.own_target" + (f"_{own}" if own > 1 else "")
                target = aim = name
            achieved = ""
            if row["achieved_id"] and pd.notna(row["achieved_by_then"]):
                # A share achieved is read as it is; a count is the computed share of the plugs aimed at.
                stated = evidence_row(evidence, row["achieved_id"])["unit"] == "share"
                achieved = f"{name}.achieved" if stated else f"{name}.achieved_share"
            cells = {
                "target": target,
                "by": f"{name}.by",
                "target_share": aim,
                "achieved_by_then": achieved,
                "achieved_as_of": f"{name}.achieved_on" if row["achieved_id"] else "",
                "reached_on": ""
                if not row["reached_id"]
                else f"{name}.not_reached_as_of"
                if row["reached_on"] == NOT_YET
                else f"{name}.reached_on",
            }
            out.append((index, cells))
    return pd.DataFrame([cells for _i, cells in out], index=[i for i, _c in out]).fillna("")


def sensitivity_keys(ranges: pd.DataFrame, headline: str) -> pd.DataFrame:
    """The key of the quoted number each cell of a headline's ranges (``sensitivity.tornado``) shows: the low
    and high each choice gives (``sensitivity_quotes``' keys) and the central value (the compare step's)."""
    return pd.DataFrame(
        {
            "low": [f"sensitivity.{headline}.{slug(a)}.low" for a in ranges["assumption"]],
            "high": [f"sensitivity.{headline}.{slug(a)}.high" for a in ranges["assumption"]],
            "central": f"compare.headline.{headline}",
        },
        index=ranges.index,
    )


def refused_keys(refused: pd.DataFrame, published: pd.Index, step: str = "sensitivity") -> pd.DataFrame:
    """The quoted figures each refused pair's cost and premises read (``choice_quotes``' keys, a figure of several
    parts joined by ';'), row by row in the order of ``refused`` (``sensitivity.refused``)."""
    rows = []
    for row in refused.to_dict("records"):
        base = f"{step}.choice.{slug(row['assumption'])}.{slug(row['setting'])}"
        cells = {}
        for part in ("cost", "premises"):
            name = f"{base}.{part}"
            found = [k for k in published if k == name or k.startswith(f"{name}.part_")]
            if not found:
                raise StudyError(f"quoted_{step}.csv has no figures for {name!r}, a refused pair's {part}")
            cells[part] = ";".join(found)
        rows.append(cells)
    return pd.DataFrame(rows, index=range(len(rows)))


def money_name(row: Mapping) -> str:
    """The name of a row of public_money.csv among the quoted numbers: ``<initiative>.money.<evidence id>`` (its
    words made a key); an amount derived from one funder's share (``share_id``) ends in ``.all_funders``, as the
    same evidence row also stands for the funder's own amount."""
    name = f"{row['initiative']}.money.{slug(row['evidence_id'])}"
    return f"{name}.all_funders" if derived_from_share(row) else name


def money_keys(money: pd.DataFrame, step: str = "compare") -> pd.DataFrame:
    """The key of the quoted number each cell of public_money.csv shows (``money_quotes``' keys, by the row's
    evidence id): the amount, and per premise and per inhabitant where they are computed, with the year of the
    population counted (``population_year``)."""
    columns = ("amount_eur", "per_premise", "per_premise_constant", "per_inhabitant", "population_year")
    keys: dict[str, list[str]] = {column: [] for column in columns}
    for row in money.to_dict("records"):
        name = f"{step}.{money_name(row)}"
        keys["amount_eur"].append(name)
        for column in ("per_premise", "per_premise_constant", "per_inhabitant"):
            keys[column].append(f"{name}.{column}" if pd.notna(row.get(column, float("nan"))) else "")
        keys["population_year"].append(f"{name}.population.year" if pd.notna(row["per_inhabitant"]) else "")
    return pd.DataFrame(keys, index=money.index)


def cost_gap_quotes(q: Quotes, evidence: pd.DataFrame, focus: str, at_completion: str, phase_2: str) -> None:
    """How far the cost said to be "at completion" is from the second phase's investment (both by their roles in
    roles.csv): the gap that makes the study read the first as phase 2 only."""
    final = read_evidence(
        q, f"{focus}.cost_at_completion", at_completion, evidence, "cost at completion", subject=focus
    )
    second = read_evidence(q, f"{focus}.cost_phase_2", phase_2, evidence, "phase 2 investment", subject=focus)
    a, b = (float(evidence_row(evidence, i)["value"]) for i in (at_completion, phase_2))
    q.computed(
        f"{focus}.cost_at_completion_against_phase_2",
        abs(a / b - 1),
        inputs=[final, second],
        operation="relative_gap",
        unit="share",
        what="gap between the cost at completion and the phase 2 investment",
        subject=focus,
    )


SPENDING = "data/raw/spending_profiles.csv"  # the declared spending profiles: an assumption of the study


def _spending_years(q: Quotes, initiative: str, cost: pd.Series, measures: pd.DataFrame) -> list[str]:
    """The first and last year a cost is spread over, as its spending profile declares them (an assumption); their
    keys (none for a cost of one year)."""
    option = str(cost["option"]).split("=", 1)[-1]
    rows = measures[
        (measures["initiative"] == initiative) & (measures["quantity"] == "cost") & (measures["option"] == option)
    ]
    years = str(cost["spending_years"] or "")
    if rows.empty or not years or not rows.iloc[0]["spending"]:
        return []
    spending, profile = str(rows.iloc[0]["spending"]), str(cost["spending_profile"])
    ends = years.split("–")
    return _read_spending_years(
        q, initiative, spending, profile, (("first_year", ends[0]), ("last_year", ends[-1])), initiative
    )


def _read_spending_years(
    q: Quotes, name: str, spending: str, profile: str, ends: Iterable[tuple[str, str]], subject: str
) -> list[str]:
    """Each year of a spending profile an amount is spread over (``ends``: (first_year/last_year/year, the year)),
    read from the declared profiles as an assumption; their keys (``<name>.spending.<end>``)."""
    return [
        q.read(
            f"{name}.spending.{end}",
            int(year),
            table=SPENDING,
            row={"spending": spending, "profile": profile, "year": year},
            column="year",
            unit="year",
            nature="assumption",
            what=f"{end.replace('_', ' ')} of the spending profile",
            subject=subject,
        )
        for end, year in ends
    ]


def take_up_quotes(q: Quotes, uptake: pd.DataFrame, evidence: pd.DataFrame, plugs: dict[str, str]) -> None:
    """Each take-up of take_up.csv: one a source states is read as it states it; one the study derives divides
    its subscribers by what they are a share of (the share eligible and the network's plugs, ``plugs``: a
    quoted key per initiative, or the premises a national count gives). Keyed by its first evidence id."""
    for row in uptake.to_dict("records"):
        ids = [i for i in str(row["evidence_ids"]).split(";") if i]
        name = take_up_name(row)
        if row["reading"] == "cited":
            read_evidence(q, name, ids[0], evidence, "take-up", subject=row["where"] if row["where"] in plugs else "")
            continue
        subject = row["where"] if row["where"] in plugs else ""
        inputs = [
            read_evidence(q, f"{name}.part_{n}", i, evidence, "take-up input", subject=subject)
            for n, i in enumerate(ids)
        ]
        if subject and row["reading"] == "of_network_plugs":  # the dwellings' reading names its count among its ids
            inputs.append(plugs[subject])
        q.computed(
            name,
            row["take_up"],
            inputs=inputs,
            operation="divide",
            unit="share",
            what="take-up derived by the study",
            subject=subject,
        )
        # The month it speaks for, as the sentence says it ("by March 2025").
        read_date(q, f"{name}.on", ids[0], evidence, "date of the take-up", subject, precision=7)


def take_up_name(row: Mapping) -> str:
    """The quoted name of a row of take_up.csv, by its first evidence id; the reading of a share eligible as of the
    whole département's dwellings (its ``reading``) gets its own, beside the network's plugs'."""
    ids = [i for i in str(row["evidence_ids"]).split(";") if i]
    name = f"{slug(row['where'])}.take_up.{slug(ids[0])}"
    return f"{name}.of_departement" if row["reading"] == "of_departement_dwellings" else name


def take_up_keys(uptake: pd.DataFrame, step: str = "compare") -> pd.DataFrame:
    """The key of the quoted number each cell of take_up.csv shows (``take_up_quotes``' keys, by the row's first
    evidence id): the take-up (its "how" shows the computation, whose entry links each input) and its date."""
    rows = []
    for row in uptake.to_dict("records"):
        name = f"{step}.{take_up_name(row)}"
        computed = row["reading"] != "cited"
        rows.append({"take_up": name, "how": name if computed else "", "as_of": f"{name}.on" if computed else ""})
    return pd.DataFrame(rows, index=uptake.index)


def refused_quotes(q: Quotes, table: pd.DataFrame, inputs: Inputs, evidence: pd.DataFrame) -> None:
    """How many pairs of cost and premises the sensitivity analysis refused (different scopes), each pair's
    figures named as the count's inputs."""
    refused = table[table["status"] != "ok"][["assumption", "setting"]].drop_duplicates()
    keys = [
        k
        for row in refused.to_dict("records")
        for k in choice_quotes(q, inputs, evidence, row["assumption"], row["setting"])
    ]
    if keys:
        q.computed("refused_pairs", len(refused), inputs=keys, operation="count", unit="count", what="pairs refused")


CONTRACTS = "data/raw/reference/contracts.csv"


def contract_quotes(q: Quotes, contracts: pd.DataFrame, initiatives: list[str]) -> None:
    """Each network's contracts' years, read from the cited contracts table (data rows counted from 1, as the
    copy in ``contracts`` keeps them), and their span: the first start and, when a contract gives one, the last
    end."""
    for initiative in initiatives:
        own = contracts[contracts["initiative"] == initiative]
        starts, ends = [], []
        for index, row in own.iterrows():
            number = int(index) + 1
            for column, found, what in (
                ("from_year", starts, "start year of a contract"),
                ("to_year", ends, "end year of a contract"),
            ):
                if pd.notna(row[column]) and str(row[column]).strip():
                    found.append(
                        (
                            int(row[column]),
                            q.read(
                                f"{initiative}.contract_{number}.{column}",
                                int(row[column]),
                                table=CONTRACTS,
                                row={"row": number},
                                column=column,
                                unit="year",
                                nature="stated",
                                what=what,
                                subject=initiative,
                                scope=str(row["phase"]),
                            ),
                        )
                    )
        for name, found, pick, what in (
            ("first_year", starts, min, "first year of its contracts"),
            ("last_year", ends, max, "last year of its contracts"),
        ):
            if found:
                q.computed(
                    f"{initiative}.contracts.{name}",
                    pick(year for year, _ in found),
                    inputs=[key for _, key in found],
                    operation=pick.__name__,
                    unit="year",
                    what=what,
                    subject=initiative,
                )


def contract_keys(contracts: pd.DataFrame, step: str = "compare") -> pd.DataFrame:
    """The key of the quoted year each cell of the contracts table shows (``contract_quotes``' keys, by the row's
    number in the cited table)."""
    return pd.DataFrame(
        {
            column: [
                f"{step}.{i}.contract_{int(n) + 1}.{column}"
                for i, n in zip(contracts["initiative"], contracts.index, strict=True)
            ]
            for column in ("from_year", "to_year")
        },
        index=contracts.index,
    )


def model_keys(model: dict, step: str = "compare") -> dict[str, str]:
    """The key of the quoted number each cell of a network's row of models.csv shows (its contracts' years,
    premises, money per plug, own target, its year and what was achieved by then), by the row's ids; a column
    without a number has none."""
    base = f"{step}.{model['initiative']}"
    keys = {
        "years": f"{base}.contracts.first_year"
        + (f";{base}.contracts.last_year" if pd.notna(model.get("to_year")) else ""),
        "premises": f"{base}.premises",
        "premises_scope": f"{base}.premises",  # a scope is its figure's: linked to it
        "cost_per_premise": f"{base}.cost_per_premise_nominal",
        "cost_per_premise_constant": f"{base}.cost_per_premise",  # constant euros of the base year
        "cost_scope": f"{base}.cost_per_premise_nominal",  # what the cost is: linked to it
    }
    if model.get("public_money_id"):
        money = f"{base}.money.{slug(model['public_money_id'])}"
        keys.update(public_money_scope=money)
        if pd.notna(model.get("public_money_per_premise")):  # an amount no premise count shares is not divided
            keys.update(public_money_per_premise=f"{money}.per_premise")
        if pd.notna(model.get("public_money_per_premise_constant")):
            keys.update(public_money_per_premise_constant=f"{money}.per_premise_constant")
    if model.get("own_target_id"):
        keys.update(
            own_target=f"{base}.own_target",
            target_by=f"{base}.own_target.by",
            achieved_by_target_year=f"{base}.own_target."
            + ("achieved" if model["own_target_cited_as"] == "share" else "achieved_share"),
            achieved_as_of=f"{base}.own_target.achieved_on",
        )
    return keys
