"""The protections a grading worker can have: one name per protection, for every part that speaks of them.

The worker reports which ones took (`confine`), the judge refuses to hand it a submission when a
required one is missing (`student`), `course doctor` and `course grade` print them. A protection is
*required* when, without it, submitted code could change the course, the host or another grade, or
read the hidden checks: then grading refuses unless the caller said the code is their own
(`--trusted`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Protection(StrEnum):
    """One protection of a worker; the value is how reports name it."""

    FILESYSTEM_VIEW = "read-only filesystem view"
    UNPRIVILEGED_UID = "a uid that owns nothing"
    PID_NAMESPACE = "pid namespace"
    NETWORK_NAMESPACE = "network namespace"
    MOUNT_NAMESPACE = "mount namespace"
    IPC_NAMESPACE = "ipc namespace"
    UTS_NAMESPACE = "uts namespace"
    OWN_PROC = "own /proc"
    PRIVATE_SCRATCH = "private scratch"
    CPU_LIMIT = "cpu limit"
    ADDRESS_SPACE_LIMIT = "address-space limit"
    FILE_SIZE_LIMIT = "file-size limit"
    OPEN_FILE_LIMIT = "open-file limit"
    PROCESS_LIMIT = "process limit"
    NO_CORE_DUMPS = "no core dumps"
    NO_CAPABILITIES = "capabilities dropped"
    NO_NEW_PRIVILEGES = "no new privileges"
    MEMORY_CGROUP = "memory cap (cgroup)"
    PROCESS_CGROUP = "process cap (cgroup)"


# Without these, submitted code could write to the course or the host, read the checks, or reach
# other processes: grading refuses.
REQUIRED = frozenset({
    Protection.FILESYSTEM_VIEW, Protection.UNPRIVILEGED_UID, Protection.PID_NAMESPACE,
    Protection.NETWORK_NAMESPACE, Protection.MOUNT_NAMESPACE, Protection.PRIVATE_SCRATCH,
    Protection.CPU_LIMIT, Protection.ADDRESS_SPACE_LIMIT, Protection.FILE_SIZE_LIMIT,
    Protection.NO_CAPABILITIES, Protection.NO_NEW_PRIVILEGES,
})

# Only root can write cgroups; without them a fork bomb is still held by the pid namespace and the
# per-process limits, so they are reported but not required.
WORKER_REPORTED = tuple(protection for protection in Protection
                        if protection not in (Protection.MEMORY_CGROUP, Protection.PROCESS_CGROUP))

HOW_TO_GET = ("install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`), or run as root, or enable "
              "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1); `course doctor` says "
              "what this machine lacks")


def parse(reported: object) -> dict[Protection, bool]:
    """A worker's report (plain JSON: name -> bool) as protections; unknown names are ignored."""
    if not isinstance(reported, Mapping):
        return {}
    known = {protection.value: protection for protection in Protection}
    return {known[name]: value is True for name, value in reported.items() if name in known}


def missing_required(active: Mapping[Protection, bool]) -> list[Protection]:
    """The required protections that are not active, in a stable order."""
    return [protection for protection in Protection if protection in REQUIRED and not active.get(protection, False)]


def names(protections: Iterable[Protection]) -> str:
    """A comma-separated list for one-line messages."""
    return ", ".join(protection.value for protection in protections)


class IsolationMissing(RuntimeError):
    """Submitted code would run without a required protection, so grading refuses (fails closed).

    `str()` is the one line to show: what is missing, where, and how to get it.
    """

    def __init__(self, missing: list[Protection], where: str = "this machine", detail: str = "") -> None:
        self.missing = missing
        self.where = where
        self.detail = detail
        because = f" ({detail})" if detail else ""
        super().__init__(f"refusing to run submitted code: the sandbox on {where} cannot give it "
                         f"{names(missing)}{because}; {HOW_TO_GET}; only for code you wrote yourself, pass --trusted")

    def __reduce__(self) -> tuple[type[IsolationMissing], tuple[list[Protection], str, str]]:
        # raised in a judge process of a pool, shown by the parent
        return IsolationMissing, (self.missing, self.where, self.detail)
