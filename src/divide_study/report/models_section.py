"""The report's section "The models side by side": a paragraph per network, the chart and the table, from
``models.csv`` (``analysis.models`` computes it), in the edition's language. Its sentences are messages of the
``analysis`` catalog, as the models' words always were."""

from __future__ import annotations

import html

import pandas as pd

from divide_study.analysis.chart_files import figure_file
from divide_study.analysis.models import funder_codes, money_comparison
from divide_study.analysis.quoted import NATURES
from divide_study.analysis.quoting import model_keys, slug
from divide_study.errors import StudyError
from divide_study.i18n import Translator
from divide_study.language.formats import MISSING, Formats
from divide_study.language.labels import Labels


def _years_text(years: str, _) -> str:
    """models.csv's span of contract years ('2013–2026', 'from 1999') in the edition's words."""
    if years.startswith("from "):
        return _("from {year}").format(year=years.removeprefix("from "))
    return years


def _labels_of(report, labels: Labels | None) -> Labels:
    found = labels if labels is not None else getattr(report, "labels", None)
    if found is None:
        raise ValueError("models.report_section needs the edition's labels: pass labels= or set report.labels")
    if found.lang != report.lang:
        raise ValueError(f"labels of {found.lang!r} for a {report.lang!r} report")
    return found


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def years_prose(report, row: dict, _) -> str:
    """The span of a network's contracts ('2013–2026', 'from 1999'), each year a link to its entry: the first
    start and the last end of its rows of the cited contracts table (the compare step's quoted numbers); empty
    when no contract gives one."""
    key = f"compare.{row['initiative']}.contracts"
    if f"{key}.first_year" not in report.quoted.index:
        return ""
    first = report.quote(f"{key}.first_year", "{:.0f}", unit="year")
    if f"{key}.last_year" not in report.quoted.index:
        return _("from {year}").format(year=first)
    return _("{first}–{last}").format(first=first, last=report.quote(f"{key}.last_year", "{:.0f}", unit="year"))


def pace_prose(report, row: dict, _) -> str:
    """A network's pace on the State's public series from its own fibre contract on (the series step's quoted
    numbers): the same series and denominator for every network, so the paces compare; empty when the network has
    no window of its own."""
    key = f"series.{row['initiative']}.own_network"
    if f"{key}.points_per_year" not in report.quoted.index:
        return ""
    rate = report.quote(f"{key}.points_per_year", "{:.1f}", unit="points_per_year")
    if f"{key}.start" in report.quoted.index:
        # The quarter-ends measured, not the contract's date alone: a contract signed before the series starts
        # is measured from the series' first quarter.
        return _(
            "On the State's public series (share of the whole département's premises able to connect to FTTH), its "
            "département gained {rate} points a year from {measured_from} to {measured_to} (its fibre contract: "
            "{start})."
        ).format(
            rate=rate,
            start=report.quote(f"{key}.start"),
            measured_from=report.quote(f"{key}.measured_from"),
            measured_to=report.quote(f"{key}.measured_to"),
        ) + (
            # Each network's own years differ: the table of paces over the same years, where the report has it.
            " "
            + _("Paces over different years do not compare: {table} gives each over the same years.").format(
                table=report.table_ref("fibre_pace")
            )
            if "fibre_pace" in report.table_numbers
            else ""
        )
    return _(
        "On the State's public series (share of the whole département's premises able to connect to FTTH), its "
        "département gained {rate} points a year from its fibre contract to the series' end."
    ).format(rate=rate)


