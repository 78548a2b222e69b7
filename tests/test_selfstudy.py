"""The self-learner's path: `pytest exercises` on stubs, on one finished exercise, on all of them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.manifest import REPO_ROOT, load_course

COURSE = load_course()


@pytest.fixture
def exercises_copy(tmp_path: Path) -> Path:
    """A learner's copy of exercises/ with untouched stubs."""
    shutil.copytree(REPO_ROOT / "exercises", tmp_path / "exercises")
    return tmp_path / "exercises"


def run_pytest_exercises(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider"],
                          cwd=folder.parent, capture_output=True, text=True, timeout=300)


def test_untouched_stubs_fail_every_exercise_saying_what_to_implement(exercises_copy: Path) -> None:
    result = run_pytest_exercises(exercises_copy)
    assert result.returncode == 1, result.stdout[-3000:]
    assert " passed" not in result.stdout.splitlines()[-1]
    for exercise in COURSE.exercises:
        assert f"{exercise.id} " in result.stdout
    assert result.stdout.count("is not implemented yet") >= len(COURSE.exercises)
    assert "expected: " in result.stdout and "try:      Replace `raise NotImplementedError`" in result.stdout
    assert "0 of 6 exercises complete" in result.stdout


def test_one_finished_exercise_passes_while_the_others_still_fail(exercises_copy: Path) -> None:
    huber = COURSE.exercise("huber")
    shutil.copy(REPO_ROOT / "solutions" / "huber.py", exercises_copy / huber.folder / "huber.py")
    result = run_pytest_exercises(exercises_copy)
    assert result.returncode == 1
    assert "1 of 6 exercises complete" in result.stdout
    progress = result.stdout.split("your progress")[1]
    assert [line.split()[0] for line in progress.splitlines() if line.strip().endswith("done")] == ["huber"]


def test_the_reference_solutions_pass_everything_including_hidden_checks(exercises_copy: Path) -> None:
    for exercise in COURSE.exercises:
        shutil.copy(REPO_ROOT / "solutions" / exercise.module_file, exercises_copy / exercise.folder)
    result = subprocess.run([sys.executable, "-m", "pytest", str(exercises_copy), "--all-checks",
                             "-p", "no:cacheprovider"], cwd=exercises_copy.parent, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "6 of 6 exercises complete" in result.stdout
