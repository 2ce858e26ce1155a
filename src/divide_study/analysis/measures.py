"""What each initiative's cost, premises, population and speed *are*: data, each option with its scope.

``measures.csv`` gives, per initiative and quantity, one or more options; each points at an article figure,
a cited reference row, or an assumption said to be one, and declares its **scope** (what it covers: the
whole network, phase 1, phase 2, the 2003 DSL + WiFi network, ...). A cost is only ever divided by premises
of the same scope (``check_compatible``); populations (scope ``territory``) and speeds (``any``) pair with
every scope. Costs also name the **spending** period they are deflated along (``spending_profiles.csv``).

``publish_inputs`` is called by the cleaning step: it validates these tables and writes them, with the
reference tables, into ``data/processed`` so the analyses read nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.analysis.evidence import reference_qualifier
from divide_study.data.lookup import grouped_records, records, reference_id
from divide_study.data.tables import read_table, rows, write_csv_atomic, write_text_atomic
from divide_study.errors import DataError, Problems, StudyError

QUANTITIES = ("cost", "premises", "population", "speed")
# Scopes that pair with any other: a territory's population, a speed offered.
UNIVERSAL_SCOPES = frozenset({"territory", "any"})
# Parameter keys that pick a spending profile rather than a measure option.
PROFILE_KEY = "spending_profile"

# Every metric of the comparison, in the order of its rows.
METRICS = (
    "cost",
    "premises",
    "cost_per_premise",
    "population",
    "cost_per_inhabitant",
    "speed",
    "cost_per_premise_per_mbit",
)


@dataclass(frozen=True)
class Measure:
    initiative: str
    quantity: str
    option: str
    value: float
    unit: str
    year: int | None  # the year the value refers to (the latest of its rows)
    inputs: str  # where it comes from: figure ids, reference rows, or "assumption"
    note: str
    scope: str
    spending: str  # spending period (costs only), else ""
    input_ids: tuple[str, ...] = ()  # evidence ids: figure ids, "topic|figure|as_of", or "assumption:<option>"
    qualifier: str = "exact"  # how its sources hedge it: exact, at_least, upper_bound, approx ("plus de 138 000")


class ScopeError(StudyError):
    """A cost and a premise count (or population, speed) that do not cover the same thing."""


def combined_qualifier(qualifiers: list[str]) -> str:
    """How a sum (or any combination that keeps each part's direction) is hedged, from its parts' qualifiers:
    'exact' when none is hedged ('target' and an assumption's '' are not hedges), the one hedge when all
    hedged parts agree, else 'approx' (an "at least" and an "at most" part bound nothing)."""
    hedges = {q for q in qualifiers if q not in ("exact", "target", "")}
    if not hedges:
        return "exact"
    return hedges.pop() if len(hedges) == 1 else "approx"


def check_compatible(*measures: Measure) -> None:
    """Refuse to combine measures of different scopes (universal scopes pair with everything)."""
    scoped = {m.scope for m in measures if m.scope not in UNIVERSAL_SCOPES}
    if len(scoped) > 1:
        described = ", ".join(f"{m.initiative}.{m.quantity}={m.option} (scope {m.scope})" for m in measures)
        raise ScopeError(f"incompatible scopes, refusing to divide one by the other: {described}")


def compatible(*measures: Measure) -> bool:
    try:
        check_compatible(*measures)
    except ScopeError:
        return False
    return True


def load_measures(
    path: Path, figures: pd.DataFrame, external: pd.DataFrame, failed: set[str] = frozenset(), validate: bool = True
) -> pd.DataFrame:
    """The measures table, each row pointing at exactly one existing source and declaring its scope (``failed``:
    figure ids whose own rows failed, not said unknown again)."""
    measures = read_table(path, validate=validate)
    for column in ("scope", "spending", "reference_as_of"):
        if column not in measures:
            raise DataError(path, f"missing column {column!r}", column=column)
    measures["reference_as_of"] = measures["reference_as_of"].fillna("").astype(str)
    measures["spending"] = measures["spending"].fillna("").astype(str)
    known = set(figures["figure_id"]) | set(failed)
    for row, record in rows(measures):
        key = f"{record['initiative']}/{record['quantity']}/{record['option']}"
        given = [
            bool(record["figure_id"]),
            bool(record["reference_topic"] or record["reference_figure"]),
            not pd.isna(record["assumed_value"]),
        ]
        if sum(given) != 1:
            raise DataError(
                path,
                "give exactly one of figure_id, reference_topic + reference_figure, assumed_value",
                row=row,
                column="figure_id",
                key=key,
            )
        if record["figure_id"] and record["figure_id"] not in known:
            raise DataError(path, f"unknown figure {record['figure_id']!r}", row=row, column="figure_id", key=key)
        if given[1]:
            match = external[
                (external["topic"] == record["reference_topic"]) & (external["figure"] == record["reference_figure"])
            ]
            if record["reference_as_of"]:
                match = match[match["as_of"].astype(str) == record["reference_as_of"]]
            if match.empty:
                raise DataError(
                    path,
                    f"no external_figures.csv row for {record['reference_topic']!r} / {record['reference_figure']!r}"
                    + (f" as of {record['reference_as_of']!r}" if record["reference_as_of"] else ""),
                    row=row,
                    column="reference_figure",
                    key=key,
                )
        if given[2] and not record["assumed_unit"]:
            raise DataError(path, "an assumed value needs its unit", row=row, column="assumed_unit", key=key)
        if record["quantity"] == "cost" and not record["spending"]:
            raise DataError(path, "a cost needs its spending period", row=row, column="spending", key=key)
        if record["quantity"] != "cost" and record["spending"]:
            raise DataError(path, "only costs have a spending period", row=row, column="spending", key=key)
    for (initiative, quantity, option), group in measures.groupby(["initiative", "quantity", "option"]):
        for column in ("scope", "spending", "default"):
            if group[column].nunique() > 1:
                raise DataError(path, f"rows of {initiative}/{quantity}/{option} disagree on {column}", column=column)
    # A speed measures what the initiative's cost bought: one of another network (a scope no cost option has, such as
    # an older network of the same place) would pair two networks in one ratio, so it is refused here.
    cost_scopes = measures[measures["quantity"] == "cost"].groupby("initiative")["scope"].agg(set).to_dict()
    for row, record in rows(measures):
        if record["quantity"] != "speed" or record["scope"] == "any":
            continue
        own = cost_scopes.get(record["initiative"], set())
        if record["scope"] not in own:
            raise DataError(
                path,
                f"a speed of scope {record['scope']!r} measures another network than the costs of "
                f"{record['initiative']} ({', '.join(sorted(own))}): a ratio would pair two networks",
                row=row,
                column="scope",
                key=f"{record['initiative']}/speed/{record['option']}",
            )
    for (initiative, quantity), group in measures.groupby(["initiative", "quantity"]):
        defaults = set(group.loc[group["default"].astype(bool), "option"])
        if len(defaults) != 1:
            raise DataError(path, f"{initiative}/{quantity} needs exactly one default option, has {sorted(defaults)}")
    return measures


def load_spending_profiles(path: Path, measures: pd.DataFrame, validate: bool = True) -> pd.DataFrame:
    """Spending profiles, each period with exactly one default profile and positive weights."""
    profiles = read_table(path, validate=validate)
    for row, record in rows(profiles):
        if not record["weight"] > 0:
            raise DataError(path, f"weight must be positive, got {record['weight']!r}", row=row, column="weight")
    for spending, group in profiles.groupby("spending"):
        defaults = set(group.loc[group["default"].astype(bool), "profile"])
        if len(defaults) != 1:
            raise DataError(path, f"spending {spending!r} needs exactly one default profile, has {sorted(defaults)}")
        for profile, years in group.groupby("profile"):
            if years["default"].nunique() > 1:
                raise DataError(path, f"rows of {spending}/{profile} disagree on default", column="default")
    named = set(measures.loc[measures["spending"] != "", "spending"])
    missing = sorted(named - set(profiles["spending"]))
    if missing:
        raise DataError(path, f"spending period(s) {missing} named in measures.csv have no profile here")
    return profiles


def year_of(as_of: str) -> int:
    return int(str(as_of)[:4])


def default_option(measures: pd.DataFrame, initiative: str, quantity: str) -> str:
    candidates = grouped_records(measures, ("initiative", "quantity")).get((initiative, quantity), [])
    if not candidates:
        raise StudyError(f"no {quantity} measure for initiative {initiative!r} in measures.csv")
    return str(next(c["option"] for c in candidates if bool(c["default"])))


def resolve(
    measures: pd.DataFrame,
    figures: pd.DataFrame,
    external: pd.DataFrame,
    initiative: str,
    quantity: str,
    option: str | None = None,
    near_year: int | None = None,
) -> Measure:
    """One quantity of one initiative under one option (the default when None), its rows added up.

    Rows of one option share their scope (checked on load), so adding them up never mixes scopes.
    """
    candidates = grouped_records(measures, ("initiative", "quantity")).get((initiative, quantity), [])
    option = option or default_option(measures, initiative, quantity)
    chosen = [c for c in candidates if c["option"] == option]
    if not chosen:
        raise StudyError(
            f"unknown {quantity} option {option!r} for {initiative!r}; "
            f"choose one of {sorted({c['option'] for c in candidates})}"
        )
    values, units, years, inputs, ids, hedges = [], [], [], [], [], []
    by_id = records(figures, "figure_id")
    for record in chosen:
        if record["figure_id"]:
            figure = by_id[record["figure_id"]]
            values.append(float(figure["value"]))
            units.append(figure["unit"])
            years.append(year_of(figure["as_of"]) if str(figure["as_of"])[:4].isdigit() else None)
            inputs.append(f"article {figure['article']} ({record['figure_id']})")
            ids.append(record["figure_id"])
            hedges.append(str(figure["qualifier"]))
        elif not pd.isna(record["assumed_value"]):
            values.append(float(record["assumed_value"]))
            units.append(record["assumed_unit"])
            inputs.append("assumption")
            ids.append(f"assumption:{initiative}.{quantity}={option}")
            hedges.append("")  # an assumption is said as one, not as a bound
        else:
            row = _reference_row(external, record, near_year)
            values.append(float(row["value"]))
            units.append(row["unit"])
            years.append(year_of(row["as_of"]))
            inputs.append(f"{row['figure']}, {row['as_of']} ({row['source']})")
            ids.append(reference_id(row))
            # The same reading of the row's words as evidence.csv's qualifier ("plus de 138 000 prises").
            hedges.append(reference_qualifier(str(row["quote"]), str(row["note"] or "")))
    unit = units[0] if len(set(units)) == 1 else "premises"
    notes = "; ".join(dict.fromkeys(c["note"] for c in chosen))
    known_years = [y for y in years if y is not None]
    first = chosen[0]
    return Measure(
        initiative,
        quantity,
        option,
        sum(values),
        unit,
        max(known_years) if known_years else None,
        "; ".join(inputs),
        notes,
        str(first["scope"]),
        str(first["spending"]),
        tuple(ids),
        combined_qualifier(hedges),
    )


def _reference_row(external: pd.DataFrame, record: dict, near_year: int | None) -> dict:
    found = grouped_records(external, ("topic", "figure")).get(
        (record["reference_topic"], record["reference_figure"]), []
    )
    if record.get("reference_as_of"):
        found = [r for r in found if str(r["as_of"]) == record["reference_as_of"]]
    if near_year is not None:
        # Nearest year to the cost's; on a tie the later figure, being the better-established one.
        return min(found, key=lambda r: (abs(year_of(r["as_of"]) - near_year), -year_of(r["as_of"])))
    # The latest; among rows of one year, the first listed.
    return min(found, key=lambda r: -year_of(r["as_of"]))


def options_of(measures: pd.DataFrame, initiative: str, quantity: str) -> list[str]:
    group = grouped_records(measures, ("initiative", "quantity")).get((initiative, quantity), [])
    return list(dict.fromkeys(c["option"] for c in group))


# --- the cleaning step's hand-over to the analyses ----------------------------------------------------------

# Raw tables the analyses need, validated and copied into processed/ under the same name.
REFERENCE_COPIES = ("cpi_france.csv", "external_figures.csv", "contracts.csv", "reference_tables.csv")


def publish_inputs(raw_dir: Path, out_dir: Path, figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Validate measures, spending profiles and the reference tables; write them into ``out_dir``.

    Also writes ``evidence.csv``: every article figure and reference row with the class of its source.
    Nothing is written unless every table is valid; every problem found is said at once.
    """
    problems = Problems()
    tables = check_inputs(raw_dir, figures, problems)
    problems.raise_any()
    write_inputs(tables, raw_dir, out_dir)
    return tables


def check_inputs(raw_dir: Path, figures: pd.DataFrame, problems: Problems) -> dict[str, pd.DataFrame]:
    """The tables the cleaning step hands to the analyses, read and checked; each problem is kept in
    ``problems`` and the checks that do not depend on the failing table go on (a check whose table failed is
    skipped: its problem is said). Figures named by rows of ``problems.failed`` are not said unknown again."""
    from divide_study.analysis import evidence
    from divide_study.data.clean import check_measure_units, check_model_risks, check_progress_units
    from divide_study.data.reference import load_reference
    from divide_study.i18n import check_translated_words
    from divide_study.language.datatext import check_words
    from divide_study.language.labels import check_labels

    failed = {id_.split(":", 1)[1] for id_ in problems.failed if id_.startswith("figure:")}
    reference = load_reference(raw_dir / "reference")
    initiatives = read_table(raw_dir / "initiatives.csv")
    tables: dict[str, pd.DataFrame] = {}

    def checked(name: str, load):
        """``load()``'s table, kept as ``tables[name]``; None (and its problem kept) if it failed."""
        with problems.check():
            tables[name] = load()
        return tables.get(name)

    measures = checked("measures", lambda: load_measures(raw_dir / "measures.csv", figures, reference.external, failed))
    profiles = None
    if measures is not None:
        for check in (check_known_initiatives, check_networks_complete):
            with problems.check():
                check(measures, *((initiatives,) if check is check_known_initiatives else ()), raw_dir / "measures.csv")
        with problems.check():
            check_measure_units(measures, figures, reference.external, raw_dir / "measures.csv", failed)
        profiles = checked(
            "spending_profiles", lambda: load_spending_profiles(raw_dir / "spending_profiles.csv", measures)
        )
        if profiles is not None:
            with problems.check():
                check_spending_years(profiles, reference.cpi, raw_dir / "spending_profiles.csv")
    contracts = read_table(raw_dir / "reference" / "contracts.csv")
    # Who publishes each cited reference, and its class: the evidence's reference rows are classed by it here, and
    # the report grades a finding resting on the State's series by the same table (matched on the file's path).
    classes = checked("reference_source_classes", lambda: read_table(raw_dir / "reference_source_classes.csv"))
    articles = checked(
        "article_classes",
        lambda: load_article_classes(raw_dir / "article_classes.csv", read_table(raw_dir / "sources.csv")),
    )
    grades = (
        None
        if articles is None or classes is None
        else checked(
            "evidence",
            lambda: evidence.evidence_table(
                figures,
                articles,
                read_table(raw_dir / "claims.csv"),
                reference.external,
                classes,
                raw_dir / "claims.csv",
                raw_dir / "reference_source_classes.csv",
            ),
        )
    )
    if grades is not None:
        # What each amount in euros is (a plan, money put in, a need...), checked beside every other problem.
        with problems.check():
            tables["evidence"] = grades = evidence.with_amount_natures(
                grades, read_table(raw_dir / "amount_natures.csv"), raw_dir / "amount_natures.csv", failed
            )
    funding = None
    if grades is not None:
        # Ids of figures that failed count as known here: their own problem is said.
        # Their units and values let a share be checked (funding.csv's share_id).
        known = pd.concat(
            [grades[["evidence_id", "unit", "value"]], pd.DataFrame({"evidence_id": sorted(failed)})], ignore_index=True
        )
        funding = checked("funding", lambda: load_funding(raw_dir / "funding.csv", known))
        if funding is not None:
            with problems.check():
                check_known_initiatives(funding, initiatives, raw_dir / "funding.csv")
            if profiles is not None:
                with problems.check():
                    check_funding_spending(funding, profiles, raw_dir / "funding.csv")
        tables["article_classes"] = articles[["article", "source_class", "class_basis"]]
        checked(
            "progress",
            lambda: load_evidence_rows(
                raw_dir / "progress.csv", known, ("evidence_id", "by_evidence_id"), initiatives, ("initiative",)
            ),
        )
        checked("milestones", lambda: load_evidence_rows(raw_dir / "milestones.csv", known, ("evidence_id",)))
        if measures is not None:
            checked(
                "headlines",
                lambda: load_evidence_rows(
                    raw_dir / "headlines.csv", known, (), initiatives, ("numerator", "denominator"), measures
                ),
            )
        checked("model_risks", lambda: load_evidence_rows(raw_dir / "model_risks.csv", known, ("evidence_ids",)))
        # The row that plays each role the report needs ("the national goal of fibre everywhere"): by id.
        checked("roles", lambda: load_evidence_rows(raw_dir / "roles.csv", known, ("evidence_id",)))
    labels = checked("labels", lambda: read_table(raw_dir / "labels.csv"))
    words = checked("words", lambda: read_table(raw_dir / "words.csv"))
    ready = (measures, profiles, funding, grades, labels)
    if all(table is not None for table in ready):
        codes = required_codes(measures, profiles, initiatives, funding, grades, figures)
        with problems.check():
            check_labels(labels, codes, raw_dir / "labels.csv")
    if words is not None:
        with problems.check():
            check_translated_words(words, raw_dir / "words.csv")
        with problems.check():
            check_words(words, raw_dir / "words.csv")
    if "model_risks" in tables:
        with problems.check():
            check_model_risks(tables["model_risks"], initiatives, raw_dir / "model_risks.csv")
    if "progress" in tables and grades is not None:
        with problems.check():
            check_progress_units(tables["progress"], grades, raw_dir / "progress.csv")
    order = ("measures", "spending_profiles", "evidence", "funding", "article_classes", "progress", "milestones")
    order += ("headlines", "model_risks", "roles", "labels", "words", "reference_source_classes")
    tables = {name: tables[name] for name in order if name in tables}
    return {**tables, "contracts": contracts, "cpi_france": reference.cpi, "external_figures": reference.external}


def write_inputs(tables: dict[str, pd.DataFrame], raw_dir: Path, out_dir: Path) -> None:
    """Write the checked tables (``check_inputs``) into ``out_dir``, and the cited reference tables beside them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if name not in ("contracts", "cpi_france", "external_figures"):
            write_csv_atomic(frame, out_dir / f"{name}.csv")
    for name in REFERENCE_COPIES:
        # Copied byte for byte: they are cited tables, never rewritten.
        write_text_atomic((raw_dir / "reference" / name).read_text(encoding="utf-8"), out_dir / name)


def required_codes(
    measures: pd.DataFrame,
    profiles: pd.DataFrame,
    initiatives: pd.DataFrame,
    funding: pd.DataFrame,
    evidence: pd.DataFrame,
    figures: pd.DataFrame | None = None,
) -> list[tuple[str, str, str]]:
    """(kind, key, where it is used) of every code the report can show (``figures``: the article figures,
    whose metrics name them in the provenance appendix)."""
    codes = [("metric", m, "the comparison's metrics") for m in METRICS]
    codes += [("quantity", q, "measures.csv quantities") for q in QUANTITIES]
    if figures is not None:
        codes += [("metric", m, "figures.csv metrics") for m in figures["metric"]]
    codes += [("scope", s, "measures.csv scopes") for s in measures["scope"]]
    codes += [("scope", s, "funding.csv scopes") for s in funding["scope"]]
    codes += [("model", m, "initiatives.csv models") for m in initiatives["model"]]
    codes += [("source_class", c, "evidence classes") for c in evidence["source_class"].dropna()]
    codes += [("qualifier", q, "figure qualifiers") for q in evidence["qualifier"].dropna() if q]
    natures = evidence.get("amount_nature", [])  # absent if its own check failed
    codes += [("amount_nature", n, "amount natures") for n in pd.Series(natures).dropna() if n]
    options = zip(measures["initiative"], measures["option"], strict=True)
    codes += [("option", f"{i}.{o}", "measures.csv options") for i, o in options]
    codes += [("option", f"*.{p}", "spending_profiles.csv profiles") for p in profiles["profile"]]
    return list(dict.fromkeys(codes))


def check_known_initiatives(
    frame: pd.DataFrame, initiatives: pd.DataFrame, path: Path, column: str = "initiative"
) -> None:
    """Every initiative a table names (in ``column``) is a row of initiatives.csv: a mistyped id would
    otherwise leave the initiative out of the comparison without a word."""
    from divide_study.data.text import unknown_hint

    known = list(initiatives["initiative"])
    for row, record in rows(frame):
        if record[column] not in known:
            raise DataError(
                path,
                f"unknown initiative {record[column]!r}; known: {sorted(known)} (add it to "
                "data/raw/initiatives.csv)" + unknown_hint(record[column], known, "initiative"),
                row=row,
                column=column,
            )


# What a network needs to be compared at all; population and speed are optional (no per-inhabitant or
# per-Mbit/s figure is computed without them, never an estimate of ours).
NETWORK_QUANTITIES = ("cost", "premises")


def networks(measures: pd.DataFrame) -> set[str]:
    """The initiatives with every quantity of ``NETWORK_QUANTITIES`` in measures.csv: the networks compared."""
    measured = measures.groupby("initiative")["quantity"].agg(set)
    return {i for i, quantities in measured.items() if set(NETWORK_QUANTITIES) <= quantities}


def check_networks_complete(measures: pd.DataFrame, path: Path) -> None:
    """An initiative with measures is a network: the comparison needs its cost and premises, so a missing
    one is said here rather than halfway through the analyses."""
    for initiative, group in measures.groupby("initiative", sort=False):
        missing = [quantity for quantity in NETWORK_QUANTITIES if quantity not in set(group["quantity"])]
        if missing:
            raise DataError(
                path,
                f"{initiative} has no {' and no '.join(missing)} measure: a network needs one row or more for each "
                f"of {', '.join(NETWORK_QUANTITIES)}, and may have population and speed (an initiative that is "
                "not a network has no rows here)",
                row=int(group.index[-1]) + 1,
                column="quantity",
                key=f"initiative={initiative}",
            )


def check_spending_years(profiles: pd.DataFrame, cpi: pd.DataFrame, path: Path) -> None:
    """Every year money was spent can be deflated: none before the CPI table's first year (years after its
    last are taken at its last, and said so in the comparison)."""
    first = int(cpi["year"].min())
    for row, record in rows(profiles):
        if int(record["year"]) < first:
            raise DataError(
                path,
                f"the CPI table (reference/cpi_france.csv) starts in {first}: euros of {record['year']} cannot "
                "be brought to constant euros",
                row=row,
                column="year",
                key=f"{record['spending']}/{record['profile']}",
            )


def check_funding_spending(funding: pd.DataFrame, profiles: pd.DataFrame, path: Path) -> None:
    """Each spending period funding.csv names must be one of spending_profiles.csv's (money per premise is
    deflated along it); the error names the row and the periods there are."""
    known = set(profiles["spending"])
    for row, record in rows(funding):
        spending = record.get("spending")
        if isinstance(spending, str) and spending and spending not in known:
            raise DataError(
                path,
                f"no spending period {spending!r} in spending_profiles.csv; choose one of {sorted(known)}",
                row=row,
                column="spending",
            )


def load_funding(path: Path, evidence: pd.DataFrame, validate: bool = True) -> pd.DataFrame:
    """Who paid what: each row names a funder, the evidence row stating the amount, and its scope."""
    funding = read_table(path, validate=validate)
    known = set(evidence["evidence_id"])
    shares = evidence.set_index("evidence_id")
    for row, record in rows(funding):
        if record["evidence_id"] not in known:
            raise DataError(
                path, f"no figure or reference row {record['evidence_id']!r}", row=row, column="evidence_id"
            )
        share_id = record.get("share_id") or ""
        if not share_id:
            continue
        # An amount divided by its funder's share is the money of all the funders it covers: the share must be a
        # stated share of one (0 < share <= 1), and the amount must hold several funders' money.
        if share_id not in known:
            raise DataError(path, f"no figure or reference row {share_id!r}", row=row, column="share_id")
        share = shares.loc[share_id]
        if "unit" not in share or pd.isna(share["unit"]):
            continue  # a figure that failed its own check: its problem is said there
        if str(share["unit"]) != "share" or not 0 < float(share["value"]) <= 1:
            raise DataError(
                path,
                f"{share_id!r} is not a share between 0 and 1 (unit {share['unit']!r}, value {share['value']!r})",
                row=row,
                column="share_id",
            )
        if len([c for c in str(record["covers"]).split(";") if c]) < 2:
            raise DataError(
                path,
                "an amount divided by its funder's share holds the money of several funders: name them all",
                row=row,
                column="covers",
            )
    return funding


def load_evidence_rows(
    path: Path,
    evidence: pd.DataFrame,
    id_columns: tuple[str, ...],
    initiatives: pd.DataFrame | None = None,
    initiative_columns: tuple[str, ...] = (),
    measures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A table whose rows point at evidence rows (ids, or several separated by ';') and at initiatives:
    every id must exist, every initiative be in initiatives.csv (and, with ``measures``, have a cost and
    premises, so it can enter a ratio)."""
    table = read_table(path)
    known = set(evidence["evidence_id"])
    for column in initiative_columns:
        check_known_initiatives(table, initiatives, path, column)
    costed = networks(measures) if measures is not None else set()
    for row, record in rows(table):
        for column in id_columns:
            value = record[column]
            for evidence_id in filter(None, ("" if pd.isna(value) else str(value)).split(";")):
                if evidence_id.strip() not in known:
                    raise DataError(path, f"no figure or reference row {evidence_id.strip()!r}", row=row, column=column)
        for column in initiative_columns:
            if measures is not None and record[column] not in costed:
                raise DataError(
                    path,
                    f"initiative {record[column]!r} has no cost and premises in measures.csv",
                    row=row,
                    column=column,
                )
    return table


def load_article_classes(path: Path, sources: pd.DataFrame, validate: bool = True) -> pd.DataFrame:
    """Each article's class, every article of sources.csv classed; with its title and outlet for citing."""
    classes = read_table(path, validate=validate)
    missing = sorted(set(sources["article"]) - set(classes["article"]))
    if missing:
        raise DataError(path, f"article(s) {missing} of sources.csv have no class: add a row each", column="article")
    unknown = sorted(set(classes["article"]) - set(sources["article"]))
    if unknown:
        raise DataError(path, f"article(s) {unknown} are not in sources.csv", column="article")
    return classes.merge(sources[["article", "title", "outlet"]], on="article", how="left")
