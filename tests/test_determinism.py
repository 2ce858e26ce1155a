"""Two clean builds of the real study, in two separate copies of the project, give identical bytes.

The first is the session's build (``built``: a clean build of a copy, shared by the tests that read a built
study); the second is made here, in a copy of its own, with the same parameters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import tree_digest

from divide_study import config
from divide_study.engine.pipeline import Builder
from divide_study.engine.progress import Reporter


def copy_project(target: Path) -> Path:
    for folder in ("notebooks", "params", "data/raw"):
        shutil.copytree(config.PROJ_ROOT / folder, target / folder)
    return target


def outputs(root: Path) -> dict:
    found: dict = {folder: tree_digest(root / folder) for folder in ("data/processed", "figures")}
    found["report.html"] = tree_digest(root / "report").get("report.html")
    return found


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(tmp_path: Path, built: Path):
    root = copy_project(tmp_path / "second")
    assert not (root / "build").exists() and not (root / "data/processed").exists()  # nothing to reuse: clean
    scenario = root / "params" / "here.yaml"
    # The very parameter file the session's build was given: its articles, where they are.
    shutil.copy(built / "params" / "here.yaml", scenario)
    report = Builder(root=root, scenario=scenario, reporter=Reporter(), pdf=False).run()
    assert report.ok, [r.error for r in report.results if r.error]
    first, second = outputs(built), outputs(root)
    assert first["figures"] and first["data/processed"] and first["report.html"]
    assert first == second
