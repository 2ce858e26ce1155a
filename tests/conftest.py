"""Shared fixtures: the real articles (required in CI), and a tiny self-contained study to break on purpose."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from divide_study import config
from divide_study.data import clean
from divide_study.data.datapackage import write_datapackage
from divide_study.engine import cli

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The press articles beside the project. In CI they must be there; elsewhere the test skips."""
    if not any(config.SOURCES_DIR.glob("*.txt")):
        if IN_CI:
            pytest.fail(f"CI=true but the articles are missing from {config.SOURCES_DIR}")
        pytest.skip(f"the articles are not in {config.SOURCES_DIR} (they live in ../shared/sources)")
    return config.SOURCES_DIR


@pytest.fixture(scope="session")
def processed(sources_dir: Path, tmp_path_factory) -> Path:
    """The study's real raw data cleaned into a temporary folder (data/processed is not touched)."""
    out = tmp_path_factory.mktemp("processed")
    clean.run(raw_dir=config.RAW_DIR, sources_dir=sources_dir, out_dir=out)
    write_datapackage(out)  # as the build does after its steps
    return out


TINY_ARTICLE = (
    "Le Gers vendredi 15 mars\n\n"
    "Plus de 13.000 prises sont éligibles. Un budget de 100 millions d'euros. "
    "Deux Gersois sur trois d'ici 2020. Le Conseil départemental.\n"
)


def _offsets(text: str, span: str) -> tuple[int, int]:
    start = text.index(span)
    return start, start + len(span)


@pytest.fixture
def tiny_study(tmp_path: Path) -> dict[str, Path]:
    """A complete raw folder with one made-up article, built from inline rows, plus an empty output folder."""
    sources = tmp_path / "sources"
    sources.mkdir()
    name = "900_0000000000000000.txt"
    (sources / name).write_text(TINY_ARTICLE, encoding="utf-8")
    raw_bytes = TINY_ARTICLE.encode()
    raw = tmp_path / "raw"
    (raw / "reference").mkdir(parents=True)
    for schema in config.RAW_DIR.glob("*.schema.json"):
        shutil.copy(schema, raw / schema.name)
    shutil.copy(config.RAW_DIR / "units.csv", raw / "units.csv")  # the units are data, as the study's own
    for schema in config.REFERENCE_DIR.glob("*.schema.json"):
        shutil.copy(schema, raw / "reference" / schema.name)
    d0, d1 = _offsets(TINY_ARTICLE, "vendredi 15 mars")
    (raw / "sources.csv").write_text(
        "article,source,sha256,size_bytes,article_start,article_end,title,outlet,author,date_text,date_start,"
        "date_end,relevant,relevance_note\n"
        f"900,{name},{hashlib.sha256(raw_bytes).hexdigest()},{len(raw_bytes)},0,{len(TINY_ARTICLE)},Le Gers,,,"
        f"vendredi 15 mars,{d0},{d1},true,test article\n",
        encoding="utf-8",
    )
    c0, c1 = _offsets(TINY_ARTICLE, "Le Conseil départemental")
    t0, t1 = _offsets(TINY_ARTICLE, "d'ici 2020")
    (raw / "date_clues.csv").write_text(
        "article,kind,value,source,span,start,end,reference_topic,reference_figure,reason\n"
        f"900,year_min,2015,{name},Le Conseil départemental,{c0},{c1},,,renamed in 2015\n"
        f"900,year_max,2020,{name},d'ici 2020,{t0},{t1},,,target ahead\n",
        encoding="utf-8",
    )
    rows = []
    for fid, span, value_text, unit_text, unit, qualifier_text, as_of in (
        ("plugs", "Plus de 13.000 prises", "13.000", "prises", "plugs", "Plus de", "published"),
        ("budget", "budget de 100 millions d'euros", "100 millions d'euros", "", "EUR", "", "2014"),
        ("target", "Deux Gersois sur trois d'ici 2020", "Deux Gersois sur trois", "", "share", "d'ici 2020", "2020"),
    ):
        s0, s1 = _offsets(TINY_ARTICLE, span)
        rows.append(
            f"{fid},{name},900,gers,m_{fid},{value_text},{unit_text},{unit},{qualifier_text},{as_of},{span},{s0},{s1},"
        )
    (raw / "figures.csv").write_text(
        "figure_id,source,article,initiative,metric,value_text,unit_text,unit,qualifier_text,as_of,span,start,end,"
        "note\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    (raw / "initiatives.csv").write_text(
        "initiative,name,short_name,colour,territory,model,technology,lead,start_figure,population_topic,"
        "population_figure,note\ngers,Gers test,Gers,#0072b2,Gers,public_network,FTTH,Département,,,,\n",
        encoding="utf-8",
    )
    (raw / "measures.csv").write_text(
        "initiative,quantity,option,default,scope,spending,figure_id,reference_topic,reference_figure,reference_as_of,"
        "assumed_value,assumed_unit,note,also_paid_for\ngers,cost,budget,true,whole_network,gers_2014,budget,,,,,,test,\n",
        encoding="utf-8",
    )
    (raw / "reference" / "cpi_france.csv").write_text(
        "year,cpi_2015_100,kind,source\n2014,99.96,published,INSEE\n2015,100.00,published,INSEE\n", encoding="utf-8"
    )
    (raw / "reference" / "external_figures.csv").write_text(
        "topic,figure,value,unit,as_of,source,quote,note\ngers_population,population,190000,inhabitants,2015,"
        "INSEE,190 000 habitants,\n",
        encoding="utf-8",
    )
    (raw / "reference" / "reference_tables.csv").write_text(
        "table,title,producer,kind,access_note\ncpi_france.csv,CPI,INSEE,published,test\n"
        "external_figures.csv,figures,various,published,test\n",
        encoding="utf-8",
    )
    return {"raw": raw, "sources": sources, "out": tmp_path / "processed", "article": sources / name}


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 under a folder, to prove nothing was touched."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


