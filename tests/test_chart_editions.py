"""Every chart in both editions: French words and numbers in the French one, linear axes, both files written."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from divide_study.analysis import plots
from divide_study.analysis.chart_files import PRINT_HEIGHT_MM, PRINT_WIDTH_MM, print_scale
from divide_study.errors import StudyError
from divide_study.language.labels import Labels

NBSP, NNBSP = "\u00a0", "\u202f"
NAN = float("nan")

INITIATIVES = pd.DataFrame(
    {
        "initiative": ["gers_numerique", "castres_mazamet"],
        "short_name": ["Gers Numérique", "Castres-Mazamet"],
        "colour": ["#0072B2", "#E69F00"],
    }
)
LABELS = pd.DataFrame(
    [
        ("scope", "phase_1", "phase 1", "phase 1"),
        ("scope", "whole_network", "whole network", "réseau entier"),
        ("scope", "not used", "not used", "non retenu"),
        ("model", "public_network", "public network", "réseau public"),
        ("model", "mixed_economy_company", "mixed-economy company", "société d'économie mixte"),
        ("unit", "families", "families", "familles"),
        ("unit", "people", "people", "personnes"),
        ("quantity", "speed", "speed", "débit"),
        ("quantity", "base_year", "base year of the constant euros", "année de base des euros constants"),
        ("quantity", "cost+premises", "cost and premises", "coût et locaux"),
        ("option", "gers_numerique.ftth_100", "100 Mbit/s (assumed)", "100 Mbit/s (hypothèse)"),
        ("option", "gers_numerique.ftth_1000", "1 Gbit/s (assumed)", "1 Gbit/s (hypothèse)"),
        ("option", "castres_mazamet.metro_fibre", "metropolitan fibre", "fibre métropolitaine"),
        ("option", "castres_mazamet.investment", "investment of 2003", "investissement de 2003"),
        ("option", "castres_mazamet.households", "households only", "foyers seuls"),
        ("funder", "departement", "the Département", "le Département"),
        ("funder", "intercommunalities", "the intercommunalities", "les intercommunalités"),
    ],
    columns=["kind", "key", "en", "fr"],
)
# Words of the English charts that are no French word: none may reach a French chart.
ENGLISH = {
    *("the", "of", "per", "cost", "costs", "share", "year", "years", "achieved", "own", "target", "money", "plug"),
    *("plugs", "spent", "scope", "reads", "not", "cited", "count", "unit", "people", "families", "family"),
    *("equivalent", "case", "region", "dwellings", "able", "connect", "other", "studied", "territories"),
    *("assumption", "assumed", "and", "by", "in", "its", "to", "each", "whole", "network", "all", "shown", "leave"),
    *("unchanged", "speed"),
}
# Proper names, file names and symbols every edition shows as they are.
PROPER = {"gers", "numérique", "castres", "mazamet", "occitanie", "csv", "data", "processed", "mbit", "ftth", "arcep"}


def comparison() -> pd.DataFrame:
    rows = []
    for initiative, cost, speed, years, inputs in (
        ("gers_numerique", 2870.0, 1000.0, "2013–2023", "spending, 2023-07 (https://www.ladepeche.fr/a)"),
        ("castres_mazamet", 131.6, 2.0, "2003", "article 004 (castres_investment) | assumption"),
    ):
        base = {"initiative": initiative, "spending_years": years, "base_year": 2025, "option": "o", "scope": "s"}
        base |= {"unit": "u", "note": "", "inputs": inputs}
        rows.append(base | {"metric": "cost_per_premise", "value_nominal": cost, "value_constant": cost * 1.16})
        rows.append(base | {"metric": "speed", "value_nominal": speed, "value_constant": NAN})
        mbit = cost / speed
        rows.append(base | {"metric": "cost_per_premise_per_mbit", "value_nominal": mbit, "value_constant": mbit})
    return pd.DataFrame(rows)


def timelines() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "initiative": ["gers_numerique"] * 3,
            "year": [2018, 2020, 2020],
            "share": [0.2, 0.5, 0.67],
            "kind": ["achieved", "achieved", "target"],
        }
    )


def events(lang: str) -> pd.DataFrame:
    words = {"en": ["launch", "network completed"], "fr": ["lancement", "réseau achevé"]}[lang]
    return pd.DataFrame(
        {"initiative": ["gers_numerique"] * 2, "date": ["2013", "2026-01-28"], "year": [2013, 2026], "event": words}
    )


def costs(lang: str) -> pd.DataFrame:
    words = {"en": ["budget", "spending"], "fr": ["budget", "dépenses"]}[lang]
    return pd.DataFrame(
        {
            "amount_eur": [100e6, 287e6],
            "as_of": ["2014", "2023-07"],
            "what": words,
            "qualifier": ["exact", "approx"],
            "scope": ["phase_1", "whole_network"],
        }
    )


def models() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "initiative": ["gers_numerique", "castres_mazamet"],
            "name": ["Gers Numérique", "Castres-Mazamet"],
            "model": ["public_network", "mixed_economy_company"],
            "cost_per_premise": [2870.0, 131.6],
            "public_money_per_premise": [1000.0, NAN],
        }
    )


# What each network's cost is, in each edition's words (the notebook reads them from the amounts' natures).
COST_NATURES = {
    "en": {"gers_numerique": "spent to date", "castres_mazamet": "planned"},
    "fr": {"gers_numerique": "dépensé au dernier décompte", "castres_mazamet": "prévu"},
}


def outcomes(lang: str) -> pd.DataFrame:
    words = {"en": ["families settled", "people settled"], "fr": ["familles installées", "personnes installées"]}
    return pd.DataFrame(
        {
            "as_of": ["2010", "2014"],
            "count": [250.0, 489.0],
            "unit": ["families", "people"],
            "what": words[lang],
            "people_equivalent": [550.0, 489.0],
        }
    )


MOVING = ["castres_mazamet.speed", "gers_numerique.speed", "castres_mazamet.cost+premises"]


def tornado() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "assumption": [*MOVING, "base_year"],
            "low": [0.6, 2.9, 28.2, 28.2],
            "low_setting": ["metro_fibre", "ftth_100", "investment / households", 2003],
            "central": [28.2] * 4,
            "high": [28.2, 28.2, 31.0, 28.2],
            "high_setting": ["dsl_offer", "ftth_1000", "investment / households", 2025],
        }
    )
    frame["swing"] = frame["high"] - frame["low"]
    return frame


def panel_dots() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "department": ["01", "32", "31"],
            "department_name": ["Ain", "Gers", "Haute-Garonne"],
            "region_name": ["Auvergne-Rhône-Alpes", "Occitanie", "Occitanie"],
            "rural_dwelling_share": [0.44, 0.64, 0.2],
            "public_share": [0.32, 0.019, 0.05],
            "group": ["other", "studied", "same region"],
        }
    )


def fibre_lines() -> pd.DataFrame:
    """Two départements and the median over three quarters, the Gers studied."""
    quarters = [("2017-Q4", "2017-12-31"), ("2020-Q4", "2020-12-31"), ("2024-Q2", "2024-06-30")]
    rows = []
    for code, name, role, shares in (
        ("32", "Gers", "studied", [0.06, 0.4, 0.8]),
        ("01", "Ain", "other", [0.2, 0.5, 0.9]),
        ("metro_median", "metropolitan median", "median", [0.13, 0.45, 0.85]),
    ):
        for (quarter, end), share in zip(quarters, shares, strict=True):
            rows.append({"department": code, "department_name": name, "quarter": quarter, "quarter_end": end,
                         "share": share, "role": role})  # fmt: skip
    return pd.DataFrame(rows)


def fibre_endpoint() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "department": ["32", "metro_median"],
            "department_name": ["Gers", "metropolitan median"],
            "as_of": ["2026-06-30", "2026-06-30"],
            "ftth_share": [0.949, 0.96],
            "role": ["studied", "median"],
        }
    )


PLACEMENT = pd.DataFrame(
    [{"department_name": "Gers", "public_share": 0.0193, "rank_in_region": 1, "rank_public_share": 36,
      "departments_ranked": 91}]
)  # fmt: skip


def every_chart(lang: str) -> dict[str, plots.ChartResult]:
    """Each of the study's charts drawn on tiny tables in one edition (data words already in its language)."""
    _ = plots.translator(lang)
    title = _("year")  # any translated words: the titles' own messages are the notebooks'
    return {
        "per_unit": plots.per_unit_chart(
            comparison(), "cost_per_premise", title, _("euros per premise"), "s", lang, natures=COST_NATURES[lang]
        ),
        "per_mbit": plots.cost_per_mbit_chart(comparison(), title, "s", lang),
        "eligibility": plots.eligibility_chart(timelines(), title, "s", lang),
        "milestones": plots.milestones_chart(events(lang), title, "s", lang),
        "cost_scopes": plots.cost_scopes_chart(costs(lang), title, "s", lang),
        "models": plots.models_chart(models(), title, "s", lang, natures=COST_NATURES[lang]),
        "newcomers": plots.newcomers_chart(outcomes(lang), 2.2, title, "s", lang),
        "tornado": plots.tornado_chart(tornado(), title, _("euros per premise"), "s", lang),
        "panel": plots.national_panel_chart(
            panel_dots(), plots.national_panel_title(PLACEMENT, "T1 2018", lang), "T1 2018", lang
        ),
        "fibre_series": plots.fibre_series_chart(fibre_lines(), fibre_endpoint(), {"32": "gers_numerique"}, lang),
    }


