"""Preprocessors nbgrader's autograde runs in place of executing the student's notebook in a kernel.

`RemoveDuplicateCells` (sanitize pass) keeps one copy of every nbgrader cell, so one student's
copy-pasted cell cannot abort the whole batch. `SandboxGrader` (autograde pass) takes the answer
cells by the instructor's grade ids, grades them with the hidden checks in the sandbox, and writes
each check's outcome into its grade cell: the score as the cell's result (nbgrader's partial
credit), the targeted message as its printed output. nbgrader's own SaveAutoGrades, feedback and
export then work unchanged.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.grading.engine import grade_jobs
from autograder.grading.submissions import module_source_from_cells
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
    """Grade the notebook's exercise in the sandbox and write one outcome per grade cell."""

    def _exercise(self, notebook_id: str) -> Exercise | None:
        course = load_course()
        return next((exercise for exercise in course.exercises if notebook_id in (exercise.folder, exercise.id)), None)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        exercise = self._exercise(info["notebook"])
        if exercise is None:
            self.log.warning("%s is not one of the course's notebooks; left ungraded", info["notebook"])
            return nb, resources
        coursedir = CourseDirectory(config=self.config)
        instructor = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"])) / f"{info['notebook']}.ipynb"
        unreadable = unreadable_reason(nb)
        result: ExerciseResult | None = None
        if unreadable is not None:
            failure = (f"The submitted file could not be read ({unreadable}), so no check could run. "
                       "Re-save the notebook in JupyterLab and submit it again.")
        else:
            try:
                result, failure = self._grade(exercise, nb, instructor), ""
            except Exception as exc:  # a grader fault: every check of this notebook gets 0 with the reason
                self.log.error("Grading %s of %s failed: %s", info["notebook"], info["student"], exc)
                failure = f"The grader could not grade this notebook ({type(exc).__name__}: {exc}); ask your instructor."
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade") or grade_id is None:
                continue
            check_id = grade_id.removeprefix(f"{exercise.id}__")
            record = next((check for check in result.checks if check.check_id == check_id), None) if result else None
            if record is None:
                cell.outputs = _outputs(0.0, f"✗ not graded\n{failure or 'no check of this name'}")
            elif record.status == "passed":
                cell.outputs = _outputs(record.score, f"✓ {record.name}")
            else:
                cell.outputs = _outputs(0.0, f"✗ {record.name} ({record.status})\n{record.message}")
        return nb, resources

    def _grade(self, exercise: Exercise, nb: Any, instructor: Path) -> ExerciseResult:
        source = module_source_from_cells(nb, instructor)
        with tempfile.TemporaryDirectory(prefix="course-nbgrader-") as scratch:
            module = Path(scratch) / exercise.module_file
            module.write_text(source, encoding="utf-8")
            job = Job(job_id="notebook", exercise_id=exercise.id, module_path=module,
                      seed=int.from_bytes(os.urandom(4), "little"))
            return grade_jobs([job])["notebook"]


def _outputs(score: float, text: str) -> list[Any]:
    return [nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": f"{score:g}"}, execution_count=None)]
