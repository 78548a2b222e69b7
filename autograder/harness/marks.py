"""Declaring a check: a pytest test function carrying its name and points, public or hidden."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

F = TypeVar("F", bound=Callable[..., Any])


def check(name: str, points: float, *, public: bool = False) -> Callable[[F], F]:
    """Mark a test function as a graded check (`public=True`: students run it too)."""

    def decorate(function: F) -> F:
        function = pytest.mark.check(name=name, points=points)(function)
        if public:
            function = pytest.mark.public(function)
        return function

    return decorate


@dataclass(frozen=True)
class CheckInfo:
    """A check's grading data, read from its markers."""

    name: str
    points: float
    public: bool


def check_info(item: pytest.Item) -> CheckInfo | None:
    """The grading data of a collected test, or None if it is not a check."""
    marker = item.get_closest_marker("check")
    if marker is None:
        return None
    return CheckInfo(name=marker.kwargs["name"], points=float(marker.kwargs["points"]),
                     public=item.get_closest_marker("public") is not None)


def check_id_of(item: pytest.Item) -> str:
    """The check's function name, without the job parameter pytest appends to the test's id."""
    return item.originalname if isinstance(item, pytest.Function) else item.name
