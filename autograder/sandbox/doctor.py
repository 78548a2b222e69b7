"""`course doctor`: start a real zygote and worker, and ask the worker which protections took."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox.keeper import schedstat_available
from autograder.sandbox.launcher import SandboxError, Zygote, bubblewrap, view_setting
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
        return "unknown"
    return "enabled" if allowed > 0 else "disabled (user.max_user_namespaces = 0)"


def inspect_sandbox() -> DoctorReport:
    """Start a zygote, ask one worker for its protections, and say how the view was built."""
    report = DoctorReport()
    report.facts["running as root"] = "yes" if os.geteuid() == 0 else "no: the view comes from a user namespace"
    report.facts["bubblewrap"] = bubblewrap() or "not installed (the zygote builds the view itself where it can)"
    report.facts["user namespaces"] = _user_namespaces()
    report.facts[f"view allowed ({'COURSE_SANDBOX_VIEW'})"] = view_setting()
    report.facts["fair timeouts (CPU time, run-queue waits)"] = (
        "yes" if schedstat_available() else "CPU time only: no /proc/<pid>/schedstat, so sleeping code is cut only "
        "by the wall-clock backstop")
    zygote = Zygote()
    started = time.monotonic()
    try:
        zygote.start()
        report.facts["zygote start"] = f"{time.monotonic() - started:.1f} s (torch imported and warmed)"
        report.protections = zygote.confinement()
    except (SandboxError, OSError) as exc:
        report.problem = f"{type(exc).__name__}: {exc}"
    finally:
        report.view, report.view_problem = zygote.view, zygote.view_problem
        zygote.close()
    return report
