"""The `student` fixture's sandboxed side: probes answered by a confined worker.

A worker serves one exercise of one submission. Before it is given the submission, its report of
the protections it got is checked: a worker without a required one is refused (fail closed), unless
the caller said the code is their own. Time is counted in CPU seconds by the worker's keeper (see
`keeper`): a call may use a third of the exercise's budget (at least 3 s), the exercise all of it.
If a worker crashes or one call uses up its share (an endless loop in one function), a new worker
is started for the next probe, so the mistake costs only the checks that call that function; at
most a few times, and never past the exercise's budget. Wall-clock time is only a backstop, set
far beyond anything a loaded machine needs, and it is never reported as the student's timeout.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from course_checks.harness.student import NOT_A_RECORD, InProcessStudent, ModuleUnavailable, Student, WorkerLost, interpret
from autograder.judge.runner import Job
from course_checks.i18n import N_, _
from course_checks.probes import Probe, probe_module_name
from course_checks.probes.loader import ImportFailed
from autograder.sandbox.ahead import WorkersAhead
from autograder.sandbox.launcher import SandboxError, WorkerHandle
from autograder.sandbox.protections import IsolationMissing, Protection, missing_required, parse
from autograder.sandbox.protocol import ChannelClosed, ChannelTimeout, recv_frame, send_frame

MAX_RESTARTS = 3
CALL_SHARE = 1 / 3  # of the exercise's CPU budget, for any single call
MIN_CALL_SECONDS = 3.0
MIN_IDLE_SECONDS = 10.0  # waiting without computing (sleep, input), per exercise
MIN_BACKSTOP_SECONDS = 300.0  # wall clock, per call: only a wedged or hopelessly overloaded machine gets here
BACKSTOP_FACTOR = 20.0
SIGNAL_REASONS = {9: N_("the process running your code was killed (a memory or process limit)"),
                  24: N_("the process running your code was killed: CPU time limit exceeded"),
                  25: N_("the process running your code was killed: file size limit exceeded"),
                  11: N_("the process running your code crashed (segmentation fault)"),
                  6: N_("the process running your code aborted")}
OUT_OF_CPU = N_("your code used up the exercise's CPU time")


def describe_end(ended: dict[str, object], channel_problem: str = "") -> tuple[str, bool]:
    """The keeper's report in the learner's words, and whether it is the submission's own timeout."""
    cpu = ended.get("cpu")
    seconds = float(cpu) if isinstance(cpu, (int, float)) else 0.0
    if ended.get("ended") == "cpu":
        if ended.get("scope") == "call":
            return _("one call of your code used up its CPU time ({cpu:.1f} s): an endless loop?").format(
                cpu=seconds), True
        return _("your code used up the exercise's CPU time ({cpu:.1f} s)").format(cpu=seconds), True
    if ended.get("ended") == "idle":
        return _("your code waited {seconds} s without computing anything (sleep, input() or a lock?)").format(
            seconds=ended.get("seconds")), True
    if channel_problem:
        return _("the process running your code sent something that is not an answer ({problem})").format(
            problem=channel_problem), False
    if ended.get("ended") == "signal":
        signal_number = ended.get("signal")
        if signal_number in SIGNAL_REASONS:
            return _(SIGNAL_REASONS[signal_number]), False  # type: ignore[index]
        return _("the process running your code was killed by signal {number}").format(number=signal_number), False
    if ended.get("ended") == "exit":
        return _("the process running your code exited (status {code}) instead of returning").format(
            code=ended.get("code")), False
    return _("the process running your code stopped without answering"), False


