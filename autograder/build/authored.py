"""Reading an authored exercise (solutions/<id>.py, jupytext percent format) and making its stub."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import jupytext

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
STUB_BODY = ("# YOUR CODE HERE", "raise NotImplementedError")


class AuthoringError(ValueError):
    """An authored exercise file breaks a rule of the format; the message names the file and the rule."""


@dataclass(frozen=True)
class Cell:
    """One cell of the authored file."""

    kind: str  # "markdown" or "code"
    source: str

    @property
    def is_answer(self) -> bool:
        """A code cell holding at least one solution region."""
        return self.kind == "code" and BEGIN_SOLUTION in self.source

    @property
    def function_names(self) -> list[str]:
        """Top-level functions defined in a code cell, in order."""
        return [node.name for node in ast.parse(self.source).body if isinstance(node, ast.FunctionDef)]


@dataclass(frozen=True)
class AuthoredExercise:
    """The cells of solutions/<id>.py."""

    exercise_id: str
    path: Path
    cells: tuple[Cell, ...]

    @property
    def markdown(self) -> str:
        """All instructions, in order."""
        return "\n\n".join(cell.source for cell in self.cells if cell.kind == "markdown")

    @property
    def code_cells(self) -> list[Cell]:
        """The code cells, in order."""
        return [cell for cell in self.cells if cell.kind == "code"]


def strip_solutions(source: str, where: str = "") -> str:
    """Replace every solution region by the stub body, at the indentation of its BEGIN marker."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN_SOLUTION:
            if inside:
                raise AuthoringError(f"{where}: line {number}: nested {BEGIN_SOLUTION}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + stub_line for stub_line in STUB_BODY)
        elif stripped == END_SOLUTION:
            if not inside:
                raise AuthoringError(f"{where}: line {number}: {END_SOLUTION} without {BEGIN_SOLUTION}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise AuthoringError(f"{where}: {BEGIN_SOLUTION} is never closed")
    return "\n".join(out)


def solution_lines(authored: AuthoredExercise) -> list[str]:
    """Every line inside a solution region of the exercise: what the learner is meant to write."""
    lines = []
    for cell in authored.code_cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip() in (BEGIN_SOLUTION, END_SOLUTION):
                inside = line.strip() == BEGIN_SOLUTION
            elif inside:
                lines.append(line)
    return lines


def read_authored(exercise_id: str, path: Path) -> AuthoredExercise:
    """Parse solutions/<id>.py into cells and check the format's rules."""
    try:
        notebook = jupytext.reads(path.read_text(encoding="utf-8"), fmt="py:percent")
    except OSError as exc:
        raise AuthoringError(f"{path.name}: cannot read: {exc.strerror}") from None
    cells = tuple(Cell(kind=cell.cell_type, source=cell.source.strip("\n")) for cell in notebook.cells
                  if cell.source.strip())
    authored = AuthoredExercise(exercise_id=exercise_id, path=path, cells=cells)
    if not any(cell.kind == "markdown" for cell in cells):
        raise AuthoringError(f"{path.name}: needs a markdown cell with the instructions")
    for cell in authored.code_cells:
        try:
            strip_solutions(cell.source, path.name)
            names = cell.function_names
        except SyntaxError as exc:
            raise AuthoringError(f"{path.name}: syntax error on line {exc.lineno} of a cell: {exc.msg}") from None
        if cell.is_answer and not names:
            raise AuthoringError(f"{path.name}: an answer cell must define a function")
    if not any(cell.is_answer for cell in authored.code_cells):
        raise AuthoringError(f"{path.name}: no {BEGIN_SOLUTION} region: nothing for the student to do")
    return authored


def title_of(markdown: str) -> str:
    """The first markdown heading."""
    match = re.search(r"^#\s+(.+)$", markdown, flags=re.MULTILINE)
    return match.group(1).strip() if match else ""
