"""What keeps the published study whole: the build lock, the publish journal, and ending our processes.

* One build at a time per project: ``build/.lock`` (``fcntl.flock``, released by the kernel when the process
  dies, so a killed build never leaves a stale lock) holds the pid of the build that has it.
* Publishing swaps several folders (``data/processed``, ``figures``, ``report`` and the engine's state); one
  rename cannot do that, so the intent is written first, fsynced, to ``build/publish-journal.json``. Every
  later step is a rename that can be redone; whoever starts next (the next build) finds the journal and rolls
  the publish forward to its end. A crash before the journal is written publishes nothing; after, everything.
* Everything under ``build/`` is data from an untrusted past (an earlier build, a user, a copy of the project):
  the journal, the lock and the engine's state are validated before use (schema; paths relative, inside the
  project, through no symbolic link) and a bad one is set aside under ``build/rejected/`` with a message, never
  acted on. The build follows no symbolic link in its own folder (``refuse_links``).
* Worker processes and Jupyter kernels (which run in their own sessions) end with the build: on exit, every
  process descended from the build is killed, and each worker and kernel also dies with its parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from divide_study.errors import StudyError

JOURNAL = "publish-journal.json"
LOCK = ".lock"
# Where files of build/ that the build cannot trust are set aside, for the user to look at.
REJECTED = "rejected"
# The entries of build/ the build reads or writes (its staging folders, ``.stage-*``, too).
OWN_ENTRIES = (LOCK, JOURNAL, "publish-journal.tmp", "state", "notebooks", "logs", "ipython", REJECTED)
# Fault injection for the kill-at-every-point test: SIGKILL this process at the Nth point of a publish.
CRASH_AT_ENV = "STUDY_PUBLISH_CRASH_AT"
_MOVE_KEYS = ("staged", "published", "backup")


def _shown(build_dir: Path, path: Path) -> str:
    """A path of the project as the user sees it: relative to the project's folder (never absolute)."""
    try:
        return Path(path).relative_to(build_dir.parent).as_posix()
    except ValueError:
        return str(path)


def crash_point_setting() -> int | None:
    """The fault-injection point (``STUDY_PUBLISH_CRASH_AT``), checked before anything runs: a positive
    whole number, or unset."""
    wanted = os.environ.get(CRASH_AT_ENV)
    if wanted is None or wanted == "":
        return None
    if not wanted.strip().isdigit() or int(wanted) < 1:
        raise StudyError(
            f"{CRASH_AT_ENV}={wanted!r}: must be a whole number of 1 or more (the point of the publish at which a "
            f"test kills the build); unset it (unset {CRASH_AT_ENV}) for a normal build"
        )
    return int(wanted)


