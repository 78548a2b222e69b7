"""`course watch`, as Rustlings has: rerun the current exercise's checks on every save.

The current exercise is the first one in the course's order that is not complete. An exercise
recorded as complete (for exactly the file now on disk) is not run again, so a restart picks up
where the learner left off; any change to a file runs its checks again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from course_checks.harness.records import ExerciseResult
from course_checks.harness.report import Line, check_lines
from course_checks.harness.state import LearnerState, digest_of

from autograder.manifest import Course, Exercise
from autograder.selfstudy.progress import module_path, next_step, remember, run_exercise, shown
from course_checks.i18n import _

Runner = Callable[[Path, Exercise], ExerciseResult]


class Watcher:
    """Decides what `course watch` shows, one step at a time (the CLI calls `step` in a loop)."""

    def __init__(self, course: Course, exercises_dir: Path, state: LearnerState, run: Runner = run_exercise) -> None:
        self.course = course
        self.exercises_dir = exercises_dir
        self.state = state
        self.run = run
        self.ran: list[str] = []  # exercise ids whose checks ran, in order (what a step cost)
        self._seen: dict[str, str] = {}

    def _digests(self) -> dict[str, str]:
        return {exercise.id: digest_of(module_path(self.exercises_dir, exercise)) for exercise in self.course.exercises}

    def step(self, force: bool = False) -> list[Line] | None:
        """The screen to show, or None when no file changed since the last step."""
        digests = self._digests()
        if not force and digests == self._seen:
            return None
        self._seen = digests
        results: dict[str, ExerciseResult] = {}
        current: Exercise | None = None
        for exercise in self.course.exercises:
            if self.state.is_complete(exercise.id, digests[exercise.id]):
                continue
            result = self.run(self.exercises_dir, exercise)
            self.ran.append(exercise.id)
            remember(self.state, exercise.id, result, module_path(self.exercises_dir, exercise))
            results[exercise.id] = result
            if not result.complete:
                current = exercise
                break
        return self._screen(current, results)

    def _screen(self, current: Exercise | None, results: dict[str, ExerciseResult]) -> list[Line]:
        total = len(self.course.exercises)
        complete = sum(self.state.is_complete(exercise.id, self._seen[exercise.id]) for exercise in self.course.exercises)
        lines = [Line(_("course watch: {complete} of {total} exercises complete").format(complete=complete,
                                                                                          total=total), "title")]
        if current is not None:
            number = self.course.exercises.index(current) + 1
            path = shown(module_path(self.exercises_dir, current))
            heading = _("exercise {number} of {total}: {exercise}, {title} ({path})").format(
                number=number, total=total, exercise=current.id, title=_(current.title), path=path)
            lines += [Line(heading, "title"), Line("")]
            lines += check_lines(results[current.id])
        lines += [Line(""), Line(next_step(self.course, self.exercises_dir, self.state, results), "title")]
        if self.state.problem:
            lines.append(Line(_("note: {problem}").format(problem=self.state.problem), "note"))
        return lines

    @property
    def all_complete(self) -> bool:
        """Whether every exercise is complete for the files on disk now."""
        digests = self._digests()
        return all(self.state.is_complete(exercise.id, digests[exercise.id]) for exercise in self.course.exercises)