@pytest.fixture
def charts_style():
    plots.use_style(INITIATIVES, LABELS)
    yield
    plots.LABELS.clear()
    plt.close("all")


def chart_text(chart: plots.ChartResult, lang: str) -> str:
    """Every text artist of the figure once drawn (titles, ticks, legends, labels, source line)."""
    fig, _, source = chart
    plots.add_source_line(fig, source, lang)
    fig.canvas.draw()
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible())


CHARTS = [
    *("per_unit", "per_mbit", "eligibility", "milestones", "cost_scopes", "models", "newcomers", "tornado", "panel"),
    "fibre_series",
]


@pytest.mark.parametrize("name", CHARTS)
def test_a_french_chart_has_no_english_word(charts_style, name):
    english = chart_text(every_chart("en")[name], "en")
    french = chart_text(every_chart("fr")[name], "fr")
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", french)} - PROPER
    assert not words & ENGLISH, (name, sorted(words & ENGLISH), french)
    # The English chart does show English words: the list above is of words the charts use.
    assert {w.lower() for w in re.findall(r"[^\W\d_]+", english)} & ENGLISH, name


def test_french_charts_write_numbers_the_french_way(charts_style):
    charts = every_chart("fr")
    per_unit = chart_text(charts["per_unit"], "fr")
    assert f"2{NNBSP}870{NBSP}€" in per_unit and f"131{NBSP}€" not in per_unit.replace(f"132{NBSP}€", "")
    assert "Source\u00a0:" in per_unit and "(dépensé au dernier décompte, 2013–2023)" in per_unit
    assert f"2,87{NBSP}€" in chart_text(charts["per_mbit"], "fr")
    title = plots.targets_title(
        pd.DataFrame(
            {"initiative": ["gers_numerique", "gers_numerique"], "target": ["own target", "national plan"],
             "cited_as": ["share", "year"], "by": [2020, 2022], "target_share": [2 / 3, 1.0],
             "achieved_by_then": [0.5, 0.7]}
        ),
        "fr",
    )  # fmt: skip
    assert f"67{NBSP}%" in title and "2022" not in title  # the national goal is not an own target
    eligibility = chart_text(charts["eligibility"], "fr")
    assert f"50{NBSP}%" in eligibility and "2020" in eligibility and f"2{NNBSP}020" not in eligibility
    assert f"287{NBSP}M€" in chart_text(charts["cost_scopes"], "fr")
    assert "juillet 2023" in chart_text(charts["cost_scopes"], "fr")
    assert "2,2 par famille" in chart_text(charts["newcomers"], "fr")
    tornado_text = chart_text(charts["tornado"], "fr")
    assert f"0,6{NBSP}fois" in tornado_text and f"28,2{NBSP}fois" in tornado_text and "×" not in tornado_text
    panel = chart_text(charts["panel"], "fr")
    assert f"1,9{NBSP}%" in panel and "36\u1d49 sur les 91" in panel and "T1 2018" in panel and "mars 2018" in panel
    # No English grouping or decimal point in any French number.
    for name, chart in charts.items():
        assert not re.search(r"\d,\d{3}\b|\d\.\d", chart_text(chart, "fr")), name