def check_build_folder(build_dir: Path) -> None:
    """``build/`` itself must be a folder of the project, not a symbolic link to somewhere else."""
    if build_dir.is_symlink():
        raise StudyError(
            f"{_shown(build_dir, build_dir)} is a symbolic link (to {os.readlink(build_dir)}); the build keeps its "
            "private files there and follows no link: remove the link (the build makes the folder)"
        )
    if build_dir.exists() and not build_dir.is_dir():
        raise StudyError(f"{_shown(build_dir, build_dir)} is a file; the build needs that name for its folder")


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold ``build/.lock`` for the whole build; a second build stops at once, saying which pid has it.

    The lock is opened without following a symbolic link, and used only if it is a regular file of its own (no
    other name links to it): a lock planted as a link to a file elsewhere is never written through.
    """
    check_build_folder(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    lock = build_dir / LOCK
    refused = (
        f"{_shown(build_dir, lock)} is not the build's own lock file (a symbolic link, a hard link or not a "
        "regular file); nothing was written to it: remove it (rm build/.lock) and build again"
    )
    try:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise StudyError(refused) from None
        raise
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_nlink != 1:
            raise StudyError(refused)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "unknown"
            raise StudyError(
                f"another build of this project is running (pid {holder}); wait for it to finish, "
                f"or stop it (kill {holder}) and build again"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # releases the lock


def refuse_links(build_dir: Path) -> None:
    """The build follows no symbolic link in the entries of ``build/`` it uses: a link planted there (the
    journal, a log, the state, the notebooks' folder) would make it read or write a file elsewhere. Nor does it
    open a named pipe, a socket or a device there (a pipe as ``build/logs/kernels.log`` hung the build)."""
    if not build_dir.is_dir():
        return
    # Stale staging folders (``.stage-*``) are not looked into: they are removed, links unfollowed.
    tops = [build_dir / name for name in OWN_ENTRIES]
    for top in tops:
        found = [top] if top.is_symlink() or special_kind(top) else []
        if not found and top.is_dir():
            for folder, dirs, files in os.walk(top):
                entries = [Path(folder) / name for name in (*dirs, *files)]
                found += [path for path in entries if path.is_symlink() or special_kind(path)]
                if found:
                    break
        if found and found[0].is_symlink():
            raise StudyError(
                f"{_shown(build_dir, found[0])} is a symbolic link (to {os.readlink(found[0])}); the build follows "
                "no link in its own folder build/: remove the link and build again (nothing was read or written "
                "through it)"
            )
        if found:
            # A named pipe would block the build for ever when it opens its log; a device or a socket is no file.
            raise StudyError(
                f"{_shown(build_dir, found[0])} is {special_kind(found[0])}, not a file the build wrote; the build "
                "keeps only files and folders in build/: remove it and build again (nothing was read or written "
                "through it)"
            )


def special_kind(path: Path) -> str:
    """What a path is if it is neither a regular file nor a folder (nor missing, nor a link): else ''."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return ""
    kinds = {
        stat.S_IFIFO: "a named pipe",
        stat.S_IFSOCK: "a socket",
        stat.S_IFCHR: "a device",
        stat.S_IFBLK: "a device",
    }
    return kinds.get(stat.S_IFMT(mode), "")


def set_aside(build_dir: Path, path: Path) -> Path:
    """Move a file of ``build/`` that the build cannot trust to ``build/rejected/`` (kept, never acted on)."""
    folder = build_dir / REJECTED
    folder.mkdir(exist_ok=True)
    for number in range(1, 10_000):
        target = folder / f"{path.name}.{number}"
        if not target.exists() and not target.is_symlink():
            break
    os.replace(path, target)  # renames a symbolic link itself, never what it points to
    return target


def _fsync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _crash_point(counter: list[int]) -> None:
    """Count one point of the publish; die here if the fault-injection variable says so."""
    counter[0] += 1
    if crash_point_setting() == counter[0]:
        os.kill(os.getpid(), signal.SIGKILL)


def publish(build_dir: Path, moves: list[tuple[Path, Path]], backup_dir: Path) -> None:
    """Move each staged folder onto its published place, all or none, through the journal.

    ``moves`` are (staged, published) pairs; the published folder's previous content goes to ``backup_dir``.
    """
    if not moves:
        return
    backup_dir.mkdir(parents=True, exist_ok=True)
    root = build_dir.parent
    # Relative to the project: a copy of the project finishes its own publish, never the original's.
    entries = [
        {
            "staged": _relative(root, staged),
            "published": _relative(root, published),
            "backup": _relative(root, backup_dir / f"{n}.previous"),
        }
        for n, (staged, published) in enumerate(moves)
    ]
    moves_to_do = _checked_moves(build_dir, {"moves": entries})
    journal = build_dir / JOURNAL
    partial = journal.with_suffix(".tmp")
    counter = [0]
    with open(partial, "w", encoding="utf-8") as out:
        json.dump({"moves": entries}, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    _crash_point(counter)
    os.replace(partial, journal)  # the commit point: from here the publish will complete
    _fsync_dir(build_dir)
    _crash_point(counter)
    _roll_forward(moves_to_do, lambda: _crash_point(counter))
    journal.unlink()
    _fsync_dir(build_dir)
    _crash_point(counter)


def _relative(root: Path, path: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        raise StudyError(f"cannot publish {path}: it is not inside the project {root}") from None


class JournalError(ValueError):
    """A publish journal the build did not write (malformed, or naming paths it would never name)."""


def _journal_path(build_dir: Path, text: Any, where: str, keep: tuple[Path, ...]) -> Path:
    """One path of a journal: relative, inside the project, through no symbolic link, never a folder of the
    project's own (notebooks/, src/, params/, …, the inputs, build/ itself)."""
    from divide_study.engine.params import PROTECTED_FOLDERS  # params is heavier; imported when needed

    root = build_dir.parent
    if not isinstance(text, str) or not text or any(ord(c) < 32 for c in text):
        raise JournalError(f"{where} is not a path: {text!r}")
    relative = Path(text)
    if relative.is_absolute() or ".." in relative.parts or relative.parts in ((), (".",)):
        raise JournalError(f"{where} ({text}) is not a path inside the project")
    path = root / relative
    for depth in range(1, len(relative.parts) + 1):
        if (root / Path(*relative.parts[:depth])).is_symlink():
            raise JournalError(f"{where} ({text}) goes through a symbolic link")
    first = relative.parts[0]
    inside_build = first == build_dir.name
    if where.endswith("published"):
        state = inside_build and len(relative.parts) == 3 and relative.parts[1] == "state"
        if (inside_build and not state) or (not inside_build and first in PROTECTED_FOLDERS):
            raise JournalError(f"{where} ({text}) is not a folder a build publishes")
        if any(path == folder or path.is_relative_to(folder) or folder.is_relative_to(path) for folder in keep):
            raise JournalError(f"{where} ({text}) is an input folder of the study")
    elif not (inside_build and len(relative.parts) >= 3 and relative.parts[1].startswith(".stage-")):
        raise JournalError(f"{where} ({text}) is not inside a staging folder (build/.stage-*)")
    return path


def _checked_moves(
    build_dir: Path, data: Any, keep: tuple[Path, ...] = (), study: dict[str, Path] | None = None
) -> list[dict[str, Path]]:
    """A journal's moves, every one checked (see ``_journal_path`` and ``_check_move``), or a JournalError saying
    what is wrong. ``study`` maps each staged root (``processed``, ``figures``, ``report``) to the study's own
    published folder, when the caller knows it."""
    shape = '{"moves": [{"staged": …, "published": …, "backup": …}, …]}'
    if not isinstance(data, dict) or set(data) != {"moves"} or not isinstance(data["moves"], list):
        raise JournalError(f"expected {shape}, found {type(data).__name__} {_clip(data)}")
    moves = []
    for number, entry in enumerate(data["moves"], start=1):
        if not isinstance(entry, dict) or set(entry) != set(_MOVE_KEYS):
            raise JournalError(f"move {number} is {_clip(entry)}, not {{staged, published, backup}}")
        move = {key: _journal_path(build_dir, entry[key], f"move {number}, {key}", keep) for key in _MOVE_KEYS}
        _check_move(build_dir, move, f"move {number}", study)
        moves.append(move)
    return moves


# The folders a build stages (``build/.stage-<target>/<root>``): the published roots and the engine's state.
STAGED_ROOTS = ("processed", "figures", "report", "state")
SCENARIOS = "scenarios"


def _check_move(build_dir: Path, move: dict[str, Path], where: str, study: dict[str, Path] | None) -> None:
    """A move as a build writes it, and no other: ``build/.stage-T/R`` onto the folder R of the target T (the
    study's folders, ``scenarios/NAME/…`` for the edition of NAME, ``build/state/T`` for the state), the backup
    inside the same stage. A forged journal naming a file of the project (``README.md``), the folder of every
    edition (``scenarios``) or a folder of the user's (``mywork``) used to be rolled forward, and what it named
    deleted with the stage."""
    root = build_dir.parent
    staged = move["staged"].relative_to(build_dir)
    published = move["published"].relative_to(root)
    shown = published.as_posix()
    if len(staged.parts) != 2 or staged.parts[1] not in STAGED_ROOTS:
        raise JournalError(f"{where}, staged ({staged}) is not a folder a build stages (build/.stage-*/<root>)")
    stage, kind = staged.parts
    target = stage.removeprefix(".stage-")
    if not move["backup"].is_relative_to(build_dir / stage):
        raise JournalError(f"{where}, backup is not inside its own stage {build_dir.name}/{stage}")
    if move["published"].exists() and not move["published"].is_dir():
        raise JournalError(f"{where}, published ({shown}) is a file, not a folder a build publishes")
    if kind == "state":
        if move["published"] != build_dir / "state" / target:
            raise JournalError(
                f"{where}, published ({shown}) is not the state of {target!r} ({build_dir.name}/state/{target})"
            )
        return
    if target.startswith("scenario-"):
        edition = target.removeprefix("scenario-")
        if not (len(published.parts) > 2 and published.parts[:2] == (SCENARIOS, edition)):
            raise JournalError(f"{where}, published ({shown}) is not a folder of the edition {SCENARIOS}/{edition}/")
    elif target == "study":
        if published.parts[:1] == (SCENARIOS,) or (study is not None and move["published"] != study.get(kind)):
            raise JournalError(f"{where}, published ({shown}) is not the study's {kind} folder")
    else:
        raise JournalError(f"{where}, staged ({staged}) names no build's target")


def _clip(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def read_journal(
    build_dir: Path, keep: tuple[Path, ...] = (), study: dict[str, Path] | None = None
) -> list[dict[str, Path]]:
    """The moves of ``build/publish-journal.json``, checked; a JournalError if it is not one a build wrote."""
    journal = build_dir / JOURNAL
    if journal.is_symlink() or not journal.is_file():
        raise JournalError("it is not a regular file")
    try:
        data = json.loads(journal.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise JournalError(f"it is not JSON ({exc})") from exc
    return _checked_moves(build_dir, data, keep, study)


def _roll_forward(entries: list[dict[str, Path]], point=lambda: None) -> None:
    """Do what is left of each move; each step is safe to repeat after a crash."""
    for entry in entries:
        staged, published, backup = (entry[k] for k in _MOVE_KEYS)
        if not staged.exists():
            continue  # this move was done
        published.parent.mkdir(parents=True, exist_ok=True)
        if published.exists() and not backup.exists():
            os.replace(published, backup)
            point()
        elif published.exists():
            # The backup is already taken: what is at the published place is a half-finished earlier attempt.
            shutil.rmtree(published)
        os.replace(staged, published)
        _fsync_dir(published.parent)
        point()


def recover(build_dir: Path, keep: Iterable[Path] = (), study: dict[str, Path] | None = None) -> bool:
    """Finish a publish that a crash interrupted (the journal is there). True if there was one.

    The journal is checked first (``read_journal``; ``keep`` are folders it may never name, the study's
    inputs; ``study`` the study's own published folders, by staged root); one that a build did not write is
    set aside under ``build/rejected/`` and nothing in it is done.
    """
    journal = build_dir / JOURNAL
    build_dir.joinpath(JOURNAL).with_suffix(".tmp").unlink(missing_ok=True)  # never committed: ignore it
    if not journal.exists() and not journal.is_symlink():
        return False
    try:
        entries = read_journal(build_dir, tuple(Path(folder).resolve() for folder in keep), study)
    except JournalError as exc:
        kept = set_aside(build_dir, journal)
        raise StudyError(
            f"{_shown(build_dir, journal)} is not a publish journal this build wrote: {exc}. Nothing in it was "
            f"done; it is kept as {_shown(build_dir, kept)}. Build again: the build starts from the published "
            "files as they are (add --force to remake every output if a build was killed while publishing)"
        ) from None
    _roll_forward(entries)
    journal.unlink()
    _fsync_dir(build_dir)
    return True


@contextlib.contextmanager
def deferred_signals(noted: list[int]) -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while publishing: a publish, once committed, finishes; ``noted`` says if one came.

    Only in the main thread (where Python handles signals); elsewhere this does nothing.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda signum, frame: noted.append(signum)) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def remove_stale_stages(build_dir: Path) -> None:
    """Staging folders left by killed builds (we hold the lock, so none of them is in use)."""
    if build_dir.is_dir():
        for stage in build_dir.glob(".stage-*"):
            if stage.is_symlink():
                stage.unlink()  # the link only, never what it points to
            else:
                shutil.rmtree(stage, ignore_errors=True)


# --- processes ----------------------------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no orphans after a killed build)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc; kernels run in their own sessions, so not by process group)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def end_descendants(grace: float = 2.0) -> None:
    """SIGTERM every process this build started, then SIGKILL what is left after ``grace`` seconds."""
    if not Path("/proc").is_dir():
        return
    pids = descendants(os.getpid())
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if alive(pid)]
        time.sleep(0.05)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie does not; ours is reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        # A zombie is dead for our purposes; reap it if it is ours.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            return False
    return True


def roll_back(build_dir: Path) -> bool:
    """Undo a publish that failed with an error (not a crash): True if the previous folders are back."""
    journal = build_dir / JOURNAL
    try:
        entries = read_journal(build_dir)
    except (OSError, JournalError):
        return not journal.exists()
    try:
        for entry in reversed(entries):
            staged, published, backup = (entry[k] for k in _MOVE_KEYS)
            if not staged.exists() and published.exists():
                os.replace(published, staged)  # this move was done: undo it
            if backup.exists() and not published.exists():
                os.replace(backup, published)
        journal.unlink()
        _fsync_dir(build_dir)
    except OSError:
        return False  # the journal stays: the next build rolls forward instead
    return True
