"""A new initiative in one build (#24): its words are listed from the raw rows before any build, and the cleaning
step says every problem of its rows at once (file, row and column each), before any later notebook runs.

Runs the cleaning step alone on a copy of the study's raw data (no notebook, no build): a few seconds."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import tree_digest
from test_new_initiative import append

from divide_study import config
from divide_study.analysis import cleaning
from divide_study.errors import DataError, DataErrors
from divide_study.language.datatext import data_messages, is_template, update_words

NEW = "coop_des_cretes"
ARTICLE = (
    "Lundi 14 juin\n\n"
    "La coopérative des Crêtes raccorde ses premiers foyers\n\n"
    "Fondée en 2020, la coopérative a lancé un chantier de 9 millions d'euros pour raccorder 6 000 foyers d'ici "
    "2025. La Région a versé 1,5 million d'euros. Les abonnés se voient proposer une offre à 2 Gbit/s.\n"
)


def span(text: str) -> tuple[int, int]:
    start = ARTICLE.index(text)
    return start, start + len(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the study's raw data and articles, with a new article saved and registered."""
    root = tmp_path / "project"
    shutil.copytree(config.RAW_DIR, root / "data" / "raw")
    shutil.copytree(config.PROCESSED_DIR, root / "data" / "processed")  # the published study, as a clone has it
    shutil.copytree(config.SOURCES_DIR, tmp_path / "shared" / "sources")
    digest = hashlib.sha256(ARTICLE.encode()).hexdigest()
    name = f"900_{digest[:16]}.txt"
    (tmp_path / "shared" / "sources" / name).write_bytes(ARTICLE.encode())
    raw = root / "data" / "raw"
    date = span("Lundi 14 juin")
    append(
        raw / "sources.csv",
        [
            {
                "article": "900",
                "source": name,
                "sha256": digest,
                "size_bytes": len(ARTICLE.encode()),
                "article_start": 0,
                "article_end": len(ARTICLE),
                "title": "La coopérative des Crêtes raccorde ses premiers foyers",
                "date_text": "Lundi 14 juin",
                "date_start": date[0],
                "date_end": date[1],
                "relevant": "true",
                "relevance_note": "made up for a test",
            }
        ],
    )
    append(
        raw / "article_classes.csv",
        [{"article": "900", "source_class": "independent_press", "class_basis": "a made-up paper"}],
    )
    append(
        raw / "date_clues.csv",
        [
            {
                "article": "900",
                "kind": kind,
                "value": value,
                "source": name,
                "span": words,
                "start": span(words)[0],
                "end": span(words)[1],
                "reason": reason,
            }
            for kind, value, words, reason in (
                ("year_min", "2020", "Fondée en 2020", "founded in 2020, told as done"),
                ("year_max", "2025", "d'ici 2025", "the 2025 target is ahead"),
            )
        ],
    )

    def figure(figure_id, metric, value_text, unit_text, unit, words, as_of="published"):
        start, end = span(words)
        return {
            "figure_id": figure_id,
            "source": name,
            "article": "900",
            "initiative": NEW,
            "metric": metric,
            "value_text": value_text,
            "unit_text": unit_text,
            "unit": unit,
            "as_of": as_of,
            "span": words,
            "start": start,
            "end": end,
        }

    append(
        raw / "figures.csv",
        [
            figure("cretes_founded", "founded_year", "2020", "", "year", "Fondée en 2020", "2020"),
            figure("cretes_cost", "investment", "9 millions d'euros", "", "EUR", "chantier de 9 millions d'euros"),
            figure(
                "cretes_households", "households_planned", "6 000", "foyers", "households", "raccorder 6 000 foyers"
            ),
            figure("cretes_region", "region_funding", "1,5 million d'euros", "", "EUR", "versé 1,5 million d'euros"),
            figure("cretes_speed", "speed_offered", "2", "Gbit/s", "Gbps", "offre à 2 Gbit/s"),  # no unit 'Gbps'
        ],
    )
    append(
        raw / "initiatives.csv",
        [
            {
                "initiative": NEW,
                "name": "Coopérative des Crêtes",
                "short_name": "Crêtes",
                "colour": "#f0e442",
                "territory": "made up",
                "model": "cooperative",
                "technology": "FTTH",
                "lead": "a made-up cooperative",
                "start_figure": "cretes_founded",
                "note": "made up for a test",
            }
        ],
    )
    measure = {"initiative": NEW, "default": "true", "scope": "whole_network", "note": "made up"}
    append(
        raw / "measures.csv",
        [
            {
                **measure,
                "quantity": "cost",
                "option": "works",
                "spending": "cretes_2020_2025",
                "figure_id": "cretes_cost",
            },
            {**measure, "quantity": "premises", "option": "households", "figure_id": "cretes_households"},
            {**measure, "quantity": "speed", "option": "offer", "scope": "any", "figure_id": "cretes_speed"},
        ],
    )
    append(
        raw / "spending_profiles.csv",
        [
            {
                "spending": "cretes_2020_2025",
                "profile": "even",
                "default": "true",
                "year": year,
                "weight": "1",
                "note": "assumption: made up",
            }
            for year in range(2020, 2026)
        ],
    )
    append(
        raw / "funding.csv",
        [
            {
                "initiative": NEW,
                "funder": "the Région of the Crêtes",
                "evidence_id": "cretes_region",
                "scope": "whole_network",
                "all_public_money": "true",
                "covers": "region",
                "note": "all the public money, as the article says",
            }
        ],
    )
    append(raw / "milestones.csv", [{"evidence_id": "cretes_founded", "event": "cooperative founded"}])
    return root


