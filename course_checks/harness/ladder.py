"""The hint ladder: each request shows one more level of a failing check's hint.

Every failure already shows level 1, the concept. `course hint EXERCISE [CHECK]` and a notebook's
`hint("EXERCISE")` climb one level per request (where to look, then the line of code), remembering
the level reached per check and mistake in the learner's state, so a new mistake starts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_checks.harness.feedback import LEVELS
from course_checks.harness.records import CheckRecord, ExerciseResult
from course_checks.harness.report import INDENT, Line, message_lines
from course_checks.harness.state import LearnerState
from course_checks.i18n import _


class NoSuchCheck(LookupError):
    """The check asked for is not one of the exercise's; the message lists the names there are."""


@dataclass(frozen=True)
class HintStep:
    """The hint shown for one failing check at the level just reached (None: nothing fails)."""

    exercise_id: str
    record: CheckRecord | None
    level: int = 1
    passing: CheckRecord | None = None  # the check asked for by name, when it passes

    def lines(self) -> list[Line]:
        """What to print: the check, its message with the levels reached so far, and what comes next."""
        if self.passing is not None:
            short = self.passing.check_id.removeprefix("test_")
            return [Line(_("{exercise}: “{check}” passes ({name}); there is nothing to hint.").format(
                exercise=self.exercise_id, check=short, name=self.passing.name), "pass")]
        if self.record is None:
            return [Line(_("{exercise}: every check that ran passes; there is nothing to hint.").format(
                exercise=self.exercise_id), "pass")]
        lines = [Line(f"✗ {self.record.name}", "fail")]
        lines += [Line(INDENT + text) for text in message_lines(self.record, self.level)]
        if self.level < LEVELS:
            lines.append(Line(_("Ask again for the next level ({level} of {levels}).").format(
                level=self.level + 1, levels=LEVELS), "note"))
        else:
            lines.append(Line(_("That was the last level ({level} of {levels}): the line of code itself.").format(
                level=LEVELS, levels=LEVELS), "note"))
        return lines


def _named(result: ExerciseResult, check: str) -> CheckRecord:
    wanted = check if check.startswith("test_") else f"test_{check}"
    record = next((record for record in result.checks if record.check_id == wanted), None)
    if record is None:
        names = ", ".join(record.check_id.removeprefix("test_") for record in result.checks)
        raise NoSuchCheck(_("{exercise} has no check {check!r}; its checks are: {names}").format(
            exercise=result.exercise_id, check=check, names=names))
    return record


def next_hint(result: ExerciseResult, state: LearnerState, check: str | None = None) -> HintStep:
    """Climb one level of the hint of `check` (default: the first failing check) and return it."""
    if check is not None:
        record = _named(result, check)
        if record.status == "passed":
            return HintStep(result.exercise_id, None, passing=record)
    else:
        record = result.failures[0] if result.failures else None
    if record is None or record.feedback is None:
        return HintStep(result.exercise_id, record)
    level = state.raise_hint_level(result.exercise_id, record.check_id, record.feedback.hint.key, LEVELS)
    return HintStep(result.exercise_id, record, level)
