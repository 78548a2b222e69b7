"""Grading many submissions: jobs in chunks, each chunk in a judge process, each judge a slot of one zygote.

Before a judge process grades anything it asks one of its workers which protections it got; when a
required one is missing it refuses (`IsolationMissing`) unless the run is `trusted`. The judge
processes of a pool and their shared zygote (with its workers) die with the process that started them.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_checks import i18n
from autograder.grading import judge_pool, judge_process
from autograder.scratch import scratch_directory
from autograder.grading.submissions import Submission, locate
from course_checks.harness.jobs import GraderFault, Job
from course_checks.harness.records import ExerciseResult
from autograder.manifest import Course, load_course
from autograder.sandbox.launcher import Zygote
from autograder.sandbox.protections import Protection

PARALLEL_FROM_JOBS = 12  # below this, starting judge processes (torch, a zygote) costs more than it saves


@dataclass
class SubmissionResult:
    """The grade of one PATH."""

    path: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    error: str = ""  # the PATH itself could not be graded

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
class ChunkOutcome:
    """What one judge process reports for one chunk: plain data, so it can travel between processes."""

    results: dict[str, ExerciseResult]
    protections: dict[Protection, bool]
    view: str
    sandbox_uid: int | None


@dataclass
class GradingRun:
    """All results of one `course grade`, with the isolation the workers reported."""

    submissions: list[SubmissionResult]
    protections: dict[Protection, bool]
    view: str
    trusted: bool = False
    sandbox_uids: list[int] = field(default_factory=list)

    @property
    def missing_protections(self) -> list[Protection]:
        """Protections some worker could not apply, in the enum's order."""
        return [protection for protection in Protection if not self.protections.get(protection, False)]

    @property
    def ungraded(self) -> list[SubmissionResult]:
        """PATHs that could not be graded at all (missing, a link, not a submission)."""
        return [submission for submission in self.submissions if submission.error]

    def to_json(self) -> dict[str, Any]:
        """The contract's document (plus `isolation`)."""
        return {"submissions": [submission.to_json() for submission in self.submissions],
                "isolation": {"view": self.view, "trusted": self.trusted,
                              "active": [protection.value for protection in Protection
                                         if self.protections.get(protection, False)],
                              "missing": [protection.value for protection in self.missing_protections]}}


def require_confinement() -> None:
    """Raise IsolationMissing unless this machine can confine submitted code (runs none)."""
    try:
        judge_process.confined_zygote(trusted=False)
    finally:
        judge_process.close()


def grade_chunk(jobs: list[Job], time_limits: dict[str, float] | None, *, trusted: bool = False,
                fresh_processes: bool = False, language: str | None = None) -> ChunkOutcome:
    """Grade jobs in this process's sandbox, messages in `language` (default: the current one);
    IsolationMissing, before any code runs, if it cannot confine."""
    # Launched first, and told what is coming: its torch import and warm-ups overlap with the checks' imports.
    judge_process.zygote().prepare(_exercises_of([jobs]))
    from autograder.judge.runner import run_checks
    from autograder.sandbox.ahead import WorkersAhead
    from autograder.sandbox.student import SandboxFactory

    if language is not None:
        i18n.set_language(language)

    course = load_course()
    limits = time_limits or {exercise.id: exercise.time_limit for exercise in course.exercises}
    zygote, confinement = judge_process.confined_zygote(trusted)
    factory = SandboxFactory(WorkersAhead(None) if fresh_processes else judge_process.workers_ahead(), limits,
                             trusted=trusted)
    results = run_checks(jobs, factory)
    if factory.refused is not None:
        raise factory.refused
    protections = {name: active and factory.protections.get(name, active) for name, active in confinement.items()}
    return ChunkOutcome(results, protections, zygote.view, zygote.uid)


