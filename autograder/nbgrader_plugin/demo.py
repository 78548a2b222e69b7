"""`course demo`: the whole instructor workflow on a simulated class, with nbgrader's own commands."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.manifest import Course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.simulated_class import SimulatedStudent, simulated_class, write_class


@dataclass
class DemoResult:
    """Where everything is, and each student's score per notebook (None: no graded submission)."""

    course_dir: Path
    students: list[SimulatedStudent]
    scores: dict[str, dict[str, float | None]] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def feedback_dir(self) -> Path:
        """feedback/<student>/<assignment>/<notebook>.html."""
        return self.course_dir / "feedback"

    @property
    def grades_csv(self) -> Path:
        """nbgrader export's CSV."""
        return self.course_dir / "grades.csv"


def _read_scores(result: DemoResult, course: Course, db_url: str) -> None:
    with Gradebook(db_url, course_id=course.course_id) as gradebook:
        for student in result.students:
            per_notebook: dict[str, float | None] = {}
            for exercise in course.exercises_in(course.assignment):  # the demo releases the core assignment
                try:
                    notebook = gradebook.find_submission_notebook(exercise.folder, course.assignment, student.student_id)
                    per_notebook[exercise.folder] = notebook.score
                    result.max_scores[exercise.folder] = notebook.max_score
                except MissingEntry:
                    per_notebook[exercise.folder] = None
            result.scores[student.student_id] = per_notebook


def run_demo(course: Course, course_dir: Path, db_url: str | None,
             on_step: Callable[[str], None] = lambda step: None) -> DemoResult:
    """init, generate_assignment, a simulated class, autograde, generate_feedback, export."""
    result = DemoResult(course_dir=course_dir, students=simulated_class())
    db = db_url or f"sqlite:///{(course_dir / 'gradebook.db').resolve()}"

    def step(name: str, action: Callable[[], object]) -> None:
        on_step(name)
        started = time.perf_counter()
        action()
        result.timings[name] = time.perf_counter() - started

    step("making the course directory", lambda: init_course_directory(course_dir, course, db))
    step("releasing the assignment (nbgrader generate_assignment)",
         lambda: nbgrader(course_dir, "generate_assignment", course.assignment, "--force"))
    step("writing the simulated class's submissions", lambda: write_class(course_dir, course, result.students))
    # Broken notebooks cost only their own points; autograde exits 1 only when it could not grade
    # at all (e.g. the sandbox cannot confine submitted code here), and the demo stops saying why.
    step("autograding in the sandbox (nbgrader autograde)",
         lambda: nbgrader(course_dir, "autograde", course.assignment, "--force"))
    step("writing feedback (nbgrader generate_feedback)",
         lambda: nbgrader(course_dir, "generate_feedback", course.assignment, "--force", check=False))
    step("exporting grades (nbgrader export)", lambda: nbgrader(course_dir, "export"))
    _read_scores(result, course, db)
    return result
