"""The sandbox where the platform offers less, and where the environment lives somewhere unusual."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autograder.grading import engine, judge_process
from autograder.judge.runner import Job, run_checks
from autograder.manifest import REPO_ROOT
from autograder.sandbox import keeper, launcher, slots
from autograder.sandbox.ahead import WorkersAhead
from autograder.sandbox.launcher import Zygote
from autograder.sandbox.protections import IsolationMissing, Protection
from autograder.sandbox.student import SandboxFactory

REFERENCE_JOB = Job("reference", "huber", REPO_ROOT / "solutions" / "huber.py", 1)


def test_a_worker_without_a_view_is_refused_before_it_sees_the_submission() -> None:
    zygote = Zygote(view="none")
    try:
        factory = SandboxFactory(WorkersAhead(zygote), {"huber": 15.0})
        results = run_checks([REFERENCE_JOB], factory)
    finally:
        zygote.close()
    assert isinstance(factory.refused, IsolationMissing)
    assert Protection.FILESYSTEM_VIEW in factory.refused.missing
    assert results["reference"].score == 0  # the engine discards such a run and reports the refusal


def test_trusted_grades_without_a_view_and_reports_it_missing() -> None:
    """... and leaves nothing in the system's temporary directory, which a zygote without a view (and without
    TMPDIR in its environment) uses: its warm-up's import of torch._dynamo made torchinductor_<user> there."""
    system_tmp = subprocess.run([sys.executable, "-c", "import tempfile; print(tempfile.gettempdir())"], env={},
                                capture_output=True, text=True, check=True).stdout.strip()
    in_system_tmp = set(os.listdir(system_tmp))
    zygote = Zygote(view="none")
    try:
        factory = SandboxFactory(WorkersAhead(zygote), {"huber": 15.0}, trusted=True)
        results = run_checks([REFERENCE_JOB], factory)
    finally:
        zygote.close()
    assert set(os.listdir(system_tmp)) - in_system_tmp == set()
    assert results["reference"].score == 10
    assert factory.refused is None and not factory.protections[Protection.FILESYSTEM_VIEW]
    assert factory.protections[Protection.NETWORK_NAMESPACE] and factory.protections[Protection.CPU_LIMIT]


def test_two_zygotes_never_share_a_sandbox_uid() -> None:
    if launcher.os.geteuid() != 0:
        pytest.skip("sandbox uids are switched to only as root")
    first, second = slots.lease(), slots.lease()
    try:
        assert first.uid != second.uid
    finally:
        first.release()
        second.release()


def test_site_packages_under_tmp_are_shown_outside_the_workers_private_tmp(monkeypatch: pytest.MonkeyPatch) -> None:
    under_tmp = str(Path(tempfile.gettempdir()) / "clone" / ".venv" / "lib" / "site-packages")  # a CI clone's venv
    elsewhere = str(Path(sys.base_prefix) / "lib")
    monkeypatch.setattr(launcher, "site_packages", lambda: [under_tmp, elsewhere])
    assert launcher.sandbox_site_packages() == ["/opt/site-packages/0", elsewhere]
    command = launcher.bubblewrap_command(launcher.sandbox_view())
    bound = command.index(under_tmp)
    assert ["--ro-bind", under_tmp, "/opt/site-packages/0"] == command[bound - 1: bound + 2]


def test_the_view_shows_the_workers_code_but_not_the_checks_or_the_solutions() -> None:
    view = launcher.sandbox_view()
    shown = [Path(host) for host, _ in view.binds]
    assert any(path == REPO_ROOT / "course_checks" / "probes" for path in shown)
    assert REPO_ROOT / "course_checks" not in shown  # the runtime's probes only: the worker needs no harness
    for secret in (REPO_ROOT, REPO_ROOT / "solutions", launcher.PACKAGE_ROOT / "checks", launcher.PACKAGE_ROOT):
        assert secret not in shown
    assert not any(path.is_relative_to(REPO_ROOT / "solutions") or path.is_relative_to(launcher.PACKAGE_ROOT / "checks")
                   for path in shown)


class _CountingZygote:
    """Stands in for a zygote: hands out numbered workers and remembers which were closed."""

    def __init__(self) -> None:
        self.spawned: list[_Worker] = []

    def spawn(self, *, exercise_id: str, threads: int, cpu_seconds: float) -> _Worker:
        self.spawned.append(_Worker(len(self.spawned), exercise_id, cpu_seconds))
        return self.spawned[-1]


@dataclass
class _Worker:
    number: int
    exercise_id: str
    cpu_seconds: float
    closed: bool = False
    ended: bool = False  # its keeper reported its end while it waited

    def waiting(self) -> bool:
        return not self.ended

    def close(self) -> None:
        self.closed = True


