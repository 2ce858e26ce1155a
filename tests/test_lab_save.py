"""JupyterLab keeps the repository clean: a notebook of notebooks/ saved through the Jupyter server (``study lab``'s
config, its pre-save hook) reaches the disk without outputs, and the nbstripout git filter the README installs
strips what another editor saved. The committed notebooks are what both write, so neither changes them."""

from __future__ import annotations

import copy
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from divide_study import config
from divide_study.engine.lab import committed_form, is_study_notebook, lab_command, strip_outputs

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def as_jupyterlab_saves_it(path: Path) -> dict:
    """A committed notebook as JupyterLab sends it after Run All: nbformat 4.5 with cell ids, outputs and counts,
    the kernel's full language_info, an editor's cell metadata."""
    content = json.loads(path.read_text(encoding="utf-8"))
    content["nbformat_minor"] = 5
    content["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.9",
    }
    content["metadata"]["widgets"] = {"state": {}}
    for number, cell in enumerate(content["cells"]):
        cell["id"] = f"a1b2c3d4-{number:04d}"
        if cell["cell_type"] == "code":
            cell["execution_count"] = number + 1
            cell["metadata"]["scrolled"] = True
            cell["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": ["writes to build/sandbox\n"]},
                {
                    "output_type": "execute_result",
                    "execution_count": number + 1,
                    "data": {"text/plain": ["42"], "image/png": "iVBORw0KGgo="},
                    "metadata": {},
                },
            ]
    return content


def written(content: dict) -> str:
    """The file the server writes for ``content`` (nbformat's writer, as the contents manager uses it)."""
    return nbformat.writes(nbformat.from_dict(content)) + "\n"


def code_cells(content: dict) -> list[dict]:
    return [cell for cell in content["cells"] if cell["cell_type"] == "code"]


# --- the hook itself (fast) ------------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_run_notebook_saved_by_the_hook_is_byte_for_byte_the_committed_file(notebook: Path):
    model = {"type": "notebook", "format": "json", "content": as_jupyterlab_saves_it(notebook)}
    assert any(cell["outputs"] for cell in code_cells(model["content"]))
    strip_outputs(
        model=model, path=f"notebooks/{notebook.name}", contents_manager=SimpleNamespace(root_dir=config.PROJ_ROOT)
    )
    assert written(model["content"]) == notebook.read_text(encoding="utf-8")


def test_a_new_notebook_keeps_its_cell_ids_and_loses_its_outputs(tmp_path: Path):
    content = as_jupyterlab_saves_it(NOTEBOOKS[0])
    model = {"type": "notebook", "content": copy.deepcopy(content)}
    strip_outputs(model=model, path="notebooks/new.ipynb", contents_manager=SimpleNamespace(root_dir=tmp_path))
    saved = model["content"]
    assert saved["nbformat_minor"] == 5 and all("id" in cell for cell in saved["cells"])
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code_cells(saved))
    assert saved["metadata"]["language_info"] == {"name": "python"} and "widgets" not in saved["metadata"]


@pytest.mark.parametrize("path", ["build/sandbox/01_clean.ipynb", "scratch.ipynb", "notebooks/data.csv"])
def test_other_files_are_saved_as_they_are(path: str, tmp_path: Path):
    content = as_jupyterlab_saves_it(NOTEBOOKS[0])
    model = {"type": "notebook" if path.endswith(".ipynb") else "file", "content": copy.deepcopy(content)}
    strip_outputs(model=model, path=path, contents_manager=SimpleNamespace(root_dir=tmp_path))
    assert model["content"] == content


def test_which_paths_are_the_studys_notebooks():
    assert is_study_notebook("notebooks/01_clean.ipynb") and is_study_notebook("/notebooks/sub/x.ipynb")
    assert not is_study_notebook("notebooks.ipynb") and not is_study_notebook("build/notebooks/01_clean.ipynb")


def test_committed_form_leaves_the_callers_model_alone():
    content = as_jupyterlab_saves_it(NOTEBOOKS[0])
    before = copy.deepcopy(content)
    committed_form(content, cell_ids=False)
    assert content == before


