"""What the tests read about running processes from /proc: children, parents, command lines, start times."""

from __future__ import annotations

from pathlib import Path


def children(pid: int) -> list[int]:
    """The processes `pid`'s threads started and that still run (or have not been reaped)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def start_time(pid: int) -> str | None:
    """When `pid` started (clock ticks since boot), so that a reused pid is not mistaken for it; None once gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]


def descendants(root: int) -> dict[int, str]:
    """Every process below `root` now, with its start time."""
    found: dict[int, str] = {}
    pending = [root]
    while pending:
        for child in children(pending.pop()):
            started = start_time(child)
            if started is not None and child not in found:
                found[child] = started
                pending.append(child)
    return found


def parent(pid: int) -> int:
    """`pid`'s parent (0 once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def cmdline(pid: int) -> str:
    """`pid`'s command line, arguments joined by spaces ("" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
