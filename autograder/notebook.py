"""Checks inside a notebook: `check("huber")` runs the visible checks on the notebook's own functions.

This module is also the entry point of the `course_checks` package shipped with the release
(`course build` copies it there), so it needs nothing but torch and pytest.
"""

from __future__ import annotations

import contextlib
import html
import inspect
import os
import types
from collections.abc import Iterator
from typing import Any

from autograder.harness.records import CheckRecord, ExerciseResult
from autograder.harness.student import InProcessStudent, Student
from autograder.judge.runner import Job, run_checks

MESSAGE_PARTS = ("called:", "got:", "expected:", "try:")


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


def _module_from(exercise_id: str, namespace: dict[str, Any]) -> types.ModuleType:
    module = types.ModuleType(exercise_id)
    module.__dict__.update({name: value for name, value in namespace.items() if not name.startswith("_")})
    return module


def run_on_namespace(exercise_id: str, namespace: dict[str, Any], public_only: bool,
                     only: str | None = None) -> ExerciseResult:
    """Run the exercise's checks in this process on the functions defined in `namespace`."""
    job = Job(job_id="notebook", exercise_id=exercise_id, module_path=None,
              seed=int.from_bytes(os.urandom(4), "little"))
    factory = _NotebookFactory(_module_from(exercise_id, namespace))
    return run_checks([job], factory, public_only=public_only, only=only)["notebook"]


def split_message(message: str) -> tuple[str, str]:
    """(what happened: called/got/expected, what to try) from a four-part message."""
    what, hint = [], ""
    for line in message.splitlines():
        if line.startswith("try:"):
            hint = line.removeprefix("try:").strip()
        elif line.strip():
            what.append(line.strip())
    return "\n".join(what), hint


def _html(result: ExerciseResult, total_line: str) -> str:
    rows = []
    for record in result.checks:
        passed = record.status == "passed"
        what, hint = split_message(record.message) if not passed else ("", "")
        mark = "&#10004; passed" if passed else f"&#10008; {html.escape(record.status)}"
        colour = "#1a7f37" if passed else "#cf222e"
        rows.append(f"<tr><td style='text-align:left'>{html.escape(record.name)}</td>"
                    f"<td style='color:{colour};white-space:nowrap'>{mark}</td>"
                    f"<td style='text-align:left'><pre style='white-space:pre-wrap;margin:0'>{html.escape(what)}</pre></td>"
                    f"<td style='text-align:left'>{html.escape(hint)}</td></tr>")
    return ("<table class='course-checks'><thead><tr><th>check</th><th>result</th><th>message</th><th>hint</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table><p><b>{html.escape(total_line)}</b></p>")


def _text(result: ExerciseResult, total_line: str) -> str:
    lines = []
    for record in result.checks:
        lines.append(f"{'✓' if record.status == 'passed' else '✗'} {record.name}")
        if record.status != "passed":
            lines.append("    " + record.message.replace("\n", "\n    "))
    return "\n".join(lines + [total_line])


class VisibleChecksFailed(Exception):
    """Raised after the table is shown, only when nbgrader runs the notebook, naming the failing checks."""


class CheckReport:
    """The visible checks' outcome: shown as an HTML table in a notebook, as text elsewhere."""

    def __init__(self, result: ExerciseResult) -> None:
        self.result = result
        passed = sum(record.status == "passed" for record in result.checks)
        self.total_line = f"{passed} of {len(result.checks)} visible checks passed"

    @property
    def records(self) -> list[CheckRecord]:
        """One record per visible check."""
        return self.result.checks

    def _repr_html_(self) -> str:
        return _html(self.result, self.total_line)

    def __repr__(self) -> str:
        return _text(self.result, self.total_line)


def _display(report: CheckReport) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside a kernel there is nothing richer than text
        print(repr(report))
    else:
        display(report)


def check(exercise_id: str, namespace: dict[str, Any] | None = None) -> CheckReport | None:
    """Run the exercise's visible checks on the functions defined in the calling notebook.

    When nbgrader executes the notebook (its Validate button sets NBGRADER_EXECUTION), the table
    is displayed rather than returned, since nbgrader reads a cell's result as its score, and
    failing checks raise VisibleChecksFailed: nbgrader reports a cell as failed only by an error
    in it (the visible-check cell is a 0-point grade cell for that reason).
    """
    if namespace is None:
        caller = inspect.currentframe()
        namespace = caller.f_back.f_globals if caller is not None and caller.f_back is not None else {}
    report = CheckReport(run_on_namespace(exercise_id, namespace, public_only=True))
    if not os.environ.get("NBGRADER_EXECUTION"):
        return report
    _display(report)
    failed = [record.name for record in report.records if record.status != "passed"]
    if failed:
        raise VisibleChecksFailed(f"{report.total_line}; failing: {'; '.join(failed)}")
    return None
