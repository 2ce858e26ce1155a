"""Progress of a build, one line per notebook: rich on a terminal, plain lines elsewhere (CI, logs)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from divide_study.engine.pipeline import StepResult


class Reporter:
    """Says when each notebook starts and how it ended. ``lines`` keeps them for tests."""

    def __init__(self, console: Console | None = None):
        # stderr for progress, so stdout stays for results; rich drops colours when not a terminal.
        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)
        self.lines: list[str] = []
        self._status = None
        self._running: dict[str, float] = {}

    def _say(self, line: str, style: str = "") -> None:
        self.lines.append(line)
        self.console.print(line, style=style, markup=False)

    def _refresh(self) -> None:
        if not self.console.is_terminal:
            return
        if self._running:
            text = "running: " + ", ".join(sorted(self._running))
            if self._status is None:
                self._status = self.console.status(text)
                self._status.start()
            else:
                self._status.update(text)
        elif self._status is not None:
            self._status.stop()
            self._status = None

    def note(self, line: str) -> None:
        self._say(f"  ! {line}", "yellow")

    def started(self, name: str) -> None:
        self._running[name] = time.perf_counter()
        if not self.console.is_terminal:
            self._say(f"  ▸ {name}: running")
        self._refresh()

    def finished(self, result: StepResult) -> None:
        self._running.pop(result.name, None)
        self._refresh()
        if result.status == "ran":
            self._say(f"  ✓ {result.name}: ran in {result.seconds:.1f} s", "green")
        elif result.status == "skipped":
            self._say(f"  · {result.name}: unchanged, skipped", "dim")
        elif result.status == "blocked":
            self._say(f"  - {result.name}: not run, {result.error}", "yellow")
        else:
            self._say(f"  ✗ {result.name} failed after {result.seconds:.1f} s", "bold red")
            for line in result.error.splitlines():
                self._say(f"      {line}", "red")
