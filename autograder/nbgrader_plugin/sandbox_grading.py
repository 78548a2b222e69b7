"""Grading notebooks' modules in the sandbox for nbgrader: what a notebook builds, and results by module.

A notebook is graded as the module it builds (the instructor's cells, the student's answer cells),
so results are kept by the digest of that module's text: one pass can grade a whole class, and
each notebook then finds its result again, or is graded on the spot if sanitizing changed it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

from autograder.grading import engine
from autograder.grading.scratch import scratch_directory
from course_checks.harness.records import ExerciseResult
from autograder.judge.runner import Job
from autograder.manifest import Exercise, load_course


def exercise_for(notebook_id: str) -> Exercise | None:
    """The course's exercise a notebook (by nbgrader's notebook id) is about, if any."""
    return next((exercise for exercise in load_course().exercises if notebook_id in (exercise.folder, exercise.id)), None)


def instructor_notebook(coursedir: CourseDirectory, assignment: str, notebook_id: str) -> Path:
    """The instructor's source notebook, which supplies every cell but the answers."""
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / f"{notebook_id}.ipynb"


def module_digest(exercise_id: str, source: str) -> str:
    """The key of a module's result."""
    return hashlib.sha256(f"{exercise_id}\0{source}".encode()).hexdigest()


class ResultsByModule:
    """Results of modules graded in the sandbox, by `module_digest`, for one autograde run.

    Nothing outlives the run: the next run (formgrader's button included) grades afresh, so a
    check changed in between is always the one that grades.
    """

    def __init__(self, *, trusted: bool = False, scheduler: str | None = None) -> None:
        self.trusted = trusted
        self.scheduler = scheduler
        self._results: dict[str, ExerciseResult] = {}

    def grade(self, sources: dict[str, tuple[Exercise, str]], workers: int = 1) -> None:
        """Grade modules given as text (keyed by their digest), all in one session."""
        with scratch_directory("course-nbgrader-") as scratch:
            jobs = []
            for key, (exercise, source) in sources.items():
                module = Path(scratch) / key / exercise.module_file
                module.parent.mkdir()
                module.write_text(source, encoding="utf-8")
                jobs.append(Job(job_id=key, exercise_id=exercise.id, module_path=module,
                                seed=int.from_bytes(os.urandom(4), "little")))
            if not jobs:
                return
            # The engine raises IsolationMissing when it cannot confine submitted code; trusted=True
            # (an instructor's own code) lets it run anyway.
            self._results |= engine.grade_jobs(jobs, workers=workers, trusted=self.trusted,
                                               scheduler=self.scheduler)

    def result(self, exercise: Exercise, source: str) -> ExerciseResult:
        """The module's result, grading it now if no earlier pass did."""
        key = module_digest(exercise.id, source)
        if key not in self._results:
            self.grade({key: (exercise, source)})
        return self._results[key]
