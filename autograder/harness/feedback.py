"""Failure messages: what was called, what came back, what was expected, what to try."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import pytest


@dataclass(frozen=True)
class Hint:
    """Advice aimed at one misconception. `key` names it, so tests can tell which one a mistake got."""

    key: str
    text: str


class CheckFailed(pytest.fail.Exception):  # type: ignore[misc,name-defined]
    """A check's verdict with a learner-facing message; shown without a Python traceback."""

    def __init__(self, message: str, hint: Hint, status: str = "failed") -> None:
        super().__init__(msg=message, pytrace=False)
        self.hint = hint
        self.status = status  # "failed", or "error"/"timeout" when the student's code gave no value


def format_feedback(*, called: str, got: str, expected: str, hint: Hint) -> str:
    """The four-part message every failure carries."""
    return "\n".join([
        f"called:   {called}",
        f"got:      {got}",
        f"expected: {expected}",
        f"try:      {hint.text}",
    ])


def fail(*, called: str, got: str, expected: str, hint: Hint) -> NoReturn:
    """Fail the current check with a four-part message aimed at `hint`'s misconception."""
    raise CheckFailed(format_feedback(called=called, got=got, expected=expected, hint=hint), hint)
