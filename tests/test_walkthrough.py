"""The "Adding an initiative" steps (docs/adding-an-initiative.md), followed literally on their made-up worked example.

The test reads the worked example from the guide itself (the article to save, the rows to append, the copy to
make), does exactly that in a copy of the project with a copy of ``../shared`` beside it, runs the real
``study build`` and checks the new initiative reaches every processed table, chart and report part the guide
promises. Then it makes the mistake the guide shows and checks the build stops with the guide's message and
publishes nothing. So the guide and the study cannot drift apart.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from conftest import published

from divide_study import config
from divide_study.errors import DataError

GUIDE = config.PROJ_ROOT / "docs" / "adding-an-initiative.md"
STEPS_HEADING = "# Adding an initiative (data rows only)"
EXAMPLE_HEADING = "## Worked example: a made-up initiative"
INITIATIVE = "haut_vallon"


@dataclass(frozen=True)
class Action:
    verb: str  # "save", "append" or "copy"
    path: str  # relative to the project root, as the guide writes it
    text: str = ""  # the block to save or append
    to: str = ""  # where a copy goes


_BLOCK = re.compile(r"^(?P<verb>Save as|Append to) `(?P<path>[^`]+)`:\n\n```\w*\n(?P<text>.*?)\n```", re.M | re.S)
_COPY = re.compile(r"`cp (?P<path>\S+) (?P<to>\S+)`")


def guide_section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    following = re.compile(rf"^#{{1,{len(level)}}} ", re.M).search(text, start + len(heading))
    return text[start : following.start() if following else len(text)]


def worked_example(text: str) -> list[Action]:
    """The example's steps in the guide's order: files to save, rows to append, tables to copy."""
    section = guide_section(text, EXAMPLE_HEADING)
    found = [
        (m.start(), Action("save" if m["verb"] == "Save as" else "append", m["path"], m["text"]))
        for m in _BLOCK.finditer(section)
    ]
    found += [(m.start(), Action("copy", m["path"], to=m["to"])) for m in _COPY.finditer(section)]
    return [action for _, action in sorted(found, key=lambda pair: pair[0])]


def follow(actions: list[Action], root: Path) -> None:
    """Do what the guide says, in its order, with paths taken from the project root as a shell there would."""
    for action in actions:
        target = root / action.path
        if action.verb == "save":
            target.write_text(action.text + "\n", encoding="utf-8", newline="")
        elif action.verb == "append":
            existing = target.read_text(encoding="utf-8")
            assert existing.endswith("\n"), f"{action.path} does not end with a line break: appending would join rows"
            target.write_text(existing + action.text + "\n", encoding="utf-8", newline="")
        else:
            destination = root / action.to
            shutil.copy(target, destination / target.name if action.to.endswith("/") else destination)


def error_example(text: str) -> str:
    """The error message the guide shows for its example mistake."""
    section = guide_section(text, STEPS_HEADING)
    return re.search(r"would stop with:\n\n```text\n(?P<message>.*?)\n```", section, re.S)["message"]


def study_build(root: Path) -> subprocess.CompletedProcess:
    """`study build` on the copy, as a user runs it (the console script of this environment)."""
    study = Path(sys.executable).with_name("study")
    command = [str(study)] if study.exists() else [sys.executable, "-m", "divide_study.engine.cli"]
    return subprocess.run(
        [*command, "build", "--root", str(root), "--no-pdf"], capture_output=True, text=True, timeout=1800
    )


def processed_rows(root: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((root / "data/processed" / f"{name}.csv").read_text(encoding="utf-8"))))


# --- the guide itself: cheap checks, run first ---------------------------------------------------------------


def test_the_worked_example_touches_every_file_the_steps_name():
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide_section(guide, STEPS_HEADING)
    steps = section[: section.index(EXAMPLE_HEADING)]
    actions = worked_example(guide)
    touched = {a.path for a in actions} | {a.to + Path(a.path).name for a in actions if a.verb == "copy"}
    # Every table a new network needs, and the optional ones the example shows, are in the example.
    for table in (
        "sources",
        "article_classes",
        "date_clues",
        "figures",
        "claims",
        "initiatives",
        "measures",
        "spending_profiles",
        "funding",
    ):
        assert f"data/raw/{table}.csv" in touched, table
    assert "../shared/reference/external_figures.csv" in touched
    assert "data/raw/reference/external_figures.csv" in touched
    # ... and every file the example touches is named in the steps above it, so a reader meets it there.
    for path in touched:
        name = path.removeprefix("../shared/sources/")
        if path.startswith("../shared/sources/"):
            assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", name), name
        else:
            assert f"`{Path(path).name}`" in steps or f"`{path}`" in steps, path


def test_the_example_article_follows_the_name_rule_and_its_registered_fingerprint():
    actions = worked_example(GUIDE.read_text(encoding="utf-8"))
    (article,) = [a for a in actions if a.verb == "save"]
    data = (article.text + "\n").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    with (config.RAW_DIR / "sources.csv").open(encoding="utf-8") as handle:
        taken = {int(row["source"][:3]) for row in csv.DictReader(handle)}
    # The next free number, then the start of the SHA-256.
    assert Path(article.path).name == f"{max(taken) + 1:03d}_{digest[:16]}.txt"
    (registry,) = [a for a in actions if a.path == "data/raw/sources.csv"]
    row = next(csv.DictReader(io.StringIO(registry.text), fieldnames=_header("data/raw/sources.csv")))
    assert (row["sha256"], int(row["size_bytes"]), int(row["article_end"])) == (digest, len(data), len(data.decode()))


def _header(path: str) -> list[str]:
    """The header of the table at ``path`` (as the guide writes it); the shared reference tables have the same
    header as the project's copies."""
    shared = "../shared/reference/"
    table = config.REFERENCE_DIR / path.removeprefix(shared) if path.startswith(shared) else config.PROJ_ROOT / path
    with table.open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_the_example_rows_have_the_columns_of_their_tables():
    for action in worked_example(GUIDE.read_text(encoding="utf-8")):
        if action.verb != "append":
            continue
        header = _header(action.path)
        for number, row in enumerate(csv.reader(io.StringIO(action.text)), start=1):
            assert len(row) == len(header), f"{action.path}, example row {number}: {len(row)} fields, {len(header)}"


