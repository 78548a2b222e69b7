"""Results of grading: one record per check, rolled up per exercise and per submission."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

CheckStatus = Literal["passed", "failed", "error", "timeout"]
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

    def to_json(self) -> dict[str, Any]:
        """The contract's check object (plus `id`, `hint` and `public`)."""
        data = asdict(self)
        data["id"] = data.pop("check_id")
        return {key: data[key] for key in ("name", "status", "score", "max_score", "message", "id", "hint", "public")}


@dataclass
class ExerciseResult:
    """All checks of one exercise for one submission."""

    exercise_id: str
    checks: list[CheckRecord] = field(default_factory=list)
    missing: bool = False

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

    def to_json(self) -> dict[str, Any]:
        """The contract's exercise object."""
        return {"id": self.exercise_id, "score": self.score, "max_score": self.max_score, "status": self.status,
                "checks": [check.to_json() for check in self.checks]}
