"""Publishing the executed report notebook: one offline HTML file (nbconvert), and a PDF printed by Chromium.

Browser discovery, in order: ``--browser`` / the ``STUDY_BROWSER`` environment variable, a system Chromium or
Chrome on the PATH, then Playwright's browser cache. Without one, the HTML is still published and the user
is told how to get a browser.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import nbformat

from divide_study.analysis.chart_files import PRINT_HEIGHT_MM, PRINT_WIDTH_MM
from divide_study.data.tables import write_text_atomic
from divide_study.errors import StudyError
from divide_study.i18n import Translator
from divide_study.language.formats import Formats
from divide_study.report.method_tables import METHOD_TABLES

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
HOW_TO_GET_A_BROWSER = (
    "no Chromium or Chrome found, so no PDF was printed (the HTML report is published). Install one "
    "(Debian/Ubuntu: `sudo apt-get install chromium`; macOS: install Google Chrome), or point "
    "STUDY_BROWSER at a Chrome/Chromium executable, then run `uv run study build --force --only 05_report`"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


@functools.cache
def _exporter() -> Any:
    """The report's HTML exporter, made once per process (its template compiled on first use)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="study",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # The figures embed themselves (Report.figure); markdown has no images. nbconvert's image embedding
        # re-parses each inline tag of markdown alone, which empties links: <a href="#figure-3"></a>Figure 3.
        embed_images=False,
    )
    # The notebook's own documentation (purpose, inputs, outputs) is for analysts, not for the report.
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"notebook-only", "parameters", "injected-parameters"}), enabled=True
    )
    return exporter


def prepare() -> None:
    """Import nbconvert and load the report's template ahead (a build does this while the report runs)."""
    with contextlib.suppress(Exception):  # a real problem shows when the report is converted
        _exporter().template  # noqa: B018 - compiles the template


def cover_line(stamp: dict[str, str], lang: str = "en", editions: dict[str, str] | None = None, name: str = "") -> str:
    """The cover's line under the abstract (HTML, every word escaped): the edition's date, the state of knowledge
    (the latest day its dated sources speak for), and a link to each other edition in that edition's language."""
    _ = Translator(lang, "report")
    parts = []
    if stamp.get("released"):
        parts.append(_("Edition of {date}").format(date=_shown_date(stamp["released"], lang)))
    if stamp.get("state"):
        parts.append(
            _("state of knowledge: {date} (its latest dated source)").format(date=_shown_date(stamp["state"], lang))
        )
    text = html.escape(" · ".join(parts))
    links = []
    for other, file in (editions or {}).items():
        if other == lang or file == name:
            continue
        words = _edition_name(other)
        links.append(
            f'<a class="other-edition" href="{html.escape(file)}.html" hreflang="{html.escape(other)}" '
            f'lang="{html.escape(other)}">{html.escape(words)}</a>'
        )
    shown = " · ".join([text, *links] if text else links)
    return f'<p class="cover-line" id="edition-date">{shown}</p>' if shown else ""


def _edition_name(lang: str) -> str:
    """The name of the edition in ``lang``, in its own language ("This report in English", "Ce rapport en
    français"): the words of a link to it from another edition."""
    _ = Translator(lang, "report")
    return _("This report in English")


def _shown_date(date: str, lang: str) -> str:
    _ = Translator(lang, "report")
    return Formats(lang).date(date) if re.fullmatch(r"\d{4}(-\d{2}){0,2}", date or "") else _("unknown")


