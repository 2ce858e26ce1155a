"""The summary's first sentences (sections.delay_bearers, sections.pace_against_peers), on tiny tables."""

from __future__ import annotations

import pandas as pd
import pytest

from divide_study.errors import StudyError
from divide_study.i18n import Translator
from divide_study.report.sections import Edition, delay_bearers, own_target_verdict, pace_against_peers

WINDOW = "tarn_concession"
VALUES = {"concession": "Tarn", "gers": "Gers Numérique", "gers_departement": "Gers"}


def edition(lang: str, paces: dict[str, tuple[float, float]] | None = None) -> Edition:
    """An edition holding only what the two sentences read: its words and, per network, (own pace, peers' median)."""
    rows = {}
    for initiative, (own, peers) in (paces or {}).items():
        rows[f"series.{initiative}.points_per_year.{WINDOW}"] = own
        rows[f"series.{initiative}.peers_points_per_year.{WINDOW}"] = peers
    quoted = pd.DataFrame({"value": rows}) if rows else pd.DataFrame({"value": []})
    return Edition(_=Translator(lang, "report"), r=Edition(quoted=quoted), TARN="tarn", GERS="gers_numerique")


def risk_row(initiative: str, bearer: str) -> pd.Series:
    return pd.Series({"delay_risk_bearer": bearer}, name=initiative)


@pytest.mark.parametrize(
    ("tarn", "gers", "said"),
    [
        (
            "concessionaire",
            "not_cited",
            "By the study's reading of each contract, in the Tarn concession the concessionaire bears the risk of "
            "delay; in the Gers Numérique network, the cited sources do not say who bears it.",
        ),
        (
            "concessionaire",
            "public_body",
            "By the study's reading of each contract, in the Tarn concession the concessionaire bears the risk of "
            "delay; in the Gers Numérique network, the public body bears the risk of delay.",
        ),
    ],
)
def test_who_bears_the_risk_of_delay_is_said_by_its_code_and_never_guessed(tarn, gers, said):
    lead = delay_bearers(edition("en"), risk_row("tarn", tarn), risk_row("gers_numerique", gers), VALUES)
    assert lead == said


def test_who_bears_the_risk_of_delay_in_french():
    lead = delay_bearers(
        edition("fr"), risk_row("tarn", "concessionaire"), risk_row("gers_numerique", "not_cited"), VALUES
    )
    assert lead.startswith(
        "Selon la lecture des contrats par l’étude, dans la concession du Tarn, le concessionnaire porte le "
        "risque de retard\u00a0;"
    )


@pytest.mark.parametrize("bearer", ["", "not_applicable", "the operator"])
def test_a_network_without_a_bearer_the_summary_can_say_is_an_error(bearer):
    with pytest.raises(StudyError, match=r"models\.csv: 'gers_numerique' has delay_risk_bearer"):
        delay_bearers(edition("en"), risk_row("tarn", "concessionaire"), risk_row("gers_numerique", bearer), VALUES)


@pytest.mark.parametrize(
    ("tarn", "gers", "said"),
    [
        (
            (14.5, 11.3),
            (11.6, 15.4),
            "the Tarn gained faster than its comparable départements, the Gers more slowly than its own.",
        ),
        ((9.0, 11.3), (16.0, 15.4), "the Tarn gained more slowly than its comparable départements, the Gers faster"),
        # Equal as printed (one decimal): never "faster" of two numbers a reader sees as the same.
        ((11.34, 11.31), (15.36, 15.44), "the Tarn gained as fast as its comparable départements, the Gers as fast"),
        # Printed a half away from zero, as the edition writes them: 11.25 is "11.3", as its peers' 11.3 (round() would
        # give 11.2 and say "more slowly").
        ((11.25, 11.3), (15.36, 15.44), "the Tarn gained as fast as its comparable départements"),
    ],
)
def test_each_pace_is_set_against_its_peers_as_printed(tarn, gers, said):
    lead = pace_against_peers(edition("en", {"tarn": tarn, "gers_numerique": gers}), VALUES)
    assert lead.startswith("On the State's barometer (whole départements), ")
    assert said in lead


class Ledger:
    """The one ledger call the verdict makes: the date the target was reached, as the ledger would quote it."""

    def __init__(self, reached_on: str):
        self.reached_on = reached_on

    def quote(self, key: str) -> str:
        assert key == "compare.gers_numerique.own_target.reached_on"
        return self.reached_on


def targets(achieved: float, reached_on: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("gers_numerique", "own target: 67% eligible", "share", 2 / 3, achieved, reached_on),
            ("gers_numerique", "national plan: all premises", "year", 1.0, 0.7, "2026-01-28"),
            ("tarn", "own target: at least 138,000 plugs", "count", 1.0, 0.5, "not yet"),
        ],
        columns=["initiative", "target", "cited_as", "target_share", "achieved_by_then", "reached_on"],
    )


@pytest.mark.parametrize(
    ("achieved", "reached_on", "said"),
    [
        (
            0.5,
            "2024",
            "<strong>Behind its own target</strong> in its deadline year; a later count of the same kind "
            "first passes it in 2024.",
        ),
        (
            0.5,
            "not yet",
            "<strong>Behind its own target</strong> in its deadline year, and not yet reached by a later count.",
        ),
        (0.7, "2020", "<strong>Its own target met</strong> in its deadline year."),
        (float("nan"), "not yet", "<strong>Its own target:</strong> no count of what it counts in its deadline year."),
    ],
)
def test_the_answer_on_the_own_target_comes_from_the_targets_table(achieved, reached_on, said):
    e = edition("en")
    e.targets, e.r = targets(achieved, reached_on), Ledger(reached_on)
    assert own_target_verdict(e) == said


def test_a_focus_without_one_own_target_is_an_error():
    e = edition("en")
    e.targets = targets(0.5, "2024").iloc[1:]
    with pytest.raises(StudyError, match=r"targets\.csv: the summary needs one own target of 'gers_numerique'"):
        own_target_verdict(e)
