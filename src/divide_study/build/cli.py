"""The ``study`` command. ``study build`` runs the whole study; see ``study build --help``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from divide_study.config import PROJ_ROOT
from divide_study.errors import StudyError


def _build(args: argparse.Namespace) -> int:
    from divide_study.build.pipeline import Builder

    started = time.perf_counter()
    builder = Builder(
        scenario=args.params,
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
    report = builder.run()
    seconds = time.perf_counter() - started
    ran, skipped = report.count("ran"), report.count("skipped")
    if not report.ok:
        failed = ", ".join(result.name for result in report.results if result.status == "failed")
        print(f"build failed ({failed}): nothing was published; the previous outputs are unchanged", file=sys.stderr)
        return 1
    if ran == 0:
        print(f"nothing to do: all {skipped} notebook(s) up to date ({seconds:.2f} s)")
    else:
        print(f"done: {ran} notebook(s) ran, {skipped} skipped, outputs published ({seconds:.1f} s)")
    return 0


def _lab(args: argparse.Namespace) -> int:
    """JupyterLab on the project, with this environment's kernel (the package is installed in it)."""
    import subprocess

    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={PROJ_ROOT}", *args.lab_args]
    return subprocess.call(command, cwd=PROJ_ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="study", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="run the notebooks that need it and publish the outputs")
    build.add_argument("--params", type=Path, help="scenario YAML overriding params/default.yaml")
    build.add_argument("--force", action="store_true", help="run every notebook, changed or not")
    build.add_argument(
        "--only", action="append", metavar="NAME", help="run this notebook (and what it depends on, if stale)"
    )
    build.add_argument("--jobs", type=int, help="notebooks run at once (default: the number of cores)")
    build.add_argument("--timeout", type=int, default=600, help="seconds a cell may run before it fails")
    build.add_argument("--no-pdf", action="store_true", help="publish the HTML report without printing the PDF")
    build.add_argument("--root", type=Path, default=PROJ_ROOT, help="the project to build (default: this one)")
    build.set_defaults(handler=_build)
    lab = commands.add_parser("lab", help="open the notebooks in JupyterLab (extra arguments go to jupyter lab)")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, help="arguments for jupyter lab, e.g. --port 8899")
    lab.set_defaults(handler=_lab)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was published; the previous outputs are unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
