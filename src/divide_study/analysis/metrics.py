"""The comparison's numbers: costs deflated year by year, per premise, per inhabitant, per Mbit/s.

A cost spent over several years is deflated along its **spending profile** (``spending_profiles.csv``): the
share spent each year is brought to constant euros of ``base_year`` with that year's CPI, never as euros of
its last year. Each comparison pairs a cost and premises of the same scope (``measures.check_compatible``).
"""

from __future__ import annotations

import pandas as pd

from divide_study.analysis.evidence import FORESEEN, NOT_PUT_IN
from divide_study.analysis.measures import (
    PROFILE_KEY,
    QUANTITIES,
    Measure,
    check_compatible,
    combined_qualifier,
    options_of,
    resolve,
)
from divide_study.data.lookup import grouped_records, records
from divide_study.data.reference import cpi_factor
from divide_study.errors import StudyError

COMPARISON_COLUMNS = [
    "initiative",
    "metric",
    "value_nominal",
    "value_constant",
    "unit",
    "qualifier",
    "price_year",
    "base_year",
    "option",
    "inputs",
    "note",
    "scope",
    "spending_years",
    "spending_profile",
    "input_ids",
]
HEADLINE_METRICS = ("cost_per_premise", "cost_per_inhabitant", "cost_per_premise_per_mbit")


# --- deflation ----------------------------------------------------------------------------------------------


def profile_shares(profiles: pd.DataFrame, spending: str, profile: str | None = None) -> tuple[str, pd.Series]:
    """The profile's name and the share of the money spent each year (summing to 1), by year."""
    period = grouped_records(profiles, ("spending",)).get((spending,), [])
    if not period:
        raise StudyError(f"no spending profile for {spending!r} in spending_profiles.csv")
    if profile is None:
        profile = str(next(r["profile"] for r in period if bool(r["default"])))
    chosen = [r for r in period if r["profile"] == profile]
    if not chosen:
        raise StudyError(
            f"unknown spending profile {profile!r} for {spending!r}; "
            f"choose one of {sorted({r['profile'] for r in period})}"
        )
    weights = {int(r["year"]): float(r["weight"]) for r in chosen}
    total = sum(weights.values())
    return profile, pd.Series({year: weights[year] / total for year in sorted(weights)}, dtype=float)


def deflate(value: float, shares: pd.Series, cpi: pd.DataFrame, base_year: int) -> tuple[float, str]:
    """``value`` nominal euros spent by ``shares`` (year -> share) in constant euros of ``base_year``.

    Each year's share is converted with that year's CPI. Years after the CPI table's last year are taken
    at its last year (said in the returned note).
    """
    last = int(cpi["year"].max())
    total, capped = 0.0, sorted(int(y) for y in shares.index if y > last)
    for year, share in shares.items():
        total += value * share * cpi_factor(cpi, min(int(year), last), base_year)
    note = f"CPI ends in {last}: euros of {', '.join(map(str, capped))} taken as euros of {last}" if capped else ""
    return total, note


def years_label(shares: pd.Series) -> str:
    first, last = int(shares.index.min()), int(shares.index.max())
    return str(first) if first == last else f"{first}–{last}"


# --- the comparison -----------------------------------------------------------------------------------------


def option_keys(initiatives: list[str]) -> set[str]:
    """Every key an ``options`` mapping may use: 'initiative.quantity' or 'initiative.spending_profile'."""
    return {f"{i}.{q}" for i in initiatives for q in (*QUANTITIES, PROFILE_KEY)}


def check_options(options: dict[str, str], initiatives: list[str]) -> None:
    unknown = sorted(set(options) - option_keys(initiatives))
    if unknown:
        example = initiatives[0] if initiatives else "initiative"
        raise StudyError(
            f"options {unknown} name no initiative.quantity; use e.g. '{example}.cost' or '{example}.{PROFILE_KEY}'"
        )


