"""Errors a user can act on. The CLI prints their message alone, without a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


class DataErrors(DataError):
    """Several problems of the inputs said at once, each a ``DataError`` with its file, row and column: a new
    initiative's rows are checked all together, so one build says everything to fix.

    Located like its first problem (``file``, ``row``, ``column``), so a caller that reads one location still
    finds one; ``errors`` holds them all."""

    def __init__(self, errors: list[DataError]):
        if not errors:
            raise ValueError("DataErrors needs at least one problem")
        self.errors = list(errors)
        first = self.errors[0]
        self.file, self.row, self.column, self.key, self.reason = (
            first.file,
            first.row,
            first.column,
            first.key,
            first.reason,
        )
        listed = "\n".join(f"  {number}. {error}" for number, error in enumerate(self.errors, start=1))
        StudyError.__init__(
            self,
            f"{len(self.errors)} problems in the inputs, each with its file, row and column (fix them all, then "
            f"build again):\n{listed}",
        )


class Problems:
    """The problems a step has found so far: each check runs in ``with problems.check():``, which keeps a
    ``DataError`` (or each of a ``DataErrors``) and goes on with the next check. ``raise_any`` then raises
    them: the one problem as it is, several as one ``DataErrors``."""

    def __init__(self) -> None:
        self.errors: list[DataError] = []
        # The ids (articles, figures) whose rows failed: later checks say nothing more of them (a figure that
        # could not be read is not also "unknown" to the measures that name it).
        self.failed: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    @contextmanager
    def check(self, failed_id: str | None = None) -> Iterator[None]:
        """Run one check; a problem is kept (and ``failed_id``, the id of the row checked, marked failed)."""
        try:
            yield
        except DataError as exc:
            self.add(*(exc.errors if isinstance(exc, DataErrors) else [exc]))
            if failed_id is not None:
                self.failed.add(failed_id)

    def add(self, *errors: DataError) -> None:
        for error in errors:
            if str(error) not in {str(known) for known in self.errors}:
                self.errors.append(error)

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DataErrors(self.errors)


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
