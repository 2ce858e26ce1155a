"""The report's section "Every département as context": ARCEP's panel of 2017–18 in prose, a chart and two
tables, from ``national_panel.csv``, ``panel_placement.csv`` and ``press_claims.csv`` (``analysis.panel`` computes
them), in the edition's language. Its sentences are messages of the ``analysis`` catalog."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide_study.analysis import plots
from divide_study.analysis.panel import (
    QUARTER_END,
    QUARTERS,
    claims_in,
    limit_note,
    ordinal_suffix,
    quarter_label,
    zone_note,
)
from divide_study.data.tables import read_table
from divide_study.i18n import Translator
from divide_study.language.formats import Formats


def declare_in_report(report, figure_key: str, table_keys: list[str], before_table: str = "sources") -> None:
    """Number this section's figure and tables in a report whose keys were declared without them.

    The figure goes last (no figure follows this section); the tables go before ``before_table`` (the
    appendix). Keys already declared keep their place, so declaring them in the report's list wins.
    """
    if figure_key not in report.figure_numbers:
        report.figure_numbers[figure_key] = len(report.figure_numbers) + 1
    keys = list(report.table_numbers)
    missing = [key for key in table_keys if key not in keys]
    if missing:
        at = keys.index(before_table) if before_table in keys else len(keys)
        keys[at:at] = missing
        report.table_numbers = {key: n for n, key in enumerate(keys, start=1)}


def quarter_link(report, quarter: str, what: str, source: str) -> str:
    """ARCEP's quarter ('T1 2018') as the edition writes it ('Q1 2018' / 'T1 2018'), a link to its provenance
    entry, which names the day its counts describe. (``Report.dated`` writes ISO dates the edition's way and
    leaves any other label, such as a quarter's, as it is.)"""
    _ = Translator(report.lang, "analysis")
    day = Formats(report.lang).date(QUARTER_END[quarter])
    words = _("ARCEP's counts at the end of the quarter ({day})").format(day=day)
    return report.dated(quarter_label(quarter, report.lang), what, source, words)


def report_section(report, processed: Path, figures_in: Path) -> str:
    """The report's section "Every département as context", as HTML: prose, the chart and two tables, in the
    report's language (``report.lang``).

    Every number, quarter and date is read from ``national_panel.csv``, ``panel_placement.csv`` and
    ``press_claims.csv`` and recorded in the report's provenance ledger, naming the file and column; the tables'
    cells link to their rows of those files. In another language than English the claims' verdicts are said
    again from their tests (press_claims.csv's test, department and figure_id), and the claims' speakers are
    given in the data catalog's words. Sources name the file, the row and the column in the edition's words.
    """
    import html

    from divide_study.config import SCHEMAS_DIR
    from divide_study.language.datatext import DataText

    lang = report.lang
    # The data's own words (words.csv, handed over with the processed tables) say the speakers in the edition.
    words = pd.read_csv(processed / "words.csv", dtype=str, keep_default_na=False)
    _, speakers = Translator(lang, "analysis"), DataText(lang, words)
    declare_in_report(report, "national_panel", ["panel_placement", "press_claims"])
    tables = {
        name: read_table(processed / f"{name}.csv", SCHEMAS_DIR / f"{name}.schema.json", validate=False)
        for name in ("national_panel", "panel_placement", "press_claims")
    }
    panel, place, claims = tables["national_panel"], tables["panel_placement"], tables["press_claims"]
    basis = _("data/processed/panel_placement.csv (from ARCEP's FTTH deployment by commune)")

    def placed(department: str, column: str) -> str:
        return _("data/processed/panel_placement.csv, row of {department}, column “{column}”").format(
            department=department, column=column
        )

    def panel_column(column: str) -> str:
        return _("data/processed/national_panel.csv, column “{column}”").format(column=column)

    quarters = [q for q in QUARTERS if q in set(panel["quarter"])]
    first = quarter_link(report, quarters[0], _("first quarter of ARCEP's data"), panel_column(_("quarter")))
    last = quarter_link(report, quarters[-1], _("last quarter of ARCEP's data"), panel_column(_("quarter")))
    data_end = report.dated(
        str(panel["quarter_end"].max())[:7],
        _("month ARCEP's data end"),
        panel_column(_("end of quarter")),
        _("the latest end of quarter in the panel"),
    )
    limit, zone = limit_note(lang, data_end), zone_note(lang)
    n_metro = report.computed(
        panel.loc[panel["metropolitan"], "department"].nunique(),
        _("metropolitan départements in ARCEP's data"),
        _("data/processed/national_panel.csv: its distinct metropolitan départements"),
        "{:.0f}",
    )
    sentences = []
    for row in place.itertuples():
        name = row.department_name
        quarter_text = quarter_label(row.quarter, lang)
        what = _("quarter of {department}'s placement").format(department=name)
        quarter = quarter_link(report, row.quarter, what, placed(name, _("quarter")))

        def count(value, what: str, column: str, department: str = name) -> str:
            return report.computed(value, what, placed(department, column), "{:.0f}")

        share = report.computed(
            row.public_share,
            _("share of {department}'s public-zone dwellings able to connect, {quarter}").format(
                department=name, quarter=quarter_text
            ),
            basis,
            "{:.1%}",
        )
        plugs = report.computed(
            row.public_plugs,
            _("plugs in {department}'s public-initiative zone, {quarter}").format(
                department=name, quarter=quarter_text
            ),
            basis,
        )
        rank = report.computed(
            row.rank_public_share,
            _("rank of {department} by public-zone share, {quarter}").format(department=name, quarter=quarter_text),
            basis,
            "{:.0f}",
        )
        median = report.computed(
            row.peer_median_public_share,
            _("median public-zone share of the {count} départements most like {department}").format(
                count=row.peer_count, department=name
            ),
            basis,
            "{:.1%}",
        )
        peer_count = count(
            row.peer_count,
            _("peers of {department}: the metropolitan départements most like it").format(department=name),
            _("number of peers"),
        )
        sentences.append(
            _(
                "In the <strong>{department}</strong>, {plugs} premises of the public-initiative zone could connect "
                "to fibre in {quarter}, {share} of its dwellings: {rank} of {ranked} départements, {rank_in_region} "
                "of {in_region} in its region by plugs, and {rank_among_peers} among itself and the {peer_count} "
                "départements most like it ({peers}; median {median}, and {peers_with_plugs} of the {peer_count} "
                "had any public-zone plug)."
            ).format(
                department=html.escape(name),
                plugs=plugs,
                quarter=quarter,
                share=share,
                rank=rank + ordinal_suffix(row.rank_public_share, lang),
                ranked=count(
                    row.departments_ranked,
                    _("metropolitan départements ranked by public-zone share, {quarter}").format(quarter=quarter_text),
                    _("départements ranked"),
                ),
                rank_in_region=count(
                    row.rank_in_region,
                    _("rank of {department} in its region by public-zone plugs, {quarter}").format(
                        department=name, quarter=quarter_text
                    ),
                    _("rank in region"),
                )
                + ordinal_suffix(row.rank_in_region, lang),
                in_region=count(
                    row.departments_in_region,
                    _("départements ranked in {department}'s region").format(department=name),
                    _("départements in region"),
                ),
                rank_among_peers=count(
                    row.rank_among_peers,
                    _("rank of {department} by public-zone share among itself and its peers").format(department=name),
                    _("rank among peers"),
                )
                + ordinal_suffix(row.rank_among_peers, lang),
                peer_count=peer_count,
                peers=html.escape(row.peers),
                median=median,
                peers_with_plugs=count(
                    row.peers_with_public_plugs,
                    _("peers of {department} with any public-zone plug").format(department=name),
                    _("peers with public-zone plugs"),
                ),
            )
        )
    prose = _(
        "ARCEP's open data give the FTTH deployment of every commune for three quarters, {first} to {last}; the "
        "study sums it by zone for each of the {count} metropolitan départements ({table}, {figure}). A "
        "département's <em>peers</em> are the metropolitan départements nearest to it in two shares of its "
        "dwellings: in rural communes and in the public-initiative zone."
    ).format(
        first=first,
        last=last,
        count=n_metro,
        table=report.table_ref("panel_placement"),
        figure=report.figure_ref("national_panel"),
    )
    # The limit holds a link (the data's end): the report escapes its words and keeps its own links.
    prose = " ".join([prose, *sentences, report.markup(limit), html.escape(zone)])
    headers = {
        "department_name": _("département"),
        "rural_dwelling_share": _("dwellings in rural communes"),
        "public_zone_dwelling_share": _("dwellings in public-initiative zone"),
        "public_plugs": _("public-zone plugs"),
        "public_share": _("public-zone dwellings able to connect"),
        # Counts in headers would not be links: the prose says how many were ranked and how many peers.
        "rank_public_share": _("national rank"),
        "rank_in_region": _("rank in region (plugs)"),
        "peer_median_public_share": _("peers' median"),
        "rank_among_peers": _("rank among itself and its peers"),
    }
    shown_place = place[list(headers)].rename(columns=headers)
    formats_of = {headers[c]: "{:.1%}" for c in ("rural_dwelling_share", "public_zone_dwelling_share", "public_share")}
    formats_of |= {headers["peer_median_public_share"]: "{:.1%}", headers["public_plugs"]: "{:,.0f}"}
    formats_of |= {headers[c]: "{:.0f}" for c in ("rank_public_share", "rank_in_region", "rank_among_peers")}
    if lang == "en":
        said = claims
    else:
        figures = read_table(processed / "figures.csv", SCHEMAS_DIR / "figures.schema.json", validate=False)
        said = claims_in(claims, panel, figures.set_index("figure_id")["value"], lang)
    shown_claims = pd.DataFrame(
        {
            _("article"): said["article"],
            # The speakers in the edition's words (the 'data' catalog); English: press_claims.csv's own.
            _("speaker"): said["speaker"].map(lambda who: speakers(who, "press_claims.csv", "speaker")),
            _("claim (verbatim)"): said["span"],
            _("said"): [Formats(lang).date(str(d)) for d in said["said"]],
            _("verdict"): said["verdict"],
            _("what ARCEP's data show"): said["data_show"],
            _("what they cannot show"): said["data_cannot_show"],
        },
        index=said.index,
    )
    claimed = _("data/processed/press_claims.csv, column “{column}”").format(column=_("date said"))
    years = [
        report.dated(year, _("year a press claim was made"), claimed, _("the year of its article's publication"))
        for year in sorted({str(d)[:4] for d in claims["said"]})
    ]
    when = years[0] if len(years) == 1 else _("{some} and {other}").format(some=", ".join(years[:-1]), other=years[-1])
    interested = int(claims["speaker"].str.contains("interested party").sum())
    total = report.computed(
        len(claims), _("press claims checked"), _("data/processed/press_claims.csv: its rows"), "{:.0f}"
    )
    if interested == len(claims):
        quoted = _("All {count} are quoted from the network's own leaders, interested parties.")
    else:
        quoted = _("{interested} of the {count} are quoted from the network's own leaders, interested parties.")
    interested_link = report.computed(
        interested,
        _("press claims quoted from interested parties"),
        _("data/processed/press_claims.csv: rows whose speaker is an interested party"),
        "{:.0f}",
    )
    claim_text = (
        _(
            "The articles make claims about the Gers network's standing in Occitanie; {table} checks each against "
            "these data, which end in {end}; the claims were made in {years}."
        ).format(table=report.table_ref("press_claims"), end=data_end, years=when)
        + " "
        + quoted.format(count=total, interested=interested_link)
    )
    # Each claim's row links its evidence: the figure a count claim quotes (figures.csv), when it has one.
    claim_figures = claims["figure_id"].fillna("").astype(str) if "figure_id" in claims else None
    parts = [
        f"<p>{prose}</p>",
        report.figure(
            "national_panel",
            figures_in / plots.figure_file("national_panel", lang),
            _(
                "Every metropolitan département: rural share of dwellings against the public-initiative zone's "
                "share able to connect, {quarter}. {limit}"
            ).format(quarter=last, limit=limit),
            _("ARCEP FTTH deployment by commune (data.gouv.fr)"),
        ),
        report.table(
            "panel_placement",
            shown_place,
            _("The studied territories in the national panel, {quarter}.").format(quarter=last),
            basis,
            formats_of,
            data="data/processed/panel_placement.csv",
        ),
        f"<p>{claim_text}</p>",
        report.table(
            "press_claims",
            shown_claims,
            _("Press claims checked against ARCEP's data, {first} to {last}.").format(first=first, last=last),
            _("data/processed/press_claims.csv; the articles of Appendix A"),
            data="data/processed/press_claims.csv",
            evidence=claim_figures,
        ),
    ]
    return "\n".join(parts)


# --- the notebook's step --------------------------------------------------------------------------------
