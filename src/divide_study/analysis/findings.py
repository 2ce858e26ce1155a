"""The evaluation's findings: for each, the question it answers, the evidence it rests on and whether the
sources agree — all read from the results, so the strength of each finding is derived (``evidence.grade``).
"""

from __future__ import annotations

import pandas as pd

from divide_study.analysis.evidence import agreement, grade_findings, reference_class
from divide_study.analysis.metrics import derived_from_share
from divide_study.analysis.programmes import people_agreement
from divide_study.analysis.quoted import resting_on
from divide_study.analysis.quoting import QUALIFIER_NATURE
from divide_study.errors import StudyError
from divide_study.i18n import Translator


def questions(focus: str, programme: str, lang: str = "en") -> dict[str, str]:
    """The evaluation's questions in the edition's language, naming the study's focus and its attraction
    programme (short names, from the data)."""
    _ = Translator(lang, "analysis")
    templates = {
        "cost": _("What did each network cost per premise passed, in constant euros?"),
        "which_cost": _("Which {focus} cost is right?"),
        "per_mbit": _("What did each euro buy in capacity?"),
        "money": _("Who paid, and how much public money per plug?"),
        "pace": _("Did {focus} deliver on time against its own and the national targets?"),
        "models": _(
            "What does each model ask of the public purse, what did it deliver when, and who carries the risk?"
        ),
        "take_up": _("Is the fibre used?"),
        "programme": _("What did {programme} achieve?"),
    }
    return {k: q.format(focus=focus, programme=programme) for k, q in templates.items()}


def series_question(lang: str = "en") -> str:
    """The question the paces on the State's series answer (a finding of their own, graded on the series' reads):
    part of the question on models ("what did it deliver when"), which the report's list asks (said in words: a
    digit in a table's cell would make it a number to trace)."""
    _ = Translator(lang, "analysis")
    return _(
        "How fast did each département's share of premises able to connect grow on the State's series, over the "
        "same years (part of the question on models)?"
    )


def _ids(text: str) -> list[str]:
    return [i for i in str(text).split(";") if i]


def row_ids(comparison: pd.DataFrame, metric: str) -> list[str]:
    """Evidence ids behind one metric of every compared initiative."""
    return [i for text in comparison.loc[comparison["metric"] == metric, "input_ids"] for i in _ids(text)]


def evaluation_findings(
    comparison: pd.DataFrame,
    cost_figures: pd.DataFrame,
    public_money: pd.DataFrame,
    take_up: pd.DataFrame,
    targets: pd.DataFrame,
    newcomers: pd.DataFrame,
    evidence: pd.DataFrame,
    initiative: str,
    models: pd.DataFrame,
    asked: dict[str, str],
    lang: str = "en",
    words: pd.DataFrame | None = None,
    readings: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """One graded row per finding, each answering a question of ``asked`` (``questions``), its ``why`` in the
    edition's language ``lang`` (give ``asked`` in the same language; ``words``, the study's words.csv, says
    the speakers in it).

    The rules, beside ``evidence.grade``'s: a cost in constant euros spent over several years rests on the
    assumed spending profile that deflates it; a target or count the study reads as another measure
    (``readings``: progress.csv's ``reading``) makes the pace rest on that conversion; cost figures agree only
    when independent sources of the same scope agree (an interested party's figure neither confirms nor
    contradicts)."""
    central = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == "cost")].iloc[0]
    # A figure the study reads in another scope but which its source (or another reading) gives for the central
    # cost's scope counts in it too: a study's reading never makes a conflict disappear.
    read_as = cost_figures.get("also_read_as", pd.Series("", index=cost_figures.index)).fillna("")
    in_scope = (cost_figures["scope"] == central["scope"]) | read_as.map(
        lambda scopes: central["scope"] in str(scopes).split(";")
    )
    same_scope = cost_figures[in_scope & (cost_figures["source_class"] != "interested_party")]
    profile = ["assumption:spending_profile"] if "–" in str(central.get("spending_years", "")) else []
    per_premise_money = public_money.dropna(subset=["per_premise"])
    own_rate = take_up[take_up["where"] == initiative]
    # Do the cost figures of the central cost's scope agree with one another? The models' finding sets that same
    # central cost beside the others, so it carries the same agreement (it said "one source per figure" while the
    # figures of the cost it quotes disagree).
    cost_agreement = agreement(list(same_scope["amount_eur"]))
    findings = [
        {
            "key": "cost",
            "inputs": row_ids(comparison, "cost_per_premise") + profile,
            "agreement": cost_agreement,
        },
        {
            "key": "which_cost",
            "inputs": list(cost_figures.loc[cost_figures["scope"] != "not used", "evidence_id"]),
            "agreement": agreement(list(cost_figures.loc[cost_figures["scope"] != "not used", "amount_eur"])),
        },
        {"key": "per_mbit", "inputs": row_ids(comparison, "cost_per_premise_per_mbit"), "agreement": "single"},
        {"key": "money", "inputs": money_inputs(per_premise_money), "agreement": "single"},
        {
            "key": "pace",
            "inputs": [i for i in list(targets["target_id"]) + list(targets["achieved_id"]) if i]
            + [f"assumption:{i}" for i in readings],
            "agreement": "single",
        },
        {
            "key": "models",
            "inputs": [i for text in models["evidence_ids"] for i in _ids(text)],
            "agreement": cost_agreement,
        },
        {
            "key": "take_up",
            "inputs": [i for text in own_rate["evidence_ids"] for i in _ids(text)],
            "agreement": agreement(list(own_rate["take_up"])),
        },
        {"key": "programme", "inputs": list(newcomers["evidence_id"]), "agreement": people_agreement(newcomers)},
    ]
    for finding in findings:
        finding["question"] = asked[finding["key"]]
    return grade_findings(evidence, findings, lang, words)


