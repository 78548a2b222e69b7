"""`course watch`, as Rustlings has: the current exercise's checks on every save, the next one named,
progress remembered between runs (in COURSE_STATE_DIR, a temporary folder here: see conftest.py)."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autograder.cli import app
from autograder.selfstudy.progress import run_exercise
from course_checks.harness.state import LearnerState, digest_of
from autograder.selfstudy.watch import Watcher
from autograder.manifest import REPO_ROOT, load_course

COURSE = load_course()
TOTAL = len(COURSE.exercises)


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    shutil.copytree(REPO_ROOT / "exercises", tmp_path / "exercises")
    return tmp_path / "exercises"


def _finish(learner: Path, exercise_id: str) -> None:
    exercise = COURSE.exercise(exercise_id)
    shutil.copy(REPO_ROOT / "solutions" / exercise.module_file, learner / exercise.folder / exercise.module_file)


def _text(screen: list | None) -> str:
    assert screen is not None
    return "\n".join(line.text for line in screen)


def test_watch_shows_only_the_current_exercise_moves_on_when_it_passes_and_remembers(learner: Path) -> None:
    watcher = Watcher(COURSE, learner, LearnerState(learner))
    first = _text(watcher.step(force=True))
    assert f"exercise 1 of {TOTAL}: zero_init" in first and "then comes 2, learning_rate" in first
    assert "learning_rate is not implemented" not in first and "loss_curve" not in first
    assert watcher.step() is None  # nothing saved since: nothing runs
    _finish(learner, "zero_init")
    second = _text(watcher.step())
    assert f"course watch: 1 of {TOTAL} exercises complete" in second and f"exercise 2 of {TOTAL}: learning_rate" in second
    assert watcher.ran == ["zero_init", "zero_init", "learning_rate"]
    # A new session (the learner comes back tomorrow) does not run the finished exercise again.
    again = Watcher(COURSE, learner, LearnerState(learner))
    assert f"exercise 2 of {TOTAL}: learning_rate" in _text(again.step(force=True)) and again.ran == ["learning_rate"]
    # Editing a finished exercise sends the learner back to it.
    path = learner / COURSE.exercise("zero_init").folder / "zero_init.py"
    path.write_text(path.read_text().replace("return math.sqrt(variance)", "return variance"))
    assert f"exercise 1 of {TOTAL}: zero_init" in _text(again.step())


def test_watch_once_exits_0_only_when_every_exercise_is_complete(learner: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["watch", "--once", "--exercises", str(learner)]).exit_code == 1
    for exercise in COURSE.exercises:
        _finish(learner, exercise.id)
    result = runner.invoke(app, ["watch", "--once", "--exercises", str(learner)])
    assert result.exit_code == 0, result.output
    assert f"course watch: {TOTAL} of {TOTAL} exercises complete" in result.output and f"all {TOTAL} exercises are complete" in result.output


def test_a_run_of_the_watch_loop_follows_the_learners_saves(learner: Path) -> None:
    """The real command: started, shown a save, stopped with Ctrl-C, progress kept."""
    course = Path(sys.executable).parent / "course"
    process = subprocess.Popen([str(course), "watch", "--exercises", str(learner), "--interval", "0.1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()

    def wait_for(text: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        seen = []
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            if text in seen[-1]:
                return
        pytest.fail(f"course watch never printed {text!r}; it printed:\n{''.join(seen)[-2000:]}")

    try:
        wait_for(f"exercise 1 of {TOTAL}: zero_init")
        wait_for("Watching for changes")
        _finish(learner, "zero_init")
        wait_for(f"exercise 2 of {TOTAL}: learning_rate")
        wait_for("Watching for changes")
        process.send_signal(signal.SIGINT)
        wait_for("course watch: stopped; your progress is saved.")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert LearnerState(learner).is_complete("zero_init", digest_of(learner / "01_zero_init" / "zero_init.py"))
    assert run_exercise(learner, COURSE.exercise("zero_init")).complete


def test_unreadable_saved_progress_is_set_aside_and_said_in_one_line(learner: Path) -> None:
    state = LearnerState(learner)
    state.path.parent.mkdir(parents=True, exist_ok=True)
    state.path.write_text("{ not json")
    again = LearnerState(learner)
    assert again.problem.startswith("the saved progress could not be read; it is kept as ")
    assert again.path.with_suffix(".unreadable").read_text() == "{ not json"
    assert "note: the saved progress could not be read" in _text(Watcher(COURSE, learner, again).step(force=True))
