"""Issue 23, class 1: everything under build/ is data from an untrusted past (a user, an earlier build, a copy).

The publish journal, the lock and the engine's record are checked before use; a bad one is set aside under
build/rejected/ with a message and never acted on. Each case compares the SHA-256 of every published file (and of
a folder outside the project) before and after. A throwaway two-notebook project (tests/test_pipeline.py's).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import tree_digest
from test_pipeline import two_folder_project

from divide_study.engine import cli, staging
from divide_study.engine.pipeline import Builder, Step
from divide_study.engine.progress import Reporter
from divide_study.errors import StudyError

STEPS = (
    Step("a_copy", reads=("raw:input.csv",), writes=("processed:a.csv",)),
    Step("d_figure", reads=("processed:a.csv",), writes=("figures:d.txt",)),
)


def builder(root: Path, **options) -> Builder:
    return Builder(steps=STEPS, root=root, reporter=Reporter(), finalize=None, jobs=1, **options)


def published(root: Path) -> dict[str, dict[str, str]]:
    return {folder: tree_digest(root / folder) for folder in ("data/processed", "figures", "notebooks", "data/raw")}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = two_folder_project(tmp_path_factory.mktemp("untrusted") / "proj")
    assert builder(root).run().published
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(built_once, root, symlinks=True)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of the user's, beside the project: no build may touch it."""
    folder = tmp_path / "precious"
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.txt").write_text("years of work\n")
    (folder / "sub" / "data.csv").write_text("x\n1\n")
    return folder


def write_journal(root: Path, content: object) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (root / "build" / staging.JOURNAL).write_text(text, encoding="utf-8")


def forged_moves(root: Path, outside: Path) -> list[dict]:
    """A journal naming the user's folder: a roll-forward would move it aside and delete it."""
    stage = root / "build/.stage-study"
    (stage / "evil").mkdir(parents=True)
    (stage / "previous" / "0.previous").mkdir(parents=True)  # "the backup is taken": rmtree(published)
    return [{"staged": str(stage / "evil"), "published": str(outside), "backup": str(stage / "previous/0.previous")}]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("absolute-outside", "is not a path inside the project"),
        ("relative-outside", "is not a path inside the project"),
        ("project-folder", "is not a folder a build publishes"),
        ("input-folder", "is an input folder of the study"),
        ("through-a-link", "goes through a symbolic link"),
        ("backup-outside-stage", "is not inside a staging folder"),
        ("empty-move", "move 1 is {}, not {staged, published, backup}"),
        ("text", 'expected {"moves": [{"staged": …, "published": …, "backup": …}, …]}, found str "abc"'),
        ("list", "found list [1, 2]"),
        ("truncated", "it is not JSON"),
        ("not-utf8", "it is not JSON"),
    ],
)
def test_a_journal_the_build_did_not_write_is_set_aside_never_acted_on(project, outside, case, expected):
    moves = forged_moves(project, outside)
    content: object = {"moves": moves}
    relative = os.path.relpath(outside, project)
    if case == "relative-outside":
        moves[0] = {**moves[0], "published": relative, "staged": "build/.stage-study/evil"}
    elif case == "project-folder":
        moves[0] = {"staged": "build/.stage-study/evil", "published": "notebooks", "backup": "build/.stage-study/b"}
    elif case == "input-folder":
        moves[0] = {"staged": "build/.stage-study/evil", "published": "data", "backup": "build/.stage-study/b"}
    elif case == "through-a-link":
        (project / "linked").symlink_to(outside)
        moves[0] = {"staged": "build/.stage-study/evil", "published": "linked/sub", "backup": "build/.stage-study/b"}
    elif case == "backup-outside-stage":
        moves[0] = {"staged": "build/.stage-study/evil", "published": "figures", "backup": "data/raw"}
    elif case == "empty-move":
        content = {"moves": [{}]}
    elif case == "text":
        content = json.dumps("abc")
    elif case == "list":
        content = [1, 2]
    elif case == "truncated":
        content = json.dumps({"moves": [{"staged": "build/.stage-study/evil"}]})[:30]
    write_journal(project, content)
    if case == "not-utf8":
        (project / "build" / staging.JOURNAL).write_bytes(b'{"moves": "\xff"}')
    before, kept = published(project), tree_digest(outside)
    with pytest.raises(StudyError) as refused:
        builder(project).run()
    message = str(refused.value)
    assert message.startswith("build/publish-journal.json is not a publish journal this build wrote: "), message
    assert expected in message, message
    assert "Nothing in it was done; it is kept as build/rejected/publish-journal.json.1" in message
    assert tree_digest(outside) == kept and (outside / "thesis.txt").exists()
    assert published(project) == before
    assert not (project / "build" / staging.JOURNAL).exists()
    assert (project / "build/rejected/publish-journal.json.1").exists()
    # Set aside, it is out of the way: the next build goes on.
    assert builder(project).run().ok


