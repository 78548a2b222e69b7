"""The checks of an exercise as the build sees them: read from autograder/checks/<id>.py, never imported."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CheckSpec:
    """One `@check(...)`-decorated test function."""

    function: str
    name: str
    points: float
    public: bool


def read_checks(path: Path) -> list[CheckSpec]:
    """The checks of a check module, in the order they are declared."""
    specs = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "check":
                keywords = {keyword.arg: ast.literal_eval(keyword.value) for keyword in decorator.keywords}
                specs.append(CheckSpec(function=node.name, name=ast.literal_eval(decorator.args[0]),
                                       points=float(keywords["points"]), public=bool(keywords.get("public", False))))
    return specs
