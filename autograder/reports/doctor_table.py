"""`course doctor`'s table."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from course_checks.i18n import _
from autograder.reports.console import report_console
from autograder.sandbox.doctor import DoctorReport
from autograder.sandbox.protections import HOW_TO_GET, REQUIRED, Protection, names


def print_doctor_report(report: DoctorReport, console: Console | None = None) -> None:
    """Facts about the machine, the view, then one row per protection: active or missing, required or not."""
    console = console or report_console()
    facts = Table(title=_("this machine"), title_justify="left", show_header=False)
    for name, value in report.facts.items():
        facts.add_row(name, value)
    facts.add_row(_("filesystem view built by"), view_name(report.view) if report.view != "none"
                  else f"[red]{escape(_('nothing'))}[/]")
    if report.view_problem:
        facts.add_row(_("why not another way"), report.view_problem)
    console.print(facts)
    table = Table(title=_("protections of a grading worker"), title_justify="left")
    table.add_column(_("protection"))
    table.add_column(_("status"))
    table.add_column(_("needed to grade submitted code"))
    for protection in Protection:
        if protection in report.protections:
            active = report.protections[protection]
            table.add_row(protection.label(), f"[green]{escape(_('active'))}[/]" if active
                          else f"[red]{escape(_('missing'))}[/]", _("required") if protection in REQUIRED else "")
    console.print(table)
    if report.problem:
        console.print(escape(_("cannot grade: {problem}").format(problem=report.problem)), style="red")
    elif report.missing_required:
        console.print(escape(_("refuses submitted code (missing: {missing}): {how_to_get}. `course grade --trusted` "
                               "runs your own code anyway.").format(missing=names(report.missing_required),
                                                                     how_to_get=_(HOW_TO_GET))), style="red")
    else:
        optional = [protection for protection, active in report.protections.items() if not active]
        message = (_("grades submitted code, view built by {view}; not available here: {missing}") if optional
                   else _("grades submitted code, view built by {view}"))
        console.print(escape(message.format(view=view_name(report.view), missing=names(optional))), style="green")


def view_name(view: str) -> str:
    """How the zygote got its view, in the current language."""
    return _(view)
