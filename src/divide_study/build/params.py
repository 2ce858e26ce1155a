"""Study parameters: ``params/default.yaml``, scenario overrides, and the notebooks' ``parameters`` cells.

A notebook declares its parameters papermill's way, typed and commented (``base_year: int = 2023  # …``).
The build reads those declarations with ``ast`` (no kernel, no papermill import, so it stays fast), checks
every value against the declared type before anything runs, and refuses unknown keys.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from divide_study import config
from divide_study.errors import StudyError

_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
}


class ParameterError(StudyError):
    """A parameter file or value the study cannot use."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type_name: str
    default: Any
    comment: str


def notebook_parameters(notebook: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares in its one cell tagged ``parameters``."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    tagged = [cell for cell in cells if "parameters" in cell.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ParameterError(
            f"{config.display_path(notebook)}: expected exactly one cell tagged 'parameters', found {len(tagged)}"
        )
    source = "".join(tagged[0]["source"])
    lines = source.splitlines()
    declared = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            raise ParameterError(
                f"{config.display_path(notebook)}, parameters cell, line {node.lineno}: "
                "write each parameter as `name: type = value  # what it is`"
            )
        type_name = ast.unparse(node.annotation).split("[")[0]
        if type_name not in _TYPES:
            raise ParameterError(
                f"{config.display_path(notebook)}: parameter {node.target.id!r} has type "
                f"{type_name!r}; use one of {', '.join(_TYPES)}"
            )
        line = lines[node.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line[node.end_col_offset :] else ""
        declared[node.target.id] = Parameter(node.target.id, type_name, ast.literal_eval(node.value), comment)
    return declared


def check_type(name: str, value: Any, type_name: str, where: str) -> None:
    expected = _TYPES[type_name]
    # YAML's `true` is a bool, and bool is an int to Python: do not let it pass as a number.
    if (isinstance(value, bool) and bool not in expected) or not isinstance(value, expected):
        raise ParameterError(f"{where}: parameter {name!r} must be {type_name}, got {type(value).__name__} {value!r}")


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ParameterError(f"{config.display_path(path)}: parameter file not found") from exc
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{config.display_path(path)}: not UTF-8 text") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{config.display_path(path)}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise ParameterError(f"{config.display_path(path)}: expected a mapping of parameter names to values")
    return data


def load_parameters(
    notebooks: dict[Path, dict[str, Parameter]],
    scenario: Path | None = None,
    default_path: Path | None = None,
    build_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Defaults merged with a scenario, checked against what the notebooks declare.

    ``notebooks`` maps each notebook to its declarations (``notebook_parameters``), read once by the caller.
    Every key must be declared by at least one notebook with a matching type, and every declared
    parameter must have a default in ``params/default.yaml``.
    """
    default_path = default_path or config.PARAMS_DIR / "default.yaml"
    values = read_yaml(default_path)
    declared: dict[str, Parameter] = {
        name: Parameter(name, type_name, None, "used by the build")
        for name, type_name in (build_parameters or {}).items()
    }
    for notebook, parameters in notebooks.items():
        for name, parameter in parameters.items():
            other = declared.setdefault(name, parameter)
            if other.type_name != parameter.type_name:
                raise ParameterError(
                    f"parameter {name!r} is {other.type_name} in one notebook and "
                    f"{parameter.type_name} in {config.display_path(notebook)}"
                )
    missing = sorted(set(declared) - set(values) - set(build_parameters or {}))
    if missing:
        raise ParameterError(f"{config.display_path(default_path)}: no default for {missing}")
    sources = [(default_path, values)]
    if scenario is not None:
        overrides = read_yaml(scenario)
        sources.append((scenario, overrides))
        values = {**values, **overrides}
    for path, given in sources:
        for name, value in given.items():
            if name not in declared:
                raise ParameterError(
                    f"{config.display_path(path)}: unknown parameter {name!r}; known: {', '.join(sorted(declared))}"
                )
            check_type(name, value, declared[name].type_name, config.display_path(path))
    return values
