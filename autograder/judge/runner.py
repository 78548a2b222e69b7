"""Running the checks of many jobs in one pytest session (grading, `course verify`, a notebook).

A job is one exercise of one submission with its seed and torch thread count. Where the student's
code runs is the factory's business: in-process for the course's own trusted catalogue and a
learner's own notebook, in a sandboxed worker for anything a student submitted.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from autograder.harness import session as session_module
from autograder.harness.records import ExerciseResult
from autograder.harness.session import CheckSession, InProcessFactory, Job, StudentFactory

__all__ = ["CHECKS_DIR", "GraderFault", "InProcessFactory", "Job", "StudentFactory", "run_checks"]

CHECKS_DIR = Path(__file__).resolve().parent.parent / "checks"
# pytest plugins the judge does not use. unraisableexception alone costs two gc.collect() calls,
# a quarter of a second, per session; without these a session starts in ~0.02 s instead of ~0.3 s.
UNUSED_PLUGINS = ("cacheprovider", "doctest", "junitxml", "pastebin", "unittest", "stepwise", "legacypath", "logging",
                  "faulthandler", "debugging", "threadexception", "unraisableexception", "setuponly", "setupplan",
                  "skipping", "nose", "warnings", "randomly")


class GraderFault(RuntimeError):
    """The checks themselves could not run: the course's fault, never the student's."""


def _last_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("ERROR", "E "))]
    return (errors or lines or ["no output"])[-1][:300]


def run_checks(jobs: list[Job], factory: StudentFactory, public_only: bool = False,
               only: str | None = None) -> dict[str, ExerciseResult]:
    """Check every job (only the public checks, or only the check function `only`, if asked).

    Results are keyed by job id, checks in the order they are declared."""
    session = CheckSession(factory, jobs)
    exercise_ids = list(dict.fromkeys(job.exercise_id for job in jobs))
    if exercise_ids:
        arguments = [str(CHECKS_DIR / f"{exercise_id}.py") + (f"::{only}" if only else "") for exercise_id in exercise_ids]
        arguments += ["-q", "--rootdir", str(CHECKS_DIR), "-c", str(CHECKS_DIR / "pytest.ini")]
        arguments += [option for plugin in UNUSED_PLUGINS for option in ("-p", f"no:{plugin}")]
        arguments += ["-m", "public"] if public_only else []
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            exit_code = pytest.main(arguments, plugins=[session, session_module])
        if exit_code == pytest.ExitCode.INTERRUPTED:
            raise KeyboardInterrupt  # Ctrl-C while the checks ran: stop, as anywhere else
        if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            raise GraderFault(f"the checks could not run (pytest exit {int(exit_code)}): {_last_error(quiet.getvalue())}")
    return session.results()