@pytest.mark.parametrize(
    ("staged", "published_as", "expected"),
    [
        ("build/.stage-study/processed", "README.md", "is a file, not a folder a build publishes"),
        ("build/.stage-study/processed", "mywork", "is not the study's processed folder"),
        ("build/.stage-study/processed", "scenarios", "is not the study's processed folder"),
        ("build/.stage-scenario-a/processed", "scenarios", "is not a folder of the edition scenarios/a/"),
        ("build/.stage-scenario-a/processed", "scenarios/b/data/processed", "is not a folder of the edition"),
        ("build/.stage-study/state", "build/state/scenario-a", "is not the state of 'study'"),
        ("build/.stage-study/evil", "data/processed", "is not a folder a build stages"),
    ],
    ids=[
        "a-file",
        "a-users-folder",
        "every-edition",
        "every-edition-from-one",
        "another-edition",
        "other-state",
        "odd-stage",
    ],
)
def test_a_journal_naming_a_file_or_folder_no_build_publishes_is_refused(project, staged, published_as, expected):
    """A forged journal whose paths are inside the project and outside its own folders: a roll-forward used to
    move README.md, a folder of the user's or the folder of every scenario edition into the stage and delete it."""
    for path, text in {
        "README.md": "the project's own\n",
        "mywork/notes.txt": "mine\n",
        "scenarios/b/data/processed/x.csv": "x\n1\n",
    }.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    (project / staged).mkdir(parents=True)
    (project / staged / "forged.txt").write_text("forged\n")
    backup = Path(staged).parent / "previous" / "0.previous"
    (project / backup.parent).mkdir(parents=True, exist_ok=True)
    write_journal(project, {"moves": [{"staged": staged, "published": published_as, "backup": str(backup)}]})
    before = {name: tree_digest(project / name) for name in ("mywork", "scenarios", "data", "figures")}
    readme = (project / "README.md").read_text()
    with pytest.raises(StudyError, match="is not a publish journal this build wrote") as refused:
        builder(project).run()
    assert expected in str(refused.value), refused.value
    assert (project / "README.md").read_text() == readme
    assert {name: tree_digest(project / name) for name in before} == before


def test_the_journal_holds_paths_relative_to_the_project_so_a_copy_finishes_its_own_publish(
    project, tmp_path, monkeypatch
):
    """A publish interrupted after its commit point, then the project copied: building the copy rolls the copy
    forward, never the original (the journal used to hold absolute paths)."""
    (project / "data/raw/input.csv").write_text("x\n2\n")

    def crash(entries, point=None):
        raise KeyboardInterrupt  # the journal is committed; nothing is renamed yet

    monkeypatch.setattr(staging, "_roll_forward", crash)
    with pytest.raises(KeyboardInterrupt):
        builder(project).run()
    monkeypatch.undo()
    journal = (project / "build" / staging.JOURNAL).read_text(encoding="utf-8")
    assert str(tmp_path) not in journal and '"published": "data/processed"' in journal
    original = published(project)
    copy = tmp_path / "copy" / "proj"
    shutil.copytree(project, copy, symlinks=True)
    assert staging.recover(copy / "build")
    assert published(project) == original and (project / "build" / staging.JOURNAL).exists()
    assert (copy / "data/processed/a.csv").read_text() == "x\n2\n"
    assert (copy / "figures/d.txt").read_text() == "figure of x\n2\n"


