"""Every path of the study, in one place.

The package is installed in editable mode (``uv sync``), so the project root is found from this file.
The articles are read in place from ``../shared/sources`` (the ``sources_dir`` parameter), never copied.

Interactive runs are sandboxed: a notebook passes each output folder through ``writable``. A published folder
(``data/processed``, ``figures``, ``report``: the output folders' defaults in ``params/default.yaml``) becomes
the same path under ``build/sandbox/``, unless the analyst sets ``STUDY_PUBLISH=1`` on purpose. ``study build``
always passes its own staging folders, which are not published ones, so it is unaffected.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[2]

DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
REFERENCE_DIR = RAW_DIR / "reference"
PROCESSED_DIR = DATA_DIR / "processed"
FIGURES_DIR = PROJ_ROOT / "figures"
REPORT_DIR = PROJ_ROOT / "report"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
PARAMS_DIR = PROJ_ROOT / "params"
BUILD_DIR = PROJ_ROOT / "build"  # build state and executed notebooks (the builder derives it from its root)
SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"


def schema_of(table: str) -> Path:
    """The Table Schema of a processed table by its name; every step's quoted numbers (``quoted_<step>``) share
    one."""
    return SCHEMAS_DIR / ("quoted.schema.json" if table.startswith("quoted_") else f"{table}.schema.json")


SANDBOX_DIR = BUILD_DIR / "sandbox"  # where interactive runs write instead of the published folders
PUBLISH_VARIABLE = "STUDY_PUBLISH"  # set to 1 to let an interactive run write into the published folders


SOURCES_DIR = PROJ_ROOT.parent / "shared" / "sources"


def project_path(path: str | Path) -> Path:
    """A path from a parameter: relative paths are taken from the project root, not the notebook's folder."""
    path = Path(path)
    return path if path.is_absolute() else PROJ_ROOT / path


def display_path(path: str | Path) -> str:
    """A path as users should see it in messages: relative to the project when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(PROJ_ROOT))
    except ValueError:
        return str(path)


def publishing() -> bool:
    """True when the analyst asked, with STUDY_PUBLISH=1, that an interactive run write the published study."""
    return os.environ.get(PUBLISH_VARIABLE, "").strip() == "1"


def where_outputs_go(*folders: Path) -> str:
    """One line for a notebook's first output: where it writes, and why there."""
    shown = ", ".join(display_path(folder) for folder in folders)
    sandbox = SANDBOX_DIR.resolve()
    if any(Path(folder).resolve().is_relative_to(sandbox) for folder in folders):
        return (
            f"Writing to {shown}: an interactive run writes to the sandbox, never to the published study "
            f"(set {PUBLISH_VARIABLE}=1 to write into it on purpose; `study build` publishes it)."
        )
    if publishing():
        return f"Writing to {shown}: {PUBLISH_VARIABLE}=1, so this run changes the published study."
    return f"Writing to {shown}."
