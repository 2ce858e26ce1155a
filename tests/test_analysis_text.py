"""The analyses' sentences in both editions: French output has no English words, English keeps its meaning."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import appendix_entries
from test_compare import EXTERNAL, FIGURES
from test_evidence import CLAIMS, REFERENCE_CLASSES, SOURCES
from test_panel import claims_table, three_quarters

from divide_study import config
from divide_study.analysis import evidence, findings, models, panel
from divide_study.errors import StudyError
from divide_study.i18n import Translator
from divide_study.language.formats import Formats
from divide_study.language.labels import Labels
from divide_study.report import models_section, tables

# Words that betray English text in a French edition (whole words, case-insensitive).
ENGLISH = (
    "the",
    "of",
    "and",
    "from",
    "asked",
    "public money",
    "plugs",
    "premises",
    "dwellings",
    "who",
    "rank",
    "which",
)


def english_words(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"\b{w}\b", text, re.IGNORECASE)]


LABELS = pd.DataFrame(
    [
        ("model", "concession", "concession", "concession"),
        ("unit", "plugs", "plugs", "prises"),
        ("scope", "zone", "the zone", "la zone"),
        ("strength", "strong", "strong", "élevé"),
        ("strength", "moderate", "moderate", "moyen"),
        ("strength", "weak", "weak", "faible"),
        ("agreement", "single", "single source", "source unique"),
        ("agreement", "disagree", "disagree", "discordantes"),
        ("option", "alpha.spent", "spent", "dépensé"),
        ("option", "alpha.plugs", "all plugs", "toutes les prises"),
        ("scope", "phase_1", "phase 1", "phase 1"),
        ("scope", "whole_network", "whole network", "réseau entier"),
    ],
    columns=["kind", "key", "en", "fr"],
)


def test_questions_in_each_edition():
    english = findings.questions("Alpha", "Soho")
    french = findings.questions("Alpha", "Soho", "fr")
    assert english["which_cost"] == "Which Alpha cost is right?"
    assert french["which_cost"] == "Quel chiffre retenir pour le coût de Alpha\u00a0?"
    assert french["programme"] == "Qu’a obtenu Soho\u00a0?"
    assert set(french) == set(english)
    assert not [q for q in french.values() if english_words(q)]
    # The pace on the State's series answers part of the models' question ("what did it deliver when").
    assert "deliver when" in english["models"] and "(part of the question on models)?" in findings.series_question()
    assert "(complément à la question sur les modèles)" in findings.series_question("fr")


def test_a_grade_gives_its_reasons_in_the_edition_and_keeps_its_level_a_code():
    table = evidence.evidence_table(FIGURES, SOURCES, CLAIMS, EXTERNAL, REFERENCE_CLASSES)
    ids = ["s_fam", "alpha|phase 2|2022", "assumption:alpha.speed=ftth"]
    english = evidence.grade(table, ids, "disagree")
    said = pd.DataFrame(  # the data's words (words.csv): who spoke, in French
        {
            "en": ["the Soho Solo programme (CCI du Gers)", "Gers Fibre"],
            "fr": ["le programme Soho Solo (CCI du Gers)", "Gers Fibre"],
        }
    )
    french = evidence.grade(table, ids, "disagree", "fr", said)
    assert french.level == english.level == "weak"
    assert "rests on an assumption of the study" in english.reasons and "the sources disagree" in english.reasons
    assert "repose sur une hypothèse de l’étude" in french.reasons and "les sources divergent" in french.reasons
    assert "le programme Soho Solo (CCI du Gers)" in french.reasons  # the speaker, in the data catalog's French
    strong = evidence.grade(table, ["b_cost", "alpha_pop|population|2014"], "agree", "fr", said)
    assert strong.reasons == ("chiffres exacts issus de sources de presse et sources officielles, qui concordent")
    assert evidence.grade(table, ["b_cost", "alpha_pop|population|2014"], "agree").reasons == (
        "exact figures from independent press sources and official sources, which agree"
    )
    assert evidence.class_label("interested_party", "fr") == "déclaration d’une partie prenante"
    assert evidence.class_label("interested_party") == evidence.CLASS_LABELS["interested_party"]


def test_the_findings_table_shows_labels_not_codes():
    graded = pd.DataFrame(
        {"question": ["Q ?"], "strength": ["weak"], "why": ["les sources divergent"], "agreement": ["disagree"]}
    )
    shown = tables.findings(graded, Labels(LABELS, "fr")).iloc[0]
    assert (shown["strength"], shown["agreement"]) == ("faible", "discordantes")
    assert list(tables.findings(graded, Labels(LABELS, "en"))["agreement"]) == ["disagree"]


def test_refused_pairs_have_coded_headers_and_french_words():
    measures = pd.DataFrame(
        [("alpha", "spent", "phase_1"), ("alpha", "plugs", "whole_network")], columns=["initiative", "option", "scope"]
    )
    refused = pd.DataFrame({"assumption": ["alpha.cost+premises"], "setting": ["spent / plugs"]})
    initiatives = pd.DataFrame({"initiative": ["alpha"], "short_name": ["Alpha"]})
    shown = tables.refused_pairs(refused, measures, initiatives, Labels(LABELS, "fr"))
    assert list(shown.columns) == ["initiative", "cost", "cost_scope", "premises", "premises_scope"]
    assert list(shown.iloc[0]) == ["Alpha", "dépensé", "phase 1", "toutes les prises", "réseau entier"]


def test_ordinals_in_each_edition():
    assert [panel.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
    # French ranks with superscript letters (issue 22)
    assert [panel.ordinal(n, "fr") for n in (1, 2, 36)] == ["1\u1d49\u02b3", "2\u1d49", "36\u1d49"]
    assert panel.quarter_label("T1 2018") == "Q1 2018" and panel.quarter_label("T1 2018", "fr") == "T1 2018"


def test_press_claims_are_checked_in_french_with_french_numbers():
    ahead = three_quarters({"32": (10, 50, 1100), "48": (80, 85, 90), "81": (0, 0, 5)})
    result = panel.check_claims(claims_table("largest_public_zone_in_region"), ahead, lang="fr").iloc[0]
    assert result["verdict"] == "cohérent avec les données de 2018"
    assert f"{Formats('fr').number(1100)} locaux raccordables" in result["data_show"]
    assert "de la région Occitanie" in result["data_show"] and "T3\u00a02017" not in result["data_show"]
    shown = result["data_show"]
    assert "Au T3 2017, il était 2\u1d49\u00a0; D48, en tête, en comptait 80, contre 10 pour lui." in shown
    later = panel.check_claims(claims_table("count_after_the_data", 13000.0), ahead, lang="fr").iloc[0]
    assert "11,8 fois le dernier décompte" in later["data_cannot_show"]
    assert "mars 2019" in later["reading"]
    for text in (*result[["reading", "verdict", "data_show", "data_cannot_show"]], *later[["data_cannot_show"]]):
        assert not english_words(text.replace("Q", "")), text


def test_claims_are_said_again_in_the_edition_from_the_panel():
    data = three_quarters({"32": (0, 0, 100), "48": (0, 0, 60), "81": (0, 0, 40)})
    english = panel.check_claims(claims_table("public_zone_vs_rest_of_region"), data)
    assert english.iloc[0][["test", "department"]].tolist() == ["public_zone_vs_rest_of_region", "32"]
    french = panel.claims_in(english, data, pd.Series(dtype=float), "fr").iloc[0]
    assert french["verdict"] == "cohérent avec les données de 2018 (un an avant la déclaration)"
    assert "Au T1 2018\u00a0: D32 100 contre 100 pour les 2 autres départements" in french["data_show"]
    assert french["span"] == "s" and french["speaker"] == english.iloc[0]["speaker"]  # the data's own words
    assert panel.claims_in(english, data, pd.Series(dtype=float)).equals(english)  # English: the CSV's


class FakeReport:
    """What the sections need of ``ledger.Report``: numbers recorded with their descriptions, refs, blocks."""

    def __init__(self, lang: str, labels: Labels | None = None):
        self.lang, self.labels, self.whats, self.evidence_ids = lang, labels, [], []
        self.figure_numbers, self.table_numbers = {"a": 1}, {"findings": 1, "models": 2, "sources": 3}

    def computed(self, value, what, basis, fmt="{:,.0f}"):
        self.whats.append(what)
        return f'<a class="num">{value:.3g}</a>'

    def dated(self, value, what, source, words=""):
        self.whats.append(what)
        return f'<a class="num">{Formats(self.lang).date(value)}</a>'

    def stated_as(self, evidence_id):
        return "plugs", "exact"

    # The numbers the analysis steps publish, by key (ledger.Report.quote): here, each a placeholder number.
    quoted = pd.DataFrame(
        index=[
            "compare.delta.own_target.achieved_share",
            "compare.delta.contracts.first_year",
            "series.delta.own_network.points_per_year",
            "series.delta.own_network.start",
            "series.delta.own_network.measured_from",
            "series.delta.own_network.measured_to",
        ]
    )

    def quote(self, key, fmt=None, scale=1.0, **kinds):
        self.evidence_ids.append(key)
        return '<a class="num">1</a>'

    def evidence(self, evidence_id, fmt="{:,.0f}"):
        self.evidence_ids.append(evidence_id)
        return f'<a class="num" title="{evidence_id}">{fmt.format(100_000)}</a>'

    def markup(self, text):
        return text

    def table_ref(self, key):
        return f"T{self.table_numbers[key]}"

    def figure_ref(self, key):
        return f"F{self.figure_numbers.get(key, 9)}"

    def figure(self, key, png, caption, source):
        return f"<figure>{png.name} {caption} {source}</figure>"

    def table(self, key, frame, caption, source, formats=None, data=None, evidence=None, cells=None, words=(), **more):
        return f"<table>{caption} {source} {' '.join(map(str, frame.columns))} {frame.to_string()}</table>"


def model_row(**words) -> pd.DataFrame:
    row = {
        "initiative": "delta",
        "name": "Delta",
        "model": "concession",
        "technology": "FTTH",
        "years": "from 2019",
        "from_year": 2019,
        "to_year": None,
        "premises": 100_000.0,
        "premises_scope": "zone",
        "cost_per_premise": 2_000.0,
        "cost_per_premise_constant": 2_200.0,
        "cost_scope": "zone",
        "public_money": 20e6,
        "public_money_scope": "zone",
        "public_money_per_premise": 200.0,
        "public_money_note": "tout",
        "own_target": "100 000 prises",
        "own_target_id": "delta|plugs to build|2019",
        "own_target_cited_as": "count",
        "target_by": "2022",
        "achieved_by_target_year": 0.5,
        "achieved_as_of": "2022-11",
        "achieved_id": "delta|plugs built|2022-11",
        "public_money_id": "delta|public money|2019",
        "plugs_per_year": 14_000.0,
        "pace_period": "2019-04-24 – 2023-11",
        "owner": "le département",
        "who_pays_the_works": "le concessionnaire",
        "delay_risk": "le concessionnaire",
        "demand_risk": "le concessionnaire",
        "risk_basis": "lecture",
        "evidence_ids": "",
    }
    return pd.DataFrame([row | words], columns=models.MODEL_COLUMNS)


def test_the_models_table_in_french():
    shown = models_section.side_by_side_table(
        model_row(), Labels(LABELS, "fr"), {"delta": "prévu"}, {"delta": "dépensé à ce jour"}
    ).set_index("indicateur")
    assert shown.loc["nature de ce montant", "Delta"] == "dépensé à ce jour"
    assert shown.loc["financement public par prise (€ courants)", "Delta"] == "200"
    assert shown.loc["dernier décompte de même nature l’année de l’échéance", "Delta"] == "50\u00a0%"
    assert shown.loc["locaux auxquels chaque coût est rapporté (prises, pour la fibre)", "Delta"] == Formats(
        "fr"
    ).number(100_000)
    assert shown.loc["modèle", "Delta"] == "concession" and shown.loc["leur périmètre", "Delta"] == "la zone"
    assert shown.loc["années", "Delta"] == "depuis 2019"
    # No pace in plugs per year: the press's counts are of different kinds (the pace is on the State's series).
    assert "sur la période" not in shown.index and "prises rendues raccordables par an, en moyenne" not in shown.index
    english = models_section.side_by_side_table(
        model_row(), Labels(LABELS, "en"), {"delta": "planned"}, {"delta": "planned"}
    ).set_index("indicator")
    assert english.loc["years", "Delta"] == "from 2019" and english.loc["their scope", "Delta"] == "the zone"
    assert "over" not in english.index
    # "Plus de 100 000 prises": the count is at least that, the money and the cost over it at most (models.csv's
    # qualifiers), in the edition's words.
    bounded = model_row().assign(
        premises_qualifier="at_least",
        cost_per_premise_qualifier="upper_bound",
        public_money_per_premise_qualifier="upper_bound",
    )
    hedged = models_section.side_by_side_table(
        bounded, Labels(LABELS, "fr"), {"delta": "prévu"}, {"delta": "prévu"}
    ).set_index("indicateur")
    assert hedged.loc[
        "locaux auxquels chaque coût est rapporté (prises, pour la fibre)", "Delta"
    ] == "au moins " + Formats("fr").number(100_000)
    assert hedged.loc["financement public par prise (€ courants)", "Delta"] == "au plus 200"
    assert hedged.loc[
        "coût du réseau par prise, quels qu’en soient les financeurs (€ courants)", "Delta"
    ] == "au plus " + (Formats("fr").number(2_000))


def test_the_models_section_in_french_has_no_english(tmp_path):
    report = FakeReport("fr", Labels(LABELS, "fr"))
    spent = {"delta": "dépensé à ce jour"}
    text = models_section.report_section(report, model_row(), tmp_path, natures={"delta": "prévu"}, cost_natures=spent)
    assert "models.fr.png" in text  # the French chart
    assert "financement public par prise" in text and "Qui porte le risque de retard" in text
    assert "depuis <a" in text and "points par an du <a" in text  # its years and its pace, between two quarters
    assert "(son contrat de fibre\u00a0: <a" in text  # the contract's date said beside, not as the window's start
    assert "(dépensé à ce jour, euros courants)" in text  # what the cost per plug is
    assert not english_words(re.sub(r"<[^>]+>", " ", text)), english_words(text)
    assert all(not english_words(what) for what in report.whats)
    english = models_section.report_section(
        FakeReport("en", Labels(LABELS, "en")),
        model_row(),
        tmp_path,
        natures={"delta": "planned"},
        cost_natures={"delta": "planned"},
    )
    assert "asked" in english and "of public money per plug" in english and "models.png" in english
    assert "central reading" not in english  # no other reading named: the cost is said alone
    # A network whose cost the sources leave open to other readings says its cost is the study's central one.
    read = models_section.report_section(
        FakeReport("en", Labels(LABELS, "en")),
        model_row(),
        tmp_path,
        natures={"delta": "planned"},
        cost_natures={"delta": "planned"},
        other_readings=({"delta"}, "Table 15"),
    )
    assert "whoever pays it, by the study's central reading (Table 15 gives the others)." in read
    without = models_section.report_section(
        FakeReport("fr", Labels(LABELS, "fr")),
        model_row(public_money_per_premise=float("nan")),
        tmp_path,
        natures={"delta": "prévu"},
        cost_natures=spent,
    )
    # Public money no count of plugs shares (it also paid for copper and WiFi): said, never divided per plug.
    assert "disposait de <a" in without and "aucune source ne donne donc son financement public par prise" in without
    unknown = models_section.report_section(
        FakeReport("fr", Labels(LABELS, "fr")),
        model_row(public_money_per_premise=float("nan"), public_money_id=""),
        tmp_path,
        natures={"delta": "prévu"},
        cost_natures=spent,
    )
    assert "aucune source ne donne le financement public" in unknown
    with pytest.raises(ValueError, match="labels"):
        models_section.report_section(FakeReport("fr"), model_row(), tmp_path)


def test_a_share_of_the_territory_is_never_said_as_a_share_of_the_target(tmp_path):
    # 50 % of inhabitants eligible against an aim of 67 % is three quarters of the aim, not half: a target cited as a
    # share is said with the share counted, beside it; a count of the target's own plugs is a share of the target.
    shared = models_section.report_section(
        FakeReport("en", Labels(LABELS, "en")),
        model_row(own_target_cited_as="share"),
        tmp_path,
        natures={"delta": "planned"},
        cost_natures={"delta": "planned"},
    )
    assert "the latest count of its kind in that year gave <a" in shared and "of it (as of" not in shared
    counted = models_section.report_section(
        FakeReport("en", Labels(LABELS, "en")),
        model_row(),
        tmp_path,
        natures={"delta": "planned"},
        cost_natures={"delta": "planned"},
    )
    assert "the latest count of its kind in that year had reached <a" in counted and "</a> of it (as of" in counted
    # A network counted in premises covered (households and businesses of a DSL network) has no plugs.
    covered = models_section.report_section(
        FakeReport("fr", Labels(LABELS, "fr")),
        model_row(premises_unit="premises", public_money_per_premise=float("nan"), public_money_id=""),
        tmp_path,
        natures={"delta": "prévu"},
        cost_natures={"delta": "prévu"},
    )
    assert 'l’investissement dans le réseau représente <a class="num">1</a> par local desservi' in covered
    assert "aucune source ne donne le financement public par local" in covered


def ledger_report(lang: str):
    """A real provenance ledger over one article figure (a share target) and one reference row (a plug count)."""
    from divide_study.report.ledger import Report

    figures = pd.DataFrame(
        [("d_target", "001", "delta", "share_eligible", 2 / 3, "share", "2020", "deux sur trois", 5, 19)],
        columns=["figure_id", "article", "initiative", "metric", "value", "unit", "as_of", "span", "start", "end"],
    )
    sources = pd.DataFrame(
        [("001", "d.txt", "News", "", "2019-03-15", "2019-03-15", "2019-03-15")],
        columns=["article", "source", "title", "outlet", "published", "published_earliest", "published_latest"],
    )
    external = pd.DataFrame(
        [
            ("delta", "plugs to build", 138_000, "plugs", "2019", "https://delta.fr/p", "138 000 prises", ""),
            ("delta", "households to reach", 21_000, "households", "2020", "https://delta.fr/h", "21 000 foyers", ""),
        ],
        columns=["topic", "figure", "value", "unit", "as_of", "source", "quote", "note"],
    )
    evidence = pd.DataFrame(
        [
            ("d_target", "share", "target", "independent_press"),
            ("delta|plugs to build|2019", "plugs", "exact", "official"),
            ("delta|households to reach|2020", "households", "approx", "official"),
        ],
        columns=["evidence_id", "unit", "qualifier", "source_class"],
    )
    from divide_study.language.datatext import DataText

    report = Report(figures, sources, external, [], [], evidence=evidence, lang=lang)
    # The reference row's name in the edition's words (words.csv, the data's own words).
    report.words = DataText(
        lang, pd.DataFrame({"en": ["plugs to build", "households to reach"], "fr": ["prises à construire", "foyers"]})
    )
    report.labels = Labels(
        pd.DataFrame(
            [
                ("unit", "plugs", "plugs", "prises"),
                ("unit", "households", "households", "foyers"),
                ("qualifier", "approx", "about", "environ"),
                ("source_class", "official", "official", "officielle"),
                ("source_class", "independent_press", "independent press", "presse indépendante"),
            ],
            columns=["kind", "key", "en", "fr"],
        ),
        lang,
    )
    return report


def visible_text(html_text: str) -> str:
    return re.sub(r"<[^>]+>", "", html_text)


def test_the_models_years_and_targets_are_links_to_their_entries():
    from divide_study.analysis import quoted, quoting

    english, french = ledger_report("en"), ledger_report("fr")
    contracts = pd.DataFrame(
        {
            "initiative": ["other", "delta", "delta"],
            "phase": ["x", "creation", "concession"],
            "from_year": [2000, 2019, 2020],
            "to_year": [None, None, 2044],
        }
    )
    q = quoted.Quotes("compare")
    quoting.contract_quotes(q, contracts, ["delta"])
    from divide_study.language.datatext import DataText

    words = {
        "start year of a contract": "année de début d’un contrat",
        "end year of a contract": "année de fin d’un contrat",
        "first year of its contracts": "première année de ses contrats",
        "last year of its contracts": "dernière année de ses contrats",
        "plugs to build": "prises à construire",
        "households to reach": "foyers",
    }
    french.words = DataText("fr", pd.DataFrame({"en": list(words), "fr": list(words.values())}))
    for report in (english, french):
        report.quoted = quoted.combine([q.frame()])
        report.names = {"delta": "Delta"}
    en_ = Translator("en", "analysis")
    fr_ = Translator("fr", "analysis")
    row = {"initiative": "delta", "name": "Delta"}
    years = models_section.years_prose(english, row, en_)
    assert visible_text(years) == "2019–2044" and years.count('class="num"') == 2
    french.quoted = french.quoted.drop(index="compare.delta.contracts.last_year")
    assert visible_text(models_section.years_prose(french, row, fr_)) == "depuis 2019"
    assert models_section.years_prose(english, {"initiative": "other", "name": "O"}, en_) == ""  # not asked for
    entries = english.provenance()
    first = entries[entries["what"].str.startswith("first year of its contracts")].iloc[0]
    assert first["number"] == "2019"
    # Computed from each contract's start year, each linked to its row and column of the cited contracts table.
    assert "lowest of its inputs" in first["words"] and first["words"].count('class="num"') == 2
    read = entries[entries["what"].str.startswith("start year of a contract")]
    assert set(read["words"]) == {"row 2 (line 3), column “from_year”", "row 3 (line 4), column “from_year”"}
    assert set(read["source"]) == {"reference data: data/raw/reference/contracts.csv"}
    share = {"own_target_id": "d_target", "own_target_cited_as": "share"}
    count = {"own_target_id": "delta|plugs to build|2019", "own_target_cited_as": "count"}
    assert visible_text(models_section.own_target_prose(english, share, en_)) == "67% eligible"
    # A share of inhabitants ("deux Gersois sur trois") is said as one, never as a share of premises: by what
    # models.csv says it counts (progress.csv's share_of), not by the figure's metric read again.
    inhabitants = {**share, "own_target_share_of": "inhabitants"}
    assert visible_text(models_section.own_target_prose(english, inhabitants, en_)) == "67% of inhabitants eligible"
    assert (
        visible_text(models_section.own_target_prose(french, inhabitants, fr_))
        == "67\u00a0% des habitants raccordables"
    )
    english.figures.loc["d_target", "metric"] = "share_inhabitants_eligible"  # a metric alone claims no base
    assert visible_text(models_section.own_target_prose(english, share, en_)) == "67% eligible"
    english.figures.loc["d_target", "metric"] = "share_eligible"
    assert visible_text(models_section.own_target_prose(english, count, en_)) == "138,000 plugs"
    assert visible_text(models_section.own_target_prose(french, count, fr_)) == "138\u202f000 prises"
    # A target the source counts in households, "about" so, is said so — never as plugs.
    about = {"own_target_id": "delta|households to reach|2020", "own_target_cited_as": "count"}
    assert visible_text(models_section.own_target_prose(english, about, en_)) == "about 21,000 households"
    assert visible_text(models_section.own_target_prose(french, about, fr_)) == "environ 21\u202f000 foyers"
    english.labels = Labels(
        pd.DataFrame([("unit", "plugs", "plugs", "prises")], columns=["kind", "key", "en", "fr"]), "en"
    )
    with pytest.raises(StudyError, match=r"counted in 'households', which has no label"):
        models_section.own_target_prose(english, about, en_)
    english.labels = ledger_report("en").labels
    assert "“deux sur trois” (characters 5–19)" in english.provenance()["words"].tolist()  # the target's words


def panel_quotes(folder) -> None:
    """A tiny quoted_panel.csv in ``folder``: a sum over ARCEP's commune rows (joined to communes.csv), a sum of
    dwellings, their share, its rank, a count of rows and a quarter read from a column's heading."""
    from divide_study.analysis.quoted import Quotes

    q = Quotes("panel")
    joined = "communes.csv[Code commune]:"
    plugs = q.summed(
        "d32.plugs",
        1731,
        table=panel.FTTH,
        where={"Champ": "Locaux Raccordables", f"{joined}Code département": "32", f"{joined}Zones très denses": "-"},
        column="T1 2018",
        unit="plugs",
        what="plugs in Gers's public-initiative zone, Q1 2018",
    )
    homes = q.summed(
        "d32.homes",
        89793,
        table=panel.COMMUNES,
        where={"Code département": "32"},
        column="Logements",
        unit="dwellings",
        what="dwellings in Gers's public-initiative zone",
    )
    share = q.computed(
        "d32.share",
        1731 / 89793,
        inputs=[plugs, homes],
        operation="divide",
        unit="share",
        what="public-zone plugs of Gers as a share of its dwellings, Q1 2018",
    )
    q.computed(
        "d32.rank", 1, inputs=[share], operation="rank", unit="rank", what="rank of Gers by public-zone share, Q1 2018"
    )
    q.counted(
        "metro",
        96,
        table=panel.DEPARTEMENTS,
        where={"Code département!": "97*"},
        unit="count",
        what="metropolitan départements in ARCEP's data",
    )
    q.read(
        "quarter",
        "2018-03-31",
        table=panel.FTTH,
        row={"line": 5},
        column="T1 2018",
        unit="date",
        nature="stated",
        what="last quarter of ARCEP's data",
    )
    q.frame().to_csv(folder / "quoted_panel.csv", index=False)


