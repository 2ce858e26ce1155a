"""The published report, as readers open it: HTML in a real headless Chromium, and the PDF through poppler —
each edition: the English report.html and the French rapport.html."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from divide_study import config
from divide_study.analysis.chart_files import MM_PER_INCH, PRINT_HEIGHT_MM, PRINT_WIDTH_MM, print_scale
from divide_study.engine.pipeline import REPORT_FILES, REPORT_TITLE
from divide_study.i18n import Translator
from divide_study.language.formats import Formats
from divide_study.report.publish import CHROMIUM_FLAGS, find_browser

# The sections of the report, in English; each edition's are its catalog's words for them.
HEADINGS = [
    "What this evaluation asks",
    "Executive summary",
    "The initiatives",
    "The comparison",
    "Who paid, pace and take-up",
    "The models side by side",
    "Soho Solo",
    "Sensitivity",
    "Limitations",
    "Lessons for a département choosing a model",
    "Method",
    "Appendix A: Sources",
    "Appendix B: Provenance of every number",
]


@pytest.fixture(scope="module", params=list(REPORT_FILES), ids=lambda lang: f"{REPORT_FILES[lang]}.html")
def lang(request) -> str:
    """Each edition the build publishes: its language."""
    return request.param


def edition(lang: str, suffix: str = ".html") -> Path:
    return config.REPORT_DIR / f"{REPORT_FILES[lang]}{suffix}"


def words(lang: str, english: str) -> str:
    """What the edition ``lang`` says for ``english`` (its catalog's translation)."""
    return Translator(lang, "report")(english)


def require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI builds the study before testing, yet {path} is missing")
        pytest.skip(f"{path.name} has not been built in this checkout (uv run study build)")
    return path


def require_browser() -> str:
    browser = find_browser()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium, yet no browser was found")
        pytest.skip("no Chromium or Chrome on this machine")
    return browser


def summary_numbers(lang: str = "en") -> list[str]:
    comparison = pd.read_csv(config.PROCESSED_DIR / "comparison.csv")
    rows = comparison.set_index(["initiative", "metric"])["value_constant"]
    euros = Formats(lang).euros  # as the edition writes an amount: "€2,140", "2 140 €"
    return [euros(rows[("gers_numerique", "cost_per_premise")]), euros(rows[("castres_mazamet", "cost_per_premise")])]


# Where the contents link to, what they list, and every "Figure N" / "Table N" of the text outside a link.
LINKS = r"""([figureWord, tableWord]) => {
  const resolves = a => document.getElementById(a.getAttribute('href').slice(1)) !== null;
  const toc = document.querySelector('nav#contents');
  const tocLinks = toc ? [...toc.querySelectorAll('a')] : [];
  const xrefs = [...document.querySelectorAll('main a.xref')];
  const bare = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest('a, style, script, code')) continue;
    const label = parent.tagName === 'STRONG' && parent.parentElement.matches('figcaption, .table-caption');
    if (label) continue;
    const reference = new RegExp(`\\b(${figureWord}|${tableWord})\\s+\\d+`, 'g');
    for (const m of node.textContent.matchAll(reference)) bare.push(m[0]);
  }
  return {
    toc: toc !== null,
    tocFirst: toc ? toc.compareDocumentPosition(document.querySelector('main h2:not(.toc-title)')) : 0,
    tocTargets: tocLinks.map(a => a.getAttribute('href')),
    tocUnresolved: tocLinks.filter(a => !resolves(a)).map(a => a.getAttribute('href')),
    sectionIds: [...document.querySelectorAll('main h2[id]:not(.toc-title), main h3[id]')].map(h => '#' + h.id),
    figureIds: [...document.querySelectorAll('figure.study-figure[id]')].map(e => '#' + e.id),
    tableIds: [...document.querySelectorAll('.study-table-block[id]')].map(e => '#' + e.id),
    tocText: toc ? toc.innerText : '',
    xrefs: xrefs.map(a => [a.textContent.replace(/\s+/g, ' '), a.getAttribute('href')]),
    xrefUnresolved: xrefs.filter(a => !resolves(a)).map(a => a.getAttribute('href')),
    bareReferences: bare,
  };
}"""
# In print: every table within its box, and no box that would print a scrollbar.
PRINTED = """() => {
  const tables = [...document.querySelectorAll('.study-table')].map(t => ({
    id: t.closest('.study-table-block').id, width: t.scrollWidth, room: t.parentElement.clientWidth,
    main: document.querySelector('main').clientWidth}));
  const scrollers = [...document.querySelectorAll('body *')].filter(e => {
    const style = getComputedStyle(e);
    return ['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth;
  }).map(e => e.tagName + '.' + e.className);
  return {printedTables: tables, printedScrollers: scrollers};
}"""


@pytest.fixture(scope="module")
def page_in_browser(tmp_path_factory, lang):
    from playwright.sync_api import sync_playwright

    html = require(edition(lang))
    browser_path = require_browser()
    shots = tmp_path_factory.mktemp("screens")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=list(CHROMIUM_FLAGS[1:]))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            requests, errors = [], []
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(html.as_uri(), wait_until="load")
            # The first screen (cover and contents): the whole page's screenshot, about 14 MB, took 5 s and showed
            # nothing more to a test.
            page.screenshot(path=str(shots / "report.png"))
            facts = {
                "requests": requests,
                "errors": errors,
                "images": page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])"),
                "headings": page.eval_on_selector_all(
                    "h1, h2", "els => els.map(e => e.innerText.replace('¶', '').trim())"
                ),
                "code": page.locator(".jp-CodeCell .jp-InputArea, .jp-Editor, .highlight pre").count(),
                "text": page.inner_text("body"),
                "ids": page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"),
                "hrefs": page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href'))"),
                "numbers": page.eval_on_selector_all(
                    "main a.num", "els => els.map(e => [e.textContent, e.getAttribute('href').slice(1)])"
                ),
            }
            facts.update(page.evaluate(LINKS, [words(lang, "Figure"), words(lang, "Table")]))
            # A sampled number of the summary, hovered then focused: what shows beside it, without leaving the page.
            sample = page.locator("main a.num[data-source]").nth(3)
            popup = "a => [a.textContent, a.dataset.source, getComputedStyle(a, '::after').content, location.hash]"
            facts["resting"] = sample.evaluate(popup)
            sample.hover()
            facts["hovered"] = sample.evaluate(popup)
            page.mouse.move(0, 0)
            sample.focus()
            facts["focused"] = sample.evaluate(popup)
            sample.blur()
            facts["lang"], facts["uri"] = lang, html.as_uri()
            facts["text"] = facts["text"].replace(facts["tocText"], "", 1)  # the body's text, not the contents'
            page.set_viewport_size({"width": 390, "height": 844})
            facts["phone_overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.screenshot(path=str(shots / "phone.png"))
            # As printed: A4 less the page's side margins (210 - 2 x 15 mm) is 680 CSS pixels wide.
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 680, "height": 1000})
            facts.update(page.evaluate(PRINTED))
            facts["shots"] = shots
        finally:
            browser.close()
    return facts


