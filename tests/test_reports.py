"""Reports read well when piped: tables take the width they need instead of 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from autograder.cli import app
from autograder.manifest import load_course
from autograder.nbgrader_plugin.demo import DemoResult
from autograder.nbgrader_plugin.simulated_class import simulated_class
from autograder.reports.demo_table import print_demo_report


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch warns about a catalogued wrong answer
def test_piped_tables_are_not_squeezed_to_80_columns() -> None:
    """Issue 9, observation 7: names were cut short ("zero_i…") when output was not a terminal."""
    result = CliRunner().invoke(app, ["verify", "--exercise", "reshape", "--reference-seeds", "1", "--seed", "3"],
                                env={"COLUMNS": ""})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert "synthetic_generator_and_integer_w" in result.output and "loss_row_reshape" in result.output


def test_the_demo_table_has_a_column_per_notebook_of_the_demo_s_assignment_only(tmp_path: Path) -> None:
    """The demo grades the core assignment: the other assignment's exercises are no columns of dashes."""
    course = load_course()
    core = course.exercises_in(course.assignment)
    students = simulated_class()[:1]
    result = DemoResult(tmp_path, students, scores={students[0].student_id: {e.folder: 10.0 for e in core}},
                        max_scores={exercise.folder: 10.0 for exercise in core})
    console = Console(record=True, width=400)
    print_demo_report(result, course, console)
    text = console.export_text()
    header = next(line for line in text.splitlines() if "student" in line)
    assert [name for name in header.replace("┃", " ").split() if name not in ("student", "total")] == [
        exercise.id for exercise in core]
    assert f"{10 * len(core)}/{10 * len(core)}" in text
