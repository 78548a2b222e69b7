"""Workers started one job ahead, so that a worker's start overlaps with the previous job's checks.

Starting a worker (the zygote forks a keeper, which unshares a pid namespace and forks the worker,
which confines itself and reports its protections) takes a few tens of milliseconds, most of it
waiting on the zygote. A job's first worker is the same for every job of an exercise: same exercise,
threads and CPU budget. So when a job takes its first worker, the next job's is started at once and
waits, unloaded, until that job asks for it. A worker started ahead has seen no submission; it is
checked like any other before it is given one (`SandboxedStudent`). The last one started ahead is
closed with the source (its keeper kills it), as is one for an exercise no later job grades.
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
        """A worker for the exercise. For a job's `first` worker, one started ahead when it is of the same
        kind, and the next job's is started now; a restarted worker is always a new one."""
        if self.zygote is None:
            return Zygote.fresh_worker(exercise_id=exercise_id, threads=threads, cpu_seconds=cpu_seconds)
        kind = (exercise_id, threads, cpu_seconds)
        worker = self._ahead.pop(kind, None) if first else None
        if worker is None:
            worker = self.zygote.spawn(exercise_id=exercise_id, threads=threads, cpu_seconds=cpu_seconds)
        if first:
            self.close()  # jobs come grouped by exercise: a worker of another kind would wait for nothing
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