def test_english_charts_keep_english_numbers(charts_style):
    charts = every_chart("en")
    assert "€2,870" in chart_text(charts["per_unit"], "en")
    panel = chart_text(charts["panel"], "en")
    assert "1.9%" in panel and "36th of the 91" in panel and "Q1 2018" in panel


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_chart_has_a_log_or_other_nonlinear_axis(charts_style, lang):
    for name, (fig, _, _) in every_chart(lang).items():
        for ax in fig.axes:
            assert (ax.get_xscale(), ax.get_yscale()) == ("linear", "linear"), name


def test_wide_ratios_stay_linear_from_zero_with_every_end_labelled_inside_the_axes(charts_style):
    fig, frame, source = plots.tornado_chart(tornado(), "t", "x", "s")
    ax = fig.axes[0]
    assert ax.get_xlim()[0] == 0 and ax.get_xscale() == "linear"
    assert "base year of the constant euros" in source  # unmoved: named, not drawn
    assert list(frame["assumption"]) == MOVING
    fig.canvas.draw()
    renderer, box = fig.canvas.get_renderer(), ax.get_window_extent()
    ends = [t for t in ax.texts if "×" in t.get_text() and "central" not in t.get_text()]
    assert len(ends) == 3 and any(t.get_text() == "metropolitan fibre: 0.6×" for t in ends)
    for text in ends:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()


