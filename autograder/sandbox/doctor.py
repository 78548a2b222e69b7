"""`course doctor`: start a real zygote and worker, and ask the worker which protections took."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field

from autograder.sandbox.launcher import SandboxError, Zygote, bubblewrap
from autograder.sandbox.protocol import ChannelClosed, ChannelTimeout, recv_frame

EXPECTED = ["pid namespace", "network namespace", "mount namespace", "ipc namespace", "uts namespace", "own /proc",
            "private scratch", "cpu limit", "address-space limit", "file-size limit", "open-file limit",
            "process limit", "no core dumps", "separate uid", "capabilities dropped", "no new privileges"]


@dataclass
class DoctorReport:
    """What the platform offers and what a worker reported."""

    facts: dict[str, str] = field(default_factory=dict)
    protections: dict[str, bool] = field(default_factory=dict)
    problem: str = ""

    @property
    def can_grade(self) -> bool:
        """A worker started and answered."""
        return not self.problem


def inspect_sandbox() -> DoctorReport:
    """Start a zygote, spawn one worker, and read the protections it reports."""
    report = DoctorReport()
    report.facts["running as root"] = "yes" if os.geteuid() == 0 else "no: workers cannot switch to a separate uid"
    report.facts["bubblewrap"] = bubblewrap() or "missing: install the `bubblewrap` package to hide the filesystem"
    report.facts["pidfd (Linux 5.3+)"] = "yes" if hasattr(os, "pidfd_open") else "no"
    report.facts["seccomp"] = "not used (network and ptrace are closed by namespaces and uids instead)"
    zygote = Zygote()
    started = time.monotonic()
    try:
        zygote.start()
        report.facts["zygote start"] = f"{time.monotonic() - started:.1f} s (torch imported and warmed)"
        worker = zygote.spawn(exercise_id="huber", threads=1, deadline=20.0, slot=0)
        hello = recv_frame(worker.channel, deadline=time.monotonic() + 20)
        worker.close()
        if not isinstance(hello, dict) or not isinstance(hello.get("hello"), dict):
            report.problem = f"the worker did not start: {str(hello)[:300]}"
        else:
            report.protections = {name: bool(hello["hello"].get(name, False)) for name in EXPECTED}
            report.protections |= zygote.group_caps
    except (SandboxError, ChannelClosed, ChannelTimeout, OSError) as exc:
        report.problem = f"{type(exc).__name__}: {exc}"
    finally:
        zygote.close()
    report.protections["filesystem view (bubblewrap)"] = bool(shutil.which("bwrap")) and zygote.sandboxed
    return report
