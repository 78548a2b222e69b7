"""`course doctor`: start a real zygote and worker, and ask the worker which protections took."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox.keeper import schedstat_available
from course_checks.i18n import _
from autograder.sandbox.launcher import VIEW_SETTING, SandboxError, Zygote, bubblewrap, view_setting
from autograder.sandbox.protections import Protection, missing_required


@dataclass
class DoctorReport:
    """What the platform offers, how the worker's filesystem view was built, and what a worker reported."""

    facts: dict[str, str] = field(default_factory=dict)
    protections: dict[Protection, bool] = field(default_factory=dict)
    view: str = "none"
    view_problem: str = ""
    problem: str = ""

    @property
    def missing_required(self) -> list[Protection]:
        """Required protections a worker did not get: grading untrusted code refuses while any is missing."""
        return missing_required(self.protections)

    @property
    def can_grade(self) -> bool:
        """Submitted code can be graded here without --trusted."""
        return not self.problem and not self.missing_required


def _user_namespaces() -> str:
    try:
        allowed = int(Path("/proc/sys/user/max_user_namespaces").read_text())
    except (OSError, ValueError):
        return _("unknown")
    return _("enabled") if allowed > 0 else _("disabled (user.max_user_namespaces = 0)")


def inspect_sandbox() -> DoctorReport:
    """Start a zygote, ask one worker for its protections, and say how the view was built."""
    report = DoctorReport()
    report.facts[_("running as root")] = _("yes") if os.geteuid() == 0 else _("no: the view comes from a user namespace")
    report.facts["bubblewrap"] = bubblewrap() or _("not installed (the zygote builds the view itself where it can)")
    report.facts[_("user namespaces")] = _user_namespaces()
    report.facts[_("views allowed ({setting})").format(setting=VIEW_SETTING)] = view_setting()
    report.facts[_("fair timeouts (CPU time, run-queue waits)")] = (
        _("yes") if schedstat_available() else _("CPU time only: no /proc/<pid>/schedstat, so sleeping code is cut "
                                                 "only by the wall-clock backstop"))
    zygote = Zygote()
    started = time.monotonic()
    try:
        zygote.start()
        report.facts[_("zygote start")] = _("{seconds:.1f} s (torch imported and warmed)").format(
            seconds=time.monotonic() - started)
        report.protections = zygote.confinement()
    except (SandboxError, OSError) as exc:
        report.problem = f"{type(exc).__name__}: {exc}"
    finally:
        report.view, report.view_problem = zygote.view, zygote.view_problem
        zygote.close()
    return report