def test_each_edition_writes_its_own_files_and_the_csv_once(charts_style, tmp_path):
    plots.save_editions(lambda lang: plots.eligibility_chart(timelines(), "t", "s", lang), "eligibility", tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["eligibility.csv", "eligibility.fr.png", "eligibility.png"]
    assert plots.figure_file("eligibility", "fr") == "eligibility.fr.png"
    assert plots.figure_file("eligibility") == "eligibility.png"
    # The build's patterns for the step's charts still match both editions.
    from fnmatch import fnmatch

    assert fnmatch("cost_per_premise.fr.png", "cost_per_*.*") and fnmatch("eligibility.fr.png", "eligibility.*")
    assert fnmatch("sensitivity_tornado_mbit.fr.png", "sensitivity_tornado*.*") and fnmatch("models.fr.png", "*.png")


def test_a_french_chart_without_the_labels_of_codes_is_refused(charts_style):
    plots.LABELS.clear()
    with pytest.raises(StudyError, match="labels"):
        plots.models_chart(models(), "t", "s", "fr", natures=COST_NATURES["fr"])
    fig = plots.models_chart(models(), "t", "s", "en", natures=COST_NATURES["en"])[
        0
    ]  # English falls back to the code's words
    fig.canvas.draw()
    assert any("public network" in t.get_text() for t in fig.axes[0].get_yticklabels())


def test_the_per_unit_chart_says_what_each_cost_is_and_refuses_one_it_cannot_word(charts_style):
    fig = plots.per_unit_chart(comparison(), "cost_per_premise", "t", "y", "s", "en", natures=COST_NATURES["en"])[0]
    names = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert names == ["Gers Numérique\n(spent to date, 2013–2023)", "Castres-Mazamet\n(planned, 2003)"]  # never "spent"
    with pytest.raises(StudyError, match="gers_numerique"):
        plots.per_unit_chart(comparison(), "cost_per_premise", "t", "y", "s", "en", natures={"castres_mazamet": "x"})
    # A cost over "more than" N plugs is at most its quotient: each of its bars' labels says so, and no other.
    bounded = comparison().assign(qualifier=lambda f: f["initiative"].map({"castres_mazamet": "upper_bound"}))
    fig = plots.per_unit_chart(bounded, "cost_per_premise", "t", "y", "s", "en", natures=COST_NATURES["en"])[0]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert sum(label.startswith("≤\u00a0") for label in labels) == 2 and "€2,870" in labels
    fig = plots.cost_per_mbit_chart(bounded, "t", "s", "en")[0]
    assert [t.get_text().startswith("≤\u00a0") for t in fig.axes[0].texts] == [False, True]


def test_the_models_chart_says_what_each_cost_is_and_refuses_one_it_cannot_word(charts_style):
    fig = plots.models_chart(models(), "t", "s", "en", natures=COST_NATURES["en"])[0]
    shown = [t.get_text() for t in fig.axes[0].texts]
    assert "€2,870 (spent to date)" in shown and "€132 (planned)" in shown  # a plan never reads as spending
    assert shown.count("public money: no amount of all its funders per plug") == 1  # Castres-Mazamet's: not a zero
    # An amount of some funders says whose money it holds beside its bar, in the edition's words.
    covered = models().assign(public_money_covers=["departement;intercommunalities", ""])
    whose = plots.public_money_whose(covered, Labels(LABELS, "fr"))
    assert whose == {"gers_numerique": "le Département et les intercommunalités, selon la lecture de l’étude"}
    whose_en = plots.public_money_whose(covered, Labels(LABELS, "en"))
    fig = plots.models_chart(covered, "t", "s", "en", natures=COST_NATURES["en"], whose=whose_en)[0]
    shown = [t.get_text() for t in fig.axes[0].texts]
    assert "€1,000 (the Département and the intercommunalities, by the study's reading)" in shown, shown
    with pytest.raises(StudyError, match="castres_mazamet"):
        plots.models_chart(models(), "t", "s", "en", natures={"gers_numerique": "spent to date"})
    # Public money per plug over "more than" N plugs is drawn as what it is: at most its value.
    bounded = models().assign(public_money_per_premise_qualifier=["upper_bound", ""])
    shown = [
        t.get_text() for t in plots.models_chart(bounded, "t", "s", "en", natures=COST_NATURES["en"])[0].axes[0].texts
    ]
    assert "≤\u00a0€1,000" in shown
    # And so is the network's cost per plug over them: the sign before the amount, its nature after.
    bounded = models().assign(cost_per_premise_qualifier=["", "upper_bound"])
    shown = [
        t.get_text() for t in plots.models_chart(bounded, "t", "s", "en", natures=COST_NATURES["en"])[0].axes[0].texts
    ]
    assert "≤\u00a0€132 (planned)" in shown and "€2,870 (spent to date)" in shown


def test_source_lines_name_sites_articles_and_assumptions_in_the_edition(charts_style):
    frame = comparison()
    assert plots.source_from(frame, "cost_per_premise") == (
        "Gers Numérique: ladepeche.fr (July 2023); Castres-Mazamet: article 004, assumption of the study; "
        "INSEE CPI (constant euros)."
    )
    french = plots.source_from(frame, "cost_per_premise", cpi=False, lang="fr")
    assert french == f"Gers Numérique{NBSP}: ladepeche.fr (juillet 2023){NNBSP}; Castres-Mazamet{NBSP}: article 004, " \
        "hypothèse de l’étude."  # fmt: skip


def test_money_ranks_quarters_and_ratios_per_edition():
    assert plots.euros(214e6) == "€214M" and plots.euros(214e6, "fr") == f"214{NBSP}M€"
    assert plots.euros(5.1e6, "fr") == f"5,1{NBSP}M€" and plots.euros(1.2e9, "fr") == f"1,2{NBSP}Md€"
    assert plots.euros(2870, "fr") == f"2{NNBSP}870{NBSP}€" and plots.euros(2.22) == "€2.22"
    assert [plots.ordinal(n) for n in (1, 2, 3, 11, 22, 36)] == ["1st", "2nd", "3rd", "11th", "22nd", "36th"]
    assert [plots.ordinal(n, "fr") for n in (1, 2, 36)] == ["1\u1d49\u02b3", "2\u1d49", "36\u1d49"]
    assert plots.quarter_month("T1 2018") == "2018-03" and plots.quarter_month("T3 2017") == "2017-09"
    assert plots.quarter_text("T1 2018") == "Q1 2018" and plots.quarter_text("T1 2018", "fr") == "T1 2018"
    assert (
        plots.times(28.23) == "28.2×" and plots.times(123.4) == "123×" and plots.times(0.56, "fr") == f"0,6{NBSP}fois"
    )


def test_crowded_milestones_are_labelled_without_overlap(charts_style):
    # Five events of one network within three years, as the Gers has, and long words near the axis' end: every
    # label at its own place, inside the axes.
    crowded = pd.DataFrame(
        {
            "initiative": ["gers_numerique"] * 5 + ["castres_mazamet"] * 2,
            "date": ["2012", "2013", "2014", "2014", "2014-06-01", "1998", "2026-01-28"],
            "year": [2012.5, 2013.5, 2014.5, 2014.5, 2014.4, 1998.5, 2026.1],
            "event": ["premier plan numérique", "syndicat créé", "lancement", "premiers travaux", "réseau", "fibre",
                      "réseau achevé, plus de 120 000 logements raccordables selon le Département"],
        }
    )  # fmt: skip
    fig, _, source = plots.milestones_chart(crowded, "t", "s", "fr")
    plots.add_source_line(fig, source, "fr")
    fig.canvas.draw()
    renderer, frame = fig.canvas.get_renderer(), fig.axes[0].get_window_extent()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert len(boxes) == 7
    for k, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[:k]), labels[k].get_text()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, labels[k].get_text()
    assert any("1\u1d49\u02b3\u00a0juin 2014" in t.get_text() for t in labels)
    # The Castres-Mazamet lane comes after the Gers's, each under its own name.
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Gers Numérique", "Castres-Mazamet"]