def test_report_opens_offline_with_no_request_but_its_own_file(page_in_browser):
    external = [url for url in page_in_browser["requests"] if not url.startswith(("file://", "data:"))]
    assert external == []
    assert [url for url in page_in_browser["requests"] if url.startswith("file://")] == [page_in_browser["uri"]]


def test_report_has_no_console_error(page_in_browser):
    assert page_in_browser["errors"] == []


def test_every_figure_decodes(page_in_browser):
    images = page_in_browser["images"]
    assert len(images) >= 8
    assert all(complete and width > 0 for complete, width in images)


def test_every_section_is_there_and_no_code_shows(page_in_browser):
    headings = page_in_browser["headings"]
    for heading in HEADINGS:
        assert words(page_in_browser["lang"], heading) in headings
    assert page_in_browser["code"] == 0
    assert "import " not in page_in_browser["text"]
    assert (page_in_browser["shots"] / "report.png").stat().st_size > 50_000


def test_report_reads_on_a_phone(page_in_browser):
    assert page_in_browser["phone_overflow"] <= 1  # wide tables scroll inside their box, not the page


def test_report_quotes_the_computed_numbers(page_in_browser):
    for number in summary_numbers(page_in_browser["lang"]):
        assert number in page_in_browser["text"]


def test_report_is_an_evaluation(page_in_browser):
    """Findings carry a derived strength; the range names the choices bounding it; judgement is marked."""
    if page_in_browser["lang"] != "en":
        pytest.skip("the English edition's words; the French edition's are checked below")
    text = page_in_browser["text"]
    summary = text[text.index("Executive summary") : text.index("The initiatives")]
    # Five findings (the eight questions answered), the pace on the State's series and Soho Solo graded apart.
    assert summary.count("evidence: ") == 7
    sensitivity = pd.read_csv(config.PROCESSED_DIR / "sensitivity.csv", keep_default_na=False)
    ok = sensitivity[sensitivity["status"] == "ok"]
    ratio = ok[ok["headline"] == "ratio_cost_per_premise"]
    low = ratio.loc[ratio["value"].astype(float).idxmin()]
    # The fibre-against-DSL ratio measures a technology, not a model: out of the summary, its range in the body.
    assert f"runs from {float(low['value']):.1f}" not in summary and "times as much" not in summary
    assert f"runs from {float(low['value']):.1f}" in text
    from divide_study.language.labels import Labels
    from divide_study.report.tables import setting_label

    labels = Labels(pd.read_csv(config.PROCESSED_DIR / "labels.csv", keep_default_na=False), "en")
    # The summary gives the range alone (no internal option labels); the Sensitivity section names the choice
    # bounding it, in words.
    sensitivity_text = text[text.index("Each choice was moved alone") :]
    assert setting_label(low["assumption"], low["setting"], labels) in sensitivity_text
    assert setting_label(low["assumption"], low["setting"], labels) not in summary
    assert "assumed" in summary and "on an assumption" in summary
    assert "The study's judgement" in text
    assert "refused because their scopes differ" in text
    # The factual corrections: the State's phase-1 share, the census population, the legal forms.
    comparison = pd.read_csv(config.PROCESSED_DIR / "comparison.csv")
    population = comparison.set_index(["initiative", "metric"]).loc[("castres_mazamet", "population"), "value_nominal"]
    external = pd.read_csv(config.PROCESSED_DIR / "external_figures.csv")
    press_round = external[(external["topic"] == "castres_mazamet") & (external["as_of"] == "2001")]["value"].iloc[0]
    assert population != press_round
    assert re.search(rf"census of \d{{4}} \({population:,.0f} inhabitants, years after", " ".join(text.split()))
    state = external[external["figure"] == "State share of phase 1"]["value"].iloc[0]
    assert re.search(rf"State's share of phase 1\s+was {state / 1e6:.0f} million", text)
    assert "not a legal PPP contract" in text
    # The Tarn's concession, the fourth model, with its public money per plug computed from cited rows.
    models = pd.read_csv(config.PROCESSED_DIR / "models.csv").set_index("initiative")
    tarn = models.loc["tarn"]
    assert tarn["model"] == "concession"
    public = external[(external["topic"] == "tarn") & (external["figure"] == "public money")]["value"].iloc[0]
    due = external[(external["topic"] == "tarn") & (external["figure"] == "plugs to build")]["value"].iloc[0]
    assert tarn["public_money_per_premise"] == pytest.approx(public / due)
    start = text.index("The models side by side")
    section = text[start : text.index("Soho Solo", start)]
    assert f"{Formats('en').euros(public / due)} of public money per plug" in section
    assert "concessionaire" in section


