"""What keeps the published study whole: the build lock, the publish journal, and ending our processes.

* One build at a time per project: ``build/.lock`` (``fcntl.flock``, released by the kernel when the process
  dies, so a killed build never leaves a stale lock) holds the pid of the build that has it.
* Publishing swaps several folders (``data/processed``, ``figures``, ``report`` and the engine's state); one
  rename cannot do that, so the intent is written first, fsynced, to ``build/publish-journal.json``. Every
  later step is a rename that can be redone; whoever starts next (the next build) finds the journal and rolls
  the publish forward to its end. A crash before the journal is written publishes nothing; after, everything.
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
import time
from collections.abc import Iterator
from pathlib import Path

from divide_study.errors import StudyError

JOURNAL = "publish-journal.json"
# Fault injection for the kill-at-every-point test: SIGKILL this process at the Nth point of a publish.
CRASH_AT_ENV = "STUDY_PUBLISH_CRASH_AT"


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold ``build/.lock`` for the whole build; a second build stops at once, saying which pid has it."""
    build_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(build_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
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


def _fsync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _crash_point(counter: list[int]) -> None:
    """Count one point of the publish; die here if the fault-injection variable says so."""
    counter[0] += 1
    wanted = os.environ.get(CRASH_AT_ENV)
    if wanted and int(wanted) == counter[0]:
        os.kill(os.getpid(), signal.SIGKILL)


def publish(build_dir: Path, moves: list[tuple[Path, Path]], backup_dir: Path) -> None:
    """Move each staged folder onto its published place, all or none, through the journal.

    ``moves`` are (staged, published) pairs; the published folder's previous content goes to ``backup_dir``.
    """
    if not moves:
        return
    backup_dir.mkdir(parents=True, exist_ok=True)
    entries = [
        {"staged": str(staged), "published": str(published), "backup": str(backup_dir / f"{n}.previous")}
        for n, (staged, published) in enumerate(moves)
    ]
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
    _roll_forward(entries, lambda: _crash_point(counter))
    journal.unlink()
    _fsync_dir(build_dir)
    _crash_point(counter)


def _roll_forward(entries: list[dict[str, str]], point=lambda: None) -> None:
    """Do what is left of each move; each step is safe to repeat after a crash."""
    for entry in entries:
        staged, published, backup = (Path(entry[k]) for k in ("staged", "published", "backup"))
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


def recover(build_dir: Path) -> bool:
    """Finish a publish that a crash interrupted (the journal is there). True if there was one."""
    journal = build_dir / JOURNAL
    build_dir.joinpath(JOURNAL).with_suffix(".tmp").unlink(missing_ok=True)  # never committed: ignore it
    if not journal.exists():
        return False
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["moves"]
    except (OSError, ValueError, KeyError) as exc:
        raise StudyError(f"the publish journal {journal} cannot be read ({exc}); remove it and rebuild") from exc
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
        entries = json.loads(journal.read_text(encoding="utf-8"))["moves"]
    except (OSError, ValueError, KeyError):
        return not journal.exists()
    try:
        for entry in reversed(entries):
            staged, published, backup = (Path(entry[k]) for k in ("staged", "published", "backup"))
            if not staged.exists() and published.exists():
                os.replace(published, staged)  # this move was done: undo it
            if backup.exists() and not published.exists():
                os.replace(backup, published)
        journal.unlink()
        _fsync_dir(build_dir)
    except OSError:
        return False  # the journal stays: the next build rolls forward instead
    return True