PANEL_WORDS = pd.DataFrame(
    {
        "en": [
            "plugs in {department}'s public-initiative zone, {quarter}",
            "dwellings in {department}'s public-initiative zone",
            "public-zone plugs of {department} as a share of its dwellings, {quarter}",
            "rank of {department} by public-zone share, {quarter}",
            "metropolitan départements in ARCEP's data",
            "last quarter of ARCEP's data",
            "Q1 2018",
        ],
        "fr": [
            "prises de la zone d'initiative publique, {department}, {quarter}",
            "logements de la zone d'initiative publique, {department}",
            "part des logements raccordables en zone publique, {department}, {quarter}",
            "rang selon la part raccordable en zone publique, {department}, {quarter}",
            "départements métropolitains dans les données de l’ARCEP",
            "dernier trimestre des données de l’ARCEP",
            "T1 2018",
        ],
    }
)


def test_a_sum_over_arceps_rows_a_rank_and_a_quarter_are_entries_of_arceps_files(tmp_path):
    from divide_study.analysis.quoted import load
    from divide_study.language.datatext import DataText

    panel_quotes(tmp_path)
    entries = {}
    for lang in ("en", "fr"):
        report = ledger_report(lang)
        report.quoted, report.words = load(tmp_path), DataText(lang, PANEL_WORDS)
        assert visible_text(report.quote("panel.d32.rank", "{:.0f}", input_formats={"share": "{:.1%}"})) == "1"
        quarter = report.quote("panel.quarter", shown=panel.quarter_label("T1 2018", lang))
        assert visible_text(quarter) == {"en": "Q1 2018", "fr": "T1 2018"}[lang]
        report.quote("panel.metro")
        entries[lang] = report.provenance().set_index("what")
    english = entries["en"]
    plugs = english.loc["plugs in Gers's public-initiative zone, Q1 2018"]
    assert plugs["number"] == "1,731" and plugs["source"] == "reference data: data/raw/arcep_2018/ftthCommunes.csv"
    assert plugs["words"] == (
        "the sum of column “T1 2018” over its rows where “Champ” is “Locaux Raccordables”; in the row of "
        "communes.csv with the same “Code commune”, “Code département” is “32” and “Zones très denses” holds "
        "nothing (“-”, empty or 0)"
    )
    # The share the rank is computed from is written as the section writes it, and links its two sums.
    share = english.loc["public-zone plugs of Gers as a share of its dwellings, Q1 2018"]
    assert share["number"] == "1.9%" and share["words"].count('class="num"') == 2
    assert (
        "place of the first input among all its inputs"
        in english.loc["rank of Gers by public-zone share, Q1 2018", "words"]
    )
    metro = english.loc["metropolitan départements in ARCEP's data"]
    assert metro["words"] == "the number of its rows where “Code département” does not start with “97”"
    assert english.loc["last quarter of ARCEP's data", "words"] == "heading of column “T1 2018” (line 5)"
    french = entries["fr"]
    assert "la somme de la colonne «\u00a0T1 2018\u00a0»" in " ".join(french["words"])
    assert "ne commence pas par" in french.loc["départements métropolitains dans les données de l’ARCEP", "words"]
    for column in ("what", "source", "words"):
        text = " ".join(visible_text(t) for t in french.reset_index()[column].tolist() if isinstance(t, str))
        text = re.sub(r"“[^”]*”|«[^»]*»|data/\S+|\S+\.csv", "", text)  # ARCEP's own column names, files
        assert not english_words(text), (column, english_words(text))
    note = panel.limit_note("fr", "<a>mars 2018</a>")
    assert "mars 2018" in visible_text(note)
    assert panel.limit_note("en") == panel.limit_note("en", "March 2018")  # plain text by default
    assert not re.search(r"\d", panel.zone_note("en") + panel.zone_note("fr"))  # the law said in words


