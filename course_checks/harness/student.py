"""The `student` a check talks to: `student.probe(probe, **inputs)` returns plain data.

Two implementations share one interface, so the same checks run unchanged for a self-learner
(`InProcessStudent`: the probe runs in the pytest process on the learner's own module) and in the
grading engine (a sandboxed worker answers the probe; see `autograder.sandbox`). Either way the
outcome makes a JSON round trip, so checks only ever see judge-built objects.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import ModuleType
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from course_checks.harness.feedback import CheckStatus
from course_checks.i18n import N_, _
from course_checks.probes import Probe, run_probe
from course_checks.probes.encoding import EncodingError, Raised, decode
from course_checks.probes.loader import ImportFailed, load_student_module
from course_checks.probes.records import declared

R = TypeVar("R")


class StudentProblem(Exception):
    """The student's code did not produce a value for a probe; the check fails with `feedback`."""

    kind: CheckStatus = "error"  # the check status this leads to: "failed", "error" or "timeout"


class StudentRaised(StudentProblem):
    """A student function raised."""

    kind: CheckStatus = "failed"

    def __init__(self, raised: Raised) -> None:
        super().__init__(raised.describe())
        self.raised = raised


class MissingFunction(StudentProblem):
    """The module has no function of this name."""

    kind: CheckStatus = "failed"

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ModuleUnavailable(StudentProblem):
    """The module is absent or could not be imported; every check of the exercise fails with this."""

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing
        self.kind = "failed" if missing else "error"


class WorkerLost(StudentProblem):
    """The sandboxed worker died, timed out or answered garbage."""

    def __init__(self, reason: str, *, timeout: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = "timeout" if timeout else "error"


NOT_A_RECORD = N_("the worker's answer was not a well-formed record")
GARBLED = N_("the worker's answer was garbled: {problem}")


def interpret(outcome: Any) -> Any:
    """Turn a probe outcome (plain data, untrusted) into a value, or raise a StudentProblem."""
    if type(outcome) is not dict or len(outcome) != 1:
        raise WorkerLost(_(NOT_A_RECORD))
    (kind, body), = outcome.items()
    try:
        if kind == "value":
            return decode(body)
        if kind == "raised":
            raised = decode(body)
            if isinstance(raised, Raised):
                raise StudentRaised(raised)
        if kind == "missing" and type(body) is str:
            raise MissingFunction(body[:100])
        if kind == "invalid" and type(body) is str:
            raise WorkerLost(_("the result could not be read: {reason}").format(reason=body[:300]))
    except EncodingError as exc:
        raise WorkerLost(_(GARBLED).format(problem=exc)) from None
    raise WorkerLost(_(NOT_A_RECORD))


class Student(Protocol):
    """What a check may ask of the student's submission."""

    exercise_id: str

    def probe(self, probe: Callable[..., R], /, **inputs: Any) -> R:
        """Run `probe(module, **inputs)` against the student's module and return what came back."""
        ...


class TypedStudent:
    """The student a check sees: each probe's answer rebuilt as the type the probe declares."""

    def __init__(self, student: Student) -> None:
        self.exercise_id = student.exercise_id
        self._student = student

    def probe(self, probe: Callable[..., R], /, **inputs: Any) -> R:
        """The probe's answer as its return annotation says (a record, a list of them, ...)."""
        answer = self._student.probe(probe, **inputs)
        try:
            return cast(R, declared(probe, answer))
        except EncodingError as exc:
            raise WorkerLost(_(GARBLED).format(problem=exc)) from None


class InProcessStudent:
    """The student's functions in this process: a file imported here, or a module built elsewhere
    (a notebook's namespace). Only for code the learner or the course itself wrote.

    With `problem`, there is nothing to run (an absent or unreadable module): every probe raises it.
    """

    def __init__(self, exercise_id: str, path: Path | None = None, *, module: ModuleType | None = None,
                 problem: ModuleUnavailable | None = None) -> None:
        self.exercise_id = exercise_id
        self.path = path
        self._module = module
        self._unavailable = problem

    def _loaded(self) -> ModuleType:
        if self._unavailable is not None:
            raise self._unavailable
        if self._module is None:
            assert self.path is not None
            try:
                self._module = load_student_module(self.exercise_id, self.path)
            except ImportFailed as exc:
                self._unavailable = ModuleUnavailable(str(exc), missing=not self.path.is_file())
                raise self._unavailable from None
        return self._module

    def probe(self, probe: Probe, /, **inputs: Any) -> Any:
        """Run the probe here, then pass its outcome through the same plain-data round trip."""
        outcome = run_probe(probe, self._loaded(), copy.deepcopy(inputs))
        return interpret(json.loads(json.dumps(outcome)))
