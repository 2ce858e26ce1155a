"""Errors a user can act on. The CLI prints their message alone, without a traceback."""

from __future__ import annotations

from pathlib import Path

from divide_study.config import display_path


class StudyError(Exception):
    """A problem in the study's inputs or parameters that the user can fix."""


class DataError(StudyError):
    """A problem in one input file, located as precisely as possible.

    ``row`` counts data rows from 1 (the header is not a row); the message also gives the file line,
    which is what an editor shows.
    """

    def __init__(
        self,
        file: str | Path,
        message: str,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
    ):
        self.file, self.row, self.column, self.key, self.reason = file, row, column, key, message
        where = display_path(file)
        if row is not None:
            where += f", row {row} (line {row + 1})"
            if key:
                where += f" [{key}]"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


# The modules that define the kinds of StudyError (each a mistake the user can fix): a notebook's failure names its
# exception's class only (papermill's ``ename``), so the build tells the user's mistake (exit 2) from a fault of
# the code or the machine (exit 1) by that name. ``tests/test_untrusted_data.py`` checks that no kind is missing.
DEFINED_IN = (
    "divide_study.i18n",
    "divide_study.engine.params",
    "divide_study.analysis.measures",
    "divide_study.language.datatext",
)


def user_error_names() -> set[str]:
    """The class names of every kind of StudyError (StudyError itself, DataError, BrokenCatalog, …)."""
    import importlib

    for module in DEFINED_IN:
        importlib.import_module(module)
    found: set[str] = set()
    todo: list[type] = [StudyError]
    while todo:
        kind = todo.pop()
        found.add(kind.__name__)
        todo.extend(kind.__subclasses__())
    return found