def section_entries(text: str) -> tuple[str, dict[int, list[str]]]:
    """The HTML of the section "Every département as context" of a built edition, and the appendix's entries."""
    anchor = text.index("figures/national_panel.csv")
    section = text[text.rfind("<h2", 0, anchor) : text.find("<h2", anchor)]
    # As the main table's rows list them: entry, number, what, source, class, words (a group's cells too).
    entries = {n: ["", e["number"], e["what"], e["source"], "", e["words"]] for n, e in appendix_entries(text).items()}
    return section, entries


PRIMARY_ENTRY = re.compile(r"data/raw/arcep_2018/|data/raw/press_claims\.csv|params/default\.yaml|article \w+\s?:")


def walk_entry(n: int, entries: dict[int, list[str]], seen: set[int], path: str = "") -> list[str]:
    """The entries below entry ``n`` (its inputs, in turn) that stop at a processed table or at no primary source."""
    if n in seen:
        return []
    seen.add(n)
    cells = entries[n]
    plain = re.sub(r"<[^>]+>", "", cells[3] + " " + cells[5])
    links = [int(k) for k in re.findall(r'href="#number-(\d+)"', cells[5])]
    if "data/processed/" in plain:
        return [f"{path} → {n}: {plain[:120]}"]
    if links:
        return [failure for k in links for failure in walk_entry(k, entries, seen, f"{path} → {n}")]
    return [] if PRIMARY_ENTRY.search(plain) else [f"{path} → {n}: no primary source ({plain[:120]})"]


