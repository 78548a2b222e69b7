"""Checks inside a notebook: `check("huber")` runs the visible checks on the notebook's own functions,
and `hint("huber")` climbs the hint ladder of the first failing one.

In a released assignment the checks are the release's `visible_checks` (see `suite.bundled_suite`),
and they speak the release's language (a zh release's table is in Chinese whatever the server's
locale); the grading engine passes its own suite (every check) for notebooks it grades in a kernel.
Like the whole package, this needs nothing but torch and pytest.
"""

from __future__ import annotations

import html
import inspect
import os
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

from course_checks import i18n
from course_checks.harness.ladder import HintStep, next_hint
from course_checks.harness.records import CheckRecord, ExerciseResult
from course_checks.harness.report import message_lines, repeat_note, repeating
from course_checks.harness.runner import run_checks
from course_checks.harness.session import InProcessFactory, Job
from course_checks.harness.state import LearnerState
from course_checks.harness.suite import CheckSuite, ExerciseInfo, bundled_suite

JOB_ID = "notebook"
WIDTH = 78  # of the text nbgrader's Validate dialog shows
CELL_STYLE = "text-align:left;vertical-align:top;word-break:normal;overflow-wrap:break-word;white-space:normal"
MESSAGE_STYLE = "white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;font-family:var(--jp-code-font-family,monospace)"


def _module_from(exercise_id: str, namespace: dict[str, Any]) -> types.ModuleType:
    # The module takes the namespace's own name, so the notebook's functions count as its own
    # (that is how an error is traced back to the student's cell).
    module = types.ModuleType(str(namespace.get("__name__", exercise_id)))
    module.__dict__.update({name: value for name, value in namespace.items() if not name.startswith("_")})
    return module


def run_on_namespace(exercise_id: str, namespace: dict[str, Any], public_only: bool, only: str | None = None,
                     suite: CheckSuite | None = None) -> ExerciseResult:
    """Run the exercise's checks (of `suite`, by default the release's) in this process on the
    functions defined in `namespace`."""
    job = Job(job_id=JOB_ID, exercise_id=exercise_id, module_path=Path(f"{exercise_id} (notebook)"),
              seed=int.from_bytes(os.urandom(4), "little"))
    factory = InProcessFactory(modules={JOB_ID: _module_from(exercise_id, namespace)})
    return run_checks([job], factory, suite or bundled_suite(), public_only=public_only, only=only)[JOB_ID]


def _still_to_come(info: ExerciseInfo) -> str:
    """What grading adds to the visible checks, as one whole sentence per case (for translators)."""
    hidden = info.hidden
    points = sum(spec.points for spec in hidden)
    if not hidden:
        return "At grading, the same checks run again on fresh random inputs."
    sentences = {
        (True, True): "At grading, 1 hidden check worth 1 point runs as well, on fresh random inputs.",
        (True, False): "At grading, 1 hidden check worth {points} points runs as well, on fresh random inputs.",
        (False, True): "At grading, {count} hidden checks worth 1 point run as well, on fresh random inputs.",
        (False, False): "At grading, {count} hidden checks worth {points} points run as well, on fresh random inputs.",
    }
    return sentences[len(hidden) == 1, points == 1].format(count=len(hidden), points=f"{points:g}")


def _cell(text: str, style: str = "") -> str:
    return f"<td style='{CELL_STYLE};{style}'>{text}</td>"


def _html(report: CheckReport) -> str:
    repeats = repeating(report.result)
    rows = []
    for record in report.records:
        passed = record.status == "passed"
        mark = "&#10004;&nbsp;passed" if passed else f"&#10008;&nbsp;{html.escape(record.status)}"
        colour = "#1a7f37" if passed else "#cf222e"
        what, advice = "", ""
        if record.check_id in repeats:
            what = html.escape(repeat_note(record))
        elif not passed and record.feedback is not None:
            parts = record.feedback.lines()
            what = "<br>".join(f"<b>{html.escape(label)}</b> <span style='{MESSAGE_STYLE}'>{html.escape(text)}</span>"
                               for label, text in parts[:3])
            advice = html.escape(parts[3][1])
        elif not passed:
            what = f"<span style='{MESSAGE_STYLE}'>{html.escape(record.message)}</span>"
        rows.append("<tr>" + _cell(html.escape(record.name)) + _cell(mark, f"color:{colour};white-space:nowrap")
                    + _cell(what) + _cell(advice) + "</tr>")
    head = "".join(f"<th style='{CELL_STYLE};width:{width}'>{name}</th>"
                   for name, width in (("check", "24%"), ("result", "8%"), ("what happened", "42%"),
                                       ("what to try", "26%")))
    footer = [report.total_line, report.still_to_come]
    if report.failing:
        footer.append(f'For a further hint, run hint("{report.result.exercise_id}") in a cell.')
    return (f"<table class='course-checks' style='table-layout:fixed;width:100%'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            + "".join(f"<p style='margin:0.3em 0'>{'<b>' if n == 0 else ''}{html.escape(line)}{'</b>' if n == 0 else ''}</p>"
                      for n, line in enumerate(footer)))


