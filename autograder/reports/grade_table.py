"""`course grade` without --json: a table per run, and every failing check's message for one submission."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.grading.engine import GradingRun
from course_checks.harness.records import ExerciseResult
from course_checks.harness.report import repeating, repeat_note
from course_checks.i18n import _
from course_checks.words import status_text
from autograder.reports.console import report_console

STATUS_STYLE = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "missing": "dim"}


def print_grade_report(run: GradingRun, console: Console | None = None) -> None:
    """A summary row per submission; for a single submission, each check with its message."""
    console = console or report_console()
    exercise_ids = list(dict.fromkeys(exercise.exercise_id for submission in run.submissions
                                      for exercise in submission.exercises))
    table = Table(title="course grade", title_justify="left")
    table.add_column(_("submission"), overflow="fold")
    table.add_column(_("score"), justify="right")
    for exercise_id in exercise_ids:
        table.add_column(exercise_id, justify="center")
    for submission in run.submissions:
        by_id = {exercise.exercise_id: exercise for exercise in submission.exercises}
        cells = []
        for exercise_id in exercise_ids:
            exercise = by_id.get(exercise_id)
            cells.append("" if exercise is None else
                         f"[{STATUS_STYLE[exercise.status]}]{exercise.score:g}/{exercise.max_score:g} "
                         f"{escape(status_text(exercise.status))}[/]")
        score = f"[red]{escape(status_text('error'))}[/]" if submission.error else f"{submission.score:g}/{submission.max_score:g}"
        table.add_row(submission.path, score, *cells)
    console.print(table)  # a PATH that could not be graded at all is named on stderr by the command
    if len(run.submissions) == 1:
        for exercise in run.submissions[0].exercises:
            _print_exercise_details(exercise, console)


def _print_exercise_details(exercise: ExerciseResult, console: Console) -> None:
    """Each check with its message, each distinct mistake's once; a message every check shares (an absent
    module) is shown once for the whole exercise."""
    messages = {check.message for check in exercise.checks}
    if exercise.status in ("missing", "error") and len(messages) == 1:
        console.print(escape(_("✗ {exercise}: {status}, every check: {points:g} points lost").format(
            exercise=exercise.exercise_id, status=status_text(exercise.status), points=exercise.max_score)), style="red")
        console.print("    " + messages.pop().replace("\n", "\n    "), highlight=False, markup=False)
        return
    repeats = repeating(exercise)
    for check in exercise.checks:
        mark = "[green]✓[/]" if check.status == "passed" else f"[red]✗ {escape(status_text(check.status))}[/]"
        console.print(f"{mark} {exercise.exercise_id}: {escape(check.name)} ({check.score:g}/{check.max_score:g})")
        if check.check_id in repeats:  # each distinct mistake's message once
            console.print("    " + repeat_note(check), highlight=False, markup=False)
        elif check.status != "passed":
            console.print("    " + check.message.replace("\n", "\n    "), highlight=False, markup=False)
