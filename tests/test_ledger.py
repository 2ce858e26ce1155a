"""The provenance ledger records every number with its source's class; the findings are graded from data."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from divide_study import config
from divide_study.analysis import findings
from divide_study.errors import StudyError
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


def text_of(link: str) -> str:
    """The number a link shows: '<a class="num" href="#number-1">5</a>' -> '5'."""
    return html.unescape(re.sub(r"<[^>]+>", "", link))


def test_every_number_is_recorded_with_its_class():
    r = Report(FIGURES, SOURCES, EXTERNAL, [], [], evidence=EVIDENCE)
    assert r.evidence("b_cost", "{:,.0f}", 1e-6) == '<a class="num" href="#number-1">5</a>'
    assert text_of(r.evidence("beta_pop|population|2019")) == "80,000"
    assert text_of(r.computed(62.5, "cost per inhabitant", "5 M / 80 000", "{:.1f}")) == "62.5"
    assert text_of(r.assumed(1000, "speed", "no source states it")) == "1,000"
    ledger = r.provenance().set_index("number")
    # The text writes "5" beside "million"; the appendix shows the number alone, so its entry says it whole.
    assert ledger.loc["€5,000,000", "class"] == "interested party's claim"
    assert ledger.loc["80,000", "class"] == "official"
    assert ledger.loc["62.5", "class"] == "computed"
    assert ledger.loc["1,000", "class"] == "the study's assumption"
    assert ledger.loc["€5,000,000", "words"] == "“5 millions” (characters 10–20)"
    assert ledger.loc["€5,000,000", "source"] == "article 002: “News” (1\u00a0May 2003), file beta.txt"
    assert list(r.provenance()["entry"]) == [1, 2, 3, 4]


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
    # Each network's cost is graded, the Tarn's too: its plan per plug is its concessionaire's own figure.
    assert "Tarn Fibre" in graded.loc["cost", "why"] and "Castres-Mazamet" in graded.loc["cost", "why"]
    assert set(graded["strength"]) <= {"strong", "moderate", "weak"}


# --- numbers in the edition's format, each a link to its entry ------------------------------------------------

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "fmt", "en", "fr"),
    [
        (2140, "{:,.0f} €", "€2,140", f"2{NNBSP}140{NBSP}€"),
        (11.37, "{:.1f}", "11.4", "11,4"),
        (0.667, "{:.0%}", "67%", f"67{NBSP}%"),
        (0.0533, "{:.1%}", "5.3%", f"5,3{NBSP}%"),
        (1000, "{:,.0f} Mbit/s", f"1,000{NBSP}Mbit/s", f"1{NNBSP}000{NBSP}Mbit/s"),
        (2003, "{:.0f}", "2003", "2003"),  # a year: no grouping without ','
        (12345.64, "{:,.1f}", "12,345.6", f"12{NNBSP}345,6"),
        (float("nan"), "{:,.0f}", "–", "–"),
    ],
)
def test_a_python_format_is_written_the_editions_way(value, fmt, en, fr):
    from divide_study.language.formats import Formats
    from divide_study.report.ledger import format_number

    assert format_number(value, fmt, Formats("en")) == en
    assert format_number(value, fmt, Formats("fr")) == fr


def test_a_format_the_report_cannot_write_is_refused():
    from divide_study.language.formats import Formats
    from divide_study.report.ledger import format_number

    for fmt in ("{:,.0f} and {:,.0f}", "{x:,.0f}", "{:>10}", "no field"):
        with pytest.raises(ValueError, match="format"):
            format_number(1.0, fmt, Formats("en"))


def test_a_computed_number_shows_no_more_significant_digits_than_asked():
    from divide_study.language.formats import Formats, significant
    from divide_study.report.ledger import readable_number

    # One rounding for the whole study (formats.significant): the ledger and the tables use it.
    assert significant(332_957_130, 4) == 333_000_000 and significant(7_144_040, 4) == 7_144_000
    assert significant(3_329.6, 4) == 3_330 and significant(0.0, 4) == 0.0
    assert significant(-2_415.5, 3) == -2_420
    assert readable_number(306_827_765, significant=4) == "306,800,000"
    assert readable_number(91.274, Formats("fr"), significant=4) == "91,27"
    assert readable_number(192_437) == "192,437"  # a stated count keeps its digits


def test_readable_numbers_follow_the_edition():
    from divide_study.language.formats import Formats
    from divide_study.report.ledger import readable_number

    assert [readable_number(v) for v in (2003, 21400.0, 2.5, float("nan"))] == ["2003", "21,400", "2.50", "–"]
    assert [readable_number(v, Formats("fr")) for v in (2003, 21400.0, 2.5)] == ["2003", f"21{NNBSP}400", "2,50"]


EXTERNAL_URL = pd.DataFrame(
    [
        ("beta_pop", "population", 80_000, "inhabitants", "2019", "https://insee.fr/p?a=1&b=2", "80 000", ""),
        # A reference row's name and a source that is no web address are the data's words, said in French.
        ("beta_pop", "share eligible", 0.5, "share", "2020", "gers.fr/monjournal/numero1", "la moitié", ""),
    ],
    columns=["topic", "figure", "value", "unit", "as_of", "source", "quote", "note"],
)


# The data's words (words.csv) the French entries say: a reference row's name and a source that is no address.
WORDS = pd.DataFrame(
    {
        "en": ["share eligible", "gers.fr/monjournal/numero1", "spending"],
        "fr": ["part éligible", "gers.fr/monjournal/numero1", "dépense"],
    }
)


def french_report() -> Report:
    from divide_study.language.datatext import DataText

    report = Report(FIGURES, SOURCES, EXTERNAL_URL, ["f"], ["t", "provenance"], evidence=EVIDENCE, lang="fr")
    report.words = DataText("fr", WORDS)
    return report


def test_french_numbers_link_to_entries_written_in_french():
    r = french_report()
    cost = r.evidence("b_cost", "{:,.0f} €", 1e-6)
    assert cost == f'<a class="num" href="#number-1">5{NBSP}€</a>'
    assert r.evidence("b_cost", "{:,.0f} €", 1e-6) == cost  # the same number of the same source: one entry
    assert text_of(r.ref("beta_pop", "share eligible", "2020", "{:.0%}")) == f"50{NBSP}%"
    entries = r.provenance().set_index("entry")
    first = "1\u1d49\u02b3\u00a0mai 2003"
    assert entries.loc[1, "source"] == f"article 002{NBSP}: «{NBSP}News{NBSP}» ({first}), fichier beta.txt"
    assert entries.loc[1, "words"] == f"«{NBSP}5 millions{NBSP}» (caractères 10 à 20)"
    assert entries.loc[1, "number"] == f"5{NNBSP}000{NNBSP}000{NBSP}€"  # whole: the text's "5 €" is in millions
    assert entries.loc[1, "class"] == "déclaration d’une partie prenante"
    assert entries.loc[2, "source"] == f"données de référence{NBSP}: gers.fr/monjournal/numero1"  # no link: no URL
    assert r.table_label("t") == "Tableau 1" and r.figure_label("f") == "Figure 1"


def test_a_computed_number_links_to_each_of_its_inputs():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["provenance"], evidence=EVIDENCE)
    cost = r.fig("b_cost", "{:,.0f}", 1e-6)
    per_head = r.computed(
        62.5, "cost per inhabitant", "cost ÷ population", "{:.1f}", [cost, "beta_pop|population|2019"]
    )
    assert per_head == '<a class="num" href="#number-3">62.5</a>'
    words = r.provenance().set_index("entry").loc[3, "words"]
    # The population, not quoted in the prose, gets its own entry (2) in its natural format.
    assert words == (
        'cost ÷ population; inputs: <a class="num" href="#number-1">5</a>, <a class="num" href="#number-2">80,000</a>'
    )
    page = r.table("provenance", r.provenance(), "Provenance.", "the ledger")
    for n in (1, 2, 3):
        assert f'<tr id="number-{n}">' in page
    assert words in page  # the inputs stay links in the appendix
    # A reference row's full URL is a link to its page, escaped.
    assert '<a class="source" href="https://insee.fr/p?a=1&amp;b=2">https://insee.fr/p?a=1&amp;b=2</a>' in page


def test_table_cells_link_to_their_table_row_column_and_evidence():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["costs", "provenance"], evidence=EVIDENCE)
    frame = pd.DataFrame(
        {"what": ["investment <b>", "phase 2"], "amount_eur": [5e6, float("nan")], "evidence_id": ["b_cost", ""]},
        index=[4, 7],  # rows 4 and 7 of the processed file
    )
    page = r.table(
        "costs",
        frame[["what", "amount_eur"]],
        "Costs.",
        "x",
        data="data/processed/costs.csv",
        evidence=frame["evidence_id"],
    )
    assert "investment &lt;b&gt;" in page and "<b>" not in page  # a cell without a digit: escaped text
    # The row's evidence is entry 1 (recorded first, in its natural format), the cell entry 2.
    assert '<a class="num" href="#number-2">5,000,000</a>' in page
    assert "–" in page  # a missing number is no link
    entries = r.provenance().set_index("entry")
    assert entries.loc[2, "what"] == "Table 1, row 1, column “amount_eur”"
    assert entries.loc[2, "source"] == "data/processed/costs.csv, line 6"
    assert entries.loc[2, "words"] == 'evidence of the row: <a class="num" href="#number-1">€5,000,000</a>'
    assert entries.loc[1, "source"].startswith("article 002")
    assert entries.loc[3, "number"] == "phase 2"  # text holding a digit links too
    assert entries.loc[3, "what"] == "Table 1, row 2, column “what”"
    assert entries.loc[3, "words"] == ""
    assert r.table("costs", frame[["what", "amount_eur"]], "Costs.", "x") == r.table(
        "costs", frame[["what", "amount_eur"]], "Costs.", "x"
    )  # deterministic


def test_a_table_of_more_than_five_rows_may_break_in_print_a_shorter_one_is_kept_whole():
    from divide_study.report.ledger import LONG_TABLE_ROWS

    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["short", "long"], evidence=EVIDENCE)
    rows = pd.DataFrame({"what": ["a row"] * (LONG_TABLE_ROWS + 1)})
    assert '<div class="study-table-block" id="table-1">' in r.table("short", rows.iloc[:-1], "Short.", "x")
    assert '<div class="study-table-block long" id="table-2">' in r.table("long", rows, "Long.", "x")


def test_a_header_breaks_between_its_words_and_only_an_identifier_anywhere():
    # "départements comparables (médiane)" is long but of short words: it never breaks as "comparab les"; a header
    # holding one word too long for any column (an identifier) may break anywhere.
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["t"], evidence=EVIDENCE)
    long_id = "x" * 30
    frame = pd.DataFrame({"départements comparables (médiane)": ["a"], long_id: ["b"]})
    html_ = r.table("t", frame, "Headers.", "x")
    assert re.search(r"th\.col1\s*\{\s*overflow-wrap: anywhere", html_)
    assert not re.search(r"th\.col0\s*\{\s*overflow-wrap: anywhere", html_)


def test_captions_keep_the_reports_links_and_escape_the_rest(tmp_path):
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, ["f"], ["t"], evidence=EVIDENCE)
    number = r.fig("b_cost", "{:,.0f}", 1e-6)
    forged = '<a class="num" href="#number-9">9</a>'  # looks like a link of the Report, but it made none
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG")
    page = r.figure("f", png, f"Cost {number} <i>x</i> {forged}", "s")
    assert f"Cost {number} &lt;i&gt;x&lt;/i&gt; &lt;a class=" in page
    assert 'alt="Figure 1: Cost 5 &lt;i&gt;x&lt;/i&gt;' in page  # the alt text shows the number as text
    table = r.table("t", pd.DataFrame({"a": ["x"]}), f"In {number}", f"{forged}")
    assert f"In {number}</p>" in table and "Source: &lt;a class=" in table


def test_the_numbers_of_a_table_row_share_one_entry_naming_their_columns():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["t"], evidence=EVIDENCE, lang="fr")
    frame = pd.DataFrame({"year": [2003], "amount": [2140.0], "note": ["none"]})
    page = r.table("t", frame, "T.", "the cited table (each row cited there)", {"amount": "{:,.0f} €"})
    assert '<a class="num" href="#number-1">2003</a>' in page
    assert f'<a class="num" href="#number-1">2{NNBSP}140{NBSP}€</a>' in page
    entry = r.provenance().iloc[0]
    assert entry["what"] == f"Tableau 1, ligne 1, colonnes «{NBSP}year{NBSP}», «{NBSP}amount{NBSP}»"
    assert entry["number"] == f"2003 · 2{NNBSP}140{NBSP}€"
    assert entry["source"] == "the cited table (each row cited there)"  # no file named: no line given


def test_entries_name_an_initiative_by_its_short_name_when_the_report_knows_it():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], [], evidence=EVIDENCE)
    r.fig("b_cost")
    r.names = {"beta": "Beta & Co"}
    r.fig("b_cost", "{:.0f}")
    # The same figure, so one entry: it says each name it was quoted under.
    assert list(r.provenance()["what"]) == ["investment (beta, 2003); investment (Beta & Co, 2003)"]


def test_a_date_from_a_table_is_written_the_editions_way_and_linked():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], [], evidence=EVIDENCE, lang="fr")
    done = r.dated("2026-01-28", "zone fully able to connect", "data/processed/targets.csv, line 5")
    assert done == '<a class="num" href="#number-1">28\u00a0janvier 2026</a>'
    assert text_of(r.dated("2023-07", "as of", "x")) == "juillet 2023"
    entry = r.provenance().iloc[0]
    assert (entry["what"], entry["source"]) == ("zone fully able to connect", "data/processed/targets.csv, line 5")


def test_a_name_holding_figures_and_the_dates_of_evidence_link_to_their_entries():
    from divide_study.report.ledger import Report

    figures = pd.DataFrame(
        {
            "figure_id": ["f"],
            "value": [5.0],
            "metric": ["plugs"],
            "initiative": ["x"],
            "as_of": ["2019-03"],
            "article": ["001"],
            "span": ["5 prises"],
            "start": [0],
            "end": [8],
            "unit": ["plugs"],
        }
    )
    sources = pd.DataFrame(
        {
            "article": ["001"],
            "title": ["T"],
            "outlet": ["O"],
            "published": ["2019-03-15"],
            "published_earliest": ["2019-03-15"],
            "published_latest": ["2019-03-15"],
            "source": ["001_a.txt"],
        }
    )
    external = pd.DataFrame(
        {
            "topic": ["x"],
            "figure": ["spending"],
            "value": [7.0],
            "unit": ["EUR"],
            "as_of": ["2023-07"],
            "source": ["https://example.org/a"],
            "quote": ["7 €"],
        }
    )
    from divide_study.language.datatext import DataText

    r = Report(figures, sources, external, [], [], lang="fr")
    r.words = DataText("fr", WORDS)
    name = r.named("budget initial (2014)", "le choix", "data/processed/sensitivity.csv")
    # The link's text is escaped by the rule for all a reader sees (esc: "(" as "&#40;"), shown as written.
    assert name.startswith('<a class="num" href="#number-') and "budget initial (2014)</a>" in html.unescape(name)
    assert ">mars 2019</a>" in r.as_of("f") and ">juillet 2023</a>" in r.as_of("x|spending|2023-07")
    assert ">28\u00a0janvier 2026</a>" in r.date("2026-01-28", "fin", "data/processed/targets.csv")
    entries = r.provenance()
    assert {"budget initial (2014)", "mars 2019", "juillet 2023", "28\u00a0janvier 2026"} <= set(entries["number"])


def test_the_date_of_a_figure_reported_twice_cites_the_row_it_dates():
    # 489 people (2014, one outlet) and 480 (2016, another): the date 2016 is the second outlet's, not the first's.
    external = pd.DataFrame(
        {
            "topic": ["p", "p"],
            "figure": ["people settled", "people settled"],
            "value": [489.0, 480.0],
            "unit": ["people", "people"],
            "as_of": ["2014", "2016"],
            "source": ["https://first.example/a", "https://second.example/b"],
            "quote": ["489", "480"],
        }
    )
    r = Report(FIGURES, SOURCES, external, [], [], lang="en")
    r.as_of("p|people settled|2016")
    entries = r.provenance()
    dated = entries[entries["number"] == "2016"]
    assert dated["source"].str.contains("second.example").all() and not dated["source"].str.contains("first").any()
    with pytest.raises(StudyError, match="expected one reference row 'p\\|people settled\\|2015'"):
        r.as_of("p|people settled|2015")


def test_a_quoted_date_of_a_figure_reported_twice_cites_the_row_it_dates():
    # 70 % eligible in 2022 (the Département's site) and 83 % in 2024 (the press): a step quoting the year the
    # target was reached reads the 2024 row's date, whose entry is filed under the press, not under the first row.
    from divide_study.analysis import quoted

    external = pd.DataFrame(
        {
            "topic": ["g", "g"],
            "figure": ["share eligible", "share eligible"],
            "value": [0.70, 0.83],
            "unit": ["share", "share"],
            "as_of": ["2022", "2024"],
            "source": ["https://departement.example/a", "https://press.example/b"],
            "quote": ["70%", "83%"],
        }
    )
    q = quoted.Quotes("compare")
    q.read(
        "g.reached_on",
        "2024",
        table="data/processed/external_figures.csv",
        row={"topic": "g", "figure": "share eligible", "as_of": "2024"},
        column="as_of",
        unit="date",
        nature="stated",
        what="date the target was reached",
    )
    r = Report(FIGURES, SOURCES, external, [], [], lang="en")
    r.quoted = quoted.combine([q.frame()])
    assert text_of(r.quote("compare.g.reached_on")) == "2024"
    entries = r.provenance()
    dated = entries[entries["number"] == "2024"]
    assert len(dated) == 1 and "press.example" in dated["source"].iloc[0]
    assert not entries["source"].str.contains("departement.example").any()


def grouped_report(dwellings_column: dict[str, str] | None = None) -> Report:
    """Two départements' plugs and dwellings summed over a primary file's rows, and their shares, quoted."""
    from divide_study.analysis import quoted
    from divide_study.report.ledger import EntryGroup

    q = quoted.Quotes("panel")
    columns = dwellings_column or {}
    for code, plugs, dwellings in (("32", 40, 80), ("2A", 5, 50)):
        slug = code.lower()
        made = [
            q.summed(
                f"departement_{slug}.plugs",
                plugs,
                table="data/raw/arcep_2018/ftth.csv",
                where={"Code département": code, "Zone": "-"},
                column="T1 2018",
                unit="plugs",
                what=f"plugs of {code}",
            ),
            q.summed(
                f"departement_{slug}.dwellings",
                dwellings,
                table="data/raw/arcep_2018/communes.csv",
                where={"Code département": code},
                column=columns.get(code, "Logements"),
                unit="dwellings",
                what=f"dwellings of {code}",
            ),
        ]
        q.computed(
            f"departement_{slug}.share",
            plugs / dwellings,
            inputs=made,
            operation="divide",
            unit="share",
            what=f"share of {code}",
        )
    q.read(
        "other",
        3,
        table="data/raw/arcep_2018/ftth.csv",
        row={"row": 2},
        column="T1 2018",
        unit="count",
        nature="stated",
        what="something else",
    )
    r = Report(FIGURES, SOURCES, EXTERNAL, [], ["provenance", "numbers"], evidence=EVIDENCE)
    r.quoted = quoted.combine([q.frame()])
    r.group_entries(
        EntryGroup(
            table="numbers",
            pattern=r"panel\.departement_(?P<row>[0-9a-z]+)\.(?P<column>.+)",
            columns={"plugs": "plugs", "dwellings": "dwellings", "share": "share"},
            rows={"32": "Gers (32)", "2a": "Corse-du-Sud (2A)"},
            row_header="département",
            caption="Each département's numbers.",
        )
    )
    return r


def test_entries_of_a_group_are_shown_one_row_per_subject_with_their_source_said_once():
    r = grouped_report()
    shares = [r.quote("panel.departement_32.share"), r.quote("panel.departement_2a.share"), r.quote("panel.other")]
    assert [text_of(s) for s in shares] == ["50%", "10%", "3"]
    # The main table keeps the numbers of no group; the group's six entries are its table's cells.
    assert list(r.provenance()["what"]) == ["something else"]
    [table] = r.grouped_tables()
    anchors = [int(n) for n in re.findall(r'<span class="entry" id="number-(\d+)">', table)]
    assert sorted(anchors) == sorted(set(range(1, 8)) - {int(re.search(r"number-(\d+)", shares[2])[1])})
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert [text_of(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[0]) for row in rows] == [
        "Gers (32)",
        "Corse-du-Sud (2A)",
    ]
    # Each column's note says once where its numbers come from: the département's code in words, not "32".
    notes = re.findall(r"<li>(.*?)</li>", table, re.S)
    assert len(notes) == 3 and all("the row&#x27;s code" in n or "the row's code" in n for n in notes[:2])
    assert "data/raw/arcep_2018/ftth.csv" in notes[0] and "“32”" not in notes[0] and "T1 2018" in notes[0]
    assert "inputs: “plugs” and “dwellings” of its row" in html.unescape(notes[2])
    # A share's cell links the two entries of its own row it is computed from.
    gers = rows[0]
    plugs, dwellings = (int(n) for n in re.findall(r'id="number-(\d+)"', gers)[:2])
    assert f'href="#number-{plugs}"' in gers and f'href="#number-{dwellings}"' in gers
    # The table's source line is words (its files are named in the columns' notes), and closes those notes above the
    # rows, so in print it never falls alone onto the page after the table.
    line = re.search(r'<p class="source">(.*?)</p>', table, re.S)[1]
    assert "data/raw/" not in line and "the cited reference data" in line
    assert table.index('<p class="source">') < table.index("<table")


def test_a_group_column_whose_numbers_come_differently_is_refused():
    r = grouped_report({"2A": "Résidences"})
    r.quote("panel.departement_32.share")
    r.quote("panel.departement_2a.share")
    with pytest.raises(
        StudyError, match=r"appendix table 'numbers', column 'dwellings': its numbers differ in source_column"
    ):
        r.grouped_tables()


def test_a_group_entry_of_a_subject_with_no_row_is_refused():
    r = grouped_report()
    r.groups[0] = type(r.groups[0])(**{**r.groups[0].__dict__, "rows": {"32": "Gers (32)"}})
    r.quote("panel.departement_2a.plugs")
    with pytest.raises(StudyError, match=r"'panel.departement_2a.plugs' is of '2a', a row the table has no label"):
        r.provenance()


# --- each number once, under its primary source ------------------------------------------------------------

TWO_FIGURES = pd.DataFrame(
    [
        ("b_cost", "002", "beta", "investment", 5e6, "EUR", "2003", "5 millions", 10, 20),
        # The same value in other words of the same article: another number of the source.
        ("b_need", "002", "beta", "funding need", 5e6, "EUR", "2003", "5 M€ manquent", 40, 53),
    ],
    columns=FIGURES.columns,
)


def test_a_reference_year_is_said_as_the_deadline_it_is_and_its_row_date_as_when_it_was_stated():
    goal = pd.DataFrame(
        [("national", "fibre everywhere by", 2025, "year", "2023", "https://example.org/plan", "d'ici à 2025", "")],
        columns=["topic", "figure", "value", "unit", "as_of", "source", "quote", "note"],
    )
    r = Report(FIGURES, SOURCES, goal, [], ["provenance"], evidence=EVIDENCE)
    assert text_of(r.ref("national", "fibre everywhere by", fmt="{:.0f}")) == "2025"
    assert r.provenance().loc[0, "what"] == "fibre everywhere by … (stated in 2023)"  # not "by (2023)"
    dated = goal.assign(as_of="2019-04-24", figure="completion by")
    on_a_day = Report(FIGURES, SOURCES, dated, [], ["provenance"], evidence=EVIDENCE)
    on_a_day.ref("national", "completion by", fmt="{:.0f}")
    assert on_a_day.provenance().loc[0, "what"] == "completion by … (stated on 24\u00a0April 2019)"
    population = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["provenance"], evidence=EVIDENCE)
    population.ref("beta_pop", "population")
    assert population.provenance().loc[0, "what"] == "population (2019)"


def test_a_number_quoted_again_however_written_or_called_is_one_entry():
    r = Report(TWO_FIGURES, SOURCES, EXTERNAL_URL, [], ["provenance"], evidence=EVIDENCE)
    millions = r.fig("b_cost", "{:,.0f}", 1e-6)
    whole = r.fig("b_cost", "{:,.0f} €")
    assert millions == '<a class="num" href="#number-1">5</a>'  # the text writes it as it says it
    assert whole == '<a class="num" href="#number-1">€5,000,000</a>'
    assert text_of(r.fig("b_need")) == "5,000,000" and r.fig("b_need").endswith('"#number-2">5,000,000</a>')
    population = r.ref("beta_pop", "population", fmt="{:,.0f}")
    assert r.ref("beta_pop", "population", fmt="{:,.0f}", scale=1e-3) == population.replace("80,000", "80")
    # The same value computed alike from the same inputs, called two ways: one entry saying both.
    first = r.computed(62.5, "cost per inhabitant", "cost ÷ population", "{:.1f}", [millions, population])
    again = r.computed(62.5, "money per head", "cost ÷ population", "{:.0f}", [millions, population])
    assert first.split(">")[0] == again.split(">")[0]
    # Two assumptions alike in value but not in what they are: two entries.
    r.assumed(2, "persons per household", "declared in params")
    r.assumed(2, "years of works", "declared in params")
    ledger = r.provenance()
    assert list(ledger["number"]) == ["€5,000,000", "5,000,000", "80,000", "62.5", "2", "2"]  # the fullest writing
    assert ledger.loc[3, "what"] == "cost per inhabitant; money per head"
    assert ledger["entry"].is_unique


def test_a_date_quoted_as_a_day_or_as_its_month_is_one_entry_with_its_words():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], ["provenance"], evidence=EVIDENCE)
    day = r.published("002")
    year = r.published("002", year_only=True)
    assert text_of(day) == "1\u00a0May 2003" and text_of(year) == "2003"
    assert day.split(">")[0] == year.split(">")[0]
    # The figure's date, named by itself and by the date of the figure: one entry, with the words it was given.
    dated = r.as_of("b_cost")
    assert r.date_of("b_cost").split(">")[0] == dated.split(">")[0]
    ledger = r.provenance()
    assert list(ledger["number"]) == ["1\u00a0May 2003", "€5,000,000", "2003"]
    assert ledger.loc[2, "words"] == "date inferred, see the table of sources"
    what = ledger.loc[2, "what"]
    assert what.startswith("date of <a class=") and what.endswith("; date of investment")


def test_the_appendix_lists_each_number_once_under_its_primary_source():
    """Under a heading row per source — the articles first, the cited references, the study's assumptions, then
    its computations — one row per number: entry, number, what (and the class of its source), words."""
    r = Report(TWO_FIGURES, SOURCES, EXTERNAL_URL, [], ["provenance"], evidence=EVIDENCE)
    r.assumed(2.2, "persons per household", "declared in params")
    cost = r.fig("b_cost", "{:,.0f}", 1e-6)
    r.computed(62.5, "cost per inhabitant", "cost ÷ population", "{:.1f}", [cost, "beta_pop|population|2019"])
    r.fig("b_cost", "{:,.0f} €")
    r.ref("beta_pop", "share eligible", fmt="{:.0%}")
    page = r.table("provenance", r.provenance(), "Provenance.", "the ledger")
    headings = re.findall(r'<th class="source-heading"[^>]*>(.*?)</th>', page)
    assert [text_of(h) for h in headings] == [
        "article 002: “News” (1\u00a0May 2003), file beta.txt",
        "reference data: gers.fr/monjournal/numero1",  # alphabetically, before the web address of insee.fr
        "reference data: https://insee.fr/p?a=1&b=2",
        "assumption of the study",
        "computed by the study",
    ]
    # Each entry once, in its source's group: the cost (2) under the article, the population (3) under insee.fr.
    groups = re.findall(r'<tr class="source-row"[^>]*>.*?</tr>(.*?)</tbody>', page, re.S)
    assert [re.findall(r'<tr id="number-(\d+)">', g) for g in groups] == [["2"], ["5"], ["3"], ["1"], ["4"]]
    assert '<thead><tr><th class="col_heading level0 col0" scope="col">entry</th>' in page
    assert page.count('<th class="col_heading') == 4  # entry, number, what, words: the source is the heading
    cost_row = re.search(r'<tr id="number-2">(.*?)</tr>', page).group(1)
    assert "€5,000,000" in cost_row and '<span class="entry-class">interested party&#x27;s claim</span>' in cost_row
    assert 'class="study-table-block long provenance" id="table-1"' in page  # breaks across pages, header repeated


def test_who_gives_a_figure_is_its_articles_outlet_or_its_reference_rows_site():
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], [], evidence=EVIDENCE)
    assert r.site_of("beta_pop|population|2019") == "insee.fr"  # a web page by its site, not its full address
    assert r.site_of("beta_pop|share eligible|2020") == "gers.fr/monjournal/numero1"  # no web address: as written
    with pytest.raises(StudyError, match="names no outlet"):
        r.site_of("b_cost")  # the article of this figure names no outlet
    named = SOURCES.assign(outlet=["La Dépêche <du Midi>"])
    assert Report(FIGURES, named, EXTERNAL_URL, [], [], evidence=EVIDENCE).site_of("b_cost") == (
        "La Dépêche &lt;du Midi&gt;"  # escaped, as everything a reader sees
    )
    with pytest.raises(StudyError, match="expected one reference row"):
        r.site_of("beta_pop|population|2031")
    with pytest.raises(StudyError, match="no article figure or reference row"):
        r.site_of("nothing")


def test_a_reference_rows_outlet_is_named_by_its_publisher_where_the_study_knows_it():
    """A publication cites "La Dépêche du Midi", not "ladepeche.fr" (reference_source_classes.csv's ``who``)."""
    publishers = pd.DataFrame(
        [("insee.fr", "official", "INSEE", ""), ("gers.fr", "interested_party", "Département <du Gers>", "")],
        columns=["source_contains", "source_class", "who", "note"],
    )
    r = Report(FIGURES, SOURCES, EXTERNAL_URL, [], [], evidence=EVIDENCE, publishers=publishers)
    assert r.site_of("beta_pop|population|2019") == "INSEE"
    assert r.site_of("beta_pop|share eligible|2020") == "Département &lt;du Gers&gt;"  # escaped
    unknown = publishers.iloc[:0]
    assert Report(FIGURES, SOURCES, EXTERNAL_URL, [], [], publishers=unknown).site_of("beta_pop|population|2019") == (
        "insee.fr"  # no publisher named: its site
    )


def test_an_appendix_entry_shows_a_long_table_cell_by_its_first_words():
    """A table cell of a sentence or more (Table 1's rows) is shown in its entry's narrow number column by its first
    words and "…" (whole, it made one row a page tall); a short cell whole."""
    from divide_study.report.ledger import PREVIEW, preview

    assert preview("€2,870 (3,330 in 2025 euros)") == "€2,870 (3,330 in 2025 euros)"
    cell = "50,000 households to serve with fibre under the works-and-operation contract (CREM) signed on 15 September"
    shown = preview(cell)
    assert len(shown) <= PREVIEW and shown.endswith("…") and cell.startswith(shown[:-1])
    assert preview("x" * PREVIEW) == "x" * PREVIEW  # at the limit: whole