def test_a_lock_planted_as_a_link_to_a_file_elsewhere_is_never_written_through(project, outside):
    target = outside / "thesis.txt"
    lock = project / "build" / staging.LOCK
    for planted in ("symlink", "hardlink"):
        lock.unlink()
        if planted == "symlink":
            lock.symlink_to(target)
        else:
            os.link(target, lock)
        before, kept = published(project), tree_digest(outside)
        with pytest.raises(StudyError, match=r"build/\.lock is not the build's own lock file .* nothing was written"):
            builder(project, force=True).run()
        assert tree_digest(outside) == kept and target.read_text() == "years of work\n"
        assert published(project) == before


def test_a_link_in_the_builds_own_folder_is_refused(project, outside):
    (project / "build/logs").mkdir(exist_ok=True)
    (project / "build/logs/kernels.log").unlink(missing_ok=True)
    (project / "build/logs/kernels.log").symlink_to(outside / "thesis.txt")
    before, kept = published(project), tree_digest(outside)
    with pytest.raises(StudyError, match=r"build/logs/kernels\.log is a symbolic link .* follows no link"):
        builder(project, force=True).run()
    assert tree_digest(outside) == kept and published(project) == before


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_a_malformed_crash_point_is_refused_before_anything_runs(project, monkeypatch, capsys, value):
    monkeypatch.setenv(staging.CRASH_AT_ENV, value)
    before = published(project)
    with pytest.raises(StudyError, match=rf"STUDY_PUBLISH_CRASH_AT='{value}': must be a whole number of 1 or more"):
        builder(project, force=True)
    assert published(project) == before
    assert not (project / "build/publish-journal.tmp").exists()


