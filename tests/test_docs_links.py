"""Every relative link of README.md and docs/*.md leads somewhere: the file exists, and so does the heading an
anchor names (GitHub's rule for a heading's anchor). No build, no network: web addresses are not followed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from divide_study import config

DOCUMENTS = [config.PROJ_ROOT / "README.md", *sorted((config.PROJ_ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The text without code blocks and code spans, where brackets and '#' are not markdown."""
    return _CODE.sub("", _FENCE.sub("", text))


def anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link keeps its words
    title = title.replace("`", "").replace("*", "").lower()
    kept = "".join(c for c in title if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a document's headings; a repeated heading gets -1, -2 ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for match in _HEADING.finditer(prose(text)):
        base = anchor(match["title"])
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(text: str) -> list[str]:
    return [m["target"] for m in _LINK.finditer(prose(text)) if not re.match(r"[a-z][a-z0-9+.-]*:", m["target"])]


def test_the_documents_are_found():
    assert config.PROJ_ROOT / "docs" / "adding-an-initiative.md" in DOCUMENTS
    assert len(DOCUMENTS) > 2


def dead_links(document: Path) -> list[str]:
    """The relative links of ``document`` that lead to no file, or to no heading of the file they name."""
    dead = []
    for target in relative_links(document.read_text(encoding="utf-8")):
        path, _, fragment = target.partition("#")
        file = (document.parent / path).resolve() if path else document
        if not file.exists():
            dead.append(f"{target}: no file {file}")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file.read_text(encoding="utf-8")):
            dead.append(f"{target}: no heading with anchor #{fragment} in {file.name}")
    return dead


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_heading(document: Path):
    dead = dead_links(document)
    assert dead == [], f"{document.name} has dead links:\n" + "\n".join(dead)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Worked example: a made-up initiative", "worked-example-a-made-up-initiative"),
        ("The two editions: English and French", "the-two-editions-english-and-french"),
        (
            "Escaping: data and file names reach the report as text (issue 14, item 4; `tests/test_escaping.py`)",
            "escaping-data-and-file-names-reach-the-report-as-text-issue-14-item-4-teststest_escapingpy",
        ),
        ("Réponses françaises", "réponses-françaises"),
    ],
)
def test_a_heading_anchor_follows_github(title: str, expected: str):
    assert anchor(title) == expected


def test_a_dead_link_and_a_dead_anchor_are_found(tmp_path: Path):
    (tmp_path / "other.md").write_text("# Other\n\n## Part\n", encoding="utf-8")
    text = (
        "# Top\n\nSee [a](missing.md), [b](#top), [c](#nowhere), `[d](ignored.md)`, [e](https://example.org),"
        " [f](other.md#part), [g](other.md#gone), ![h](other.md).\n\n```\n[i](in-code.md)\n```\n"
    )
    (tmp_path / "doc.md").write_text(text, encoding="utf-8")
    assert dead_links(tmp_path / "doc.md") == [
        f"missing.md: no file {tmp_path / 'missing.md'}",
        "#nowhere: no heading with anchor #nowhere in doc.md",
        "other.md#gone: no heading with anchor #gone in other.md",
    ]