def to_html(
    executed: Path,
    out: Path,
    title: str,
    stamp: dict[str, str] | None = None,
    lang: str = "en",
    editions: dict[str, str] | None = None,
) -> Path:
    """The executed notebook as a report: outputs only, through the study's template, images embedded.

    ``title`` is English; the page's title, language and every word the template adds (the cover's line, the
    colophon, the contents) are the edition's. ``editions`` (language -> file name, without .html) gives the
    other editions the cover links."""
    _ = Translator(lang, "report")
    title = _(title)
    notebook = nbformat.read(executed, as_version=4)
    # The executed copy records where it ran (papermill's paths); none of that belongs in the report.
    notebook.metadata = {"title": title, "language_info": notebook.metadata.get("language_info", {})}
    notebook.metadata["study_words"] = {
        "scenario": _("Scenario edition, not the published study."),
        "parameters": _("Parameters:"),
        "data": _("data"),
        "as_of": _("latest article:"),
        "default": _("default"),
        "colophon": _("Colophon"),
        "state": _("state of knowledge:"),
        "released": _("edition of"),
        "made": _(
            "Built from the study's data and notebooks by its own command (papermill runs the notebooks, nbconvert "
            "writes this report, Chromium prints it to PDF); the fingerprints above name the parameters, the data and "
            "the code this edition was built from, so that anyone can build it again."
        ),
        "tables": _("The tables the Method names are files of the study's data: {tables}.").format(
            tables=Formats(lang).join([f"{_(words)} ({file})" for file, words in METHOD_TABLES.values()])
        ),
    }
    # The box every chart prints in, from the one place it is written (the charts are drawn to it).
    notebook.metadata["study_print"] = {"width_mm": PRINT_WIDTH_MM, "height_mm": PRINT_HEIGHT_MM}
    if stamp:
        notebook.metadata["study_stamp"] = {
            **stamp,
            "date_shown": _shown_date(stamp.get("date", ""), lang),
            "state_shown": _shown_date(stamp.get("state", ""), lang),
            "released_shown": _shown_date(stamp.get("released", ""), lang),
        }
    # papermill gives cells random ids; the report's anchors must be the same from one build to the next.
    for number, cell in enumerate(notebook.cells, start=1):
        cell["id"] = f"cell-{number}"
    exporter = _exporter()
    exporter.language_code = lang  # <html lang="…">: screen readers, hyphenation and spelling follow it
    body, _resources = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    # The contents and the links of "Figure N" / "Table N", read from the page itself.
    from divide_study.report.layout import lay_out

    cover = cover_line(stamp or {}, lang, editions, out.stem)
    write_text_atomic(lay_out(body, lang, cover), out)
    return out


def find_browser(explicit: str | None = None) -> str | None:
    """A Chrome or Chromium executable, or None."""
    for candidate in (explicit, os.environ.get("STUDY_BROWSER")):
        if candidate:
            found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
            if not found:
                raise StudyError(f"the browser {candidate!r} (from --browser or STUDY_BROWSER) was not found")
            return found
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    for chrome in sorted(cache.glob("chromium-*/chrome-linux*/chrome"), reverse=True):
        if os.access(chrome, os.X_OK):
            return str(chrome)
    return None


# The contents' links as layout.table_of_contents writes them: each section, figure and table, by its anchor.
CONTENTS_LINK = re.compile(r'(<a href="#([a-z0-9-]+)">)(.*?)(</a>)', re.S)


def pages_of_contents(page_texts: list[str], contents: list[tuple[str, str]], lang: str = "en") -> dict[str, int]:
    """The page (1-based) each entry of the contents starts on, read from the printed pages' text: a section by
    the line (or the two or three lines, when it wraps) that is its heading, a figure or a table by the line that
    starts its caption ("Figure 3." / "Tableau 3."); each kind searched in reading order from the page of the one
    before, after the contents' own page."""
    _ = Translator(lang, "report")
    words = {"figure": _("Figure"), "table": _("Table")}
    found: dict[str, int] = {}
    start = {"section": 1, "figure": 1, "table": 1}
    # Compared as NFKC, so that a printed ligature ("ﬁbre") reads as its letters.
    pages = [
        [" ".join(unicodedata.normalize("NFKC", line).split()) for line in text.splitlines()] for text in page_texts
    ]
    for anchor, text in contents:
        kind, _sep, number = anchor.rpartition("-")
        if kind in words and number.isdigit():
            wanted = f"{words[kind]} {number}."

            def here(lines: list[str], wanted: str = wanted) -> bool:
                return any(line.startswith(wanted) for line in lines)
        else:
            kind, heading = "section", " ".join(unicodedata.normalize("NFKC", text).split())

            def here(lines: list[str], heading: str = heading) -> bool:
                return any(" ".join(lines[i : i + size]) == heading for size in (1, 2, 3) for i in range(len(lines)))

        for index in range(start[kind], len(pages)):
            if here(pages[index]):
                found[anchor] = index + 1
                start[kind] = index
                break
    return found


def with_page_numbers(source: str, pages: dict[str, int]) -> str:
    """The page's contents with each entry's page number (``<span class="toc-page">``), for printing."""
    start, end = source.find('<nav class="toc"'), source.find("</nav>")
    if start == -1 or end == -1:
        return source

    def number(match: re.Match[str]) -> str:
        page = pages.get(match.group(2))
        if page is None:
            return match.group(0)
        return f'{match.group(1)}{match.group(3)}<span class="toc-page">{page}</span>{match.group(4)}'

    return source[:start] + CONTENTS_LINK.sub(number, source[start:end]) + source[end:]


