"""The `student` fixture's sandboxed side: probes answered by a confined worker.

A worker serves one exercise of one submission. If it crashes, or one probe runs longer than a
third of the exercise's time limit (an endless loop in one function), a new worker is started for
the next probe, so the mistake costs only the checks that call that function; at most a few
times, and never past the exercise's total time limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from autograder.harness.student import ModuleUnavailable, Student, WorkerLost, interpret
from autograder.judge.runner import Job
from autograder.probes import Probe
from autograder.sandbox.launcher import SandboxError, WorkerHandle, Zygote
from autograder.sandbox.protocol import ChannelClosed, ChannelTimeout, recv_frame, send_frame

MAX_SOURCE_BYTES = 1 << 20
MAX_RESTARTS = 3
GRACE_SECONDS = 1.0
PROBE_SHARE = 1 / 3  # of the exercise's time limit, for any single probe
MIN_PROBE_SECONDS = 3.0


def read_source(job: Job) -> str:
    """The submission's text (UTF-8, size-capped); ModuleUnavailable says what is wrong with it."""
    assert job.module_path is not None
    try:
        raw = job.module_path.read_bytes()[: MAX_SOURCE_BYTES + 1]
    except OSError as exc:
        raise ModuleUnavailable(f"{job.module_path.name} cannot be read: {exc.strerror}") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise ModuleUnavailable(f"{job.module_path.name} is larger than {MAX_SOURCE_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModuleUnavailable(f"{job.module_path.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def describe_end(ended: dict[str, object]) -> str:
    """The keeper's report in words."""
    if ended.get("ended") == "signal":
        signal_number = ended.get("signal")
        reasons = {9: "killed (a CPU, memory or process limit)", 24: "killed: CPU time limit exceeded",
                   25: "killed: file size limit exceeded", 11: "crashed (segmentation fault)", 6: "aborted"}
        return f"the process running your code was {reasons.get(signal_number, f'killed by signal {signal_number}')}"  # type: ignore[arg-type]
    if ended.get("ended") == "exit":
        return f"the process running your code exited (status {ended.get('code')}) instead of returning"
    if ended.get("ended") == "deadline":
        return "your code was still running at the exercise's time limit"
    return "the process running your code stopped without answering"


class SandboxedStudent:
    """One exercise of one submission, graded through workers forked by the zygote."""

    def __init__(self, job: Job, zygote: Zygote | None, time_limit: float, slot: int) -> None:
        self.exercise_id = job.exercise_id
        self.job = job
        self.zygote = zygote  # None: every worker comes from a fresh Python process
        self.slot = slot
        self.deadline = time.monotonic() + time_limit
        self.probe_seconds = max(MIN_PROBE_SECONDS, time_limit * PROBE_SHARE)
        self.protections: dict[str, bool] = {}
        self._source: str | None = None
        self._worker: WorkerHandle | None = None
        self._restarts = 0
        self._final: Exception | None = None

    def _start_worker(self) -> WorkerHandle:
        if self._source is None:
            self._source = read_source(self.job)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise WorkerLost("your code was still running at the exercise's time limit", timeout=True)
        spawn = self.zygote.spawn if self.zygote is not None else Zygote.fresh_worker
        worker = spawn(exercise_id=self.exercise_id, threads=self.job.threads, deadline=remaining, slot=self.slot)
        try:
            hello = self._receive(worker)
            if not isinstance(hello, dict) or not isinstance(hello.get("hello"), dict):
                raise SandboxError(f"the sandbox could not start a worker: {str(hello)[:300]}")
            self.protections = hello["hello"]
            send_frame(worker.channel, {"op": "load", "source": self._source})
            loaded = self._receive(worker, probe_deadline=time.monotonic() + self.probe_seconds)
        except WorkerLost as lost:
            worker.close()
            self._final = lost  # a module that cannot even be imported will not do better next time
            raise
        if loaded == {"loaded": True}:
            return worker
        worker.close()
        if isinstance(loaded, dict) and isinstance(loaded.get("unavailable"), str):
            raise ModuleUnavailable(loaded["unavailable"][:500])
        raise WorkerLost("the worker's answer was not a well-formed record")

    def _receive(self, worker: WorkerHandle, probe_deadline: float | None = None) -> Any:
        deadline = min(self.deadline + GRACE_SECONDS, probe_deadline or float("inf"))
        try:
            return recv_frame(worker.channel, deadline=deadline)
        except ChannelTimeout:
            worker.close()
            limit = (f"the exercise's time limit" if deadline >= self.deadline
                     else f"{self.probe_seconds:g} s, the limit for one call")
            raise WorkerLost(f"your code was still running after {limit} (an endless loop?)", timeout=True) from None
        except (ChannelClosed, OSError):
            ended = worker.end_reason()
            timeout = ended.get("ended") == "deadline" or time.monotonic() >= self.deadline
            raise WorkerLost(describe_end(ended), timeout=timeout) from None

    def probe(self, probe: Probe, /, **inputs: Any) -> Any:
        """Ask a worker to run the probe; restart a crashed worker a few times, never a timed-out one."""
        if probe.__module__ != f"autograder.probes.{self.exercise_id}":
            raise ValueError(f"{probe.__module__}.{probe.__name__} is not a probe of {self.exercise_id}")
        if self._final is not None:
            raise self._final
        try:
            if self._worker is None:
                self._worker = self._start_worker()
            send_frame(self._worker.channel, {"op": "probe", "probe": probe.__name__, "inputs": inputs})
            answer = self._receive(self._worker, probe_deadline=time.monotonic() + self.probe_seconds)
        except (ModuleUnavailable, WorkerLost) as problem:
            self._forget_worker()
            self._restarts += 1
            out_of_time = time.monotonic() >= self.deadline
            if isinstance(problem, ModuleUnavailable) or out_of_time or self._restarts > MAX_RESTARTS:
                self._final = problem
            raise
        except OSError as exc:  # the worker closed the channel while we were still sending
            self._forget_worker()
            raise WorkerLost(f"the process running your code stopped ({exc.strerror})") from None
        if not isinstance(answer, dict) or set(answer) != {"outcome"}:
            self._forget_worker()
            raise WorkerLost("the worker's answer was not a well-formed record")
        return interpret(answer["outcome"])

    def _forget_worker(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def close(self) -> None:
        """Release the worker (its keeper kills it)."""
        self._forget_worker()


class SandboxFactory:
    """Opens a sandboxed student per job; `time_limit` per exercise comes from course.yml.

    With `zygote=None` each worker is a fresh Python process: the baseline the zygote is measured against.
    """

    def __init__(self, zygote: Zygote | None, time_limits: dict[str, float], slot: int = 0) -> None:
        self.zygote = zygote
        self.time_limits = time_limits
        self.slot = slot
        self.protections: dict[str, bool] = {}  # what every worker so far reported as active

    @contextmanager
    def open(self, job: Job) -> Iterator[Student]:
        """A sandboxed student for the job (which has a module); the worker is released when its checks are done."""
        student = SandboxedStudent(job, self.zygote, self.time_limits[job.exercise_id], self.slot)
        try:
            yield student
        finally:
            student.close()
            for name, active in student.protections.items():
                self.protections[name] = self.protections.get(name, True) and bool(active)
