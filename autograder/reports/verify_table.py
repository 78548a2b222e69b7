"""The catch matrix of `course verify`: which check catches which wrong answer, with which hint."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from autograder.reports.console import report_console
from autograder.verify import ExerciseReport


def print_verify_report(reports: list[ExerciseReport], seed: int, console: Console | None = None) -> int:
    """Print one matrix per exercise and every problem; return the number of problems."""
    console = console or report_console()
    total_problems = 0
    for report in reports:
        table = Table(title=f"{report.exercise.id}: which check catches which wrong answer", title_justify="left")
        table.add_column("wrong answer", style="bold")
        for check_id in report.check_ids:
            label = check_id.removeprefix("test_") + (" (public)" if report.check_public[check_id] else "")
            table.add_column(label, overflow="fold")
        for name, result in report.wrong.items():
            by_id = {check.check_id: check for check in result.checks}
            cells = []
            for check_id in report.check_ids:
                check = by_id.get(check_id)
                cells.append("·" if check is None or check.status == "passed" else f"[red]✗[/] {check.hint or check.status}")
            table.add_row(name, *cells)
        console.print(table)
        idle = report.idle_checks
        if idle:
            console.print(f"  checks that catch no wrong answer: {', '.join(idle)}")
        for problem in report.problems:
            console.print(f"  [red]problem[/]: {problem}")
        if not report.problems:
            console.print(f"  [green]ok[/]: reference full marks, stub zero, {len(report.wrong)} wrong answers caught "
                          "as declared, correct alternatives full marks")
        total_problems += len(report.problems)
    console.print(f"seed {seed}: {total_problems} problem(s) in {len(reports)} exercise(s)")
    return total_problems