@pytest.mark.parametrize("content", [b'{"a_copy": {"_config_changed": "ab', b"[1, 2]", b'{"a_copy": 3}', b"\xff"])
def test_an_unreadable_record_of_the_engine_is_set_aside_and_the_build_runs_cold(project, content):
    record = project / "build/state/study/doit.json"
    assert record.is_file()
    record.write_bytes(content)
    reporter = Reporter()
    report = Builder(steps=STEPS, root=project, reporter=reporter, finalize=None, jobs=1).run()
    assert report.ok, [r.error for r in report.results]
    assert {r.name: r.status for r in report.results} == {"a_copy": "ran", "d_figure": "ran"}
    notes = [line for line in reporter.lines if "could not be read" in line]
    assert notes and "build/state/study/doit.json could not be read" in notes[0], reporter.lines
    assert "kept as build/rejected/doit.json.1 and this build runs every step" in notes[0]
    assert (project / "build/rejected/doit.json.1").read_bytes() == content
    assert ".stage" not in notes[0]
    json.loads(record.read_text())  # the new record is whole


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_time_limit_that_is_not_positive_is_refused(value, capsys):
    code = cli.main(["build", "--timeout", value, "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2 and f"--timeout {value}: a cell's time limit is a whole number of seconds, 1 or more" in err


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_number_of_jobs_that_is_not_positive_is_refused(value, capsys):
    """--jobs 0 used to run one notebook per core and --jobs -3 one at a time, without a word."""
    code = cli.main(["build", "--jobs", value, "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2 and f"--jobs {value}: the number of notebooks run at once is a whole number, 1 or more" in err


def test_an_edition_never_publishes_over_another_scenarios_edition(tmp_path):
    """`p p.yaml` and `p_p.yaml` (outside the swept folder) both name the folder scenarios/p_p/: the second is
    refused, naming the first, and the first edition stays byte-identical."""
    from test_pipeline import notebook

    root = tmp_path / "proj"
    for folder in ("notebooks", "params", "data/raw"):
        (root / folder).mkdir(parents=True)
    (root / "data/raw/input.csv").write_text("x\n1\n")
    (root / "params/default.yaml").write_text("raw_dir: data/raw\nprocessed_dir: data/processed\nfactor: 2\n")
    notebook(
        root / "notebooks/a_copy.ipynb",
        'raw_dir: str = "data/raw"  # in\nprocessed_dir: str = "data/processed"  # out\nfactor: int = 2  # x\n',
        "(Path(processed_dir) / 'a.csv').write_text(str(factor))",
    )
    steps = (Step("a_copy", reads=("raw:input.csv",), writes=("processed:a.csv",)),)
    (root / "params/p p.yaml").write_text("factor: 3\n")
    (root / "params/p_p.yaml").write_text("factor: 4\n")
    first = Builder(steps=steps, root=root, scenario=root / "params/p p.yaml", reporter=Reporter(), finalize=None)
    assert first.run().published
    edition = tree_digest(root / "scenarios/p_p")
    assert (root / "scenarios/p_p/data/processed/a.csv").read_text() == "3"
    with pytest.raises(StudyError, match=r"scenario 'p_p' would publish to scenarios/p_p/, which holds the edition of"):
        Builder(steps=steps, root=root, scenario=root / "params/p_p.yaml", reporter=Reporter(), finalize=None)
    assert tree_digest(root / "scenarios/p_p") == edition
    # The same scenario builds again as before.
    assert Builder(steps=steps, root=root, scenario=root / "params/p p.yaml", reporter=Reporter(), finalize=None)


def test_messages_name_the_published_place_never_the_staging_copy(project):
    """A notebook or the finishing check that names a staged file: the user reads data/processed/…, the place they
    know (the staging copy is gone when the build ends)."""
    from test_pipeline import notebook

    from divide_study.errors import DataError

    notebook(
        project / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        "raise ValueError(f'{Path(processed_dir) / \"a.csv\"} has no row 3')",
    )
    before = published(project)
    report = builder(project, force=True).run()
    error = next(r.error for r in report.results if r.name == "d_figure")
    assert "ValueError: data/processed/a.csv has no row 3" in error and ".stage-" not in error, error
    assert published(project) == before

    def refuse(staged):
        raise DataError(staged["processed"] / "a.csv", "a value is out of range", row=1, column="x")

    notebook(
        project / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        "(Path(figures_dir) / 'd.txt').write_text('figure of ' + (Path(processed_dir) / 'a.csv').read_text())",
    )
    with pytest.raises(StudyError) as refused:
        Builder(steps=STEPS, root=project, reporter=Reporter(), finalize=refuse, jobs=1, force=True).run()
    assert str(refused.value).startswith("data/processed/a.csv, row 1 (line 2), column 'x'"), str(refused.value)
    assert published(project)["data/processed"] == before["data/processed"]


def test_a_failed_build_says_the_outputs_are_unchanged_only_if_they_are(project, tmp_path):
    """Another program replaces a published file (os.replace: same size, a new inode) while a step runs, and the
    step then fails: the build does not claim "the previous outputs are unchanged". (A notebook itself can no
    longer write there: the audit refuses it, see the next test.)"""
    import threading
    import time

    from test_pipeline import notebook

    target, started, done = project / "figures/d.txt", tmp_path / "started.marker", tmp_path / "done.marker"
    notebook(
        project / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        f"import time\nPath('{started}').write_text('x')\ndeadline = time.monotonic() + 120\n"
        f"while not Path('{done}').exists() and time.monotonic() < deadline:\n    time.sleep(0.05)\n"
        "raise ValueError('and then a slip')",
    )

    def tamper():
        deadline = time.monotonic() + 240
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        Path(f"{target}.new").write_text(target.read_text())
        os.replace(f"{target}.new", target)
        # Written in place, the same size, its modification time set back: only its change time tells.
        other, was = project / "data/processed/a.csv", (project / "data/processed/a.csv").stat()
        other.write_text(other.read_text().replace("1", "9"))
        os.utime(other, ns=(was.st_atime_ns, was.st_mtime_ns))
        done.write_text("done")

    other = threading.Thread(target=tamper, daemon=True)
    other.start()
    before = builder(project, force=True)
    report = before.run()
    other.join(timeout=5)
    assert not report.ok and not report.published
    assert before.changed_published() == ["data/processed/a.csv", "figures/d.txt"]
    said = cli._previous_outputs(before.changed_published())
    assert said.startswith("but 2 published file(s) changed while it ran") and "figures/d.txt" in said, said
    # A failure that touched nothing says so.
    notebook(
        project / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        "raise ValueError('a slip')",
    )
    quiet = builder(project, force=True)
    assert not quiet.run().ok and quiet.changed_published() == []
    assert cli._previous_outputs([]) == "the previous outputs are unchanged"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A program's reads are outside the kernel's audit: refused before it starts, whatever it does.
        ("import subprocess\nsubprocess.run(['cat', 'data/raw/secret.csv'])", "refuses to start a program"),
        ("import os\nos.system('cat data/raw/secret.csv > /dev/null')", "refuses to start a program"),
        ("import os\nos.execv('/bin/cat', ['cat', 'data/raw/secret.csv'])", "refuses to start a program"),
        # Reads through a library (frictionless used to be exempt from the audit).
        ("import frictionless\nfrictionless.Resource('data/raw/secret.csv').read_rows()", "read data/raw/secret.csv"),
        # Changes that are not an open: refused before they happen, so the input is still there.
        ("import os\nos.replace('data/raw/input.csv', 'data/raw/moved.csv')", "refuses to write data/raw/input.csv"),
        ("import os\nos.remove('data/raw/input.csv')", "refuses to write data/raw/input.csv"),
        ("import shutil\nshutil.rmtree('data/raw')", "refuses to write data/raw"),
        ("import os\nos.truncate('data/raw/input.csv', 0)", "refuses to write data/raw/input.csv"),
        ("open('data/raw/input.csv', 'w').close()", "refuses to write data/raw/input.csv"),
        (
            "import os\nos.replace(os.path.join(figures_dir, 'd.txt'), 'figures/d.txt')",
            "refuses to write figures/d.txt",
        ),
        # Caught by the notebook: the step fails all the same (the refusal is logged).
        (
            "import os\ntry:\n    os.remove('data/raw/input.csv')\nexcept PermissionError:\n    pass",
            "write data/raw/input.csv",
        ),
    ],
    ids=[
        "subprocess",
        "os-system",
        "os-exec",
        "frictionless",
        "rename",
        "remove",
        "rmtree",
        "truncate",
        "open-w",
        "replace-published",
        "caught",
    ],
)
def test_a_notebook_cannot_read_or_change_files_past_the_audit(project, outside, body, expected):
    """Issue 23: reads through a subprocess or frictionless escaped the audit, and a rename or a removal was
    never seen. Each is refused (a program, a change) or named (a read); the step fails, nothing is published,
    and every input and published file is as it was."""
    from test_pipeline import notebook

    (project / "data/raw/secret.csv").write_text("s\n1\n")
    notebook(
        project / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        body + "\n(Path(figures_dir) / 'd.txt').write_text('figure')",
    )
    before, outside_before = published(project), tree_digest(outside)
    report = builder(project, force=True).run()
    error = next(r.error for r in report.results if r.name == "d_figure")
    assert not report.published and expected in error, error
    assert published(project) == before and tree_digest(outside) == outside_before
    assert (project / "data/raw/input.csv").read_text() == "x\n1\n"


def test_an_input_saved_while_its_step_runs_is_not_recorded_over_the_old_data(project, tmp_path):
    """doit records the inputs' hashes after the step: a raw file saved while the step ran used to be recorded
    with its new hash over results of its old content, and the next build skipped the step."""
    import threading
    import time

    from test_pipeline import notebook

    read, edited = tmp_path / "read.marker", tmp_path / "edited.marker"
    notebook(
        project / "notebooks/a_copy.ipynb",
        'raw_dir: str = "data/raw"  # in\nprocessed_dir: str = "data/processed"  # out\n',
        "import time\n"
        "(Path(processed_dir) / 'a.csv').write_text((Path(raw_dir) / 'input.csv').read_text())\n"
        f"Path('{read}').write_text('read')\n"
        f"deadline = time.monotonic() + 120\n"
        f"while not Path('{edited}').exists() and time.monotonic() < deadline:\n    time.sleep(0.05)\n",
    )

    def save_while_it_runs():
        deadline = time.monotonic() + 240
        while not read.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        (project / "data/raw/input.csv").write_text("x\n7\n")
        edited.write_text("edited")

    editor = threading.Thread(target=save_while_it_runs, daemon=True)
    editor.start()
    before = published(project)
    report = builder(project, force=True).run()
    editor.join(timeout=5)
    error = next(r.error for r in report.results if r.name == "a_copy")
    assert "its input(s) changed while it ran: data/raw/input.csv" in error, error
    assert "the step is not recorded: build again" in error
    after = published(project)
    assert not report.published and {k: v for k, v in after.items() if k != "data/raw"} == {
        k: v for k, v in before.items() if k != "data/raw"
    }
    # The next build runs the step again (it was not recorded) and publishes what the file now says.
    read.unlink()
    edited.write_text("edited")
    report = builder(project).run()
    assert {r.name: r.status for r in report.results} == {"a_copy": "ran", "d_figure": "ran"}
    assert (project / "data/processed/a.csv").read_text() == "x\n7\n"


def test_a_file_planted_in_the_builds_ipython_folder_is_set_aside_never_run(project, outside):
    """build/ipython is the kernels' IPYTHONDIR: a startup file or a profile's config planted there used to run
    in every kernel the build starts (it ran code of build/, before the notebook and around the audit)."""
    profile = project / "build/ipython/profile_default"
    marker = outside / "ran.txt"
    planted = {
        profile / "startup/50-planted.py": f"open({str(marker)!r}, 'w').write('ran')\n",
        profile / "ipython_kernel_config.py": f"open({str(marker)!r}, 'w').write('ran')\n",
    }
    for path, text in planted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    build = builder(project, force=True)
    report = build.run()
    assert report.published and not marker.exists()
    assert not any(path.exists() for path in planted)
    kept = sorted(path.name for path in (project / "build/rejected").iterdir())
    assert kept == ["50-planted.py.1", "ipython_kernel_config.py.1"], kept
    note = next(line for line in build.reporter.lines if "not written by the build" in line)
    assert "build/ipython/profile_default/startup/50-planted.py" in note and "build/rejected/" in note, note
    # The build's own files, and what IPython itself keeps there, are never set aside.
    assert builder(project, force=True).run().published
    assert len(list((project / "build/rejected").iterdir())) == 2


@pytest.mark.parametrize(
    "where", ["build/logs/kernels.log", "build/state/study/doit.json", "build/publish-journal.json"]
)
def test_a_named_pipe_in_the_builds_folder_is_refused_not_opened(project, where):
    """A named pipe as the kernels' log made every worker block for ever on opening it (the build hung until it
    was killed); the build opens nothing in build/ but files and folders."""
    path = project / where
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    before = published(project)
    with pytest.raises(StudyError, match=rf"{where} is a named pipe, not a file the build wrote; .*remove it"):
        builder(project).run()
    assert published(project) == before


@pytest.mark.parametrize(
    ("raised", "mistake"),
    [
        (
            "from divide_study.errors import DataError\nraise DataError('data/raw/input.csv', 'bad', row=1)",
            True,
        ),
        ("from divide_study.i18n import BrokenCatalog\nraise BrokenCatalog('report.po, line 7: not a line')", True),
        ("raise ValueError('a bug')", False),
    ],
    ids=["data-error", "broken-catalog", "a-bug"],
)
def test_a_failure_on_the_users_inputs_is_a_user_mistake(project, raised, mistake):
    """A raw row the cleaning step refuses is the user's mistake (exit 2, as a bad parameter is), a bug is not
    (exit 1): told apart by the exception's class, the only thing papermill says of it."""
    from test_pipeline import notebook

    notebook(
        project / "notebooks/d_figure.ipynb",
        'processed_dir: str = "data/processed"  # in\nfigures_dir: str = "figures"  # out\n',
        raised,
    )
    report = builder(project, force=True).run()
    assert not report.ok and report.user_mistake is mistake


def test_every_kind_of_study_error_is_known_as_a_users_mistake():
    """The build tells a user's mistake by its class name; a kind defined in a module DEFINED_IN does not list
    would exit 1."""
    import importlib
    import pkgutil

    import divide_study
    from divide_study.errors import StudyError, user_error_names

    for module in pkgutil.walk_packages(divide_study.__path__, "divide_study."):
        importlib.import_module(module.name)
    kinds, todo = set(), [StudyError]
    while todo:
        kind = todo.pop()
        kinds.add(kind.__name__)
        todo.extend(kind.__subclasses__())
    assert kinds == user_error_names()


@pytest.mark.parametrize(
    ("where", "make", "said"),
    [
        ("build/state/study/manifests/a_copy.json", "folder", "output record build/state/study/manifests/a_copy.json"),
        ("build/state/study/manifests/a_copy.json", "[1, 2]", "is not a mapping of each output to its SHA-256"),
        ("build/state/study/manifests/a_copy.json", "{trunc", "is not JSON"),
        ("build/notebooks/a_copy.ipynb", "folder", "executed copy build/notebooks/a_copy.ipynb is not a file"),
        ("build/state/study/manifests", "a file", "manifests is a file where the build keeps a folder"),
        ("build/notebooks", "a file", "build/notebooks is a file where the build keeps a folder"),
    ],
    ids=[
        "manifest-folder",
        "manifest-list",
        "manifest-truncated",
        "executed-copy-folder",
        "manifests-file",
        "notebooks-file",
    ],
)
def test_a_step_file_of_the_build_that_is_not_one_is_set_aside_and_the_step_reruns(project, where, make, said):
    """A folder as a step's output record failed the step at every build with "PythonAction Error"; a folder as
    its executed copy failed it with IsADirectoryError, saying the copy was kept."""
    path = project / where
    if path.is_dir() and make != "folder":
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    if make == "folder":
        (path / "inside").mkdir(parents=True)
    else:
        path.write_text(make)
    build = builder(project, force="notebooks" in where)  # an executed copy is rewritten when its step runs
    report = build.run()
    assert report.published and {r.name: r.status for r in report.results}["a_copy"] == "ran"
    note = next(line for line in build.reporter.lines if "is kept as build/rejected/" in line)
    assert said in note, note
    assert path.is_file() if make == "folder" or where.endswith(".json") else path.is_dir()  # written again


def test_an_error_of_the_build_inside_a_step_is_said_not_lost(project, monkeypatch):
    """An exception inside the build's own code of a step (here: hashing its inputs, in the step's worker) was
    reported by doit as "PythonAction Error" alone."""
    from divide_study.engine import pipeline

    def broken(spec):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "input_digests", broken)
    report = builder(project, force=True).run()
    error = next(r.error for r in report.results if r.status == "failed")
    assert "the build could not run or record this step: OSError: [Errno 28] No space left on device" in error
