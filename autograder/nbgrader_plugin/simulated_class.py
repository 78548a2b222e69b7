"""A simulated class for `course demo`: released notebooks filled in the ways real students fill them.

Answers come from the course's own material: the reference solutions, the wrong-answer catalogue
(tests/catalogue), an adversarial submission, and notebooks broken the ways nbgrader meets in
practice (truncated JSON, a duplicated cell, a deleted check cell, a cell retyped, edited points).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.build.authored import BEGIN_SOLUTION, END_SOLUTION, read_authored
from autograder.build.releases import exercises_of
from autograder.manifest import REPO_ROOT, Course, Exercise

CATALOGUE = REPO_ROOT / "tests" / "catalogue"
TIMESTAMP = "2026-11-20 10:00:00 UTC"


@dataclass(frozen=True)
class SimulatedStudent:
    """Who the student is, and what they hand in for each exercise (None: nothing)."""

    student_id: str
    description: str
    answer: Callable[[Exercise], str | None]  # the module source to put into the answer cells


def _reference(exercise: Exercise) -> str:
    return (REPO_ROOT / "solutions" / exercise.module_file).read_text(encoding="utf-8")


def wrong_answers(index: int) -> Callable[[Exercise], str]:
    def answer(exercise: Exercise) -> str:
        entries = sorted((CATALOGUE / exercise.id / "wrong").glob("*.py"))
        return entries[index % len(entries)].read_text(encoding="utf-8")

    return answer


def _adversarial(exercise: Exercise) -> str:
    """Tricks that must gain nothing: a monkeypatched torch, an exit, an endless loop, a file bomb."""
    tricks = {
        "huber": (REPO_ROOT / "tests" / "adversarial" / "patch_torch_allclose.py").read_text(encoding="utf-8"),
        "reshape": _reference(exercise) + "\n\ndef broadcast_shape(n):\n    import os\n    os._exit(0)\n",
        "zero_init": _reference(exercise) + "\n\ndef std_for_variance(variance):\n    while True:\n        pass\n",
    }
    return tricks.get(exercise.id, _reference(exercise))


def simulated_class() -> list[SimulatedStudent]:
    """The demo's students, from the best to the most broken submissions."""
    return [
        SimulatedStudent("ada", "the reference solutions", _reference),
        SimulatedStudent("ben", "the untouched release notebooks (stubs)", lambda exercise: None),
        SimulatedStudent("chen", "one catalogued wrong answer per exercise", wrong_answers(0)),
        SimulatedStudent("dana", "other catalogued wrong answers", wrong_answers(3)),
        SimulatedStudent("eve", "adversarial: patches torch.allclose, exits, loops forever", _adversarial),
        SimulatedStudent("fay", "broken notebooks: truncated, duplicated and deleted cells, retyped cell, "
                                "edited points, one notebook missing", _reference),
    ]


def fill_answers(notebook: nbformat.NotebookNode, source: str) -> None:
    """Put the module's functions into the answer cells that define them (the rest into the first)."""
    answer_cells = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    owners: dict[str, nbformat.NotebookNode] = {}
    for cell in answer_cells:
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef):
                owners[node.name] = cell
    parts: dict[int, list[str]] = {id(cell): [] for cell in answer_cells}
    lines = source.splitlines()
    for node in ast.parse(source).body:
        segment = "\n".join(lines[(node.decorator_list[0].lineno if getattr(node, "decorator_list", None)
                                   else node.lineno) - 1: node.end_lineno])
        owner = owners.get(node.name) if isinstance(node, ast.FunctionDef) else None
        parts[id(owner if owner is not None else answer_cells[0])].append(segment)
    for cell in answer_cells:
        cell.source = "\n\n".join(parts[id(cell)])


def fill_reference_answers(notebook: nbformat.NotebookNode, exercise: Exercise) -> None:
    """Give each answer cell the reference's own cell, solution markers dropped, as a student who solved it would."""
    authored = read_authored(exercise.id, REPO_ROOT / "solutions" / exercise.module_file)
    answers = [cell.source for cell in authored.code_cells if cell.is_answer]
    answer_cells = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    for cell, answer in zip(answer_cells, answers, strict=True):
        cell.source = "\n".join(line for line in answer.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION))


def _break(student: SimulatedStudent, exercise: Exercise, path: Path, notebook: nbformat.NotebookNode) -> bool:
    """fay's notebooks, each broken in its own way; False when the notebook is not handed in."""
    if student.student_id != "fay":
        return True
    cells = notebook.cells
    if exercise.id == "learning_rate":
        return False
    if exercise.id == "huber":
        text = json.dumps(nbformat.from_dict(notebook))
        path.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated mid-way
        return True
    if exercise.id == "reshape":
        first_answer = next(index for index, cell in enumerate(cells) if cell.metadata.get("nbgrader", {}).get("solution"))
        cells.insert(first_answer + 1, nbformat.from_dict(json.loads(json.dumps(cells[first_answer]))))
        cells[first_answer + 1]["id"] = cells[first_answer]["id"] + "-copy"
    elif exercise.id == "zero_init":
        grade_cells = [cell for cell in cells if cell.metadata.get("nbgrader", {}).get("grade")]
        cells.remove(grade_cells[-1])
    elif exercise.id == "bias_update":
        answer = next(cell for cell in cells if cell.metadata.get("nbgrader", {}).get("solution"))
        answer.cell_type = "markdown"
        answer.pop("outputs", None)
        answer.pop("execution_count", None)
    elif exercise.id == "second_derivatives":
        for cell in cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cell.metadata["nbgrader"]["points"] = 100
    nbformat.write(notebook, path)
    return True


def write_class(course_dir: Path, course: Course, students: list[SimulatedStudent],
                exercises: list[Exercise] | None = None, assignment: str | None = None) -> None:
    """Write every student's submission of an assignment (default: the core one; a translated release such as
    linreg_zh too) under submitted/<student>/<assignment>/, as nbgrader collects them."""
    assignment = assignment or course.assignment
    release = course_dir / "release" / assignment
    for student in students:
        folder = course_dir / "submitted" / student.student_id / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "timestamp.txt").write_text(TIMESTAMP, encoding="utf-8")
        for exercise in exercises or exercises_of(course, assignment):
            notebook = nbformat.read(release / f"{exercise.folder}.ipynb", as_version=4)
            source = student.answer(exercise)
            if source is not None:
                fill_answers(notebook, source)
            path = folder / f"{exercise.folder}.ipynb"
            nbformat.write(notebook, path)
            if not _break(student, exercise, path, notebook):
                path.unlink()
