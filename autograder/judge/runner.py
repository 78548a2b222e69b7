"""Running the checks of many submissions in one pytest session, one `student` per job.

A job is one exercise of one submission with its seed and torch thread count. Where the student's
code runs is the factory's business: in-process for the course's own trusted catalogue, in a
sandboxed worker for anything a student submitted.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
import torch

from autograder.harness.plugin import CheckReporter
from autograder.harness.records import CheckRecord, ExerciseResult
from autograder.harness.student import InProcessStudent, ModuleUnavailable, Student

CHECKS_DIR = Path(__file__).resolve().parent.parent / "checks"
# pytest plugins the judge does not use. unraisableexception alone costs two gc.collect() calls,
# a quarter of a second, per session; without these a session starts in ~0.02 s instead of ~0.3 s.
UNUSED_PLUGINS = ("cacheprovider", "doctest", "junitxml", "pastebin", "unittest", "stepwise", "legacypath", "logging",
                  "faulthandler", "debugging", "threadexception", "unraisableexception", "setuponly", "setupplan",
                  "skipping", "nose", "warnings", "randomly")


class GraderFault(RuntimeError):
    """The checks themselves could not run: the course's fault, never the student's."""


@dataclass(frozen=True)
class Job:
    """One exercise of one submission to grade."""

    job_id: str
    exercise_id: str
    module_path: Path | None  # None: the submission has no module for this exercise
    seed: int
    threads: int = 1
    unavailable: str = ""  # why the module cannot be graded at all (e.g. an unreadable notebook)


class StudentFactory(Protocol):
    """Opens a `student` for a job and cleans up after its checks."""

    def open(self, job: Job) -> contextlib.AbstractContextManager[Student]:
        """A context manager giving the student of this job."""
        ...


class UnavailableStudent:
    """A job whose module is absent or unreadable: every probe says why."""

    def __init__(self, job: Job) -> None:
        self.exercise_id = job.exercise_id
        self.problem = ModuleUnavailable(job.unavailable or f"the submission has no {job.exercise_id}.py",
                                         missing=not job.unavailable)

    def probe(self, probe, /, **inputs):  # type: ignore[no-untyped-def]
        raise self.problem


def usable(job: Job) -> bool:
    """Whether the job has a module to run at all."""
    return job.module_path is not None and not job.unavailable


class InProcessFactory:
    """Imports the module into this process: only for code the course itself wrote (the catalogue)."""

    @contextlib.contextmanager
    def open(self, job: Job) -> Iterator[Student]:
        """The job's module in-process, with the job's torch thread count."""
        previous = torch.get_num_threads()
        torch.set_num_threads(job.threads)
        try:
            yield InProcessStudent(job.exercise_id, job.module_path) if usable(job) else UnavailableStudent(job)  # type: ignore[arg-type]
        finally:
            torch.set_num_threads(previous)


class JudgePlugin:
    """Parametrises every check module over the jobs of its exercise and collects the records."""

    def __init__(self, jobs: list[Job], factory: StudentFactory) -> None:
        self.jobs = {job.job_id: job for job in jobs}
        self.factory = factory
        self.records: dict[str, list[CheckRecord]] = {job.job_id: [] for job in jobs}

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[JUDGE] = self
        config.addinivalue_line("markers", "check(name, points): a graded check")
        config.addinivalue_line("markers", "public: a check students see")
        config.pluginmanager.register(CheckReporter(on_record=self._record), "course-check-reporter")

    def _record(self, item: pytest.Item, record: CheckRecord) -> None:
        self.records[self._job_of(item).job_id].append(record)

    @staticmethod
    def _job_id(item: pytest.Item) -> str:
        return item.callspec.params["student"]  # type: ignore[attr-defined,no-any-return]

    def _job_of(self, item: pytest.Item) -> Job:
        return self.jobs[self._job_id(item)]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "student" not in metafunc.fixturenames:
            return
        exercise_id = metafunc.module.EXERCISE_ID
        job_ids = [job.job_id for job in self.jobs.values() if job.exercise_id == exercise_id]
        metafunc.parametrize("student", job_ids, indirect=True, ids=job_ids, scope="module")



JUDGE = pytest.StashKey[JudgePlugin]()


def _judge(request: pytest.FixtureRequest) -> JudgePlugin:
    return request.config.stash[JUDGE]


@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> Iterator[Student]:
    """The student of the job this check runs for."""
    judge = _judge(request)
    with judge.factory.open(judge.jobs[request.param]) as opened:
        yield opened


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """The job's seed for fresh random inputs."""
    judge = _judge(request)
    return judge.jobs[judge._job_id(request.node)].seed


def _last_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("ERROR", "E "))]
    return (errors or lines or ["no output"])[-1][:300]


def run_checks(jobs: list[Job], factory: StudentFactory, public_only: bool = False,
               only: str | None = None) -> dict[str, ExerciseResult]:
    """Grade every job (only the public checks, or only the check function `only`, if asked).

    Results are keyed by job id, checks in the order they are declared."""
    plugin = JudgePlugin(jobs, factory)
    exercise_ids = list(dict.fromkeys(job.exercise_id for job in jobs))
    if exercise_ids:
        arguments = [str(CHECKS_DIR / f"{exercise_id}.py") + (f"::{only}" if only else "") for exercise_id in exercise_ids]
        arguments += ["-q", "--rootdir", str(CHECKS_DIR), "-c", str(CHECKS_DIR / "pytest.ini")]
        arguments += [option for plugin in UNUSED_PLUGINS for option in ("-p", f"no:{plugin}")]
        arguments += ["-m", "public"] if public_only else []
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            exit_code = pytest.main(arguments, plugins=[plugin, sys.modules[__name__]])
        if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            raise GraderFault(f"the checks could not run (pytest exit {int(exit_code)}): {_last_error(quiet.getvalue())}")
    return {job.job_id: ExerciseResult(job.exercise_id, plugin.records[job.job_id],
                                       missing=job.module_path is None and not job.unavailable)
            for job in jobs}