def stated_prose(report, evidence_id: str, _, share_of: str = "") -> str:
    """A figure as its source states it — its unit and its qualifier ("67% of inhabitants eligible", "138,000
    plugs", "about 21,000 households") — the number a link to that source's entry (an article figure or a reference
    row). A share says what it counts by ``share_of`` (progress.csv's, carried by targets.csv and models.csv), the
    one place that fact is kept. A unit with no label is refused, never written as another."""
    unit, qualifier = report.stated_as(evidence_id)
    if unit == "share":
        # A share of inhabitants says so ("two Gersois in three" is not a share of premises).
        words = _("{share} of inhabitants eligible") if share_of == "inhabitants" else _("{share} eligible")
        return words.format(share=report.evidence(evidence_id, "{:.0%}"))
    labels = _labels_of(report, None)
    if labels.get("unit", unit) is None:
        raise StudyError(
            f"evidence.csv, row [evidence_id={evidence_id}], column 'unit': the figure is counted in {unit!r}, which "
            "has no label (data/raw/labels.csv, kind 'unit'), so no sentence can state it"
        )
    count = report.evidence(evidence_id, "{:,.0f}")
    # The labels are data (labels.csv): escaped, as every value of this HTML section (they were not, and a
    # label's <img onerror=…> ran in both editions).
    unit_words = html.escape(labels("unit", unit), quote=False)
    if qualifier in ("approx", "at_least"):
        return _("{qualifier} {count} {unit}").format(
            qualifier=html.escape(labels("qualifier", qualifier), quote=False), count=count, unit=unit_words
        )
    return _("{count} {unit}").format(count=count, unit=unit_words)


def own_target_prose(report, row: dict, _) -> str:
    """A network's own target as its source states it (models.csv ``own_target_id``): see ``stated_prose``."""
    return stated_prose(report, row["own_target_id"], _, row.get("own_target_share_of", ""))


def _nature_of(natures: dict[str, str] | None, row: dict) -> str:
    """What a network's public money is, in words; an amount whose nature is not given is never quoted."""
    if not natures or row["initiative"] not in natures:
        raise StudyError(
            f"models.csv, row [initiative={row['initiative']}], column 'public_money_id': what the amount is "
            "(plan, money put in...) is not given, so it cannot be quoted truthfully"
        )
    return natures[row["initiative"]]


def _cost_nature_of(natures: dict[str, str] | None, row: dict) -> str:
    """What a network's cost (all money per plug) is, in words; a cost whose nature is not given is never quoted."""
    if not natures or row["initiative"] not in natures:
        raise StudyError(
            f"models.csv, row [initiative={row['initiative']}], column 'cost_per_premise': what the cost is (plan, "
            "spending to date...) is not given, so it cannot be quoted truthfully"
        )
    return natures[row["initiative"]]