def contents_of(source: str) -> list[tuple[str, str]]:
    """(anchor, text) of each entry of the page's contents, in order."""
    start, end = source.find('<nav class="toc"'), source.find("</nav>")
    if start == -1 or end == -1:
        return []
    return [
        (anchor, html.unescape(re.sub(r"<[^>]+>", "", text)))
        for _open, anchor, text, _close in CONTENTS_LINK.findall(source[start:end])
    ]


def _page_texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def anchor_pages(pdf: Path, anchors: list[str]) -> dict[str, int]:
    """The page (1-based) of each of ``anchors`` that the PDF names: Chromium writes a named destination for
    each element id a link of the page points to, at the page the element is printed on. Reading them costs
    well under a second; reading every page's text (``_page_texts``) cost several seconds of CPU per edition."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    named = reader.named_destinations
    found = {}
    for anchor in anchors:
        destination = named.get(f"/{anchor}", named.get(anchor))
        if destination is not None:
            page = reader.get_destination_page_number(destination)
            if page >= 0:
                found[anchor] = page + 1
    return found


def contents_pages(pdf: Path, contents: list[tuple[str, str]], lang: str = "en") -> dict[str, int]:
    """The page of each entry of the contents in the printed ``pdf``: from its named destinations
    (``anchor_pages``); an entry the PDF does not name is found by its printed text (``pages_of_contents``)."""
    pages = anchor_pages(pdf, [anchor for anchor, _text in contents])
    missing = [entry for entry in contents if entry[0] not in pages]
    if missing:
        pages.update(pages_of_contents(_page_texts(pdf), missing, lang))
    return pages


def to_pdf(html_file: Path, out: Path, browser: str, timeout: int = 180, lang: str = "en") -> Path:
    """Print the HTML to an A4 PDF with headless Chromium; the previous PDF stays until the new one is whole.

    Printed twice: the first print tells on which page each entry of the contents starts, the second prints the
    contents with those page numbers (Chromium has no ``target-counter``). The PDF records the SHA-256 of the
    HTML it was printed from (``record_html_hash``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    printed_from = html_hash(html_file)  # read before printing: the PDF records the HTML Chromium was given
    with tempfile.TemporaryDirectory(prefix="study-chromium-") as profile:
        first = _print(html_file, Path(profile) / "first.pdf", browser, profile, timeout)
        source = html_file.read_text(encoding="utf-8")
        pages = contents_pages(first, contents_of(source), lang)
        numbered = Path(profile) / html_file.name  # self-contained: its images are embedded
        numbered.write_text(with_page_numbers(source, pages), encoding="utf-8")
        partial = _print(numbered, Path(profile) / "report.pdf", browser, profile, timeout)
        record_html_hash(partial, printed_from)
        shutil.move(str(partial), out.with_suffix(".pdf.tmp"))
    os.replace(out.with_suffix(".pdf.tmp"), out)
    return out


def _print(page: Path, partial: Path, browser: str, profile: str, timeout: int) -> Path:
    """One print of ``page`` to ``partial`` by headless Chromium (its profile in ``profile``)."""
    command = [
        browser,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}/profile",
        f"--print-to-pdf={partial}",
        page.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise StudyError(f"Chromium ({browser}) did not finish printing the PDF within {timeout} s") from exc
    except OSError as exc:  # not a program (STUDY_BROWSER naming a text file, a folder): said, not a traceback
        raise StudyError(
            f"the browser {browser} could not be started ({exc.strerror or exc}); set STUDY_BROWSER to a Chrome "
            "or Chromium executable, or build with --no-pdf"
        ) from exc
    if done.returncode != 0 or not partial.is_file() or not partial.read_bytes().startswith(b"%PDF"):
        tail = "\n".join(done.stderr.strip().splitlines()[-5:]) or "it said nothing"
        made = (
            ""
            if done.returncode != 0
            else (" and wrote no PDF" if not partial.is_file() else " and wrote no PDF but another file")
        )
        raise StudyError(f"Chromium ({browser}) could not print the PDF (exit {done.returncode}{made}): {tail}")
    return partial


def publish_report(
    executed: Path,
    report_dir: Path,
    title: str,
    pdf: bool = True,
    stamp: dict[str, str] | None = None,
    lang: str = "en",
    name: str = "report",
    editions: dict[str, str] | None = None,
) -> list[str]:
    """Write NAME.html (and NAME.pdf when asked and a browser exists); return notes for the user.

    ``title`` is the English title; the edition's comes from its catalog. Without a new PDF (``--no-pdf``,
    or no browser), the last PDF is kept when the HTML it was printed from did not change; otherwise it is
    removed (a PDF that disagrees with the HTML is worse than none), and the note says so.
    """
    out = report_dir / f"{name}.html"
    html = to_html(executed, out, title, stamp, lang, editions)
    if pdf:
        browser = find_browser()
        if browser is not None:
            to_pdf(html, report_dir / f"{name}.pdf", browser, lang=lang)
            return []
        why = [HOW_TO_GET_A_BROWSER]
    else:
        why = ["PDF skipped (--no-pdf)"]
    old_pdf = report_dir / f"{name}.pdf"
    if not old_pdf.is_file():
        return why
    # The PDF says which HTML it was printed from; the HTML published before this build need not be that one
    # (a checkout of the committed report.html leaves the uncommitted PDF of another build in place).
    recorded = recorded_html_hash(old_pdf)
    if recorded is not None and recorded == html_hash(html):
        return [*why, f"the last {name}.pdf is kept: the HTML it was printed from has not changed"]
    # Removed from this build's own folders: the published PDF goes only if the build publishes (a failed build
    # keeps it), so the note says what publishing will do, not what is done.
    old_pdf.unlink()
    if recorded is None:
        return [
            *why,
            f"the last {name}.pdf is removed if this build publishes: it does not record the HTML it was printed "
            "from, so it may not match (build without --no-pdf)",
        ]
    return [
        *why,
        f"the last {name}.pdf is removed if this build publishes: it was printed from another HTML than this "
        f"build's (SHA-256 {recorded[:12]}…), so it no longer matched (build without --no-pdf)",
    ]


# The key of the PDF's document information dictionary (PDF 1.7, 14.3.3: any key may be added) that holds the
# SHA-256 of the HTML the PDF was printed from. It is written as an incremental update (7.5.6), so Chromium's
# bytes stay as they are and any PDF reader reads the file as before.
RECORD_KEY = b"/StudyHTMLSHA256"
_RECORD = re.compile(re.escape(RECORD_KEY) + rb"\s*\(([0-9a-f]{64})\)")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*\Z", re.DOTALL)


def html_hash(html: Path) -> str:
    return hashlib.sha256(html.read_bytes()).hexdigest()


def record_html_hash(pdf: Path, sha256: str) -> None:
    """Append to ``pdf`` a new document information dictionary: the old one's entries and RECORD_KEY."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a SHA-256 in hexadecimal: {sha256!r}")
    data = pdf.read_bytes()
    trailer = _TRAILER.match(data, max(data.rfind(b"trailer"), 0))  # the last one: an update's, if any
    if trailer is None:
        raise StudyError(f"{pdf.name}: the printed PDF does not end with a trailer and %%EOF, so it cannot be recorded")
    fields, previous = trailer.group(1), int(trailer.group(2))
    size, root = re.search(rb"/Size\s+(\d+)", fields), re.search(rb"/Root\s+(\d+\s+\d+\s+R)", fields)
    if size is None or root is None:
        raise StudyError(f"{pdf.name}: the printed PDF's trailer has no /Size or /Root, so it cannot be recorded")
    entries = b""
    info = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", fields)
    if info is not None:
        starts = list(re.finditer(rb"(?<![0-9])" + info.group(1) + rb"\s+" + info.group(2) + rb"\s+obj\s*<<", data))
        if starts:
            end = data.find(b"endobj", starts[-1].end())
            close = data.rfind(b">>", starts[-1].end(), end)
            if end != -1 and close != -1:
                entries = _RECORD.sub(b"", data[starts[-1].end() : close]).strip()
    number = int(size.group(1))
    identifier = re.search(rb"/ID\s*\[[^\]]*\]", fields)
    body = b"\n%d 0 obj\n<<%b %b (%b)>>\nendobj\n" % (number, entries, RECORD_KEY, sha256.encode())
    offset = len(data) + 1  # the object starts after the newline that opens the body
    xref = len(data) + len(body)
    tail = (
        b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, offset)
        + b"trailer\n<</Size %d /Root %b /Info %d 0 R /Prev %d%b>>\n"
        % (
            number + 1,
            root.group(1),
            number,
            previous,
            b" " + identifier.group(0) if identifier else b"",
        )
        + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    pdf.write_bytes(data + body + tail)


def recorded_html_hash(pdf: Path) -> str | None:
    """The SHA-256 of the HTML ``pdf`` was printed from, as it records it; None if it records none."""
    found = list(_RECORD.finditer(pdf.read_bytes()))
    return found[-1].group(1).decode() if found else None
