"""The two fibre networks side by side under every reading the sources allow, and whether any pair ranks them.

A département choosing between a network it builds itself (the Gers) and a concession (the Tarn) asks what each
cost it per plug. The sources leave choices open: which of the Gers's amounts to divide, whether the Tarn's public
money came inside or on top of its concessionaire's plan, which plan. Each network's readings are gathered here
from what the study already computes — public money per plug from ``public_money.csv`` (each amount over the
plugs of its own scope), cost per plug from ``sensitivity.csv`` (each compatible pair of cost and premises) — and
every pair of one network's reading with the other's is put to ``metrics.which_is_lower``: a forecast (a plan, an
estimate) is never ranked against money put in or spent, bounds rank only where they do not overlap, two
amounts in different euros (constant against current, where an amount's years of spending are not given) rank
nothing, and an amount that paid for fibre alone is never ranked below one that also paid for copper upgrades and
WiFi (the Gers's whole works): the other's money per fibre plug is lower by an amount no source gives.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from divide_study.analysis.measures import resolve
from divide_study.analysis.metrics import derived_from_share, nature_family, quotient_qualifier, which_is_lower
from divide_study.errors import StudyError

READING_COLUMNS = [
    "initiative",
    "measure",  # public_money: public money per plug; cost: all the money per plug
    "reading",  # public money: its evidence id; cost: "<cost option> / <premises option>"
    "share_id",  # public money derived from one funder's amount and its share: that share's evidence id
    "central",  # the reading the summary quotes
    "amount_nature",  # plan, contributed, spent_to_date, final_cost, estimate …; "mixed" for amounts of several
    "value",  # euros per plug
    "euros",  # "constant" (of the base year) or "current" (an amount whose years of spending are not cited)
    "qualifier",  # exact, at_least, upper_bound, approx
    "covers",  # the funders a public amount covers; "all" for a cost
    "also_paid_for",  # works beyond what its plugs count (funding.csv's, measures.csv's): "copper;wifi", else ""
]
PUBLIC_MONEY, COST = "public_money", "cost"
MIXED = "mixed"  # the nature of a cost whose amounts are of different natures: it ranks against nothing


def network_readings(
    money: pd.DataFrame,
    sensitivity: pd.DataFrame,
    measures: pd.DataFrame,
    figures: pd.DataFrame,
    external: pd.DataFrame,
    evidence: pd.DataFrame,
    networks: list[str],
    central_covers: str,
) -> pd.DataFrame:
    """Each reading of ``networks``' public money per plug and cost per plug, one row each (``READING_COLUMNS``).

    Public money: every row of ``money`` (public_money.csv) of a network that is divided by plugs and is not its
    operator's own money, in constant euros where its years of spending are cited, else current; the reading
    whose funders are ``central_covers`` is the central one. Cost: every compatible pair of cost and premises the
    sensitivity analysis computed (``<network>.cost+premises``), in constant euros, its nature that of its
    amounts and its hedge that of the quotient (``quotient_qualifier``)."""
    natures = dict(zip(evidence["evidence_id"], evidence["amount_nature"].fillna(""), strict=True))
    out: list[dict] = []
    for initiative in networks:
        own = money[(money["initiative"] == initiative) & (money["covers"] != "operator")]
        for row in own[own["per_premise"].notna()].to_dict("records"):
            constant = pd.notna(row["per_premise_constant"])
            out.append(
                {
                    "initiative": initiative,
                    "measure": PUBLIC_MONEY,
                    "reading": row["evidence_id"],
                    "share_id": row["share_id"] if derived_from_share(row) else "",
                    "central": row["covers"] == central_covers,
                    "amount_nature": row["amount_nature"],
                    "value": float(row["per_premise_constant"] if constant else row["per_premise"]),
                    "euros": "constant" if constant else "current",
                    "qualifier": row["per_premise_qualifier"],
                    "covers": row["covers"],
                    "also_paid_for": _text(row.get("also_paid_for")),
                }
            )
        costs = sensitivity[
            (sensitivity["assumption"] == f"{initiative}.cost+premises")
            & (sensitivity["headline"] == f"{initiative}.cost_per_premise")
            & (sensitivity["status"] == "ok")
        ]
        for row in costs.to_dict("records"):
            cost_option, premises_option = (part.strip() for part in str(row["setting"]).split("/"))
            cost = resolve(measures, figures, external, initiative, "cost", cost_option)
            premises = resolve(measures, figures, external, initiative, "premises", premises_option)
            unknown = [i for i in cost.input_ids if i not in natures]
            if unknown:
                raise StudyError(
                    f"evidence.csv: no row for {unknown[0]!r}, read by {initiative}'s cost {cost_option!r}"
                )
            kinds = {natures[i] for i in cost.input_ids}
            out.append(
                {
                    "initiative": initiative,
                    "measure": COST,
                    "reading": row["setting"],
                    "share_id": "",
                    "central": bool(row["central"]),
                    "amount_nature": kinds.pop() if len(kinds) == 1 else MIXED,
                    "value": float(row["value"]),
                    "euros": "constant",
                    "qualifier": quotient_qualifier(cost.qualifier, [premises.qualifier]),
                    "covers": "all",
                    "also_paid_for": cost_also_paid_for(measures, initiative, cost_option),
                }
            )
    return pd.DataFrame(out, columns=READING_COLUMNS)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def cost_also_paid_for(measures: pd.DataFrame, initiative: str, option: str) -> str:
    """What a cost option (measures.csv) also paid for beyond what its premises count ("copper;wifi"), or ""."""
    rows = measures[
        (measures["initiative"] == initiative) & (measures["quantity"] == "cost") & (measures["option"] == option)
    ]
    if "also_paid_for" not in rows or rows.empty:
        return ""
    return ";".join(sorted({part for value in rows["also_paid_for"] for part in _text(value).split(";") if part}))


def wider_works(lower: Mapping, higher: Mapping) -> bool:
    """Whether the reading found the higher paid for works the lower did not (copper upgrades, WiFi): its money per
    fibre plug is then below its value by an amount no source gives, so the order found says nothing."""
    wider = set(_text(higher.get("also_paid_for")).split(";")) - set(_text(lower.get("also_paid_for")).split(";"))
    return bool(wider - {""})


def ranked_pairs(readings: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Every pair of ``first``'s reading with ``second``'s, measure by measure (``first_row`` and ``second_row``:
    their index in ``readings``), and what it says: 'first' or 'second' (the lower), 'different_nature' (a plan
    against money put in, or amounts of mixed natures), 'different_euros' (constant against current euros),
    'different_works' (the lower paid for fibre alone, the higher for copper upgrades and WiFi too), or
    'undetermined' (bounds that overlap, an approximation)."""
    out = []
    for measure in dict.fromkeys(readings["measure"]):
        ones = readings[(readings["initiative"] == first) & (readings["measure"] == measure)]
        others = readings[(readings["initiative"] == second) & (readings["measure"] == measure)]
        for i, a in ones.iterrows():
            for j, b in others.iterrows():
                natures = (a["amount_nature"], b["amount_nature"])
                if MIXED in natures or nature_family(natures[0]) != nature_family(natures[1]):
                    verdict = "different_nature"
                elif a["euros"] != b["euros"]:
                    verdict = "different_euros"
                else:
                    verdict = which_is_lower(
                        (a["value"], a["qualifier"], a["amount_nature"]),
                        (b["value"], b["qualifier"], b["amount_nature"]),
                    )
                    # A lower amount that paid for fibre alone is not shown lower than one that also paid for copper
                    # and WiFi: the other's money per fibre plug may be lower still (the reverse order holds).
                    if (verdict == "first" and wider_works(a, b)) or (verdict == "second" and wider_works(b, a)):
                        verdict = "different_works"
                out.append({"measure": measure, "first_row": i, "second_row": j, "verdict": verdict})
    return pd.DataFrame(out, columns=["measure", "first_row", "second_row", "verdict"])
