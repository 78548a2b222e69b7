"""The judge runs the course's own checks: the runtime's runner bound to the engine's suite.

Grading, `course verify`, `pytest exercises`' helpers and the benchmarks call `run_checks` here;
a notebook in a release runs its visible checks through the runtime itself (`course_checks.check`).
"""

from __future__ import annotations

from course_checks.harness import runner
from course_checks.harness.records import ExerciseResult
from course_checks.harness.runner import GraderFault
from course_checks.harness.session import InProcessFactory, Job, StudentFactory

from autograder.judge.suite import SUITE

__all__ = ["GraderFault", "InProcessFactory", "Job", "StudentFactory", "run_checks"]


def run_checks(jobs: list[Job], factory: StudentFactory, public_only: bool = False,
               only: str | None = None) -> dict[str, ExerciseResult]:
    """Check every job with every check of the course (only the public ones, or only `only`, if asked)."""
    return runner.run_checks(jobs, factory, SUITE, public_only=public_only, only=only)
