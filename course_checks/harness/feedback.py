"""Failure messages: what was called, what came back, what was expected, and a hint ladder.

A `Hint` is aimed at one misconception and keeps its three levels together: the concept (shown
with every failure), where to look, and finally the line of code. The learner climbs the ladder one
step at a time (`course hint`, or `hint()` in a notebook), so a first failure teaches instead of
handing over the fix. Every level is a whole sentence, so each can be translated on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, NoReturn

import pytest

CheckStatus = Literal["passed", "failed", "error", "timeout"]
LEVELS = 3
# The labelled parts of a message; the first four are the message every failure carries.
LABELS = {"called": "called:", "got": "got:", "expected": "expected:", 1: "try:", 2: "look at:", 3: "the code:"}
LABEL_WIDTH = 10


@dataclass(frozen=True)
class Hint:
    """Advice aimed at one misconception, as a ladder; `key` names the misconception.

    `concept` names the idea behind the mistake without the code of the fix; `where` says where to
    look (the function, the line, the API); `code` is the line of code itself. Texts may hold
    `{placeholders}`, filled by `filled()`.
    """

    key: str
    concept: str
    where: str
    code: str

    def level(self, number: int) -> str:
        """The text of level 1 (concept), 2 (where to look) or 3 (the code)."""
        return (self.concept, self.where, self.code)[min(max(number, 1), LEVELS) - 1]

    def filled(self, **values: str) -> Hint:
        """The same hint with its `{placeholders}` filled in."""
        return replace(self, concept=self.concept.format(**values), where=self.where.format(**values),
                       code=self.code.format(**values))


@dataclass(frozen=True)
class Feedback:
    """The labelled parts of one failure: called, got, expected, and the hint."""

    called: str
    got: str
    expected: str
    hint: Hint

    def lines(self, level: int = 1) -> list[tuple[str, str]]:
        """(label, text) pairs: called, got, expected, then the hint's levels 1..level."""
        parts = [(LABELS["called"], self.called), (LABELS["got"], self.got), (LABELS["expected"], self.expected)]
        return parts + [(LABELS[number], self.hint.level(number)) for number in range(1, min(level, LEVELS) + 1)]

    def render(self, level: int = 1) -> str:
        """The message as text, one labelled part per line (level 1: the four-part message)."""
        return "\n".join(f"{label:<{LABEL_WIDTH}}{text}" for label, text in self.lines(level))


class CheckFailed(pytest.fail.Exception):  # type: ignore[misc,name-defined]
    """A check's verdict with a learner-facing message; shown without a Python traceback."""

    def __init__(self, feedback: Feedback, status: CheckStatus = "failed") -> None:
        super().__init__(msg=feedback.render(), pytrace=False)
        self.feedback = feedback
        self.hint = feedback.hint
        self.status = status  # "failed", or "error"/"timeout" when the student's code gave no value


def fail(*, called: str, got: str, expected: str, hint: Hint) -> NoReturn:
    """Fail the current check with a four-part message aimed at `hint`'s misconception."""
    raise CheckFailed(Feedback(called, got, expected, hint))