def test_every_entry_of_the_panel_section_walks_down_to_a_primary_source():
    """In both built editions, every number of the section links an entry that names ARCEP's raw files, the
    claims' file, an article, or the study's parameter; or that is computed from entries which do, in turn. None
    stops at a processed table. The French section is French (the claims' speakers: the data's words)."""
    editions = [config.REPORT_DIR / name for name in ("report.html", "rapport.html")]
    if not all(e.is_file() for e in editions):
        pytest.skip("the report has not been built in this checkout (uv run study build)")
    for edition in editions:
        section, entries = section_entries(edition.read_text(encoding="utf-8"))
        numbers = [int(k) for k in re.findall(r'class="num" href="#number-(\d+)"', section)]
        assert len(numbers) > 30, edition.name
        seen: set[int] = set()
        failures = [failure for n in numbers for failure in walk_entry(n, entries, seen, edition.name)]
        assert failures == [], "\n".join(failures)
        visible = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))
        if edition.name == "rapport.html":
            assert (
                re.search(r"36\s*\u1d49 sur les 91 départements dotés d’une telle zone", visible)
                and "cohérent avec les données de 2018" in visible
            )
            claims = pd.read_csv(config.PROCESSED_DIR / "press_claims.csv")
            for speaker in list(claims["span"]) + list(claims["speaker"]):
                visible = visible.replace(speaker, "")
            assert not english_words(visible), english_words(visible)
        else:
            assert (
                re.search(r"36\s*th of the 91 départements with such a zone", visible)
                and "consistent with the 2018 data" in visible
            )


