"""Grading notebooks' modules in the sandbox for nbgrader: what a notebook builds, and results by module.

A notebook is graded as the module it builds (the instructor's cells, the student's answer cells),
so results are kept by the digest of that module's text and the language of its messages: one run's
judges grade the whole class (`judges.Judges`), and each notebook then finds its result again, or
is graded on its own if sanitizing changed it. The language is the release's, as the instructor's
source notebook says (`metadata.course.language`, written by `course build`): a zh assignment's
feedback comes in Chinese, whatever the grading machine's locale. Nothing here imports torch or
pytest: the grading happens in judge processes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

from course_checks.i18n import SOURCE_LANGUAGE, normalise

from autograder.manifest import Course, Exercise, load_course
from autograder.nbgrader_plugin.judges import Judges, JudgeFailed, Module, Record


def exercise_for(notebook_id: str, course: Course | None = None) -> Exercise | None:
    """The course's exercise a notebook (by nbgrader's notebook id) is about, if any."""
    exercises = (course or load_course()).exercises
    return next((exercise for exercise in exercises if notebook_id in (exercise.folder, exercise.id)), None)


def instructor_notebook(coursedir: CourseDirectory, assignment: str, notebook_id: str) -> Path:
    """The instructor's source notebook, which supplies every cell but the answers."""
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / f"{notebook_id}.ipynb"


def notebook_language(path: Path) -> str:
    """The language of a release, from its source notebook (the instructor's; English if it names none we know)."""
    try:
        named = json.loads(path.read_text(encoding="utf-8"))["metadata"]["course"]["language"]
    except (OSError, ValueError, KeyError, TypeError):
        return SOURCE_LANGUAGE
    return (normalise(named) if isinstance(named, str) else None) or SOURCE_LANGUAGE


def release_language(coursedir: CourseDirectory, assignment: str, notebook_id: str) -> str:
    """The language of an assignment's notebook, from the instructor's source notebook."""
    return notebook_language(instructor_notebook(coursedir, assignment, notebook_id))


def module_digest(exercise_id: str, source: str, language: str = SOURCE_LANGUAGE) -> str:
    """The key of a module's result (its messages in `language`)."""
    return hashlib.sha256(f"{exercise_id}\0{language}\0{source}".encode()).hexdigest()


def module(exercise: Exercise, source: str, language: str = SOURCE_LANGUAGE) -> Module:
    """What a judge grades for this exercise's module text, its messages in `language`."""
    return Module(module_digest(exercise.id, source, language), exercise.id, exercise.module_file, source, language)


class ResultsByModule:
    """Results of modules graded in the sandbox, by `module_digest`, for one autograde run.

    Nothing outlives the run: its judge processes stop when it ends, and the next run (formgrader's
    button included) starts new ones, so a check changed in between is always the one that grades.
    """

    def __init__(self, *, trusted: bool = False, scheduler: str | None = None,
                 log: logging.Logger | logging.LoggerAdapter[logging.Logger] | None = None) -> None:
        self.trusted = trusted
        self.scheduler = scheduler
        self.log = log or logging.getLogger(__name__)
        self._judges: Judges | None = None

    def start(self, chunks: list[list[Module]], workers: int) -> Exception | None:
        """Start grading these chunks in the background, in order; wait for the first chunk's answer.

        Returns that answer's error (IsolationMissing: this machine cannot confine submitted code)."""
        self._judges = Judges(chunks, workers=workers, trusted=self.trusted, scheduler=self.scheduler,
                              on_fault=self._fault)
        return self._judges.first_answer()

    def _fault(self, problem: str) -> None:
        self.log.error("The sandbox could not grade a group of notebooks (%s); grading each of them on its own",
                       problem)

    def result(self, exercise: Exercise, source: str, language: str = SOURCE_LANGUAGE) -> Record:
        """The module's record (see `judges.Record`), its messages in `language`, waiting for the run's judges,
        or grading it now if they were not asked to (or failed to). Raises IsolationMissing where the sandbox
        cannot confine."""
        graded = module(exercise, source, language)
        if self._judges is not None and self._judges.planned(graded.key):
            try:
                return self._judges.result(graded.key)
            except JudgeFailed:
                pass  # graded again, on its own
        return Judges([[graded]], trusted=self.trusted, scheduler=self.scheduler).result(graded.key)
