"""What each student function must do, read from the reference solution's docstrings (judge side)."""

from __future__ import annotations

import ast
from functools import cache

from autograder.manifest import REPO_ROOT


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
