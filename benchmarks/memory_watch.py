"""Peak resident memory of the grading processes below this one, sampled while a benchmark runs.

One process's figure is its resident set (RSS). All of them together are summed by proportional set size
(PSS: each shared page counted once, split among the processes that share it): workers forked from one
zygote share most of their pages, and a sum of their RSS counted torch once per worker."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

SANDBOX_UIDS = range(61000, 61064)


@dataclass
class Peaks:
    """Highest memory seen, in MiB: the RSS of one judge process and of one sandboxed process; the PSS of all together."""

    judge: float = 0.0
    sandboxed: float = 0.0
    total: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def __enter__(self) -> Peaks:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            own = _rss_mib(me)[0]
            total = _pss_mib(me)
            self.judge = max(self.judge, own)  # with one judge process, this process is the judge
            for pid in _descendants(me):
                rss, uid = _rss_mib(pid)
                total += _pss_mib(pid)
                command = _command(pid)
                if uid in SANDBOX_UIDS or b"zygote" in command:
                    self.sandboxed = max(self.sandboxed, rss)
                elif b"multiprocessing" in command:  # a judge of a pool, or a Dask worker (which is a judge)
                    self.judge = max(self.judge, rss)
            self.total = max(self.total, total)


def _pss_mib(pid: int) -> float:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    line = next((line for line in rollup.splitlines() if line.startswith("Pss:")), "Pss: 0 kB")
    return int(line.split()[1]) / 1024


def _rss_mib(pid: int) -> tuple[float, int | None]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0, None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields.get("VmRSS", "0 kB").split()[0]) / 1024, int(fields["Uid"].split()[0])


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _descendants(root: int) -> list[int]:
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                continue
            found += children
            pending += children
    return found
