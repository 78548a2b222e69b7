"""Grading on a real dask.distributed cluster on localhost: `dask scheduler` and two `dask worker` processes.

The same 60 submissions are graded locally and on the cluster with the same seed, and every check's
score must agree; one worker is killed mid-run, and every submission must still be graded exactly once.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CourseCli

from autograder.grading.engine import GradingRun, grade
from autograder.manifest import REPO_ROOT, load_course

PER_EXERCISE = 10
TOOLS = Path(sys.executable).parent
START_SECONDS = 180.0


@dataclass
class Cluster:
    address: str
    workers: list[subprocess.Popen[bytes]]


def _wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + START_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {START_SECONDS:g} s")
        time.sleep(0.2)


@contextlib.contextmanager
def _start_cluster(directory: Path, workers: int, worker_env: dict[str, str] | None = None) -> Iterator[Cluster]:
    scheduler_file = directory / "scheduler.json"
    processes = [subprocess.Popen([str(TOOLS / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)], cwd=directory,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  # the killed scheduler's dask-scratch-space stays in the test's directory
                                  env=dict(os.environ, TMPDIR=str(directory)))]
    try:
        _wait_for(scheduler_file.exists, "the scheduler writing its address")
        address = json.loads(scheduler_file.read_text())["address"]
        started = [subprocess.Popen([str(TOOLS / "dask"), "worker", address, "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard", "--name", f"judge-{number}",
                                     "--local-directory", str(directory / f"worker-{number}")], cwd=directory,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    # what a killed worker leaves in its temporary directory stays in the test's
                                    env=dict(os.environ, TMPDIR=str(directory)) | (worker_env or {}))
                   for number in range(workers)]
        processes += started
        from distributed import Client

        with Client(address) as client:
            client.wait_for_workers(workers, timeout=START_SECONDS)
        yield Cluster(address, started)
    finally:
        for process in processes:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with _start_cluster(tmp_path_factory.mktemp("dask"), workers=2) as started:
        yield started


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("class")
    paths = []
    for exercise in load_course().exercises:
        sources = [REPO_ROOT / "solutions" / exercise.module_file]
        sources += sorted((REPO_ROOT / "tests" / "catalogue" / exercise.id / "wrong").glob("*.py"))[:PER_EXERCISE - 1]
        for number, source in enumerate(sources):
            target = root / f"{exercise.id}-{number}" / exercise.module_file
            target.parent.mkdir()
            shutil.copyfile(source, target)
            paths.append(target)
    return paths


def _scores(run: GradingRun) -> dict[str, dict[str, float]]:
    return {result.path: {check.check_id: check.score for exercise in result.exercises for check in exercise.checks}
            for result in run.submissions}


def test_the_cluster_grades_like_this_machine_even_when_a_worker_dies(cluster: Cluster, submissions: list[Path]) -> None:
    seed = int.from_bytes(os.urandom(4), "little")
    local = grade(submissions, workers=2, seed=seed)
    killed: list[int] = []

    def kill_a_busy_worker(done: int, total: int) -> None:
        """After the first chunk, kill a worker that is grading a chunk right now."""
        from distributed import Client

        if killed or done < 1 or done >= total:
            return
        with Client(cluster.address) as client:
            names = {address: info["name"] for address, info in client.scheduler_info()["workers"].items()}
            busy = [names[address] for address, keys in client.processing().items() if keys and address in names]
        if busy:
            victim = cluster.workers[int(str(busy[0]).removeprefix("judge-"))]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)

    remote = grade(submissions, workers=2, seed=seed, scheduler=cluster.address, on_progress=kill_a_busy_worker)
    assert killed, "no worker was busy after the first chunk, so none was killed"
    assert [result.path for result in remote.submissions] == [str(path) for path in submissions]
    assert len({result.path for result in remote.submissions}) == len(submissions)
    assert _scores(remote) == _scores(local)
    assert remote.protections == local.protections and remote.view == local.view


def test_a_worker_that_cannot_confine_refuses_and_the_run_names_it(tmp_path: Path, submissions: list[Path]) -> None:
    from autograder.sandbox.protections import IsolationMissing

    unconfined = {"PATH": str(TOOLS), "COURSE_SANDBOX_VIEW": "bubblewrap"}  # bubblewrap required and hidden
    with _start_cluster(tmp_path, workers=1, worker_env=unconfined) as cluster:
        with pytest.raises(IsolationMissing, match=r"Dask worker tcp://127\.0\.0\.1:\d+"):
            grade(submissions[:2], workers=1, scheduler=cluster.address)


def test_a_local_cluster_grades_like_this_machine_and_leaves_nothing_in_the_temporary_directory(
        tmp_path: Path, submissions: list[Path], course_cli: CourseCli) -> None:
    """`course grade --scheduler local` starts a LocalCluster: its scheduler's lock files, like its workers'
    files, go in the run's own scratch, removed at the end."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    reference = str(submissions[0])  # its scores do not depend on the run's fresh seed
    on_cluster = course_cli("grade", "--json", "--scheduler", "local", reference, cwd=REPO_ROOT,
                            env={"TMPDIR": str(temporary)})
    here = course_cli("grade", "--json", reference, cwd=REPO_ROOT)
    assert on_cluster.returncode == here.returncode == 0, on_cluster.stderr
    scores = [[(submission["score"], submission["max_score"])
               for submission in json.loads(done.stdout)["submissions"]] for done in (on_cluster, here)]
    assert scores[0] == scores[1] and scores[0][0][0] == scores[0][0][1] > 0
    assert sorted(os.listdir(temporary)) == []
