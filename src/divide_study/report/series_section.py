"""The report's section "Every département over time": the State's quarterly fibre barometer (2017–2024) and a
2026 end point, from the tables 07_fibre_series publishes, in the edition's language. Every number is a quoted
number of that step (``quoted_series.csv``) or a cell of its tables, each linked to its source."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from divide_study.analysis.chart_files import figure_file
from divide_study.analysis.quoting import slug
from divide_study.analysis.series import QUOTED_KEY, departement_part
from divide_study.data.tables import read_table
from divide_study.errors import StudyError
from divide_study.report.ledger import EntryGroup, Report, readable_number

# The windows pace is measured over (data/raw/series_windows.csv), in the order the table shows them.
WINDOWS = ("gers_ftth_start", "tarn_concession", "from_2019")


def population_year(r: Report, people: dict[str, str], _: Callable[[str], str]) -> str:
    """The reference year of INSEE's populations the sentence quotes (``people``: each population's key and the
    link the sentence already shows for it), as a date of the ledger whose entry links those same links: the year
    each quoted population is of (its row's ``as_of``), one for all of them, or the sentence would date them
    wrongly."""
    keys = list(people)
    years = {str(r.quoted.loc[k, "as_of"]) for k in keys}
    if len(years) != 1:
        raise StudyError(
            f"data/processed/quoted_series.csv: the populations {keys} are of different years {sorted(years)}"
        )
    # The sentence's own links: quoting each population again would record a second occurrence of it.
    populations = ", ".join(r.input_link(link) for link in people.values())
    return r.date(
        years.pop(),
        _("reference year of INSEE's populations"),
        _("the year the quoted populations are of: {populations}").format(populations=populations),
    )


def populations_and_year(r: Report, keys: list[str], _: Callable[[str], str]) -> dict[str, str]:
    """The focus's and the concession's populations (``keys``, in that order) quoted once each, and their
    reference year linking those same quotes: the sentence's ``focus_people``, ``concession_people`` and ``year``."""
    people = {k: r.quote(k) for k in keys}
    focus_people, concession_people = people.values()
    return {
        "focus_people": focus_people,
        "concession_people": concession_people,
        "year": population_year(r, people, _),
    }


def claim_cells(quoted: pd.DataFrame, claims: pd.DataFrame, columns, initiatives: dict[str, str]) -> pd.DataFrame:
    """The quoted number each cell of the claims table shows (the series step's ``claim.<id>`` keys): when it was
    said, what it says, and the series then (a share read from its raw row, or the end point's share)."""
    said_on, claim, _quarter, then = columns[1:5]
    rows = []
    for row in claims.to_dict("records"):
        name = f"series.claim.{slug(row['claim_id'])}"
        value = series_value_key(row, initiatives)
        rows.append(
            {
                said_on: f"{name}.as_of",
                claim: f"{name}.claimed",
                then: _then(quoted, row, value),
            }
        )
    return pd.DataFrame(rows, index=claims.index)


def series_value_key(row: dict, initiatives: dict[str, str]) -> str:
    """The quoted key of the share a checked claim (a row of series_claims.csv) was set against: the series' share
    in its quarter, or, for a claim checked against the end point (a zone said complete; a target due after the
    series ends: no quarter), the end point's share of its initiative's département (``initiatives``: code ->
    initiative)."""
    checked_quarter = row["quarter"] if isinstance(row["quarter"], str) else ""
    if not checked_quarter and row["test"] in ("zone_complete", "target") and row["department"] in initiatives:
        return f"series.{initiatives[row['department']]}.endpoint_2026.ftth_share"
    return f"series.claim.{slug(row['claim_id'])}.series_value"


def _then(quoted: pd.DataFrame, row: dict, key: str) -> str:
    """The quoted number a claim's "series then" cell shows; none when the series has no quarter to check."""
    if key in quoted.index:
        return key
    if isinstance(row["quarter"], str) and row["quarter"] and row["test"] != "zone_complete":
        raise StudyError(f"series_claims.csv, claim {row['claim_id']!r}: the series step quoted no {key!r}")
    return ""


def departement_of(quoted: pd.DataFrame, series: pd.DataFrame, initiative: str) -> tuple[str, str]:
    """The code and name of the département an initiative's series rows are of: the row of fibre_series whose
    raw file and row its first share was read from (its quoted row ``series.<initiative>.share_first``)."""
    first = quoted.loc[f"series.{initiative}.share_first"]
    row = first["source_row"].removeprefix("row=")
    found = series[
        (series["source_file"] == first["source_table"].rsplit("/", 1)[-1]) & (series["source_row"].astype(str) == row)
    ]
    return str(found["department"].iloc[0]), str(found["department_name"].iloc[0])


def report_section(e, processed: Path, figures_in: Path) -> str:
    """The section as HTML: prose, the chart, the pace table and the claims table."""
    from divide_study.config import schema_of

    r, _, L = e.r, e._, e.L
    focus, concession = e.GERS, e.TARN
    quoted = r.quoted.index

    def key(initiative: str, name: str) -> str:
        return f"series.{initiative}.{name}"

    def table(name: str) -> pd.DataFrame:
        return read_table(processed / f"{name}.csv", schema_of(name), validate=False)

    # The series tables the edition read once (sections.open_edition), not read again here.
    series = e.fibre_series
    end_dates = dict(zip(*(e.endpoint_dates[c].astype(str) for c in ("department", "as_of")), strict=True))

    (focus_code, focus_name), (concession_code, concession_name) = (
        departement_of(r.quoted, series, focus),
        departement_of(r.quoted, series, concession),
    )
    names = {focus: focus_name, concession: concession_name}

    def crossed(initiative: str) -> str:
        """When the share first reached half and four fifths, or that it had not by the series' end."""
        half = r.quote(key(initiative, "crossed_50"))
        if key(initiative, "crossed_80") in quoted:
            return _("half of its premises able to connect by {half} and four fifths by {most}").format(
                half=half, most=r.quote(key(initiative, "crossed_80"))
            )
        return _("half of its premises able to connect by {half}, and not yet four fifths when the series ends").format(
            half=half
        )

    # The two départements' shares are said over the focus's quarters ("over the same quarters"): they must be.
    for end in ("share_first.on", "share_last.on"):
        ours, theirs = (str(r.quoted.loc[key(i, end), "date"]) for i in (focus, concession))
        if ours != theirs:
            raise StudyError(
                f"data/processed/quoted_series.csv, row [key={key(concession, end)}]: {theirs}, not the {focus}'s "
                f"{ours}; the sentence sets both départements' shares over the same quarters"
            )
    first = _(
        "The State's results barometer gives, quarter by quarter, the share of every département's premises able "
        "to connect to fibre (FTTH) ({figure}). In the {focus} département it rose from {focus_first} on "
        "{focus_first_on} to {focus_last} on {focus_last_on}; in the {concession} département, from "
        "{concession_first} to {concession_last} over the same quarters. The {focus} "
        "département had {focus_crossed}; the {concession} département had {concession_crossed}."
    ).format(
        figure=r.figure_ref("fibre_series"),
        focus=names[focus],
        concession=names[concession],
        # One decimal: a last share of 79.7 % rounded to "80 %" read against "not yet four fifths".
        focus_first=r.quote(key(focus, "share_first"), "{:.1%}"),
        focus_last=r.quote(key(focus, "share_last"), "{:.1%}"),
        focus_first_on=r.quote(key(focus, "share_first.on")),
        focus_last_on=r.quote(key(focus, "share_last.on")),
        concession_first=r.quote(key(concession, "share_first"), "{:.1%}"),
        concession_last=r.quote(key(concession, "share_last"), "{:.1%}"),
        focus_crossed=crossed(focus),
        concession_crossed=crossed(concession),
    )

    def rate(initiative: str, window: str, what: str = "points_per_year") -> str:
        return r.quote(key(initiative, f"{what}.{window}"), "{:.1f}", unit="points_per_year")

    second = _(
        "On this one public series, from the quarter before the Tarn's concession was signed to the series' end, the "
        "{concession} département gained {concession_rate} points a year, against a median of {concession_peers} for "
        "the départements most like it in the panel of ARCEP's data above, and the {focus} département {focus_rate}, "
        "against {focus_peers} for its own; from {focus_from} on (the {focus} network's fibre contract: "
        "{focus_start}), the {focus} département gained {focus_rate_own} points a year and the {concession} "
        "département {concession_rate_own} ({table}). The share is of the whole département, whoever built the "
        "plugs: private operators built the agglomerations of Auch, of Albi and of Castres-Mazamet, so a "
        "département's pace is not its public network's alone. The count of premises changed basis partway through "
        "the series (INSEE's dwellings and business sites first, operators' addresses after), which can move a share "
        "on its own."
    ).format(
        concession=names[concession],
        focus=names[focus],
        concession_rate=rate(concession, "tarn_concession"),
        focus_rate=rate(focus, "tarn_concession"),
        concession_peers=rate(concession, "tarn_concession", "peers_points_per_year"),
        focus_peers=rate(focus, "tarn_concession", "peers_points_per_year"),
        focus_rate_own=rate(focus, "gers_ftth_start"),
        concession_rate_own=rate(concession, "gers_ftth_start"),
        focus_from=r.quote(f"series.{focus}.own_network.measured_from"),
        focus_start=r.quote(f"series.{focus}.own_network.start"),
        table=r.table_ref("fibre_pace"),
    )
    third = _(
        "At the end point of ARCEP's data ({on}; re-published by a third party, a derivative, from another source "
        "than the series), {focus_share} of the {focus_premises} premises of the {focus} département and "
        "{concession_share} of the {concession_premises} of the {concession} département could connect to FTTH. The "
        "{focus} network said in January of that year that its zone was complete: a share of the whole département "
        "can neither confirm nor refute that. INSEE counts {focus_people} inhabitants in the {focus} département and "
        "{concession_people} in the {concession} département (municipal populations of reference year {year}, from a "
        "third party's copy of INSEE's table)."
    ).format(
        on=r.quote(key(focus, "endpoint_2026.on")),
        focus=names[focus],
        concession=names[concession],
        focus_share=r.quote(key(focus, "endpoint_2026.ftth_share"), "{:.1%}"),
        focus_premises=r.quote(key(focus, "endpoint_2026.premises")),
        concession_share=r.quote(key(concession, "endpoint_2026.ftth_share"), "{:.1%}"),
        concession_premises=r.quote(key(concession, "endpoint_2026.premises")),
        **populations_and_year(
            r, [key(focus, "population_2023.municipal"), key(concession, "population_2023.municipal")], _
        ),
    )

    # No public money per inhabitant here: the two networks' amounts are of different funders, natures and scopes
    # (a plan of the Département's money against a budget of every funder's), so set side by side they would read as
    # a comparison the sources do not allow; Table 7 gives each with its own scope.
    pace = table("fibre_pace")
    columns, keys = {}, {}
    for initiative, code, name in ((focus, focus_code, focus_name), (concession, concession_code, concession_name)):
        columns[name] = code
        keys[name] = [key(initiative, f"points_per_year.{w}") for w in WINDOWS]
        peers = _("peers of {name} (median)").format(name=name)
        columns[peers] = f"peers_median_{code}"
        keys[peers] = [key(initiative, f"peers_points_per_year.{w}") for w in WINDOWS]
    metro = _("metropolitan départements (median)")
    columns[metro] = "metropolitan_median"
    keys[metro] = [f"series.metropolitan.points_per_year_median.{w}" for w in WINDOWS]
    shown = pd.DataFrame(
        {
            _("measured over"): [L("window", w) for w in WINDOWS],
            **{
                header: [
                    float(pace[(pace["window"] == w) & (pace["subject"] == subject)]["points_per_year"].iloc[0])
                    for w in WINDOWS
                ]
                for header, subject in columns.items()
            },
        }
    )
    claims = e.checked_claims
    # The study's reading of each claim and what the series cannot show, in the edition's words (words.csv).
    claim_words = e.in_words(claims, "series_claims.csv")
    kinds = [L("claim_test", t) for t in claims["test"]]  # each claim's kind, in the table and in the list below it
    departements = dict(zip(series["department"], series["department_name"], strict=False))

    def quarter(text: str) -> str:
        """'2020-Q3' as the edition writes a quarter: 'Q3 2020', 'T3 2020'."""
        if not isinstance(text, str) or "-Q" not in text:
            return ""
        year, number = text.split("-Q")
        return _("Q{quarter} {year}").format(quarter=number, year=year)

    # The appendix shows each département's shares and pace (the medians' inputs) in a table of their own.
    # Headed by the quarters a window spans: its label is Table 16's.
    by_window = {}
    for w in WINDOWS:
        span = pace[pace["window"] == w].iloc[0]
        by_window[f"points_per_year.{w}.share_start"] = _("share, {quarter}").format(
            quarter=quarter(span["from_quarter"])
        )
        by_window[f"points_per_year.{w}"] = _("points per year from {quarter}").format(
            quarter=quarter(span["from_quarter"])
        )
    for w in WINDOWS:  # one end for every window: its number is shown once, in the first window's column
        span = pace[pace["window"] == w].iloc[0]
        by_window[f"points_per_year.{w}.share_end"] = _("share, {quarter}").format(quarter=quarter(span["to_quarter"]))
    r.group_entries(
        EntryGroup(
            table="series_numbers",
            pattern=QUOTED_KEY,
            columns=by_window,
            rows={departement_part(c).removeprefix("departement_"): f"{n} ({c})" for c, n in departements.items()},
            row_header=_("département"),
            # The studied départements' own numbers are entries of the text and of Table 18, not rows here: said.
            caption=_(
                "The series by département: the other metropolitan départements, whose numbers the medians of "
                "{table} are taken from (the studied départements' own are in {table})."
            ).format(table=r.table_label("fibre_pace")),
        )
    )

    said = pd.DataFrame(
        {
            _("département"): claims["department"].map(departements),
            # A target's date is when it was due, not when it was said (its row's reading says which).
            _("said on (for a target: due by)"): claims["as_of"],
            _("claim"): [
                r.format_number(v, "{:.0%}" if t in ("share", "target", "zone_complete") else "{:,.0f}")
                for v, t in zip(claims["claimed"], claims["test"], strict=True)
            ],
            # A claim checked against the end point (no quarter) shows the end point's date.
            _("quarter of the series, or date of the end point"): [
                quarter(q) or (e.F.date(end_dates[d]) if v == v else "")
                for q, d, v in zip(claims["quarter"], claims["department"], claims["series_value"], strict=True)
            ],
            # A count is a share times premises counted on another date: an order of magnitude, to three digits.
            _("the series then"): [
                ("–" if v != v else r.format_number(v, "{:.0%}") if t != "count" else readable_number(v, e.F, 3))
                for v, t in zip(claims["series_value"], claims["test"], strict=True)
            ],
            _("verdict"): [L("verdict", v) for v in claims["verdict"]],
            _("kind of claim"): kinds,
            _("how the study reads it"): claim_words["reading"],
        }
    )
    # What the series cannot show depends on the kind of claim: said once per kind, under the table, rather than
    # repeated on every row.
    limits = (
        claim_words.assign(kind=kinds)
        .drop_duplicates(["kind", "data_cannot_show"])
        .groupby("kind", sort=False)["data_cannot_show"]
        .agg(" ".join)
    )
    cannot_show = (
        "<p>"
        + html.escape(_("What the series cannot show, by kind of claim:"), quote=False)
        + "</p><ul>"
        + "".join(
            "<li>"
            + _("{kind}: {limits}").format(
                # After a colon, the sentence goes on in lower case (both editions' typography).
                kind=f"<strong>{html.escape(kind, quote=False)}</strong>",
                limits=html.escape(text[:1].lower() + text[1:], quote=False),
            )
            + "</li>"
            for kind, text in limits.items()
        )
        + "</ul>"
    )
    return (
        f"<p>{first}</p><p>{second}</p><p>{third}</p>"
        + r.figure(
            "fibre_series",
            figures_in / figure_file("fibre_series", r.lang),
            _("Share of each département's premises able to connect to FTTH, by quarter; the studied ones named."),
            _("the State's results barometer (etalab, DITP); ARCEP's end point, re-published by a third party"),
        )
        + r.table(
            "fibre_pace",
            shown,
            _("Percentage points of premises gained per year, on the same public series for every département."),
            _("the State's results barometer; the study's computation"),
            {c: "{:.1f}" for c in shown.columns[1:]},
            cells=pd.DataFrame(keys, index=shown.index),
            words=(shown.columns[0],),  # the window, in words
        )
        + r.table(
            "series_claims",
            said,
            _(
                "Claims of the press and of the parties set against the quarter they were made in. An article that "
                "prints no year is dated by the study's inference ({table}). A count of the series is its share times "
                "the premises counted on another date of the same basis (ARCEP's count of dwellings and business sites "
                "before the count changed basis, its end point's after; each count's entry names which): an order of "
                "magnitude, given to three digits."
            ).format(table=r.table_label("sources")),
            _("the articles and the cited reference rows; the State's results barometer"),
            evidence=claims["evidence_id"],
            cells=claim_cells(
                r.quoted, claims, said.columns, initiatives={focus_code: focus, concession_code: concession}
            ),
            # The quarter checked (its share's entry names its row) and the study's words: a reading's digits
            # ("47.5–52.5%") are the claim's, linked through the row's numbers.
            words=(said.columns[3], said.columns[6], said.columns[7]),
        )
        + cannot_show
    )
