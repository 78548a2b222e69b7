"""The grading process of an nbgrader autograde run: its judges import torch once between them, its
answers are the engine's, and a grading process that dies costs only the speed of the notebooks it
had not answered (each is then graded on its own)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from process_tree import children, cmdline, descendants, parent

from autograder.manifest import REPO_ROOT, load_course
from autograder.nbgrader_plugin.judges import JudgeFailed, Judges, Module
from autograder.nbgrader_plugin.sandbox_grading import ResultsByModule, module

PATIENCE_SECONDS = 120.0  # a loaded machine
TORCH_LIBRARY = "libtorch_cpu"


def _reference_modules(exercise_ids: list[str]) -> list[Module]:
    course = load_course()
    exercises = {exercise.id: exercise for exercise in course.exercises}
    return [module(exercises[exercise_id], (REPO_ROOT / "solutions" / f"{exercise_id}.py").read_text(encoding="utf-8"))
            for exercise_id in exercise_ids]


def _maps_torch(pid: int) -> bool | None:
    """Whether `pid` has torch's library mapped; None once it is gone or exiting (a zombie maps nothing)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return None
    return TORCH_LIBRARY in maps if maps else None


def _grading_processes() -> set[int]:
    """The grading processes (Judges') this test process has started and that still run."""
    return {child for child in children(os.getpid()) if "nbgrader_plugin.judges import serve" in cmdline(child)}


def _new_grading_process(before: set[int]) -> int:
    """The grading process this test process started since `before`."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        started = _grading_processes() - before
        if started:
            return started.pop()
        time.sleep(0.02)
    pytest.fail("no grading process started")


def _wait_until_ended(before: set[int]) -> None:
    """A grading process cleans up and ends once it has answered; the suite leaves nothing behind."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while _grading_processes() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _grading_processes() - before, "a grading process outlived its last answer"


def test_the_judges_of_a_run_import_torch_once_between_them() -> None:
    """Two judges, each grading a chunk: torch is imported by the judges' server (and by the zygote, in the
    sandbox), never by each judge and never by the grading process itself."""
    modules = _reference_modules(["huber", "reshape", "zero_init", "bias_update"])
    before = _grading_processes()
    judges = Judges([modules[:2], modules[2:]], workers=2)
    grading = _new_grading_process(before)
    records: dict[str, dict] = {}
    collecting = threading.Thread(target=lambda: records.update({one.key: judges.result(one.key) for one in modules}))
    collecting.start()
    # Whether each process's parent had torch when the process was first seen (None: it could not be
    # told, the parent being gone). A process is told by its parent at first sight, not now: by now the
    # parent may have exited, and the process been re-parented to one without torch.
    parent_had_torch: dict[tuple[int, str], bool | None] = {}
    importers: dict[int, str] = {}  # each process seen with torch loaded while its parent had not
    grading_imported = False
    while collecting.is_alive():
        grading_imported |= bool(_maps_torch(grading))
        for seen in descendants(grading).items():
            pid = seen[0]
            if seen not in parent_had_torch:
                parent_had_torch[seen] = _maps_torch(parent(pid))
            if parent_had_torch[seen] is False and _maps_torch(pid):
                importers[pid] = cmdline(pid)[:120]
        time.sleep(0.02)
    assert not grading_imported, "the grading process plans and collects; it never imports torch"
    assert len(importers) == 2, f"torch is imported by the judges' server and the zygote only: {importers}"
    for one in modules:
        record = records[one.key]
        assert record["exercise_id"] == one.exercise_id
        assert all(check["status"] == "passed" for check in record["checks"]), record
    _wait_until_ended(before)


def test_a_grading_process_that_dies_leaves_each_notebook_it_had_not_answered_to_be_graded_on_its_own() -> None:
    huber, reshape = _reference_modules(["huber", "reshape"])
    before = _grading_processes()
    judges = Judges([[huber], [reshape]], workers=1)
    grading = _new_grading_process(before)
    os.kill(grading, signal.SIGKILL)
    with pytest.raises(JudgeFailed, match="grading process"):
        judges.result(reshape.key)
    results = ResultsByModule()
    results._judges = judges  # the run's judges, as `ResultsByModule.start` keeps them
    course = load_course()
    exercise = next(exercise for exercise in course.exercises if exercise.id == "reshape")
    record = results.result(exercise, reshape.source)
    assert record["checks"] and all(check["status"] == "passed" for check in record["checks"]), record
    _wait_until_ended(before)