def grade_jobs(jobs: list[Job], time_limits: dict[str, float] | None = None, workers: int = 1, *,
               trusted: bool = False, fresh_processes: bool = False,
               scheduler: str | None = None, language: str | None = None) -> dict[str, ExerciseResult]:
    """Grade jobs in the sandbox: here (keeping this process's zygote for later calls), with `workers`
    > 1 and enough jobs to repay starting them in that many judge processes, or on a Dask cluster."""
    if scheduler is not None or (workers > 1 and len(jobs) >= PARALLEL_FROM_JOBS):
        results: dict[str, ExerciseResult] = {}
        for outcome in _run_chunks(_chunks([[job] for job in jobs], workers), workers, time_limits, trusted,
                                   fresh_processes, keep_zygote=True, scheduler=scheduler,
                                   language=language or i18n.current()):
            results |= outcome.results
        return results
    with i18n.use(language or i18n.current()):
        return grade_chunk(jobs, time_limits, trusted=trusted, fresh_processes=fresh_processes).results


def _jobs_for(index: int, submission: Submission, seed: int) -> list[Job]:
    return [Job(job_id=f"{index}:{exercise_id}", exercise_id=exercise_id, module_path=path,
                seed=seed + 7919 * index, unavailable=submission.unavailable.get(exercise_id, ""))
            for exercise_id, path in submission.modules.items()]


def grade(paths: list[Path], *, workers: int, course: Course | None = None,
          time_limits: dict[str, float] | None = None, trusted: bool = False, fresh_processes: bool = False,
          scheduler: str | None = None, seed: int | None = None, language: str | None = None,
          on_progress: Callable[[int, int], None] | None = None) -> GradingRun:
    """Grade each PATH in the sandbox, here or on the Dask cluster at `scheduler` ("local": a new one).

    Hidden inputs come from `seed`, drawn fresh for the run unless given (to compare two graders)."""
    course = course or load_course()
    seed = int.from_bytes(os.urandom(4), "little") if seed is None else seed
    language = language or i18n.current()
    with scratch_directory("course-grade-") as scratch:
        submissions = [locate(path, course, Path(scratch)) for path in paths]
        chunks = _chunks([_jobs_for(index, submission, seed) for index, submission in enumerate(submissions)],
                         workers)
        results: dict[str, ExerciseResult] = {}
        protections: dict[Protection, bool] = {}
        views, uids = set(), set()
        for done, outcome in enumerate(_run_chunks(chunks, workers, time_limits, trusted, fresh_processes,
                                                   scheduler=scheduler, language=language), 1):
            results |= outcome.results
            for name, active in outcome.protections.items():
                protections[name] = protections.get(name, True) and active
            views.add(outcome.view)
            if outcome.sandbox_uid is not None:
                uids.add(outcome.sandbox_uid)
            if on_progress is not None:
                on_progress(done, len(chunks))
    graded = [SubmissionResult(submission.path, [results[f"{index}:{exercise_id}"] for exercise_id in submission.modules],
                               error=submission.error)
              for index, submission in enumerate(submissions)]
    return GradingRun(graded, protections, " + ".join(sorted(views)) or "none", trusted, sorted(uids))


def _exercises_of(chunks: list[list[Job]]) -> list[str]:
    """The exercises the chunks grade a module of, in the order they first come."""
    return list(dict.fromkeys(job.exercise_id for jobs in chunks for job in jobs if job.module_path is not None))


def _chunks(per_submission: list[list[Job]], workers: int) -> list[list[Job]]:
    """Consecutive submissions grouped so that every judge process gets a few chunks (for progress)."""
    non_empty = [jobs for jobs in per_submission if jobs]
    if not non_empty:
        return []
    size = max(1, math.ceil(len(non_empty) / (workers * 4)))
    return [[job for jobs in non_empty[start:start + size] for job in jobs] for start in range(0, len(non_empty), size)]


def _run_chunks(chunks: list[list[Job]], workers: int, time_limits: dict[str, float] | None, trusted: bool,
                fresh_processes: bool, keep_zygote: bool = False, scheduler: str | None = None,
                language: str = i18n.SOURCE_LANGUAGE) -> Iterator[ChunkOutcome]:
    if scheduler is not None:
        from autograder.grading.distributed import run_chunks_on_cluster

        yield from run_chunks_on_cluster(chunks, time_limits, trusted, scheduler, language)
        return
    # closed before an exception leaves: its zygote and pool go at once, not when the traceback is freed
    with contextlib.closing(chunk_outcomes(chunks, workers, [language] * len(chunks), time_limits, trusted=trusted,
                                           fresh_processes=fresh_processes, keep_zygote=keep_zygote)) as outcomes:
        for _, outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
            yield outcome


