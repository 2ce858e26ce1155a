"""The report's section "Every département as context": ARCEP's panel of 2017–18 in prose, a chart and two
tables, from ``national_panel.csv``, ``panel_placement.csv`` and ``press_claims.csv`` (``analysis.panel`` computes
them), its numbers quoted by key from ``quoted_panel.csv``, in the edition's language. Its sentences are messages
of the ``analysis`` catalog."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide_study.analysis.chart_files import figure_file
from divide_study.analysis.panel import (
    CLAIMS,
    QUARTERS,
    QUOTED_KEY,
    STEP,
    claims_in,
    limit_note,
    ordinal_suffix,
    quarter_label,
    quarter_slug,
    quoted_key,
    subject_slug,
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


def report_section(report, processed: Path, figures_in: Path) -> str:
    """The report's section "Every département as context", as HTML: prose, the chart and two tables, in the
    report's language (``report.lang``).

    Every number, quarter and date is a number the panel step publishes (``quoted_panel.csv``), quoted by its key:
    its entry walks down to ARCEP's files (the rows summed or counted, a column's heading), the study's parameter
    or the article's figure. The placement table's cells link to those entries; a claim's row links the claim's
    line of ``data/raw/press_claims.csv`` and the numbers its check states. The tables' rows are read from
    ``panel_placement.csv`` and ``press_claims.csv``. In another language than English the claims' verdicts are
    said again from their tests (press_claims.csv's test, department and figure_id), and the claims' speakers are
    given in the data catalog's words.
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
    basis = _("ARCEP's FTTH deployment by commune (data.gouv.fr); the study's computation")

    def quarter(label: str) -> str:
        """ARCEP's quarter ('T1 2018') as the edition writes it ('Q1 2018' / 'T1 2018'), a link to the entry of
        the column it heads in ARCEP's file."""
        name = {QUARTERS[0]: "quarter_first", QUARTERS[-1]: "quarter_last"}[label]
        return report.quote(f"{STEP}.{name}", shown=quarter_label(label, lang))

    # Shares are ranked to a tenth of a percent: a rank's or a median's inputs are written so in the appendix.
    tenths = {"share": "{:.1%}"}

    def number(code: str, name: str, fmt: str | None = None) -> str:
        return report.quote(quoted_key(code, name), fmt, input_formats=tenths)

    first, last = quarter(QUARTERS[0]), quarter(QUARTERS[-1])
    data_end = report.quote(f"{STEP}.data_end")
    limit, zone = limit_note(lang, data_end), zone_note(lang)
    n_metro = report.quote(f"{STEP}.metropolitan_departements", "{:.0f}")
    sentences = []
    for row in place.itertuples():
        code, name, at = row.department, row.department_name, quarter_slug(row.quarter)
        sentences.append(
            _(
                "In the <strong>{department}</strong>, {plugs} premises of the public-initiative zone could "
                "connect to fibre in {quarter}, the equivalent of {share} of that zone's dwellings: {rank} of the "
                "{ranked} départements with such a zone, {rank_in_region} of {in_region} in its region by plugs, and "
                "{rank_among_peers} among itself and the {peer_count} départements most like it ({peers}; median "
                "{median}, and {peers_with_plugs} of the {peer_count} had any public-zone plug)."
            ).format(
                department=html.escape(name),
                plugs=number(code, f"public_plugs.{at}", "{:,.0f}"),
                quarter=quarter(row.quarter),
                share=number(code, f"public_share.{at}", "{:.1%}"),
                # The ordinal inside the link, so that a printed marker follows "36ᵉ", never splits it.
                rank=number(code, "rank_public_share", "{:.0f}" + ordinal_suffix(row.rank_public_share, lang)),
                ranked=report.quote(f"{STEP}.departements_ranked.{at}", "{:.0f}", input_formats=tenths),
                rank_in_region=number(code, "rank_in_region", "{:.0f}" + ordinal_suffix(row.rank_in_region, lang)),
                in_region=number(code, "departements_in_region", "{:.0f}"),
                rank_among_peers=number(
                    code, "rank_among_peers", "{:.0f}" + ordinal_suffix(row.rank_among_peers, lang)
                ),
                peer_count=number(code, "peer_count", "{:.0f}"),
                peers=html.escape(row.peers),
                median=number(code, "peer_median_public_share", "{:.1%}"),
                peers_with_plugs=number(code, "peers_with_public_plugs", "{:.0f}"),
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
    # Each column, its header and its cells' format, and the quoted number each cell is (by its key's name).
    columns = {
        "department_name": (_("département"), None, None),
        "rural_dwelling_share": (_("dwellings in rural communes"), "{:.1%}", "rural_dwelling_share"),
        "public_zone_dwelling_share": (_("dwellings in public-initiative zone"), "{:.1%}", "public_dwelling_share"),
        "public_plugs": (_("public-zone plugs"), "{:,.0f}", "public_plugs.{at}"),
        # Plugs (premises, businesses included) over dwellings: "the equivalent of" a share, not a share of dwellings.
        "public_share": (_("public-zone plugs as a share of its dwellings"), "{:.1%}", "public_share.{at}"),
        # Counts in headers would not be links: the prose says how many were ranked and how many peers.
        # By which measure: the national rank is by plugs over dwellings, the regional one by plugs.
        "rank_public_share": (_("national rank (share)"), "{:.0f}", "rank_public_share"),
        "rank_in_region": (_("rank in region (plugs)"), "{:.0f}", "rank_in_region"),
        "peer_median_public_share": (_("peers' median"), "{:.1%}", "peer_median_public_share"),
        "rank_among_peers": (_("rank among itself and its peers"), "{:.0f}", "rank_among_peers"),
    }
    headers = {column: header for column, (header, _fmt, _key) in columns.items()}
    shown_place = place[list(columns)].rename(columns=headers)
    formats_of = {header: fmt for header, fmt, _key in columns.values() if fmt}
    cells = pd.DataFrame(
        {
            header: [
                number(r.department, key.format(at=quarter_slug(r.quarter)), fmt) if key else ""
                for r in place.itertuples()
            ]
            for header, fmt, key in columns.values()
        },
        index=place.index,
    )
    if lang == "en":
        said = claims
    else:
        figures = read_table(processed / "figures.csv", SCHEMAS_DIR / "figures.schema.json", validate=False)
        said = claims_in(claims, panel, figures.set_index("figure_id")["value"], lang)
    said_on = _("said")
    shown_claims = pd.DataFrame(
        {
            _("article"): said["article"],
            # The speakers in the edition's words (the 'data' catalog); English: press_claims.csv's own.
            _("speaker"): said["speaker"].map(lambda who: speakers(who, "press_claims.csv", "speaker")),
            _("claim (verbatim)"): said["span"],
            said_on: [Formats(lang).date(str(d)) for d in said["said"]],
            _("verdict"): said["verdict"],
            _("what ARCEP's data show"): said["data_show"],
            _("what they cannot show"): said["data_cannot_show"],
        },
        index=said.index,
    )
    # Each claim's date links its article's figure of that date; its row, the claim's line of press_claims.csv.
    claim_cells = pd.DataFrame(
        {said_on: [report.quote(f"{STEP}.claim.{c}.said") for c in claims["claim_id"]]}, index=claims.index
    )
    years = [report.quote(k) for k in sorted(k for k in report.quoted.index if k.startswith(f"{STEP}.claim_year."))]
    when = years[0] if len(years) == 1 else _("{some} and {other}").format(some=", ".join(years[:-1]), other=years[-1])
    counts = report.quoted["value"]
    total, interested_link = report.quote(f"{STEP}.press_claims", "{:.0f}"), ""
    if counts[f"{STEP}.press_claims_interested"] == counts[f"{STEP}.press_claims"]:
        quoted = _("All {count} are the words of interested parties.")
    else:  # only then is the count of interested parties' claims said (and linked)
        quoted = _("{interested} of the {count} are the words of interested parties.")
        interested_link = report.quote(f"{STEP}.press_claims_interested", "{:.0f}")
    claim_text = (
        _(
            "The articles make claims about the Gers network's standing in Occitanie; {table} checks each against "
            "these data, which end in {end}; the claims were made in {years}."
        ).format(table=report.table_ref("press_claims"), end=data_end, years=when)
        + " "
        + quoted.format(count=total, interested=interested_link)
    )
    # Each claim's row links its evidence: the figure a count claim quotes (figures.csv), when it has one, and
    # the numbers of ARCEP's data its check states (quoted_panel.csv, by key).
    claim_evidence = [
        ";".join(i for i in (str(f or ""), str(k or "")) if i and i != "nan")
        for f, k in zip(claims["figure_id"].fillna(""), claims["quoted_keys"].fillna(""), strict=True)
    ]
    group_entries(report, panel, lang)
    parts = [
        f"<p>{prose}</p>",
        report.figure(
            "national_panel",
            figures_in / figure_file("national_panel", lang),
            _(
                "The {ranked} metropolitan départements with a public-initiative zone: rural share of dwellings "
                "against the zone's plugs as a share of its dwellings, {quarter}. {limit}"
            ).format(
                ranked=report.quote(
                    f"{STEP}.departements_ranked.{quarter_slug(QUARTERS[-1])}", "{:.0f}", input_formats=tenths
                ),
                quarter=last,
                limit=limit,
            ),
            _("ARCEP FTTH deployment by commune (data.gouv.fr)"),
        ),
        report.table(
            "panel_placement",
            shown_place,
            _("The studied territories in the national panel, {quarter}.").format(quarter=last),
            basis,
            formats_of,
            data="data/processed/panel_placement.csv",
            cells=cells,
        ),
        f"<p>{claim_text}</p>",
        report.table(
            "press_claims",
            shown_claims,
            _("Claims reported in the press, checked against ARCEP's data, {first} to {last}.").format(
                first=first, last=last
            ),
            _("the articles of Appendix A, checked against ARCEP's data"),
            # The claim's line of the raw file: its article, words and speaker (its verdict: the row's evidence).
            data=CLAIMS,
            evidence=pd.Series(claim_evidence, index=claims.index),
            cells=claim_cells,
        ),
    ]
    return "\n".join(parts)


def group_entries(report, panel: pd.DataFrame, lang: str) -> None:
    """The appendix shows every département's plugs, dwellings and share of the public-initiative zone (the
    numbers the ranks and medians are computed from) in a table of their own, one row per département."""
    from divide_study.report.ledger import EntryGroup

    _ = Translator(lang, "analysis")
    names = panel.drop_duplicates("department").sort_values("department")
    columns = {
        **{
            f"public_plugs.{quarter_slug(q)}": _("public-zone plugs, {quarter}").format(quarter=quarter_label(q, lang))
            for q in QUARTERS
        },
        "dwellings_public": _("dwellings in public-initiative zone"),
        f"public_share.{quarter_slug(QUARTERS[-1])}": _(
            "public-zone plugs as a share of its dwellings, {quarter}"
        ).format(quarter=quarter_label(QUARTERS[-1], lang)),
    }
    report.group_entries(
        EntryGroup(
            table="panel_numbers",
            pattern=QUOTED_KEY,
            columns=columns,
            rows={
                subject_slug(code): f"{name} ({code})"
                for code, name in zip(names["department"], names["department_name"], strict=True)
            },
            row_header=_("département"),
            caption=_("The national panel by département ({quarter}).").format(
                quarter=quarter_label(QUARTERS[-1], lang)
            ),
        )
    )


# --- the notebook's step --------------------------------------------------------------------------------
