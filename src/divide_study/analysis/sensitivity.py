"""How far the headlines move when each choice moves alone — over scope-compatible choices only.

A cost and its premises are moved *together*, as pairs of the same scope (phase-1 budget with phase-1
homes, whole-network spending with the whole network's plugs); a pair of different scopes is recorded as
refused, never computed. Populations, speeds, spending profiles and the base year move one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from divide_study.analysis.measures import PROFILE_KEY, ScopeError, default_option, options_of, resolve
from divide_study.analysis.metrics import check_options, headline_values, initiative_rows, option_keys, ratios
from divide_study.data.lookup import grouped_records

SENSITIVITY_COLUMNS = ["assumption", "setting", "central", "headline", "value", "status"]


@dataclass(frozen=True)
class Inputs:
    figures: pd.DataFrame
    external: pd.DataFrame
    measures: pd.DataFrame
    cpi: pd.DataFrame
    profiles: pd.DataFrame
    initiatives: list[str]
    pairs: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # headlines.csv: name -> (metric, a, b)
    # Each initiative's headline values, by (initiative, base year, its own options): an option of one
    # initiative moves only that initiative's values, so the others are computed once, not once per option.
    _values: dict = field(default_factory=dict, compare=False, repr=False)
    _allowed: set = field(default_factory=set, compare=False, repr=False)

    def values_of(self, initiative: str, base_year: int, options: dict[str, str]) -> dict[str, float]:
        own = {k: v for k, v in options.items() if k.split(".", 1)[0] == initiative}
        key = (initiative, base_year, tuple(sorted(own.items())))
        if key not in self._values:
            rows = initiative_rows(
                self.figures, self.external, self.measures, self.cpi, self.profiles, initiative, base_year, own
            )
            self._values[key] = headline_values(rows)
        return self._values[key]

    def headlines(self, base_year: int, options: dict[str, str], moved: str | None = None) -> dict[str, float]:
        """The headline ratios and the values behind them: every initiative's, or, when only ``moved``'s
        options differ from the central case, those of the headlines' initiatives and of ``moved``."""
        if not self._allowed:
            self._allowed.update(option_keys(self.initiatives))
        if set(options) - self._allowed:
            check_options(options, self.initiatives)  # raises, naming the unknown keys
        named = [i for _, a, b in self.pairs.values() for i in (a, b)]
        wanted = self.initiatives if moved is None else [i for i in self.initiatives if i in {*named, moved}]
        values: dict[str, float] = {}
        for initiative in wanted:
            values |= self.values_of(initiative, base_year, options)
        return values | ratios(values, self.pairs)


def cost_premise_pairs(inputs: Inputs, initiative: str) -> list[tuple[str, str, str]]:
    """Every (cost option, premises option, refusal) of an initiative; refusal is "" for a compatible pair."""
    out = []
    for cost in options_of(inputs.measures, initiative, "cost"):
        c = resolve(inputs.measures, inputs.figures, inputs.external, initiative, "cost", cost)
        for premises in options_of(inputs.measures, initiative, "premises"):
            p = resolve(inputs.measures, inputs.figures, inputs.external, initiative, "premises", premises)
            refusal = "" if c.scope == p.scope else f"refused: cost scope {c.scope} ≠ premises scope {p.scope}"
            out.append((cost, premises, refusal))
    return out


def sensitivity(inputs: Inputs, base_year: int, options: dict[str, str], base_years: list[int]) -> pd.DataFrame:
    """Each choice moved alone (others central): the headlines it gives, one row per headline.

    ``status`` is "ok", or "refused: …" for a cost and premises of different scopes (value empty).
    """
    out: list[dict] = []

    def add(
        assumption: str,
        setting: str,
        central: bool,
        year: int,
        chosen: dict[str, str],
        refusal: str = "",
        moved: str | None = None,
    ):
        if refusal:
            out.append(
                {
                    "assumption": assumption,
                    "setting": setting,
                    "central": False,
                    "headline": "",
                    "value": float("nan"),
                    "status": refusal,
                }
            )
            return
        for headline, value in inputs.headlines(year, chosen, moved).items():
            out.append(
                {
                    "assumption": assumption,
                    "setting": setting,
                    "central": central,
                    "headline": headline,
                    "value": value,
                    "status": "ok",
                }
            )

    for year in sorted(set(base_years) | {base_year}):
        add("base_year", str(year), year == base_year, year, options)
    for initiative in inputs.initiatives:
        # A quantity the initiative lacks (no cited population, say) has no central option and nothing to move.
        central = {
            q: options.get(f"{initiative}.{q}")
            or (default_option(inputs.measures, initiative, q) if options_of(inputs.measures, initiative, q) else None)
            for q in ("cost", "premises", "population", "speed")
        }
        pairs = cost_premise_pairs(inputs, initiative)
        if len(pairs) > 1:
            for cost, premises, refusal in pairs:
                chosen = {**options, f"{initiative}.cost": cost, f"{initiative}.premises": premises}
                is_central = (cost, premises) == (central["cost"], central["premises"])
                add(
                    f"{initiative}.cost+premises",
                    f"{cost} / {premises}",
                    is_central,
                    base_year,
                    chosen,
                    refusal,
                    initiative,
                )
        for quantity in ("population", "speed"):
            settings = options_of(inputs.measures, initiative, quantity)
            if len(settings) > 1:
                for setting in settings:
                    chosen = {**options, f"{initiative}.{quantity}": setting}
                    add(
                        f"{initiative}.{quantity}",
                        setting,
                        setting == central[quantity],
                        base_year,
                        chosen,
                        "",
                        initiative,
                    )
        cost = resolve(inputs.measures, inputs.figures, inputs.external, initiative, "cost", central["cost"])
        period = grouped_records(inputs.profiles, ("spending",)).get((cost.spending,), [])
        profiles = list(dict.fromkeys(r["profile"] for r in period))
        if len(profiles) > 1:
            default = next(r["profile"] for r in period if bool(r["default"]))
            chosen_profile = options.get(f"{initiative}.{PROFILE_KEY}", default)
            for profile in profiles:
                chosen = {**options, f"{initiative}.{PROFILE_KEY}": profile}
                add(
                    f"{initiative}.{PROFILE_KEY}", profile, profile == chosen_profile, base_year, chosen, "", initiative
                )
    return pd.DataFrame(out, columns=SENSITIVITY_COLUMNS)


