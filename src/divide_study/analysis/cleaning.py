"""The cleaning step as notebook 01 runs it: the articles, dates, figures and initiatives cleaned
(``data.clean``), then the tables the analyses read checked and handed over (``analysis.measures``), every
problem of all of them said at once. It lives here, above both, so that the data layer never imports the
analyses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide_study.analysis import measures
from divide_study.data.clean import load_raw, process, write_tables
from divide_study.errors import Problems
from divide_study.language.datatext import check_raw_words


def step(raw_dir: Path, sources_dir: Path, out_dir: Path) -> dict[str, pd.DataFrame]:
    """The whole cleaning step (notebook 01): the articles, dates, figures and initiatives cleaned, the tables
    the analyses read checked and handed over (``measures.check_inputs``), and every word a reader will see
    checked for its translation (``datatext.check_raw_words``) — every problem of all of them said at once, with
    its file, row and column, before any later notebook runs. Nothing is written unless there is none."""
    problems = Problems()
    raw = load_raw(raw_dir, sources_dir)
    tables = process(raw, problems)
    handed_over: dict[str, pd.DataFrame] = {}
    try:
        with problems.check():
            handed_over = measures.check_inputs(raw_dir, tables["figures"], problems)
    except Exception:
        # A check that could not run on rows that already failed: those problems are the ones to say.
        if not problems:
            raise
    if "words" in handed_over:
        with problems.check():
            check_raw_words(raw_dir, handed_over["words"])
    problems.raise_any()
    write_tables(tables, out_dir)
    measures.write_inputs(handed_over, raw_dir, out_dir)
    return {**tables, **handed_over}
