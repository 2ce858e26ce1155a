"""Undeclared file access is an error: every kernel the build starts records the project files it opens.

The build gives each kernel its own ``IPYTHONDIR`` whose startup file installs ``sys.addaudithook``: every
``open`` of a file under a watched folder (the project, and input folders outside it such as the articles) is
compared with what the step declared (its ``reads`` and ``writes``); anything else is written to a log, and
the build fails the step naming the notebook and the file. Files of the interpreter, site-packages, the
package itself, caches, ``build/`` and ``/proc`` are not the study's data and are not watched.
"""

from __future__ import annotations

import json
import os
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

RULES_ENV = "STUDY_AUDIT_RULES"  # a JSON file: watched folders, ignored folders, allowed patterns
LOG_ENV = "STUDY_AUDIT_LOG"  # where each undeclared access is appended, one JSON line

# Runs inside the kernel before the notebook's first cell. Self-contained: the kernel may not import the
# package until the notebook does. Kept cheap: most opens (imports) are rejected by one startswith.
STARTUP = r"""
import json as _json, os as _os, re as _re, sys as _sys
from fnmatch import fnmatchcase as _match

def _study_install_audit():
    rules_path = _os.environ.get("STUDY_AUDIT_RULES")
    if not rules_path:
        return
    with open(rules_path, encoding="utf-8") as handle:
        rules = _json.load(handle)
    watched = tuple(rules["watched"])
    ignored = tuple(rules["ignored"])
    reads, writes = rules["reads"], rules["writes"]
    log = rules["log"]
    exempt = tuple(rules.get("exempt_modules", ()))
    temporary = _re.compile(r"^\.(.+)\.[^./]+\.tmp$")  # write_text_atomic's '.NAME.XXXX.tmp' beside NAME
    busy = []

    def exempted():
        frame = _sys._getframe(2)
        while frame is not None:
            if frame.f_globals.get("__name__", "").startswith(exempt):
                return True
            frame = frame.f_back
        return False

    def allowed(path, patterns):
        return any(path == p or _match(path, p) for p in patterns)

    def hook(event, args):
        if event != "open" or busy or not args or not isinstance(args[0], (str, bytes, _os.PathLike)):
            return
        path = args[0]
        if isinstance(path, int):
            return
        path = _os.fsdecode(path)
        if not path.startswith(watched):
            path = _os.path.abspath(path)
            if not path.startswith(watched):
                return
        path = _os.path.normpath(path)
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writing = any(c in mode for c in "wax+") or bool(flags & (_os.O_WRONLY | _os.O_RDWR | _os.O_CREAT))
        head, base = _os.path.split(path)
        atomic = temporary.match(base)
        if atomic:
            path = _os.path.join(head, atomic.group(1))
        if allowed(path, writes) or (not writing and allowed(path, reads)):
            return
        if path.startswith(ignored) or _os.path.isdir(path) or (exempt and exempted()):
            return
        busy.append(1)
        try:
            with open(log, "a", encoding="utf-8") as out:
                out.write(_json.dumps({"path": path, "access": "write" if writing else "read"}) + "\n")
        finally:
            busy.pop()

    _sys.addaudithook(hook)

_study_install_audit()
del _study_install_audit
"""


# Also at the kernel's start: Linux kills the kernel when the step's worker that started it ends, however it ends.
# A worker ended by the build (Ctrl-C, SIGTERM, a killed build) before papermill could shut its kernel down would
# otherwise leave the kernel running on, out of the build's reach (an orphan is no longer the build's
# descendant), still holding the build's output open. The kernel checks that its parent is still the worker
# that started it (jupyter_client's JPY_PARENT_PID), in case the worker ended before this ran.
DIE_WITH_PARENT = r"""
def _study_die_with_parent():  # local names only: the audit hook's globals (_os, _sys, ...) are left alone
    import ctypes, os, signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    parent = os.environ.get("JPY_PARENT_PID", "")
    if parent.isdigit() and os.getppid() != int(parent):
        os._exit(1)

_study_die_with_parent()
del _study_die_with_parent
"""


def write_ipython_dir(folder: Path) -> Path:
    """A build-managed IPYTHONDIR whose startup files install the hook and tie the kernel to its worker
    (nothing else of the user's config)."""
    for name, text in (("00-study-audit.py", STARTUP), ("00-study-die-with-parent.py", DIE_WITH_PARENT)):
        startup = folder / "profile_default" / "startup" / name
        startup.parent.mkdir(parents=True, exist_ok=True)
        if not startup.is_file() or startup.read_text(encoding="utf-8") != text:
            startup.write_text(text, encoding="utf-8")
    return folder


def _patterns(folder: Path, pattern: str) -> list[str]:
    """Absolute fnmatch patterns for 'a glob inside folder'; fnmatch's * also crosses '/' (as ** would)."""
    base = os.path.normpath(folder)
    if pattern in ("*", "**/*"):
        return [base + os.sep + "*"]
    return [base + os.sep + pattern.replace("**/", "")]


def write_rules(
    path: Path,
    folders: dict[str, Path],
    reads: tuple[str, ...],
    writes: tuple[str, ...],
    watched: list[Path],
    ignored: list[Path],
    log: Path,
    exempt_modules: tuple[str, ...] = (),
) -> Path:
    """The rules one step's kernel checks against: its declared reads and writes, as absolute patterns."""

    def expand(declared: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for item in declared:
            root, pattern = item.split(":", 1)
            out.extend(_patterns(folders[root], pattern))
        return out

    rules = {
        "watched": sorted({os.path.normpath(p) + os.sep for p in watched}),
        "ignored": sorted({os.path.normpath(p) + os.sep for p in ignored}),
        "reads": expand(reads),
        "writes": expand(writes),
        "log": str(log),
        "exempt_modules": list(exempt_modules),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rules, indent=1), encoding="utf-8")
    return path


def undeclared(log: Path, root: Path, staged: dict[str, str] | None = None) -> list[str]:
    """What the kernel opened without declaring it, as 'read data/raw/x.csv' (relative to the project).

    ``staged`` maps each staging folder to the published folder it stands for, so paths read as the user knows them.
    """
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found: list[str] = []
    for line in lines:
        entry = json.loads(line)
        path = PurePosixPath(entry["path"])
        for stage, published in (staged or {}).items():
            if path.is_relative_to(stage):
                path = PurePosixPath(published) / path.relative_to(stage)
                break
        try:
            shown = str(path.relative_to(root))
        except ValueError:
            shown = str(path)
        item = f"{entry['access']} {shown}"
        if item not in found:
            found.append(item)
    return found


def matches(path: str, folder: Path, pattern: str) -> bool:
    """Whether a file path falls under 'a glob inside folder' (the same rule the kernel applies)."""
    return any(fnmatchcase(os.path.normpath(path), p) for p in _patterns(folder, pattern))