def test_the_codes_the_analyses_write_have_labels_in_both_languages():
    """Strength of evidence and agreement are codes of the code (evidence.LEVELS, AGREEMENTS), not of the data:
    their labels are checked here, against data/raw/labels.csv."""
    from divide_study.data.tables import read_table

    labels = read_table(config.RAW_DIR / "labels.csv")
    for lang in ("en", "fr"):
        shown = Labels(labels, lang)
        assert [shown("strength", s) for s in dict.fromkeys(evidence.LEVELS.values())]
        assert [shown("agreement", a) for a in evidence.AGREEMENTS]
        for column in ("initiative", "metric", "scope", "option", "assumption", "cost_scope", "premises_scope"):
            assert shown.get("column", column), column
    assert Labels(labels, "fr")("strength", "strong") == "élevé"


def test_sensitivity_bounds_and_benchmarks_in_words():
    labels = pd.concat(
        [
            LABELS,
            pd.DataFrame(
                [
                    ("quantity", "cost+premises", "cost and premises", "coût et locaux"),
                    ("quantity", "base_year", "base year", "année de base"),
                ],
                columns=["kind", "key", "en", "fr"],
            ),
        ]
    )
    initiatives = pd.DataFrame({"initiative": ["alpha"], "short_name": ["Alpha"]})
    french, english = Labels(labels, "fr"), Labels(labels, "en")
    bound = "alpha.cost+premises = spent / plugs"
    assert (
        tables.bound_label(bound, initiatives, french)
        == "«\u00a0dépensé rapporté à toutes les prises\u00a0» (Alpha\u00a0: coût et locaux)"
    )
    assert tables.bound_label(bound, initiatives, english) == "spent over all plugs (Alpha: cost and premises)"
    # In French the setting is set in guillemets: its own parentheses ("(hypothèse)") never nest in the choice's.
    assert tables.bound_label("base_year = 2003", initiatives, french) == "«\u00a02003\u00a0» (année de base)"
    with pytest.raises(ValueError, match="choice = setting"):
        tables.bound_label("alpha.cost+premises", initiatives, french)
    # In a sentence a choice is its words and whose, never the table's "Alpha : coût et locaux" (a variable's name).
    assert tables.choice_words("alpha.cost+premises", initiatives, french) == "coût et locaux (Alpha)"
    assert tables.choice_words("base_year", initiatives, english) == "base year"
    bench = pd.DataFrame(
        {
            "what": ["Alpha: cost per premise (cost=spent + premises=plugs)", "State subsidy cap per plug"],
            "eur_per_plug": [2870.0, 433.0],
            "kind": ["the study's computation", "national benchmark"],
            "source": ["data/processed/comparison.csv", "https://example.org/cap"],
        }
    )
    shown = tables.benchmarks(bench, "alpha", french)
    # The study's row names no file: its source in words (issue 22); a benchmark keeps its own address.
    assert list(shown["source"]) == ["calcul de l’étude à partir des chiffres des articles", "https://example.org/cap"]
    assert list(shown["what"]) == [
        "Alpha\u00a0: coût par local (dépensé\u00a0; toutes les prises)",
        "State subsidy cap per plug",  # the reference data's own words (the data catalog translates them)
    ]
    assert list(shown["kind"]) == ["calcul de l’étude", "référence nationale"]
    assert tables.benchmarks(bench, "alpha", english)["what"].iloc[0] == "Alpha: cost per premise (spent; all plugs)"
    # A benchmark's kind that is what its source is (a parliamentary record) is data words, in the edition's words.
    remark = bench.assign(kind=["the study's computation", "parliamentary record"])
    with pytest.raises(ValueError, match="parliamentary record"):
        tables.benchmarks(remark, "alpha", french)
    said = {"parliamentary record": "compte rendu des débats", "State subsidy cap per plug": "plafond"}
    shown = tables.benchmarks(remark, "alpha", french, lambda text, _file, _column: said[text])
    assert list(shown["kind"]) == ["calcul de l’étude", "compte rendu des débats"]


