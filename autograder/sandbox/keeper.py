"""The keeper: the process that watches one worker and decides, fairly, when it has had enough time.

Time limits count what the submission itself used, so that a loaded machine never turns a correct
answer into a timeout:
- CPU time (of the worker and everything it started) against the budget of the current call and of
  the whole exercise: an endless loop is cut as soon as it has burnt its share;
- idle time (neither running nor waiting for a CPU) against a generous limit, which catches code
  that sleeps or waits for input. Time spent runnable but starved by other processes counts as
  neither, so it never costs the student anything.
The judge opens and closes each call's budget over the lifeline; while the worker waits for the
judge, nothing counts. The keeper kills the worker (pid 1 of its namespace, so everything it started
dies too) when a budget runs out, when the judge lets go of the lifeline, or when the keeper's own
parent dies, and reports how the worker ended as one JSON line.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TICK_SECONDS = 0.05
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Usage:
    """Seconds a process tree has run on a CPU, and run or waited to run (its demand for CPU)."""

    cpu: float = 0.0
    demand: float = 0.0


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii") as handle:
            return handle.read()
    except OSError:
        return ""


def _threads_demand(pid: int) -> float:
    total = 0.0
    for tid in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
        fields = _read(f"/proc/{pid}/task/{tid}/schedstat").split()
        if len(fields) >= 2:  # time on a CPU and time waiting on a run queue, in nanoseconds
            total += (int(fields[0]) + int(fields[1])) / 1e9
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for tid in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
        found += [int(child) for child in _read(f"/proc/{pid}/task/{tid}/children").split()]
    return found


def usage_of(root: int) -> Usage:
    """CPU time and CPU demand of `root` and its descendants (reaped children included in CPU time)."""
    usage, pending, seen = Usage(), [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        stat = _read(f"/proc/{pid}/stat")
        if not stat:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        usage.cpu += (utime + stime + cutime + cstime) / CLOCK_TICKS
        usage.demand += _threads_demand(pid)
        pending += _children(pid)
    return usage


class Budget:
    """What the current call may still use."""

    def __init__(self) -> None:
        self.cpu_limit: float | None = None  # None: no call is running (the worker waits for the judge)
        self.idle_limit = 0.0
        self.cpu_at_start = 0.0
        self.idle = 0.0  # in the current call
        self.idle_total = 0.0  # in every call so far
        self.started = False  # whether any call has run: before the first, the worker has been given no code

    def open(self, message: dict[str, Any], usage: Usage) -> None:
        """A call starts (its budget in `message`) or ends (`None`)."""
        budget = message.get("budget")
        if isinstance(budget, dict):
            self.started = True
            self.cpu_limit = float(budget.get("cpu") or 0.0)
            self.idle_limit = float(budget.get("idle") or 0.0)
            self.cpu_at_start, self.idle = usage.cpu, 0.0
        else:
            self.cpu_limit = None


def watch(worker: int, lifeline: socket.socket, cpu_total: float) -> dict[str, Any]:
    """Wait for the worker's end or cut it off; how it ended, with the CPU time it used."""
    pidfd = os.pidfd_open(worker)
    budget = Budget()
    # Without run-queue figures a starved worker would look idle: then only the judge's generous
    # backstop catches code that sleeps.
    counts_idle = schedstat_available()
    last, last_wall, pending = usage_of(worker), time.monotonic(), b""
    while True:
        # Until its first call a worker runs no code of the submission (one started ahead may wait a whole
        # run for its job): then there is nothing to sample, only its end or the judge's next message.
        waiting = not budget.started
        ready, _, _ = select.select([pidfd, lifeline], [], [], None if waiting else TICK_SECONDS)
        if pidfd in ready:
            _, status = os.waitpid(worker, 0)
            ended = ({"ended": "signal", "signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status)
                     else {"ended": "exit", "code": os.waitstatus_to_exitcode(status)})
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGXCPU) \
                    and last.cpu >= cpu_total - 0.5:  # the kernel's CPU limit, the backstop of the one below
                ended = {"ended": "cpu", "scope": "exercise"}
            return ended | _spent(last, budget)
        if lifeline in ready:
            data = lifeline.recv(4096)
            if not data:
                return _kill(worker, {"ended": "released"}, last, budget)
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict):
                    budget.open(message, usage_of(worker))
        now, current = time.monotonic(), usage_of(worker)
        if waiting:
            last, last_wall = current, now  # the wait for the first call counts as nothing
        if budget.cpu_limit is not None and counts_idle:
            idle = max(0.0, (now - last_wall) - (current.demand - last.demand))
            budget.idle += idle
            budget.idle_total += idle
        last, last_wall = current, now
        if current.cpu >= cpu_total:
            return _kill(worker, {"ended": "cpu", "scope": "exercise"}, current, budget)
        if budget.cpu_limit is not None and current.cpu - budget.cpu_at_start >= budget.cpu_limit:
            return _kill(worker, {"ended": "cpu", "scope": "call"}, current, budget)
        if budget.cpu_limit is not None and budget.idle >= budget.idle_limit:
            return _kill(worker, {"ended": "idle", "seconds": round(budget.idle, 1)}, current, budget)


def _spent(usage: Usage, budget: Budget) -> dict[str, float]:
    return {"cpu": round(usage.cpu, 3), "idle": round(budget.idle_total, 3)}


def _kill(worker: int, ended: dict[str, Any], usage: Usage, budget: Budget) -> dict[str, Any]:
    os.kill(worker, signal.SIGKILL)  # pid 1 of its own namespace: everything in it dies too
    os.waitpid(worker, 0)
    return ended | _spent(usage, budget)


def schedstat_available() -> bool:
    """Whether this kernel reports run-queue waits (without them, starved time would count as idle)."""
    fields = _read(f"/proc/{os.getpid()}/schedstat").split()
    return len(fields) >= 2 and Path("/proc/self/task").is_dir()