def money_inputs(money: pd.DataFrame) -> list[str]:
    """The evidence a finding on money per plug rests on: each amount's row, and for an amount derived from one
    funder's share (public_money.csv's ``share_id``), the share's row and the assumption that it held."""
    ids = []
    for row in money.to_dict("records"):
        ids.append(row["evidence_id"])
        if derived_from_share(row):
            ids += [row["share_id"], "assumption:funder_share"]
    return list(dict.fromkeys(ids))


# A number read from a file is as hedged as its nature says ("stated": exact, "lower_bound": at least...): the
# quoting's qualifier -> nature read backwards (one place for that fact); a target is no hedge of a read number.
READ_QUALIFIERS = {nature: qualifier for qualifier, nature in QUALIFIER_NATURE.items() if qualifier != "target"}


def series_evidence(quoted: pd.DataFrame, keys: list[str], classes: pd.DataFrame) -> pd.DataFrame:
    """The numbers read from files that quoted numbers rest on, as evidence rows to grade them by (``grade``):
    each key's inputs followed down to the reads (``quoted``: every step's quoted numbers, indexed by key), each
    read classed by the publisher of its file (``classes``: reference_source_classes.csv, matched on the file's
    path) and hedged as its nature says; a number the study assumes is an ``assumption:`` id. Grade with the
    frame's ``evidence_id`` column as the inputs. A read no class matches, or a key not quoted, is an error naming
    it."""
    rows = []
    for key in resting_on(quoted, keys, lambda key: f"quoted numbers: no {key!r} to grade a finding by"):
        row = quoted.loc[key]
        if str(row["nature"]) == "assumption":
            # The study's own choice: graded as an assumption (``grade`` reads the id's prefix), whatever its file.
            rows.append({"evidence_id": f"assumption:{key}", "source_class": "", "qualifier": "", "source": ""})
            continue
        table = str(row["source_table"])
        found = reference_class(table, classes) if table else None
        if found is None:
            raise StudyError(
                f"reference_source_classes.csv: no class for {table or 'the source'!r} of the quoted number {key!r}: "
                "add a row"
            )
        rows.append(
            {
                "evidence_id": key,
                "source_class": found["source_class"],
                "qualifier": READ_QUALIFIERS.get(str(row["nature"]), "approx"),
                "source": found["who"],
                "speaker": "",
                "amount_nature": "",
            }
        )
    return pd.DataFrame(
        rows, columns=["evidence_id", "source_class", "qualifier", "source", "speaker", "amount_nature"]
    )
