"""Undeclared file access is an error: every kernel the build starts records the project files it opens.

The build gives each kernel its own ``IPYTHONDIR`` whose startup file installs ``sys.addaudithook``: every
``open`` of a file under a watched folder (the project, and input folders outside it such as the articles) is
compared with what the step declared (its ``reads`` and ``writes``); anything else is written to a log, and
the build fails the step naming the notebook and the file. Files of the interpreter, site-packages, the
package itself, caches, ``build/`` and ``/proc`` are not the study's data and are not watched.

An ``open`` is not the only way to change or read a file: a rename (``os.replace``, ``os.rename``), a removal
(``os.remove``, ``shutil.rmtree``), a truncation or a link of a watched file is checked as a write of each path
it names; an undeclared write of any kind is refused before it happens (``PermissionError``: a notebook that
opens ``data/raw/figures.csv`` for writing or removes it would lose an input), and a program started from a
notebook (``subprocess``, ``os.system``, ``os.exec*``, ``os.spawn*``, ``os.posix_spawn``) is refused outright: its
own file accesses happen in another process, outside the hook, so the build could neither check nor record
what it read or keep it from writing (issue 23). Each refusal is also logged, so the step fails even if the
notebook catches the error. Libraries that start a program of their own
for their own ends (matplotlib asks fontconfig for the fonts once per cache) are named in ``RUN_EXEMPT``.
"""

from __future__ import annotations

import json
import os
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

RULES_ENV = "STUDY_AUDIT_RULES"  # a JSON file: watched folders, ignored folders, allowed patterns
LOG_ENV = "STUDY_AUDIT_LOG"  # where each undeclared access is appended, one JSON line
# Modules that may start a program from a kernel: matplotlib's font manager runs ``fc-list`` when it builds its
# font cache (a list of fonts, no file of the study).
RUN_EXEMPT = ("matplotlib.font_manager",)

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
    run_exempt = tuple(rules.get("run_exempt", ()))
    busy = []
    # Events that change the files they name (each path argument's position): checked as writes of each.
    changes = {"os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "shutil.rmtree": (0,),
               "os.truncate": (0,), "os.link": (1,), "os.symlink": (1,)}
    runs = ("subprocess.Popen", "os.system", "os.exec", "os.spawn", "os.posix_spawn")

    def exempted(modules):
        frame = _sys._getframe(2)
        while frame is not None:
            if frame.f_globals.get("__name__", "").startswith(modules):
                return True
            frame = frame.f_back
        return False

    def allowed(path, patterns):
        return any(path == p or _match(path, p) for p in patterns)

    def record(entry):
        busy.append(1)
        try:
            with open(log, "a", encoding="utf-8") as out:
                out.write(_json.dumps(entry) + "\n")
        finally:
            busy.pop()

    def check(path, writing, folder_too=False):
        if isinstance(path, int) or not isinstance(path, (str, bytes, _os.PathLike)):
            return
        path = _os.fsdecode(path)
        if not path.startswith(watched):
            path = _os.path.abspath(path)
            if not path.startswith(watched):
                return
        path = _os.path.normpath(path)
        head, base = _os.path.split(path)
        atomic = temporary.match(base)
        if atomic:
            path = _os.path.join(head, atomic.group(1))
        if allowed(path, writes) or (not writing and allowed(path, reads)):
            return
        if path.startswith(ignored) or (not folder_too and _os.path.isdir(path)) or (exempt and exempted(exempt)):
            return
        record({"path": path, "access": "write" if writing else "read"})
        if writing:  # refused before it happens: an undeclared write could wipe an input (the log fails the step)
            here = _os.getcwd() + _os.sep
            shown = path[len(here):] if path.startswith(here) else path
            raise PermissionError(
                f"the study's build refuses to write {shown}: this notebook's step does not declare it (declare it "
                "in STEPS in src/divide_study/engine/pipeline.py, or write elsewhere)"
            )

    def command(event, args):
        if event == "subprocess.Popen":
            shown = args[1] if len(args) > 1 and args[1] is not None else args[0]
        elif event == "os.system":
            shown = args[0]
        elif event == "os.spawn":
            shown = args[2] if len(args) > 2 else args[1]
        else:  # os.exec, os.posix_spawn: (path, argv, env)
            shown = args[1] if len(args) > 1 else args[0]
        if isinstance(shown, (list, tuple)):
            shown = " ".join(_os.fsdecode(part) if isinstance(part, (str, bytes)) else str(part) for part in shown)
        return _os.fsdecode(shown) if isinstance(shown, (str, bytes)) else str(shown)

    def hook(event, args):
        if busy or not args:
            return
        if event == "open":
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = any(c in mode for c in "wax+") or bool(flags & (_os.O_WRONLY | _os.O_RDWR | _os.O_CREAT))
            check(args[0], writing)
        elif event in changes:
            for position in changes[event]:
                if position < len(args):
                    check(args[position], True, folder_too=event in ("os.rename", "os.rmdir", "shutil.rmtree"))
        elif event.startswith(runs) and not (run_exempt and exempted(run_exempt)):
            shown = command(event, args)
            record({"path": shown, "access": "run"})
            raise PermissionError(
                f"the study's build refuses to start a program from a notebook ({shown!r}): what it reads and "
                "writes would be outside the build's audit; call the package, which reads and writes in Python"
            )

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


STARTUP_FILES = {"00-study-audit.py": STARTUP, "00-study-die-with-parent.py": DIE_WITH_PARENT}


def foreign_ipython_files(folder: Path) -> list[Path]:
    """Files of the build's IPYTHONDIR that IPython would run or read as configuration and the build did not
    write: a startup file or a profile's ``ipython*_config.py``/``.json`` planted there would run in every
    kernel the build starts, before (and around) the audit."""
    profile = folder / "profile_default"
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_dir() and not path.is_symlink():
            continue
        ours = path.parent == profile / "startup" and path.name in STARTUP_FILES
        runtime = path.is_relative_to(profile / "security") or path.is_relative_to(profile / "pid")
        runtime = runtime or path.is_relative_to(profile / "log") or path.name.startswith("history.sqlite")
        if not ours and not runtime:
            found.append(path)
    return found


def write_ipython_dir(folder: Path) -> Path:
    """A build-managed IPYTHONDIR whose startup files install the hook and tie the kernel to its worker
    (nothing else of the user's config: ``foreign_ipython_files`` are set aside by the build first)."""
    for name, text in STARTUP_FILES.items():
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
    run_exempt: tuple[str, ...] = RUN_EXEMPT,
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
        "run_exempt": list(run_exempt),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rules, indent=1), encoding="utf-8")
    return path


def undeclared(log: Path, root: Path, staged: dict[str, str] | None = None) -> list[str]:
    """What the kernel opened without declaring it, as 'read data/raw/x.csv' (relative to the project), and the
    programs it started, as 'run cat data/raw/x.csv'.

    ``staged`` maps each staging folder to the published folder it stands for, so paths read as the user knows them.
    """
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found: list[str] = []
    for line in lines:
        entry = json.loads(line)
        if entry["access"] == "run":  # a program started from the kernel: its command line, as written
            item = f"run {entry['path']}"
            if item not in found:
                found.append(item)
            continue
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
