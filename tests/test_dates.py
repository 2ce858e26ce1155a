"""Publication dates: printed day/month/weekday plus clue windows, on inline clues."""

from __future__ import annotations

import datetime as dt

import pytest

from divide_study.data.dates import Clue, DateInferenceError, infer_publication_date, parse_printed_date, weekday_in


def clue(kind, value, span="…", reason="test"):
    return Clue(kind, value, span, reason)


@pytest.mark.parametrize(
    ("text", "day", "month", "weekday"),
    [
        ("vendredi 15 mars", 15, 3, 4),
        ("ce vendredi 1er octobre", 1, 10, 4),
        ("11 Sep", 11, 9, None),
        ("05 Juil", 5, 7, None),
    ],
)
def test_parse_printed_date(text, day, month, weekday):
    printed = parse_printed_date(text)
    assert (printed.day, printed.month, printed.weekday, printed.year) == (day, month, weekday, None)


def test_weekday_in_text():
    assert weekday_in("ce mercredi 5 juillet") == 2
    assert weekday_in("le 5 juillet") is None


def test_weekday_and_window_pick_the_single_year():
    # Friday 15 March fell in 2013 and 2019; a window of 2015-2020 leaves 2019.
    date = infer_publication_date("vendredi 15 mars", [clue("year_min", "2015"), clue("year_max", "2020")])
    assert date.published == "2019-03-15"
    assert date.precision == "day" and date.year_certain
    assert "Friday" in date.basis and "2015" in date.basis


def test_uncertain_year_is_said_not_guessed():
    date = infer_publication_date("vendredi 15 mars", [clue("year_min", "2012"), clue("year_max", "2020")])
    assert date.published == ""
    assert not date.year_certain
    assert date.precision == "uncertain"
    assert "2013-03-15" in date.basis and "2019-03-15" in date.basis


def test_office_term_bounds_as_dates():
    clues = [clue("not_before", "2019-03-31"), clue("not_after", "2022-05-20"), clue("not_before", "2020-09-03")]
    assert infer_publication_date("ce vendredi 1er octobre", clues).published == "2021-10-01"


def test_weekday_clue_checks_the_year():
    date = infer_publication_date("05 Juil", [clue("year", "2017"), clue("weekday", "mercredi")])
    assert date.published == "2017-07-05"
    with pytest.raises(DateInferenceError, match="no date"):
        infer_publication_date("05 Juil", [clue("year", "2018"), clue("weekday", "mercredi")])


def test_no_printed_date_gives_a_window():
    date = infer_publication_date("", [clue("year", "2003"), clue("not_after", "2003-12-03")])
    assert (date.published, date.precision) == ("2003", "year")
    assert date.latest == dt.date(2003, 12, 3)
    month = infer_publication_date("", [clue("not_before", "2010-04-29"), clue("not_after", "2010-04-30")])
    assert (month.published, month.precision) == ("2010-04", "month")


def test_unbounded_or_contradictory_clues_are_refused():
    with pytest.raises(DateInferenceError, match="both sides"):
        infer_publication_date("11 Sep", [clue("year_min", "2014")])
    with pytest.raises(DateInferenceError, match="contradict"):
        infer_publication_date("11 Sep", [clue("year_min", "2021"), clue("year_max", "2020")])
    with pytest.raises(DateInferenceError, match="not valid"):
        infer_publication_date("11 Sep", [clue("year", "vingt")])