def test_study_lab_puts_the_hook_config_first_on_jupyters_config_path(tmp_path: Path):
    command, environ = lab_command(tmp_path, ["--port", "8899"], {"JUPYTER_CONFIG_PATH": "/elsewhere"})
    first, *rest = environ["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert rest == ["/elsewhere"]
    settings = json.loads((Path(first) / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert settings["ContentsManager"]["pre_save_hook"] == "divide_study.engine.lab.strip_outputs"
    assert command[-3:] == [f"--ServerApp.root_dir={tmp_path}", "--port", "8899"]


# --- the real server: a save through the contents API (slow) ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    """JupyterLab as ``study lab`` starts it, on a project of its own (a copy of notebooks/), stopped by pid."""
    root = tmp_path / "project"
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks")
    (root / "build" / "sandbox").mkdir(parents=True)
    home = tmp_path / "jupyter"
    port, token = free_port(), secrets.token_hex(16)
    isolated = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    options = [
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--allow-root",
    ]
    command, environ = lab_command(root, options, isolated)
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"JupyterLab exited: {(tmp_path / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 120 s")
        yield SimpleNamespace(root=root, base=base, token=token, log=tmp_path / "lab.log")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def save(server, path: str, content: dict) -> dict:
    """PUT a notebook through the server's contents API, as JupyterLab's save does."""
    body = json.dumps({"type": "notebook", "format": "json", "content": content}).encode()
    request = urllib.request.Request(
        f"{server.base}/api/contents/{path}?token={server.token}",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.slow
@pytest.mark.lab
def test_a_notebook_saved_through_the_server_reaches_the_disk_without_outputs(server):
    committed = server.root / "notebooks" / "02_compare_networks.ipynb"
    before = committed.read_bytes()
    content = as_jupyterlab_saves_it(committed)
    save(server, "notebooks/02_compare_networks.ipynb", content)
    on_disk = json.loads(committed.read_text(encoding="utf-8"))
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code_cells(on_disk))
    assert committed.read_bytes() == before, "saving a run notebook changed the committed file"
    # The hook is the study's own: a notebook elsewhere (the sandbox) keeps what it was saved with.
    save(server, "build/sandbox/02_compare_networks.ipynb", content)
    sandbox = json.loads((server.root / "build/sandbox/02_compare_networks.ipynb").read_text(encoding="utf-8"))
    assert all(cell["outputs"] for cell in code_cells(sandbox))
    assert "Pre-save hook failed" not in server.log.read_text()


@pytest.mark.slow
@pytest.mark.lab
def test_run_all_then_save_in_jupyterlab_leaves_the_notebook_as_committed(server, tmp_path: Path):
    """What an analyst does: open a notebook in JupyterLab, Run All, save (its kernel has filled language_info,
    JupyterLab has given every cell an id); the file on disk is still the committed one, byte for byte."""
    from playwright.sync_api import sync_playwright

    from divide_study.report.publish import CHROMIUM_FLAGS, find_browser

    if not (config.PROCESSED_DIR / "figures.csv").exists() and not os.environ.get("CI"):
        pytest.skip("build the study first (uv run study build): the notebooks read its outputs")
    browser_path = find_browser()
    if browser_path is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium, yet no browser was found")
        pytest.skip("no Chromium or Chrome on this machine")
    name = "03_programme_outcomes.ipynb"
    notebook = server.root / "notebooks" / name
    before = notebook.read_bytes()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=list(CHROMIUM_FLAGS[1:]))
        try:
            page = browser.new_page()
            page.goto(f"{server.base}/lab/tree/notebooks/{name}?reset&token={server.token}")
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
                " && w.sessionContext.session.kernel.status === 'idle'; }",
                timeout=120_000,
            )
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(
                "() => { const model = window.jupyterapp.shell.currentWidget.content.model; let done = true;"
                " for (let i = 0; i < model.cells.length; i++) { const cell = model.cells.get(i);"
                " if (cell.type === 'code' && cell.executionCount === null) done = false; } return done; }",
                timeout=240_000,
            )
            outputs = page.evaluate(
                "() => { const model = window.jupyterapp.shell.currentWidget.content.model; let n = 0;"
                " for (let i = 0; i < model.cells.length; i++) { const cell = model.cells.get(i);"
                " if (cell.type === 'code') n += cell.outputs.length; } return n; }"
            )
            assert outputs > 0, "Run All showed nothing"
            page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=60_000)
            # The browser still shows the results; only the file is stripped.
            assert (
                page.evaluate(
                    "() => { const model = window.jupyterapp.shell.currentWidget.content.model; let n = 0;"
                    " for (let i = 0; i < model.cells.length; i++) { const cell = model.cells.get(i);"
                    " if (cell.type === 'code') n += cell.outputs.length; } return n; }"
                )
                == outputs
            )
            page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
        finally:
            browser.close()
    assert "Pre-save hook failed" not in server.log.read_text()
    assert notebook.read_bytes() == before, "Run All and save in JupyterLab changed the committed notebook"


# --- the git filter the README installs ------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    environ = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=environ, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_the_readmes_git_filter_keeps_outputs_out_of_git(tmp_path: Path):
    repo = tmp_path / "clone"
    shutil.copytree(config.NOTEBOOKS_DIR, repo / "notebooks")
    shutil.copy(config.PROJ_ROOT / ".gitattributes", repo / ".gitattributes")
    attributes = (repo / ".gitattributes").read_bytes()
    git(repo, "init", "-q")
    # The README's command, run in the clone (it writes the filter into the clone's .git/config only).
    install = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--install", "--attributes", ".gitattributes"],
        cwd=repo,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    assert (repo / ".gitattributes").read_bytes() == attributes, "the committed attributes already name the filter"
    assert "nbstripout" in git(repo, "config", "--get", "filter.nbstripout.clean")
    # Every committed notebook is as the filter leaves it (nbstripout's own check, with the clone's filter settings,
    # in one process: git runs the filter twice per file added, a Python start of about a second each) ...
    verify = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", *(f"notebooks/{n.name}" for n in NOTEBOOKS)],
        cwd=repo,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # ... and goes through git's filter byte for byte (one notebook: they are all written by the same writer) ...
    run = repo / "notebooks" / NOTEBOOKS[0].name
    git(repo, "add", ".gitattributes", f"notebooks/{run.name}")
    assert git(repo, "show", f":notebooks/{run.name}") == NOTEBOOKS[0].read_text(encoding="utf-8")
    # ... and a notebook saved with outputs by any editor is stored without them.
    run.write_text(written(as_jupyterlab_saves_it(NOTEBOOKS[0])), encoding="utf-8")
    git(repo, "add", f"notebooks/{run.name}")
    stored = json.loads(git(repo, "show", f":notebooks/{run.name}"))
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code_cells(stored))
