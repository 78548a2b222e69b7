"""Finding what a submission contains: a directory, one `<id>.py`, or a notebook from the release.

Everything here treats the submission as untrusted data: sizes are capped, notebooks are parsed
as JSON and only their answer cells are taken, by the instructor's grade ids; the code and the
order of every other cell come from the instructor's source notebook.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.manifest import REPO_ROOT, Course

MAX_NOTEBOOK_BYTES = 5 << 20
MAX_FILES_SCANNED = 20_000
VISIBLE_CHECKS_SUFFIX = "_visible_checks"
MAGIC_LINE = re.compile(r"^(\s*)([%!].*)$")


@dataclass
class Submission:
    """One PATH given to `course grade`: which exercise modules it has, or why it has none."""

    path: str
    modules: dict[str, Path | None] = field(default_factory=dict)  # exercise id -> file (None: absent)
    unavailable: dict[str, str] = field(default_factory=dict)  # exercise id -> why it cannot be graded
    error: str = ""  # the PATH itself is unusable


def locate(path: Path, course: Course, scratch: Path) -> Submission:
    """What `path` holds; notebooks are turned into modules under `scratch`."""
    submission = Submission(str(path))
    if path.is_dir():
        found = _modules_in_directory(path, {exercise.module_file for exercise in course.exercises})
        submission.modules = {exercise.id: found.get(exercise.module_file) for exercise in course.exercises}
    elif path.suffix == ".py" and path.stem in course.by_id:
        submission.modules = {path.stem: path}
    elif path.suffix == ".ipynb":
        _from_notebook(path, course, scratch, submission)
    elif not path.exists():
        submission.error = f"{path}: no such file or directory"
    else:
        names = ", ".join(exercise.module_file for exercise in course.exercises)
        submission.error = f"{path.name}: not a directory, a notebook, or a module named after an exercise ({names})"
    return submission


def _modules_in_directory(root: Path, wanted: set[str]) -> dict[str, Path]:
    """Each wanted file name at any depth: the shallowest wins, then the first in sorted order."""
    found: dict[str, tuple[int, str, Path]] = {}
    scanned = 0
    for directory, subdirectories, files in os.walk(root, followlinks=False):
        subdirectories.sort()
        depth = Path(directory).relative_to(root).parts.__len__()
        for name in sorted(files):
            scanned += 1
            if scanned > MAX_FILES_SCANNED:
                return {name: entry[2] for name, entry in found.items()}
            candidate = Path(directory) / name
            if name in wanted and not candidate.is_symlink() and candidate.is_file():
                key = (depth, str(candidate.relative_to(root)), candidate)
                if name not in found or key[:2] < found[name][:2]:
                    found[name] = key
    return {name: entry[2] for name, entry in found.items()}


def _from_notebook(path: Path, course: Course, scratch: Path, submission: Submission) -> None:
    exercise_id = _exercise_of_notebook(path, course)
    if exercise_id is None:
        submission.error = (f"{path.name}: cannot tell which exercise this notebook is (no course metadata, and the "
                            f"file name is not one of the release's)")
        return
    submission.modules = {exercise_id: None}
    try:
        source = notebook_module_source(path, course, exercise_id)
    except NotebookProblem as problem:
        submission.unavailable[exercise_id] = str(problem)
        return
    target = Path(tempfile.mkdtemp(dir=scratch)) / f"{exercise_id}.py"
    target.write_text(source, encoding="utf-8")
    submission.modules[exercise_id] = target


class NotebookProblem(ValueError):
    """The notebook cannot be graded; the message says why, in one line."""


def _exercise_of_notebook(path: Path, course: Course) -> str | None:
    for exercise in course.exercises:
        if path.stem in (exercise.id, exercise.folder):
            return exercise.id
    try:
        data = _read_notebook_json(path)
        declared = data.get("metadata", {}).get("course", {}).get("exercise")
    except (NotebookProblem, AttributeError):
        return None
    return declared if isinstance(declared, str) and declared in course.by_id else None


def _read_notebook_json(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        raw = path.read_bytes()[: MAX_NOTEBOOK_BYTES + 1]
    except OSError as exc:
        raise NotebookProblem(f"{path.name} cannot be read: {exc.strerror}") from None
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise NotebookProblem(f"{path.name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotebookProblem(f"{path.name} is not UTF-8 text, so not a notebook") from None
    except json.JSONDecodeError as exc:
        raise NotebookProblem(f"{path.name} is not a valid notebook (broken JSON at line {exc.lineno}: {exc.msg}; "
                              "was it truncated?)") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookProblem(f"{path.name} is not a valid notebook (no list of cells)")
    return data


def _cell_source(cell: object) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source) if isinstance(source, list) and all(isinstance(part, str) for part in source) else (
        source if isinstance(source, str) else "")


def _grade_id(cell: object) -> str | None:
    metadata = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbgrader = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _without_magics(source: str) -> str:
    return "\n".join(MAGIC_LINE.sub(r"\1# (notebook command removed for grading) \2", line)
                     for line in source.splitlines())


def notebook_module_source(path: Path, course: Course, exercise_id: str) -> str:
    """The module to grade: the instructor's cells, with each answer cell taken from the student's notebook."""
    instructor = REPO_ROOT / course.notebook_path(course.exercise(exercise_id))
    return module_source_from_cells(_read_notebook_json(path), instructor)


def module_source_from_cells(data: dict, instructor_notebook: Path) -> str:  # type: ignore[type-arg]
    """Join the instructor's code cells in order, each answer cell replaced by the student's (by grade id)."""
    student_answers: dict[str, list[str]] = {}
    for cell in data["cells"]:
        grade_id = _grade_id(cell)
        if grade_id is not None and isinstance(cell, dict) and cell.get("cell_type") == "code":
            student_answers.setdefault(grade_id, []).append(_cell_source(cell))
    instructor = json.loads(instructor_notebook.read_text("utf-8"))
    parts = []
    for cell in instructor["cells"]:
        nbgrader = cell["metadata"]["nbgrader"]
        if cell["cell_type"] != "code" or nbgrader.get("grade") or nbgrader["grade_id"].endswith(VISIBLE_CHECKS_SUFFIX):
            continue  # instructions and check cells are not part of the student's module
        if nbgrader.get("solution"):
            answers = student_answers.get(nbgrader["grade_id"], [])
            # A duplicated answer cell: the last copy is what ran last in the student's kernel.
            parts.append(answers[-1] if answers else f"# (answer cell {nbgrader['grade_id']} is missing)")
        else:
            parts.append(_cell_source(cell))
    return "\n\n".join(_without_magics(part) for part in parts) + "\n"