def test_without_the_published_tables_messages_adds_the_raw_words_and_drops_none(project: Path):
    """A checkout without data/processed cannot tell which words only the code writes: none is dropped."""
    from divide_study.language.datatext import has_shown_tables

    shutil.rmtree(project / "data" / "processed")
    assert not has_shown_tables(project / "data" / "processed")
    found = [m for m in data_messages(project) if not is_template(m)]
    assert "cooperative founded" in found
    added, dropped = update_words(project / "data" / "raw" / "words.csv", found, drop=False)
    assert added == 6 and dropped == 0


def clean_step(root: Path) -> dict:
    out = root / "data" / "processed"
    return cleaning.step(root / "data" / "raw", root.parent / "shared" / "sources", out)


def test_a_new_initiative_needs_one_messages_run_and_one_build_to_say_everything(project: Path):
    raw = project / "data" / "raw"
    # Before any build (the published tables know nothing of it), `study messages` finds the words readers will
    # see in the raw rows.
    published = tree_digest(project / "data" / "processed")
    found = data_messages(project)
    new_words = {"cooperative founded", "the Région of the Crêtes", "all the public money, as the article says"}
    new_words |= {"a made-up paper", "founded in 2020, told as done", "the 2025 target is ahead"}
    assert new_words <= set(found)
    assert "data/raw/milestones.csv" in found["cooperative founded"][0]
    added, dropped = update_words(raw / "words.csv", [m for m in found if not is_template(m)])
    assert (added, dropped) == (len(new_words), 0)

    # One run of the cleaning step says every problem of the new rows, each with its file, row and column.
    with pytest.raises(DataErrors) as info:
        clean_step(project)
    said = [(Path(str(e.file)).name, e.column, e.reason) for e in info.value.errors]
    text = str(info.value)
    assert text.startswith(f"{len(said)} problems in the inputs")
    assert ("figures.csv", "unit") in [(f, c) for f, c, _ in said]
    assert "unknown unit 'Gbps'" in text and "units.csv" in text
    assert "model_risks.csv" in text and "'cooperative'" in text  # a model the study has never seen
    empty = [reason for f, c, reason in said if f == "words.csv" and c == "fr"]
    assert len(empty) == len(new_words)  # each new word's empty French, by its row
    assert "no model label for 'cooperative'" in text
    assert "amount_natures.csv" in text and "['cretes_cost', 'cretes_region']" in text  # what each amount is
    assert f"no option label for '{NEW}.works'" in text and f"no option label for '{NEW}.households'" in text
    # The speed figure's own problem is said once: the measure naming it is not also "unknown figure".
    assert "unknown figure 'cretes_speed'" not in text
    assert len(said) == len(set(said))
    assert tree_digest(project / "data" / "processed") == published  # nothing written

    # Filled in, by rows only (Gbit/s is a unit of units.csv): the step cleans, in one more run.
    words = pd.read_csv(raw / "words.csv", dtype=str, keep_default_na=False)
    words.loc[words["fr"] == "", "fr"] = words["en"] + " (fr)"
    words.to_csv(raw / "words.csv", index=False, lineterminator="\n")
    figures = pd.read_csv(raw / "figures.csv", dtype=str, keep_default_na=False)
    figures.loc[figures["figure_id"] == "cretes_speed", "unit"] = "Gbit/s"
    figures.to_csv(raw / "figures.csv", index=False, lineterminator="\n")
    labels = [("model", "cooperative", "cooperative", "coopérative")]
    labels += [("option", f"{NEW}.{o}", o, o) for o in ("works", "households", "offer")]
    labels += [("metric", m, m, m) for m in ("founded_year", "households_planned", "region_funding", "speed_offered")]
    known = set(pd.read_csv(raw / "labels.csv", dtype=str)[["kind", "key"]].itertuples(index=False, name=None))
    append(
        raw / "labels.csv",
        [{"kind": k, "key": key, "en": en, "fr": fr} for k, key, en, fr in labels if (k, key) not in known],
    )
    append(
        raw / "amount_natures.csv",
        [
            {"evidence_id": "cretes_cost", "nature": "plan", "note": "'chantier de': the works as announced"},
            {"evidence_id": "cretes_region", "nature": "contributed", "note": "'versé': money paid in"},
        ],
    )
    append(
        raw / "model_risks.csv",
        [
            {
                "model": "cooperative",
                "owner": "the cooperative",
                "who_pays_the_works": "its members",
                "delay_risk": "the cooperative",
                "delay_risk_bearer": "company",
                "demand_risk": "its members",
                "basis": "made up for a test",
            }
        ],
    )
    with pytest.raises(
        DataError, match=r"model_risks\.csv, row \d+ \(line \d+\), column 'delay_risk'.*'the cooperative'"
    ):
        clean_step(project)  # the new row's words are words a reader sees: said by the step too
    append(raw / "words.csv", [{"en": w, "fr": f"{w} (fr)"} for w in ("the cooperative", "its members")])
    tables = clean_step(project)
    speed = tables["figures"].set_index("figure_id").loc["cretes_speed"]
    assert (speed["value"], speed["unit"]) == (2000, "Mbit/s")
    published = pd.read_csv(project / "data" / "processed" / "sources.csv", dtype=str).set_index("article")
    assert published.loc["900", "published"] == "2021-06-14"  # a Monday: no word of words.csv needed


