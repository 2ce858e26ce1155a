"""Strict reading of raw tables: encoding, BOM, header, types, uniqueness; atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from divide_study.data.tables import read_table, write_csv_atomic
from divide_study.errors import DataError

SCHEMA = {
    "fields": [
        {"name": "figure_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "count", "type": "integer"},
        {"name": "ok", "type": "boolean"},
    ],
    "primaryKey": ["figure_id"],
}


@pytest.fixture
def table(tmp_path: Path):
    (tmp_path / "t.schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")

    def write(content: bytes | str) -> Path:
        path = tmp_path / "t.csv"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


def test_reads_typed_columns(table):
    frame = read_table(table("figure_id,count,ok\na,1,true\nb,,false\n"))
    assert list(frame["count"]) == [1, pd.NA] or frame["count"].isna().tolist() == [False, True]
    assert frame["ok"].tolist() == [True, False]
    assert frame["figure_id"].tolist() == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xef\xbb\xbffigure_id,count,ok\na,1,true\n", "byte-order mark"),
        ("figure_id,count,ok\né,1,true\n".encode("latin-1"), "not UTF-8 (byte 0xe9 on line 2)"),
        ("", "empty"),
        ("figure_id,ok\na,true\n", "missing column(s) ['count']"),
        ("figure_id,count,ok,extra\na,1,true,x\n", "unexpected column(s) ['extra']"),
        ("count,figure_id,ok\n1,a,true\n", "order"),
        ("figure_id,count,ok\na,1,true\na,2,true\n", "row 2 (line 3) [figure_id=a], column 'figure_id'"),
        ("figure_id,count,ok\na,1,true\nb,deux,true\n", "row 2 (line 3) [figure_id=b], column 'count'"),
    ],
)
def test_bad_tables_name_file_row_and_column(table, content, expected):
    with pytest.raises(DataError) as info:
        read_table(table(content))
    assert "t.csv" in str(info.value)
    assert expected in str(info.value)


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path):
    path = tmp_path / "out" / "x.csv"
    write_csv_atomic(pd.DataFrame({"a": [1, 2]}), path)
    assert path.read_text() == "a\n1\n2\n"
    assert [p.name for p in path.parent.iterdir()] == ["x.csv"]
