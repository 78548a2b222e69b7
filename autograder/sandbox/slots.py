"""Sandbox uids: each running zygote on the machine leases its own, so no two share one.

A worker's process limit counts every process of its uid machine-wide, and a uid is what keeps one
worker from signalling or reading another: two grading runs at the same time (two `course grade`
calls, a Dask worker's judge slots) must never hand out the same uid. A lease is an exclusive
lock on a small file; the kernel drops it when the process holding it ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

FIRST_SANDBOX_UID = 61000
SLOT_COUNT = 64
LOCK_DIRECTORIES = (Path("/run/lock/linreg-course"), Path("/var/lock/linreg-course"))


class NoFreeSlot(RuntimeError):
    """Every sandbox uid is leased by another grading process."""


@dataclass
class SlotLease:
    """A leased sandbox uid, held until `release` or the end of this process."""

    index: int
    descriptor: int

    @property
    def uid(self) -> int:
        """The uid (and gid) this slot's workers run as."""
        return FIRST_SANDBOX_UID + self.index

    def release(self) -> None:
        """Give the uid back."""
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1


def _lock_directory() -> Path:
    for directory in LOCK_DIRECTORIES:
        try:
            directory.mkdir(mode=0o755, parents=True, exist_ok=True)
            return directory
        except OSError:
            continue
    raise NoFreeSlot(f"no lock directory for sandbox uids could be made ({', '.join(map(str, LOCK_DIRECTORIES))})")


def lease() -> SlotLease:
    """The first sandbox uid no other process holds."""
    directory = _lock_directory()
    for index in range(SLOT_COUNT):
        descriptor = os.open(directory / f"slot-{index}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        return SlotLease(index, descriptor)
    raise NoFreeSlot(f"all {SLOT_COUNT} sandbox uids ({FIRST_SANDBOX_UID}-{FIRST_SANDBOX_UID + SLOT_COUNT - 1}) "
                     "are in use by other grading processes")