def test_report_embeds_no_local_path_and_no_remote_resource(lang):
    text = require(edition(lang)).read_text(encoding="utf-8")
    assert str(config.PROJ_ROOT) not in text
    assert "/tmp/" not in text and "/root/" not in text
    for marker in ("<script src=", "cdnjs", "mathjax", "require.js", "mermaid"):
        assert marker not in text.lower(), marker


def test_the_gers_and_the_tarn_are_set_side_by_side_under_every_reading(lang):
    """The table of the two fibre networks under every reading the sources allow holds one row per reading of
    data/processed's public money and sensitivity tables, each € per plug a link to its entry; the summary's money
    line sends the reader to it, and the concessionaire's later plan is said divided by nothing."""
    from divide_study.analysis import readings
    from divide_study.analysis.study import load_study

    text = require(edition(lang)).read_text(encoding="utf-8")
    study = load_study(config.PROCESSED_DIR)
    money = pd.read_csv(config.PROCESSED_DIR / "public_money.csv", keep_default_na=False, na_values=[""])
    money["share_id"] = money["share_id"].fillna("")
    sensitivity = pd.read_csv(config.PROCESSED_DIR / "sensitivity.csv")
    networks = ["gers_numerique", "tarn"]
    expected = readings.network_readings(
        money, sensitivity, study.measures, study.figures, study.external, study.evidence, networks, LOCAL
    )
    assert set(expected["measure"]) == {"public_money", "cost"} and set(expected["initiative"]) == set(networks)
    # The table, found by its caption's words after the concession's name.
    caption = words(lang, message_with("concession under each reading the sources allow"))
    caption = caption.split("{concession}")[1].split(":")[0].strip()
    found = re.search(r"(\d+)\.</strong>[^<]*" + re.escape(caption), text)  # the table's own caption
    number, at = found.group(1), found.end()
    table = text[text.index("<tbody>", at) : text.index("</tbody>", at)]
    rows = table.split("<tr>")[1:]
    assert len(rows) == len(expected)
    # The € per plug column (the sixth) links every cell to its entry.
    per_plug = [re.search(r'col5 num"[^>]*>(.*?)</td>', row) for row in rows]
    assert all(cell is not None and cell.group(1).startswith('<a class="num"') for cell in per_plug)
    start = text.index(f">{words(lang, 'Executive summary')}</h2>")
    summary = text[start : text.index("<h2", start + 1)]
    assert f'href="#table-{number}"' in summary
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
    said = words(lang, message_with("is divided by no count of plugs")).split("{revised}")[1].split("{able_on}")[0]
    assert " ".join(said.split()) in plain


LOCAL = "departement;intercommunalities"


def message_with(words_in_it: str) -> str:
    """The one English message of the report's catalog holding ``words_in_it`` (its French catalog lists them all):
    a test names a sentence by a few of its words, never by a copy of it."""
    from babel.messages.pofile import read_po

    with open(config.PROJ_ROOT / "src/divide_study/locales/fr/LC_MESSAGES/report.po", "rb") as catalog:
        found = [m.id for m in read_po(catalog) if isinstance(m.id, str) and words_in_it in m.id]
    assert len(found) == 1, (words_in_it, found)
    return found[0]