def compare_networks(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    measures: pd.DataFrame,
    cpi: pd.DataFrame,
    profiles: pd.DataFrame,
    initiatives: list[str],
    base_year: int,
    options: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per initiative and metric; euro metrics both nominal and in constant euros of ``base_year``.

    Raises ``ScopeError`` when the chosen cost and premises of an initiative cover different scopes.
    """
    options = options or {}
    check_options(options, initiatives)
    out = []
    for initiative in initiatives:
        out += initiative_rows(figures, external, measures, cpi, profiles, initiative, base_year, options)
    frame = pd.DataFrame(out, columns=COMPARISON_COLUMNS)
    frame["price_year"] = frame["price_year"].astype("Int64")
    frame["base_year"] = frame["base_year"].astype("Int64")
    return frame


def initiative_rows(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    measures: pd.DataFrame,
    cpi: pd.DataFrame,
    profiles: pd.DataFrame,
    initiative: str,
    base_year: int,
    options: dict[str, str],
) -> list[dict]:
    """The comparison rows of one initiative (``compare_networks``' rows, as dicts)."""
    chosen = {q: options.get(f"{initiative}.{q}") for q in (*QUANTITIES, PROFILE_KEY)}
    cost = resolve(measures, figures, external, initiative, "cost", chosen["cost"])
    premises = resolve(measures, figures, external, initiative, "premises", chosen["premises"])
    profile, shares = profile_shares(profiles, cost.spending, chosen[PROFILE_KEY])
    last_spent = int(shares.index.max())
    # The population of the last spending year, as near as the reference data allows; an initiative with no
    # cited population gets no per-inhabitant figure (never an estimate of ours).
    population = _optional(measures, figures, external, initiative, "population", chosen["population"], last_spent)
    speed = _optional(measures, figures, external, initiative, "speed", chosen["speed"])
    check_compatible(*(m for m in (cost, premises, population, speed) if m is not None))
    constant_cost, cap = deflate(cost.value, shares, cpi, base_year)
    factor = constant_cost / cost.value
    single_year = int(shares.index.min()) if len(shares) == 1 else pd.NA

    def row(metric: str, nominal: float, unit: str, parts: list[Measure], in_euros: bool = True, note: str = ""):
        return {
            "initiative": initiative,
            "metric": metric,
            "value_nominal": nominal,
            "value_constant": nominal * factor if in_euros else float("nan"),
            "unit": unit,
            # A per-unit figure divides its first part by the others: 271 M€ over "plus de 138 000" plugs is
            # at most its quotient, and is said so wherever it is quoted.
            "qualifier": quotient_qualifier(parts[0].qualifier, [m.qualifier for m in parts[1:]]),
            "price_year": single_year if in_euros else pd.NA,
            "base_year": base_year if in_euros else pd.NA,
            "option": " + ".join(f"{m.quantity}={m.option}" for m in parts),
            "inputs": " | ".join(m.inputs for m in parts),
            "note": note or " | ".join(m.note for m in parts),
            "scope": cost.scope if any(m.quantity in ("cost", "premises") for m in parts) else parts[0].scope,
            "spending_years": years_label(shares) if in_euros else "",
            "spending_profile": profile if in_euros else "",
            "input_ids": ";".join(i for m in parts for i in m.input_ids),
        }

    out = [
        row("cost", cost.value, "EUR", [cost], note="; ".join(filter(None, [cost.note, cap]))),
        row("premises", premises.value, premises.unit, [premises], in_euros=False),
        row("cost_per_premise", cost.value / premises.value, "EUR per premise", [cost, premises]),
    ]
    if population is not None:
        out += [
            row("population", population.value, "inhabitants", [population], in_euros=False),
            row("cost_per_inhabitant", cost.value / population.value, "EUR per inhabitant", [cost, population]),
        ]
    if speed is not None:
        out += [
            row("speed", speed.value, "Mbit/s", [speed], in_euros=False),
            row(
                "cost_per_premise_per_mbit",
                cost.value / premises.value / speed.value,
                "EUR per premise per Mbit/s",
                [cost, premises, speed],
            ),
        ]
    return out


def _optional(measures, figures, external, initiative, quantity, option, near_year=None) -> Measure | None:
    """A quantity an initiative may lack (population, speed): None when measures.csv gives it no option."""
    if option is None and not options_of(measures, initiative, quantity):
        return None
    return resolve(measures, figures, external, initiative, quantity, option, near_year)


def headline_values(rows: list[dict]) -> dict[str, float]:
    """The headline values ('initiative.metric', constant euros) of comparison rows given as dicts."""
    return {
        f"{r['initiative']}.{r['metric']}": float(r["value_constant"]) for r in rows if r["metric"] in HEADLINE_METRICS
    }


def metric(comparison: pd.DataFrame, initiative: str, name: str, column: str = "value_constant") -> float:
    """One number of the comparison table, for prose and titles that quote it."""
    match = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == name)]
    if len(match) != 1:
        raise KeyError(f"no single {name!r} row for {initiative!r}")
    return float(match.iloc[0][column])


