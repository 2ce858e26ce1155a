"""Where the study's steps may write: the published folders, and for an interactive run the sandbox in their
place. Here, not in ``config``, because the published folders include the output-folder parameters' defaults,
which the parameters' declarations give (``engine.params``)."""

from __future__ import annotations

from pathlib import Path

from divide_study import config
from divide_study.engine.params import ParameterError, study_specs


def published_dirs() -> list[Path]:
    """The published study's folders: the defaults of the output-folder parameters, and the constants above."""
    folders = [config.PROCESSED_DIR, config.FIGURES_DIR, config.REPORT_DIR]
    try:
        specs = study_specs()
    except ParameterError:
        return folders  # the build reports what is wrong with the file; still protect the known folders
    folders += [config.PROJ_ROOT / spec.default for spec in specs.values() if spec.folder == "output"]
    return list(dict.fromkeys(folders))


def writable(path: str | Path) -> Path:
    """Where a notebook may write the output folder ``path``: itself, unless it is (inside) a published folder,
    which becomes the same path under ``build/sandbox/`` (created), so an interactive run cannot change the
    published study. With STUDY_PUBLISH=1 the path is returned as given."""
    target = config.project_path(path)
    if config.publishing():
        return target
    resolved = target.resolve()
    for published in published_dirs():
        real = published.resolve()
        if resolved == real or resolved.is_relative_to(real):
            sandboxed = config.SANDBOX_DIR / published.relative_to(config.PROJ_ROOT) / resolved.relative_to(real)
            sandboxed.mkdir(parents=True, exist_ok=True)
            return sandboxed
    return target
