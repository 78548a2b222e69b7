"""Workers started one job ahead, so that a worker's start overlaps with the previous job's checks.

Starting a worker (the zygote forks a keeper, which unshares a pid namespace and forks the worker,
which confines itself and reports its protections) takes a few tens of milliseconds, most of it
waiting on the zygote. A job's first worker is the same for every job of an exercise: same exercise,
threads and CPU budget. So when a job takes its first worker, the next job's is started at once and
waits, unloaded, until a job of that exercise asks for it. A worker started ahead has seen no
submission; it is checked like any other before it is given one (`SandboxedStudent`).

The judge keeps these workers between chunks (`judge_process.workers_ahead`), one per kind: an
nbgrader run hands each judge one notebook per chunk, so a worker closed with its chunk would have
been started for nothing (that was every other worker of a run). They are closed with the judge's
zygote (their keepers kill them), or when a run turns out not to be confined.
"""

from __future__ import annotations

from autograder.sandbox.launcher import SandboxError, WorkerHandle, Zygote

WorkerKind = tuple[str, int, float]  # exercise id, torch threads, CPU seconds


class WorkersAhead:
    """Hands out workers of one zygote (or, with none, of a fresh Python process each: the slow baseline)."""

    def __init__(self, zygote: Zygote | None) -> None:
        self.zygote = zygote
        self._ahead: dict[WorkerKind, WorkerHandle] = {}

    def take(self, *, exercise_id: str, threads: int, cpu_seconds: float, first: bool) -> WorkerHandle:
        """A worker for the exercise. For a job's `first` worker, the one started ahead for its kind if it
        still waits, and the next one of that kind is started now; a restarted worker is always a new one."""
        if self.zygote is None:
            return Zygote.fresh_worker(exercise_id=exercise_id, threads=threads, cpu_seconds=cpu_seconds)
        kind = (exercise_id, threads, cpu_seconds)
        worker = self._ahead.pop(kind, None) if first else None
        if worker is not None and not worker.waiting():
            worker.close()  # it ended while it waited (its keeper reported why): a new one takes its place
            worker = None
        if worker is None:
            worker = self.zygote.spawn(exercise_id=exercise_id, threads=threads, cpu_seconds=cpu_seconds)
        if first:
            try:
                self._ahead[kind] = self.zygote.spawn(exercise_id=exercise_id, threads=threads,
                                                      cpu_seconds=cpu_seconds)
            except SandboxError:
                pass  # the zygote is gone: this job learns it from its own worker, the next one when it starts
        return worker

    def close(self) -> None:
        """Close the workers started ahead (their keepers kill them)."""
        for worker in self._ahead.values():
            worker.close()
        self._ahead.clear()
