"""Fair under load: a timeout stands only when the submission itself used up its CPU time.

The references are graded with tight per-exercise budgets while busy processes hold every core
several times over, so each worker gets a small share of a CPU and its calls take many times longer
in wall-clock time than its budget; all must still get full marks. An endless loop is still cut,
and reported as the submission's timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.grading.engine import grade
from autograder.manifest import REPO_ROOT, load_course

BUSY_PER_CORE = 4
TIGHT_BUDGET = 4.0  # CPU seconds per exercise: a few times what each reference needs, far less than it takes here
CPU_LOOP = REPO_ROOT / "tests" / "adversarial" / "cpu_loop.py"


@pytest.fixture
def every_core_busy() -> Iterator[int]:
    count = BUSY_PER_CORE * (os.cpu_count() or 1)
    # Each in its own session, like other users' jobs: the kernel shares CPUs between sessions (autogroups).
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                for _ in range(count)]
    try:
        yield count
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_references_keep_full_marks_while_every_core_is_busy(tmp_path: Path, every_core_busy: int) -> None:
    course = load_course()
    paths = []
    for exercise in course.exercises:
        target = tmp_path / exercise.id / exercise.module_file
        target.parent.mkdir()
        shutil.copyfile(REPO_ROOT / "solutions" / exercise.module_file, target)
        paths.append(target)
    loop = tmp_path / "loop" / "huber.py"
    loop.parent.mkdir()
    shutil.copyfile(CPU_LOOP, loop)
    run = grade([*paths, loop], workers=1, course=course,
                time_limits={exercise.id: TIGHT_BUDGET for exercise in course.exercises})
    *references, endless = run.submissions
    for result in references:
        (exercise,) = result.exercises
        lost = [f"{check.check_id}: {check.status} {check.message[:200]}" for check in exercise.checks
                if check.status != "passed"]
        assert exercise.score == exercise.max_score, f"{result.path} under {every_core_busy} busy processes: {lost}"
    (looping,) = endless.exercises
    assert looping.status == "timeout" and "CPU time" in "\n".join(check.message for check in looping.checks)