class SandboxedStudent:
    """One exercise of one submission, graded through workers forked by the zygote."""

    def __init__(self, job: Job, workers: WorkersAhead, time_limit: float, *, trusted: bool = False) -> None:
        self.exercise_id = job.exercise_id
        self.job = job
        self.workers = workers
        self.trusted = trusted
        self.cpu_remaining = time_limit
        self.call_seconds = max(MIN_CALL_SECONDS, time_limit * CALL_SHARE)
        self.idle_remaining = max(MIN_IDLE_SECONDS, time_limit)
        self.backstop_seconds = max(MIN_BACKSTOP_SECONDS, BACKSTOP_FACTOR * time_limit)
        self.protections: dict[Protection, bool] = {}
        self._source: str | None = None
        self._worker: WorkerHandle | None = None
        self._started = False  # the job's first worker may be one started ahead (see `ahead`)
        self._restarts = 0
        self._final: Exception | None = None
        self.refusal: IsolationMissing | None = None

    def _start_worker(self) -> WorkerHandle:
        if self._source is None:
            assert self.job.module_path is not None
            self._source = Path(self.job.module_path).read_text(encoding="utf-8")  # the grader's own copy
        if self.cpu_remaining <= 0:
            raise WorkerLost(_(OUT_OF_CPU), timeout=True)
        worker = self.workers.take(exercise_id=self.exercise_id, threads=self.job.threads,
                                   cpu_seconds=self.cpu_remaining, first=not self._started)
        self._started = True
        try:
            hello = self._receive(worker)
            if not isinstance(hello, dict) or not isinstance(hello.get("hello"), dict):
                raise SandboxError(f"the sandbox could not start a worker: {str(hello)[:300]}")
            self.protections = parse(hello["hello"])
            missing = missing_required(self.protections)
            if missing and not self.trusted:
                worker.close()  # it never sees the submission
                self.refusal = self._final = IsolationMissing(missing)
                raise self.refusal
            worker.budget(self.call_seconds, self.idle_remaining)
            send_frame(worker.channel, {"op": "load", "source": self._source})
            loaded = self._receive(worker)
            worker.budget(None)
        except WorkerLost as lost:
            worker.close()
            self._final = lost  # a module that cannot even be imported will not do better next time
            raise
        if loaded == {"loaded": True}:
            return worker
        worker.close()
        problem = ImportFailed.from_plain(loaded.get("unavailable")) if isinstance(loaded, dict) else None
        if problem is not None:
            raise ModuleUnavailable(str(problem))
        raise WorkerLost(_(NOT_A_RECORD))

    def _receive(self, worker: WorkerHandle) -> Any:
        try:
            return recv_frame(worker.channel, deadline=time.monotonic() + self.backstop_seconds)
        except ChannelTimeout:
            self._lost(worker)
            raise WorkerLost(_("the grading machine was too busy to finish this call within {seconds:g} s; this says "
                               "nothing about your code: ask for a regrade").format(seconds=self.backstop_seconds)) from None
        except (ChannelClosed, OSError) as problem:
            garbled = str(problem) if isinstance(problem, ChannelClosed) and "closed" not in str(problem) else ""
            reason, timeout = describe_end(self._lost(worker), garbled)
            raise WorkerLost(reason, timeout=timeout) from None

    def _lost(self, worker: WorkerHandle) -> dict[str, object]:
        """The keeper's report on a worker that stopped answering; its CPU time counts against the exercise."""
        worker.channel.close()  # a worker still running is killed by its keeper once the lifeline closes
        ended = worker.end_reason()
        cpu, idle = ended.get("cpu"), ended.get("idle")
        if isinstance(cpu, (int, float)):
            self.cpu_remaining -= float(cpu)
        if isinstance(idle, (int, float)):
            self.idle_remaining -= float(idle)
        return ended

    def probe(self, probe: Probe, /, **inputs: Any) -> Any:
        """Ask a worker to run the probe; restart a crashed worker a few times, never past the budget."""
        if probe.__module__ != probe_module_name(self.exercise_id):
            raise ValueError(f"{probe.__module__}.{probe.__name__} is not a probe of {self.exercise_id}")
        if self._final is not None:
            raise self._final
        try:
            if self._worker is None:
                self._worker = self._start_worker()
            self._worker.budget(self.call_seconds, self.idle_remaining)
            send_frame(self._worker.channel, {"op": "probe", "probe": probe.__name__, "inputs": inputs})
            answer = self._receive(self._worker)
            self._worker.budget(None)
        except (ModuleUnavailable, WorkerLost) as problem:
            self._forget_worker()
            self._restarts += 1
            out_of_time = self.cpu_remaining <= 0 or self.idle_remaining <= 0
            if isinstance(problem, ModuleUnavailable) or out_of_time or self._restarts > MAX_RESTARTS:
                self._final = problem
            raise
        except OSError as exc:  # the worker closed the channel while we were still sending
            self._forget_worker()
            raise WorkerLost(_("the process running your code stopped ({reason})").format(reason=exc.strerror)) from None
        if not isinstance(answer, dict) or set(answer) != {"outcome"}:
            self._forget_worker()
            raise WorkerLost(_(NOT_A_RECORD))
        return interpret(answer["outcome"])

    def _forget_worker(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def close(self) -> None:
        """Release the worker (its keeper kills it)."""
        self._forget_worker()


class SandboxFactory:
    """Opens a sandboxed student per job; the CPU budget per exercise (`time_limits`) comes from course.yml.

    Its workers come from `workers`, which whoever made the factory keeps and closes: a judge keeps
    them between chunks (`judge_process.workers_ahead`). `WorkersAhead(None)` makes each worker a fresh
    Python process: the baseline the zygote is measured against.
    """

    def __init__(self, workers: WorkersAhead, time_limits: dict[str, float], *, trusted: bool = False) -> None:
        self.workers = workers
        self.time_limits = time_limits
        self.trusted = trusted
        self.protections: dict[Protection, bool] = {}  # what every worker so far reported as active
        self.refused: IsolationMissing | None = None

    @contextmanager
    def open(self, job: Job) -> Iterator[Student]:
        """A sandboxed student for the job (which has a module); the worker is released when its checks are done."""
        if self.refused is not None:  # the run is void: no later job starts a worker
            yield InProcessStudent(job.exercise_id, problem=ModuleUnavailable(str(self.refused)))
            return
        student = SandboxedStudent(job, self.workers, self.time_limits[job.exercise_id], trusted=self.trusted)
        try:
            yield student
        finally:
            student.close()
            self.refused = self.refused or student.refusal
            if self.refused is not None:
                self.workers.close()
            for name, active in student.protections.items():
                self.protections[name] = self.protections.get(name, True) and bool(active)
