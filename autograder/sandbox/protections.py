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

from course_checks.i18n import N_, _


class Protection(StrEnum):
    """One protection of a worker; the value is its name in the JSON report, `label()` in the learner's language."""

    FILESYSTEM_VIEW = N_("read-only filesystem view")
    UNPRIVILEGED_UID = N_("a uid that owns nothing")
    PID_NAMESPACE = N_("pid namespace")
    NETWORK_NAMESPACE = N_("network namespace")
    MOUNT_NAMESPACE = N_("mount namespace")
    IPC_NAMESPACE = N_("ipc namespace")
    UTS_NAMESPACE = N_("uts namespace")
    OWN_PROC = N_("own /proc")
    PRIVATE_SCRATCH = N_("private scratch")
    CPU_LIMIT = N_("cpu limit")
    ADDRESS_SPACE_LIMIT = N_("address-space limit")
    FILE_SIZE_LIMIT = N_("file-size limit")
    OPEN_FILE_LIMIT = N_("open-file limit")
    PROCESS_LIMIT = N_("process limit")
    NO_CORE_DUMPS = N_("no core dumps")
    NO_CAPABILITIES = N_("capabilities dropped")
    NO_NEW_PRIVILEGES = N_("no new privileges")
    MEMORY_CGROUP = N_("memory cap (cgroup)")
    PROCESS_CGROUP = N_("process cap (cgroup)")

    def label(self) -> str:
        """The protection's name in the current language."""
        return _(self.value)


# Without these, submitted code could write to the course or the host, read the checks, or reach
# other processes: grading refuses. Only root can write cgroups (each keeper joins its slot's, and
# its worker reports them); without them a fork bomb is still held by the pid namespace and the
# per-process limits, so the cgroup caps are reported but not required.
REQUIRED = frozenset({
    Protection.FILESYSTEM_VIEW, Protection.UNPRIVILEGED_UID, Protection.PID_NAMESPACE,
    Protection.NETWORK_NAMESPACE, Protection.MOUNT_NAMESPACE, Protection.PRIVATE_SCRATCH,
    Protection.CPU_LIMIT, Protection.ADDRESS_SPACE_LIMIT, Protection.FILE_SIZE_LIMIT,
    Protection.NO_CAPABILITIES, Protection.NO_NEW_PRIVILEGES,
})

HOW_TO_GET = N_("install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`), or run as root, or enable "
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
    """A comma-separated list for one-line messages, in the current language."""
    return _(", ").join(protection.label() for protection in protections)


THIS_MACHINE = N_("this machine")


class IsolationMissing(RuntimeError):
    """Submitted code would run without a required protection, so grading refuses (fails closed).

    `str()` is the one line to show: what is missing, where, and how to get it.
    """

    def __init__(self, missing: list[Protection], where: str = THIS_MACHINE, detail: str = "") -> None:
        self.missing = missing
        self.where = where
        self.detail = detail
        template = (N_("refusing to run submitted code: the sandbox on {where} cannot give it {missing} ({detail}); "
                       "{how_to_get}; only for code you wrote yourself, pass --trusted") if detail else
                    N_("refusing to run submitted code: the sandbox on {where} cannot give it {missing}; "
                       "{how_to_get}; only for code you wrote yourself, pass --trusted"))
        super().__init__(_(template).format(where=_(where) if where == THIS_MACHINE else where, missing=names(missing),
                                            detail=detail, how_to_get=_(HOW_TO_GET)))

    def __reduce__(self) -> tuple[type[IsolationMissing], tuple[list[Protection], str, str]]:
        # raised in a judge process of a pool, shown by the parent
        return IsolationMissing, (self.missing, self.where, self.detail)