@pytest.fixture(scope="module")
def pdf_text(lang) -> str:
    pdf = require(edition(lang, ".pdf"))
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is needed") if os.environ.get("CI") else pytest.skip("no pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_has_the_sections_and_the_numbers(pdf_text: str, lang: str):
    flat = " ".join(pdf_text.split())
    for heading in HEADINGS:
        assert " ".join(words(lang, heading).split()) in flat, heading
    for number in summary_numbers(lang):
        assert " ".join(number.split()) in flat, number


def test_pdf_is_a4_with_a_sensible_page_count_and_no_blank_page(tmp_path: Path, lang: str):
    pdf = require(edition(lang, ".pdf"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    # The appendices take more than half (body before them: 28 pages in English, 31 in French, on 6 December
    # 2026; 66 and 71 pages in all): about 1,320 provenance entries, each number once, some 390 in the table by
    # source (one row each) and the rest in two tables of every département's numbers (one row per département, a
    # cell per entry), which the national panel's ranks and the series' medians are computed from.
    assert 8 <= pages <= 76
    assert "(A4)" in info
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:
        darkest, _ = Image.open(image).convert("L").getextrema()
        assert darkest < 128, f"{image.name} looks blank"


def test_pdf_prints_every_chart_at_the_size_it_was_drawn_for(lang):
    """Each chart's image prints in the print box the charts are drawn for (``chart_files``), at the scale
    ``print_scale`` gives its PNG: the scale at which tests/test_chart_editions.py finds every word at 7 points
    or more. (Read from the PDF: each image's pixels and the resolution it prints at.)"""
    pdf = require(edition(lang, ".pdf"))
    if not shutil.which("pdfimages"):
        pytest.fail("pdfimages (poppler-utils) is needed") if os.environ.get("CI") else pytest.skip("no pdfimages")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    # page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    printed = [row.split() for row in listing.splitlines()[2:] if row.split()[2:3] == ["image"]]
    charts: dict[tuple[int, int], float] = {}  # a chart's pixels -> the width it should print at, in mm
    suffixes = [".png"] if lang == "en" else [f".{lang}", ".png"]  # cost_scopes.png, cost_scopes.fr.png
    for png in sorted(config.FIGURES_DIR.glob("*.png")):
        if png.suffixes != suffixes:
            continue  # another edition's chart
        with Image.open(png) as image:
            (width, height), dpi = image.size, image.info["dpi"][0]
        charts[(width, height)] = print_scale(width / dpi, height / dpi, dpi) * width / dpi * MM_PER_INCH
    assert len(printed) >= 8 and len(charts) >= 8
    for row in printed:
        pixels, ppi = (int(row[3]), int(row[4])), float(row[12])
        assert pixels in charts, (row, sorted(charts))  # the image is one of the edition's charts
        width_mm = pixels[0] / ppi * MM_PER_INCH
        assert width_mm == pytest.approx(charts[pixels], rel=0.01), (row, charts[pixels])
        assert width_mm <= PRINT_WIDTH_MM * 1.01 and pixels[1] / float(row[13]) * MM_PER_INCH <= PRINT_HEIGHT_MM * 1.01


def test_no_code_reaches_a_reader_in_any_table(lang):
    """Every table cell and header is a word, a number or a cited name: no data code such as
    'gers_numerique', 'whole_network' or 'value_nominal' (file names of the sources aside)."""
    text = require(edition(lang)).read_text(encoding="utf-8")
    cells = re.findall(r'<t[hd][^>]*class="(?:col_heading|data)[^"]*"[^>]*>(.*?)</t[hd]>', text, re.S)
    code = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+([.|][a-z0-9_]+)*$")
    shown = {html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells}
    # A scenario is named by its label too, never by its file's name ("euros_of_2014").
    codes = sorted(c for c in shown if code.match(c) and not c.endswith((".txt", ".csv")))
    assert codes == []
    initiatives = pd.read_csv(config.PROCESSED_DIR / "initiatives.csv")["initiative"]
    assert not shown & set(initiatives)


def test_contents_link_every_section_figure_and_table(page_in_browser):
    """The contents come first, are generated from the page, and each entry leads to its heading, figure or table."""
    assert page_in_browser["toc"]
    assert page_in_browser["tocFirst"] & 4  # DOCUMENT_POSITION_FOLLOWING: the first section follows the contents
    assert page_in_browser["tocUnresolved"] == []
    targets = page_in_browser["tocTargets"]
    assert targets == page_in_browser["sectionIds"] + page_in_browser["figureIds"] + page_in_browser["tableIds"]
    assert sum(t.startswith("#figure-") for t in targets) >= 8 and sum(t.startswith("#table-") for t in targets) >= 10


def test_every_figure_and_table_reference_is_a_link(page_in_browser):
    assert page_in_browser["bareReferences"] == []
    assert page_in_browser["xrefUnresolved"] == []
    assert len(page_in_browser["xrefs"]) >= 20
    kinds = {words(page_in_browser["lang"], "Figure"): "figure", words(page_in_browser["lang"], "Table"): "table"}
    for text, href in page_in_browser["xrefs"]:
        kind, number = text.split()
        assert href == f"#{kinds[kind]}-{number}", (text, href)


def test_printed_tables_fit_the_page_and_nothing_scrolls(page_in_browser):
    tables = page_in_browser["printedTables"]
    assert len(tables) >= 10
    too_wide = [t for t in tables if t["width"] > t["room"] or t["room"] > t["main"]]
    assert too_wide == []
    assert page_in_browser["printedScrollers"] == []


def test_pdf_pages_are_numbered_under_a_running_title(pdf_text: str, lang: str):
    pages = [page for page in pdf_text.split("\f") if page.strip()]
    total = len(pages)
    title = words(lang, REPORT_TITLE)
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] == f"{number} / {total}", (number, lines[-1])
        if number > 1:  # the first page has the title itself
            assert lines[0] == title, (number, lines[0])


def test_pdf_opens_on_contents_then_the_summary_page(pdf_text: str, lang: str):
    first, second = [" ".join(page.split()) for page in pdf_text.split("\f")[:2]]
    said = {
        english: " ".join(words(lang, english).split())
        for english in (
            "Contents",
            "Appendix B: Provenance of every number",
            "Figure",
            "Table",
            REPORT_TITLE,
            "What this evaluation asks",
            "Executive summary",
        )
    }
    assert said["Contents"] in first and said["Appendix B: Provenance of every number"] in first
    assert f"{said['Figure']} 1" in first and f"{said['Table']} 1" in first
    assert second.startswith(f"{said[REPORT_TITLE]} {said['What this evaluation asks']}")
    summary = second[second.index(said["Executive summary"]) :]
    badge = " ".join(words(lang, "evidence: {strength}").split("{")[0].split())
    # The whole summary, on one page: five findings, the series' pace graded apart in the first, Soho Solo in the last.
    assert summary.count(badge) == 7


def test_layout_links_references_and_lists_contents_as_text():
    """The contents are read from the page (markup in a caption stays text); bare references become links."""
    from divide_study.report.layout import lay_out

    page = (
        '<main><div class="jp-Cell"><h1>T</h1></div><div class="jp-Cell"><h2 id="s1">One'
        '<a class="anchor-link" href="#s1">¶</a></h2><p>See Table 2 and Figure\n1; Table 9 is not there.</p>'
        '<figure class="study-figure" id="figure-1"><figcaption><strong>Figure 1.</strong> A &lt;b&gt; B'
        '<span class="source">Source: s</span></figcaption></figure>'
        '<div class="study-table-block" id="table-2"><p class="table-caption"><strong>Table 2.</strong> C</p>'
        "</div></div></main>"
    )
    laid = lay_out(page)
    assert laid == lay_out(page)  # the same page gives the same bytes
    contents = laid[laid.index('<nav class="toc"') : laid.index("</nav>")]
    assert '<a href="#s1">One</a>' in contents
    assert '<span class="toc-label">Figure 1</span> <span class="toc-caption">A &lt;b&gt; B</span></a>' in contents
    assert '<span class="toc-label">Table 2</span> <span class="toc-caption">C</span></a>' in contents
    assert laid.index("</nav>") < laid.index('<h2 id="s1">')
    assert '<a class="xref" href="#table-2">Table 2</a>' in laid
    assert '<a class="xref" href="#figure-1">Figure\n1</a>' in laid
    assert "Table 9 is not there" in laid  # no such table: left as text (the browser test fails on it)
    assert "<strong>Figure 1.</strong>" in laid  # a figure's own label is no reference


# Words of English that French prose never needs: were one shown in the French edition, a sentence, a label or a
# data value would have escaped translation. Proper names and quoted sources hold none of them.
ENGLISH = re.compile(
    r"\b(the|and|of|with|which|from|by|to|for|is|are|was|were|not|that|this|what|who|cost|costs|network|plugs|"
    r"premises|eligible|assumed|assumption|computed|study|spent|million|quoted|speaker|share|target|take-up)\b"
)


def test_the_french_edition_speaks_french(page_in_browser):
    """No English word and no identifier in the French edition's visible text (file paths and web addresses,
    which name where a figure comes from, aside); strength badges, the study's judgement and the refused pairs said
    in French."""
    if page_in_browser["lang"] != "fr":
        pytest.skip("the French edition")
    text = page_in_browser["text"]
    # Locators are not prose: web addresses, file names, and a reference file's own column names ("colonne
    # « indic_va »"), which name where a number stands in the file as it is published.
    readable = re.sub(
        r"https?://\S+|\S+\.(?:csv|txt|py|yaml|json)\b|shared/\S+|divide-study|colonne «\u00a0?[^»]+»", " ", text
    )
    english = sorted(
        {" ".join(readable[max(0, m.start() - 40) : m.end() + 40].split()) for m in ENGLISH.finditer(readable)}
    )
    assert english == [], "\n".join(english)
    code = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")  # gers_numerique, cost_per_premise
    assert sorted(set(code.findall(readable))) == []
    summary = text[text.index("Synthèse") : text.index("Les initiatives")]
    assert summary.count("preuve\u00a0: ") == 7  # five findings, the pace and Soho Solo graded apart
    assert "Le jugement de l’étude" in text and "écartés parce que leurs périmètres diffèrent" in text
    assert "2\u202f140" not in summary or "2,140" not in summary  # French digit grouping, never an English comma
    assert not re.search(r"\d,\d{3}\b", readable)  # "3,330" would read as three euros thirty-three


def test_every_chart_names_the_data_file_behind_it(lang):
    """Each figure's source line links its CSV (one for both editions' drawings), and that file exists."""
    text = html.unescape(require(edition(lang)).read_text(encoding="utf-8"))
    named = set(re.findall(r'<a class="data" href="\.\./figures/([\w.]+\.csv)"', text))
    assert len(named) >= 8
    assert sorted(name for name in named if not (config.FIGURES_DIR / name).is_file()) == []


# A path into the study's code or its processed files: what a source line once showed
# ("data/processed/evidence.csv; src/divide_study/analysis/evidence.py"). The cited raw files an appendix entry
# names (its row and column) are where a number is read, and stay.
CODE_PATH = re.compile(r"src/divide_study|\b[\w/-]+\.py\b|data/processed/|\bfigures/[\w.]+\.csv")
# Any file path or name of a data file, in a source line.
FILE = re.compile(r"[\w.-]+/[\w./-]*\.(?:csv|py|json|yaml|txt)\b|\b[\w-]+\.(?:csv|py|json|yaml)\b")


def test_no_code_path_in_what_a_reader_sees(page_in_browser):
    """No path of the code or of the processed files in the page's text; every figure's and table's source line is
    words (its data file a link for analysts, named by what it is)."""
    text = page_in_browser["text"]
    assert sorted({m.group(0) for m in CODE_PATH.finditer(text)}) == []
    lines = [
        line for line in text.splitlines() if line.startswith(words(page_in_browser["lang"], "Source: {source}")[:6])
    ]
    assert len(lines) >= 20
    assert [line for line in lines if FILE.search(line)] == []


def test_pdf_shows_no_code_path(pdf_text: str):
    assert sorted({m.group(0) for m in CODE_PATH.finditer(pdf_text)}) == []


def test_the_methods_data_tables_are_links_on_screen_and_named_with_their_files_in_the_colophon(lang, pdf_text):
    """The Method names the tables its rules live in by words, each a link for analysts on screen; on paper a link
    leads nowhere, so the colophon lists each table's words with its file (the one list: METHOD_TABLES)."""
    from divide_study.report.method_tables import METHOD_TABLES

    page = require(edition(lang)).read_text(encoding="utf-8")
    method = page[page.index('id="method"') : page.index('id="words-and-units"')]
    linked = re.findall(r'<a class="data" href="\.\./([^"]+)">([^<]+)</a>', method)
    colophon = page[page.index('id="colophon"') :]
    listed = re.search(r'<p id="colophon-tables">([^<]+)</p>', colophon)
    assert listed, "the colophon lists no data table"
    flat_pdf = " ".join(pdf_text.split())
    for file, english in METHOD_TABLES.values():
        shown = html.escape(words(lang, english), quote=True)
        assert (file, shown) in linked, file
        assert f"{shown} ({file})" in listed[1], file
        assert f"({file})" in flat_pdf, file  # on paper too (whatever the line breaks)
    assert len(linked) == len(METHOD_TABLES)


def test_source_lines_are_words_or_refused():
    """A figure's or table's source given as a file is refused (it names the file); words pass, the file a link."""
    from divide_study.errors import StudyError
    from divide_study.report.ledger import Report

    figures = pd.DataFrame(columns=["figure_id", "article", "value", "metric", "initiative", "as_of", "span"])
    sources = pd.DataFrame(columns=["article"])
    r = Report(figures, sources, pd.DataFrame(), [], ["t"])
    frame = pd.DataFrame({"what": ["a"], "n": [3.0]})
    with pytest.raises(StudyError, match=r"data/processed/t\.csv"):
        r.table("t", frame, "T.", "data/processed/t.csv")
    shown = r.table("t", frame, "T.", "the articles' figures", file="data/processed/t.csv")
    link = '<a class="data" href="../data/processed/t.csv">'
    assert f'Source: the articles&#x27; figures<span class="data-link">. Data: {link}' in shown
    assert ">the table's data (CSV)</a>" in html.unescape(shown)


def test_anchors_are_ascii_and_every_link_lands(page_in_browser):
    """Every anchor a reader may copy is ASCII (accents transliterated: "every-departement-…", never
    "every-d-partement-…"), and every in-page link lands on one."""
    ids = page_in_browser["ids"]
    # A reader's anchors: headings, figures, tables, entries, what any link of the page targets (nbconvert's own
    # "cell-id=cell-4" marks a cell for scripts, and nothing links it).
    targets = {h[1:] for h in page_in_browser["hrefs"]} | {i[1:] for i in page_in_browser["sectionIds"]}
    assert sorted(i for i in targets if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i)) == []
    assert "#every-departement-as-context-arcep" in page_in_browser["sectionIds"]
    assert sorted({h for h in page_in_browser["hrefs"] if h[1:] not in set(ids)}) == []