def test_a_milestone_too_long_for_either_side_is_wrapped_inside_the_axes(charts_style):
    event = "a very long account of what happened that year, " * 4
    events = pd.DataFrame(
        {"initiative": ["gers_numerique"] * 3, "date": ["2000", "2010", "2020"], "year": [2000.5, 2010.5, 2020.5],
         "event": ["start", event.strip(), "end"]}
    )  # fmt: skip
    fig = plots.milestones_chart(events, "t", "s", "en")[0]
    fig.canvas.draw()
    renderer, frame = fig.canvas.get_renderer(), fig.axes[0].get_window_extent()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    long = next(t for t in labels if "account" in t.get_text())
    assert "\n" in long.get_text() and " ".join(long.get_text().split()) == f"2010: {event.strip()}"
    for label in labels:
        box = label.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, label.get_text()


# --- on paper: every chart's words at 7 points or more on A4 (#22) ---------------------------------------------

A4_SMALLEST_PT = 7.0  # the smallest text a chart may print on A4 (the issue's rule, not read from the code)


def printed_sizes(fig: plt.Figure) -> dict[str, float]:
    """Each visible text of a drawn chart and the size it prints at on A4: its font size times the scale the
    report's print box gives the chart's image (``print_scale``)."""
    width, height = fig.get_size_inches()
    scale = print_scale(width, height, plt.rcParams["savefig.dpi"])
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    return {t.get_text(): t.get_fontsize() * scale for t in texts}