def report_section(
    report,
    table: pd.DataFrame,
    figures_in,
    labels: Labels | None = None,
    natures: dict[str, str] | None = None,
    cost_natures: dict[str, str] | None = None,
    other_readings: tuple[set[str], str] | None = None,
    base_year: tuple[int, str] | None = None,
) -> str:
    """The report's section "The models side by side", as HTML: a paragraph per network, the chart and the
    table, in the report's language (``report.lang``); codes through ``labels`` (default ``report.labels``).

    Every number and date goes through the report's ledger (``computed``, ``evidence``, ``dated``), so it links
    to its provenance. The data's own words (``public_money_note``, the risks) are shown as ``table`` holds
    them: give the table in the edition's language. ``natures``: what each network's public money is, in words
    ("planned", "put in"); the amount is quoted only with it. ``cost_natures``: the same for each network's cost
    (all money), said beside its money per plug, so that a plan and spending never stand in one row unsaid.
    ``other_readings``: the networks whose cost the sources leave open to other readings, and the reference to the
    table that gives them: their cost is said as the study's central reading (the Tarn's 271 M€ with its public
    money inside; on top, the cost per plug is higher). ``base_year``: (the year of the constant euros, its quoted
    key) — the table's money per plug is then also in constant euros, and the chart (drawn so by its step) says so.
    """
    import html

    labels = _labels_of(report, labels)
    _ = Translator(report.lang, "analysis")
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
        key = f"compare.{row['initiative']}"  # the numbers 02_compare_networks publishes for this network
        # Its count's unit: plugs for a fibre network, premises covered for the DSL and WiFi one (never "plugs").
        unit = row.get("premises_unit")
        plugs = not isinstance(unit, str) or unit in ("", "plugs")
        if row["public_money_per_premise"] == row["public_money_per_premise"]:
            money = f"{key}.money.{slug(row['public_money_id'])}"
            text = _(
                "{network} asked {per_plug} of public money per plug ({total} million euros of public money, "
                "{nature}, scope {scope}: {note})"
            ).format(
                network=network,
                per_plug=hedged(
                    _,
                    report.quote(f"{money}.per_premise", "{:,.0f} €", unit="EUR_per_premise"),
                    row.get("public_money_per_premise_qualifier", ""),
                ),
                total=report.quote(money, "{:,.0f}", 1e-6, unit="EUR", natures=NATURES),
                nature=html.escape(_nature_of(natures, row)),
                scope=html.escape(labels("scope", row["public_money_scope"])),
                note=html.escape(row["public_money_note"]),
            )
        elif not _missing(row["public_money_id"]):
            # All the public money of a scope no premise count shares (it also paid for other networks): said, never
            # divided per plug.
            money = f"{key}.money.{slug(row['public_money_id'])}"
            text = _(
                "{network} had {total} million euros of public money for {scope} only ({nature}; {note}), a scope no "
                "count of plugs shares, so no source gives its public money per plug"
            ).format(
                network=network,
                total=report.quote(money, "{:,.0f}", 1e-6, unit="EUR", natures=NATURES),
                nature=html.escape(_nature_of(natures, row)),
                scope=html.escape(labels("scope", row["public_money_scope"])),
                note=html.escape(row["public_money_note"]),
            )
        elif plugs:
            text = _("{network} asked an amount of public money per plug that no source gives").format(network=network)
        else:  # a network counted in premises covered (a DSL network has no plugs)
            text = _("{network} asked an amount of public money per premise that no source gives").format(
                network=network
            )
        if row["cost_per_premise"] == row["cost_per_premise"]:
            all_money = hedged(
                _,
                report.quote(f"{key}.cost_per_premise_nominal", "{:,.0f} €", unit="EUR_per_premise"),
                row.get("cost_per_premise_qualifier", ""),
            )
            text = (
                _("{sentence}; the network's cost comes to {all_money} per plug ({nature}, nominal), whoever pays it")
                if plugs
                else _(
                    "{sentence}; the network's cost comes to {all_money} per premise covered ({nature}, nominal), "
                    "whoever pays it"
                )
            ).format(sentence=text, all_money=all_money, nature=html.escape(_cost_nature_of(cost_natures, row)))
            if other_readings and row["initiative"] in other_readings[0]:
                text += _(", by the study's central reading ({table} gives the others)").format(table=other_readings[1])
        text += "."
        if not _missing(row["own_target_id"]):
            target, year = own_target_prose(report, row, _), report.quote(f"{key}.own_target.by")
            as_of = report.quote(f"{key}.own_target.achieved_on")
            # A share of the territory is said as the share it is, never as a share of the target (50 % eligible
            # against an aim of 67 % is three quarters of it, not half); a share of the target's own plugs is one.
            of_target = True
            if row["own_target_cited_as"] == "share":
                achieved = report.quote(f"{key}.own_target.achieved", "{:.0%}", unit="share")
                of_target = False
            elif (
                f"{key}.own_target.achieved_share" in report.quoted.index
                and report.stated_as(row["own_target_id"])[0] == report.stated_as(row["achieved_id"])[0]
            ):  # a share of the network's plugs is a share of the target only when the target counts plugs too
                achieved = report.quote(f"{key}.own_target.achieved_share", "{:.0%}", unit="share")
            else:  # counted in another unit than the target: said as its source says it, never as a share of it
                achieved = None
            if achieved is not None:  # "at most 51 %": a count over "more than" N plugs
                achieved = hedged(_, achieved, row.get(QUALIFIER_OF["achieved_by_target_year"], ""))
            if achieved is not None and of_target:
                text += " " + _(
                    "Its own target, as the study reads its source, was {target} by {year}; the latest count of its "
                    "kind in that year had reached {achieved} of it (as of {as_of})."
                ).format(target=target, year=year, achieved=achieved, as_of=as_of)
            elif achieved is not None:
                text += " " + _(
                    "Its own target, as the study reads its source, was {target} by {year}; the latest count of its "
                    "kind in that year gave {achieved} (as of {as_of})."
                ).format(target=target, year=year, achieved=achieved, as_of=as_of)
            else:
                text += " " + _(
                    "Its own target, as the study reads its source, was {target} by {year}; the latest count in that "
                    "year, in another unit, was {achieved} (as of {as_of})."
                ).format(
                    target=target,
                    year=year,
                    achieved=stated_prose(report, row["achieved_id"], _, row.get("achieved_share_of", "")),
                    as_of=as_of,
                )
        pace = pace_prose(report, row, _)
        if pace:
            text += " " + pace
        if row["delay_risk"]:
            text += " " + _(
                "Who bears the risk of delay: {delay}; who loses if few subscribe: {demand} (the study's reading of "
                "the contract form)."
            ).format(delay=html.escape(row["delay_risk"]), demand=html.escape(row["demand_risk"]))
        paragraphs.append(f"<p>{text}</p>")
    # The networks' years are in their own paragraphs, each a link to its entry; the introduction names none.
    intro = _(
        "{table} and {figure} set the networks side by side. Their dates, scopes and technologies differ — a "
        "fibre concession across a département's public-initiative zone, a public fibre network built and run for "
        "the local authorities by contractors, an older mixed-economy DSL and WiFi network — so the table says "
        "which scope and years each number covers; public money is divided only by premises of the same scope, and "
        "amounts are never added up."
    ).format(table=report.table_ref("models"), figure=report.figure_ref("models"))
    shown = side_by_side_table(table, labels, natures, cost_natures, base_year)
    caption = (
        _(
            "Public money and the network's cost per plug, each within one scope, in constant euros of {year} (each "
            "amount along its years of spending, an assumption)."
        ).format(year=report.quote(base_year[1]))
        if base_year
        else _("Public money and the network's cost per plug, each within one scope (nominal euros).")
    )
    return (
        f"<p>{intro}</p>"
        + "".join(paragraphs)
        + report.figure(
            "models",
            # The chart of the edition (the French one is models.fr.png).
            figures_in / figure_file("models", report.lang),
            caption,
            _("the study's computation from the articles and the cited reference rows"),
        )
        + report.table(
            "models",
            shown,
            _(
                "The models side by side: money per plug, own target against achieved, and who carries the risk. "
                "Public money per plug from some funders only (the local authorities') is in {decision} and {readings}."
            ).format(decision=report.table_label("decision"), readings=report.table_label("readings"))
            if {"decision", "readings"} <= set(report.table_numbers)
            else _("The models side by side: money per plug, own target against achieved, and who carries the risk."),
            _("the study's computation; who carries each risk, in the study's reading of the cited contracts table"),
            file="data/processed/models.csv",
            cells=side_by_side_keys(table, shown, base_year),
            words=side_by_side_words(table, shown),
            natures_in=_("indicator"),  # its row "scope of that public money, and what it is"
        )
    )


