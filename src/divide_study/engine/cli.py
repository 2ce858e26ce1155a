"""The ``study`` command. ``study build`` runs the whole study; see ``study build --help``."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import time
from pathlib import Path

from divide_study.config import PROJ_ROOT
from divide_study.errors import StudyError


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so the build unwinds (ends its processes, removes its stage)."""


def _on_sigterm(signum, frame):
    raise Terminated()


def scenario_file(given: Path | None, root: Path) -> Path | None:
    """What ``--params`` names: a file by its path; else, for a bare name (``initial_budget``, with or without
    ``.yaml``), the scenario of that name in the project's ``params/scenarios/``. An unknown name is refused with
    the closest scenario names."""
    if given is None or len(given.parts) != 1:
        return given
    try:
        if given.exists():
            return given
    except OSError:
        return given  # a name too long, say: the build says what is wrong with it
    import difflib

    from divide_study.engine.params import SCENARIO_SUFFIXES, scenario_files

    folder = root / "params" / "scenarios"
    scenarios = {path.stem: path for path in scenario_files(folder)} if folder.is_dir() else {}
    name = given.stem if given.suffix.lower() in SCENARIO_SUFFIXES else given.name
    if name in scenarios:
        return scenarios[name]
    shown = os.path.relpath(folder, root) + "/"
    close = difflib.get_close_matches(name, list(scenarios), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(match) for match in close)}?" if close else ""
    known = f"it has {', '.join(sorted(scenarios))}" if scenarios else "it has none"
    raise StudyError(f"--params {given}: no such file, and no scenario {name!r} in {shown} ({known}){hint}")


def _build(args: argparse.Namespace) -> int:
    from divide_study.engine.pipeline import Builder

    started = time.perf_counter()
    builder = Builder(
        scenario=scenario_file(args.params, args.root),
        force=args.force,
        only=args.only,
        jobs=args.jobs,
        timeout=args.timeout,
        pdf=not args.no_pdf,
        root=args.root,
    )
    builder.reporter.console.print(
        f"study build: {len(builder.selected)} notebook(s), up to {builder.jobs} at once", highlight=False
    )
    try:
        report = builder.run()
    except KeyboardInterrupt as exc:
        exc.changed = builder.changed_published()  # type: ignore[attr-defined]
        raise
    seconds = time.perf_counter() - started
    ran, skipped = report.count("ran"), report.count("skipped")
    where = "" if builder.edition is None else f" to {os.path.relpath(builder.base, builder.root)}/ (scenario edition)"
    if not report.ok:
        failed = ", ".join(result.name for result in report.results if result.status == "failed")
        print(
            f"build failed ({failed}): nothing was published; {_previous_outputs(builder.changed_published())}",
            file=sys.stderr,
        )
        return 2 if report.user_mistake else 1  # 2: a mistake in the user's inputs, as for a bad parameter
    if ran == 0:
        print(f"nothing to do: all {skipped} notebook(s) up to date ({seconds:.2f} s)")
    else:
        print(f"done: {ran} notebook(s) ran, {skipped} skipped, outputs published{where} ({seconds:.1f} s)")
    return 0


def _previous_outputs(changed: list[str]) -> str:
    """What a failed or stopped build says of the published files: unchanged only if they are (checked)."""
    if not changed:
        return "the previous outputs are unchanged"
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (
        f"but {len(changed)} published file(s) changed while it ran, written by something else than the build "
        f"(another program, an editor): {shown}; `study build --force` makes them again"
    )


def _messages(args: argparse.Namespace) -> int:
    from divide_study.i18n import catalog_path
    from divide_study.language.messages import update_catalogs

    for domain, (added, dropped) in update_catalogs(PROJ_ROOT).items():
        where = domain if domain.endswith(".csv") else catalog_path("fr", domain).relative_to(PROJ_ROOT)
        print(f"{where}: {added} added, {dropped} dropped")
    return 0


def _lab(args: argparse.Namespace) -> int:
    """JupyterLab on the project, with this environment's kernel (the package is installed in it)."""
    import subprocess

    from divide_study.engine.lab import lab_command
    from divide_study.engine.params import default_values, sync_notebooks

    # Run All runs each notebook with the defaults its parameters cell holds: a copy of params/default.yaml's,
    # brought up to date before the notebooks are opened.
    for notebook, changes in sync_notebooks(
        sorted((PROJ_ROOT / "notebooks").glob("*.ipynb")), default_values()
    ).items():
        shown = notebook.relative_to(PROJ_ROOT)
        print(f"{shown}: parameters cell updated from params/default.yaml ({'; '.join(changes)})")
    # Its server config saves the notebooks of notebooks/ without outputs (a pre-save hook, engine/lab.py).
    command, environ = lab_command(PROJ_ROOT, args.lab_args)
    process = subprocess.Popen(command, cwd=PROJ_ROOT, env=environ)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()  # JupyterLab asks for confirmation on Ctrl-C; a second signal ends it
        return process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="study", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="run the notebooks that need it and publish the outputs")
    build.add_argument(
        "--params",
        type=Path,
        help="scenario YAML overriding params/default.yaml: a file, or the NAME of params/scenarios/NAME.yaml; "
        "a scenario publishes to scenarios/NAME/, never over the published study",
    )
    build.add_argument("--force", action="store_true", help="run every notebook, changed or not")
    build.add_argument(
        "--only", action="append", metavar="NAME", help="run this notebook (and what it depends on, if stale)"
    )
    build.add_argument("--jobs", type=int, help="notebooks run at once (default: the number of cores)")
    build.add_argument("--timeout", type=int, default=600, help="seconds a cell may run before it fails")
    build.add_argument(
        "--no-pdf",
        action="store_true",
        help="publish the HTML report without printing the PDF (the last PDF is kept if the HTML did not change, "
        "otherwise removed, and the build says so)",
    )
    build.add_argument("--root", type=Path, default=PROJ_ROOT, help="the project to build (default: this one)")
    build.set_defaults(handler=_build)
    messages = commands.add_parser(
        "messages",
        help="add the messages the code uses, and the words of the data a reader sees, to the French catalogs "
        "(src/divide_study/locales), drop unused ones",
    )
    messages.set_defaults(handler=_messages)
    lab = commands.add_parser(
        "lab",
        help="open the notebooks in JupyterLab; every other option goes to jupyter lab (e.g. --port 8899)",
        add_help=False,
    )
    lab.set_defaults(handler=_lab)
    # Everything after `lab` is JupyterLab's (its own --help included): argparse must not judge its options.
    args, rest = parser.parse_known_args(argv)
    if args.command == "lab":
        args.lab_args = rest
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.handler(args)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Terminated as exc:
        changed = getattr(exc, "changed", [])
        print(
            f"terminated (SIGTERM): the build stopped; nothing was published; {_previous_outputs(changed)}",
            file=sys.stderr,
        )
        return 143
    except KeyboardInterrupt as exc:
        print(f"interrupted: nothing was published; {_previous_outputs(getattr(exc, 'changed', []))}", file=sys.stderr)
        return 130
    except OSError as exc:
        # A path too long, a file that cannot be read: say which, without a traceback.
        what = exc.filename or ""
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        hint = " (shorten the path)" if exc.errno == errno.ENAMETOOLONG else ""
        print(f"error: {reason}: {what}{hint}", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
