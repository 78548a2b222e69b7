"""Preprocessors nbgrader's autograde runs in place of executing the student's notebook in a kernel.

`RemoveDuplicateCells` (sanitize pass) keeps one copy of every nbgrader cell, so one student's
copy-pasted cell cannot abort the whole batch. `SandboxGrader` (autograde pass) takes the answer
cells by the instructor's grade ids, grades them with the hidden checks in the sandbox, and writes
each check's outcome into its grade cell: the score as the cell's result (nbgrader's partial
credit), the targeted message as its printed output. nbgrader's own SaveAutoGrades, feedback and
export then work unchanged.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.grading.engine import grade_jobs
from autograder.grading.submissions import VISIBLE_CHECKS_SUFFIX, module_source_from_cells
from autograder.harness.records import ExerciseResult
from autograder.judge.runner import Job
from autograder.manifest import Exercise, load_course
from autograder.nbgrader_plugin.exporter import unreadable_reason


def _grade_id(cell: Any) -> str | None:
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) and isinstance(nbgrader.get("grade_id"), str) else None


class RemoveDuplicateCells(NbGraderPreprocessor):
    """Keep the last copy of each nbgrader cell; earlier copies become ordinary cells.

    nbgrader's DeduplicateIds empties the duplicates' metadata, which then fails the metadata check
    and stops the whole autograde run (nbgrader issue #1083). Malformed nbgrader metadata is
    dropped the same way; OverwriteCells then restores what the instructor's cells should be.
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        seen: set[str] = set()
        for cell in reversed(nb.cells):
            grade_id = _grade_id(cell)
            metadata = cell.get("metadata", {})
            if "nbgrader" in metadata and (grade_id is None or grade_id in seen):
                self.log.warning("Dropping the nbgrader metadata of a duplicated or malformed cell (%s)", grade_id)
                del metadata["nbgrader"]
            elif grade_id is not None:
                seen.add(grade_id)
        return nb, resources


class SandboxGrader(NbGraderPreprocessor):
    """Grade the notebook's exercise in the sandbox and write one outcome per grade cell.

    nbgrader hands over one notebook at a time. On the first one, every submitted notebook of
    the run is graded in a single pass (one pytest session, one warmed zygote); each notebook then
    looks its result up by the digest of the exact module it builds, so a notebook that sanitizing
    changed (a retyped cell restored) is simply graded again on the spot.
    """

    _results: dict[str, ExerciseResult] = {}  # module digest -> result, for this process
    _prepared: set[str] = set()  # assignments already graded in a single pass

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        exercise = _exercise(info["notebook"])
        if exercise is None:
            self.log.warning("%s is not one of the course's notebooks; left ungraded", info["notebook"])
            return nb, resources
        coursedir = CourseDirectory(config=self.config)
        if info["assignment"] not in self._prepared:
            self._prepared.add(info["assignment"])
            self._grade_whole_class(coursedir, info["assignment"])
        unreadable = unreadable_reason(nb)
        result: ExerciseResult | None = None
        if unreadable is not None:
            failure = (f"The submitted file could not be read ({unreadable}), so no check could run. "
                       "Re-save the notebook in JupyterLab and submit it again.")
        else:
            try:
                result, failure = self._grade(exercise, module_source_from_cells(
                    nb, _instructor_notebook(coursedir, info["assignment"], info["notebook"]))), ""
            except Exception as exc:  # a grader fault: every check of this notebook gets 0 with the reason
                self.log.error("Grading %s of %s failed: %s", info["notebook"], info["student"], exc)
                failure = f"The grader could not grade this notebook ({type(exc).__name__}: {exc}); ask your instructor."
        _write_outcomes(nb, exercise, result, failure)
        return nb, resources

    def _grade(self, exercise: Exercise, source: str) -> ExerciseResult:
        key = _digest(exercise.id, source)
        if key not in self._results:
            self._results |= _grade_sources({key: (exercise, source)})
        return self._results[key]

    def _grade_whole_class(self, coursedir: CourseDirectory, assignment: str) -> None:
        pending: dict[str, tuple[Exercise, str]] = {}
        pattern = coursedir.format_path(coursedir.submitted_directory, coursedir.student_id, assignment)
        for path in sorted(Path(folder) / name for folder in glob.glob(pattern) for name in os.listdir(folder)):
            exercise = _exercise(path.stem) if path.suffix == ".ipynb" else None
            if exercise is None:
                continue
            try:  # anything unusual is left to the notebook-by-notebook path, which reports it
                notebook = json.loads(path.read_text(encoding="utf-8"))
                source = module_source_from_cells(notebook, _instructor_notebook(coursedir, assignment, path.stem))
            except (OSError, ValueError, TypeError, KeyError, AttributeError):
                continue
            pending[_digest(exercise.id, source)] = (exercise, source)
        self.log.info("Grading %d submitted notebooks in the sandbox in one pass", len(pending))
        self._results |= _grade_sources(pending, workers=os.cpu_count() or 1)


def _exercise(notebook_id: str) -> Exercise | None:
    return next((exercise for exercise in load_course().exercises if notebook_id in (exercise.folder, exercise.id)), None)


def _instructor_notebook(coursedir: CourseDirectory, assignment: str, notebook_id: str) -> Path:
    return Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / f"{notebook_id}.ipynb"


def _digest(exercise_id: str, source: str) -> str:
    return hashlib.sha256(f"{exercise_id}\0{source}".encode()).hexdigest()


def _grade_sources(sources: dict[str, tuple[Exercise, str]], workers: int = 1) -> dict[str, ExerciseResult]:
    """Grade modules given as text, all in one session; results keyed like `sources`."""
    with tempfile.TemporaryDirectory(prefix="course-nbgrader-") as scratch:
        jobs = []
        for key, (exercise, source) in sources.items():
            module = Path(scratch) / key / exercise.module_file
            module.parent.mkdir()
            module.write_text(source, encoding="utf-8")
            jobs.append(Job(job_id=key, exercise_id=exercise.id, module_path=module,
                            seed=int.from_bytes(os.urandom(4), "little")))
        return grade_jobs(jobs, workers=workers) if jobs else {}


def _write_outcomes(nb: Any, exercise: Exercise, result: ExerciseResult | None, failure: str) -> None:
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade") or grade_id is None:
            continue
        if grade_id.endswith(VISIBLE_CHECKS_SUFFIX):
            continue  # worth 0 points and left without output: its checks are graded in the cells after it
        check_id = grade_id.removeprefix(f"{exercise.id}__")
        record = next((check for check in result.checks if check.check_id == check_id), None) if result else None
        if record is None:
            cell.outputs = _outputs(0.0, f"✗ not graded\n{failure or 'no check of this name'}")
        elif record.status == "passed":
            cell.outputs = _outputs(record.score, f"✓ {record.name}")
        else:
            cell.outputs = _outputs(0.0, f"✗ {record.name} ({record.status})\n{record.message}")


def _outputs(score: float, text: str) -> list[Any]:
    return [nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": f"{score:g}"}, execution_count=None)]