def test_a_network_added_as_rows_is_drawn_in_the_per_mbit_chart():
    """An initiative the chart code does not name gets a colour (it crashed 02_compare_networks before)."""
    import matplotlib.pyplot as plt

    from divide_study.analysis import plots

    comparison = pd.DataFrame(
        {
            "initiative": ["gers_numerique", "gers_numerique", INITIATIVE, INITIATIVE],
            "metric": ["speed", "cost_per_premise_per_mbit"] * 2,
            "value_nominal": [1000.0, 3.0, 1000.0, 1.4],
            "value_constant": [float("nan"), 3.3, float("nan"), 1.5],
            "unit": ["Mbit/s", "EUR per premise per Mbit/s"] * 2,
            "option": ["speed=a", "cost=b"] * 2,
            "note": ["", ""] * 2,
        }
    )
    fig, data, _ = plots.cost_per_mbit_chart(comparison, "title", "source")
    try:
        assert len(fig.axes[0].patches) == 2
        assert set(data["initiative"]) == {"gers_numerique", INITIATIVE}
    finally:
        plt.close(fig)


@pytest.fixture
def followed(tmp_path: Path, sources_dir: Path) -> Path:
    """The raw data and a copy of ../shared beside it, with the guide's example done: no build (fast)."""
    root = tmp_path / "study"
    shutil.copytree(config.RAW_DIR, root / "data/raw")
    shutil.copytree(sources_dir, tmp_path / "shared" / "sources")
    shutil.copytree(sources_dir.parent / "reference", tmp_path / "shared" / "reference")
    follow(worked_example(GUIDE.read_text(encoding="utf-8")), root)
    return root


def clean_and_hand_over(root: Path) -> list[str]:
    """What 01_clean does, then the networks the analyses will compare."""
    from divide_study.analysis.measures import publish_inputs
    from divide_study.analysis.study import load_study
    from divide_study.data import clean

    out = root / "data/processed"
    tables = clean.run(root / "data/raw", root.parent / "shared" / "sources", out)
    publish_inputs(root / "data/raw", out, tables["figures"])
    return load_study(out).networks()


def test_the_example_done_by_hand_is_a_network_once_cleaned(followed: Path):
    assert clean_and_hand_over(followed) == ["gers_numerique", "castres_mazamet", "tarn", INITIATIVE]


@pytest.mark.parametrize(
    ("table", "old", "new", "column", "words"),
    [
        # A mistyped id in measures.csv left the initiative out of the comparison without a word.
        ("measures.csv", "\nhaut_vallon,", "\nhaut_valon,", "initiative", "unknown initiative 'haut_valon'"),
        ("funding.csv", "\nhaut_vallon,", "\nhaut_valon,", "initiative", "unknown initiative 'haut_valon'"),
        # A network missing its premises failed halfway through 02_compare_networks, naming no file.
        (
            "measures.csv",
            "\nhaut_vallon,premises,plugs_planned,true,whole_network,,haut_vallon_plugs,,,,,,"
            "plugs the works are to pass,",
            "",
            "quantity",
            "has no premises measure",
        ),
        # A year before the CPI table failed in 02_compare_networks with a bare KeyError.
        (
            "spending_profiles.csv",
            "haut_vallon_2019_2024,even,true,2019,",
            "haut_vallon_2019_2024,even,true,1990,",
            "year",
            "starts in 1998",
        ),
    ],
)
def test_a_slip_in_the_steps_is_refused_by_the_cleaning_step_where_it_is(followed, table, old, new, column, words):
    path = followed / "data/raw" / table
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as info:
        clean_and_hand_over(followed)
    assert (Path(info.value.file).name, info.value.column) == (table, column)
    assert info.value.row is not None and words in info.value.reason