# A number read as a year (1800-2100) written with a group separator: "2,022", "2 022", "2\u202f022".
GROUPED_YEAR = re.compile(r"^(1[89]|2[01])[,\u202f\u00a0 .](\d{2}\d)$")
YEAR_WORDS = {"en": re.compile(r"\byears?\b|\bdate\b", re.I), "fr": re.compile(r"\bann[ée]es?\b|\bdate\b", re.I)}


def test_no_year_is_written_with_a_group_separator(page_in_browser):
    """A year is never grouped ("2 022", "2,022"): no number link whose entry says it is a year or a date reads
    like one."""
    from conftest import appendix_entries

    lang = page_in_browser["lang"]
    entries = appendix_entries(require(edition(lang)).read_text(encoding="utf-8"))
    grouped = [
        (text, entries[int(href.removeprefix("number-"))]["what"])
        for text, href in page_in_browser["numbers"]
        if GROUPED_YEAR.match(text.strip()) and href.removeprefix("number-").isdigit()
    ]
    assert len(page_in_browser["numbers"]) > 500  # the page's numbers were read
    assert [(t, w) for t, w in grouped if YEAR_WORDS[lang].search(html.unescape(re.sub(r"<[^>]+>", "", w)))] == []


def test_a_number_shows_its_source_on_hover_and_on_focus(page_in_browser):
    """A number reads as text, and shows its source in a line beside it when hovered or focused, the page staying
    where it is; the line names a primary source (an article, reference data or an assumption) or what it is
    computed from."""
    text, source, resting, hash_ = page_in_browser["resting"]
    assert resting in ("none", "normal") and hash_ == ""
    for state in ("hovered", "focused"):
        shown, _source, content, where = page_in_browser[state]
        assert shown == text and where == ""
        assert content == '"' + source.replace("\\", "\\\\").replace('"', '\\"') + '"', state
    primary = {
        "en": ("article ", "reference data: ", "assumption of the study", "from "),
        "fr": ("article ", "données de référence", "hypothèse de l’étude", "d’après "),
    }
    assert any(word in source for word in primary[page_in_browser["lang"]]), source


