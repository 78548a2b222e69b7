"""`course doctor`'s table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from autograder.reports.console import report_console
from autograder.sandbox.doctor import DoctorReport


def print_doctor_report(report: DoctorReport, console: Console | None = None) -> None:
    """Facts about the machine, then one row per protection: active or missing."""
    console = console or report_console()
    facts = Table(title="this machine", title_justify="left", show_header=False)
    for name, value in report.facts.items():
        facts.add_row(name, value)
    console.print(facts)
    table = Table(title="protections of a grading worker", title_justify="left")
    table.add_column("protection")
    table.add_column("status")
    for name, active in report.protections.items():
        table.add_row(name, "[green]active[/]" if active else "[red]missing[/]")
    console.print(table)
    missing = [name for name, active in report.protections.items() if not active]
    if report.problem:
        console.print(f"[red]cannot grade[/]: {report.problem}")
    elif missing:
        console.print(f"[yellow]grading works with reduced isolation[/]; missing: {', '.join(missing)}")
    else:
        console.print("[green]all protections active[/]")