def test_a_chart_larger_than_its_print_box_prints_smaller():
    box_width, box_height = PRINT_WIDTH_MM / 25.4, PRINT_HEIGHT_MM / 25.4
    assert print_scale(box_width, box_height / 2, 180) == pytest.approx(1)  # drawn at its print size
    assert print_scale(2 * box_width, box_height / 2, 180) == pytest.approx(0.5)  # twice as wide: half the size
    assert print_scale(box_width / 2, 2 * box_height, 180) == pytest.approx(0.5)  # twice as tall: half the size
    assert print_scale(box_width / 4, box_height / 4, 48) == pytest.approx(0.5)  # few pixels: one a CSS pixel
    # The old charts, 8 inches wide at 150 dpi, printed their 8-point labels at about 6.7 points.
    assert 8 * print_scale(8, 4.5, 150) == pytest.approx(6.7, abs=0.05)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_prints_its_words_at_7_points_or_more_on_a4(charts_style, lang):
    """Each chart laid out as it is saved (its source line under it), then sized into the A4 print box: tick
    labels, values, legends, titles and the source line all print at 7 points or more."""
    for name, (fig, _, source) in every_chart(lang).items():
        bottom = plots.add_source_line(fig, source, lang)
        plots.lay_out(fig, bottom)
        fig.canvas.draw()
        sizes = printed_sizes(fig)
        assert len(sizes) >= 5, name  # the title, ticks and source line at least: the texts are read
        small = {text: round(size, 2) for text, size in sizes.items() if size < A4_SMALLEST_PT - 1e-6}
        assert small == {}, name
        # Drawn at the print box's width and no taller: nothing on the chart is scaled down.
        width, height = fig.get_size_inches()
        assert width * 25.4 == pytest.approx(PRINT_WIDTH_MM) and height * 25.4 <= PRINT_HEIGHT_MM + 1e-6, name
        assert plots.smallest_printed_text(fig)[0] == pytest.approx(min(sizes.values())), name


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_chart_draws_its_legend_over_a_value_or_a_bar(charts_style, lang):
    for name, (fig, _, source) in every_chart(lang).items():
        bottom = plots.add_source_line(fig, source, lang)
        plots.lay_out(fig, bottom)
        fig.canvas.draw()
        assert plots.legend_covers(fig) == [], name


def test_lay_out_fits_the_axes_as_tight_layout_does_and_leaves_no_layout_engine(charts_style):
    """The study lays its charts out by matplotlib's tight-layout engine run once: the same room as
    ``Figure.tight_layout`` gives, above the source line's share, and no engine left on the figure (savefig would
    otherwise lay it out a second time)."""

    def chart() -> plt.Figure:
        fig, ax = plt.subplots(figsize=plots.chart_size(3))
        ax.barh([0, 1], [10, 2])
        ax.set_yticks([0, 1], ["a long name of a network, on one line", "short"])
        return fig

    ours, theirs = chart(), chart()
    plots.lay_out(ours, 0.12)
    theirs.tight_layout(rect=(0, 0.12, 1, 1))
    for side in ("left", "right", "bottom", "top"):
        assert getattr(ours.subplotpars, side) == pytest.approx(getattr(theirs.subplotpars, side)), side
    assert ours.subplotpars.left > 0.3  # the long name's room
    assert ours.subplotpars.bottom > 0.12  # above the source line's share
    assert ours.get_layout_engine() is None
    plt.close(ours)
    plt.close(theirs)


