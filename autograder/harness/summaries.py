"""What each student function must do, and which checks each exercise has (judge side).

Both are read from the course's files (parsed, never imported): the first paragraph of each
reference docstring in solutions/<id>.py, and the `@check(...)` declarations in
autograder/checks/<id>.py. The release carries the same facts as a generated module.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from autograder.build.checks_index import CheckSpec, read_checks
from autograder.manifest import REPO_ROOT

CHECKS_DIR = Path(__file__).resolve().parent.parent / "checks"

__all__ = ["CheckSpec", "check_specs", "function_summaries"]


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


@cache
def check_specs(exercise_id: str) -> list[CheckSpec]:
    """The exercise's checks (name, points, public or hidden), in the order they are declared."""
    return read_checks(CHECKS_DIR / f"{exercise_id}.py")
