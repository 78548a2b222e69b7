"""Per-slot control groups: a cap on the memory and processes of all the workers of one judge slot.

Resource limits are per process; a worker that forks cannot multiply them past these caps. Best
effort: where cgroups are not writable (not root, a read-only hierarchy), grading goes on and
`course doctor` says the caps are missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path

from autograder.sandbox.protections import Protection

ROOT = Path("/sys/fs/cgroup")
SLOT_MEMORY = 6 << 30
SLOT_PROCESSES = 512
REMOVE_SECONDS = 2.0  # how long a group's last processes may take to die before it is left to the next judge


def _own_path(controller: str) -> str | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(",") or (controllers == "" and controller == ""):
            return path
    return None


def create_slot_groups(name: str) -> dict[Protection, Path]:
    """Make the memory and pids groups for one zygote; {protection name: group directory}."""
    groups: dict[Protection, Path] = {}
    if os.geteuid() != 0:
        return groups
    if (ROOT / "cgroup.controllers").exists():  # cgroup v2: one hierarchy
        base = ROOT / (_own_path("") or "/").lstrip("/")
        settings = {Protection.MEMORY_CGROUP: ("memory.max", SLOT_MEMORY), Protection.PROCESS_CGROUP: ("pids.max", SLOT_PROCESSES)}
        for protection, (limit_file, value) in settings.items():
            group = base / name
            if _make(group, limit_file, value):
                groups[protection] = group
        return groups
    for protection, controller, limit_file, value in (
            (Protection.MEMORY_CGROUP, "memory", "memory.limit_in_bytes", SLOT_MEMORY),
            (Protection.PROCESS_CGROUP, "pids", "pids.max", SLOT_PROCESSES)):
        own = _own_path(controller)
        if own is None:
            continue
        group = ROOT / controller / own.lstrip("/") / name
        if _make(group, limit_file, value):
            groups[protection] = group
    return groups


def _make(group: Path, limit_file: str, value: int) -> bool:
    _remove_stale_siblings(group)
    try:
        group.mkdir(exist_ok=True)
        (group / limit_file).write_text(str(value))
        return True
    except OSError:
        return False


def _remove_stale_siblings(group: Path) -> None:
    """Groups of judges that were killed (named course-<pid>-...) and whose processes are all gone."""
    for sibling in group.parent.glob("course-*-*"):
        owner = sibling.name.split("-")[1]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            try:
                sibling.rmdir()  # refused while any process is still in it
            except OSError:
                pass


def open_procs_files(groups: dict[Protection, Path]) -> tuple[list[int], list[list[str]]]:
    """Each group's `cgroup.procs`, open for writing, and the protections it gives: for a keeper to join
    its slot's groups from inside the sandbox (`confine.join_groups`). The caller keeps them open for as
    long as the slot lives (each request passes duplicates), then closes them."""
    opened: dict[Path, tuple[int, list[str]]] = {}
    for protection, group in groups.items():
        if group not in opened:
            try:
                opened[group] = (os.open(group / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC), [])
            except OSError:
                continue
        opened[group][1].append(protection.value)
    return [descriptor for descriptor, _ in opened.values()], [caps for _, caps in opened.values()]


def remove(groups: dict[Protection, Path]) -> None:
    """Kill what is left in the groups, then delete them.

    When a zygote is stopped its keepers and workers die with it, a moment later; until the last
    has gone the kernel refuses to delete the group. What is in a slot's group is sandboxed code
    and its keepers, never anything else."""
    for group in set(groups.values()):
        deadline = time.monotonic() + REMOVE_SECONDS
        while True:
            try:
                group.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    shutil.rmtree(group, ignore_errors=True)  # the next judge removes it (stale siblings)
                    break
                _kill_members(group)
                time.sleep(0.005)


def _kill_members(group: Path) -> None:
    try:
        members = [int(pid) for pid in (group / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return
    for pid in members:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