def test_a_legend_over_a_value_or_a_bar_is_refused(charts_style, tmp_path):
    fig, ax = plt.subplots(figsize=plots.chart_size(3))
    ax.barh([0, 1], [10, 2], label="cost")
    ax.annotate("10 €", (5.5, 0), fontsize=plots.VALUE_PT)
    ax.set_xlim(0, 12)
    ax.legend(loc="center", bbox_to_anchor=(0.5, 0.25))  # over the long bar and the value written on it
    fig.canvas.draw()
    assert plots.legend_covers(fig) == ["10 €", "a bar"]
    with pytest.raises(StudyError, match=r"chart drawn\.png would draw its legend over '10 €', 'a bar'"):
        plots.save_figure(fig, pd.DataFrame({"x": [1]}), "drawn", tmp_path, "s")
    assert not (tmp_path / "drawn.png").exists()
    # The same legend under the axes covers nothing.
    ax.legend(loc="upper right", bbox_to_anchor=(1, -0.2))
    fig.canvas.draw()
    assert plots.legend_covers(fig) == []
    # A line may pass under a legend (the series chart's grey lines do).
    fig, ax = plt.subplots(figsize=plots.chart_size(3))
    ax.plot([0, 1], [1, 1], label="line")
    ax.legend(loc="upper right")
    fig.canvas.draw()
    assert plots.legend_covers(fig) == []


def test_a_chart_that_would_print_small_words_is_refused(charts_style, tmp_path):
    fig, data, source = plots.eligibility_chart(timelines(), "t", "s", "en")
    fig.set_size_inches(10, 5)  # larger than the print box: shrunk on paper, its 7.5-point values under 7
    with pytest.raises(StudyError, match=r"eligibility\.png would print .* under 7 pt"):
        plots.save_figure(fig, data, "eligibility", tmp_path, source)
    assert not (tmp_path / "eligibility.png").exists()
    fig, data, source = plots.eligibility_chart(timelines(), "t", "s", "en")
    assert plots.save_figure(fig, data, "eligibility", tmp_path, source)[0].is_file()  # at its own size: saved


def test_the_targets_chart_does_not_join_counts_of_different_kinds(charts_style):
    fig = plots.eligibility_chart(timelines(), "t", "s", "en")[0]
    points = [line for line in fig.axes[0].get_lines() if len(line.get_xdata())]
    assert points and all(line.get_linestyle() == "None" for line in points)
    # A timeline that does not say what its shares count draws them as unstated: open marks, so said in the legend.
    assert {line.get_fillstyle() for line in points} == {"none"}
    assert "share of what, not stated" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_shares_of_different_things_keep_their_own_marks_and_the_legend_says_what_each_counts(charts_style):
    """Figure 5 once drew shares of inhabitants, of dwellings and of plugs as one kind of dot, its axis saying
    "of inhabitants, dwellings or plugs" for all of them: a reader could not tell which was which."""
    frame = pd.DataFrame(
        {
            "initiative": ["gers_numerique"] * 3 + ["tarn"] * 2,
            "year": [2020.7, 2023.5, 2026.1, 2022.5, 2022.9],
            "share": [0.5, 0.77, 1.0, 1.0, 0.51],
            "kind": ["achieved"] * 3 + ["target", "achieved"],
            "share_of": ["inhabitants", "dwellings", "premises", "plugs", "plugs"],
        }
    )
    for lang, said in (("en", "share of dwellings"), ("fr", "part des logements")):
        ax = plots.eligibility_chart(frame, "t", "s", lang)[0].axes[0]
        drawn = {(line.get_xdata()[0], line.get_marker()) for line in ax.get_lines() if len(line.get_xdata()) == 1}
        marks = {base: plots.SHARE_MARKS[base][0] for base in ("inhabitants", "dwellings", "premises", "plugs")}
        assert drawn == {
            (2020.7, marks["inhabitants"]),
            (2023.5, marks["dwellings"]),
            (2026.1, marks["premises"]),
            (2022.9, marks["plugs"]),
        }
        assert len(set(marks.values())) == len(marks)  # four bases, four marks
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert said in legend and plots.share_base_words("unstated", lang) not in legend  # only what is drawn


def test_the_models_title_says_each_public_money_per_plug_as_what_it_is():
    bounded = models().assign(public_money_per_premise_qualifier=["upper_bound", ""])
    english = plots.models_title(bounded, lambda model: model.replace("_", " "), "en")
    assert (
        english == "Public money per plug, as its source counts it: Gers Numérique (public network) ≤\u00a0€1,000; "
        "no amount of all their public money of the plugs' scope for Castres-Mazamet"
    )
    french = plots.models_title(bounded, lambda model: model, "fr")
    assert french.startswith(
        "Financement public par prise, selon le décompte de sa source\u00a0: "
        "Gers Numérique (public_network) ≤\u00a01\u202f000\u00a0€"
    )
    assert french.endswith(
        "pour Castres-Mazamet, aucun montant de l’ensemble de leurs fonds publics ne porte sur le périmètre des prises"
    )