def test_a_table_that_cannot_be_read_is_said_with_the_other_tables_problems(project: Path):
    """A duplicate label (labels.csv refused by its schema) is said beside the new words' empty French: one run."""
    raw = project / "data" / "raw"
    found = data_messages(project)
    update_words(raw / "words.csv", [m for m in found if not is_template(m)])
    labels = pd.read_csv(raw / "labels.csv", dtype=str, keep_default_na=False)
    append(raw / "labels.csv", [labels.iloc[0].to_dict()])  # the first label again
    with pytest.raises(DataErrors) as info:
        clean_step(project)
    files = [(Path(str(e.file)).name, e.column) for e in info.value.errors]
    assert any(
        f == "labels.csv" and "duplicate" in e.reason for (f, _), e in zip(files, info.value.errors, strict=True)
    )
    assert ("words.csv", "fr") in files and ("figures.csv", "unit") in files


@pytest.mark.parametrize("table", ["figures", "quoted_compare"])
def test_a_unit_added_to_units_csv_is_published_like_any_other(tmp_path: Path, table: str):
    """Units are data (data/raw/units.csv, checked by the cleaning step): the processed tables' schemas list none,
    so a new count such as radio relays, once a row of units.csv, is not refused at publication."""
    from divide_study.data.datapackage import check_processed

    published = pd.read_csv(config.PROCESSED_DIR / f"{table}.csv", dtype=str, keep_default_na=False)
    published.loc[published.index[0], "unit"] = "relays"
    published.to_csv(tmp_path / f"{table}.csv", index=False, lineterminator="\n")
    check_processed(tmp_path / f"{table}.csv")
