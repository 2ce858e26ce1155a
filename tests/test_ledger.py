"""The provenance ledger records every number with its source's class; the findings are graded from data."""

from __future__ import annotations

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis import findings
from divide_study.report.ledger import Report

FIGURES = pd.DataFrame(
    [("b_cost", "002", "beta", "investment", 5e6, "EUR", "2003", "5 millions", 10, 20)],
    columns=["figure_id", "article", "initiative", "metric", "value", "unit", "as_of", "span", "start", "end"],
)
SOURCES = pd.DataFrame(
    [("002", "beta.txt", "News", "", "2003-05-01", "2003-05-01", "2003-05-01")],
    columns=["article", "source", "title", "outlet", "published", "published_earliest", "published_latest"],
)
EXTERNAL = pd.DataFrame(
    [("beta_pop", "population", 80_000, "inhabitants", "2019", "insee.fr", "80 000", "")],
    columns=["topic", "figure", "value", "unit", "as_of", "source", "quote", "note"],
)
EVIDENCE = pd.DataFrame(
    [("b_cost", "interested_party"), ("beta_pop|population|2019", "official")],
    columns=["evidence_id", "source_class"],
)


def test_every_number_is_recorded_with_its_class():
    r = Report(FIGURES, SOURCES, EXTERNAL, [], [], evidence=EVIDENCE)
    assert r.evidence("b_cost", "{:,.0f}", 1e-6) == "5"
    assert r.evidence("beta_pop|population|2019") == "80,000"
    assert r.computed(62.5, "cost per inhabitant", "5 M / 80 000", "{:.1f}") == "62.5"
    assert r.assumed(1000, "speed", "no source states it") == "1,000"
    ledger = r.provenance().set_index("number")
    assert ledger.loc["5", "class"] == "interested party's claim"
    assert ledger.loc["80,000", "class"] == "official"
    assert ledger.loc["62.5", "class"] == "computed"
    assert ledger.loc["1,000", "class"] == "the study's assumption"
    assert ledger.loc["5", "words"] == "“5 millions” (characters 10–20)"


def test_the_real_findings_are_graded_from_the_results():
    processed = config.PROCESSED_DIR
    if not (processed / "cost_figures.csv").exists():
        pytest.skip("data/processed has not been built in this checkout")

    def read(name):
        return pd.read_csv(processed / f"{name}.csv", dtype={"as_of": str}, keep_default_na=False)

    numeric = {"amount_eur", "take_up", "per_premise", "count", "people_equivalent", "value"}

    def typed(frame):
        for column in numeric & set(frame.columns):
            frame[column] = pd.to_numeric(frame[column])
        return frame

    graded = findings.evaluation_findings(
        typed(read("comparison")),
        typed(read("cost_figures")),
        typed(read("public_money")),
        typed(read("take_up")),
        read("targets"),
        typed(read("programme_outcomes")),
        typed(read("evidence")),
        "gers_numerique",
        read("models"),
        findings.questions("Gers Numérique", "Soho Solo"),
    ).set_index("key")
    assert "Gers Numérique" in graded.loc["which_cost", "question"]
    assert "concessionaire" in " ".join(read("models")["delay_risk"])  # the Tarn's model carries its risk
    assert graded.loc["which_cost", "agreement"] == "disagree"  # 214 M€ against 287 M€
    assert graded.loc["programme", "agreement"] == "disagree"  # 250 families claimed, fewer people counted
    assert "interested party" in graded.loc["programme", "why"]
    assert "assumption" in graded.loc["per_mbit", "why"]  # the Gers speed
    assert set(graded["strength"]) <= {"strong", "moderate", "weak"}