# --- a built copy of the project, for cases run through the real `study build` (slow) ---------------------

PUBLISHED = ("data/processed", "figures", "report")


@pytest.fixture(scope="session")
def built(tmp_path_factory, sources_dir: Path) -> Path:
    """A copy of the project (with its own copy of the articles), built once for the whole test run: under
    pytest-xdist, the first worker to ask builds it and the others wait for it (a lock file beside the workers'
    own temporary folders). Tests never change it: each case works on a copy (``project``)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by every worker of this run
    folder = base / "built-study"
    root = folder / "study"
    with open(base / "built-study.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            for part in ("notebooks", "params", "data/raw"):
                shutil.copytree(config.PROJ_ROOT / part, root / part)
            shutil.copytree(sources_dir, root / "sources")
            (root / "params" / "here.yaml").write_text(f"sources_dir: {root / 'sources'}\n", encoding="utf-8")
            code = cli.main(["build", "--root", str(root), "--no-pdf", "--params", str(root / "params/here.yaml")])
            assert code == 0
            (folder / "done").write_text("", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def walked(tmp_path_factory, sources_dir: Path) -> Path:
    """A copy of the project and of ../shared beside it with two networks added by rows only, built once with the
    real ``study build``: the guide's worked example (docs/adding-an-initiative.md, followed literally, for
    test_walkthrough.py) and a made-up network with its figures in the reference data (for test_new_initiative.py).
    One build for both: the two modules run in one worker (``xdist_group``)."""
    from test_new_initiative import add_made_up_network
    from test_walkthrough import GUIDE, follow, study_build, worked_example

    base = tmp_path_factory.mktemp("walk")
    root = base / "study"
    for folder in ("notebooks", "params", "data/raw"):
        shutil.copytree(config.PROJ_ROOT / folder, root / folder)
    shutil.copytree(sources_dir, base / "shared" / "sources")
    shutil.copytree(sources_dir.parent / "reference", base / "shared" / "reference")
    follow(worked_example(GUIDE.read_text(encoding="utf-8")), root)
    add_made_up_network(root / "data" / "raw")
    result = study_build(root)
    assert result.returncode == 0, result.stderr[-4000:]
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project for one case, its articles pointed at its own copy."""
    root = tmp_path / "study"
    shutil.copytree(built, root, symlinks=True)
    (root / "params" / "here.yaml").write_text(f"sources_dir: {root / 'sources'}\n", encoding="utf-8")
    return root