def test_each_job_s_first_worker_was_started_while_an_earlier_job_ran() -> None:
    zygote = _CountingZygote()
    workers = WorkersAhead(zygote)  # type: ignore[arg-type]
    first = workers.take(exercise_id="huber", threads=1, cpu_seconds=15.0, first=True)
    restarted = workers.take(exercise_id="huber", threads=1, cpu_seconds=9.5, first=False)
    second = workers.take(exercise_id="huber", threads=1, cpu_seconds=15.0, first=True)
    assert (first.number, restarted.number, second.number) == (0, 2, 1)  # 1 was started ahead, for the next job
    # A job of another exercise in between (an nbgrader run's judge gets one notebook per chunk, of each
    # exercise in turn) leaves huber's next worker waiting for huber's next job.
    other = workers.take(exercise_id="reshape", threads=1, cpu_seconds=15.0, first=True)
    assert other.exercise_id == "reshape" and not zygote.spawned[3].closed
    third = workers.take(exercise_id="huber", threads=1, cpu_seconds=15.0, first=True)
    assert third is zygote.spawned[3]
    # One that ended while it waited is never handed out: a new one is.
    zygote.spawned[-1].ended = True
    fourth = workers.take(exercise_id="huber", threads=1, cpu_seconds=15.0, first=True)
    assert zygote.spawned[-3].closed and fourth is zygote.spawned[-2] and not fourth.ended
    workers.close()
    ahead = [zygote.spawned[-1], zygote.spawned[5]]  # huber's and reshape's next ones
    assert all(worker.closed for worker in ahead)
    assert not any(worker.closed for worker in (first, restarted, second, other, third, fourth))


def _control_groups_named(name: str) -> list[Path]:
    return [group for group in Path("/sys/fs/cgroup").glob(f"**/{name}") if group.is_dir()]


def test_a_closed_zygote_leaves_no_control_group_behind() -> None:
    zygote = Zygote()
    try:
        workers = WorkersAhead(zygote)
        results = run_checks([REFERENCE_JOB], SandboxFactory(workers, {"huber": 15.0}))
        workers.close()
        groups = _control_groups_named(f"course-{launcher.os.getpid()}-{id(zygote)}")
    finally:
        zygote.close()
    assert results["reference"].score == 10
    if not groups:
        pytest.skip("no writable cgroup hierarchy here: the zygote runs without per-slot groups")
    # Its keepers and workers die with it, a moment later: the groups must still be gone when close returns.
    assert [group for group in groups if group.exists()] == []


def test_a_judge_s_next_chunk_takes_the_worker_started_ahead_during_the_chunk_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An nbgrader run hands each judge one notebook per chunk: the worker started ahead during one chunk
    serves the judge's next chunk of that exercise, instead of being closed unused with its chunk."""
    spawned: list[str] = []
    spawn = Zygote.spawn

    def counting_spawn(self: Zygote, **request: Any) -> launcher.WorkerHandle:
        spawned.append(request["exercise_id"])
        return spawn(self, **request)

    monkeypatch.setattr(Zygote, "spawn", counting_spawn)
    judge_process.close()  # a zygote of this process's own, with no worker started ahead yet
    try:
        scores = [engine.grade_chunk([Job(f"reference{index}", "huber", REPO_ROOT / "solutions" / "huber.py", index)],
                                     None).results[f"reference{index}"].score for index in range(3)]
    finally:
        judge_process.close()
    assert scores == [10, 10, 10]
    # The first chunk's worker, then one ahead per chunk (6 when each chunk closed its own); "" is the confinement check.
    assert [exercise for exercise in spawned if exercise] == ["huber"] * 4


def test_a_keeper_waits_without_sampling_until_its_worker_s_first_call_and_that_wait_counts_as_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker started ahead may wait a whole run for its job: its keeper waits with it, instead of reading
    /proc 20 times a second, and the wait is neither the call's CPU time nor its idle time."""
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    judge_end, keeper_end = socket.socketpair()
    samples: list[int] = []
    usage_of = keeper.usage_of
    monkeypatch.setattr(keeper, "usage_of", lambda pid: samples.append(pid) or usage_of(pid))
    ended: dict[str, Any] = {}
    watching = threading.Thread(target=lambda: ended.update(keeper.watch(worker.pid, keeper_end, 9.0)))
    try:
        watching.start()
        time.sleep(1.0)
        before_the_first_call = len(samples)
        judge_end.sendall(json.dumps({"budget": {"cpu": 3.0, "idle": 10.0}}).encode() + b"\n")
        time.sleep(0.3)
    finally:
        judge_end.close()  # the keeper kills its worker when the judge lets go
        watching.join(10)
        worker.wait()
    assert before_the_first_call == 1  # the keeper's first look, as it starts
    assert len(samples) > before_the_first_call  # the call is watched
    assert ended["ended"] == "released" and ended["idle"] < 0.8  # the 0.3 s call slept; the 1 s before it did not count