# The column of models.csv that says how each number of the side-by-side table is hedged.
QUALIFIER_OF = {
    "premises": "premises_qualifier",
    "public_money_per_premise": "public_money_per_premise_qualifier",
    "cost_per_premise": "cost_per_premise_qualifier",
    "achieved_by_target_year": "achieved_by_target_year_qualifier",
}


def _side_by_side_rows(_, constant: bool = False) -> tuple[tuple[str, str, str | None], ...]:
    """The rows of the side-by-side table: (column of models.csv, what a reader sees, how a value is shown);
    ``constant``: money per plug also in constant euros."""
    return (
        ("model", _("model"), "model"),
        ("years", _("years"), "years"),
        ("premises", _("premises each cost is divided by (plugs, for fibre)"), "number"),
        ("premises_scope", _("their scope"), "scope"),
        (
            "public_money_per_premise",
            _("public money per plug (€, nominal and constant)")
            if constant
            else _("public money per plug (€, nominal)"),
            "money",
        ),
        ("public_money_scope", _("scope of that public money, and what it is"), "scope"),
        (
            "cost_per_premise",
            _("the network's cost per plug, whoever pays it (€, nominal and constant; the study's central reading)")
            if constant
            else _("the network's cost per plug, whoever pays it (€, nominal)"),
            "money",
        ),
        ("cost_scope", _("what that money is"), "cost_nature"),
        ("own_target", _("target, as the study reads its source"), None),
        ("target_by", _("by"), None),
        ("achieved_by_target_year", _("latest count of its kind in the deadline year"), "share"),
        ("delay_risk", _("who bears the risk of delay (the study's reading)"), None),
        ("demand_risk", _("who loses if few subscribe (the study's reading)"), None),
    )


