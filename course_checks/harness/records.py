"""Results of grading: one record per check, rolled up per exercise and per submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from course_checks.harness.feedback import CheckStatus, Feedback

__all__ = ["CheckRecord", "CheckStatus", "ExerciseResult", "ExerciseStatus"]

ExerciseStatus = Literal["passed", "failed", "error", "timeout", "missing"]


@dataclass
class CheckRecord:
    """The judge's verdict on one check."""

    check_id: str
    name: str
    status: CheckStatus
    score: float
    max_score: float
    message: str = ""
    hint: str = ""
    public: bool = False
    feedback: Feedback | None = None  # the message's labelled parts, with the whole hint ladder
    output: str = ""  # what the student's code printed while the check ran (in-process runs only)

    def to_json(self) -> dict[str, Any]:
        """The contract's check object (plus `id`, `hint` and `public`)."""
        return {"name": self.name, "status": self.status, "score": self.score, "max_score": self.max_score,
                "message": self.message, "id": self.check_id, "hint": self.hint, "public": self.public}


@dataclass
class ExerciseResult:
    """All checks of one exercise for one submission."""

    exercise_id: str
    checks: list[CheckRecord] = field(default_factory=list)
    missing: bool = False
    unrun: list[str] = field(default_factory=list)  # checks of the exercise this run left out (e.g. by -k)

    @property
    def score(self) -> float:
        """Points earned."""
        return round(sum(check.score for check in self.checks), 6)

    @property
    def max_score(self) -> float:
        """Points available."""
        return round(sum(check.max_score for check in self.checks), 6)

    @property
    def status(self) -> ExerciseStatus:
        """missing; passed if every check passed; timeout if any timed out; error if all errored; else failed."""
        statuses = {check.status for check in self.checks}
        if self.missing:
            return "missing"
        if statuses == {"passed"}:
            return "passed"
        if "timeout" in statuses:
            return "timeout"
        if statuses == {"error"}:
            return "error"
        return "failed"

    @property
    def complete(self) -> bool:
        """Done means correct: every check of the exercise ran, and every one passed."""
        return self.status == "passed" and not self.unrun

    @property
    def failures(self) -> list[CheckRecord]:
        """The checks that did not pass, in the order they are declared."""
        return [check for check in self.checks if check.status != "passed"]

    def to_json(self) -> dict[str, Any]:
        """The contract's exercise object."""
        return {"id": self.exercise_id, "score": self.score, "max_score": self.max_score, "status": self.status,
                "checks": [check.to_json() for check in self.checks]}
