"""Declaring a check: a pytest test function carrying its sentence, its points and whether students see it.

`@check(...)` attaches a `CheckSpec` to the function; everything that needs to know a check (the
session that runs it, the build that writes the notebooks and the release, `course verify`, the
notebook's table) reads that same object, through `spec_of`. The decorator also checks the
conventions a check function follows, when its module is imported: a name starting with `test_`
(pytest collects it), a sentence, positive points, and the signature `(student: Student, seed: int) -> None`.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass

from course_checks.harness.student import Student

CheckFunction = Callable[[Student, int], None]
SPEC_ATTRIBUTE = "__check__"
PARAMETERS = {"student": Student, "seed": int}


class ConventionError(ValueError):
    """A check or probe module breaks a rule of the course's format; one line names where and the rule."""


@dataclass(frozen=True)
class CheckSpec:
    """One check: its function, the sentence a learner reads, its points, and whether students see it."""

    function: str
    name: str
    points: float
    public: bool

    def to_json(self) -> dict[str, object]:
        """Plain data, as the release's catalog stores it."""
        return {"function": self.function, "name": self.name, "points": self.points, "public": self.public}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CheckSpec:
        """The inverse of `to_json`."""
        return cls(str(data["function"]), str(data["name"]), float(typing.cast(float, data["points"])),
                   bool(data["public"]))


def _where(function: Callable[..., object]) -> str:
    return f"{function.__module__}.{function.__name__}"


def _check_signature(function: Callable[..., object]) -> None:
    """The one signature a check has: the `student` and `seed` fixtures, typed, returning None."""
    names = list(inspect.signature(function).parameters)
    if names != list(PARAMETERS):
        raise ConventionError(f"{_where(function)}: a check takes (student: Student, seed: int); it takes "
                              f"({', '.join(names)})")
    try:
        hints = typing.get_type_hints(function)
    except NameError as exc:
        raise ConventionError(f"{_where(function)}: its annotations cannot be read: {exc}") from None
    for name, expected in PARAMETERS.items():
        if hints.get(name) is not expected:
            raise ConventionError(f"{_where(function)}: annotate the parameter as `{name}: {expected.__name__}`")
    if hints.get("return", object) is not type(None):
        raise ConventionError(f"{_where(function)}: a check returns nothing: annotate it `-> None`")


def check(name: str, points: float, *, public: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Declare a graded check worth `points`; `public=True`: students run it too (in the notebook)."""

    def decorate(function: CheckFunction) -> CheckFunction:
        if not function.__name__.startswith("test_"):
            raise ConventionError(f"{_where(function)}: a check's name starts with test_ (pytest collects it)")
        if not isinstance(name, str) or not name.strip():
            raise ConventionError(f"{_where(function)}: @check needs the sentence a learner reads, as its first argument")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
            raise ConventionError(f"{_where(function)}: points must be a positive number; got {points!r}")
        if not isinstance(public, bool):
            raise ConventionError(f"{_where(function)}: public must be True or False; got {public!r}")
        _check_signature(function)
        setattr(function, SPEC_ATTRIBUTE, CheckSpec(function.__name__, name, float(points), public))
        return function

    return decorate


def spec_of(function: object) -> CheckSpec | None:
    """The check declared on a function, or None if it is not a check."""
    spec = getattr(function, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None