def side_by_side_keys(
    table: pd.DataFrame, shown: pd.DataFrame, base_year: tuple[int, str] | None = None
) -> pd.DataFrame:
    """The quoted number each cell of the side-by-side table shows (``quoting.model_keys``), in its shape: a money
    cell in constant euros too (``base_year``) shows three, the nominal amount, the constant one and the year."""
    rows = _side_by_side_rows(Translator("en", "analysis"))

    def cell_keys(keys: dict[str, str], column: str, kind: str | None) -> str:
        constant = keys.get(f"{column}_constant", "")
        if kind == "money" and base_year and keys.get(column) and constant:
            return ";".join([keys[column], constant, base_year[1]])
        return keys.get(column, "")

    keys = {row["name"]: model_keys(row) for row in table.to_dict("records")}
    return pd.DataFrame(
        {name: [cell_keys(k, column, kind) for column, _l, kind in rows] for name, k in keys.items()}, shown.index
    )


def side_by_side_words(table: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """The cells of the side-by-side table that hold words (a model, who carries a risk), not numbers (a scope is
    its figure's, linked to it by ``side_by_side_keys``)."""
    rows = _side_by_side_rows(Translator("en", "analysis"))
    words = [kind == "model" or column in ("delay_risk", "demand_risk") for column, _l, kind in rows]
    return pd.DataFrame({row["name"]: words for row in table.to_dict("records")}, shown.index)


def side_by_side_table(
    table: pd.DataFrame,
    labels: Labels,
    natures: dict[str, str] | None = None,
    cost_natures: dict[str, str] | None = None,
    base_year: tuple[int, str] | None = None,
) -> pd.DataFrame:
    """models.csv turned for reading on a page, in the language of ``labels``: one column per network, one row
    per indicator, numbers in the edition's format, codes as labels (a dash where the sources give none); the
    public money's scope says what the amount is (``natures``, in words: "planned", "put in"), and a row under the
    money per plug says what each cost is (``cost_natures``). ``base_year``: (year, its quoted key) — money per plug
    is also said in constant euros of that year, in brackets after the nominal amount (amounts of 2003, 2014-2023
    and a plan of 2019 compare only so)."""
    _ = Translator(labels.lang, "analysis")
    formats = Formats(labels.lang)
    rows = _side_by_side_rows(_, constant=base_year is not None)
    out = {_("indicator"): [label for _key, label, _kind in rows]}
    for row in table.to_dict("records"):
        column = []
        for key, _label, kind in rows:
            value = row[key]
            if value is None or (isinstance(value, float) and value != value) or value == "":
                column.append(MISSING)
            elif kind in ("number", "money"):
                # Said as what it is: "plus de 138 000 prises" is at least that many, and money over it at most.
                qualifier = row.get(QUALIFIER_OF.get(key, ""), "")
                text = hedged(_, formats.number(float(value)), qualifier)
                constant = row.get(f"{key}_constant")
                if kind == "money" and base_year and constant is not None and constant == constant:
                    text = _("{nominal} ({constant} in {year} euros)").format(
                        nominal=text,
                        constant=hedged(_, formats.number(float(constant)), qualifier),
                        year=formats.number(base_year[0], grouping=False),
                    )
                column.append(text)
            elif kind == "share":
                # A count over "more than" N plugs is at most its share of them (51 % of the Tarn's), said with what
                # it counts.
                share = hedged(_, formats.share(float(value)), row.get(QUALIFIER_OF.get(key, ""), ""))
                column.append(share_of_words(_, share, row.get("achieved_share_of", "")))
            elif kind == "cost_nature":
                column.append(_cost_nature_of(cost_natures, row))
            elif key == "public_money_scope":
                column.append(
                    _("{scope}, {nature}").format(scope=labels("scope", str(value)), nature=_nature_of(natures, row))
                )
            elif kind in ("model", "scope"):
                column.append(labels(kind, str(value)))
            elif kind == "years":
                column.append(_years_text(str(value), _))
            else:  # words (a target's already say how its source hedges it: "at least 138,000 plugs")
                column.append(str(value))
        out[row["name"]] = column
    return pd.DataFrame(out)


def share_of_words(_, share: str, share_of: str) -> str:
    """A share with what it counts (models.csv's ``achieved_share_of``, progress.csv's ``share_of``): "50% of
    inhabitants", "at most 51% of the network's plugs due"; a share whose base its source does not state stays bare.
    Two shares of different things on one table row read alike without it (the Gers's 50 % of its inhabitants, the
    Tarn's 51 % of its plugs due)."""
    words = {
        "inhabitants": _("{share} of inhabitants"),
        "dwellings": _("{share} of dwellings"),
        "premises": _("{share} of premises"),
        "plugs": _("{share} of the network's plugs due"),
    }.get(str(share_of or ""))
    return words.format(share=share) if words else share


def hedged(_, number: str, qualifier: str) -> str:
    """A quotient said as what it is: 'at least', 'at most' or 'about' a number (public_money.csv's
    ``per_premise_qualifier``: an exact amount over "more than" N plugs is at most the quotient), else the number."""
    words = {
        "at_least": _("at least {number}"),
        "upper_bound": _("at most {number}"),
        "approx": _("about {number}"),
    }.get(str(qualifier or ""))
    return words.format(number=number) if words else number


def decision_table(
    table: pd.DataFrame,
    networks: list[str],
    contracts: pd.DataFrame,
    labels: Labels,
    contract_words,
    paces: dict[str, float],
    natures: dict[str, str] | None = None,
    pace_key: str = "series.{initiative}.own_network.points_per_year",
    same_years: bool = False,
    same_funder: tuple[tuple[str, ...], dict[str, dict]] | None = None,
    on_series: dict[str, tuple[float, str]] | None = None,
    observed: dict[str, tuple[str, str]] | None = None,
    contract_targets: dict[str, tuple[str, str]] | None = None,
    base_year: tuple[int, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The summary's decision table: for each fibre network (``networks``, rows of ``table``, models.csv in the
    edition's words), how it was built and run (its contracts, ``contract_words`` saying a cell of contracts.csv in
    the edition's words), its public money per plug and whose money that is, whether the amounts can be set side
    by side (``analysis.models.money_comparison``), its own target against what was achieved by then, its pace on
    the State's barometer from its fibre contract (``paces``: the series step's quoted
    ``series.<initiative>.own_network.points_per_year``), and who carries the delay and take-up risks.
    ``natures``: what each network's public money is, in words ("planned", "put in"), said beside whose it is.
    ``pace_key``: the quoted key of each pace (``{initiative}`` filled in); ``same_years``: the paces run over the
    same years for both (from the later of their fibre contracts), as the row's label then says, so two paces of
    different windows are never set side by side unsaid.
    ``same_funder``: (funders' codes, {network: its money per plug from those funders only}) — each network's money
    per plug from a set of funders (local public money, State and Région left out), each said with its qualifier,
    nature, scope and the funders its source counts (a dict of ``per_premise``, ``qualifier``, ``nature``, ``scope``
    and ``whose`` in words and the quoted ``key``), so the closest like-for-like amounts are shown, with what still
    differs, where the networks' public money as a whole cannot be compared.
    ``on_series``: {network: (share, quoted key)} — its own target's due date on the State's series for the whole
    département (``analysis.series.targets_on_the_series``): one count for both, beside each network's own count.
    ``observed``: {network: (words, the numbers they hold)} — what the sources report went wrong or changed, so the
    risks a contract form carries on paper are read beside those its network met (the numbers: links this report
    made, or keys and evidence ids joined by ';', as a table cell names several).
    ``contract_targets``: {network: (words, the numbers they hold)} — what each network's contract bound its builder
    to, and by when, with the latest count against it: a contract set against a contract, where a party's own
    target may be an aspiration (the Gers's is its promoter's words).

    ``base_year``: (the year of the constant euros, its quoted key) — money per plug is then also said in constant
    euros of that year (models.csv's ``public_money_per_premise_constant``, ``same_funder``'s ``constant`` and
    ``constant_key``), in brackets after the nominal amount: amounts of different years compare like for like.

    Returns the table to show (one column per network), the quoted key each numeric cell shows, and which cells
    are words holding digits (a contract's phase)."""
    _ = Translator(labels.lang, "analysis")
    formats = Formats(labels.lang)
    rows = table.set_index("initiative").loc[networks]
    if len(networks) != 2:
        raise StudyError(f"the decision table sets two fibre networks side by side, not {len(networks)}")

    def funders(codes: list[str]) -> str:
        return formats.join([labels("funder", c) for c in codes])

    def in_constant_euros(text: str, key: str, constant: float, constant_key: str, qualifier: str) -> tuple[str, str]:
        """A nominal amount per plug, then (where given) the same in constant euros of the base year, and the keys
        of every number the cell then shows."""
        if base_year is None or constant != constant or not constant_key:
            return text, key
        year, year_key = base_year
        worded = _("{nominal} ({constant} in {year} euros)").format(
            nominal=text,
            constant=hedged(_, formats.number(constant), qualifier),
            year=formats.number(year, grouping=False),
        )
        return worded, ";".join([key, constant_key, year_key])

    indicators = [
        ("contracts", _("how it was built and run (contracts table)")),
        (
            "public_money_per_premise",
            _("public money per plug (€, nominal and constant)")
            if base_year
            else _("public money per plug (€, nominal)"),
        ),
        ("public_money_covers", _("whose money that is, and what it is")),
        ("comparable", _("can the two amounts be compared?")),
        *(
            [
                (
                    "same_funder",
                    (
                        _("public money per plug from {funders} only (€, nominal and constant)")
                        if base_year
                        else _("public money per plug from {funders} only (€, nominal)")
                    ).format(funders=formats.join([labels("funder", code) for code in same_funder[0]])),
                )
            ]
            if same_funder
            else []
        ),
        *(
            [("contract_target", _("the contract's target and term, and the latest count against it"))]
            if contract_targets
            else []
        ),
        ("own_target", _("target, as the study reads its source")),
        ("target_by", _("by")),
        (
            "achieved_by_target_year",
            _("latest own count in the deadline's year, as a share (the study's, where its source gives a count)"),
        ),
        ("achieved_as_of", _("date of the count")),  # a count after the deadline, or of another kind, shows here
        *(
            [("on_series", _("the State's series for the whole département, in the quarter holding the due date"))]
            if on_series
            else []
        ),
        (
            "pace",
            _(
                "points of premises able to connect gained per year in the whole département (State's barometer), "
                "over the same years for both, from the quarter before the later fibre contract"
            )
            if same_years
            else _(
                "points of premises able to connect gained per year (State's barometer), from its fibre contract or, "
                "if later, the barometer's first quarter"
            ),
        ),
        ("delay_risk", _("who bears the risk of delay (the study's reading)")),
        ("demand_risk", _("who loses if few subscribe (the study's reading)")),
        *([("observed", _("what went wrong or changed, as the sources report it"))] if observed else []),
    ]
    shown: dict[str, list[str]] = {_("indicator"): [label for _key, label in indicators]}
    keys: dict[str, list[str]] = {}
    worded: dict[str, list[bool]] = {}
    first, second = (rows.loc[n] for n in networks)
    for initiative in networks:
        row = rows.loc[initiative]
        other = second if initiative == networks[0] else first
        cells, cell_keys, words = [], [], []
        model = model_keys({**row.to_dict(), "initiative": initiative})
        for key, _label in indicators:
            text, cell_key, is_words = MISSING, "", False
            if key == "contracts":
                own = contracts[contracts["initiative"] == initiative]
                phases = [
                    _("{phase}: {model}").format(
                        phase=contract_words(r["phase"], "phase"), model=contract_words(r["model"], "model")
                    )
                    for r in own.to_dict("records")
                ]
                text = phases[0] if phases else MISSING
                for phase in phases[1:]:  # joined as the edition writes a semicolon ("a ; b" in French)
                    text = _("{first}; {second}").format(first=text, second=phase)
                is_words = True
            elif key == "public_money_covers" and row["public_money_covers"]:
                text = _("{funders}, {nature} ({scope}: {note})").format(
                    # An amount whose nature is not given is refused, as in the side-by-side table (never a dash).
                    nature=_nature_of(natures, {"initiative": initiative}),
                    funders=funders(funder_codes(row["public_money_covers"])),
                    scope=labels("scope", row["public_money_scope"]),
                    note=row["public_money_note"],
                )
                cell_key = model.get("public_money_scope", "")  # a scope is its amount's: linked to it
            elif key == "comparable" and row["public_money_covers"] and other["public_money_covers"]:
                same, extra, missing = money_comparison(row["public_money_covers"], other["public_money_covers"])
                if same:
                    text = _("yes: the same funders")
                elif extra:
                    text = _("no: it holds the money of {funders}, which the other's source does not count").format(
                        funders=funders(extra)
                    )
                else:
                    text = _("no: its source does not count the money of {funders}").format(funders=funders(missing))
                is_words = True
            elif key == "same_funder" and initiative in same_funder[1]:
                money = same_funder[1][initiative]
                number = formats.number(float(money["per_premise"]))
                money_words = (
                    # One funder's amount over its stated share: said as the study's derivation, never as a sum a
                    # source gives.
                    _(
                        "{amount} ({nature}, {scope}; funders counted: {whose}; derived from one funder's amount "
                        "and its stated share, an assumption)"
                    )
                    if money.get("derived")
                    else _("{amount} ({nature}, {scope}; funders counted: {whose})")
                )
                amount, cell_key = in_constant_euros(
                    hedged(_, number, money["qualifier"]),
                    money["key"],
                    float(money.get("constant", float("nan"))),
                    money.get("constant_key", ""),
                    money["qualifier"],
                )
                text = money_words.format(
                    amount=amount,
                    nature=money["nature"],
                    scope=money["scope"],
                    whose=money["whose"],
                )
            elif key == "on_series" and initiative in on_series:
                share, cell_key = on_series[initiative]
                text = formats.share(share)
            elif key == "pace":
                cell_key = pace_key.format(initiative=initiative)
                text = formats.number(paces[initiative], 1) if initiative in paces else ""
            elif key == "observed" and initiative in observed:
                text, cell_key = observed[initiative]
                is_words = True
            elif key == "contract_target" and initiative in contract_targets:
                text, cell_key = contract_targets[initiative]
                is_words = True
            elif key in ("delay_risk", "demand_risk"):
                text = str(row[key]) or MISSING
                is_words = True
            elif key == "public_money_per_premise" and row[key] == row[key]:
                qualifier = row.get("public_money_per_premise_qualifier", "")
                text, cell_key = in_constant_euros(
                    hedged(_, formats.number(float(row[key])), qualifier),
                    model.get(key, ""),
                    float(row.get("public_money_per_premise_constant", float("nan"))),
                    model.get("public_money_per_premise_constant", ""),
                    qualifier,
                )
            elif key == "public_money_per_premise" and row["public_money_scope"]:
                # Public money whose scope no count of plugs shares: why there is no figure, not a bare dash.
                text = _("not computable: no count of plugs shares the scope of its public money (next row)")
                is_words = True
            elif key == "own_target" and row[key]:  # its words hedged as its source ("at least 138,000 plugs")
                text, cell_key = str(row[key]), model.get(key, "")
            elif key == "target_by" and row[key] == row[key] and str(row[key]):
                text, cell_key = formats.number(float(row[key]), grouping=False), model.get(key, "")
            elif key == "achieved_by_target_year" and row[key] == row[key]:
                qualifier = row.get(QUALIFIER_OF[key], "")
                share = hedged(_, formats.share(float(row[key])), qualifier)
                text, cell_key = share_of_words(_, share, row.get("achieved_share_of", "")), model.get(key, "")
            elif key == "achieved_as_of" and row[key] == row[key] and str(row[key]):
                text, cell_key = formats.date(str(row[key])), model.get(key, "")
            cells.append(text or MISSING)
            cell_keys.append(cell_key if text and text != MISSING else "")
            words.append(is_words)
        shown[row["name"]] = cells
        keys[row["name"]] = cell_keys
        worded[row["name"]] = words
    frame = pd.DataFrame(shown)
    return frame, pd.DataFrame(keys, index=frame.index), pd.DataFrame(worded, index=frame.index)
