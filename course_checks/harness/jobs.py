"""What a grading run hands the checks, and how it can fail: light on purpose (no torch, no pytest).

A process that only plans jobs and collects their results (`course grade` with judge processes, an
nbgrader run, a Dask client) imports this, never the checks' own machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Job:
    """One exercise of one submission to check."""

    job_id: str
    exercise_id: str
    module_path: Path | None  # None: the submission has no module for this exercise
    seed: int
    threads: int = 1
    unavailable: str = ""  # why the module cannot be graded at all (e.g. an unreadable notebook)


def usable(job: Job) -> bool:
    """Whether the job has a module to run at all."""
    return job.module_path is not None and not job.unavailable


class GraderFault(RuntimeError):
    """The checks themselves could not run: the course's fault, never the student's."""
