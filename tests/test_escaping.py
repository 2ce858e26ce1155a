"""Every value from the data or a file name is escaped where it enters the report's HTML (issue 14, item 4).

Markup is fed through each free-text column of the raw data and through a scenario file's name, the study is
built in a temporary copy, and the report is opened in a real headless Chromium: the markup must be shown as
text, no script may run, and no request may leave the page (its own file aside).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import open_in_browser

from divide_study import config
from divide_study.engine import cli
from divide_study.report.ledger import Report, esc

# A payload per place: an element that would run a script and fetch a URL, Markdown that would become emphasis
# and a link, and a tag naming the place so each one is found in the page on its own. No ',', ';', '|', '$' or
# '"': so it survives unquoted CSV, evidence ids ('topic|figure|as_of', joined by ';') and matplotlib's mathtext.
URL = "http://example.invalid/x"


def payload(tag: str) -> str:
    return (
        f"<img src={URL}?{tag} onerror=window.__pwned=1><script>window.__pwned=1</script>"
        f"*{tag}*_u_[link]({URL}) <b>{tag}</b>"
    )


# The scenario's file name: no '/' in a file name, so the image points at a relative URL (a request if run).
SCENARIO_NAME = "<img src=x onerror=window.__pwned=1>*scen*_u_[l](x)"

# Free-text columns: (file under data/raw, column, rows to change (None: every row)).
FREE_TEXT = [
    ("initiatives.csv", "name", None),
    ("initiatives.csv", "short_name", None),
    ("initiatives.csv", "note", None),
    ("initiatives.csv", "territory", None),
    ("initiatives.csv", "technology", None),
    ("initiatives.csv", "lead", None),
    ("funding.csv", "funder", "not State"),  # 05 picks the State's row by name
    ("funding.csv", "note", None),
    ("reference/contracts.csv", "owner", None),
    ("reference/contracts.csv", "model", None),
    ("reference/contracts.csv", "builder_operator", None),
    ("reference/contracts.csv", "note", None),
    ("measures.csv", "note", None),
    ("reference/external_figures.csv", "source", None),
    ("reference/external_figures.csv", "quote", None),
    ("reference/external_figures.csv", "note", None),
    ("sources.csv", "outlet", None),
    ("milestones.csv", "event", None),
    ("model_risks.csv", "owner", None),
    ("model_risks.csv", "who_pays_the_works", None),
    ("model_risks.csv", "delay_risk", None),
    ("model_risks.csv", "demand_risk", None),
    ("model_risks.csv", "basis", None),
]
# A reference row's `figure` is a key (evidence ids name it): renamed everywhere the raw data says it.
RENAMED_FIGURE = ("gers_numerique", "Département contribution (lower bound)")
# An article's title must stand verbatim in the article: the title and the article are changed together.
TITLED_ARTICLE_TAG = "sources.title"
# labels.csv's English and French labels (what a reader sees in place of a code), given one tag.
LABELS_TAG = "labels"

# The places whose markup the report shows (the others are not shown in the report's HTML at all; they are
# checked all the same: nothing of theirs may run or fetch).
SHOWN = {
    "initiatives.short_name",
    "funding.funder",
    "funding.note",
    "reference/contracts.owner",
    "reference/contracts.model",
    "reference/contracts.builder_operator",
    "reference/external_figures.source",
    "reference/external_figures.quote",
    "reference/external_figures.figure",
    "sources.outlet",
    "sources.title",
    "model_risks.delay_risk",
    "model_risks.demand_risk",
    "scenario",
    LABELS_TAG,
}


def tag_of(file: str, column: str) -> str:
    return f"{file.removesuffix('.csv')}.{column}"


# --- the helper and the table, alone (fast) -----------------------------------------------------------------


def test_esc_reads_as_text_in_html_and_in_markdown():
    from nbconvert.filters.markdown import markdown2html

    text = payload("t") + " & &amp; 'q' \\* `x` ~~s~~ $x$ www.example.invalid a@b.invalid\n# heading"
    for rendered in (esc(text), markdown2html(f"Some **prose** {esc(text)}")):
        assert "<img" not in rendered and "<script" not in rendered and "<a " not in rendered
        assert "<em>" not in rendered and "<del>" not in rendered and "<h1" not in rendered
    assert html_text(markdown2html(f"x {esc(text)}")) == "x " + text.replace("\n", " ")


def html_text(fragment: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def test_tables_escape_cells_headers_caption_and_source():
    report = Report(pd.DataFrame(columns=["figure_id"]), pd.DataFrame(columns=["article"]), pd.DataFrame(), [], ["t"])
    frame = pd.DataFrame({payload("header"): [payload("cell")], "n": [1.0]})
    out = report.table("t", frame, payload("caption"), payload("source"))
    assert "<img" not in out and "<script" not in out and "<b>" not in out
    for tag in ("header", "cell", "caption", "source"):
        assert payload(tag) in html_text(out)


# --- the study, built with markup in every free-text column and a scenario's file name (slow) -------------------


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _inject(root: Path, sources: Path) -> None:
    raw = root / "data" / "raw"
    # The French edition needs the data's words in French: each value given markup keeps its translation,
    # with the same markup (words.csv), so the French report is checked for the same payloads.
    words = _read(raw / "words.csv")
    french = dict(zip(words["en"], words["fr"], strict=True))
    added: dict[str, str] = {}
    for file, column, which in FREE_TEXT:
        frame = _read(raw / file)
        rows = frame[column] != "State" if which == "not State" else pd.Series(True, index=frame.index)
        tag = payload(tag_of(file, column))
        for value in frame.loc[rows, column]:
            added[f"{value} {tag}".strip()] = f"{french.get(value, value)} {tag}".strip()
        frame.loc[rows, column] = (frame.loc[rows, column] + " " + tag).str.strip()
        _write(frame, raw / file)
    # The reference figure, renamed in every raw table that names it (as a column or inside an evidence id).
    topic, figure = RENAMED_FIGURE
    renamed = f"{figure} {payload('reference/external_figures.figure')}"
    added[renamed] = f"{french.get(figure, figure)} {payload('reference/external_figures.figure')}"
    added[SCENARIO_NAME] = SCENARIO_NAME  # a scenario is shown by its file's name
    # Every label, in both languages, with one tag: a label reaches the report's tables, its prose and the text
    # of the links to the provenance entries (a choice of the sensitivity analysis), each in its edition's words.
    labels = _read(raw / "labels.csv")
    for lang in ("en", "fr"):
        labels[lang] = labels[lang] + " " + payload(LABELS_TAG)
    _write(labels, raw / "labels.csv")
    fresh = pd.DataFrame({"en": list(added), "fr": list(added.values()), "note": ""})
    _write(pd.concat([words[~words["en"].isin(added)], fresh], ignore_index=True), raw / "words.csv")
    for path in raw.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        if f"{topic}|{figure}|" in text or f"{topic},{figure}," in text:
            text = text.replace(f"{topic}|{figure}|", f"{topic}|{renamed}|").replace(
                f"{topic},{figure},", f"{topic},{renamed},"
            )
            path.write_text(text, encoding="utf-8")
    # An article's title: the new title is added to the end of its article (offsets before it are unchanged).
    registry = _read(raw / "sources.csv")
    texts = {name: (sources / name).read_bytes().decode("utf-8") for name in set(registry["source"])}
    ends = registry["article_end"].astype(int) == registry["source"].map(lambda name: len(texts[name]))
    assert ends.any(), "no article ends at the end of its file"
    index = ends.idxmax()
    row = registry.loc[index]
    file, text = sources / row["source"], texts[row["source"]]
    title = f"{row['title']} {payload(TITLED_ARTICLE_TAG)}"
    text += "\n" + title
    data = text.encode("utf-8")
    file.write_bytes(data)
    registry.loc[index, ["title", "article_end"]] = [title, str(len(text))]
    same_file = registry["source"] == row["source"]  # a file may hold several articles
    registry.loc[same_file, ["size_bytes", "sha256"]] = [str(len(data)), hashlib.sha256(data).hexdigest()]
    _write(registry, raw / "sources.csv")
    # A scenario whose file name is markup: swept by 04 (a row of scenarios.csv).
    budget = (config.PROJ_ROOT / "params/scenarios/programme_estimate.yaml").read_text(encoding="utf-8")
    (root / "params" / "scenarios" / f"{SCENARIO_NAME}.yaml").write_text(budget, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, sources_dir: Path) -> Path:
    """A copy of the project with markup in its data and a scenario file name, built. The articles sit at
    ../shared/sources, where the default parameters look. (A scenario edition, whose stamp names its scenario, is
    opened in a browser by test_reliability's scenario case: its pages are made by the same code as these.)"""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "study"
    for folder in ("notebooks", "params", "data/raw"):
        shutil.copytree(config.PROJ_ROOT / folder, root / folder)
    sources = base / "shared" / "sources"
    shutil.copytree(sources_dir, sources)
    _inject(root, sources)
    assert cli.main(["build", "--root", str(root), "--no-pdf"]) == 0
    return root


@pytest.fixture(scope="module")
def opened(hostile: Path) -> dict[str, dict]:
    """Each edition of the hostile study opened once in a real browser, its facts read by the tests below."""
    return {name: open_in_browser(hostile / "report" / name) for name in ("report.html", "rapport.html")}


def _check_page(path: Path, expected: set[str], facts: dict) -> dict:
    assert facts["pwned"] == "undefined", "a script of the data ran"
    assert facts["dialogs"] == []
    assert facts["requests"] == [path.resolve().as_uri()], facts["requests"]
    assert facts["with_onerror"] == 0 and facts["images_elsewhere"] == []
    text = facts["text"]
    for tag in expected:
        shown = SCENARIO_NAME if tag == "scenario" else payload(tag)
        assert " ".join(shown.split()) in text, f"{tag}: its markup is not shown as text"
    return facts


def _unescaped(html: str) -> list[str]:
    """Markup of the payloads that reached the HTML as markup (it must be none)."""
    return re.findall(r"<img src=(?:x|http://example\.invalid)[^>]*>|<b>[a-z_/.]+</b>|<script>window", html)


@pytest.mark.parametrize("edition", ["report.html", "rapport.html"])
def test_markup_in_the_data_is_shown_as_text_and_runs_nothing(hostile: Path, opened: dict[str, dict], edition: str):
    report = hostile / "report" / edition
    assert _unescaped(report.read_text(encoding="utf-8")) == []
    _check_page(report, SHOWN, opened[edition])


def test_every_free_text_column_is_shown_whole_or_not_at_all(opened: dict[str, dict]):
    """A column the report does not show (not in SHOWN) may not show any part of its markup either."""
    text = opened["report.html"]["text"]
    for file, column, _ in FREE_TEXT:
        tag = tag_of(file, column)
        assert tag not in text or " ".join(payload(tag).split()) in text, f"{tag}: shown in part"
