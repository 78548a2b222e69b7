"""The course's versions of nbgrader's bookkeeping steps leave notebooks and gradebook exactly as
nbgrader's own steps do, and an autograde run's steps share one database engine (its compiled
queries) instead of building one per step and notebook."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
import sqlalchemy
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties, OverwriteCells, OverwriteKernelspec, SaveAutoGrades
from traitlets.config import Config

from autograder.manifest import Exercise, load_course
from autograder.nbgrader_plugin.autograde_run import AutogradeExporter
from autograder.nbgrader_plugin.bookkeeping import AssignLatePenaltiesOnce, OverwriteKernelspecOnce, SaveAutoGradesOnce
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.preprocessors import OverwriteChangedCells

COURSE = load_course()
EXERCISES = [COURSE.exercise("reshape"), COURSE.exercise("huber")]
STUDENT = "ada"
DUE, HANDED_IN = "2026-11-20 10:00:00 UTC", "2026-11-21 09:00:00 UTC"  # a day late
# With "zero", nbgrader's late plugin takes all of a late notebook's points: a penalty that shows.
LATE_POLICY = Config({"LateSubmissionPlugin": {"penalty_method": "zero"}})
Steps = Callable[[], list[Any]]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course directory whose gradebook knows the assignment (due `DUE`), the student and a late submission."""
    directory = init_course_directory(tmp_path_factory.mktemp("bookkeeping"), COURSE)
    nbgrader(directory, "generate_assignment", COURSE.assignment, "--force")
    with Gradebook(f"sqlite:///{directory / 'gradebook.db'}", course_id=COURSE.course_id) as gradebook:
        gradebook.update_or_create_assignment(COURSE.assignment, duedate=DUE)
        gradebook.update_or_create_student(STUDENT)
        gradebook.update_or_create_submission(COURSE.assignment, STUDENT, timestamp=HANDED_IN)
    return directory


def _handed_in(directory: Path, exercise_folder: str) -> Any:
    """The released notebook as a student hands it in: a kernel of their own, one check failed."""
    notebook = nbformat.read(directory / "release" / COURSE.assignment / f"{exercise_folder}.ipynb", as_version=4)
    notebook.metadata["kernelspec"] = {"name": "students-own", "display_name": "Mine", "language": "python"}
    grade_cells = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    grade_cells[0].outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[])]
    return notebook


def _run(released: Path, copy: Path, steps: Steps) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """Each exercise's notebook through `steps` on a copy of the gradebook: the notebooks and the rows they left."""
    shutil.copy(released / "gradebook.db", copy)
    db_url = f"sqlite:///{copy}"
    notebooks = []
    for exercise in EXERCISES:
        notebook = _handed_in(released, exercise.folder)
        resources = {"nbgrader": {"notebook": exercise.folder, "assignment": COURSE.assignment,
                                  "student": STUDENT, "db_url": db_url}}
        for step in steps():
            notebook, resources = step.preprocess(notebook, resources)
        notebooks.append(notebook)
    with Gradebook(db_url, course_id=COURSE.course_id) as gradebook:
        rows = [(notebook.name, notebook.late_submission_penalty, notebook.score,
                 sorted((grade.name, grade.auto_score, grade.needs_manual_grade) for grade in notebook.grades),
                 sorted((comment.name, comment.auto_comment) for comment in notebook.comments))
                for notebook in gradebook.find_submission(COURSE.assignment, STUDENT).notebooks
                if notebook.name in {exercise.folder for exercise in EXERCISES}]
    return notebooks, sorted(rows)


def _stock() -> list[Any]:
    return [OverwriteKernelspec(), SaveAutoGrades(), AssignLatePenalties(config=LATE_POLICY)]


def _course_steps(exporter: AutogradeExporter) -> Steps:
    return lambda: [OverwriteKernelspecOnce(parent=exporter), SaveAutoGradesOnce(parent=exporter),
                           AssignLatePenaltiesOnce(parent=exporter, config=LATE_POLICY)]


def test_the_course_s_steps_save_what_nbgrader_s_own_steps_save(released: Path, tmp_path: Path) -> None:
    stock_notebooks, stock_rows = _run(released, tmp_path / "stock.db", _stock)
    course_notebooks, course_rows = _run(released, tmp_path / "course.db", _course_steps(AutogradeExporter()))
    assert course_rows == stock_rows
    assert course_notebooks == stock_notebooks
    penalties = [row[1] for row in stock_rows]
    assert penalties and all(penalty > 0 for penalty in penalties), "the late penalty was exercised"
    assert all(notebook.metadata["kernelspec"]["name"] != "students-own" for notebook in course_notebooks)


def test_an_autograde_run_s_steps_share_one_database_engine(released: Path, tmp_path: Path) -> None:
    engines: list[sqlalchemy.engine.Engine] = []  # held, so that no engine's id is reused

    def record(connection: sqlalchemy.engine.Connection) -> None:
        if all(engine is not connection.engine for engine in engines):
            engines.append(connection.engine)

    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "engine_connect", record)
    try:
        _run(released, tmp_path / "stock.db", _stock)
        stock_engines = len(engines)
        engines.clear()
        _run(released, tmp_path / "course.db", _course_steps(AutogradeExporter()))
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "engine_connect", record)
    # each of nbgrader's steps builds an engine for each notebook (and _run one to read the rows)
    assert stock_engines == 3 * len(EXERCISES) + 1
    assert len(engines) == 1 + 1, "the run's steps built one engine between them"


def test_overwriting_cells_queries_the_gradebook_per_notebook_not_per_cell(released: Path, tmp_path: Path) -> None:
    """nbgrader's Notebook loads its cells as base cells, so reading a grade cell's max_score cost one query per
    cell (530 for the 60-notebook class). The course's OverwriteChangedCells queries a notebook's cells at
    once, and leaves each notebook exactly as nbgrader's OverwriteCells does."""
    add_missing = Config({"OverwriteCells": {"add_missing_cells": True}})
    stock_notebooks, _ = _run(released, tmp_path / "stock.db", lambda: [OverwriteCells(config=add_missing)])
    shutil.copy(released / "gradebook.db", tmp_path / "course.db")
    exporter = AutogradeExporter()
    selects: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    def overwrite(exercise: Exercise) -> Any:
        resources = {"nbgrader": {"notebook": exercise.folder, "assignment": COURSE.assignment,
                                  "student": STUDENT, "db_url": f"sqlite:///{tmp_path / 'course.db'}"}}
        step = OverwriteChangedCells(parent=exporter, config=add_missing)
        return step.preprocess(_handed_in(released, exercise.folder), resources)[0]

    overwrite(EXERCISES[0])  # the run's engine, opened by its first step, reads the schema and the course once
    course_notebooks, queries = [], []
    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", record)
    try:
        for exercise in EXERCISES:
            selects.clear()
            course_notebooks.append(overwrite(exercise))
            queries.append(len(selects))
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "before_cursor_execute", record)
    assert course_notebooks == stock_notebooks
    grade_cells = [sum(1 for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade"))
                   for notebook in stock_notebooks]
    assert grade_cells[0] != grade_cells[1], "the two notebooks have different numbers of grade cells"
    assert queries[0] == queries[1], f"queries for {grade_cells} grade cells: {queries}"