def qualifier_of(comparison: pd.DataFrame, initiative: str, name: str) -> str:
    """How one number of the comparison table is hedged (its ``qualifier``: 'exact', 'at_least', 'upper_bound',
    'approx'), for prose that must say "at most" where its sources bound it; 'exact' for a table without one."""
    match = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == name)]
    if len(match) != 1:
        raise KeyError(f"no single {name!r} row for {initiative!r}")
    return str(match.iloc[0]["qualifier"]) if "qualifier" in match else "exact"


def headlines(comparison: pd.DataFrame, pairs: dict[str, tuple[str, str, str]] | None = None) -> dict[str, float]:
    """The headline values in constant euros, as 'initiative.metric' (where the initiative has that metric),
    and each ratio of ``pairs`` (headline -> (metric, numerator, denominator), from headlines.csv)."""
    values = {
        f"{i}.{m}": float(v)
        for i, m, v in zip(comparison["initiative"], comparison["metric"], comparison["value_constant"], strict=True)
        if m in HEADLINE_METRICS
    }
    return values | ratios(values, pairs or {})


def ratios(values: dict[str, float], pairs: dict[str, tuple[str, str, str]]) -> dict[str, float]:
    """Each headline ratio of ``pairs`` from headline values ('initiative.metric')."""
    out = {}
    for name, (measured, numerator, denominator) in pairs.items():
        top, bottom = values.get(f"{numerator}.{measured}"), values.get(f"{denominator}.{measured}")
        if top is None or bottom is None:
            raise StudyError(f"headline {name!r}: {numerator!r} or {denominator!r} has no {measured!r} to compare")
        out[name] = top / bottom
    return out


# --- indicators ---------------------------------------------------------------------------------------------


