"""The analyst's path, end to end: JupyterLab in a real browser, each notebook run top to bottom as opened, and
run again in the same kernel (a second *Run All*, every variable of the first still there)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from divide_study import config
from divide_study.engine.lab import lab_command
from divide_study.report.publish import CHROMIUM_FLAGS, find_browser

pytestmark = pytest.mark.lab  # a JupyterLab server and a browser: CI runs these once

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
# Charts each notebook shows when run as opened (the report shows its figures as HTML images).
EXPECTED_IMAGES = {
    "01_clean": 0,
    "02_compare_networks": 6,
    "03_programme_outcomes": 1,
    "04_sensitivity": 1,
    "05_report": 8,
    "06_national_panel": 1,
    "07_fibre_series": 1,
}


# Each code cell of the notebook open in JupyterLab: its execution count, errors, and images it shows.
CELLS_JS = """() => {
  const model = window.jupyterapp.shell.currentWidget.content.model;
  const out = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = cell.outputs.toJSON();
    out.push({
      count: cell.executionCount,
      errors: outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
      images: outputs.filter(o => o.data && (o.data['image/png'] || o.data['image/svg+xml'])).length
        + outputs.filter(o => o.data && String(o.data['text/html'] || '').includes('<img')).length,
    });
  }
  return out;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on the project, its settings in a temporary folder, stopped by pid at the end."""
    if not (config.PROCESSED_DIR / "figures.csv").exists() and not os.environ.get("CI"):
        pytest.skip("build the study first (uv run study build): the notebooks read its outputs")
    browser = find_browser()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium, yet no browser was found")
        pytest.skip("no Chromium or Chrome on this machine")
    home = tmp_path_factory.mktemp("jupyter")
    settings = home / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    # Never write the committed notebooks: no autosave during the test.
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    # JupyterLab as `study lab` starts it (its server config: the pre-save hook of build/lab.py).
    options = [
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--allow-root",
    ]
    command, env = lab_command(config.PROJ_ROOT, options, env)
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(home / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        yield {"base": base, "token": token, "browser": browser}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=lab["browser"], args=list(CHROMIUM_FLAGS[1:]))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page per notebook, so nothing of the previous one is restored."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_study() -> dict[str, str]:
    """Every published file with its hash: an interactive run must leave them all as they are."""
    folders = (config.PROCESSED_DIR, config.FIGURES_DIR, config.REPORT_DIR)
    return {str(path): digest(path) for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


def run_all_finished(page, notebook: Path, after: int, screenshot: Path) -> list[dict]:
    """The notebook's code cells once each has run past execution count ``after`` (or one shows an error). Read
    from the notebook's model, not the page: JupyterLab does not keep off-screen cells in the page."""
    deadline = time.monotonic() + 240
    while True:
        cells = page.evaluate(f"({CELLS_JS})()")
        if all(c["count"] is not None and c["count"] > after for c in cells) or any(c["errors"] for c in cells):
            return cells
        if time.monotonic() > deadline:
            page.screenshot(path=str(screenshot))
            pytest.fail(f"{notebook.name}: not every cell ran within 240 s: {cells}")
        page.wait_for_timeout(250)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_all_cells_in_jupyterlab(lab, page, notebook: Path, tmp_path: Path):
    before, published_before = digest(notebook), published_study()
    page.goto(f"{lab['base']}/lab/tree/notebooks/{notebook.name}?reset&token={lab['token']}")
    page.wait_for_function(
        "(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.context && w.context.path === path && w.content.model; }",
        arg=f"notebooks/{notebook.name}",
        timeout=60_000,
    )
    # Wait for the kernel, then Run All through JupyterLab's own command.
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=90_000,
    )
    # Twice, in the same kernel: a second Run All, every variable of the first still there, must run as well.
    last_count = 0
    for run in ("first", "second"):
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        cells = run_all_finished(page, notebook, last_count, tmp_path / f"{notebook.stem}-{run}-timeout.png")
        errors = [error for cell in cells for error in cell["errors"]]
        assert errors == [], f"{run} Run All: {errors}"
        assert all(cell["count"] > last_count for cell in cells), f"{run} Run All: not every code cell ran"
        assert sum(cell["images"] for cell in cells) >= EXPECTED_IMAGES[notebook.stem], f"{run} Run All"
        last_count = max(cell["count"] for cell in cells)
    page.screenshot(path=str(tmp_path / f"{notebook.stem}.png"), full_page=False)
    page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    page.evaluate("window.jupyterapp.commands.execute('application:close-all')")
    assert digest(notebook) == before, "the committed notebook was modified"
    # Run All writes to build/sandbox/, never into the published study (the build alone publishes).
    assert published_study() == published_before, "a Run All in JupyterLab changed the published study"
