"""The checks catch every catalogued wrong answer with its targeted message, and nothing correct.

This is `course verify` as a test: per exercise, the reference under 20 seeds with 1 and 2 torch
threads, the stub, every wrong answer in tests/catalogue/<id>/wrong/ and every correct
alternative in tests/catalogue/<id>/correct/. The exercises are verified two at a time, in
separate processes (everything runs in-process and is CPU-bound).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from autograder.manifest import load_course
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