def tornado(table: pd.DataFrame, headline: str) -> pd.DataFrame:
    """Low, central and high of one headline for each choice that moves it, widest swing first.

    Refused pairs are left out; choices that leave the headline unchanged are left out too (see ``unmoved``).
    """
    rows_ = table[(table["headline"] == headline) & (table["status"] == "ok")]
    central_value = rows_.loc[rows_["central"] & (rows_["assumption"] == "base_year"), "value"].iloc[0]
    out = []
    for assumption, group in rows_.groupby("assumption", sort=False):
        low, high = group.loc[group["value"].idxmin()], group.loc[group["value"].idxmax()]
        if high["value"] - low["value"] <= 1e-9 * max(abs(central_value), 1):
            continue
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
    frame = pd.DataFrame(out, columns=["assumption", "low", "low_setting", "central", "high", "high_setting"])
    frame["swing"] = frame["high"] - frame["low"]
    return frame.sort_values(["swing", "assumption"], ascending=[False, True], ignore_index=True)


def unmoved(table: pd.DataFrame, headline: str) -> list[str]:
    """The choices tried that leave ``headline`` where it is."""
    moving = set(tornado(table, headline)["assumption"])
    tried = table[(table["headline"] == headline) & (table["status"] == "ok")]["assumption"]
    return [a for a in dict.fromkeys(tried) if a not in moving]


def refused(table: pd.DataFrame) -> pd.DataFrame:
    """The pairs the sensitivity analysis refused to compute, with why."""
    return table[table["status"] != "ok"][["assumption", "setting", "status"]].reset_index(drop=True)


def lower_throughout(pair: tuple[str, str, str], low: float, high: float, initiative: str) -> bool:
    """Whether ``initiative`` is the cheaper of a headline's two networks under every setting of a choice: the
    headline's ratio (``pair``: metric, numerator, denominator, as headlines.csv gives it) ranges from ``low``
    to ``high``, so it stays above one where ``initiative`` is the denominator, below one where it is the
    numerator. A range that reaches one says neither."""
    _metric, numerator, denominator = pair
    if initiative == denominator:
        return low > 1
    if initiative == numerator:
        return high < 1
    raise ValueError(f"{initiative!r} is neither network of the headline {pair}")


def bounds(table: pd.DataFrame, headline: str) -> dict:
    """The lowest and highest value of a headline over every compatible choice tried, and which bound it."""
    ranges = tornado(table, headline)
    low, high = ranges.loc[ranges["low"].idxmin()], ranges.loc[ranges["high"].idxmax()]
    return {
        "low": low["low"],
        "low_by": f"{low['assumption']} = {low['low_setting']}",
        "high": high["high"],
        "high_by": f"{high['assumption']} = {high['high_setting']}",
    }


def scenario_headlines(inputs: Inputs, scenarios: dict[str, dict]) -> pd.DataFrame:
    """The headlines under each scenario, given by name as its merged parameters (``base_year``, ``options``).

    The scenarios come merged into the central case by the build's one rule (``build.params.sweep``), the
    central case among them. A scenario choosing a cost and premises of different scopes is recorded as
    refused, not computed.
    """
    out = []
    for name, values in scenarios.items():
        try:
            headlines = inputs.headlines(values["base_year"], values["options"])
        except ScopeError as error:
            out.append({"scenario": name, "headline": "", "value": float("nan"), "status": f"refused: {error}"})
            continue
        out += [{"scenario": name, "headline": h, "value": v, "status": "ok"} for h, v in headlines.items()]
    return pd.DataFrame(out, columns=["scenario", "headline", "value", "status"])
