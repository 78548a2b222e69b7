"""This process as a judge: its zygote, launched as early as possible, and its end with its parent.

Light on purpose (no torch, no pytest): a judge launches its zygote first, so that the zygote's torch
import and warm-up overlap with the judge's own imports of torch and the checks. The judges of a pool
share one zygote, their parent's: each is a slot of it (`attach`).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing.util
import os
import select
import signal
import sys
import threading

from autograder.sandbox.ahead import WorkersAhead
from autograder.sandbox.launcher import Zygote, ZygoteLink
from autograder.sandbox.protections import IsolationMissing, Protection, missing_required

PR_SET_PDEATHSIG = 1
_state: dict[str, Zygote] = {}
_workers: dict[str, WorkersAhead] = {}


def zygote() -> Zygote:
    """This process's zygote (or its slot of its parent's), launched (not yet waited for) on first use
    and kept between chunks."""
    if "zygote" not in _state:
        _keep(Zygote())
    _state["zygote"].launch()
    return _state["zygote"]


def workers_ahead() -> WorkersAhead:
    """The workers of this process's zygote, with those it started ahead for the next job of each exercise;
    kept between chunks, so that a chunk's first worker was started during an earlier chunk."""
    zygote()
    return _workers["ahead"]


def attach(link: ZygoteLink) -> None:
    """Grade with a slot of the zygote the parent process started, instead of a zygote of this process's own."""
    close()
    _keep(Zygote(link=link))


def _keep(started: Zygote) -> None:
    _state["zygote"] = started
    _workers["ahead"] = WorkersAhead(started)
    # multiprocessing's Finalize also runs in the judge processes of a pool, where atexit does not.
    multiprocessing.util.Finalize(None, close, exitpriority=10)


def confined_zygote(trusted: bool) -> tuple[Zygote, dict[Protection, bool]]:
    """The zygote, ready, and what its workers get; IsolationMissing if that is not enough (unless trusted)."""
    started = zygote()
    confinement = started.confinement()
    missing = missing_required(confinement)
    if missing and not trusted:
        raise IsolationMissing(missing, detail=started.view_problem)
    return started, confinement


def close() -> None:
    """Stop this process's zygote (its workers die with it) and give its sandbox uid back."""
    ahead = _workers.pop("ahead", None)
    if ahead is not None:
        ahead.close()
    started = _state.pop("zygote", None)
    if started is not None:
        started.close()


def die_with_parent() -> None:
    """This process ends when the process that started it ends, however it ends."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(1)


def end_now() -> None:
    """End this judge process at once, its output flushed.

    Once its zygote is closed a judge has nothing left to do; tearing down the interpreter's modules
    (torch, pytest, the checks) would take most of a second more, which the run would wait for."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def die_with(owner: int) -> None:
    """This process ends when the process `owner` ends, however it ends, though it is not its parent.

    A pool's judges are forked by multiprocessing's forkserver, which itself only exits once they have."""
    try:
        descriptor = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)

    def watch() -> None:
        select.select([descriptor], [], [])  # readable once the owner has exited
        os._exit(1)

    threading.Thread(target=watch, name="die-with-run", daemon=True).start()


def start_pool_judge(link: ZygoteLink, owner: int) -> None:
    """Initializer of a pool's judge process: die with its parent (the forkserver) and with the run's
    process `owner`, take a slot of the owner's zygote (which warms up meanwhile), and end at once when
    the pool shuts down."""
    die_with_parent()
    die_with(owner)
    attach(link)
    # Finalizers run by descending priority: this one last, after the zygote's (10) and the queues'.
    multiprocessing.util.Finalize(None, end_now, exitpriority=-100)
