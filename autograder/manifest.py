"""`course.yml`: the ordered, typed manifest of the course, validated when read."""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

REPO_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = REPO_ROOT / "course.yml"

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class ManifestError(ValueError):
    """course.yml is missing, not YAML, or has a field that is not allowed; one line says which."""


class Exercise(BaseModel):
    """One exercise: the module a student writes is `<id>.py`, its folder `exercises/<folder>/`.

    Its authored files are found by its id (solutions/<id>.py, autograder/checks/<id>.py,
    course_checks/probes/<id>.py); its points are those of its checks, declared by each `@check`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    title: Annotated[str, Field(min_length=1)]
    folder: Annotated[str, Field(pattern=r"^[0-9]{2}_[a-z][a-z0-9_]*$")]
    time_limit: Annotated[float, Field(gt=0, le=600)]
    # The nbgrader assignment the exercise is released in; omitted: the course's core `assignment`.
    assignment: Identifier | None = None

    @field_validator("folder")
    @classmethod
    def _folder_names_the_exercise(cls, folder: str, info: ValidationInfo) -> str:
        exercise_id = info.data.get("id")
        if exercise_id is not None and folder[3:] != exercise_id:
            raise ValueError(f"must be NN_{exercise_id} (two digits, then the exercise id)")
        return folder

    @property
    def module_file(self) -> str:
        """The file name of the student's module, e.g. `huber.py`."""
        return f"{self.id}.py"


class Course(BaseModel):
    """The whole manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: Annotated[int, Field(ge=1, le=1)]
    course_id: Identifier
    title: Annotated[str, Field(min_length=1)]
    assignment: Identifier  # the core nbgrader assignment: every exercise that names no other
    exercises: Annotated[list[Exercise], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids_and_folders(self) -> Course:
        for attribute in ("id", "folder"):
            values = [getattr(exercise, attribute) for exercise in self.exercises]
            duplicates = sorted({value for value in values if values.count(value) > 1})
            if duplicates:
                raise ValueError(f"exercise {attribute}s must be unique; repeated: {', '.join(duplicates)}")
        return self

    @cached_property
    def by_id(self) -> dict[str, Exercise]:
        """Exercises keyed by id, in manifest order."""
        return {exercise.id: exercise for exercise in self.exercises}

    def assignment_of(self, exercise: Exercise) -> str:
        """The nbgrader assignment an exercise is released in."""
        return exercise.assignment or self.assignment

    @cached_property
    def assignments(self) -> list[str]:
        """Every nbgrader assignment of the course, the core one first, then in manifest order."""
        return list(dict.fromkeys([self.assignment, *(self.assignment_of(exercise) for exercise in self.exercises)]))

    def exercises_in(self, assignment: str) -> list[Exercise]:
        """The exercises of one nbgrader assignment, in manifest order; KeyError names the assignments."""
        if assignment not in self.assignments:
            raise KeyError(f"no assignment {assignment!r} in course.yml (assignments: {', '.join(self.assignments)})")
        return [exercise for exercise in self.exercises if self.assignment_of(exercise) == assignment]

    def notebook_path(self, exercise: Exercise) -> Path:
        """Where the nbgrader source notebook of an exercise lives, relative to the repository."""
        return Path("source") / self.assignment_of(exercise) / f"{exercise.folder}.ipynb"

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id; KeyError names the ids that exist."""
        try:
            return self.by_id[exercise_id]
        except KeyError:
            raise KeyError(f"no exercise {exercise_id!r} in course.yml (ids: {', '.join(self.by_id)})") from None


def _allowed_fields(location: tuple[int | str, ...]) -> str:
    model: type[BaseModel] = Exercise if "exercises" in location else Course
    return ", ".join(model.model_fields)


def _one_line(error: ValidationError, source: str) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in first["loc"])
    where = where.replace(".[", "[")
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = f"unknown field; allowed here: {_allowed_fields(first['loc'])}"
        if first["loc"][-1] == "points" and "exercises" in first["loc"]:
            message = ("remove it: an exercise is worth the points of its checks, each declared by its @check in "
                       "autograder/checks/<id>.py")
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    got = f"; got {first['input']!r}" if first["type"] != "missing" and not isinstance(first["input"], (dict, list)) else ""
    return f"{source}: {where or 'top level'}: {message}{got}{more}"


@lru_cache(maxsize=8)
def parse_course(text: str, source: str = "course.yml") -> Course:
    """Parse and validate manifest text; raise ManifestError with one line naming the field.

    The same text gives the same Course (it is frozen): a judge reads course.yml for every chunk it grades,
    and parsing it every time cost the judges of a 60-notebook nbgrader run 0.65 s of CPU."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ManifestError(f"{source}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{source}: top level must be a mapping of fields, got {type(data).__name__}")
    try:
        return Course.model_validate(data)
    except ValidationError as exc:
        raise ManifestError(_one_line(exc, source)) from None


def load_course(path: Path = MANIFEST_PATH) -> Course:
    """Read and validate course.yml (by default the repository's)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"{path.name}: cannot read: {exc.strerror}") from None
    return parse_course(text, source=path.name)
