"""The package's imports go one way (data → analysis → report) and form no circle."""

from __future__ import annotations

from divide_study import architecture


def test_circles_are_found_in_a_tiny_graph():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert architecture.circles(edges) == [["a", "b", "c"]]
    assert architecture.circles({"a": {"b"}, "b": set()}) == []


def test_an_import_against_the_direction_is_named():
    edges = {
        "divide_study.analysis.x": {"divide_study.report.y", "divide_study.data.z"},
        "divide_study.report.y": {"divide_study.analysis.x"},
    }
    assert architecture.against_the_direction(edges) == [("divide_study.analysis.x", "divide_study.report.y")]


def test_layers_of_modules():
    assert architecture.layer("divide_study.analysis.panel") == "analysis"
    assert architecture.layer("divide_study.language") == "language"
    assert architecture.layer("divide_study.config") == "shared"


def test_the_package_imports_one_way():
    edges = architecture.graph()
    assert architecture.circles(edges) == []
    assert architecture.against_the_direction(edges) == []
    analysis = {m: t for m, t in edges.items() if m.startswith("divide_study.analysis.")}
    assert [(m, t) for m, ts in analysis.items() for t in ts if t.startswith("divide_study.report")] == []


def test_no_module_outside_the_report_writes_html():
    import re

    writers = []
    for path in architecture.SOURCE.rglob("*.py"):
        if path.parent.name in ("report", "engine") or path.name == "architecture.py":
            continue
        if re.search(r"</(?:p|h[1-6]|div|table|figure|span|strong|em|a)>", path.read_text(encoding="utf-8")):
            writers.append(path.name)
    assert writers == []