def chunk_outcomes(chunks: list[list[Job]], workers: int, languages: list[str],
                   time_limits: dict[str, float] | None = None, *, trusted: bool = False,
                   fresh_processes: bool = False, keep_zygote: bool = False,
                   ) -> Iterator[tuple[int, ChunkOutcome | Exception]]:
    """Each chunk's index and outcome (or the exception that stopped it), as chunks finish; chunk i's
    messages in `languages[i]`.

    With `workers` > 1 and several chunks, a pool of judge processes grades them in order, each judge a
    slot of one zygote; otherwise this process does, with its own zygote (kept if `keep_zygote`). Once a
    judge process has died, the chunks not yet answered get a GraderFault. SandboxError if no zygote
    starts."""
    if workers <= 1 or len(chunks) <= 1:
        try:
            for index, chunk in enumerate(chunks):
                with i18n.use(languages[index]):
                    try:
                        outcome: ChunkOutcome | Exception = grade_chunk(chunk, time_limits, trusted=trusted,
                                                                        fresh_processes=fresh_processes)
                    except Exception as exc:  # reported with its chunk; the caller decides whether to go on
                        outcome = exc
                yield index, outcome
        finally:
            if not keep_zygote:
                judge_process.close()
        return
    shared = Zygote()  # one torch import and warm-up for the whole pool: each judge is a slot of it
    shared.prepare(_exercises_of(chunks))  # warmed while the judges start
    try:
        yield from _pool_outcomes(chunks, workers, languages, shared, time_limits, trusted, fresh_processes)
    finally:
        shared.close()


def _pool_outcomes(chunks: list[list[Job]], workers: int, languages: list[str], shared: Zygote,
                   time_limits: dict[str, float] | None, trusted: bool, fresh_processes: bool,
                   ) -> Iterator[tuple[int, ChunkOutcome | Exception]]:
    """Each chunk's index and outcome from a pool of judge processes, slots of `shared`; once the pool
    breaks (a judge died), a GraderFault for each chunk not yet answered, and the pool's judges killed.

    The pool starts a judge per chunk submitted while none is idle, so one can die while another is
    still being started. The pool then cannot start it (its queues are closed), or starts it unseen by
    what stops the other judges, and waits for it at shutdown for ever; and a chunk submitted meanwhile
    never gets an answer. So nothing here waits for the pool once it has broken."""
    pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=judge_pool.judge_context(),
                               initializer=judge_process.start_pool_judge, initargs=(shared.link(), os.getpid()))
    futures: dict[Future[ChunkOutcome], int] = {}
    broken: Exception | None = None
    try:
        for index, chunk in enumerate(chunks):
            try:
                futures[pool.submit(grade_chunk, chunk, time_limits, trusted=trusted,
                                    fresh_processes=fresh_processes, language=languages[index])] = index
            except (BrokenProcessPool, OSError) as exc:  # OSError: a queue closed by the pool as it broke
                broken = exc
                break
        answered: set[int] = set()
        for future in () if broken else as_completed(futures):
            try:
                outcome: ChunkOutcome | Exception = future.result()
            except BrokenProcessPool as exc:
                broken = exc
                break
            except Exception as exc:
                outcome = exc
            answered.add(futures[future])
            yield futures[future], outcome
        if broken is not None:
            for future, index in futures.items():  # answered before the pool broke, not yet seen here
                if index not in answered and future.done() and not future.cancelled() and future.exception() is None:
                    answered.add(index)
                    yield index, future.result()
            fault = GraderFault(f"a judge process died while grading ({broken})")
            for index in range(len(chunks)):
                if index not in answered:
                    yield index, fault
    finally:
        for future in futures:
            future.cancel()
        if broken is not None:
            # The pool's own record of its judges, the half-started one included: no public API lists them.
            for judge in list(pool._processes.values()):
                judge.kill()
        pool.shutdown(wait=True)
