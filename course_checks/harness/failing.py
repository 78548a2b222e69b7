"""How a check fails: pytest's fail exception carrying the four-part feedback.

Kept apart from `feedback`, so that the records and a process that only plans or reports grading
(the CLI, nbgrader's own process) never import pytest.
"""

from __future__ import annotations

from typing import NoReturn

import pytest

from course_checks.harness.feedback import CheckStatus, Feedback, Hint


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