def test_pdf_contents_give_each_section_its_page(pdf_text: str, lang: str):
    """The printed contents give each section's page: the summary's is 2, and each page given is the page where
    that heading is printed, in reading order. (Read from the contents' text as laid out: a heading that wraps
    there shares its lines with the other column, and is left out; nearly all are read.)"""
    pages = pdf_text.split("\f")
    first = " ".join(pages[0].split())
    found = {}
    for heading in HEADINGS:
        said = " ".join(words(lang, heading).split())
        match = re.search(rf"(?:^|\d\. ){re.escape(said)} (\d+)\b", first)
        if match:
            found[heading] = int(match.group(1))
    assert len(found) >= 10, found
    assert found["Executive summary"] == 2
    assert list(found.values()) == sorted(found.values()), found
    for heading, page in found.items():
        assert " ".join(words(lang, heading).split()) in " ".join(pages[page - 1].split()), (heading, page)


def test_no_heading_is_left_alone_at_the_foot_of_a_printed_page(pdf_text: str, lang: str):
    """A section's heading is printed on the page where its text starts: never the last line of a page (the
    French "Limites" once ended page 28, its list on page 29)."""
    headings = {" ".join(words(lang, heading).split()) for heading in HEADINGS}
    alone = []
    for number, page in enumerate(pdf_text.split("\f"), start=1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"\d+ / \d+", line)]  # the footer's page number
        if body and body[-1] in headings:
            alone.append((number, body[-1]))
    assert alone == []