def benchmarks(
    comparison: pd.DataFrame,
    external: pd.DataFrame,
    initiative: str,
    name: str,
    evidence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The initiative's cost per premise beside the national per-plug benchmarks (nominal euros of each).

    Each benchmark's ``kind`` is what its source is (``evidence``'s ``basis``: a parliamentary report, one
    speaker's words in a parliamentary record, the technology press), so a remark is never shown as a rule; without
    ``evidence``, "national benchmark"."""
    basis = evidence.set_index("evidence_id")["basis"] if evidence is not None else pd.Series(dtype=str)
    cost = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == "cost_per_premise")].iloc[0]
    out = [
        {
            "what": f"{name}: cost per premise ({cost['option']})",
            "eur_per_plug": cost["value_nominal"],
            "as_of": cost["spending_years"],
            "kind": "the study's computation",
            "source": "data/processed/comparison.csv",
            "evidence_id": "",
        }
    ]
    rows_ = external[(external["topic"] == "benchmark") & (external["unit"] == "EUR/plug")]
    for r in rows_.to_dict("records"):
        evidence_id = f"{r['topic']}|{r['figure']}|{r['as_of']}"
        kind = basis.get(evidence_id, "")
        out.append(
            {
                "what": r["figure"],
                "eur_per_plug": r["value"],
                "as_of": str(r["as_of"]),
                "kind": kind if isinstance(kind, str) and kind else "national benchmark",
                "source": r["source"],
                "evidence_id": evidence_id,
            }
        )
    return pd.DataFrame(out, columns=["what", "eur_per_plug", "as_of", "kind", "source", "evidence_id"])


def public_money(
    funding: pd.DataFrame,
    evidence: pd.DataFrame,
    measures: pd.DataFrame,
    figures: pd.DataFrame,
    external: pd.DataFrame,
    initiatives: str | list[str],
    deflation: tuple[pd.DataFrame, pd.DataFrame, int] | None = None,
) -> pd.DataFrame:
    """Who paid what for each of ``initiatives``, each amount divided by the premises and the population of
    its own scope only. ``deflation`` (the CPI, the spending profiles and the base year): money per premise is
    also brought to constant euros of the base year along its row's spending period (funding.csv's ``spending``,
    its default profile, an assumption), so that amounts of different years compare like for like.

    An amount whose scope no premise option shares gets no per-premise value; amounts are never added up.
    """
    by_id = records(evidence, "evidence_id")
    out = []
    for initiative in [initiatives] if isinstance(initiatives, str) else initiatives:
        out += _money_rows(funding, by_id, measures, figures, external, initiative, deflation)
    frame = pd.DataFrame(out, columns=MONEY_COLUMNS)
    frame["base_year"] = frame["base_year"].astype("Int64")
    return frame


MONEY_COLUMNS = [
    "initiative",
    "funder",
    "all_public_money",
    "covers",
    "amount_eur",
    "qualifier",
    "amount_nature",
    "as_of",
    "scope",
    "per_premise",
    "per_premise_qualifier",
    "spending",
    "spending_years",
    "spending_profile",
    "base_year",
    "per_premise_constant",
    "premises_used",
    "premises_option",
    "population_option",
    "per_inhabitant",
    "source_class",
    "source",
    "evidence_id",
    "share_id",
    "note",
    "also_paid_for",
]


# A quotient's bound: an amount "at least" over an exact count is at least; an exact amount over a count "more
# than" is at most (more plugs, less money each); two bounds of the same direction bound nothing.
FLIPPED = {"at_least": "upper_bound", "upper_bound": "at_least"}


def quotient_qualifier(amount: str, divisors: list[str]) -> str:
    """How a quotient is hedged, from its amount's qualifier and its divisor's parts' (``exact``, ``at_least``,
    ``upper_bound``, ``approx``): 'exact', 'at_least', 'upper_bound', or 'approx' where nothing bounds it."""
    return combined_qualifier([amount] + [FLIPPED.get(q, q) for q in divisors])


def nature_family(nature: str) -> str:
    """'foreseen' for an amount said ahead of its spending (a plan, a budget, an estimate, an announcement), else
    the nature itself: two forecasts compare as forecasts, money put in or spent never against one."""
    return "foreseen" if nature in FORESEEN else nature


def which_is_lower(first: tuple[float, str, str], second: tuple[float, str, str]) -> str:
    """Whether two amounts of money per plug, each (value, qualifier, amount nature), say which is the lower:
    'different_nature' where one is foreseen (a plan, a budget, an estimate) and the other money put in or spent,
    or both put in but of different natures (a plan and spending are never compared; a plan and an estimate are
    both forecasts), 'first' or 'second' where the bounds order them (an "at most 203" is below an "at least 417"),
    else 'undetermined' (bounds that overlap, or an approximation)."""

    def lowest(value: float, qualifier: str) -> float:
        return 0.0 if qualifier == "upper_bound" else value  # "at most" bounds nothing from below

    def highest(value: float, qualifier: str) -> float:
        return float("inf") if qualifier == "at_least" else value

    (a, qa, na), (b, qb, nb) = first, second
    if nature_family(na) != nature_family(nb):
        return "different_nature"
    if "approx" in (qa, qb):
        return "undetermined"
    if highest(a, qa) < lowest(b, qb):
        return "first"
    if highest(b, qb) < lowest(a, qa):
        return "second"
    return "undetermined"


def derived_from_share(row) -> bool:
    """Whether a row of public_money.csv (or funding.csv) is one funder's amount over its stated share, the money
    of all the funders it covers (``share_id`` set; an empty cell may read as NaN)."""
    share = row.get("share_id")
    return isinstance(share, str) and bool(share)


def _money_rows(funding, by_id, measures, figures, external, initiative, deflation=None) -> list[dict]:
    premise_options = grouped_records(measures, ("initiative", "quantity")).get((initiative, "premises"), [])
    out = []
    for record in grouped_records(funding, ("initiative",)).get((initiative,), []):
        source = by_id[record["evidence_id"]]
        amount = float(source["value"])
        share_id = record["share_id"] if derived_from_share(record) else ""
        if share_id:
            # One funder's amount over its stated share: the money of all the funders it covers (a derivation
            # that rests on the share holding for this amount, said as an assumption wherever it is quoted).
            amount /= float(by_id[share_id]["value"])
        year = int(str(source["as_of"])[:4]) if str(source["as_of"])[:4].isdigit() else None
        per_premise, premises_used, per_inhabitant = float("nan"), "", float("nan")
        per_premise_qualifier = ""
        premises_option, population_option = "", ""
        same_scope = [m["option"] for m in premise_options if m["scope"] == record["scope"]]
        # Money to be raised, or penalties counted against a builder, was never put into the network: it is
        # not divided by what the network serves.
        divided = source["unit"] == "EUR" and source.get("amount_nature") not in NOT_PUT_IN
        if same_scope and divided:
            option = same_scope[0]
            premises = resolve(measures, figures, external, initiative, "premises", option)
            per_premise, premises_used = amount / premises.value, f"{premises.value:,.0f} ({option})"
            premises_option = option
            # "Plus de 138 000 prises": money per plug is then at most the quotient (said, never left as exact).
            per_premise_qualifier = quotient_qualifier(
                str(source["qualifier"]),
                [str(by_id[i]["qualifier"]) for i in premises.input_ids if i in by_id],
            )
        spending = str(record.get("spending") or "") if isinstance(record.get("spending"), str) else ""
        spending_years, profile, base_year, per_premise_constant = "", "", pd.NA, float("nan")
        if deflation is not None and spending and per_premise == per_premise:
            # Spread over its period by the period's default profile (an assumption, as for a cost), each year's
            # euros brought to the base year's: the Gers's money of 2014–2026 and the Tarn's of 2019–2022 compare.
            cpi, profiles, base_year = deflation
            profile, shares = profile_shares(profiles, spending)
            per_premise_constant = deflate(per_premise, shares, cpi, base_year)[0]
            spending_years = years_label(shares)
        if record["scope"] != "unclear" and divided:
            population = _optional(measures, figures, external, initiative, "population", None, year)
            per_inhabitant = amount / population.value if population is not None else float("nan")
            population_option = population.option if population is not None else ""
        out.append(
            {
                "initiative": initiative,
                "funder": record["funder"],
                "all_public_money": bool(record["all_public_money"]),
                "covers": record["covers"],
                "amount_eur": amount if source["unit"] == "EUR" else float("nan"),
                "qualifier": source["qualifier"],
                "amount_nature": source.get("amount_nature") or "",
                "as_of": source["as_of"],
                "scope": record["scope"],
                "per_premise": per_premise,
                "per_premise_qualifier": per_premise_qualifier,
                "spending": spending,
                "spending_years": spending_years,
                "spending_profile": profile,
                "base_year": base_year,
                "per_premise_constant": per_premise_constant,
                "premises_used": premises_used,
                "premises_option": premises_option,
                "population_option": population_option,
                "per_inhabitant": per_inhabitant,
                "source_class": source["source_class"],
                "source": source["source"],
                "evidence_id": record["evidence_id"],
                "share_id": share_id,
                "note": record["note"] or "",
                # Works it paid for beyond what its premises count (copper upgrades, WiFi): its money per fibre plug
                # is then lower by an amount no source gives, so it never ranks below money for fibre alone.
                "also_paid_for": record.get("also_paid_for") if isinstance(record.get("also_paid_for"), str) else "",
            }
        )
    return out


# What a row of take_up.csv is: the study's derivation over the network's plugs or over the whole département's
# dwellings, a rate a source states, or the national rate.
TAKE_UP_READINGS = ("of_network_plugs", "of_departement_dwellings", "cited", "national")


def take_up(external: pd.DataFrame, topic: str, plugs: float, dwellings_id: str | None = None) -> pd.DataFrame:
    """Subscribers over premises able to connect, for ``topic`` and nationally, each with its date.

    The topic's rate is derived from its subscribers and the share eligible at the same date, applied to
    ``plugs`` (the network's premises); a cited rate is listed beside it. A share eligible may be of the
    network's plugs or of the whole département (the series check reads it so): with ``dwellings_id`` (the
    reference row counting the département's dwellings) the same subscribers are also set against that
    reading, so take-up is shown as the range the two readings give, never one of them alone. ``reading`` says
    which a row is (``TAKE_UP_READINGS``).
    """
    rows_ = external[external["topic"] == topic]
    out = []
    subscribers = rows_[rows_["figure"] == "subscribers"]
    for s in subscribers.to_dict("records"):
        share = rows_[(rows_["figure"] == "share eligible") & (rows_["as_of"] == s["as_of"])]
        if share.empty:
            continue
        able = float(share["value"].iloc[0]) * plugs
        out.append(
            {
                "where": topic,
                "as_of": s["as_of"],
                "take_up": s["value"] / able,
                "how": f"{s['value']:,.0f} subscribers ÷ ({share['value'].iloc[0]:.0%} eligible × {plugs:,.0f} plugs)",
                "evidence_ids": f"{topic}|subscribers|{s['as_of']};{topic}|share eligible|{s['as_of']}",
                "reading": "of_network_plugs",
            }
        )
        if dwellings_id:
            dwellings = _reference_value(external, dwellings_id)
            out.append(
                {
                    "where": topic,
                    "as_of": s["as_of"],
                    "take_up": s["value"] / (float(share["value"].iloc[0]) * dwellings),
                    "how": f"{s['value']:,.0f} subscribers ÷ ({share['value'].iloc[0]:.0%} eligible × "
                    f"{dwellings:,.0f} dwellings of the département)",
                    "evidence_ids": f"{topic}|subscribers|{s['as_of']};{topic}|share eligible|{s['as_of']};"
                    f"{dwellings_id}",
                    "reading": "of_departement_dwellings",
                }
            )
    for r in rows_[rows_["figure"].str.startswith("take-up")].to_dict("records"):
        out.append(
            {
                "where": topic,
                "as_of": r["as_of"],
                "take_up": r["value"],
                "how": f"cited: {r['figure']}",
                "evidence_ids": f"{topic}|{r['figure']}|{r['as_of']}",
                "reading": "cited",
            }
        )
    national = external[external["topic"] == "national"]
    subs = national[national["figure"] == "fibre subscriptions"]
    for s in subs.to_dict("records"):
        able = national[(national["figure"] == "premises able to connect to fibre") & (national["as_of"] == s["as_of"])]
        able = able[able["unit"] == "premises"]
        if able.empty:
            continue
        out.append(
            {
                "where": "France",
                "as_of": s["as_of"],
                "take_up": s["value"] / able["value"].iloc[0],
                "how": f"{s['value']:,.0f} subscriptions ÷ {able['value'].iloc[0]:,.0f} premises able to connect",
                "evidence_ids": f"national|fibre subscriptions|{s['as_of']};"
                f"national|premises able to connect to fibre|{s['as_of']}",
                "reading": "national",
            }
        )
    return pd.DataFrame(out, columns=["where", "as_of", "take_up", "how", "evidence_ids", "reading"])


def _reference_value(external: pd.DataFrame, evidence_id: str) -> float:
    """The value of the reference row ``topic|figure|as_of``; none or several is the data's mistake."""
    topic, figure, as_of = evidence_id.split("|")
    rows = external[(external["topic"] == topic) & (external["figure"] == figure) & (external["as_of"] == as_of)]
    if len(rows) != 1:
        raise StudyError(f"external_figures.csv: expected one row {evidence_id!r}, found {len(rows)}")
    return float(rows["value"].iloc[0])
