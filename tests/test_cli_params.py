"""``study build --params NAME``: a scenario of params/scenarios/ by its name; an unknown one is refused with the
closest names (exit 2), before anything is built."""

from __future__ import annotations

from pathlib import Path

import pytest

from divide_study.engine import cli
from divide_study.errors import StudyError


@pytest.fixture
def project(tmp_path: Path) -> Path:
    scenarios = tmp_path / "params" / "scenarios"
    scenarios.mkdir(parents=True)
    for name in ("initial_budget.yaml", "households_only.yaml", "euros_of_2014.yml"):
        (scenarios / name).write_text("base_year: 2020\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("given", "found"),
    [
        ("initial_budget", "initial_budget.yaml"),
        ("initial_budget.yaml", "initial_budget.yaml"),
        ("euros_of_2014", "euros_of_2014.yml"),  # either suffix
    ],
)
def test_a_bare_name_finds_its_scenario(project: Path, given: str, found: str, monkeypatch):
    monkeypatch.chdir(project)  # no file of that name where the command runs
    assert cli.scenario_file(Path(given), project) == project / "params" / "scenarios" / found


def test_a_path_or_an_existing_file_is_taken_as_given(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    (project / "mine.yaml").write_text("base_year: 2020\n", encoding="utf-8")
    assert cli.scenario_file(Path("mine.yaml"), project) == Path("mine.yaml")
    # A path is the user's: a missing one is the build's to report ("parameter file not found").
    assert cli.scenario_file(Path("params/nope.yaml"), project) == Path("params/nope.yaml")
    assert cli.scenario_file(None, project) is None


def test_an_unknown_name_suggests_the_closest_scenarios(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    with pytest.raises(StudyError) as info:
        cli.scenario_file(Path("initial_budgt"), project)
    message = str(info.value)
    assert message.startswith(
        "--params initial_budgt: no such file, and no scenario 'initial_budgt' in params/scenarios/"
    )
    assert "did you mean 'initial_budget'?" in message
    assert "it has euros_of_2014, households_only, initial_budget" in message


def test_a_name_like_none_lists_them_all(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    with pytest.raises(StudyError, match=r"it has euros_of_2014, households_only, initial_budget\)$"):
        cli.scenario_file(Path("zzz"), project)


def test_the_command_refuses_an_unknown_name_with_exit_2_and_builds_nothing(project: Path, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert cli.main(["build", "--root", str(project), "--params", "households"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --params households:") and "did you mean 'households_only'?" in err
    assert not (project / "build").exists() and not (project / "scenarios").exists()
