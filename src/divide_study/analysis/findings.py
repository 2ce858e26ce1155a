"""The evaluation's findings: for each, the question it answers, the evidence it rests on and whether the
sources agree — all read from the results, so the strength of each finding is derived (``evidence.grade``).
"""

from __future__ import annotations

import pandas as pd

from divide_study.analysis.evidence import agreement, grade_findings
from divide_study.analysis.soho import people_agreement

QUESTIONS = {
    "cost": "What did each network cost per premise passed, in constant euros?",
    "which_cost": "Which Gers cost is right?",
    "per_mbit": "What did each euro buy in capacity?",
    "money": "Who paid, and how much public money per plug?",
    "pace": "Did the Gers deliver on time against its own and the national targets?",
    "take_up": "Is the fibre used?",
    "soho": "What did Soho Solo achieve?",
}


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
    soho: pd.DataFrame,
    evidence: pd.DataFrame,
    initiative: str,
) -> pd.DataFrame:
    """One graded row per finding (see ``QUESTIONS``)."""
    central = comparison[(comparison["initiative"] == initiative) & (comparison["metric"] == "cost")].iloc[0]
    same_scope = cost_figures[cost_figures["scope"] == central["scope"]]
    per_premise_money = public_money.dropna(subset=["per_premise"])
    own_rate = take_up[take_up["where"] == initiative]
    findings = [
        {
            "key": "cost",
            "inputs": row_ids(comparison, "cost_per_premise"),
            # Do the cost figures of the central cost's scope agree with one another?
            "agreement": agreement(list(same_scope["amount_eur"])),
        },
        {
            "key": "which_cost",
            "inputs": list(cost_figures.loc[cost_figures["scope"] != "not used", "evidence_id"]),
            "agreement": agreement(list(cost_figures.loc[cost_figures["scope"] != "not used", "amount_eur"])),
        },
        {"key": "per_mbit", "inputs": row_ids(comparison, "cost_per_premise_per_mbit"), "agreement": "single"},
        {"key": "money", "inputs": list(per_premise_money["evidence_id"]), "agreement": "single"},
        {
            "key": "pace",
            "inputs": [i for i in list(targets["target_id"]) + list(targets["achieved_id"]) if i],
            "agreement": "single",
        },
        {
            "key": "take_up",
            "inputs": [i for text in own_rate["evidence_ids"] for i in _ids(text)],
            "agreement": agreement(list(own_rate["take_up"])),
        },
        {"key": "soho", "inputs": list(soho["evidence_id"]), "agreement": people_agreement(soho)},
    ]
    for finding in findings:
        finding["question"] = QUESTIONS[finding["key"]]
    return grade_findings(evidence, findings)
