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
