"""Grading many submissions: jobs in chunks, each chunk in a judge process with its own zygote."""

from __future__ import annotations

import math
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.grading.submissions import Submission, locate
from autograder.harness.records import ExerciseResult
from autograder.judge.runner import Job, run_checks
from autograder.manifest import Course, load_course

PARALLEL_FROM_JOBS = 12  # below this, starting judge processes (torch, a zygote) costs more than it saves
# A slot is one judge process; each gets its own sandbox uid, so one worker's limits never
# count against another's.
_slot_state: dict[str, Any] = {}


@dataclass
class SubmissionResult:
    """The grade of one PATH."""

    path: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    error: str = ""

    @property
    def score(self) -> float:
        """Points earned over the exercises present."""
        return round(sum(exercise.score for exercise in self.exercises), 6)

    @property
    def max_score(self) -> float:
        """Points available over the exercises present."""
        return round(sum(exercise.max_score for exercise in self.exercises), 6)

    def to_json(self) -> dict[str, Any]:
        """The contract's submission object (plus `error` when the PATH itself was unusable)."""
        data: dict[str, Any] = {"path": self.path, "score": self.score, "max_score": self.max_score,
                                "exercises": [exercise.to_json() for exercise in self.exercises]}
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class GradingRun:
    """All results of one `course grade`, with the isolation the workers reported."""

    submissions: list[SubmissionResult]
    protections: dict[str, bool]
    sandboxed_filesystem: bool

    @property
    def missing_protections(self) -> list[str]:
        """Protections some worker could not apply, plus the filesystem view if bubblewrap was missing."""
        missing = [name for name, active in self.protections.items() if not active]
        return (["filesystem view (bubblewrap)"] if not self.sandboxed_filesystem else []) + missing

    def to_json(self) -> dict[str, Any]:
        """The contract's document (plus `isolation`)."""
        return {"submissions": [submission.to_json() for submission in self.submissions],
                "isolation": {"active": sorted(name for name, on in self.protections.items() if on) +
                              (["filesystem view (bubblewrap)"] if self.sandboxed_filesystem else []),
                              "missing": self.missing_protections}}


def _slot_initializer(slot_counter: Any) -> None:
    with slot_counter.get_lock():
        _slot_state["slot"] = slot_counter.value
        slot_counter.value += 1


def _grade_chunk(jobs: list[Job], time_limits: dict[str, float] | None,
                 fresh_processes: bool = False) -> tuple[dict[str, ExerciseResult], dict[str, bool], bool]:
    from autograder.sandbox.launcher import Zygote, bubblewrap
    from autograder.sandbox.student import SandboxFactory

    course = load_course()
    limits = time_limits or {exercise.id: exercise.time_limit for exercise in course.exercises}
    if "zygote" not in _slot_state and not fresh_processes:
        _slot_state["zygote"] = Zygote()
    zygote = None if fresh_processes else _slot_state["zygote"]
    factory = SandboxFactory(zygote, limits, slot=_slot_state.get("slot", 0))
    results = run_checks(jobs, factory)
    protections = factory.protections | (zygote.group_caps if zygote is not None else {})
    return results, protections, zygote.sandboxed if zygote is not None else bubblewrap() is not None


def grade_jobs(jobs: list[Job], time_limits: dict[str, float] | None = None, workers: int = 1,
               fresh_processes: bool = False) -> dict[str, ExerciseResult]:
    """Grade jobs in the sandbox: here (keeping this process's zygote for later calls), or, with
    `workers` > 1 and enough jobs to repay starting them, in that many judge processes."""
    if workers > 1 and len(jobs) >= PARALLEL_FROM_JOBS:
        chunks = _chunks([[job] for job in jobs], workers)
        results: dict[str, ExerciseResult] = {}
        for chunk_results, _, _ in _run_chunks(chunks, workers, time_limits, fresh_processes=fresh_processes):
            results |= chunk_results
        return results
    results, _, _ = _grade_chunk(jobs, time_limits, fresh_processes)
    return results


def _jobs_for(index: int, submission: Submission, seed: int) -> list[Job]:
    return [Job(job_id=f"{index}:{exercise_id}", exercise_id=exercise_id, module_path=path,
                seed=seed + 7919 * index, unavailable=submission.unavailable.get(exercise_id, ""))
            for exercise_id, path in submission.modules.items()]


def grade(paths: list[Path], *, workers: int, course: Course | None = None,
          time_limits: dict[str, float] | None = None, fresh_processes: bool = False,
          on_progress: Callable[[int, int], None] | None = None) -> GradingRun:
    """Grade each PATH in the sandbox; hidden inputs come from a seed drawn fresh for this run."""
    course = course or load_course()
    seed = int.from_bytes(os.urandom(4), "little")
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        submissions = [locate(path, course, Path(scratch)) for path in paths]
        chunks = _chunks([_jobs_for(index, submission, seed) for index, submission in enumerate(submissions)],
                         workers)
        results: dict[str, ExerciseResult] = {}
        protections: dict[str, bool] = {}
        sandboxed = True
        done = 0
        for chunk_results, chunk_protections, chunk_sandboxed in _run_chunks(chunks, workers, time_limits, fresh_processes):
            results |= chunk_results
            for name, active in chunk_protections.items():
                protections[name] = protections.get(name, True) and active
            sandboxed = sandboxed and chunk_sandboxed
            done += 1
            if on_progress is not None:
                on_progress(done, len(chunks))
    graded = [SubmissionResult(submission.path, [results[f"{index}:{exercise_id}"] for exercise_id in submission.modules],
                               error=submission.error)
              for index, submission in enumerate(submissions)]
    return GradingRun(graded, protections, sandboxed)


def _chunks(per_submission: list[list[Job]], workers: int) -> list[list[Job]]:
    """Consecutive submissions grouped so that every judge process gets a few chunks (for progress)."""
    non_empty = [jobs for jobs in per_submission if jobs]
    if not non_empty:
        return []
    size = max(1, math.ceil(len(non_empty) / (workers * 4)))
    return [[job for jobs in non_empty[start:start + size] for job in jobs] for start in range(0, len(non_empty), size)]


def _run_chunks(chunks: list[list[Job]], workers: int, time_limits: dict[str, float] | None,  # type: ignore[no-untyped-def]
                fresh_processes: bool):
    if workers <= 1 or len(chunks) <= 1:
        try:
            for chunk in chunks:
                yield _grade_chunk(chunk, time_limits, fresh_processes)
        finally:
            zygote = _slot_state.pop("zygote", None)
            if zygote is not None:
                zygote.close()
        return
    context = multiprocessing.get_context("spawn")
    counter = context.Value("i", 0)
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context,
                             initializer=_slot_initializer, initargs=(counter,)) as pool:
        futures = [pool.submit(_grade_chunk, chunk, time_limits, fresh_processes) for chunk in chunks]
        for future in as_completed(futures):
            yield future.result()
