"""What a check module is, read in one place and checked when it is loaded.

A check module holds the checks of one exercise, and its file name is the exercise's id
(`huber.py`): nothing inside repeats it. It declares

- its checks, each a function decorated with `@check(sentence, points=..., public=...)` (see `marks`);
  every function named `test_...` is one;
- `ERROR_HINTS: list[ErrorHint]`, the hints for errors of its own (an empty list when it has none),
  consulted before the lesson's common errors (see `known_errors`).

`read_checks` is the only reader of these facts: the session that runs the checks, the build, the
release, `course verify` and a notebook's table all go through it (or through the catalog the build
writes from it). A module that breaks a rule raises `ConventionError` naming the module and the rule.
"""

from __future__ import annotations

import re
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from course_checks.harness.known_errors import ErrorHint
from course_checks.harness.marks import CheckSpec, ConventionError, spec_of

EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ExerciseChecks:
    """The checks of one exercise, in the order they are declared, and its own error hints."""

    exercise_id: str
    checks: tuple[CheckSpec, ...]
    error_hints: tuple[ErrorHint, ...]

    @property
    def points(self) -> float:
        """What the exercise is worth: the sum of its checks' points."""
        return sum(spec.points for spec in self.checks)

    @property
    def public(self) -> list[CheckSpec]:
        """The checks students see and run themselves."""
        return [spec for spec in self.checks if spec.public]


def exercise_id_of(module_name: str) -> str:
    """The exercise a check module belongs to: its file name (`autograder.checks.huber` -> `huber`)."""
    return module_name.rsplit(".", 1)[-1]


_READ: weakref.WeakKeyDictionary[ModuleType, ExerciseChecks] = weakref.WeakKeyDictionary()


def read_checks(module: ModuleType) -> ExerciseChecks:
    """The checks and error hints a check module declares, its conventions checked (once per module)."""
    known = _READ.get(module)
    if known is not None:
        return known
    where = module.__name__
    exercise_id = exercise_id_of(where)
    if not EXERCISE_ID.match(exercise_id):
        raise ConventionError(f"{where}: the file name must be an exercise id (lower case, digits, _)")
    if hasattr(module, "EXERCISE_ID"):
        raise ConventionError(f"{where}: remove EXERCISE_ID: the exercise id is the module's file name")
    if not hasattr(module, "ERROR_HINTS"):
        raise ConventionError(f"{where}: declare ERROR_HINTS (`ERROR_HINTS: list[ErrorHint] = []` when the "
                              "exercise has no errors of its own to explain)")
    error_hints = module.ERROR_HINTS
    if not isinstance(error_hints, (list, tuple)) or not all(isinstance(entry, ErrorHint) for entry in error_hints):
        raise ConventionError(f"{where}: ERROR_HINTS must be a list of ErrorHint(fragment, hint[, only])")
    specs = []
    for name, value in vars(module).items():
        if not callable(value) or getattr(value, "__module__", None) != where:
            continue
        spec = spec_of(value)
        if spec is not None:
            specs.append(spec)
        elif name.startswith("test_"):
            raise ConventionError(f"{where}: {name} is not a check: decorate it with @check(sentence, points=...)")
    if not specs:
        raise ConventionError(f"{where}: declares no check (a function decorated with @check)")
    sentences = [spec.name for spec in specs]
    repeated = sorted({sentence for sentence in sentences if sentences.count(sentence) > 1})
    if repeated:
        raise ConventionError(f"{where}: two checks share the sentence {repeated[0]!r}")
    read = ExerciseChecks(exercise_id, tuple(specs), tuple(error_hints))
    _READ[module] = read
    return read


def module_of(function: Callable[..., object]) -> ModuleType:
    """The check module a check function was declared in (also when a test module star-imports it)."""
    return sys.modules[function.__module__]
