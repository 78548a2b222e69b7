"""Grading on a dask.distributed cluster: every Dask worker hosts judge slots, each with its own zygote.

A worker plugin (`JudgeSlots`, set up once per worker) makes each Dask worker process a judge with
its own zygote, sandbox uid and confinement check: exactly the local engine's (`engine.grade_chunk`),
so a chunk graded on the cluster gets the same scores as graded locally with the same seed. Submissions travel as text, already read through the capped reader by the
client; results come back as plain records. A worker whose sandbox cannot confine refuses every
task, naming itself; a worker running another version of the course's checks refuses too. When a
worker dies, Dask runs its chunks again elsewhere; each submission's result is kept once.

This module is imported by the client too: it imports nothing heavy (no torch) at the top.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from autograder.scratch import scratch_directory
from course_checks import i18n
from course_checks.i18n import _

PLUGIN_NAME = "linreg-course-judge-slots"
LOCAL = "local"  # --scheduler local: a LocalCluster of one single-threaded worker process per core


@dataclass(frozen=True)
class JobPayload:
    """One exercise of one submission, as it travels to a worker."""

    job_id: str
    exercise_id: str
    source: str | None  # None: the submission has no module for this exercise
    seed: int
    unavailable: str = ""
    threads: int = 1


def payloads(jobs: list[Any]) -> list[JobPayload]:
    """The jobs with their modules' text (the grader's own copies, read once here)."""
    return [JobPayload(job.job_id, job.exercise_id,
                       None if job.module_path is None else Path(job.module_path).read_text(encoding="utf-8"),
                       job.seed, job.unavailable, job.threads) for job in jobs]


def _grade_here(batch: list[JobPayload], time_limits: dict[str, float] | None, trusted: bool,
                where: str, language: str) -> dict[str, Any]:
    """The local engine on these payloads, in this (worker) process; a plain record back."""
    from autograder.grading.engine import grade_chunk
    from autograder.judge.runner import Job
    from autograder.sandbox.protections import IsolationMissing

    with scratch_directory("course-dask-") as scratch:
        jobs = []
        for number, payload in enumerate(batch):
            path = None
            if payload.source is not None:
                path = Path(scratch) / str(number) / f"{payload.exercise_id}.py"
                path.parent.mkdir()
                path.write_text(payload.source, encoding="utf-8")
            jobs.append(Job(payload.job_id, payload.exercise_id, path, payload.seed, payload.threads,
                            payload.unavailable))
        try:
            outcome = grade_chunk(jobs, time_limits, trusted=trusted, language=language)
        except IsolationMissing as refusal:
            raise IsolationMissing(refusal.missing, where=where, detail=refusal.detail) from None
    return {"results": {key: asdict(result) for key, result in outcome.results.items()},
            "protections": {protection.value: active for protection, active in outcome.protections.items()},
            "view": outcome.view, "sandbox_uid": outcome.sandbox_uid}


class JudgeSlots(WorkerPlugin):
    """The judge of one Dask worker: this worker process, with its own zygote, started once at setup.

    A judge runs one pytest session at a time, so a worker grades one chunk at a time whatever its
    thread count: start workers with `--nthreads 1` and one worker process per core.
    """

    idempotent = True

    def setup(self, worker: Any) -> None:
        """Start the zygote now (on the worker's event loop, a thread that lives as long as the worker)."""
        from autograder.grading import judge_process

        # Made here, not in __init__: the plugin travels to the workers pickled.
        self.lock = threading.Lock()
        self.address = str(worker.address)
        judge_process.confined_zygote(trusted=True)  # whether it may grade is decided per task: refusals name the worker

    def teardown(self, worker: Any) -> None:
        """Stop the zygote (its workers die with it)."""
        from autograder.grading import judge_process

        judge_process.close()

    def grade(self, batch: list[JobPayload], time_limits: dict[str, float] | None, trusted: bool,
              language: str) -> dict[str, Any]:
        """Grade a batch with this worker's judge, one batch at a time, its messages in `language`."""
        with self.lock, i18n.use(language):
            where = _("Dask worker {address}").format(address=self.address)
            return _grade_here(batch, time_limits, trusted, where, language)


def grade_on_worker(batch: list[JobPayload], time_limits: dict[str, float] | None, trusted: bool,
                    fingerprint: str, language: str) -> dict[str, Any]:
    """The Dask task: check the course version, then grade in one of this worker's judge slots."""
    from autograder.judge.fingerprint import CourseMismatch, course_fingerprint

    worker = get_worker()
    if course_fingerprint() != fingerprint:
        raise CourseMismatch(f"Dask worker {worker.address} has another version of the course's checks "
                             f"({course_fingerprint()[:12]}, the client {fingerprint[:12]}); install the same one")
    plugin = worker.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, JudgeSlots):
        raise RuntimeError(f"Dask worker {worker.address} has no judge slots")
    return plugin.grade(batch, time_limits, trusted, language)


def _outcome(record: dict[str, Any]) -> Any:
    from autograder.grading.engine import ChunkOutcome
    from course_checks.harness.records import CheckRecord, ExerciseResult
    from autograder.sandbox.protections import parse

    results = {key: ExerciseResult(value["exercise_id"], [CheckRecord(**check) for check in value["checks"]],
                                   missing=value["missing"])
               for key, value in record["results"].items()}
    return ChunkOutcome(results, parse(record["protections"]), record["view"], record["sandbox_uid"])


def open_client(scheduler: str, scratch: str) -> Client:
    """A client of the cluster at `scheduler`, or of a new LocalCluster (its files in `scratch`) for `local`."""
    if scheduler == LOCAL:
        # The scheduler keeps lock files in dask's temporary directory (the system's by default): the run's own.
        with dask.config.set({"temporary-directory": scratch}):
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None, local_directory=scratch)
        return Client(cluster)
    return Client(scheduler)


def run_chunks_on_cluster(chunks: list[list[Any]], time_limits: dict[str, float] | None, trusted: bool,
                          scheduler: str, language: str) -> Iterator[Any]:
    """Grade each chunk on the cluster, messages in `language`; ChunkOutcomes as they finish, one per chunk."""
    with scratch_directory("course-dask-") as scratch:
        yield from _run_on(open_client(scheduler, scratch), chunks, time_limits, trusted, scheduler, language)


def _run_on(client: Client, chunks: list[list[Any]], time_limits: dict[str, float] | None, trusted: bool,
            scheduler: str, language: str) -> Iterator[Any]:
    from autograder.judge.fingerprint import course_fingerprint

    try:
        client.register_plugin(JudgeSlots(), name=PLUGIN_NAME)
        fingerprint = course_fingerprint()
        futures = [client.submit(grade_on_worker, payloads(chunk), time_limits, trusted, fingerprint, language,
                                 pure=False) for chunk in chunks]
        for future in as_completed(futures):
            yield _outcome(future.result())
    finally:
        cluster = client.cluster
        client.close()
        if scheduler == LOCAL and cluster is not None:
            cluster.close()
