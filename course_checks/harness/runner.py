"""Running the checks of many jobs in one pytest session (grading, `course verify`, a notebook).

A job is one exercise of one submission with its seed and torch thread count. Which checks run is
the suite's business (the course's own checks for grading, a release's visible checks in a
notebook); where the student's code runs is the factory's: in-process for the course's own trusted
catalogue and a learner's own notebook, in a sandboxed worker for anything a student submitted.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from course_checks.harness import session as session_module
from course_checks.harness.jobs import GraderFault
from course_checks.harness.records import ExerciseResult
from course_checks.harness.session import CheckSession, Job, StudentFactory
from course_checks.harness.suite import CheckSuite
from course_checks.i18n import _

PYTEST_INI = Path(__file__).resolve().parent / "pytest.ini"
# pytest plugins the judge does not use. unraisableexception alone costs two gc.collect() calls,
# a quarter of a second, per session; without these a session starts in ~0.02 s instead of ~0.3 s.
UNUSED_PLUGINS = ("cacheprovider", "doctest", "junitxml", "pastebin", "unittest", "stepwise", "legacypath", "logging",
                  "faulthandler", "debugging", "threadexception", "unraisableexception", "setuponly", "setupplan",
                  "skipping", "nose", "warnings", "randomly")
AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


@contextlib.contextmanager
def _no_plugin_autoload() -> Iterator[None]:
    """Keep out the pytest plugins installed in the environment (a student's has some: anyio's, jupyter's):
    the checks need none of them, and loading them costs time."""
    previous = os.environ.get(AUTOLOAD)
    os.environ[AUTOLOAD] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(AUTOLOAD, None)
        else:
            os.environ[AUTOLOAD] = previous


def _last_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("ERROR", "E "))]
    return (errors or lines or [_("no output")])[-1][:300]


def run_checks(jobs: list[Job], factory: StudentFactory, suite: CheckSuite, public_only: bool = False,
               only: str | None = None) -> dict[str, ExerciseResult]:
    """Check every job with the suite's checks (only the public ones, or only the check function
    `only`, if asked). Results are keyed by job id, checks in the order they are declared."""
    session = CheckSession(factory, suite.catalog, jobs, public_only=public_only)
    exercise_ids = list(dict.fromkeys(job.exercise_id for job in jobs))
    if exercise_ids:
        arguments = [str(suite.module_path(exercise_id)) + (f"::{only}" if only else "") for exercise_id in exercise_ids]
        arguments += ["-q", "--rootdir", str(suite.directory), "-c", str(PYTEST_INI)]
        arguments += [option for plugin in UNUSED_PLUGINS for option in ("-p", f"no:{plugin}")]
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), _no_plugin_autoload():
            exit_code = pytest.main(arguments, plugins=[session, session_module])
        if exit_code == pytest.ExitCode.INTERRUPTED:
            raise KeyboardInterrupt  # Ctrl-C while the checks ran: stop, as anywhere else
        if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            raise GraderFault(_("the checks could not run (pytest exit {code}): {error}").format(
                code=int(exit_code), error=_last_error(quiet.getvalue())))
    return session.results()