def test_the_limitations_say_a_pace_is_the_departements_with_each_public_zones_share(pdf_text: str, lang: str):
    """The barometer counts whole départements: the Limitations say how much of each fibre département the public
    network's zone held, as ARCEP's panel computed it (rounded as printed)."""
    panel = pd.read_csv(config.PROCESSED_DIR / "quoted_panel.csv").set_index("key")
    flat = " ".join(pdf_text.split())
    lead = {
        "en": "Pace is the département's, not the model's",
        "fr": "Le rythme est celui du département, non du modèle",
    }
    said = flat[flat.index(lead[lang]) :][:400].replace(" %", "%")
    for code in ("32", "81"):  # the Gers and the Tarn
        share = panel.loc[f"panel.departement_{code}.public_dwelling_share", "value"]
        assert f"{round(share * 100)}%" in said, (code, said)


def test_pdf_body_and_appendices_keep_their_page_counts(pdf_text: str, lang: str):
    """The body (cover and contents to the Method) and the appendices (sources, provenance, colophon) each stay in
    a stated range, read from the printed contents: on 6 December 2026 (later) the body is 28 pages in English and
    31 in French, the appendices 37 and 39 (an entry of a table cell shows the cell's first words, not a sentence in
    its narrow number column; 38 and 41 when the colophon came to list the Method's data tables and the glossary to
    name ARCEP, INSEE and the DITP); earlier that day 28 and 31, the appendices 38 and 40, after a fresh reading of
    the French edition (the Limitations and the glossary longer); on 5 December 2026 (later again) 28 and 30, the
    appendices 38 and 41, after a fact-check of the English edition (27 and 30, 37 and 41 before);
    27 and 30, 37 and 41 after the corrections before it (the summary's scope of the Gers's money,
    shares said with what they count, the Method's spending profiles); 26 and 29 once outputs print as blocks, a
    heading kept with what follows it (27 and 31 before, when each output
    was a table Chromium would not break inside); 27 and 31 once tables of more than five rows may break across
    pages (28 and 32 before; 27 and 30 before the table
    of the Gers and the Tarn under every reading, the glossary's contract forms and the bracketed entry markers; 24
    and 26 before the decision table's rows on contracts, events and local money), the appendices 38 and 41 (the
    provenance of some 1,400 numbers, each once, one row or cell each, by source; 40 and 42 pages when a number had
    an entry per way the text wrote it, in six narrow columns)."""
    pages = pdf_text.split("\f")
    total = len([page for page in pages if page.strip()])
    first = " ".join(pages[0].split())
    said = " ".join(words(lang, "Appendix A: Sources").split())
    appendix = int(re.search(rf"{re.escape(said)} (\d+)\b", first).group(1))
    body = appendix - 1
    assert 18 <= body <= 34, body
    assert 28 <= total - body <= 44, total - body


