"""The report's tables as a reader sees them: codes replaced by labels, one column per thing a reader asks.

Each function takes the processed table (and the labels of the edition) and returns the frame the report
shows; the report notebook only calls them. No code (an initiative id, ``whole_network``,
``homes_eligible_2022``) survives into a cell: initiatives show their short name, codes their label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import reduce

import pandas as pd

from divide_study.i18n import Translator
from divide_study.language.labels import Labels


def _names(initiatives: pd.DataFrame) -> dict[str, str]:
    return dict(zip(initiatives["initiative"], initiatives["short_name"], strict=True))


def _joined(parts: list[str], lang: str) -> str:
    """Items of a list joined as the edition punctuates them: 'a; b' in English, 'a ; b' in French."""
    _ = Translator(lang, "analysis")
    return reduce(lambda before, after: _("{before}; {after}").format(before=before, after=after), parts)


def _option_label(labels: Labels, initiative: str, option: str) -> str:
    """'cost=spending_2023 + premises=plugs_total' -> 'spent by July 2023; all plugs of the network'."""
    parts = []
    for part in str(option).split(" + "):
        _code, _equals, name = part.partition("=")
        parts.append(labels.option(initiative, name or part))
    return _joined(parts, labels.lang)


def comparison(
    frame: pd.DataFrame, initiatives: pd.DataFrame, labels: Labels, natures: dict[str, str] | None = None
) -> pd.DataFrame:
    """comparison.csv: initiative, metric, nominal and constant values, unit, scope, years, options.

    ``natures`` (``cost_natures``): each initiative's cost is worded by what it is in the unit of every
    amount in euros derived from it ("€ per premise, planned"), so a plan never reads as spending."""
    names = _names(initiatives)
    _ = Translator(labels.lang, "analysis")
    units = labels.values(frame["unit"], "unit")
    natures = natures or {}
    units = [
        _("{unit}, {nature}").format(unit=unit, nature=labels("amount_nature", natures[initiative]))
        if str(code).startswith("EUR") and natures.get(initiative)
        else unit
        for unit, code, initiative in zip(units, frame["unit"], frame["initiative"], strict=True)
    ]
    # A value its sources bound ("plus de 138 000 prises", and money over it) says so beside its unit.
    bounds = {"at_least": _("a lower bound"), "upper_bound": _("an upper bound"), "approx": _("approximate")}
    qualifiers = frame["qualifier"] if "qualifier" in frame else pd.Series("", index=frame.index)
    units = [
        _("{unit}, {bound}").format(unit=unit, bound=bounds[str(q)]) if str(q) in bounds else unit
        for unit, q in zip(units, qualifiers, strict=True)
    ]
    return pd.DataFrame(
        {
            "initiative": frame["initiative"].map(names),
            "metric": labels.values(frame["metric"], "metric"),
            "value_nominal": frame["value_nominal"],
            "value_constant": frame["value_constant"],
            "unit": units,
            "scope": labels.values(frame["scope"], "scope"),
            "spending_years": frame["spending_years"].fillna(""),
            "option": [_option_label(labels, i, o) for i, o in zip(frame["initiative"], frame["option"], strict=True)],
        }
    )


def choice_label(assumption: str, initiatives: pd.DataFrame, labels: Labels, in_a_sentence: bool = False) -> str:
    """A choice of the sensitivity analysis named for a reader: 'alpha.cost+premises' -> 'Alpha: cost and premises'
    (a table's label), or, ``in_a_sentence``, 'cost and premises (Alpha)' (a colon reads as a variable's name in
    prose); 'base_year' -> its label either way."""
    if assumption == "base_year":
        return labels("quantity", "base_year")
    _ = Translator(labels.lang, "analysis")
    initiative, _dot, quantity = assumption.partition(".")
    words = _("{choice} ({initiative})") if in_a_sentence else _("{initiative}: {choice}")
    return words.format(initiative=_names(initiatives).get(initiative, initiative), choice=labels("quantity", quantity))


def choice_words(assumption: str, initiatives: pd.DataFrame, labels: Labels) -> str:
    """A choice of the sensitivity analysis named in a sentence: 'alpha.speed' -> 'speed (Alpha)'."""
    return choice_label(assumption, initiatives, labels, in_a_sentence=True)


def setting_parts(assumption: str, value: str, labels: Labels) -> list[str]:
    """A setting of that choice, each part in words: 'spending_2023 / plugs_total' -> ['spent by July 2023', 'all
    plugs of the network'] (a cost and its premises); a base year is itself."""
    if assumption == "base_year":
        return [str(value)]
    initiative = assumption.partition(".")[0]
    return [labels.option(initiative, part.strip()) for part in str(value).split(" / ")]


def setting_label(assumption: str, value: str, labels: Labels) -> str:
    """A setting of that choice, a table's shorthand: 'spent by July 2023 / all plugs of the network'."""
    return " / ".join(setting_parts(assumption, value, labels))


def bound_label(bound: str, initiatives: pd.DataFrame, labels: Labels) -> str:
    """What bounds a range (``sensitivity.bounds``' ``low_by``/``high_by``, 'choice = setting') in words."""
    assumption, equals, value = str(bound).partition(" = ")
    if not equals:
        raise ValueError(f"{bound!r} is not 'choice = setting' (sensitivity.bounds)")
    _ = Translator(labels.lang, "analysis")
    # In a sentence, the setting first and the choice it sets after it, in words: never "choice = a / b" (a table's
    # shorthand pasted into prose); a cost and its premises read as one over the other.
    parts = setting_parts(assumption, value, labels)
    setting = _("{cost} over {premises}").format(cost=parts[0], premises=parts[1]) if len(parts) == 2 else parts[0]
    return _("{setting} ({choice})").format(setting=setting, choice=choice_label(assumption, initiatives, labels))


def sensitivity_ranges(frame: pd.DataFrame, initiatives: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """A tornado table (``sensitivity.tornado``): each choice named for a reader, with its settings."""
    assumptions = frame["assumption"]
    return pd.DataFrame(
        {
            "assumption": [choice_label(a, initiatives, labels) for a in assumptions],
            "low": frame["low"],
            "low_setting": [
                setting_label(a, v, labels) for a, v in zip(assumptions, frame["low_setting"], strict=True)
            ],
            "central": frame["central"],
            "high": frame["high"],
            "high_setting": [
                setting_label(a, v, labels) for a, v in zip(assumptions, frame["high_setting"], strict=True)
            ],
        }
    )


# How metrics.benchmarks writes the study's own row: "<name>: cost per premise (<option>)".
_STUDY_BENCHMARK = re.compile(r"^(?P<name>.*): cost per premise \((?P<option>.*)\)$")


def benchmarks(
    frame: pd.DataFrame, initiative: str, labels: Labels, words: Callable[..., str] | None = None
) -> pd.DataFrame:
    """benchmarks.csv (``metrics.benchmarks``) for a reader: the study's own row and each row's kind in the
    edition's words, the option as labels. The reference rows' ``what`` is the reference data's own wording, in
    the edition's language through ``words`` (``datatext.DataText``) when given."""
    _ = Translator(labels.lang, "analysis")
    kinds = {"the study's computation": _("the study's computation"), "national benchmark": _("national benchmark")}
    what = []
    for text, kind in zip(frame["what"], frame["kind"], strict=True):
        found = _STUDY_BENCHMARK.match(str(text)) if kind == "the study's computation" else None
        if kind == "the study's computation" and found is None:
            raise ValueError(f"benchmarks.csv: the study's row {text!r} is not '<name>: cost per premise (<option>)'")
        what.append(
            _("{name}: cost per premise ({option})").format(
                name=found["name"], option=_option_label(labels, initiative, found["option"])
            )
            if found
            else words(text, "benchmarks.csv", "what")
            if words is not None
            else text
        )
    # Any other kind is what a benchmark's source is (metrics.benchmarks: its basis), data words of the edition.
    unknown = sorted(set(frame["kind"]) - set(kinds))
    if unknown and words is None:
        raise ValueError(f"benchmarks.csv: kind(s) {unknown} need the edition's words")
    kinds.update({kind: words(kind, "benchmarks.csv", "kind") for kind in unknown if words is not None})
    # The study's row names no file (its published table is linked under the report's table): its source in words.
    source = [
        _("the study's computation from the articles' figures") if kind == "the study's computation" else text
        for text, kind in zip(frame["source"], frame["kind"], strict=True)
    ]
    return frame.assign(what=what, kind=frame["kind"].map(kinds), source=source)


def refused_pairs(
    frame: pd.DataFrame, measures: pd.DataFrame, initiatives: pd.DataFrame, labels: Labels
) -> pd.DataFrame:
    """The pairs of cost and premises the sensitivity analysis refused (``sensitivity.refused``), each said
    in words: which cost, which premises, and the two scopes that differ."""
    from divide_study.data.lookup import grouped_records

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
                "cost_scope": labels("scope", scopes[0]),
                "premises": labels.option(initiative, premises),
                "premises_scope": labels("scope", scopes[1]),
            }
        )
    # Headers are codes: the report shows their labels (labels.csv's ``column`` rows).
    return pd.DataFrame(out, columns=["initiative", "cost", "cost_scope", "premises", "premises_scope"])


def findings(graded: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The graded findings (``findings.evaluation_findings``, graded in the labels' language) as the report's
    table shows them: the question, the strength of its evidence and whether the sources agree as words, and
    why. Headers are codes, labelled by the report."""
    return pd.DataFrame(
        {
            "question": graded["question"],
            "strength": labels.values(graded["strength"], "strength"),
            "why": graded["why"],
            "agreement": labels.values(graded["agreement"], "agreement"),
        }
    )
