"""Stock nbgrader's way of grading, kept only as the baseline the sandboxed pipeline is measured against.

A grade cell's hidden region calls `grade_in_kernel`: the check runs inside the student's own
kernel, next to (and at the mercy of) the student's code. The course's nbgrader_config.py never
executes these cells; `benchmarks/nbgrader_throughput.py` does, to compare.
"""

from __future__ import annotations

from typing import Any

from course_checks.notebook import run_on_namespace

from autograder.judge.suite import SUITE


def grade_in_kernel(exercise_id: str, check_id: str, namespace: dict[str, Any]) -> float:
    """Run one check in the student's kernel and return its score, printing its message if it failed."""
    result = run_on_namespace(exercise_id, namespace, public_only=False, only=check_id, suite=SUITE)
    record = next(record for record in result.checks if record.check_id == check_id)
    if record.status != "passed":
        print(record.message)
    return record.score
