"""Visible checks inside a student's notebook: the public checks, run on the notebook's functions."""

from __future__ import annotations

import contextlib
import types
from collections.abc import Iterator
from typing import Any

from autograder.harness.records import ExerciseResult
from autograder.harness.student import InProcessStudent, Student
from autograder.judge.runner import Job, run_checks
from autograder.manifest import load_course


class _NotebookStudent(InProcessStudent):
    """The functions defined in the notebook, as if they were the student's module."""

    def __init__(self, exercise_id: str, module: types.ModuleType) -> None:
        super().__init__(exercise_id, path=None)  # type: ignore[arg-type]
        self._module = module


class _NotebookFactory:
    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    @contextlib.contextmanager
    def open(self, job: Job) -> Iterator[Student]:
        yield _NotebookStudent(job.exercise_id, self.module)


def run_visible_checks(exercise_id: str, namespace: dict[str, Any]) -> ExerciseResult:
    """Run the exercise's public checks on the notebook's functions and print one line per check."""
    module = types.ModuleType(exercise_id)
    module.__dict__.update({name: value for name, value in namespace.items() if not name.startswith("_")})
    job = Job(job_id="notebook", exercise_id=exercise_id, module_path=None, seed=_fresh_seed())
    result = run_checks([job], _NotebookFactory(module), load_course(), public_only=True)["notebook"]
    for check in result.checks:
        mark = "✓" if check.status == "passed" else "✗"
        print(f"{mark} {check.name}")
        if check.status != "passed":
            print("    " + check.message.replace("\n", "\n    "))
    passed = sum(check.status == "passed" for check in result.checks)
    print(f"{passed} of {len(result.checks)} visible checks passed")
    return result


def _fresh_seed() -> int:
    import os

    return int.from_bytes(os.urandom(4), "little")
