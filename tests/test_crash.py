"""Killed mid-run, the grader leaves nothing running: no judge, zygote or worker outlives what started it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from process_tree import cmdline, descendants, parent, start_time

from autograder.manifest import REPO_ROOT, load_course
from autograder.sandbox.slots import FIRST_SANDBOX_UID, SLOT_COUNT

COURSE_COMMAND = Path(sys.executable).parent / "course"
CPU_LOOP = REPO_ROOT / "tests" / "adversarial" / "cpu_loop.py"
JUDGE_DIES_AT_BIRTH = Path(__file__).with_name("judge_dies_at_birth.py")
PATIENCE_SECONDS = 120.0  # to reach a kill point, or for everything to end after a kill (a loaded machine)


def _uid(pid: int) -> int | None:
    try:
        line = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Uid:"))
    except (OSError, StopIteration):
        return None
    return int(line.split()[1])


def _is_zygote(pid: int) -> bool:
    return "autograder.sandbox.zygote" in cmdline(pid)


def _is_worker(pid: int) -> bool:
    uid = _uid(pid)
    return uid is not None and FIRST_SANDBOX_UID <= uid < FIRST_SANDBOX_UID + SLOT_COUNT


def _is_judge(pid: int) -> bool:
    """A judge of the pool: forked by multiprocessing's forkserver (whose command line it shares)."""
    return "multiprocessing.forkserver" in cmdline(pid) and "multiprocessing.forkserver" in cmdline(parent(pid))


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("crash")
    paths = []
    for index, exercise in enumerate(load_course().exercises * 2):
        target = root / f"reference-{index}" / exercise.module_file
        target.parent.mkdir()
        shutil.copyfile(REPO_ROOT / "solutions" / exercise.module_file, target)
        paths.append(str(target))
    for index in range(2):
        target = root / f"loop-{index}" / "huber.py"
        target.parent.mkdir()
        shutil.copyfile(CPU_LOOP, target)
        paths.append(str(target))
    return paths


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"course grade ended (status {process.returncode}) before the kill point was reached")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the kill point was not reached")
        time.sleep(0.05)


KILL_POINTS = {
    "judges starting": lambda tree: any(_is_judge(pid) for pid in tree),
    "zygotes starting": lambda tree: any(_is_zygote(pid) for pid in tree),
    "workers running": lambda tree: sum(_is_worker(pid) for pid in tree) >= 1,
}


@pytest.mark.skipif(os.geteuid() != 0, reason="workers are told apart by their sandbox uid, which needs root")
@pytest.mark.parametrize("victim", ["course grade", "one judge"])
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_nothing_outlives_a_kill(submissions: list[str], tmp_path: Path, point: str, victim: str) -> None:
    process = subprocess.Popen([str(COURSE_COMMAND), "grade", "--json", "--workers", "2", *submissions],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, TMPDIR=str(tmp_path)))  # what the kill leaves stays here
    def reached(tree: dict[int, str]) -> bool:  # for one judge, a judge too: the run's zygote starts before them
        return KILL_POINTS[point](tree) and (victim == "course grade" or any(_is_judge(pid) for pid in tree))

    _wait_for(lambda: reached(descendants(process.pid)), process)
    tree = descendants(process.pid)
    # The judges are slots of one zygote, the run's: killed, a judge takes nothing with it but its
    # workers (their lifelines close); the run then stops with a grader fault, and with it the rest.
    target = process.pid if victim == "course grade" else next(pid for pid in tree if _is_judge(pid))
    os.kill(target, signal.SIGKILL)
    if victim == "one judge":
        _wait_or_kill(process, tree, "after one of its judges was killed")  # it stops with a grader fault
    else:
        process.wait()
    _assert_all_ended(tree)


def _alive(tree: dict[int, str]) -> dict[int, str]:
    return {pid: cmdline(pid)[:120] for pid, started in tree.items() if start_time(pid) == started}


def _assert_all_ended(tree: dict[int, str]) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while _alive(tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(tree) == {}, f"still running {PATIENCE_SECONDS:g} s after the kill: {_alive(tree)}"


def _wait_or_kill(process: subprocess.Popen[bytes], tree: dict[int, str], when: str,
                  timeout: float = PATIENCE_SECONDS) -> None:
    """Wait for the run to end; if it does not, kill it and all it started, so that a hang costs the
    suite one failure and leaves nothing running."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        for pid in [process.pid, *descendants(process.pid), *tree]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()
        pytest.fail(f"the run still ran {PATIENCE_SECONDS:g} s {when}")


@pytest.mark.parametrize("moment", ["before", "after"])
def test_a_judge_that_dies_while_the_next_one_starts_ends_the_run_with_every_chunk_answered(
        tmp_path: Path, moment: str) -> None:
    """The pool breaks while it is still starting judges (`moment` the next one's process starts): the
    run ends all the same, each chunk with a grade or a grader fault, and leaves no judge behind."""
    output, errors = tmp_path / "outcomes.json", tmp_path / "stderr.txt"
    with output.open("wb") as stdout, errors.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, str(JUDGE_DIES_AT_BIRTH), moment,
                                    "huber", "reshape", "zero_init", "bias_update"],
                                   cwd=tmp_path, stdout=stdout, stderr=stderr, env=dict(os.environ, TMPDIR=str(tmp_path)))
    tree: dict[int, str] = {}
    deadline = time.monotonic() + PATIENCE_SECONDS
    while process.poll() is None and time.monotonic() < deadline:
        tree |= descendants(process.pid)
        time.sleep(0.05)
    _wait_or_kill(process, tree, "after its first judge died while the second started", timeout=0.1)
    assert process.returncode == 0, f"the run failed: {errors.read_text()[-2000:]}"
    outcomes = json.loads(output.read_text())
    assert set(outcomes) <= {"graded", "GraderFault"} and "GraderFault" in outcomes, outcomes
    _assert_all_ended(tree)