def test_the_summarys_local_money_per_plug_is_in_constant_euros(lang):
    """The summary's line of local money per plug sets a plan of 2019 beside money put in from 2014: each of its
    amounts per plug is the constant-euro figure (each along its years of spending), as Table 1's, never current euros
    of different years."""
    text = require(edition(lang)).read_text(encoding="utf-8")
    label = words(lang, message_with("Local authorities' money per plug")).split("{base_year}")[0]
    start = text.index(label)
    line = text[start : re.compile(r"<br\s*/?>").search(text, start).start()]
    per_plug = [
        html.unescape(source)
        for source, shown in re.findall(r'<a class="num"[^>]*data-source="([^"]*)"[^>]*>([^<]*)</a>', line)
        if "€" in shown
    ]
    assert len(per_plug) == 3, per_plug  # the Tarn's, the Gers Département's, and the Gers's derived local money
    constant = {"en": "constant euros", "fr": "euros constants"}[lang]
    assert all(constant in source for source in per_plug), per_plug


def test_a_take_up_cited_as_a_lower_bound_is_shown_as_one(lang):
    """The take-up table shows a cited share as its source states it: "plus de 45 %" is "at least 45%" in its
    cell, not a bare 45% beside the study's own derivations."""
    text = require(edition(lang)).read_text(encoding="utf-8")
    caption = words(lang, message_with("Take-up: subscribers over premises able to connect."))
    block = text[text.index(caption) :]
    block = block[: block.index("</table>")]
    cells = [html.unescape(re.sub(r"<[^>]+>", "", row)) for row in re.findall(r"<tr>(.*?)</tr>", block, re.S)]
    cited = [row for row in cells if "45" in row]
    at_least = {"en": "at least 45%", "fr": "au moins 45\u00a0%"}[lang]
    assert len(cited) == 1 and at_least in cited[0], cited


def test_the_states_subsidy_cap_is_held_against_state_money_per_plug_not_a_cost(lang):
    """The State's subsidy cap per plug bounds the State's money per plug, not what a network cost: the sentence
    that quotes the cap never sets the Gers's cost beside it ("several times the cap" compared money of all funders
    with a cap on one), and it says why the test cannot be made: the State's phase-1 amount, quoted from its
    reference row, went to works that also upgraded copper and built WiFi, and no source counts phase 1's plugs."""
    text = require(edition(lang)).read_text(encoding="utf-8")
    message = words(lang, message_with("The State's subsidy cap per plug"))
    # The cap's sentence in the template: from the words that open it to the period that ends it.
    opening = message[: message.index("{cap}")].rsplit(". ", 1)[1]
    closing = message[message.index("{state_phase1_on}") :].split(". ", 1)[0].rsplit("}", 1)[1]
    rendered = text[text.index(html.escape(opening, quote=False)) :]
    rendered = rendered[: rendered.index(html.escape(closing, quote=False)) + len(closing)]
    reference = pd.read_csv(config.REFERENCE_DIR / "external_figures.csv", dtype=str)
    state = reference[(reference["topic"] == "gers_numerique") & (reference["figure"] == "State share of phase 1")]
    quoted = [html.unescape(source) for source in re.findall(r'<a class="num"[^>]*data-source="([^"]*)"', rendered)]
    assert len(state) == 1 and any(state["quote"].iloc[0] in source for source in quoted), quoted
    assert "{gers_nominal_pp}" not in message[message.index(opening) : message.index(closing)]
    assert {"en": "several times", "fr": "plusieurs fois"}[lang] not in rendered
