"""The models side by side: what each asks of the public purse, what it delivered when, who carries the risk.

Every network of the study gets the same indicators, from data only (``progress.csv``, ``funding.csv``,
``model_risks.csv``, ``contracts.csv`` and the comparison), so a new initiative enters by rows. Figures of
different scopes are never added up: public money per plug is an amount that is *all* the public money of
its scope (``funding.all_public_money``), divided by premises of that same scope.
"""

from __future__ import annotations

import pandas as pd

from divide_study.analysis import plots, timeline
from divide_study.analysis.lookup import grouped_records
from divide_study.i18n import Translator
from divide_study.report.formats import MISSING, Formats
from divide_study.report.labels import Labels

MODEL_COLUMNS = [
    "initiative",
    "name",
    "model",
    "technology",
    "years",
    "from_year",
    "to_year",
    "premises",
    "premises_scope",
    "cost_per_premise",
    "cost_per_premise_constant",
    "cost_scope",
    "public_money",
    "public_money_scope",
    "public_money_per_premise",
    "public_money_note",
    "own_target",
    "own_target_id",
    "own_target_cited_as",
    "target_by",
    "achieved_by_target_year",
    "achieved_as_of",
    "plugs_per_year",
    "pace_period",
    "owner",
    "who_pays_the_works",
    "delay_risk",
    "demand_risk",
    "risk_basis",
    "evidence_ids",
]


