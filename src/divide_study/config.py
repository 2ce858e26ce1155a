"""Every path of the study, in one place.

The package is installed in editable mode (``uv sync``), so the project root is found from this file.
The articles are read in place from ``../shared/sources`` (the ``sources_dir`` parameter), never copied.
"""

from __future__ import annotations

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