def test_a_table_cell_links_the_entry_of_the_number_it_names():
    from divide_study.analysis import quoted, quoting

    report = ledger_report("en")
    report.table_numbers = {"findings": 1}
    q = quoted.Quotes("compare")
    contracts = pd.DataFrame({"initiative": ["delta"], "phase": ["x"], "from_year": [2019], "to_year": [2044]})
    quoting.contract_quotes(q, contracts, ["delta"])
    report.quoted = quoted.combine([q.frame()])
    frame = pd.DataFrame({"what": ["phase 2 (from 2019)"], "share": [2 / 3], "years": ["2019–2044"], "plain": [7]})
    cells = pd.DataFrame(
        {
            "share": ["d_target"],  # an article's figure: its own entry
            "years": ["compare.delta.contract_1.from_year;compare.delta.contract_1.to_year"],  # two numbers
        }
    )
    html_table = report.table("findings", frame, "c", "s", {"share": "{:.0%}"}, cells=cells, words=("what",))
    entries = report.provenance()
    # The share links the article figure's entry (its words and offsets), not a row of the table.
    share = entries[entries["number"] == "67%"].iloc[0]
    assert "deux sur trois" in share["words"] and f'href="#number-{share.name + 1}"' in html_table
    # A cell showing two numbers has an entry linking each; a word cell holding digits names the row's numbers.
    span = entries[entries["number"] == "2019–2044"].iloc[0]
    assert span["words"].count('class="num"') == 2
    worded = entries[entries["number"] == "phase 2 (from 2019)"].iloc[0]
    assert "the numbers they name" in worded["words"] and worded["words"].count('class="num"') == 2
    # A cell no key names still links its row's entry (the legacy shape the appendix test catches).
    assert entries["what"].str.contains("column “plain”").any()
    with pytest.raises(StudyError, match="names a key no step publishes"):
        report.table("findings", frame, "c", "s", cells=pd.DataFrame({"share": ["compare.nobody.cost"]}))
    with pytest.raises(StudyError, match="columns it does not have"):
        report.table("findings", frame, "c", "s", words=("nowhere",))