# --- following the steps: the real build on a copy (slow) ----------------------------------------------------


def test_the_new_initiative_reaches_the_cleaned_tables(walked: Path):
    article = next(r for r in processed_rows(walked, "sources") if r["article"] == "005")
    assert (article["published"], article["date_precision"]) == ("2021-03-10", "day")
    initiative = next(r for r in processed_rows(walked, "initiatives") if r["initiative"] == INITIATIVE)
    assert initiative["start_year"] == "2019"
    figures = {r["figure_id"]: r for r in processed_rows(walked, "figures") if r["initiative"] == INITIATIVE}
    assert float(figures["haut_vallon_cost"]["value"]) == 12e6
    assert float(figures["haut_vallon_plugs"]["value"]) == 8500
    assert figures["haut_vallon_cost"]["as_of"] == "2021-03-10"
    for table in ("measures", "funding"):
        assert any(r["initiative"] == INITIATIVE for r in processed_rows(walked, table)), table
    assert any(r["spending"] == "haut_vallon_2019_2024" for r in processed_rows(walked, "spending_profiles"))
    evidence = {r["evidence_id"]: r for r in processed_rows(walked, "evidence")}
    assert evidence["haut_vallon_speed"]["source_class"] == "interested_party"  # the claims row
    assert evidence["haut_vallon|population of the Haut-Vallon|2021"]["source_class"] == "official"


def test_the_new_network_is_compared_and_swept(walked: Path):
    comparison = {r["metric"]: r for r in processed_rows(walked, "comparison") if r["initiative"] == INITIATIVE}
    per_premise = comparison["cost_per_premise"]
    assert round(float(per_premise["value_nominal"])) == 1412  # the guide's 12 M€ / 8,500 plugs
    assert per_premise["spending_years"] == "2019–2024"
    assert float(per_premise["value_constant"]) > float(per_premise["value_nominal"])  # deflated to 2025 euros
    assert float(comparison["population"]["value_nominal"]) == 15200
    # The headline ratios are rows of headlines.csv; the new network is swept with the base year.
    head = {r["headline"] for r in processed_rows(walked, "sensitivity")}
    assert {f"{INITIATIVE}.cost_per_premise", "ratio_cost_per_premise"} <= head
    scenarios = processed_rows(walked, "scenarios")
    assert any(r["headline"] == f"{INITIATIVE}.cost_per_premise" and r["scenario"] == "central" for r in scenarios)
    for chart in ("cost_per_premise", "cost_per_inhabitant", "cost_per_mbit"):
        assert INITIATIVE in (walked / "figures" / f"{chart}.csv").read_text(encoding="utf-8"), chart


def test_the_new_initiative_is_in_the_report(walked: Path):
    report = (walked / "report" / "report.html").read_text(encoding="utf-8")
    assert "Haut-Vallon : la fibre arrive dans les villages" in report  # Appendix A: Sources
    assert ">Haut-Vallon</td>" in report  # the comparison table, under its short name (never its id)
    assert f">{INITIATIVE}<" not in report
    assert "1,412" in report  # its nominal cost per premise, as the comparison table prints it


def test_the_guide_mistake_stops_the_build_with_its_message_and_publishes_nothing(walked: Path, tmp_path: Path):
    root = tmp_path / "study"
    shutil.copytree(walked, root, symlinks=True)
    shutil.copytree(walked.parent / "shared", tmp_path / "shared")
    before = published(root)
    figures = root / "data/raw/figures.csv"
    text = figures.read_text(encoding="utf-8")
    wrong = ",concession signée en 2019,176,201,"
    assert text.count(",concession signée en 2019,175,200,") == 1
    figures.write_text(text.replace(",concession signée en 2019,175,200,", wrong), encoding="utf-8")
    result = study_build(root)
    assert result.returncode != 0
    said = (result.stdout + result.stderr).replace(f"{root}/", "")  # the guide shortens the full paths
    for line in error_example(GUIDE.read_text(encoding="utf-8")).splitlines():
        assert line in said, f"the guide says {line!r}; the build said:\n{said}"
    assert published(root) == before
