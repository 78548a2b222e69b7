"""The one way checks run: a `CheckSession` and the `student` and `seed` fixtures.

Grading (`course grade`, nbgrader, `course verify`), the self-learner's `pytest exercises` and a
notebook's `check()` all run the checks as pytest tests through this one object. A *job* is one
exercise of one submission with its seed; the session gives every check of that exercise a
`student` for the job (where the student's code runs is the factory's business: in this process,
or in a sandboxed worker), turns each outcome into a `CheckRecord` with the same message wherever
it ran, and collects the records per job. Which exercise a check belongs to is the name of the check
module it was declared in (`exercise.read_checks`); what each function must do comes from the suite's
catalog.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Protocol

import pytest
import torch
from pluggy import Result

from course_checks.harness.exercise import ExerciseChecks, module_of, read_checks
from course_checks.harness.jobs import Job, usable
from course_checks.harness.marks import CheckSpec, spec_of
from course_checks.harness.records import CheckRecord, ExerciseResult
from course_checks.harness.student import InProcessStudent, ModuleUnavailable, Student, StudentProblem, TypedStudent
from course_checks.harness.suite import Catalog
from course_checks.harness.verdicts import as_check_failed, record_for
from course_checks.i18n import _

MAX_OUTPUT = 4000  # characters of a check's printed output kept with its record


class StudentFactory(Protocol):
    """Opens a `student` for a job with a module, and cleans up after its checks."""

    def open(self, job: Job) -> contextlib.AbstractContextManager[Student]:
        """A context manager giving the student of this job."""
        ...


class InProcessFactory:
    """Runs the student's code in this process: only code the learner or the course itself wrote
    (a learner's own exercises, the course's catalogue, a notebook's functions).

    `modules` gives ready-made modules by job id (a notebook's namespace); other jobs import their file.
    """

    def __init__(self, modules: dict[str, ModuleType] | None = None) -> None:
        self.modules = modules or {}

    @contextlib.contextmanager
    def open(self, job: Job) -> Iterator[Student]:
        """The job's module in-process, with the job's torch thread count."""
        previous = torch.get_num_threads()
        torch.set_num_threads(job.threads)
        try:
            yield InProcessStudent(job.exercise_id, job.module_path, module=self.modules.get(job.job_id))
        finally:
            torch.set_num_threads(previous)


def check_of(item: pytest.Item) -> CheckSpec | None:
    """The check a collected test is, or None if it is not one."""
    return spec_of(getattr(item, "function", None))


def checks_of(item: pytest.Item) -> ExerciseChecks:
    """The exercise a collected check belongs to, read from the module that declares it."""
    return read_checks(module_of(getattr(item, "function")))


def checks_in(module: ModuleType) -> ExerciseChecks:
    """The exercise whose checks a test module holds: its own, or those it star-imports (`pytest exercises`)."""
    first = next((value for value in vars(module).values() if spec_of(value) is not None), None)
    if first is None:
        raise LookupError(f"{module.__name__} holds no check")
    return read_checks(module_of(first))


class CheckSession:
    """A pytest plugin: the jobs, a student per job for its exercise's checks, and their records.

    Jobs are given up front (grading: every check module is parametrized over its exercise's jobs),
    or made from each test module as it is collected (`job_for_module`: the self-learner's
    exercise folder next to its test file). With `public_only`, the hidden checks are deselected
    (and count as not run).
    """

    def __init__(self, factory: StudentFactory, catalog: Catalog, jobs: Iterable[Job] = (), *,
                 job_for_module: Callable[[ModuleType, str], Job] | None = None, public_only: bool = False) -> None:
        self.factory = factory
        self.catalog = catalog
        self.jobs: dict[str, Job] = {job.job_id: job for job in jobs}
        self.job_for_module = job_for_module
        self.public_only = public_only
        self.records: dict[str, list[CheckRecord]] = {job_id: [] for job_id in self.jobs}
        self.planned: dict[str, list[str]] = {job_id: [] for job_id in self.jobs}
        self._module_jobs: dict[str, str] = {}  # test module file -> job id

    # -- which job a test belongs to ---------------------------------------------------------------

    def module_job(self, module: ModuleType) -> Job:
        """The job of a self-learner's test module (made when it is first asked for)."""
        key = str(module.__file__)
        if key not in self._module_jobs:
            if self.job_for_module is None:
                raise LookupError(f"no job for {module.__name__}")
            job = self.job_for_module(module, checks_in(module).exercise_id)
            self.jobs[job.job_id] = job
            self.records.setdefault(job.job_id, [])
            self.planned.setdefault(job.job_id, [])
            self._module_jobs[key] = job.job_id
        return self.jobs[self._module_jobs[key]]

    def job_of(self, item: pytest.Item) -> Job:
        """The job a collected check runs for."""
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "student" in callspec.params:
            return self.jobs[callspec.params["student"]]
        return self.module_job(getattr(item, "module"))

    # -- pytest hooks -------------------------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[SESSION] = self

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "student" not in metafunc.fixturenames or self.job_for_module is not None:
            return
        exercise_id = read_checks(metafunc.module).exercise_id
        job_ids = [job.job_id for job in self.jobs.values() if job.exercise_id == exercise_id]
        metafunc.parametrize("student", job_ids, indirect=True, ids=job_ids, scope="module")

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        spec = check_of(item)
        if spec is not None:
            self.planned[self.job_of(item).job_id].append(spec.function)

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        if not self.public_only:
            return
        hidden = [item for item in items if not getattr(check_of(item), "public", True)]
        if hidden:
            config.hook.pytest_deselected(items=hidden)
            items[:] = [item for item in items if item not in hidden]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Generator[None, Result[object], None]:
        # Turn "the student's code gave no value" into the check's verdict right here: pytest would
        # otherwise render a full traceback (parsing every file on it) only for it to be replaced.
        outcome = yield
        problem = outcome.exception
        if isinstance(problem, StudentProblem):
            checks = checks_of(pyfuncitem)
            outcome.force_exception(as_check_failed(problem, checks.exercise_id, checks.error_hints,
                                                    self.summaries(checks.exercise_id)))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo[None]) -> Generator[None, Result[pytest.TestReport], None]:
        outcome = yield
        report = outcome.get_result()
        spec = check_of(item)
        if spec is None or (call.when != "call" and call.excinfo is None) or RECORD in item.stash:
            return
        record = record_for(item, spec, call.excinfo)
        record.output = (report.capstdout + report.capstderr)[-MAX_OUTPUT:]
        if call.excinfo is not None:
            report.outcome = "failed"
            report.longrepr = record.message
        item.stash[RECORD] = record
        self.records[self.job_of(item).job_id].append(record)

    # -- results ------------------------------------------------------------------------------------

    def summaries(self, exercise_id: str) -> Mapping[str, str]:
        """What each function of the exercise must do (nothing, for an exercise the catalog lacks)."""
        try:
            return self.catalog.info(exercise_id).summaries
        except KeyError:
            return {}

    def result(self, job_id: str) -> ExerciseResult:
        """The job's records as an exercise result; checks collected but never run are `unrun`."""
        job = self.jobs[job_id]
        records = self.records[job_id]
        ran = {record.check_id for record in records}
        return ExerciseResult(job.exercise_id, records, missing=job.module_path is None and not job.unavailable,
                              unrun=[check_id for check_id in self.planned[job_id] if check_id not in ran])

    def results(self) -> dict[str, ExerciseResult]:
        """Every job's result, by job id."""
        return {job_id: self.result(job_id) for job_id in self.jobs}


SESSION = pytest.StashKey[CheckSession]()
RECORD = pytest.StashKey[CheckRecord]()


def _unavailable(job: Job) -> ModuleUnavailable:
    reason = job.unavailable or _("the submission has no {file}").format(file=f"{job.exercise_id}.py")
    return ModuleUnavailable(reason, missing=not job.unavailable)


@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> Iterator[Student]:
    """The student of the job this check runs for, each probe's answer typed as the probe declares."""
    session = request.config.stash[SESSION]
    param = getattr(request, "param", None)
    job = session.jobs[param] if param is not None else session.module_job(request.module)
    if not usable(job):
        yield TypedStudent(InProcessStudent(job.exercise_id, problem=_unavailable(job)))
        return
    with session.factory.open(job) as opened:
        yield TypedStudent(opened)


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """The job's seed for fresh random inputs (the same for every check of the job)."""
    session = request.config.stash[SESSION]
    return session.job_of(request.node).seed