def test_money_spread_beyond_the_price_index_says_at_whose_prices():
    # The CPI ends in 2025: a period to 2026 takes 2026's euros at 2025's prices, and the caption says so.
    from types import SimpleNamespace

    from divide_study.i18n import Translator
    from divide_study.report import sections

    edition = SimpleNamespace(
        study=SimpleNamespace(cpi=pd.DataFrame({"year": [2024, 2025]})), _=Translator("fr", "report")
    )
    late = pd.DataFrame({"spending_years": ["2014–2026", "", None]})
    assert sections.beyond_the_index(edition, late) == (
        " Les euros des années postérieures à la dernière année de l’indice sont pris aux prix de celle-ci."
    )
    assert sections.beyond_the_index(edition, pd.DataFrame({"spending_years": ["2019–2022", "2003"]})) == ""


def test_a_notes_cited_site_is_named_where_the_note_gives_one():
    from divide_study.report.sections import note_site

    external = pd.DataFrame(
        {
            "topic": ["tarn", "tarn"],
            "figure": ["plan", "other"],
            "as_of": ["2019", "2019"],
            "note": ["the plan had become 171 M EUR (entretarnetdadou.fr/c-ramond-un-carton)", "no site here (2021)"],
        }
    )
    assert note_site(external, "tarn|plan|2019") == "entretarnetdadou.fr"
    assert note_site(external, "tarn|other|2019") == ""  # "(2021)" is no site
    assert note_site(external, "tarn|missing|2019") == ""


