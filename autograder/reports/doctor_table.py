"""`course doctor`'s table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from autograder.reports.console import report_console
from autograder.sandbox.doctor import DoctorReport
from autograder.sandbox.protections import HOW_TO_GET, REQUIRED, Protection, names


def print_doctor_report(report: DoctorReport, console: Console | None = None) -> None:
    """Facts about the machine, the view, then one row per protection: active or missing, required or not."""
    console = console or report_console()
    facts = Table(title="this machine", title_justify="left", show_header=False)
    for name, value in report.facts.items():
        facts.add_row(name, value)
    facts.add_row("filesystem view built by", report.view if report.view != "none" else "[red]nothing[/]")
    if report.view_problem:
        facts.add_row("why not another way", report.view_problem)
    console.print(facts)
    table = Table(title="protections of a grading worker", title_justify="left")
    table.add_column("protection")
    table.add_column("status")
    table.add_column("needed to grade submitted code")
    for protection in Protection:
        if protection in report.protections:
            active = report.protections[protection]
            table.add_row(protection.value, "[green]active[/]" if active else "[red]missing[/]",
                          "required" if protection in REQUIRED else "")
    console.print(table)
    if report.problem:
        console.print(f"[red]cannot grade[/]: {report.problem}")
    elif report.missing_required:
        console.print(f"[red]refuses submitted code[/] (missing: {names(report.missing_required)}): {HOW_TO_GET}. "
                      "`course grade --trusted` runs your own code anyway.")
    else:
        optional = [protection for protection, active in report.protections.items() if not active]
        suffix = f"; not available here: {names(optional)}" if optional else ""
        console.print(f"[green]grades submitted code[/], view built by {report.view}{suffix}")
