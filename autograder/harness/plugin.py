"""The pytest plugin both ways of running the checks share: a verdict and a message per check.

Every check ends as a `CheckRecord`: passed; failed with the check's own targeted message; or,
when the student's code never produced a value (it raised, a function is missing, the module
does not import, the worker died), a message built here from what the probe reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.harness.feedback import CheckFailed, Hint, format_feedback
from autograder.harness.known_errors import NOT_IMPLEMENTED, hint_for_error
from autograder.harness.marks import check_info
from autograder.harness.records import CheckRecord
from autograder.harness.student import (
    MissingFunction,
    ModuleUnavailable,
    StudentProblem,
    StudentRaised,
    WorkerLost,
)
from autograder.harness.summaries import function_summaries

RECORD = pytest.StashKey[CheckRecord]()

KEEP_NAMES = Hint("missing_function", "Keep the function names and signatures of the stub: the checks call them by name.")
FIX_IMPORT = Hint("import_failed", "Run the file on its own (`python <file>`) and fix the first error it shows; "
                  "until it imports, no check can call your functions.")
ADD_MODULE = Hint("missing_module", "Submit the module under its exercise's file name, e.g. `huber.py`.")
TOO_SLOW = Hint("timeout", "Look for a loop that never ends or a call that waits for input; the whole exercise "
                "must finish within its time limit.")
WORKER_DIED = Hint("worker_lost", "Your code stopped the process that ran it (an exit, a crash, or using more "
                   "memory or processes than allowed). Return values instead of exiting.")
CHECK_BUG = Hint("check_crashed", "This is a fault in the course's check, not in your code: please report it.")


def _what_it_must_do(exercise_id: str, function: str) -> str:
    summary = function_summaries(exercise_id).get(function)
    return f"{function} to {summary[0].lower()}{summary[1:]}" if summary else f"{function} to return a value"


def explain(problem: StudentProblem, exercise_id: str, specific: list[tuple[str, Hint]]) -> tuple[str, Hint]:
    """The four-part message and hint for a probe that got no value from the student's code."""
    if isinstance(problem, StudentRaised):
        raised = problem.raised
        if raised.type == "NotImplementedError":
            function = raised.function or raised.call.split("(")[0]
            return format_feedback(
                called=raised.call, got=f"NotImplementedError: {function} is not implemented yet",
                expected=_what_it_must_do(exercise_id, function),
                hint=Hint(NOT_IMPLEMENTED.key, f"Replace `raise NotImplementedError` in {function} with your code."),
            ), NOT_IMPLEMENTED
        hint = hint_for_error(f"{raised.message}\n{raised.trail}", specific)
        got = f"{raised.type}: {raised.message.strip()}" if raised.message.strip() else raised.type
        name = raised.call.split("(")[0]
        return format_feedback(called=raised.call, got=f"it raised {got}",
                               expected=_what_it_must_do(exercise_id, name), hint=hint), hint
    if isinstance(problem, MissingFunction):
        return format_feedback(called=f"{problem.name}(...)", got=f"your module has no function named {problem.name}",
                               expected=_what_it_must_do(exercise_id, problem.name), hint=KEEP_NAMES), KEEP_NAMES
    if isinstance(problem, ModuleUnavailable):
        hint = ADD_MODULE if problem.missing else FIX_IMPORT
        return format_feedback(called=f"import {exercise_id}", got=problem.reason,
                               expected=f"{exercise_id}.py to import cleanly", hint=hint), hint
    assert isinstance(problem, WorkerLost)
    hint = TOO_SLOW if problem.kind == "timeout" else WORKER_DIED
    return format_feedback(called=f"your {exercise_id} functions", got=problem.reason,
                           expected="a value returned within the time limit", hint=hint), hint


def _verdict(item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException] | None) -> tuple[str, str, Hint | None]:
    if excinfo is None:
        return "passed", "", None
    error = excinfo.value
    if isinstance(error, CheckFailed):
        return error.status, str(error.msg), error.hint
    where = excinfo.traceback[-1] if excinfo.traceback else None
    location = f" at {Path(str(where.path)).name}:{where.lineno + 1}" if where is not None else ""
    message = format_feedback(called=item.name, got=f"the check raised {type(error).__name__}: {error}{location}",
                              expected="the check to finish", hint=CHECK_BUG)
    return "error", message, CHECK_BUG


class CheckReporter:
    """Builds a CheckRecord for every check and replaces tracebacks with the learner's message."""

    def __init__(self, on_record: Callable[[pytest.Item, CheckRecord], None] | None = None) -> None:
        self.on_record = on_record

    @pytest.hookimpl(hookwrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function):  # type: ignore[no-untyped-def]
        # Turn "the student's code gave no value" into the check's verdict right here: pytest would
        # otherwise render a full traceback (parsing every file on it) only for it to be replaced.
        outcome = yield
        problem = outcome.exception
        if isinstance(problem, StudentProblem):
            exercise_id = getattr(pyfuncitem.module, "EXERCISE_ID", "")
            message, hint = explain(problem, exercise_id, getattr(pyfuncitem.module, "ERROR_HINTS", []))
            outcome.force_exception(CheckFailed(message, hint, status=problem.kind))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
        outcome = yield
        report = outcome.get_result()
        info = check_info(item)
        if info is None or (call.when != "call" and call.excinfo is None) or RECORD in item.stash:
            return
        status, message, hint = _verdict(item, call.excinfo)
        if call.excinfo is not None:
            report.outcome = "failed"
            report.longrepr = message
        record = CheckRecord(check_id=item.originalname if isinstance(item, pytest.Function) else item.name,
                             name=info.name, status=status,  # type: ignore[arg-type]
                             score=info.points if status == "passed" else 0.0, max_score=info.points,
                             message=message, hint=hint.key if hint else "", public=info.public)
        item.stash[RECORD] = record
        if self.on_record is not None:
            self.on_record(item, record)