def network_progress(
    figures: pd.DataFrame,
    external: pd.DataFrame,
    progress: pd.DataFrame,
    comparison: pd.DataFrame,
    networks: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(timelines, targets, pace) of every network that has rows in progress.csv, each row naming its
    initiative; shares and counts are read against the network's central premises (comparison.csv)."""
    timelines, targets, paces = [], [], []
    plugs_of = grouped_records(comparison, ("initiative", "metric"))
    for initiative in networks:
        if not grouped_records(progress, ("initiative",)).get((initiative,)):
            continue
        plugs = float(plugs_of[(initiative, "premises")][0]["value_nominal"])
        points = timeline.timeline_points(figures, external, progress, initiative, plugs)
        start = timeline.start_of(figures, external, progress, initiative)
        timelines += [{"initiative": initiative, **p} for p in points]
        targets += timeline.target_rows(points, external, initiative)
        paces += [{"initiative": initiative, **p} for p in timeline.pace_rows(points, start)]
    return (
        pd.DataFrame(timelines, columns=["initiative", *timeline.PROGRESS_COLUMNS]),
        pd.DataFrame(targets, columns=timeline.TARGET_COLUMNS),
        pd.DataFrame(paces, columns=["initiative", *timeline.PACE_COLUMNS]),
    )


def model_comparison(
    initiatives: pd.DataFrame,
    comparison: pd.DataFrame,
    money: pd.DataFrame,
    targets: pd.DataFrame,
    pace: pd.DataFrame,
    contracts: pd.DataFrame,
    model_risks: pd.DataFrame,
    networks: list[str],
) -> pd.DataFrame:
    """One row per network: its model, cost and public money per plug, its own target against what it had
    achieved by the target's year, its average pace, and who owns, pays and carries the risk.

    A value the sources do not give stays empty (never zero, never an estimate).
    """
    by_id = {r["initiative"]: r for r in initiatives.to_dict("records")}
    risks = {r["model"]: r for r in model_risks.to_dict("records")}
    rows = grouped_records(comparison, ("initiative", "metric"))
    funded = grouped_records(money, ("initiative",))
    aims = grouped_records(targets, ("initiative",))
    paces = grouped_records(pace, ("initiative",))
    spans_of = grouped_records(contracts, ("initiative",))
    nan = float("nan")
    out = []
    for initiative in networks:
        info = by_id[initiative]
        cost = (rows.get((initiative, "cost_per_premise")) or [None])[0]
        premises = (rows.get((initiative, "premises")) or [None])[0]
        public = [
            m
            for m in funded.get((initiative,), [])
            if bool(m["all_public_money"]) and m["per_premise"] == m["per_premise"]
        ]
        own = [t for t in aims.get((initiative,), []) if str(t["target"]).startswith("own target")]
        steps = paces.get((initiative,), [])
        spans = spans_of.get((initiative,), [])
        years, first, until = "", None, None
        if spans:
            first = int(min(r["from_year"] for r in spans))
            last = [r["to_year"] for r in spans if r["to_year"] == r["to_year"] and r["to_year"] is not None]
            until = int(max(last)) if last else None
            years = f"{first}–{until}" if last else f"from {first}"
        risk = risks.get(info["model"])
        ids = [cost["input_ids"]] if cost else []
        ids += [m["evidence_id"] for m in public] + [t["target_id"] for t in own] + [t["achieved_id"] for t in own]
        if risk is not None and risk["evidence_ids"]:
            ids.append(risk["evidence_ids"])
        out.append(
            {
                "initiative": initiative,
                "name": info["short_name"],
                "model": info["model"],
                "technology": info["technology"],
                "years": years,
                # The same span as numbers, so that the report can quote each year through its ledger.
                "from_year": first,
                "to_year": until,
                "premises": float(premises["value_nominal"]) if premises else nan,
                "premises_scope": premises["scope"] if premises else "",
                "cost_per_premise": float(cost["value_nominal"]) if cost else nan,
                "cost_per_premise_constant": float(cost["value_constant"]) if cost else nan,
                "cost_scope": cost["scope"] if cost else "",
                "public_money": float(public[0]["amount_eur"]) if public else nan,
                "public_money_scope": public[0]["scope"] if public else "",
                "public_money_per_premise": float(public[0]["per_premise"]) if public else nan,
                "public_money_note": public[0]["note"] if public else "",
                "own_target": own[0]["target"].removeprefix("own target: ") if own else "",
                "own_target_id": own[0]["target_id"] if own else "",
                "own_target_cited_as": own[0]["cited_as"] if own else "",
                "target_by": own[0]["by"] if own else "",
                "achieved_by_target_year": float(own[0]["achieved_by_then"]) if own else nan,
                "achieved_as_of": own[0]["achieved_as_of"] if own else "",
                "plugs_per_year": _average_pace(steps),
                "pace_period": f"{steps[0]['from']} – {steps[-1]['to']}" if steps else "",
                "owner": risk["owner"] if risk is not None else "",
                "who_pays_the_works": risk["who_pays_the_works"] if risk is not None else "",
                "delay_risk": risk["delay_risk"] if risk is not None else "",
                "demand_risk": risk["demand_risk"] if risk is not None else "",
                "risk_basis": risk["basis"] if risk is not None else "",
                "evidence_ids": ";".join(i for i in ids if i),
            }
        )
    frame = pd.DataFrame(out, columns=MODEL_COLUMNS)
    # Years stay whole numbers in the CSV ("2013", not "2013.0"), empty where a contract is open-ended.
    return frame.astype({"from_year": "Int64", "to_year": "Int64"})


def _average_pace(steps: list[dict]) -> float:
    """Plugs per year from the start to the last point achieved: total plugs over total years."""
    if not steps:
        return float("nan")
    return float(steps[-1]["plugs_to"] - steps[0]["plugs_from"]) / sum(float(s["years"]) for s in steps)


def _years_text(years: str, _) -> str:
    """models.csv's span of contract years ('2013–2026', 'from 1999') in the edition's words."""
    if years.startswith("from "):
        return _("from {year}").format(year=years.removeprefix("from "))
    return years


def _period_text(period: str, formats: Formats) -> str:
    """A pace period ('2014 – 2026-01-28') with each end as the edition writes a date."""
    ends = [part.strip() for part in str(period).split(" – ")]
    return " – ".join(formats.date(end) for end in ends)


def _labels_of(report, labels: Labels | None) -> Labels:
    found = labels if labels is not None else getattr(report, "labels", None)
    if found is None:
        raise ValueError("models.report_section needs the edition's labels: pass labels= or set report.labels")
    if found.lang != report.lang:
        raise ValueError(f"labels of {found.lang!r} for a {report.lang!r} report")
    return found


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def _models_cell(_, name: str, column: str) -> str:
    """Where a value of the section comes from: models.csv, the network's row, one column (``column``: its
    meaning in the edition's words, since a reader of either edition reads words, not identifiers)."""
    return _("data/processed/models.csv, row of {name}, column “{column}”").format(name=name, column=column)


def years_prose(report, row: dict, _) -> str:
    """The span of a network's contracts ('2013–2026', 'from 1999') with each year a link to its entry
    (models.csv ``from_year``/``to_year``, the earliest and latest years of its rows of contracts.csv);
    empty when no contract gives one."""
    name = row["name"]
    if _missing(row.get("from_year")):
        return ""
    first = report.dated(
        str(int(row["from_year"])),
        _("{name}: first year of its contracts").format(name=name),
        _models_cell(_, name, _("first year of the contracts")),
        _("the earliest start year of its rows of contracts.csv"),
    )
    if _missing(row.get("to_year")):
        return _("from {year}").format(year=first)
    last = report.dated(
        str(int(row["to_year"])),
        _("{name}: last year of its contracts").format(name=name),
        _models_cell(_, name, _("last year of the contracts")),
        _("the latest end year of its rows of contracts.csv"),
    )
    return _("{first}–{last}").format(first=first, last=last)


def period_prose(report, row: dict, _) -> str:
    """The period of a network's average pace (models.csv ``pace_period``, 'start – last point achieved'),
    each end a date linked to its entry."""
    name = row["name"]
    start, end = [part.strip() for part in str(row["pace_period"]).split(" – ")]
    where = _models_cell(_, name, _("period of the average pace"))
    return _("{start} – {end}").format(
        start=report.dated(
            start,
            _("{name}: start of the period of its average pace").format(name=name),
            where,
            _("the initiative's start (progress.csv), where its count of plugs is zero"),
        ),
        end=report.dated(
            end,
            _("{name}: end of the period of its average pace").format(name=name),
            where,
            _("the date of the last count of plugs achieved (deployment_pace.csv)"),
        ),
    )


def own_target_prose(report, row: dict, _) -> str:
    """A network's own target as its source states it ("67% eligible", "138,000 plugs"), the number a link to
    that source's entry (models.csv ``own_target_id``: an article figure or a reference row)."""
    if row["own_target_cited_as"] == "share":
        return _("{share} eligible").format(share=report.evidence(row["own_target_id"], "{:.0%}"))
    return _("{plugs} plugs").format(plugs=report.evidence(row["own_target_id"], "{:,.0f}"))


def report_section(report, table: pd.DataFrame, figures_in, labels: Labels | None = None) -> str:
    """The report's section "The models side by side", as HTML: a paragraph per network, the chart and the
    table, in the report's language (``report.lang``); codes through ``labels`` (default ``report.labels``).

    Every number and date goes through the report's ledger (``computed``, ``evidence``, ``dated``), so it links
    to its provenance. The data's own words (``public_money_note``, the risks) are shown as ``table`` holds
    them: give the table in the edition's language.
    """
    import html

    labels = _labels_of(report, labels)
    _ = Translator(report.lang, "analysis")
    basis = "data/processed/models.csv (comparison.csv, public_money.csv, targets.csv, deployment_pace.csv)"  # names
    paragraphs = []
    for row in table.to_dict("records"):
        name = row["name"]
        years = years_prose(report, row, _)
        model = html.escape(labels("model", row["model"]))
        if years:
            network = _("<strong>{name}</strong> ({model}, {years})").format(
                name=html.escape(name), model=model, years=years
            )
        else:
            network = _("<strong>{name}</strong> ({model})").format(name=html.escape(name), model=model)
        if row["public_money_per_premise"] == row["public_money_per_premise"]:
            per_plug = report.computed(
                row["public_money_per_premise"],
                _("{name}: public money per plug").format(name=name),
                basis,
                "{:,.0f} €",
            )
            total = report.computed(
                row["public_money"] / 1e6, _("{name}: public money, million euros").format(name=name), basis
            )
            text = _(
                "{network} asked {per_plug} of public money per plug ({total} million euros of public money, "
                "scope {scope}: {note})"
            ).format(
                network=network,
                per_plug=per_plug,
                total=total,
                scope=html.escape(labels("scope", row["public_money_scope"])),
                note=html.escape(row["public_money_note"]),
            )
        else:
            text = _("{network} asked an amount of public money per plug that no source gives").format(network=network)
        if row["cost_per_premise"] == row["cost_per_premise"]:
            all_money = report.computed(
                row["cost_per_premise"],
                _("{name}: all money per plug, nominal").format(name=name),
                basis,
                "{:,.0f} €",
            )
            text = _("{sentence}; against {all_money} per plug of all money, public and private (nominal)").format(
                sentence=text, all_money=all_money
            )
        text += "."
        if not _missing(row["own_target_id"]):
            achieved = report.computed(
                row["achieved_by_target_year"],
                _("{name}: achieved by its target's year").format(name=name),
                basis,
                "{:.0%}",
            )
            text += " " + _(
                "Its own target was {target} by {year}; the latest count by then had {achieved} of it (as of {as_of})."
            ).format(
                target=own_target_prose(report, row, _),
                year=report.dated(
                    str(row["target_by"]),
                    _("{name}: year of its own target").format(name=name),
                    _models_cell(_, name, _("year of the own target")),
                    _("the year by which its source sets the target (targets.csv)"),
                ),
                achieved=achieved,
                as_of=report.dated(
                    str(row["achieved_as_of"]),
                    _("{name}: date of the last share achieved by its target's year").format(name=name),
                    _models_cell(_, name, _("date of the share achieved")),
                    _("the date of the source of that share (targets.csv)"),
                ),
            )
        if row["plugs_per_year"] == row["plugs_per_year"]:
            pace = report.computed(
                row["plugs_per_year"], _("{name}: plugs per year on average").format(name=name), basis
            )
            text += " " + _("On average it made {pace} plugs a year able to connect ({period}).").format(
                pace=pace, period=period_prose(report, row, _)
            )
        if row["delay_risk"]:
            text += " " + _(
                "Who pays for delay: {delay}; who loses if few subscribe: {demand} (the study's reading of the "
                "contract form)."
            ).format(delay=html.escape(row["delay_risk"]), demand=html.escape(row["demand_risk"]))
        paragraphs.append(f"<p>{text}</p>")
    # The networks' years are in their own paragraphs, each a link to its entry; the introduction names none.
    intro = _(
        "{table} and {figure} set the networks side by side. Their dates, scopes and technologies differ — a "
        "fibre concession across a whole département, a public fibre network built by the local authorities, an "
        "older mixed-economy DSL and WiFi network — so the table says which scope and years each number "
        "covers; public money is divided only by premises of the same scope, and amounts are never added up."
    ).format(table=report.table_ref("models"), figure=report.figure_ref("models"))
    shown = side_by_side_table(table, labels)
    return (
        f"<p>{intro}</p>"
        + "".join(paragraphs)
        + report.figure(
            "models",
            # The chart of the edition (the French one is models.fr.png).
            figures_in / plots.figure_file("models", report.lang),
            _("Public money and all money per plug, each within one scope (nominal euros)."),
            "data/processed/models.csv",
        )
        + report.table(
            "models",
            shown,
            _("The models side by side: money per plug, own target against achieved, pace, and who carries the risk."),
            _("data/processed/models.csv; model_risks.csv (the study's reading of contracts.csv)"),
        )
    )


def _side_by_side_rows(_) -> tuple[tuple[str, str, str | None], ...]:
    """The rows of the side-by-side table: (column of models.csv, what a reader sees, how a value is shown)."""
    return (
        ("model", _("model"), "model"),
        ("years", _("years"), "years"),
        ("premises", _("plugs (premises) of the central option"), "number"),
        ("premises_scope", _("their scope"), "scope"),
        ("public_money_per_premise", _("public money per plug (€, nominal)"), "number"),
        ("public_money_scope", _("scope of that public money"), "scope"),
        ("cost_per_premise", _("all money per plug (€, nominal)"), "number"),
        ("own_target", _("own target"), None),
        ("target_by", _("by"), None),
        ("achieved_by_target_year", _("latest achieved by then"), "share"),
        ("plugs_per_year", _("plugs made able to connect per year, on average"), "number"),
        ("pace_period", _("over"), "period"),
        ("delay_risk", _("who pays for delay"), None),
        ("demand_risk", _("who loses if few subscribe"), None),
    )


def side_by_side_table(table: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """models.csv turned for reading on a page, in the language of ``labels``: one column per network, one row
    per indicator, numbers in the edition's format, codes as labels (a dash where the sources give none)."""
    _ = Translator(labels.lang, "analysis")
    formats = Formats(labels.lang)
    rows = _side_by_side_rows(_)
    out = {_("indicator"): [label for _key, label, _kind in rows]}
    for row in table.to_dict("records"):
        column = []
        for key, _label, kind in rows:
            value = row[key]
            if value is None or (isinstance(value, float) and value != value) or value == "":
                column.append(MISSING)
            elif kind == "number":
                column.append(formats.number(float(value)))
            elif kind == "share":
                column.append(formats.share(float(value)))
            elif kind in ("model", "scope"):
                column.append(labels(kind, str(value)))
            elif kind == "years":
                column.append(_years_text(str(value), _))
            elif kind == "period":
                column.append(_period_text(str(value), formats))
            else:
                column.append(str(value))
        out[row["name"]] = column
    return pd.DataFrame(out)
