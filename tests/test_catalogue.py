"""The checks catch every catalogued wrong answer with its targeted message, and nothing correct.

This is `course verify` as a test, one exercise at a time: the reference under 20 seeds with 1 and
2 torch threads, the stub, every wrong answer in tests/catalogue/<id>/wrong/ and every correct
alternative in tests/catalogue/<id>/correct/.
"""

from __future__ import annotations

import os

import pytest

from autograder.manifest import load_course
from autograder.verify import MIN_CORRECT, MIN_WRONG, read_entries, verify_exercise

COURSE = load_course()
SEED = int(os.environ.get("COURSE_VERIFY_SEED", int.from_bytes(os.urandom(3), "little")))


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_checks_catch_the_catalogue(exercise_id: str) -> None:
    report = verify_exercise(COURSE, COURSE.exercise(exercise_id), SEED)
    assert not report.problems, f"seed {SEED} (replay: COURSE_VERIFY_SEED={SEED}):\n" + "\n".join(report.problems)


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_catalogue_is_big_enough_and_every_entry_says_what_it_is(exercise_id: str) -> None:
    wrong, correct = read_entries(exercise_id, "wrong"), read_entries(exercise_id, "correct")
    assert len(wrong) >= MIN_WRONG and len(correct) >= MIN_CORRECT
    assert all(entry.expectations for entry in wrong)
    assert all(entry.description != entry.name for entry in wrong + correct)
