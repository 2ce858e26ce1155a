"""The report notebook only renders: its code is short, it reads no processed table itself, and it runs twice in
one kernel (a second *Run All* in JupyterLab)."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

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


@pytest.mark.slow
def test_the_report_notebook_runs_twice_in_one_kernel():
    if not (config.PROCESSED_DIR / "quoted_compare.csv").exists():
        pytest.skip("data/processed has not been built in this checkout")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    twice = nbformat.v4.new_notebook(metadata=notebook.metadata)
    twice.cells = list(notebook.cells) + [c for c in notebook.cells if c.cell_type == "code"]
    client = NotebookClient(twice, timeout=300, kernel_name="python3", resources={"metadata": {"path": "notebooks"}})
    client.execute()
    errors = [o for c in twice.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    shown = [o for c in twice.cells[len(notebook.cells) :] for o in c.outputs if o.output_type == "display_data"]
    assert len(shown) > 20  # the second run shows the report again
