"""Study parameters: one file of defaults, scenario files, one merge rule, all checked before anything runs.

``params/default.yaml`` is the only place a default is written. Each entry gives the parameter's ``type``
(``int``, ``float``, ``str``, ``bool``, ``list[T]``, ``dict[K, V]``), its ``default``, what it is (``doc``),
and optionally its allowed range (``min`` / ``max`` inclusive, ``above`` exclusive, ``years_of``: a table under
``raw_dir`` whose ``year`` column lists the allowed years) and ``folder: input | output`` for folders.

A scenario file is a flat mapping ``name: value``. It is combined with the defaults by ``merge``, the one rule
used by ``study build --params`` and by 04_sensitivity's sweep alike: a mapping (``options``) is merged key by
key, every other value replaces the default whole.

A notebook declares the parameters it uses papermill's way, ``base_year: int = 2025  # comment``, so
``papermill --help-notebook`` lists each with its type, default and comment, a *Run All* in JupyterLab runs with
the defaults, and papermill can inject overrides after the cell. The values in the cell are a copy of
``params/default.yaml``'s: ``study build`` and ``study lab`` write them there (``sync_notebooks``) whenever a
default changed, and a test fails on a committed cell that differs. The build reads the declarations with
papermill's own inspection (``papermill.inspect_notebook``), in its process.

Values are checked by pydantic (strict types, no NaN or infinity, the ranges as its ``gt``/``ge``/``le``); its
errors are said in the study's words, naming the file and the parameter.

YAML is read by a strict loader: no anchors or aliases (an alias bomb fails at its first anchor), no duplicate
keys, text keys only, UTF-8 only, a regular file of reasonable size only.
"""

from __future__ import annotations

import ast
import copy
import csv
import functools
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import ConfigDict, Field, JsonValue, TypeAdapter, ValidationError

from divide_study import config
from divide_study.errors import StudyError

_SCALARS = ("int", "float", "str", "bool")
# Entries a parameter may have in params/default.yaml; anything else is a typo.
_SPEC_KEYS = {"type", "default", "doc", "min", "max", "above", "years_of", "folder"}
# Parameter files are a few lines; a bigger one is a mistake (or an attack), refused before parsing.
MAX_FILE_BYTES = 256 * 1024
# Folders of the project that no output folder may be, contain or sit in (a build replaces its outputs whole).
PROTECTED_FOLDERS = ("notebooks", "src", "params", "tests", "docs", "benchmarks", "build", ".git", ".venv", ".ci")
SCENARIO_SUFFIXES = (".yaml", ".yml")


class ParameterError(StudyError):
    """A parameter file or value the study cannot use."""


@dataclass(frozen=True)
class Parameter:
    """A notebook's declaration: ``default`` is the literal written in the cell, or None when it reads
    ``defaults.<name>`` (``from_defaults``: the cell's older form, which the build rewrites as literals)."""

    name: str
    type_name: str
    default: Any
    comment: str
    from_defaults: bool = False


@dataclass(frozen=True)
class Spec:
    """One parameter as params/default.yaml defines it."""

    name: str
    type_name: str
    default: Any
    doc: str = ""
    min: float | None = None
    max: float | None = None
    above: float | None = None
    years_of: str | None = None
    folder: str | None = None  # "input" or "output"


def _shown(path: Path) -> str:
    """A path for a message: relative to the project when inside it, and cut short when absurdly long."""
    try:
        text = config.display_path(path)
    except (OSError, ValueError):
        text = str(path)
    return text if len(text) <= 200 else text[:120] + "…" + text[-60:]