def _text(report: CheckReport) -> str:
    repeats = repeating(report.result)
    lines = []
    for record in report.records:
        lines.append(f"{'✓' if record.status == 'passed' else '✗'} {record.name}")
        if record.check_id in repeats:
            lines.append("    " + repeat_note(record))
        elif record.status != "passed":
            lines += ["    " + text for text in message_lines(record)]
    return "\n".join(lines + [report.total_line, report.still_to_come])


class CheckReport:
    """The visible checks' outcome: shown as an HTML table in a notebook, as text elsewhere, in `language`."""

    def __init__(self, result: ExerciseResult, info: ExerciseInfo, language: str = i18n.SOURCE_LANGUAGE) -> None:
        self.result = result
        self.language = language
        with i18n.use(language):
            passed = sum(record.status == "passed" for record in result.checks)
            self.total_line = f"{passed} of {len(result.checks)} visible checks passed"
            self.still_to_come = _still_to_come(info)

    @property
    def records(self) -> list[CheckRecord]:
        """One record per visible check."""
        return self.result.checks

    @property
    def failing(self) -> list[CheckRecord]:
        """The visible checks that do not pass."""
        return self.result.failures

    def validation_message(self) -> str:
        """What nbgrader's Validate dialog shows: the failing checks by name, and what grading adds."""
        with i18n.use(self.language):
            return self._validation_message()

    def _validation_message(self) -> str:
        lines = [f"{self.total_line}; still failing:"]
        for record in self.failing:
            lines += textwrap.wrap(f"✗ {record.name}", WIDTH, initial_indent="  ", subsequent_indent="    ")
        lines += textwrap.wrap("Run the notebook's check cell to see, for each one, what was called, what came back "
                               "and what to try.", WIDTH)
        lines += textwrap.wrap(self.still_to_come, WIDTH)
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        with i18n.use(self.language):
            return _html(self)

    def __repr__(self) -> str:
        with i18n.use(self.language):
            return _text(self)


def _display(report: Any) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside a kernel there is nothing richer than text
        print(repr(report))
    else:
        display(report)


def _caller_namespace(namespace: dict[str, Any] | None) -> dict[str, Any]:
    if namespace is not None:
        return namespace
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame is not None and frame.f_back is not None else None
    return caller.f_globals if caller is not None else {}


def check(exercise_id: str, namespace: dict[str, Any] | None = None,
          suite: CheckSuite | None = None) -> CheckReport | None:
    """Run the exercise's visible checks on the functions defined in the calling notebook.

    When nbgrader executes the notebook (its Validate button sets NBGRADER_EXECUTION), the table
    is displayed rather than returned, since nbgrader reads a cell's result as its score, and the
    failing checks are named on stderr: nbgrader's Validate reports a 0-point grade cell as failed
    when it writes there, and shows what it wrote, without a traceback.
    """
    suite = suite or bundled_suite()
    language = suite.language or i18n.current()
    with i18n.use(language):
        result = run_on_namespace(exercise_id, _caller_namespace(namespace), public_only=True, suite=suite)
    report = CheckReport(result, suite.catalog.info(exercise_id), language)
    if not os.environ.get("NBGRADER_EXECUTION"):
        return report
    _display(report)
    if report.failing:
        sys.stderr.write(report.validation_message())
    return None


class HintReport:
    """One more level of a failing visible check's hint, as HTML in a notebook and as text elsewhere, in `language`."""

    def __init__(self, step: HintStep, language: str = i18n.SOURCE_LANGUAGE) -> None:
        self.step = step
        self.language = language

    def _repr_html_(self) -> str:
        with i18n.use(self.language):
            return "".join(f"<div style='{MESSAGE_STYLE}'>{html.escape(line.text)}</div>" for line in self.step.lines())

    def __repr__(self) -> str:
        with i18n.use(self.language):
            return "\n".join(line.text for line in self.step.lines())


def hint(exercise_id: str, check: str | None = None, namespace: dict[str, Any] | None = None,
         suite: CheckSuite | None = None) -> HintReport:
    """Show the next level of the hint of a failing visible check (default: the first one)."""
    suite = suite or bundled_suite()
    language = suite.language or i18n.current()
    with i18n.use(language):
        result = run_on_namespace(exercise_id, _caller_namespace(namespace), public_only=True, suite=suite)
        return HintReport(next_hint(result, LearnerState(Path.cwd()), check), language)
