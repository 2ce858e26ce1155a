"""Two clean builds of the real study, in two separate copies of the project, give identical bytes."""

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


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(tmp_path: Path, sources_dir: Path):
    digests = []
    for name in ("first", "second"):
        root = copy_project(tmp_path / name)
        scenario = root / "params" / "here.yaml"
        scenario.write_text(f"sources_dir: {sources_dir}\n", encoding="utf-8")
        report = Builder(root=root, scenario=scenario, reporter=Reporter(), pdf=False).run()
        assert report.ok, [r.error for r in report.results if r.error]
        digests.append({folder: tree_digest(root / folder) for folder in ("data/processed", "figures")})
        digests[-1]["report.html"] = tree_digest(root / "report").get("report.html")
    first, second = digests
    assert first["figures"] and first["data/processed"] and first["report.html"]
    assert first == second