# --- the strict YAML loader ---------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, merge keys, duplicate keys or non-text keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors (&name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is not text (quote it)", key_node.start_mark
                )
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} at lines {lines[key]} and {line}", key_node.start_mark
                )
            lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def read_yaml(path: Path) -> dict[str, Any]:
    """A parameter file as a mapping, read strictly (see the module's docstring); {} when empty."""
    shown = _shown(path)
    try:
        if path.is_dir():
            raise ParameterError(f"{shown}: is a folder, not a parameter file")
        if not path.exists():
            raise ParameterError(f"{shown}: parameter file not found")
        if not path.is_file():
            raise ParameterError(f"{shown}: not a regular file")
        size = path.stat().st_size
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte in it
        raise ParameterError(f"{shown}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise ParameterError(f"{shown}: {size} bytes; a parameter file is at most {MAX_FILE_BYTES}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{shown}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ParameterError(f"{shown}: cannot be read ({exc.strerror})") from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # _StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark else ""
        raise ParameterError(f"{shown}{where}: not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise ParameterError(f"{shown}: not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise ParameterError(f"{shown}: not valid YAML: nested too deeply") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{shown}: expected a mapping of parameter names to values")
    return data


# --- types --------------------------------------------------------------------------------------------------


@functools.cache
def _parse_type(type_name: str) -> ast.expr:
    """``list[int]`` as a tree, refusing anything outside int, float, str, bool, list[T], dict[K, V]."""
    try:
        tree = ast.parse(type_name, mode="eval").body
    except SyntaxError:
        tree = None

    def valid(node: ast.expr | None) -> bool:
        if isinstance(node, ast.Name):
            return node.id in (*_SCALARS, "list", "dict")
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            inner = node.slice
            if node.value.id == "list":
                return valid(inner)
            if node.value.id == "dict" and isinstance(inner, ast.Tuple) and len(inner.elts) == 2:
                return all(valid(element) for element in inner.elts)
        return False

    if not valid(tree):
        raise ParameterError(f"type {type_name!r} is not one of int, float, str, bool, list[T], dict[K, V]")
    return tree


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Values are checked by pydantic, strictly (no conversion: '2014' is not an int, true is not a number) and with
# NaN and infinities refused at any depth. A bare ``list`` or ``dict`` holds any YAML value (pydantic's JsonValue).
_CONFIG = ConfigDict(strict=True, allow_inf_nan=False)
_SCALAR_TYPES: dict[str, Any] = {"int": int, "float": float, "str": str, "bool": bool}


def _annotation(node: ast.expr, bounds: dict[str, float]) -> Any:
    """The Python type of a parameter's type (``_parse_type``); ``bounds`` (pydantic's gt, ge, le) constrain its
    numbers, a number's own or each number of a list."""
    if isinstance(node, ast.Name):
        if node.id in ("int", "float") and bounds:
            return Annotated[_SCALAR_TYPES[node.id], Field(**bounds)]
        if node.id in _SCALAR_TYPES:
            return _SCALAR_TYPES[node.id]
        return list[JsonValue] if node.id == "list" else dict[str, JsonValue]
    container, inner = node.value.id, node.slice  # type: ignore[attr-defined]
    if container == "list":
        return list[_annotation(inner, bounds)]  # type: ignore[misc]
    key, value = inner.elts  # type: ignore[attr-defined]
    return dict[_annotation(key, {}), _annotation(value, {})]  # type: ignore[misc]


@functools.cache
def _adapter(type_name: str, bounds: tuple[tuple[str, float], ...] = ()) -> TypeAdapter[Any]:
    return TypeAdapter(_annotation(_parse_type(type_name), dict(bounds)), config=_CONFIG)


_TAGS = {"int_type": "int", "float_type": "float", "string_type": "str", "bool_type": "bool"}
_TAGS |= {"list_type": "list", "dict_type": "dict"}
_RANGES = {
    "greater_than": ("above", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
}


def _problem(error: Any, type_name: str, bounds: dict[str, float]) -> str:
    """One of pydantic's errors in the study's words: where in the value (``element 2``, ``key 'a'``, ``value
    of key 'a'``) and what is wrong (``must be int, got str '2014'``)."""
    loc, where, node, free = list(error["loc"]), [], _parse_type(type_name), False

    def step(kind: str) -> None:
        item = loc.pop(0) if loc else None
        if kind == "list":
            where.append(f"element {item + 1}" if isinstance(item, int) else "an element")
        elif loc and loc[0] == "[key]":
            loc.pop(0)
            where.append(f"key {_show(item)}")
        else:
            where.append(f"value of key {_show(item)}")

    while loc:
        if free:  # inside a bare list or dict: pydantic's JsonValue names the kind of each value first
            kind = loc.pop(0)
            if kind in ("list", "dict"):
                step(kind)
            continue
        if isinstance(node, ast.Subscript):
            kind = node.value.id  # type: ignore[attr-defined]
            keyed = kind == "dict" and len(loc) > 1 and loc[1] == "[key]"
            step(kind)
            node = node.slice if kind == "list" else node.slice.elts[0 if keyed else 1]  # type: ignore[attr-defined]
        else:
            free = True
            step(node.id)  # type: ignore[attr-defined]
    value, kind = error["input"], error["type"]
    if kind == "finite_number":
        problem = f"must be a finite number, got {value!r}"
    elif kind in _RANGES:
        words, bound = _RANGES[kind]
        problem = f"must be {words} {bounds.get(bound, error.get('ctx', {}).get(bound))}, got {value!r}"
    elif kind in _TAGS:
        expected = _TAGS[kind] if free or not isinstance(node, ast.expr) else ast.unparse(node)
        problem = f"must be {expected}, got {type(value).__name__} {_show(value)}"
    else:
        problem = f"{error['msg'][0].lower()}{error['msg'][1:]}, got {_show(value)}"
    return " ".join([*where, problem])


def _validate(name: str, value: Any, type_name: str, where: str, bounds: dict[str, float] | None = None) -> None:
    bounds = {key: bound for key, bound in (bounds or {}).items() if bound is not None}
    try:
        _adapter(type_name, tuple(sorted(bounds.items()))).validate_python(value)
    except ValidationError as exc:
        raise ParameterError(f"{where}: parameter {name!r} {_problem(exc.errors()[0], type_name, bounds)}") from exc


def check_type(name: str, value: Any, type_name: str, where: str) -> None:
    """Refuse ``value`` unless it is of ``type_name``, elements of lists and keys and values of mappings too."""
    _validate(name, value, type_name, where)


# --- params/default.yaml ------------------------------------------------------------------------------------


def read_specs(path: Path, declared_types: dict[str, str] | None = None) -> dict[str, Spec]:
    """The parameters defined in a defaults file, each checked (type, default, range).

    A file whose entries have no ``type`` is the older flat form (``name: value``); its types then come from
    ``declared_types`` (what the notebooks declare).
    """
    raw = read_yaml(path)
    shown = config.display_path(path)
    if not any(isinstance(entry, dict) and "type" in entry for entry in raw.values()):
        types = declared_types or {}
        unknown = sorted(set(raw) - set(types))
        if unknown:
            raise ParameterError(f"{shown}: unknown parameter {unknown[0]!r}; known: {', '.join(sorted(types))}")
        specs = {name: Spec(name, types[name], value) for name, value in raw.items()}
    else:
        specs = {name: _spec(shown, name, entry) for name, entry in raw.items()}
    for spec in specs.values():
        check_type(spec.name, spec.default, spec.type_name, shown)
        _check_range(spec, spec.default, shown, raw_dir=None)
    return specs


def _spec(shown: str, name: str, entry: Any) -> Spec:
    where = f"{shown}: parameter {name!r}"
    if not isinstance(entry, dict):
        raise ParameterError(f"{where}: expected an entry with type, default and doc")
    unknown = sorted(set(entry) - _SPEC_KEYS)
    if unknown:
        raise ParameterError(f"{where}: unknown entry {unknown[0]!r}; allowed: {', '.join(sorted(_SPEC_KEYS))}")
    missing = sorted({"type", "default", "doc"} - set(entry))
    if missing:
        raise ParameterError(f"{where}: missing {', '.join(missing)}")
    if not isinstance(entry["type"], str):
        raise ParameterError(f"{where}: type must be text, e.g. int or list[int]")
    try:
        _parse_type(entry["type"])
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc}") from exc
    if not isinstance(entry["doc"], str) or not entry["doc"].strip():
        raise ParameterError(f"{where}: doc must say what the parameter is")
    for bound in ("min", "max", "above"):
        if bound in entry:
            try:
                _adapter("float").validate_python(entry[bound])
            except ValidationError as exc:
                raise ParameterError(f"{where}: {bound} {_problem(exc.errors()[0], 'float', {})}") from exc
    if entry.get("folder") not in (None, "input", "output"):
        raise ParameterError(f"{where}: folder must be input or output, got {_show(entry['folder'])}")
    if entry.get("folder") and entry["type"] != "str":
        raise ParameterError(f"{where}: a folder is of type str")
    if "years_of" in entry and not isinstance(entry["years_of"], str):
        raise ParameterError(f"{where}: years_of must name a table under raw_dir")
    return Spec(
        name,
        entry["type"],
        entry["default"],
        " ".join(entry["doc"].split()),
        entry.get("min"),
        entry.get("max"),
        entry.get("above"),
        entry.get("years_of"),
        entry.get("folder"),
    )


def _numbers(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, list):
        return [number for item in value for number in _numbers(item)]
    return []


def _check_range(spec: Spec, value: Any, where: str, raw_dir: Path | None) -> None:
    """The allowed range of a number, or of each number of a list (pydantic's gt, ge, le); ``years_of`` (a
    table's years) needs ``raw_dir``."""
    _validate(spec.name, value, spec.type_name, where, {"gt": spec.above, "ge": spec.min, "le": spec.max})
    if spec.years_of and raw_dir is not None:
        years = _table_years(raw_dir / spec.years_of)
        for number in _numbers(value):
            if years and number not in years:
                raise ParameterError(
                    f"{where}: parameter {spec.name!r} must be a year of {config.display_path(raw_dir / spec.years_of)}"
                    f" ({min(years)}–{max(years)}), got {number!r}"
                )


# The parameter that chooses among the measures of data/raw/measures.csv ("initiative.quantity": option), and the
# key that chooses an initiative's spending profile (data/raw/spending_profiles.csv) instead.
OPTIONS_PARAMETER = "options"
PROFILE_KEY = "spending_profile"


def _table_rows(table: Path) -> list[dict[str, str]] | None:
    """The rows of a small raw table, or None when it cannot be read (01_clean then says why)."""
    try:
        with table.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def check_options(value: Any, where: str, raw_dir: Path | None) -> None:
    """Each ``options`` entry names a measure of data/raw/measures.csv ('initiative.quantity': one of its
    options) or a profile of spending_profiles.csv ('initiative.spending_profile'), so that a typo is named
    with the file that holds it before anything runs, not by the analysis that trips on it."""
    if raw_dir is None or not isinstance(value, dict) or not value:
        return
    measures = _table_rows(raw_dir / "measures.csv")
    if measures is None or not all({"initiative", "quantity", "option"} <= set(row) for row in measures[:1]):
        return
    offered: dict[str, set[str]] = {}
    for row in measures:
        offered.setdefault(f"{row['initiative']}.{row['quantity']}", set()).add(row["option"])
    profiles = _table_rows(raw_dir / "spending_profiles.csv") or []
    profile_names = {row.get("profile", "") for row in profiles} - {""}
    for initiative in {key.split(".", 1)[0] for key in offered}:
        offered[f"{initiative}.{PROFILE_KEY}"] = profile_names
    shown_measures = _shown(raw_dir / "measures.csv")
    for key, option in value.items():
        if key not in offered:
            close = sorted(offered)
            raise ParameterError(
                f"{where}: parameter {OPTIONS_PARAMETER!r}: {key!r} names no measure of {shown_measures} "
                f"('initiative.quantity'); known: {', '.join(close)}"
            )
        if option not in offered[key]:
            initiative, quantity = key.split(".", 1)
            table = _shown(raw_dir / "spending_profiles.csv") if quantity == PROFILE_KEY else shown_measures
            raise ParameterError(
                f"{where}: parameter {OPTIONS_PARAMETER!r}: unknown {quantity} option {option!r} for "
                f"{initiative!r}; choose one of {sorted(offered[key])} ({table})"
            )


def _table_years(table: Path) -> set[int]:
    """The ``year`` column of a small reference table; empty when it cannot be read (01_clean then says why)."""
    try:
        with table.open(encoding="utf-8", newline="") as handle:
            return {int(row["year"]) for row in csv.DictReader(handle)}
    except (OSError, KeyError, ValueError, TypeError, UnicodeDecodeError):
        return set()


@functools.lru_cache(maxsize=4)
def _cached_specs(path: Path, stamp: tuple[int, int]) -> dict[str, Spec]:
    return read_specs(path)


def study_specs(path: Path | None = None) -> dict[str, Spec]:
    """params/default.yaml's parameters, read once per change of the file (notebooks ask several times).
    Treat as read-only: ``default_values`` gives copies."""
    path = path or config.PARAMS_DIR / "default.yaml"
    try:
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = (0, 0)  # read_specs then says what is wrong
    return _cached_specs(path, stamp)


def default_values(path: Path | None = None) -> dict[str, Any]:
    """Every parameter's default, from params/default.yaml (checked)."""
    return copy.deepcopy({name: spec.default for name, spec in study_specs(path).items()})


# --- the parameters cells' copy of the defaults ---------------------------------------------------------------

# The first line of every parameters cell: its values are a copy, written by the build, of params/default.yaml's.
COPY_NOTE = "# The defaults of params/default.yaml, copied here by `study build` and `study lab`: change them there."
_OLD_IMPORT = "from divide_study.engine.params import defaults"


def literal(value: Any) -> str:
    """A parameter's value as Python source that ``ast.literal_eval`` reads back as it (text in double quotes, as
    ``ruff format`` writes it)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(key)}: {literal(item)}" for key, item in value.items()) + "}"
    raise ParameterError(f"a value of type {type(value).__name__} cannot be written in a parameters cell")


def _comment(line: str) -> str:
    """The line's comment (``# ...``), found by Python's tokenizer, so a '#' inside a text value is not one."""
    import io
    import tokenize

    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type == tokenize.COMMENT:
                return line[token.start[1] :]
    except (tokenize.TokenError, SyntaxError):
        pass
    return ""


def synced_cell(source: str, values: dict[str, Any]) -> tuple[str, list[str]]:
    """A parameters cell's source with each declared parameter's value set to ``values[name]`` (the defaults of
    params/default.yaml), and what changed (``name: old -> new``). The line importing ``defaults`` (the cell's
    older form, whose values read ``defaults.<name>``) becomes ``COPY_NOTE``; the declarations' names, types and
    comments are kept; a name missing from ``values`` is left as it is (the build then says it has no default)."""
    lines, changes = source.split("\n"), []
    for number, line in enumerate(lines):
        if line.strip() == _OLD_IMPORT:
            lines[number] = COPY_NOTE
            changes.append("the line importing defaults -> a note saying where the values come from")
            continue
        comment = _comment(line)
        code = line[: len(line) - len(comment)] if comment else line
        try:
            tree = ast.parse(code.strip())
        except SyntaxError:
            continue
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.AnnAssign):
            continue
        statement = tree.body[0]
        if not isinstance(statement.target, ast.Name) or statement.value is None:
            continue
        name = statement.target.id
        if name not in values:
            continue
        old, new = ast.get_source_segment(code.strip(), statement.value), literal(values[name])
        if old == new:
            continue
        indent = code[: len(code) - len(code.lstrip())]
        lines[number] = f"{indent}{name}: {ast.unparse(statement.annotation)} = {new}" + (
            f"  {comment}" if comment else ""
        )
        changes.append(f"{name}: {old} -> {new}")
    return "\n".join(lines), changes


def sync_notebook(notebook: Path, values: dict[str, Any]) -> list[str]:
    """Write ``values`` (params/default.yaml's defaults) into ``notebook``'s parameters cell, so that
    ``papermill --help-notebook`` and a *Run All* in JupyterLab show and use them; returns what changed (nothing
    when the cell already says them, and the file is then not touched). The file is replaced whole (written
    beside it, then renamed), in nbformat's layout, only the cell's source changed."""
    shown = config.display_path(notebook)
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
        cells = [cell for cell in data["cells"] if "parameters" in cell.get("metadata", {}).get("tags", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ParameterError(f"{shown}: not a readable notebook ({type(exc).__name__})") from exc
    if len(cells) != 1:
        raise ParameterError(f"{shown}: expected exactly one cell tagged 'parameters', found {len(cells)}")
    cell = cells[0]
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    new, changes = synced_cell(source, values)
    if not changes:
        return []
    cell["source"] = new.splitlines(keepends=True)
    temporary = notebook.with_name(f".{notebook.name}.params-{os.getpid()}")
    try:
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, notebook)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ParameterError(f"{shown}: cannot write its parameters cell ({exc.strerror})") from exc
    return changes


def sync_notebooks(notebooks: Iterable[Path], values: dict[str, Any]) -> dict[Path, list[str]]:
    """``sync_notebook`` for each notebook; the ones that changed, with what changed."""
    done = {notebook: sync_notebook(notebook, values) for notebook in notebooks}
    return {notebook: changes for notebook, changes in done.items() if changes}


# --- notebooks ----------------------------------------------------------------------------------------------


def notebook_parameters(notebook: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares in its one cell tagged ``parameters``, as papermill reads them
    (``papermill.inspect_notebook``: name, type, default, comment); each checked to read ``defaults.<name>``
    (or a literal) and every line of the cell to be a declaration, so that none is silently left out."""
    import papermill

    shown = config.display_path(notebook)
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterError(f"{shown}: not a readable notebook ({type(exc).__name__})") from exc
    tagged = [cell for cell in cells if "parameters" in cell.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ParameterError(f"{shown}: expected exactly one cell tagged 'parameters', found {len(tagged)}")
    try:
        inspected = papermill.inspect_notebook(str(notebook))
    except Exception as exc:  # papermill's own reading of the file: say which file, whatever went wrong
        raise ParameterError(f"{shown}: papermill cannot read its parameters ({type(exc).__name__}: {exc})") from exc
    lines = "".join(tagged[0]["source"]).splitlines()

    def line_of(name: str) -> int:
        return next((n for n, line in enumerate(lines, 1) if re.match(rf"\s*{re.escape(name)}\s*:", line)), 0)

    declared_lines = {line_of(name) for name in inspected}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text and not text.startswith("#") and number not in declared_lines and text != _OLD_IMPORT:
            raise ParameterError(
                f"{shown}, parameters cell, line {number}: write each parameter as `name: type = value  # what it is`"
            )
    declared = {}
    for name, found in inspected.items():
        type_name, default_text = found["inferred_type_name"] or "", found["default"] or ""
        where = f"{shown}, parameters cell, line {line_of(name)}"
        if type_name in ("", "None"):
            raise ParameterError(f"{where}: parameter {name!r} has no type; write `{name}: type = value`")
        try:
            _parse_type(type_name)
        except ParameterError as exc:
            raise ParameterError(f"{shown}: parameter {name!r}: {exc}") from exc
        reads = re.fullmatch(r"defaults\.(\w+)", default_text.strip())
        if reads and reads.group(1) != name:
            raise ParameterError(f"{shown}: parameter {name!r} reads defaults.{reads.group(1)}; write defaults.{name}")
        try:
            default = None if reads else ast.literal_eval(default_text)
        except (ValueError, SyntaxError) as exc:
            raise ParameterError(f"{where}: {name}'s value must be a literal (params/default.yaml's default)") from exc
        declared[name] = Parameter(name, type_name, default, " ".join((found["help"] or "").split()), bool(reads))
    return declared


# --- merging and checking -----------------------------------------------------------------------------------


def merge(defaults: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Any]:
    """The one rule combining parameters with a scenario: a mapping given in both (``options``) is merged key
    by key, the scenario's keys winning; any other value the scenario gives replaces the default whole."""
    merged = copy.deepcopy(defaults)
    for name, value in scenario.items():
        if isinstance(merged.get(name), dict) and isinstance(value, dict):
            merged[name] = {**merged[name], **copy.deepcopy(value)}
        else:
            merged[name] = copy.deepcopy(value)
    return merged


def check_keys_and_types(given: dict[str, Any], specs: dict[str, Spec], where: str) -> None:
    for name, value in given.items():
        if name not in specs:
            raise ParameterError(f"{where}: unknown parameter {name!r}; known: {', '.join(sorted(specs))}")
        check_type(name, value, specs[name].type_name, where)


def check_values(
    values: dict[str, Any], specs: dict[str, Spec], root: Path, origin: dict[str, str] | None = None
) -> None:
    """Ranges of merged values (``origin`` names the file that set each), then the folders' confinement."""
    origin = origin or {}
    for name, spec in specs.items():
        if spec.folder and isinstance(values.get(name), str):
            _check_path_text(name, values[name], origin.get(name, "parameters"))
    raw_dir = _resolve(root, values["raw_dir"]) if isinstance(values.get("raw_dir"), str) else None
    for name, value in values.items():
        _check_range(specs[name], value, origin.get(name, "parameters"), raw_dir)
    if OPTIONS_PARAMETER in values:
        check_options(values[OPTIONS_PARAMETER], origin.get(OPTIONS_PARAMETER, "parameters"), raw_dir)
    check_folders(values, specs, root, origin)


def _check_path_text(name: str, value: str, where: str) -> None:
    """A folder the system can name: no NUL or control character, no name over 255 bytes, 4 KiB in all."""
    if any(ord(character) < 32 for character in value):
        raise ParameterError(f"{where}: parameter {name!r} contains a control character ({_show(value)})")
    encoded = os.fsencode(value)
    if len(encoded) >= 4096 or any(len(part) > 255 for part in encoded.split(b"/")):
        raise ParameterError(f"{where}: parameter {name!r} is too long for a folder name ({len(encoded)} bytes)")


def _resolve(root: Path, value: str) -> Path:
    path = Path(value)
    return (path if path.is_absolute() else root / path).resolve()


def check_folders(values: dict[str, Any], specs: dict[str, Spec], root: Path, origin: dict[str, str]) -> None:
    """The output folders the defaults file marks (``folder: output``), confined (``output_folders``)."""
    outputs = [name for name, spec in specs.items() if spec.folder == "output"]
    inputs = [name for name, spec in specs.items() if spec.folder == "input"]
    output_folders(values, outputs, inputs, root, origin=origin)


def output_folders(
    values: dict[str, Any],
    outputs: Iterable[str],
    inputs: Iterable[str],
    root: Path,
    base: Path | None = None,
    origin: dict[str, str] | None = None,
) -> dict[str, Path]:
    """Output folders: relative, inside ``base`` (the project, or a scenario edition's folder in it; no ``..``
    or symlink escape), apart from each other, from the input folders and from the project's own folders.

    A build replaces its outputs whole, so a wrong one would replace something else. The one check of output
    folders: the parameters' (``check_folders``) and the build's (its published folders, for an edition under
    ``scenarios/``). Returns each folder under ``base``, as given (not through symbolic links).
    """
    origin = origin or {}
    project = root.resolve()
    base = base or root
    home = base.resolve()
    found: dict[str, Path] = {}
    for name in outputs:
        if name not in values:
            continue
        value, where = values[name], f"{origin.get(name, 'parameters')}: parameter {name!r}"
        if not isinstance(value, str) or not value.strip():
            raise ParameterError(f"{where} is empty; give a folder relative to the project")
        if Path(value).is_absolute():
            raise ParameterError(f"{where} is absolute ({value}); give a folder relative to the project")
        path = (home / value).resolve()
        if path == home or not path.is_relative_to(home):
            raise ParameterError(f"{where} ({value}) leads outside the project (through .. or a symbolic link)")
        if path.exists() and not path.is_dir():
            raise ParameterError(f"{where} ({value}) is a file, not a folder")
        found[name] = path
    others = {
        f"parameter {name!r} ({values[name]})": _resolve(root, values[name])
        for name in inputs
        if isinstance(values.get(name), str)
    }
    others.update({f"the project's {folder}/ folder": project / folder for folder in PROTECTED_FOLDERS})
    # Name first what the user just changed (a scenario) rather than the defaults it collides with.
    names = sorted(found, key=lambda name: (origin.get(name) == origin.get("_defaults"), name))
    for index, name in enumerate(names):
        where = f"{origin.get(name, 'parameters')}: parameter {name!r} ({values[name]})"
        for other in names[index + 1 :]:
            if _nested(found[name], found[other]):
                raise ParameterError(
                    f"{where} and parameter {other!r} ({values[other]}) overlap; outputs must be apart"
                )
        for label, path in others.items():
            if _nested(found[name], path):
                raise ParameterError(f"{where} overlaps {label}; an output folder must be apart from it")
    return {name: Path(os.path.normpath(base / values[name])) for name in found}


def _nested(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


# --- scenarios ----------------------------------------------------------------------------------------------


def scenario_folder_name(name: str) -> str:
    """The folder of a scenario's edition (``scenarios/<this>/``), from its name (its file's stem): letters,
    digits, '-', '_' and '.' only."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._-")
    return cleaned[:64] or "scenario"


def check_scenario_name(path: Path) -> None:
    """A scenario's name (its file's stem) is shown in the report and written in scenarios.csv: no control
    character, nothing a spreadsheet would run as a formula, not the published study's name ('default')."""
    from divide_study.data.text import control_problem, formula_problem

    problem = control_problem(path.stem) or formula_problem(path.stem)
    if problem:
        raise ParameterError(f"{_shown(path)}: the scenario's name {path.stem!r} (its file's name) {problem}")
    if scenario_folder_name(path.stem).casefold() == "default":
        # The edition's stamp says "Parameters: default" for the published study: a scenario of that name would
        # be stamped as the study itself (no "Scenario" mark), its report indistinguishable from the study's.
        raise ParameterError(
            f"{_shown(path)}: the scenario's name {path.stem!r} (its file's name) is the published study's (its "
            "report is stamped 'Parameters: default'); rename the file"
        )


def scenario_files(folder: Path) -> list[Path]:
    """Every scenario of a folder, ``.yaml`` and ``.yml``, by name; two files of the same name, or whose
    editions would share a folder (``p p.yaml`` and ``p_p.yaml``: ``scenarios/p_p/``), are refused."""
    shown = _shown(folder)
    if not folder.is_dir():
        raise ParameterError(f"{shown}: scenario folder not found")
    found = sorted(
        path for path in folder.iterdir() if path.suffix.lower() in SCENARIO_SUFFIXES and not path.name.startswith(".")
    )
    stems: dict[str, Path] = {}
    folders: dict[str, Path] = {}
    for path in found:
        check_scenario_name(path)
        if path.stem in stems:
            raise ParameterError(f"{shown}: two scenarios named {path.stem!r} ({stems[path.stem].name}, {path.name})")
        stems[path.stem] = path
        edition = scenario_folder_name(path.stem)
        if edition in folders:
            raise ParameterError(
                f"{shown}: scenarios {folders[edition].name!r} and {path.name!r} would both publish to "
                f"scenarios/{edition}/ (a folder name keeps letters, digits, '-', '_' and '.'); rename one of them"
            )
        folders[edition] = path
    return found


def read_scenario(
    path: Path, specs: dict[str, Spec] | None = None, fixed: Iterable[str] = (), where: str | None = None
) -> dict[str, Any]:
    """A scenario file, its keys known and its values of the right type (ranges are checked once merged).

    ``fixed`` are the parameters the build sets for each edition (``lang``): never a scenario's to set.
    ``where`` is how messages name the file (default: its path)."""
    specs = specs if specs is not None else study_specs()
    where = where or _shown(path)
    given = read_yaml(path)
    if given and all(isinstance(value, dict) and {"type", "default"} <= set(value) for value in given.values()):
        raise ParameterError(
            f"{where}: looks like a defaults file (entries with type and default); "
            "a scenario is a flat `name: value` mapping, e.g. `base_year: 2014`"
        )
    check_keys_and_types(given, specs, where)
    set_by_build = sorted(set(fixed) & set(given))
    if set_by_build:
        raise ParameterError(
            f"{where}: parameter {set_by_build[0]!r} is set by the build for each edition (the English "
            "report.html, the French rapport.html); remove it from the scenario"
        )
    return given


def sweep(
    central: dict[str, Any],
    folder: Path,
    specs: dict[str, Spec] | None = None,
    root: Path = config.PROJ_ROOT,
    fixed: Iterable[str] = (),
) -> dict[str, dict[str, Any]]:
    """Each scenario of ``folder`` merged into ``central`` (by ``merge``), by scenario name: 04's sweep.

    Every file is checked (known keys, types, ranges, options; ``fixed``: parameters it may not set) before any
    is returned, each message naming the scenario's file."""
    specs = specs if specs is not None else study_specs()
    merged = {}
    for path in scenario_files(folder):
        shown = config.display_path(path)
        scenario = read_scenario(path, specs, fixed, where=shown)
        values = merge(central, scenario)
        raw_dir = _resolve(root, values["raw_dir"]) if isinstance(values.get("raw_dir"), str) else None
        for name, value in scenario.items():
            _check_range(specs[name], value, shown, raw_dir)
        if OPTIONS_PARAMETER in scenario:
            check_options(scenario[OPTIONS_PARAMETER], shown, raw_dir)
        merged[path.stem] = values
    return merged


def check_parameters(namespace: dict[str, Any], default_path: Path | None = None) -> None:
    """In a notebook, ``check_parameters(globals())``: the types and ranges of its own parameters as they stand,
    since papermill may have injected other values than the defaults (``-p persons_per_household nan``).

    Its own parameters are the ones its ``parameters`` cell declares (``name: type = value``): Python
    records each such declaration in the namespace's ``__annotations__``, and papermill's injected values only
    replace values. Nothing else of the namespace is looked at, so a second *Run All* in the same kernel, with
    every variable of the first run still there, checks the same values. Folders are left to the build, which
    passes its own absolute staging folders."""
    specs = study_specs(default_path)
    own = namespace.get("__annotations__", {})
    given = {name: namespace[name] for name in specs if name in own and name in namespace}
    where = "notebook parameters"
    unknown = sorted(set(injected_names(namespace)) - set(own))
    if unknown:
        import difflib

        declared = sorted(name for name in own if name in specs)
        said = []
        for name in unknown:
            close = difflib.get_close_matches(name, declared, n=1, cutoff=0.5)
            said.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ParameterError(
            f"{where}: papermill was given {', '.join(said)}, which this notebook does not declare; its parameters "
            f"are {', '.join(declared)}"
        )
    check_keys_and_types(given, specs, where)
    raw_dir = config.project_path(given["raw_dir"]).resolve() if "raw_dir" in given else None
    for name, value in given.items():
        _check_range(specs[name], value, where, raw_dir)


def injected_names(namespace: dict[str, Any]) -> list[str]:
    """The names papermill's ``-p`` gave this run: the ones its injected cell assigns, when that cell ran just
    before the current one (papermill writes it after the ``parameters`` cell, opening with "# Parameters").

    Read from IPython's input history (``In``, the user namespace's list of the cells run, the current one
    last), so a second *Run All* in JupyterLab, with no injected cell, finds none."""
    history = namespace.get("In")
    if not isinstance(history, list) or len(history) < 2 or not isinstance(history[-2], str):
        return []
    previous = history[-2]
    if not previous.lstrip().startswith("# Parameters"):
        return []
    try:
        tree = ast.parse(previous)
    except SyntaxError:
        return []
    return [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]


# --- the build's entry point --------------------------------------------------------------------------------


def load_parameters(
    notebooks: dict[Path, dict[str, Parameter]],
    scenario: Path | None = None,
    default_path: Path | None = None,
    build_parameters: dict[str, str] | None = None,
    *,
    root: Path | None = None,
    fixed: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """Defaults merged with a scenario, every value checked, every swept scenario checked too.

    ``notebooks`` maps each notebook to its declarations (``notebook_parameters``), read once by the caller.
    Every declared parameter must be defined in the defaults with the same type, and every defined one
    used; a scenario may only set known parameters. Output folders are confined (``check_folders``). When
    the parameters name a ``scenarios_dir``, every scenario file there is checked as well, so a typo in a
    swept scenario stops the build before anything runs. ``root`` is the project (default: the folder
    above ``default_path``'s folder). ``fixed`` maps each parameter the build sets for each edition to the
    values it sets (``lang``: en, fr): no scenario may set it, and its default must be one of them.
    """
    fixed = fixed or {}
    default_path = default_path or config.PARAMS_DIR / "default.yaml"
    root = root or default_path.resolve().parent.parent
    build_parameters = build_parameters or {}
    declared: dict[str, tuple[str, str]] = {
        name: (type_name, "the build") for name, type_name in build_parameters.items()
    }
    for notebook, parameters in notebooks.items():
        for name, parameter in parameters.items():
            type_name, where = declared.setdefault(name, (parameter.type_name, config.display_path(notebook)))
            if type_name != parameter.type_name:
                raise ParameterError(
                    f"parameter {name!r} is {type_name} in {where} and "
                    f"{parameter.type_name} in {config.display_path(notebook)}"
                )
    specs = read_specs(default_path, {name: type_name for name, (type_name, _) in declared.items()})
    shown_defaults = config.display_path(default_path)
    # The build's own parameters may go without a default (the build then does without them).
    missing = sorted(set(declared) - set(specs) - set(build_parameters))
    if missing:
        raise ParameterError(f"{shown_defaults}: no default for {missing}")
    for name, (type_name, where) in declared.items():
        if name in specs and specs[name].type_name != type_name:
            raise ParameterError(
                f"parameter {name!r} is {specs[name].type_name} in {shown_defaults} but {type_name} in {where}"
            )
    unused = sorted(set(specs) - set(declared))
    if unused and declared:
        raise ParameterError(f"{shown_defaults}: parameter {unused[0]!r} is used by no notebook nor the build")
    values = {name: spec.default for name, spec in specs.items()}
    for name, allowed in fixed.items():
        if name in values and values[name] not in allowed:
            raise ParameterError(
                f"{shown_defaults}: parameter {name!r} is {values[name]!r}; the build makes the editions "
                f"{', '.join(map(repr, allowed))}, so its default must be one of them"
            )
    origin = {**dict.fromkeys(values, shown_defaults), "_defaults": shown_defaults}
    if scenario is not None:
        overrides = read_scenario(scenario, specs, fixed)
        values = merge(values, overrides)
        origin.update(dict.fromkeys(overrides, config.display_path(scenario)))
    check_values(values, specs, root, origin)
    if isinstance(values.get("scenarios_dir"), str):
        sweep(values, _resolve(root, values["scenarios_dir"]), specs, root, fixed)
    return values
