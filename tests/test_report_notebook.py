"""The report notebook only renders: its code is short and it reads no processed table itself. (It runs twice in one
kernel, a second *Run All*, in tests/test_lab.py, as every notebook does.)"""

from __future__ import annotations

import json

from divide_study import config

NOTEBOOK = config.PROJ_ROOT / "notebooks" / "05_report.ipynb"


def code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_the_report_notebook_is_thin():
    lines = [line for cell in code_cells() for line in cell.splitlines() if line.strip()]
    assert len(lines) <= 150, len(lines)
    code = "\n".join(code_cells())
    # It computes and chooses nothing: no table is read or filtered here, no source typed.
    for forbidden in ("read_table", "read_csv", ".iloc[", ".loc[", "str.contains", "data/processed/", "r.computed("):
        assert forbidden not in code, forbidden
