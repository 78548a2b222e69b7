"""Where the checks of a course are, and what is known of each exercise (its hidden checks included).

A `CheckSuite` is a folder of check modules, `<exercise id>.py`, with a catalog: per exercise, every
check's spec (so a notebook can say what grading adds to its visible checks) and what each student
function must do (the first paragraph of its reference docstring, shown as "expected: ..." when a
function raises). The grading engine's suite is the course's own checks, with a catalog read from the
course's files; a released assignment carries `visible_checks/`: only the visible checks, pruned
by the build, and the catalog the build wrote as JSON, which also says the release's language: its
checks speak it, whatever the learner's locale, so that the check table matches the notebook.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from course_checks.harness.marks import CheckSpec

BUNDLE = "visible_checks"  # the release's folder of visible checks, next to course_checks/
CATALOG_FILE = "catalog.json"


@dataclass(frozen=True)
class ExerciseInfo:
    """What is known of one exercise without running anything."""

    exercise_id: str
    checks: tuple[CheckSpec, ...]  # every check, hidden ones included, in the order they are declared
    summaries: Mapping[str, str] = field(default_factory=dict)  # function -> what it must do

    @property
    def hidden(self) -> list[CheckSpec]:
        """The checks only grading runs."""
        return [spec for spec in self.checks if not spec.public]

    def to_json(self) -> dict[str, object]:
        """Plain data for the release's catalog."""
        return {"checks": [spec.to_json() for spec in self.checks], "summaries": dict(self.summaries)}

    @classmethod
    def from_json(cls, exercise_id: str, data: dict[str, object]) -> ExerciseInfo:
        """The inverse of `to_json`."""
        checks = data["checks"]
        summaries = data["summaries"]
        assert isinstance(checks, list) and isinstance(summaries, dict)
        return cls(exercise_id, tuple(CheckSpec.from_json(spec) for spec in checks),
                   {str(name): str(text) for name, text in summaries.items()})


class Catalog(Protocol):
    """Looks up what is known of an exercise."""

    def info(self, exercise_id: str) -> ExerciseInfo:
        """The exercise's checks and function summaries; KeyError for an exercise it does not know."""
        ...


class JsonCatalog:
    """The catalog a release carries, as the build wrote it."""

    def __init__(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.exercises = {exercise_id: ExerciseInfo.from_json(exercise_id, info)
                          for exercise_id, info in data["exercises"].items()}
        language = data.get("language")
        self.language = language if isinstance(language, str) and language else None

    def info(self, exercise_id: str) -> ExerciseInfo:
        """The exercise's entry; KeyError names the exercises there are."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise KeyError(f"no exercise {exercise_id!r} here (exercises: {', '.join(self.exercises)})") from None


@dataclass(frozen=True)
class CheckSuite:
    """A folder of check modules and the catalog of their exercises."""

    directory: Path
    catalog: Catalog
    language: str | None = None  # a release's: its messages are shown in it (None: the learner's language)

    def module_path(self, exercise_id: str) -> Path:
        """The check module of an exercise."""
        return self.directory / f"{exercise_id}.py"


NO_CHECKS_HERE = ("no {folder} folder next to course_checks or in {here}: open the notebook in its assignment's "
                  "folder, where the release put both")


class NoChecksHere(LookupError):
    """No visible checks were found next to the runtime or in the working directory."""


def bundled_suite() -> CheckSuite:
    """The visible checks of a released assignment: the `visible_checks` folder next to this package
    (the release), else in the working directory (a source notebook opened in the course's repository)."""
    for folder in (Path(__file__).resolve().parent.parent.parent / BUNDLE, Path.cwd() / BUNDLE):
        if (folder / CATALOG_FILE).is_file():
            catalog = JsonCatalog(folder / CATALOG_FILE)
            return CheckSuite(folder, catalog, catalog.language)
    raise NoChecksHere(NO_CHECKS_HERE.format(folder=BUNDLE, here=Path.cwd()))