def published(root: Path) -> dict[str, dict[str, str]]:
    return {folder: tree_digest(root / folder) for folder in PUBLISHED}


@pytest.fixture
def french_catalog(tmp_path: Path, monkeypatch):
    """``french_catalog(domain, po_text)``: the French edition reads that PO text as its ``domain`` catalog (a
    locale folder under tmp_path, the catalogs' cache cleared before and after); returns the folder."""
    from divide_study import i18n

    def use(domain: str, text: str) -> Path:
        folder = tmp_path / "fr" / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{domain}.po").write_text(text, encoding="utf-8")
        monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
        i18n.catalog.cache_clear()
        return tmp_path

    yield use
    i18n.catalog.cache_clear()


# --- pytest-xdist: which tests may run beside which --------------------------------------------------------

# Tests that run the real project's notebooks interactively write its build/sandbox/ (and JupyterLab's
# settings): they run one after the other, in one worker.
SHARE_THE_PROJECTS_SANDBOX = {"test_lab.py", "test_params.py", "test_notebooks.py"}


# Tests that read the study built with two networks added by rows (the session fixture ``walked``): one worker, so
# one build.
SHARE_THE_WALKED_STUDY = {"test_walkthrough.py", "test_new_initiative.py"}


def pytest_xdist_auto_num_workers(config) -> int | None:
    """``-n auto``: one worker more than the cores this process may use. Many tests spend their time waiting on a
    kernel, a JupyterLab server, a browser or a build's subprocesses: on a 2-core machine, three workers use the
    cores at about 173 % where two used them at 152 %. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set
    (pytest-xdist's own rule, left to it)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own implementation reads it
    # The cores this process may use where the system says (Linux), else all of them (macOS, Windows).
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + 1


def xdist_group(nodeid: str) -> str:
    """The worker group of a test: its module's file name, or the group of the modules that share the project's
    sandbox or the walked study."""
    name = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    if name in SHARE_THE_PROJECTS_SANDBOX:
        return "project-sandbox"
    return "walked-study" if name in SHARE_THE_WALKED_STUDY else name


# The groups that take longest, longest first (measured with --durations on 5 December 2026: three workers on two
# cores), sent to the workers before the others so that no long group starts last and leaves the other workers idle
# at the end. The first needs the shared build (``built``) and starts it; the next three make their own build or
# none, so no worker waits for it. The order changes how long the run takes, never what it checks.
LONGEST_FIRST = (
    "test_reliability.py",
    "project-sandbox",
    "test_escaping.py",
    "walked-study",
    "test_pipeline.py",
    "test_data_hardening.py",
    "test_untrusted_build_files.py",
    "test_determinism.py",
    "test_lab_save.py",
    "test_report.py",
)


def pytest_collection_modifyitems(config, items) -> None:
    """The longest groups first (``LONGEST_FIRST``), then the others in their collected order; a stable sort, so
    each module's tests keep their order. pytest-xdist sends the groups in this order (``--no-loadscope-reorder``
    in pyproject.toml; its own reordering sends the groups with the most tests first, which are short ones)."""
    rank = {group: position for position, group in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(xdist_group(item.nodeid), len(rank)))


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup``: each test module runs in one worker (its module-scoped fixtures, often a build, are
    made once), the modules that share the project's sandbox in the same one.

    Grouped here, from the test's id, rather than by ``xdist_group`` marks: pytest-xdist 3.8 puts a mark's group
    into the test's id by setting an attribute pytest 9 no longer reads, so the marks grouped nothing, every
    module was spread over the workers, and each worker made its module's fixtures again (the hostile study's two
    builds, the walkthrough's build...)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)

    return ByModule(config, log)


SOURCE_GROUP = re.compile(r'<tr class="source-row"[^>]*><th[^>]*>(.*?)</th></tr>(.*?)</tbody>', re.S)
ENTRY_ROW = re.compile(r'<tr id="number-(\d+)">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
GROUP_BLOCK = re.compile(r'<div class="study-table-block[^"]*provenance-group"(.*?)</table>', re.S)
GROUP_CELL = re.compile(
    r'<td class="[^"]*\bcol(\d+)\b[^"]*"[^>]*><span class="entry" id="number-(\d+)">(.*?)</span> '
    r'<span class="entry-number">(.*?)</span></td>',
    re.S,
)


def appendix_entries(text: str) -> dict[int, dict[str, str]]:
    """Every entry of a built edition's provenance appendix, by its number K, as HTML: its ``number``, ``what``,
    ``source`` and ``words``. An entry of the main table is its row, under its source's heading row (the
    ``source``); an entry shown in a group's table (one row per département) is its cell: ``what`` its column's
    header, ``source`` the column's note (what its numbers are and where they come from), ``words`` the cell's own
    (its raw row, or links to the entries it is computed from). An entry found twice fails: each number is one."""
    found: dict[int, dict[str, str]] = {}

    def add(n: int, entry: dict[str, str]) -> None:
        assert n not in found, f"entry {n} is in the appendix twice"
        found[n] = entry

    for source, group in SOURCE_GROUP.findall(text):
        for n, row in ENTRY_ROW.findall(group):
            cells = CELL.findall(row)
            add(int(n), {"number": cells[1], "what": cells[2], "source": source, "words": cells[3]})
    for block in GROUP_BLOCK.findall(text):
        notes = re.findall(r"<li><strong>(.*?)</strong>\u00a0?: (.*?)</li>", block, re.S)  # French: a no-break space
        for column, n, number, words in GROUP_CELL.findall(block):
            header, note = notes[int(column) - 1]  # column 0 names the row
            add(int(n), {"number": number, "what": header, "source": note, "words": words})
    return found


def executed_report(path: Path, text: str) -> Path:
    """A one-cell executed notebook whose output is ``text`` (Markdown), as the report step leaves it."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"language_info": {"name": "python"}}
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": text})]
    nb.cells = [cell]
    nbformat.write(nb, path)
    return path


def open_in_browser(path: Path) -> dict:
    """The page in a real headless Chromium: its visible text, its requests (all but its own file aborted), its
    dialogs, whether a payload's flag (``window.__pwned``) was set, and its scripts and images."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed")
    own = path.resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            requests, dialogs = [], []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

            def route(r):
                requests.append(r.request.url)
                if r.request.url == own:
                    r.continue_()
                else:
                    r.abort()

            page.route("**/*", route)
            page.on("request", lambda request: requests.append(request.url))
            page.goto(own, wait_until="load")
            page.wait_for_timeout(500)
            return {
                "text": " ".join(page.inner_text("body").split()),
                "requests": sorted({u for u in requests if not u.startswith("data:")}),
                "dialogs": dialogs,
                "pwned": page.evaluate("typeof window.__pwned"),
                "scripts": page.evaluate("document.scripts.length"),
                "with_onerror": page.evaluate("document.querySelectorAll('[onerror]').length"),
                "images_elsewhere": page.evaluate(
                    "[...document.images].filter(i => !i.src.startsWith('data:')).map(i => i.src)"
                ),
            }
        finally:
            browser.close()
