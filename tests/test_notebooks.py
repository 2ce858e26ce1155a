"""Committed notebooks: outputs stripped, clean metadata, one typed parameters cell matching the defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from divide_study import config
from divide_study.engine.params import default_values, literal, notebook_parameters, read_specs, synced_cell

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(notebook: Path):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{notebook.name} cell {number} has outputs: run nbstripout"
            assert cell.get("execution_count") is None, f"{notebook.name} cell {number} has an execution count"
    assert set(nb["metadata"]) <= {"kernelspec", "language_info"}, "strip notebook metadata (nbstripout)"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_with_purpose_inputs_outputs(notebook: Path):
    first = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]
    text = "".join(first["source"])
    assert first["cell_type"] == "markdown"
    for heading in ("Purpose", "Inputs", "Outputs", "Parameters"):
        assert f"**{heading}.**" in text, f"{notebook.name}: first cell lacks {heading}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cells_hold_the_defaults_of_default_yaml(notebook: Path):
    """params/default.yaml is the one place a default is written; each cell holds a copy (for papermill
    --help-notebook and Run All) that `study build` writes: a committed cell that differs fails here."""
    specs = read_specs(config.PARAMS_DIR / "default.yaml")
    for name, parameter in notebook_parameters(notebook).items():
        assert name in specs, f"{notebook.name}: {name} is not defined in params/default.yaml"
        assert not parameter.from_defaults, f"{notebook.name}: {name} reads defaults.{name}: run `uv run study build`"
        assert parameter.default == specs[name].default, (
            f"{notebook.name}: {name} is {parameter.default!r} in its parameters cell but {specs[name].default!r} "
            "in params/default.yaml: run `uv run study build` (it copies the defaults into the cells) and commit"
        )
        assert parameter.type_name == specs[name].type_name, f"{notebook.name}: {name} type differs from default.yaml"
        assert parameter.comment, f"{notebook.name}: parameter {name} has no comment"
    cell = next(
        c
        for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if "parameters" in c["metadata"].get("tags", [])
    )
    assert synced_cell("".join(cell["source"]), default_values()) == ("".join(cell["source"]), [])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_runs_to_the_defaults(notebook: Path):
    """Run as opened (JupyterLab), the cell gives exactly the defaults of params/default.yaml."""
    cell = next(
        c
        for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if "parameters" in c["metadata"].get("tags", [])
    )
    namespace: dict = {}
    exec("".join(cell["source"]), namespace)  # the project's own notebook
    values = default_values()
    declared = notebook_parameters(notebook)
    assert declared
    assert {name: namespace[name] for name in declared} == {name: values[name] for name in declared}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_help_documents_every_parameter(notebook: Path):
    """``papermill --help-notebook`` (its command run in this process by click's test runner)."""
    from click.testing import CliRunner
    from papermill.cli import papermill as papermill_command

    done = CliRunner().invoke(papermill_command, ["--help-notebook", str(notebook)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    for name, parameter in notebook_parameters(notebook).items():
        start = next((i for i, line in enumerate(lines) if line.strip().startswith(f"{name}:")), None)
        assert start is not None, f"papermill does not list {name}"
        # papermill wraps a long comment onto the lines below the name and type
        block = [lines[start]] + [line for line in lines[start + 1 :][:3] if line.startswith(" " * 20)]
        text = " ".join(" ".join(block).split())
        assert f"{name}: {parameter.type_name} (default {literal(parameter.default)})" in text, text
        assert " ".join(parameter.comment.split()) in text, text
