"""JupyterLab that never dirties the repository: ``study lab`` saves the study's notebooks in their committed form.

``study lab`` starts JupyterLab with ``jupyter_config/`` (beside this module) first on ``JUPYTER_CONFIG_PATH``;
its ``jupyter_server_config.json`` makes :func:`strip_outputs` the contents manager's pre-save hook. Every save
of a notebook under ``notebooks/`` (autosave included) then writes it as it is committed: no outputs, no
execution counts, no editor metadata (nbstripout's own rules, the same as its git filter), the notebook's
metadata reduced to its kernel and language name, and, when the file on disk has no cell ids (nbformat 4.4, as
the study's notebooks are), none added. What the analyst sees in the browser is untouched; only the file is.
Other notebooks (``build/sandbox``, a scratch notebook elsewhere) are saved as they are.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any

NOTEBOOKS_FOLDER = "notebooks"
CONFIG_DIR = Path(__file__).with_name("jupyter_config")
# nbstripout's defaults (its command line's), so the hook and the git filter agree on what an editor's key is.
EDITOR_KEYS = [
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
]
# What a committed notebook's metadata holds (tests/test_notebooks.py checks it); the kernel fills the rest of
# language_info (version, mimetype, ...) when it starts, which would change the file at every save.
KEPT_METADATA = ("kernelspec", "language_info")


def committed_form(content: dict, *, cell_ids: bool = True) -> dict:
    """The notebook ``content`` (nbformat 4, as a dict) as the repository keeps it.

    ``cell_ids=False`` writes it without cell ids, in nbformat 4.4: JupyterLab adds ids (4.5) to a notebook it
    opens, which would otherwise change every line of a 4.4 notebook's file at its first save.
    """
    import nbformat
    from nbstripout import strip_output

    notebook = nbformat.from_dict(json.loads(json.dumps(content)))  # a copy: the caller's model is not changed
    strip_output(notebook, keep_output=False, keep_count=False, keep_id=False, extra_keys=EDITOR_KEYS)
    metadata = notebook.metadata
    for key in [key for key in metadata if key not in KEPT_METADATA]:
        del metadata[key]
    if "language_info" in metadata:
        metadata["language_info"] = {"name": metadata["language_info"].get("name", "python")}
    if not cell_ids:
        for cell in notebook.cells:
            cell.pop("id", None)
        notebook.nbformat_minor = min(notebook.nbformat_minor, 4)
    return notebook


def is_study_notebook(path: str) -> bool:
    """Whether ``path`` (an API path, relative to the server's root) is a notebook of ``notebooks/``."""
    parts = PurePosixPath(path.strip("/")).parts
    return len(parts) >= 2 and parts[0] == NOTEBOOKS_FOLDER and parts[-1].endswith(".ipynb")


def _has_cell_ids(file: Path) -> bool:
    """Whether the notebook on disk has cell ids; a new notebook gets them (nbformat's current form)."""
    try:
        notebook = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return any("id" in cell for cell in notebook.get("cells", [])) or notebook.get("nbformat_minor", 5) >= 5


def strip_outputs(model: dict, path: str, contents_manager: Any = None, **kwargs: Any) -> None:
    """Jupyter's pre-save hook (``ContentsManager.pre_save_hook``): a notebook of ``notebooks/`` is written
    in its committed form. Called by the server with the model about to be written, which it changes in place."""
    if model.get("type") != "notebook" or not model.get("content") or not is_study_notebook(path):
        return
    root = getattr(contents_manager, "root_dir", None)
    on_disk = Path(root, *PurePosixPath(path.strip("/")).parts) if root else None
    keep_ids = on_disk is None or not on_disk.exists() or _has_cell_ids(on_disk)
    model["content"] = committed_form(model["content"], cell_ids=keep_ids)


def lab_command(root: Path, options: list[str], environ: dict[str, str] | None = None) -> tuple[list[str], dict]:
    """The command and environment of ``study lab``: JupyterLab on ``root`` with the study's server config
    (the pre-save hook) first on the config path, then any the analyst has."""
    import sys

    environ = dict(os.environ if environ is None else environ)
    config_path = [str(CONFIG_DIR), *filter(None, environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(config_path)
    return [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", *options], environ
