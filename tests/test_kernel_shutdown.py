"""A build step ends its kernel, quietly: no kernel is left running, no kernel error line on stderr.

jupyter_client interrupts a kernel before shutting it down; papermill's last request (kernel info) is still being
handled when it returns, and an interrupt landing there made ipykernel log "[IPKernelApp] ERROR |
KeyboardInterrupt caught in kernel." (one run in a few). And nbclient leaves running a kernel it was given (km=),
so a build's worker kept every kernel it had started. Each step is run here in a process of its own, as a build's
worker runs it, with its stderr (the kernels' too) captured.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

RUNS = 6


@pytest.mark.slow
def test_steps_end_their_kernels_without_an_error_line(tmp_path: Path):
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nprint(x + 1)"),
    ]
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    script = textwrap.dedent(
        f"""
        import json, sys
        import psutil
        from divide_study.engine.pipeline import execute_step

        left = []
        for run in range({RUNS}):
            outcome = execute_step("tiny.ipynb", f"out{{run}}.ipynb", {{"x": run}}, 60, ".")
            assert outcome["ok"], outcome
            left.append(len([p for p in psutil.Process().children(recursive=True) if p.is_running()]))
        print(json.dumps(left))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    # Each run's kernel is gone when its step returns (a zombie not yet reaped is no longer running).
    assert json.loads(done.stdout.splitlines()[-1]) == [0] * RUNS
    noisy = [line for line in done.stderr.splitlines() if "ERROR" in line or "KeyboardInterrupt" in line]
    assert noisy == [], noisy
    assert "without encryption" not in done.stderr  # the build's kernels talk over Unix sockets (IPC)
    executed = json.loads((tmp_path / f"out{RUNS - 1}.ipynb").read_text(encoding="utf-8"))
    assert any("6" in "".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", []))