def test_labels_are_spread_apart_from_the_highest_down_and_kept_under_a_ceiling():
    assert plots.spread_apart([0.949, 0.968], 0.045, 0.975) == pytest.approx([0.923, 0.968])  # in the values' order
    assert plots.spread_apart([0.99, 0.5], 0.045, 0.975) == pytest.approx([0.975, 0.5])  # the ceiling; far apart: kept
    assert plots.spread_apart([0.8, 0.8, 0.8], 0.1) == pytest.approx([0.8, 0.7, 0.6])
    assert plots.spread_apart([], 0.1) == []


@pytest.mark.filterwarnings("ignore:Tight layout not applied")  # the nine-column legend is made not to fit
def test_a_chart_whose_legend_the_edge_would_cut_is_narrowed_or_refused(charts_style, tmp_path):
    """Figure 5's legend, in three columns, ran past the chart's right edge ("share of what, not sta"): a legend too
    wide has its words wrapped on shorter lines, and one that still does not fit is refused."""
    fig, ax = plt.subplots(figsize=plots.chart_size(3))
    for k in range(9):  # nine entries side by side: even wrapped on short lines, wider than the chart
        ax.plot([0, 1], [0, k], label=f"a label long enough to run past the right edge of the chart {k}")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2), ncol=9)
    fig.canvas.draw()
    assert plots.cut_off(fig) and plots.cut_off(fig)[0].startswith("the legend (a label long enough")
    with pytest.raises(StudyError, match=r"cut\.png would be cut at its edge: 'the legend"):
        plots.save_figure(fig, pd.DataFrame({"x": [0]}), "cut", tmp_path, "s")
    assert not (tmp_path / "cut.png").exists()
    # One long entry is wrapped until it fits, then saved: its words whole, on several lines.
    fig, ax = plt.subplots(figsize=plots.chart_size(3))
    ax.plot([0, 1], [0, 1], label="a scope's words the data makes long " * 4)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2))
    assert plots.save_figure(fig, pd.DataFrame({"x": [0]}), "wrapped", tmp_path, "s")[0].is_file()
    assert "\n" in ax.get_legend().get_texts()[0].get_text()
    fig, ax = plt.subplots(figsize=plots.chart_size(3))
    ax.plot([0, 1], [0, 1], label="short")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2))
    fig.tight_layout()  # as save_figure lays it out: the legend under the axes, inside the figure
    fig.canvas.draw()
    assert plots.cut_off(fig) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_series_chart_legend_sits_below_its_lines(charts_style, lang):
    """Every département's grey line is data a reader compares: the series chart's legend is drawn below the axes,
    not over their top left, where a framed box hid them."""
    fig, _, source = every_chart(lang)["fibre_series"]
    plots.add_source_line(fig, source, lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 < ax.get_window_extent(renderer).y0
    assert not plots.cut_off(fig)


def test_the_newcomers_title_says_the_assumption_and_only_the_relation_the_numbers_show():
    outcomes = pd.DataFrame(
        {
            "unit": ["families", "people", "people", "members"],
            "count": [250.0, 489.0, 480.0, 400.0],
            "people_equivalent": [550.0, 489.0, 480.0, float("nan")],
            "as_of": ["2010", "2014", "2016", "2022"],
        }
    )
    title = plots.newcomers_title(outcomes, 2.2, "en")
    assert title == (
        "At an assumed 2.2 people per family, the 250 families of 2010 (the press, on its promoter) would be about "
        "550 people: more than the later counts of 480 to 489"
    )
    # At another household size the same families are fewer than, or within, the later counts: said so.
    fewer = outcomes.assign(people_equivalent=[450.0, 489.0, 480.0, float("nan")])
    assert plots.newcomers_title(fewer, 1.8, "en").endswith(
        "would be about 450 people: fewer than the later counts of 480 to 489"
    )
    within = outcomes.assign(people_equivalent=[485.0, 489.0, 480.0, float("nan")])
    assert plots.newcomers_title(within, 1.94, "en").startswith("At an assumed 1.9 people per family")
    assert "within the later counts" in plots.newcomers_title(within, 1.94, "en")
    french = plots.newcomers_title(outcomes, 2.2, "fr")
    assert "2,2" in french and "550" in french and "plus" in french
