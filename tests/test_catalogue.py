"""The checks catch every catalogued wrong answer with its targeted message, and nothing correct.

This is `course verify` as a test: per exercise, the reference under 20 seeds with 1 and 2 torch
threads, the stub, every wrong answer in tests/catalogue/<id>/wrong/ and every correct
alternative in tests/catalogue/<id>/correct/. The exercises are verified two at a time, in
separate processes (everything runs in-process and is CPU-bound).

The same results measure the course as a learner meets it (issue 9): each wrong answer is run
exactly as `pytest exercises` runs a learner's module in place of the stub (the same check session,
in-process, every check), so the learner's run never calls the exercise complete, and its first
message gives away no line of the reference solution.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from autograder.build.authored import read_authored, solution_lines
from autograder.manifest import REPO_ROOT, load_course
from autograder.verify import MIN_CORRECT, MIN_WRONG, ExerciseReport, read_entries, verify_exercise

COURSE = load_course()
SEED = int(os.environ.get("COURSE_VERIFY_SEED", int.from_bytes(os.urandom(3), "little")))


def _verify(exercise_id: str, seed: int) -> ExerciseReport:
    course = load_course()
    return verify_exercise(course, course.exercise(exercise_id), seed)


@pytest.fixture(scope="module")
def reports() -> dict[str, ExerciseReport]:
    """Every exercise's verify report (the slowest exercise first, so the two processes finish together)."""
    order = sorted((exercise.id for exercise in COURSE.exercises), key=lambda name: name != "learning_rate")
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        return dict(zip(order, pool.map(_verify, order, [SEED] * len(order))))


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_checks_catch_the_catalogue(reports: dict[str, ExerciseReport], exercise_id: str) -> None:
    problems = reports[exercise_id].problems
    assert not problems, f"seed {SEED} (replay: COURSE_VERIFY_SEED={SEED}):\n" + "\n".join(problems)


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_catalogue_is_big_enough_and_every_entry_says_what_it_is(exercise_id: str) -> None:
    wrong, correct = read_entries(exercise_id, "wrong"), read_entries(exercise_id, "correct")
    assert len(wrong) >= MIN_WRONG and len(correct) >= MIN_CORRECT
    assert all(entry.expectations for entry in wrong)
    assert all(entry.description != entry.name for entry in wrong + correct)


def _normalized(text: str) -> str:
    return " ".join(text.replace("`", "").lower().split())


def _code_lines(source: str) -> set[str]:
    return {_normalized(line) for line in source.splitlines()
            if len(line.strip()) >= 8 and not line.strip().startswith(("#", '"""'))}


def _reference_lines(exercise_id: str) -> set[str]:
    """The lines inside the reference's solution regions (what a learner is meant to write)."""
    authored = read_authored(exercise_id, REPO_ROOT / "solutions" / f"{exercise_id}.py")
    return _code_lines("\n".join(solution_lines(authored)))


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_as_a_learner_no_wrong_answer_is_complete_and_its_first_message_gives_nothing_away(
        reports: dict[str, ExerciseReport], exercise_id: str) -> None:
    report = reports[exercise_id]
    reference = _reference_lines(exercise_id)
    assert report.wrong
    for name, result in report.wrong.items():
        assert not result.complete, f"{name} is called complete"
        first = result.failures[0].message
        # Quoting the learner's own line back (where an error was raised) gives nothing away.
        own = _code_lines(Path(report.entries[name].path).read_text(encoding="utf-8"))
        leaked = [line for line in reference - own if line in _normalized(first)]
        assert not leaked, f"{name}: the first message shows reference lines {leaked}:\n{first}"
