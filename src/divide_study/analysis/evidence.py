"""Source quality as data, and the strength of evidence it gives each finding.

Every article is classed (``sources.csv``: independent press, an interested party's release, or official);
a figure that reports someone's words takes its speaker's class (``claims.csv``); every reference row is
classed by its publisher (``reference_source_classes.csv``). A finding's strength is *derived* from its
inputs — their classes, their qualifiers (bounds, approximations), assumptions among them, and whether the
sources agree — never typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from divide_study.data.lookup import reference_id
from divide_study.errors import DataError
from divide_study.i18n import Translator

CLASSES = ("official", "independent_press", "interested_party")
# English labels of the classes, for code that has no edition (the ledger's record); a reader's table shows
# ``class_label(code, lang)`` or labels.csv's ``source_class`` rows.
CLASS_LABELS = {
    "official": "official",
    "independent_press": "independent press",
    "interested_party": "interested party's claim",
    "assumption": "the study's assumption",
}


def class_label(code: str, lang: str = "en") -> str:
    """The class of a source as a reader of ``lang`` reads it ('official' -> 'officielle')."""
    _ = Translator(lang, "analysis")
    words = {
        "official": _("official"),
        "independent_press": _("independent press"),
        "interested_party": _("interested party's claim"),
        "assumption": _("the study's assumption"),
    }
    return words.get(code, code)


EVIDENCE_COLUMNS = [
    "evidence_id",
    "kind",
    "subject",
    "what",
    "value",
    "unit",
    "as_of",
    "qualifier",
    "source",
    "source_class",
    "speaker",
    "basis",
    "amount_nature",
]
# What an amount in euros can be (amount_natures.csv), and which of those are money foreseen rather than paid: a
# sentence may state those only as a plan (a need only as a need), never as money spent.
AMOUNT_NATURES = (
    "plan",
    "budget",
    "estimate",
    "announced",
    # "a investi" said after the fact by a party, not saying whether the money was committed or paid: a claim.
    "said_invested",
    "granted",
    "contributed",
    "spent_to_date",
    "final_cost",
    "funding_need",
    "penalties",
)
FORESEEN = ("plan", "budget", "estimate", "announced")
# Amounts that are not what was finally paid: a finding resting on one is weaker (a plan may change, spending to
# date is a lower bound of the final cost, a need or penalties were never paid in).
NOT_FINAL = (*FORESEEN, "said_invested", "spent_to_date", "funding_need", "penalties")
NOT_PUT_IN = ("funding_need", "penalties")  # money no one paid in: never divided by what a network serves
LEVELS = {3: "strong", 2: "moderate", 1: "weak", 0: "weak"}
AGREEMENTS = ("single", "agree", "disagree")  # what ``agreement`` says of a finding's sources

_AT_LEAST = re.compile(r"\b(plus de|dépasse|au moins)\b", re.IGNORECASE)
_APPROX = re.compile(r"\b(près de|environ|avoisinent|about)\b", re.IGNORECASE)


def reference_class(source: str, classes: pd.DataFrame) -> pd.Series | None:
    """The class row whose ``source_contains`` is the longest match in ``source`` (None when none)."""
    matches = classes[[str(text) in str(source) for text in classes["source_contains"]]]
    if matches.empty:
        return None
    return matches.loc[matches["source_contains"].str.len().idxmax()]


def reference_qualifier(quote: str, note: str) -> str:
    """How a reference row is hedged, from its quoted words and note: at_least, approx or exact.

    A hedge counts only before the quote's first number ("plus de 25 millions"), not one that qualifies
    another number after it ("39 millions, soit plus de 40 %").
    """
    first_number = re.search(r"\d", quote)
    before = quote[: first_number.start()] if first_number else quote
    if _AT_LEAST.search(before) or "lower bound" in note:
        return "at_least"
    if _APPROX.search(before):
        return "approx"
    return "exact"


def evidence_table(
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    claims: pd.DataFrame,
    external: pd.DataFrame,
    reference_classes: pd.DataFrame,
    claims_path: Path = Path("data/raw/claims.csv"),
    classes_path: Path = Path("data/raw/reference_source_classes.csv"),
) -> pd.DataFrame:
    """One row per article figure and reference row, with the class of the source it rests on."""
    by_article = sources.set_index("article")
    by_claim = claims.set_index("figure_id")
    # A claim names an article figure, or a reference row whose words are a party's about its own money or
    # results, whoever reports them.
    known = set(figures["figure_id"]) | {reference_id(r) for r in external.to_dict("records")}
    unknown = sorted(set(claims["figure_id"]) - known)
    if unknown:
        raise DataError(claims_path, f"unknown figure(s) or reference row(s) {unknown}", column="figure_id")
    out = []
    for f in figures.to_dict("records"):
        article = by_article.loc[f["article"]]
        # An interested party's own publication speaks for its outlet.
        speaker = article["outlet"] if article["source_class"] == "interested_party" else ""
        cls, basis = article["source_class"], article["class_basis"]
        if f["figure_id"] in by_claim.index:
            claim = by_claim.loc[f["figure_id"]]
            speaker, cls, basis = claim["speaker"], claim["speaker_class"], claim["note"] or basis
        out.append(
            {
                "evidence_id": f["figure_id"],
                "kind": "article",
                "subject": f["initiative"],
                "what": f["metric"].replace("_", " "),
                "value": f["value"],
                "unit": f["unit"],
                "as_of": str(f["as_of"]),
                "qualifier": f["qualifier"],
                "source": f"article {f['article']} ({article['outlet'] or article['title']})",
                "source_class": cls,
                "speaker": speaker,
                "basis": basis,
                "amount_nature": "",
            }
        )
    for row, r in enumerate(external.to_dict("records"), start=2):
        found = reference_class(r["source"], reference_classes)
        if found is None:
            raise DataError(
                classes_path,
                f"no class for the source {r['source']!r} of external_figures.csv line {row}: add a row",
                column="source_contains",
            )
        speaker, cls, basis = found["who"], found["source_class"], found["note"] or ""
        if reference_id(r) in by_claim.index:
            claim = by_claim.loc[reference_id(r)]
            speaker, cls, basis = claim["speaker"], claim["speaker_class"], claim["note"] or basis
        out.append(
            {
                "evidence_id": reference_id(r),
                "kind": "reference",
                "subject": r["topic"],
                "what": r["figure"],
                "value": r["value"],
                "unit": r["unit"],
                "as_of": str(r["as_of"]),
                "qualifier": reference_qualifier(str(r["quote"]), str(r["note"] or "")),
                "source": r["source"],
                "source_class": cls,
                "speaker": speaker,
                "basis": basis,
                "amount_nature": "",
            }
        )
    return pd.DataFrame(out, columns=EVIDENCE_COLUMNS)


def with_amount_natures(
    evidence: pd.DataFrame, natures: pd.DataFrame, path: Path, failed: set[str] | frozenset[str] = frozenset()
) -> pd.DataFrame:
    """``evidence`` with what each amount in euros is (``amount_natures.csv``, by evidence id): every amount
    must have one, and only amounts may (``failed``: figure ids whose own rows failed, said elsewhere).

    Why data and not the figure's wording: "investi", "apportés", "nécessaires" and "dépenses" are four natures
    a table would otherwise print alike as money paid.
    """
    by_id = evidence.set_index("evidence_id")
    for row, record in enumerate(natures.to_dict("records"), start=1):
        key = record["evidence_id"]
        if key in failed:
            continue
        if key not in by_id.index:
            raise DataError(path, f"no figure or reference row {key!r}", row=row, column="evidence_id", key=key)
        if by_id.loc[key, "unit"] != "EUR":
            raise DataError(
                path,
                f"{key!r} is in {by_id.loc[key, 'unit']}, not an amount in euros: only amounts have a nature",
                row=row,
                column="evidence_id",
                key=key,
            )
    named = dict(zip(natures["evidence_id"], natures["nature"], strict=True))
    missing = [key for key, unit in zip(evidence["evidence_id"], evidence["unit"], strict=True) if unit == "EUR"]
    missing = [key for key in missing if key not in named]
    if missing:
        raise DataError(
            path,
            f"no row for the amount(s) {missing}: say what each is ({', '.join(AMOUNT_NATURES)})",
            column="evidence_id",
        )
    return evidence.assign(amount_nature=[named.get(key, "") for key in evidence["evidence_id"]])


# --- strength of evidence -----------------------------------------------------------------------------------


def agreement(values: list[float], tolerance: float = 0.15) -> str:
    """'single' (one value), 'agree' (all within ``tolerance`` of each other) or 'disagree'."""
    values = [v for v in values if not pd.isna(v)]
    if len(values) <= 1:
        return "single"
    low, high = min(values), max(values)
    return "agree" if high <= low * (1 + tolerance) else "disagree"


def cumulative_agreement(counts: pd.DataFrame) -> str:
    """For counts that can only grow (people settled so far): 'disagree' when a later count is below an
    earlier one, else 'agree' ('single' for one count). ``counts`` has ``year`` and ``count``."""
    ordered = counts.dropna(subset=["count"]).sort_values("year")
    if len(ordered) <= 1:
        return "single"
    running_max = ordered["count"].cummax().shift(1)
    return "disagree" if (ordered["count"] < running_max).any() else "agree"


@dataclass(frozen=True)
class Grade:
    level: str  # strong / moderate / weak
    reasons: str  # why it is not strong, or what makes it strong
    interested_parties: str  # whose claims it rests on, "" when none


def grade(
    evidence: pd.DataFrame,
    ids: list[str],
    agreement_: str = "single",
    lang: str = "en",
    words: pd.DataFrame | None = None,
) -> Grade:
    """Strength of a finding from its inputs: start strong, lose a step for each weakness.

    Weaknesses: an assumption among the inputs (a choice of the study, or a conversion it makes: ids starting
    ``assumption:``); an input that is an interested party's claim; a bound or approximate figure; an amount that
    is not final (a plan, spending to date, a need: ``NOT_FINAL``); sources that disagree. Three steps: strong,
    moderate, weak. ``level`` is a code
    (labels.csv's ``strength`` rows); ``reasons`` are sentences in the edition's language ``lang``.
    """
    _ = Translator(lang, "analysis")
    assumptions = [i for i in ids if i.startswith("assumption:")]
    known = evidence.set_index("evidence_id")
    missing = sorted(set(ids) - set(assumptions) - set(known.index))
    if missing:
        raise KeyError(f"no evidence row for {missing}")
    rows_ = known.loc[[i for i in ids if i not in assumptions]]
    score, reasons = 3, []
    if assumptions:
        score -= 1
        reasons.append(_("rests on an assumption of the study"))
    interested = rows_[rows_["source_class"] == "interested_party"]
    separator = list_separator(lang)
    said_by = ""  # whose claims, in the edition's words and joined as the reasons join them
    if not interested.empty:
        from divide_study.language.datatext import DataText

        said = DataText(lang, words)  # who spoke, in the edition's language (words.csv), as the reader sees it
        said_by = separator.join(
            dict.fromkeys(
                said(s, "evidence.csv", "speaker") if s else said(src, "evidence.csv", "source")
                for s, src in zip(interested["speaker"], interested["source"], strict=True)
            )
        )
        score -= 1
        reasons.append(_("rests on an interested party's claim ({parties})").format(parties=said_by))
    hedged = rows_[~rows_["qualifier"].isin(["exact", "target"])]
    if not hedged.empty:
        score -= 1
        reasons.append(_("uses a bound or an approximate figure"))
    if "amount_nature" in rows_ and rows_["amount_nature"].isin(NOT_FINAL).any():
        score -= 1
        reasons.append(_("uses a plan, a need or spending to date, not a final amount"))
    if agreement_ == "disagree":
        score -= 1
        reasons.append(_("the sources disagree"))
    if not reasons:
        # The classes inside a sentence: "official sources", "sources officielles" (plural, agreed).
        in_sentence = {
            "official": _("official sources"),
            "independent_press": _("independent press sources"),
            "interested_party": _("interested parties' sources"),
        }
        classes = sorted({in_sentence[c] for c in rows_["source_class"]})
        if len(classes) > 1:
            sources = _("{some} and {other}").format(some=", ".join(classes[:-1]), other=classes[-1])
        else:
            sources = classes[0] if classes else _("no source")
        if agreement_ == "agree":
            reasons.append(_("exact figures from {sources}, which agree").format(sources=sources))
        else:
            reasons.append(_("exact figures from {sources}").format(sources=sources))
    # Whose claims, as the reasons say them (the Limitations list them all).
    return Grade(LEVELS[max(score, 0)], separator.join(reasons), said_by)


def list_separator(lang: str) -> str:
    """How the edition separates the items of a list in a sentence (French: a no-break space before the
    semicolon): the grades' reasons and whose claims they rest on."""
    _ = Translator(lang, "analysis")
    return _("{first}; {then}").format(first="", then="")


def grade_findings(
    evidence: pd.DataFrame, findings: list[dict], lang: str = "en", words: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each finding (``key``, ``question``, ``inputs`` ids, ``agreement``, ``judgement``) with its grade, its
    reasons (``why``) in the edition's language; ``strength`` and ``agreement`` stay codes."""
    out = []
    for finding in findings:
        g = grade(evidence, list(finding["inputs"]), finding.get("agreement", "single"), lang, words)
        out.append(
            {
                "key": finding["key"],
                "question": finding["question"],
                "strength": g.level,
                "why": g.reasons,
                "interested_parties": g.interested_parties,
                "agreement": finding.get("agreement", "single"),
                "inputs": "; ".join(finding["inputs"]),
            }
        )
    return pd.DataFrame(
        out, columns=["key", "question", "strength", "why", "interested_parties", "agreement", "inputs"]
    )


def classed(frame: pd.DataFrame, evidence: pd.DataFrame, id_column: str = "evidence_id") -> pd.DataFrame:
    """``frame`` with the source class, qualifier and speaker of the evidence row each line names."""
    extra = evidence.set_index("evidence_id")[["source_class", "qualifier", "speaker"]]
    return frame.join(extra, on=id_column)


def cost_figures(
    evidence: pd.DataFrame, measures: pd.DataFrame, initiative: str, funding: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every euro amount about an initiative's network (funders' shares aside), the scope the study reads in
    it (from measures.csv, else from funding.csv), its qualifier and the class of its source: shown side by
    side, never added up."""
    costs = measures[(measures["initiative"] == initiative) & (measures["quantity"] == "cost")]
    funded = {} if funding is None else dict(zip(funding["evidence_id"], funding["scope"], strict=True))
    rows_ = evidence[
        (evidence["subject"] == initiative)
        & (evidence["unit"] == "EUR")
        & ~evidence["what"].str.contains("state|region|département|funding|share", case=False, regex=True)
    ]
    out = []
    for r in rows_.to_dict("records"):
        is_figure = costs["figure_id"] == r["evidence_id"]
        is_row = (
            (costs["reference_topic"] == r["subject"])
            & (costs["reference_figure"] == r["what"])
            & ((costs["reference_as_of"] == "") | (costs["reference_as_of"] == r["as_of"]))
        )
        match = costs[is_figure | (is_row & (r["kind"] == "reference"))]
        out.append(
            {
                "amount_eur": r["value"],
                "as_of": r["as_of"],
                "what": r["what"],
                "qualifier": r["qualifier"],
                "scope": match["scope"].iloc[0] if not match.empty else funded.get(r["evidence_id"], "not used"),
                "option": match["option"].iloc[0] if not match.empty else "",
                # A figure the measures read in several scopes (a study's reading and its source's own): agreement
                # is then checked in each of them, so a reading never hides a conflict (findings.evaluation_findings).
                "also_read_as": ";".join(
                    dict.fromkeys(s for s in match["scope"].iloc[1:] if s != match["scope"].iloc[0])
                ),
                "source_class": r["source_class"],
                "source": r["source"],
                "evidence_id": r["evidence_id"],
            }
        )
    columns = [
        "amount_eur",
        "as_of",
        "what",
        "qualifier",
        "scope",
        "option",
        "also_read_as",
        "source_class",
        "source",
        "evidence_id",
    ]
    return pd.DataFrame(out, columns=columns).sort_values(["as_of", "what"], ignore_index=True)
