"""The grading engine's checks: every check of the course, and what is known of each exercise.

`SUITE` is what grading, `course verify`, `pytest exercises` and the nbgrader baseline run: the
check modules in autograder/checks/, with a catalog read from the course's own files (never from a
submission): each check's spec from its module (the one reader, `read_checks`), and what each
student function must do from the first paragraph of its docstring in solutions/<id>.py (parsed,
never imported). The build writes the same catalog into each release.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path

from course_checks.harness.exercise import ExerciseChecks, read_checks
from course_checks.harness.suite import CheckSuite, ExerciseInfo

from autograder.manifest import REPO_ROOT

CHECKS_DIR = Path(__file__).resolve().parent.parent / "checks"
CHECKS_PACKAGE = "autograder.checks"


def exercise_checks(exercise_id: str) -> ExerciseChecks:
    """The checks an exercise's check module declares (importing it); ConventionError if it breaks a rule."""
    return read_checks(importlib.import_module(f"{CHECKS_PACKAGE}.{exercise_id}"))


@cache
def function_summaries(exercise_id: str) -> dict[str, str]:
    """{function name: first paragraph of its docstring} for solutions/<id>.py, parsed, never imported."""
    path = REPO_ROOT / "solutions" / f"{exercise_id}.py"
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    summaries = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            doc = ast.get_docstring(node) or ""
            summaries[node.name] = " ".join(doc.split("\n\n")[0].split())
    return summaries


class CourseCatalog:
    """What the course's own files say about an exercise."""

    @staticmethod
    @cache
    def info(exercise_id: str) -> ExerciseInfo:
        """The exercise's checks and function summaries."""
        if not (CHECKS_DIR / f"{exercise_id}.py").is_file():
            raise KeyError(f"no check module autograder/checks/{exercise_id}.py")
        return ExerciseInfo(exercise_id, exercise_checks(exercise_id).checks, function_summaries(exercise_id))


SUITE = CheckSuite(CHECKS_DIR, CourseCatalog())
