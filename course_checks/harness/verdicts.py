"""Every check ends as a `CheckRecord` with a message built here, the same way wherever it ran.

Passed; failed with the check's own targeted message; or, when the student's code never produced
a value (it raised, a function is missing, the module does not import, the worker died), a
message built from what the probe reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from course_checks.harness.failing import CheckFailed
from course_checks.harness.feedback import CheckStatus, Feedback, Hint
from course_checks.harness.known_errors import NOT_IMPLEMENTED, ErrorHint, hint_for_error
from course_checks.harness.marks import CheckSpec
from course_checks.harness.records import CheckRecord
from course_checks.i18n import N_, _
from course_checks.harness.student import (
    MissingFunction,
    ModuleUnavailable,
    StudentProblem,
    StudentRaised,
    WorkerLost,
)
from course_checks.probes.encoding import Raised

KEEP_NAMES = Hint(
    "missing_function",
    concept="The checks call your functions by the names and signatures of the stub.",
    where="Compare the def lines of your module with the stub's.",
    code="Rename the function back to `{function}`, with the stub's parameters.")
FIX_IMPORT = Hint(
    "import_failed",
    concept="Until the module imports, no check can call any of its functions.",
    where="Run the file on its own and read the first error it shows.",
    code="Run `python {exercise_id}.py` and fix the line it names.")
ADD_MODULE = Hint(
    "missing_module",
    concept="Each exercise is one module, found by its file name.",
    where="Look at the names of the files you submitted.",
    code="Save the module as `{exercise_id}.py`.")
TOO_SLOW = Hint(
    "timeout",
    concept="Something in your code never finishes: a loop without end, or a call that waits for input.",
    where="Look at every while loop and every input() or sleep in your functions.",
    code="Make each loop end (e.g. loop over `range(num_epochs)`), and remove any input() call.")
WORKER_DIED = Hint(
    "worker_lost",
    concept="Your code stopped the process that ran it: an exit, a crash, or more memory or processes than allowed.",
    where="Look for exit(), sys.exit(), os._exit() or very large tensors in your functions.",
    code="Return values instead of exiting, and keep tensors to the sizes the exercise uses.")
CHECK_BUG = Hint(
    "check_crashed",
    concept="This is a fault in the course's check, not in your code.",
    where="Nothing in your code: the check itself crashed.",
    code="Please report it to the course's authors, with the message above.")


def _what_it_must_do(summaries: Mapping[str, str], function: str) -> str:
    summary = summaries.get(function)
    if not summary:
        return _("{function} to return a value").format(function=function)
    what = _(summary)  # the reference docstring's first paragraph, as the catalogs translate it
    if what[1:2].islower():  # "Return ..." reads "to return ..."; "D2L's ..." keeps its capitals
        what = what[0].lower() + what[1:]
    return _("{function} to {what}").format(function=function, what=what)


# What a raised error was, and where in the student's code: one whole sentence per case. The error
# itself (PyTorch's or Python's text) and the student's line are shown as they are.
RAISED = {
    "nowhere": N_("it raised {error}"),
    "file": N_("it raised {error} (at line {line} of {file}, in {function}: {source})"),
    "cell": N_("it raised {error} (at line {line} of the cell that defines {function}: {source})"),
}


def _raised_text(raised: Raised) -> str:
    """`it raised NameError: ... (at line 12 of huber.py, in huber_loss: return r.abs())`."""
    where = "nowhere" if not raised.line else "file" if raised.file else "cell"
    return _(RAISED[where]).format(error=raised.error(), line=raised.line, file=raised.file, function=raised.function,
                                   source=raised.source or "?")


def explain(problem: StudentProblem, exercise_id: str, specific: Sequence[ErrorHint],
            summaries: Mapping[str, str]) -> Feedback:
    """The labelled message for a probe that got no value from the student's code; `specific` are the
    check module's own error hints, `summaries` what each function must do."""
    if isinstance(problem, StudentRaised):
        raised = problem.raised
        if raised.type == "NotImplementedError":
            function = raised.function or raised.call.split("(")[0]
            return Feedback(called=raised.called(),
                            got=_("NotImplementedError: {function} is not implemented yet").format(function=function),
                            expected=_what_it_must_do(summaries, function),
                            hint=NOT_IMPLEMENTED.filled(function=function))
        name = raised.call.split("(")[0]
        hint = hint_for_error(f"{raised.message}\n{raised.trail}", raised.type, raised.function or name, specific)
        return Feedback(called=raised.called(), got=_raised_text(raised), expected=_what_it_must_do(summaries, name),
                        hint=hint)
    if isinstance(problem, MissingFunction):
        return Feedback(called=f"{problem.name}(...)",
                        got=_("your module has no function named {name}").format(name=problem.name),
                        expected=_what_it_must_do(summaries, problem.name), hint=KEEP_NAMES.filled(function=problem.name))
    if isinstance(problem, ModuleUnavailable):
        hint = (ADD_MODULE if problem.missing else FIX_IMPORT).filled(exercise_id=exercise_id)
        return Feedback(called=f"import {exercise_id}", got=problem.reason,
                        expected=_("{exercise_id}.py to import cleanly").format(exercise_id=exercise_id), hint=hint)
    assert isinstance(problem, WorkerLost)
    return Feedback(called=_("your {exercise_id} functions").format(exercise_id=exercise_id), got=problem.reason,
                    expected=_("a value returned within the time limit"),
                    hint=TOO_SLOW if problem.kind == "timeout" else WORKER_DIED)


def as_check_failed(problem: StudentProblem, exercise_id: str, specific: Sequence[ErrorHint],
                    summaries: Mapping[str, str]) -> CheckFailed:
    """The check's verdict for a student problem, explained with the check module's own error hints."""
    return CheckFailed(explain(problem, exercise_id, specific, summaries), status=problem.kind)


def record_for(item: pytest.Item, info: CheckSpec, excinfo: pytest.ExceptionInfo[BaseException] | None) -> CheckRecord:
    """The record of one check from how its test function ended."""
    status: CheckStatus = "passed"
    feedback: Feedback | None = None
    if excinfo is not None:
        error = excinfo.value
        if isinstance(error, CheckFailed):
            status, feedback = error.status, error.feedback
        else:
            where = excinfo.traceback[-1] if excinfo.traceback else None
            error_text = f"{type(error).__name__}: {error}"
            got = (_("the check raised {error} at {file}:{line}").format(
                       error=error_text, file=Path(str(where.path)).name, line=where.lineno + 1)
                   if where is not None else _("the check raised {error}").format(error=error_text))
            status = "error"
            feedback = Feedback(called=item.name, got=got, expected=_("the check to finish"), hint=CHECK_BUG)
    return CheckRecord(check_id=info.function, name=_(info.name), status=status,
                       score=info.points if status == "passed" else 0.0, max_score=info.points,
                       message=feedback.render() if feedback else "", hint=feedback.hint.key if feedback else "",
                       public=info.public, feedback=feedback)
