"""Finding what a submission contains: a directory, one `<id>.py`, or a notebook from the release.

Everything here treats the submission as untrusted data: only regular files are read, each through
the one capped reader (`untrusted_files`), and every module to grade is written afresh into the
run's scratch, so nothing later reads a student's file again. Notebooks are parsed as JSON and
only their answer cells are taken, by the instructor's grade ids; the code and the order of every
other cell come from the instructor's source notebook.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.grading.untrusted_files import UntrustedFileError, read_notebook, read_text, refusal
from autograder.manifest import REPO_ROOT, Course
from course_checks.i18n import _

MAX_FILES_SCANNED = 20_000
VISIBLE_CHECKS_SUFFIX = "_visible_checks"
MAGIC_LINE = re.compile(r"^(\s*)([%!].*)$")


@dataclass
class Submission:
    """One PATH given to `course grade`: which exercise modules it has, or why it has none."""

    path: str
    modules: dict[str, Path | None] = field(default_factory=dict)  # exercise id -> private copy (None: absent)
    unavailable: dict[str, str] = field(default_factory=dict)  # exercise id -> why it cannot be graded
    error: str = ""  # the PATH itself is unusable: nothing of it was graded


def locate(path: Path, course: Course, scratch: Path) -> Submission:
    """What `path` holds; each module found is read (capped) and copied into `scratch`."""
    submission = Submission(str(path))
    refused = refusal(path)
    if refused is not None:
        submission.error = refused
        return submission
    if path.is_dir():
        found = _modules_in_directory(path, {exercise.module_file for exercise in course.exercises})
        for exercise in course.exercises:
            module = found.get(exercise.module_file)
            submission.modules[exercise.id] = None
            if module is not None:
                _copy_module(submission, exercise.id, lambda module=module: read_text(module, beneath=path), scratch)
    elif path.suffix == ".py" and path.stem in course.by_id:
        submission.modules[path.stem] = None
        _copy_module(submission, path.stem, lambda: read_text(path), scratch)
    elif path.suffix == ".ipynb":
        _from_notebook(path, course, scratch, submission)
    else:
        names = ", ".join(exercise.module_file for exercise in course.exercises)
        submission.error = _("{name}: not a directory, a notebook, or a module named after an exercise ({names})").format(
            name=path.name, names=names)
    return submission


def _copy_module(submission: Submission, exercise_id: str, read: Any, scratch: Path) -> None:
    try:
        source = read()
    except UntrustedFileError as problem:
        submission.unavailable[exercise_id] = str(problem)
        return
    target = Path(tempfile.mkdtemp(dir=scratch)) / f"{exercise_id}.py"
    target.write_text(source, encoding="utf-8")
    submission.modules[exercise_id] = target


def _modules_in_directory(root: Path, wanted: set[str]) -> dict[str, Path]:
    """Each wanted file name at any depth: the shallowest wins, then the first in sorted order.

    Links are never followed; a winner that is not a regular file is returned too, and the capped
    reader then refuses it by name.
    """
    found: dict[str, tuple[int, str, Path]] = {}
    scanned = 0
    for directory, subdirectories, files in os.walk(root, followlinks=False):
        subdirectories.sort()
        depth = len(Path(directory).relative_to(root).parts)
        for name in sorted(files):
            scanned += 1
            if scanned > MAX_FILES_SCANNED:
                return {name: entry[2] for name, entry in found.items()}
            if name in wanted:
                candidate = Path(directory) / name
                key = (depth, str(candidate.relative_to(root)), candidate)
                if name not in found or key[:2] < found[name][:2]:
                    found[name] = key
    return {name: entry[2] for name, entry in found.items()}


def _from_notebook(path: Path, course: Course, scratch: Path, submission: Submission) -> None:
    try:
        data: dict[str, Any] | None = read_notebook(path)
        problem = ""
    except UntrustedFileError as exc:
        data, problem = None, str(exc)
    exercise_id = _exercise_of_notebook(path, data, course)
    if exercise_id is None:
        submission.error = problem or _("{name}: cannot tell which exercise this notebook is (no course metadata, "
                                        "and the file name is not one of the release's)").format(name=path.name)
        return
    submission.modules = {exercise_id: None}
    if data is None:
        submission.unavailable[exercise_id] = problem
        return
    instructor = REPO_ROOT / course.notebook_path(course.exercise(exercise_id))
    _copy_module(submission, exercise_id, lambda: module_source_from_cells(data, instructor), scratch)


def _exercise_of_notebook(path: Path, data: dict[str, Any] | None, course: Course) -> str | None:
    for exercise in course.exercises:
        if path.stem in (exercise.id, exercise.folder):
            return exercise.id
    metadata = data.get("metadata") if data is not None else None
    declared = metadata.get("course", {}).get("exercise") if isinstance(metadata, dict) and isinstance(
        metadata.get("course"), dict) else None
    return declared if isinstance(declared, str) and declared in course.by_id else None


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
