"""The report's tables as a reader sees them: codes replaced by labels, one column per thing a reader asks.

Each function takes the processed table (and the labels of the edition) and returns the frame the report
shows; the report notebook only calls them. No code (an initiative id, ``whole_network``,
``homes_eligible_2022``) survives into a cell: initiatives show their short name, codes their label.
"""

from __future__ import annotations

import pandas as pd

from divide_study.report.labels import Labels


def _names(initiatives: pd.DataFrame) -> dict[str, str]:
    return dict(zip(initiatives["initiative"], initiatives["short_name"], strict=True))


def _option_label(labels: Labels, initiative: str, option: str) -> str:
    """'cost=spending_2023 + premises=plugs_total' -> 'spent by July 2023; all plugs of the network'."""
    parts = []
    for part in str(option).split(" + "):
        _, _, name = part.partition("=")
        parts.append(labels.option(initiative, name or part))
    return "; ".join(parts)


def comparison(frame: pd.DataFrame, initiatives: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """comparison.csv: initiative, metric, nominal and constant values, unit, scope, years, options."""
    names = _names(initiatives)
    return pd.DataFrame(
        {
            "initiative": frame["initiative"].map(names),
            "metric": labels.values(frame["metric"], "metric"),
            "value_nominal": frame["value_nominal"],
            "value_constant": frame["value_constant"],
            "unit": labels.values(frame["unit"], "unit"),
            "scope": labels.values(frame["scope"], "scope"),
            "spending_years": frame["spending_years"].fillna(""),
            "option": [_option_label(labels, i, o) for i, o in zip(frame["initiative"], frame["option"], strict=True)],
        }
    )


def choice_label(assumption: str, names: dict[str, str], labels: Labels) -> str:
    """A choice of the sensitivity analysis for a reader: ``gers_numerique.cost`` -> "Gers Numérique: cost"."""
    if assumption == "base_year":
        return labels("quantity", "base_year")
    initiative, _, quantity = assumption.partition(".")
    return f"{names.get(initiative, initiative)}: {labels('quantity', quantity)}"


def setting_label(assumption: str, value: str, labels: Labels) -> str:
    """A setting of that choice: its options' labels (a base year as it is)."""
    if assumption == "base_year":
        return str(value)
    initiative = assumption.partition(".")[0]
    return " / ".join(labels.option(initiative, part.strip()) for part in str(value).split(" / "))


def bound_label(by: str, initiatives: pd.DataFrame, labels: Labels) -> str:
    """What bounds a range (``sensitivity.bounds``' "assumption = setting") in words."""
    assumption, _, value = by.partition(" = ")
    return f"{choice_label(assumption, _names(initiatives), labels)} = {setting_label(assumption, value, labels)}"


def sensitivity_ranges(frame: pd.DataFrame, initiatives: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """A tornado table (``sensitivity.tornado``): each choice named for a reader, with its settings."""
    names = _names(initiatives)
    settings = {
        column: [setting_label(a, v, labels) for a, v in zip(frame["assumption"], frame[column], strict=True)]
        for column in ("low_setting", "high_setting")
    }
    return pd.DataFrame(
        {
            "assumption": frame["assumption"].map(lambda a: choice_label(a, names, labels)),
            "low": frame["low"],
            "low_setting": settings["low_setting"],
            "central": frame["central"],
            "high": frame["high"],
            "high_setting": settings["high_setting"],
        }
    )


def refused_pairs(
    frame: pd.DataFrame, measures: pd.DataFrame, initiatives: pd.DataFrame, labels: Labels
) -> pd.DataFrame:
    """The pairs of cost and premises the sensitivity analysis refused (``sensitivity.refused``), each said
    in words: which cost, which premises, and the two scopes that differ."""
    from divide_study.analysis.lookup import grouped_records

    names = _names(initiatives)
    by_option = grouped_records(measures, ("initiative", "option"))
    out = []
    for record in frame.to_dict("records"):
        initiative = record["assumption"].partition(".")[0]
        cost, _, premises = (part.strip() for part in str(record["setting"]).partition("/"))
        scopes = [by_option[(initiative, option)][0]["scope"] for option in (cost, premises)]
        out.append(
            {
                "initiative": names.get(initiative, initiative),
                "cost": labels.option(initiative, cost),
                "cost scope": labels("scope", scopes[0]),
                "premises": labels.option(initiative, premises),
                "premises scope": labels("scope", scopes[1]),
            }
        )
    return pd.DataFrame(out, columns=["initiative", "cost", "cost scope", "premises", "premises scope"])
