"""A self-learner's way through the course: which exercise is next, and what to do now.

`pytest exercises`, `course watch` and `course hint` all decide it here, from the results of the
run at hand and, for exercises it did not run, from what earlier runs recorded (`state`).
"""

from __future__ import annotations

import os
from pathlib import Path

from course_checks.harness.records import ExerciseResult
from course_checks.harness.session import InProcessFactory, Job
from course_checks.harness.state import ExerciseProgress, LearnerState, digest_of

from autograder.judge.runner import run_checks
from autograder.manifest import REPO_ROOT, Course, Exercise
from course_checks.i18n import N_, _

DEFAULT_EXERCISES = REPO_ROOT / "exercises"


def module_path(exercises_dir: Path, exercise: Exercise) -> Path:
    """The learner's file for one exercise."""
    return exercises_dir / exercise.folder / exercise.module_file


def run_exercise(exercises_dir: Path, exercise: Exercise, seed: int | None = None) -> ExerciseResult:
    """Every check of one exercise on the learner's own file, in this process (as `pytest exercises` does)."""
    job = Job(job_id=exercise.id, exercise_id=exercise.id, module_path=module_path(exercises_dir, exercise),
              seed=int.from_bytes(os.urandom(4), "little") if seed is None else seed)
    return run_checks([job], InProcessFactory())[exercise.id]


def shown(path: Path) -> str:
    """A path as the learner would type it: relative to the working directory when it is inside it."""
    try:
        return os.path.relpath(path) if Path.cwd() in path.resolve().parents else str(path)
    except (OSError, ValueError):
        return str(path)


def remember(state: LearnerState, exercise_id: str, result: ExerciseResult, path: Path) -> None:
    """Record a run of an exercise's checks; a run that left checks out proves nothing either way."""
    if result.unrun:
        return
    passed = sum(check.status == "passed" for check in result.checks)
    state.record_progress(exercise_id, ExerciseProgress(result.complete, passed, len(result.checks), digest_of(path)))


def first_unfinished(course: Course, exercises_dir: Path, state: LearnerState,
                     results: dict[str, ExerciseResult]) -> Exercise | None:
    """The first exercise in the course's order that is not complete, by this run or a recorded one."""
    for exercise in course.exercises:
        result = results.get(exercise.id)
        if result is not None and not result.unrun:
            if not result.complete:
                return exercise
        elif not state.is_complete(exercise.id, digest_of(module_path(exercises_dir, exercise))):
            return exercise
    return None


def hint_command(exercise_id: str, exercises_dir: Path) -> str:
    """The `course hint` command for an exercise of this folder."""
    extra = "" if exercises_dir.resolve() == DEFAULT_EXERCISES.resolve() else f" --exercises {shown(exercises_dir)}"
    return f"course hint {exercise_id}{extra}"  # not prose: a command


# What to do next, one whole sentence per case (so that each can be translated as it is).
NEXT = {
    "all_done": N_("next: all {count} exercises are complete. `course grade {folder}` grades them as an instructor's "
                   "grader would."),
    ("run", False): N_("next: exercise {number}, {exercise}, is not complete yet: run `pytest {exercise_folder}`; "
                       "then comes {next_number}, {next_exercise}."),
    ("run", True): N_("next: exercise {number}, {exercise}, is not complete yet: run `pytest {exercise_folder}`; it "
                      "is the last exercise."),
    ("fix", False): N_("next: in {path}, make “{check}” pass (`{hint}` for a nudge); then comes {next_number}, "
                       "{next_exercise}."),
    ("fix", True): N_("next: in {path}, make “{check}” pass (`{hint}` for a nudge); it is the last exercise."),
}


def next_step(course: Course, exercises_dir: Path, state: LearnerState, results: dict[str, ExerciseResult]) -> str:
    """One line: what to do now, and which exercise comes after it. An unfinished exercise of this
    run comes first (the learner is working on it); then the course's first unfinished one."""
    ran = [exercise for exercise in course.exercises if exercise.id in results and not results[exercise.id].unrun]
    current = next((exercise for exercise in ran if not results[exercise.id].complete), None)
    current = current or first_unfinished(course, exercises_dir, state, results)
    if current is None:
        return _(NEXT["all_done"]).format(count=len(course.exercises), folder=shown(exercises_dir))
    number = course.exercises.index(current) + 1
    later = course.exercises[number] if number < len(course.exercises) else None
    result = results.get(current.id)
    failing = result is not None and not result.unrun and bool(result.failures)
    return _(NEXT["fix" if failing else "run", later is None]).format(
        number=number, exercise=current.id, exercise_folder=shown(exercises_dir / current.folder),
        next_number=number + 1, next_exercise=later.id if later is not None else "",
        path=shown(module_path(exercises_dir, current)), check=result.failures[0].name if failing else "",
        hint=hint_command(current.id, exercises_dir))