def test_fibre_is_said_cheaper_per_mbit_only_where_every_speed_assumed_says_so():
    from types import SimpleNamespace

    from divide_study.report import sections

    def edition(low: float, high: float) -> SimpleNamespace:
        key = "sensitivity.ratio_cost_per_mbit.gers_speed"
        quoted = pd.DataFrame({"value": [low, high]}, index=[f"{key}.low", f"{key}.high"])
        pairs = {"ratio_cost_per_mbit": ("cost_per_premise_per_mbit", "castres", "gers")}
        return SimpleNamespace(
            GERS="gers", r=SimpleNamespace(quoted=quoted), study=SimpleNamespace(headline_pairs=lambda: pairs)
        )

    sections.fibre_cheaper_per_mbit(edition(2.8, 28.2))  # DSL dearer per Mbit/s at every speed: said
    with pytest.raises(StudyError, match=r"quoted_sensitivity\.csv.*gers_speed\.low.*not the cheaper"):
        sections.fibre_cheaper_per_mbit(edition(0.7, 28.2))


def test_who_gives_a_figure_is_named_by_its_site_or_outlet():
    from divide_study.data.reference import site_name

    assert site_name("https://www.hit-radio.fr/news/le-gers") == "hit-radio.fr"
    assert site_name("http://ladepeche.fr/2023/07/x.php") == "ladepeche.fr"
    assert site_name("INSEE, recensement 2015") == "INSEE"  # not a page: its first word, as the charts name it


def test_the_launch_year_is_set_beside_the_contracts_tables_creation_only_where_they_differ():
    from types import SimpleNamespace

    from divide_study.report import sections

    def edition(launched: float, created: float, lang: str = "en") -> SimpleNamespace:
        key = "compare.gers.contracts.first_year"
        report = SimpleNamespace(
            figures=pd.DataFrame({"value": [launched]}, index=["launch"]),
            quoted=pd.DataFrame({"value": [created]}, index=[key]),
            quote=lambda quoted_key, fmt, unit: f"<a>{fmt.format(created)}</a>" if quoted_key == key else "?",
        )
        return SimpleNamespace(GERS="gers", r=report, _=Translator(lang, "report"))

    assert sections.launch_and_creation(edition(2014, 2014), "launch") == ""
    said = sections.launch_and_creation(edition(2014, 2013), "launch")
    assert said == " (its article's words; the cited contracts table dates the syndicate's creation <a>2013</a>)"
    assert "date la création du syndicat de <a>2013</a>" in sections.launch_and_creation(
        edition(2014, 2013, "fr"), "launch"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_networks_no_source_gives_a_take_up_for_are_named(lang):
    from types import SimpleNamespace

    from divide_study.report import sections

    study = SimpleNamespace(networks=lambda: ["a", "b", "c"])
    e = SimpleNamespace(
        study=study,
        names={"a": "Alpha", "b": "B<e>ta", "c": "Gamma"},
        _=Translator(lang, "report"),
        F=Formats(lang),
    )
    told = pd.DataFrame({"where": ["a", "a", "France"]})
    said = sections.take_up_untold(e, told)
    expected = {
        "en": " No cited source gives a take-up for: B&#60;e&#62;ta and Gamma.",
        "fr": " Aucune source citée ne donne de taux d’abonnement pour les autres réseaux\u00a0: "
        "B&#60;e&#62;ta et Gamma.",
    }
    assert said == expected[lang]
    assert sections.take_up_untold(e, pd.DataFrame({"where": ["a", "b", "c"]})) == ""  # all told: nothing said
