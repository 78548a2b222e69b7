"""Preprocessors nbgrader's autograde runs in place of executing the student's notebook in a kernel.

`RemoveDuplicateCells` (sanitize pass) keeps one copy of every nbgrader cell, so one student's
copy-pasted cell cannot abort the whole batch; `OverwriteChangedCells` (sanitize pass) restores
the instructor's cells and reports only the ones a student changed. `SandboxGrader` (autograde pass) takes the answer
cells by the instructor's grade ids, grades them with the hidden checks in the sandbox, and writes
each check's outcome into its grade cell: the score as the cell's result (nbgrader's partial
credit), the targeted message as its printed output, in the release's language (the instructor's
notebook names it). nbgrader's own SaveAutoGrades, feedback and export then work unchanged.
"""

from __future__ import annotations

import copy
from typing import Any

import nbformat
from nbgrader.api import MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Unicode

from course_checks import i18n
from course_checks.i18n import N_, _
from course_checks.words import failed_heading

from autograder.grading.submissions import VISIBLE_CHECKS_SUFFIX, module_source_from_cells
from autograder.manifest import Exercise
from autograder.nbgrader_plugin.bookkeeping import NotebookCells
from autograder.nbgrader_plugin.exporter import unreadable_reason
from autograder.nbgrader_plugin.judges import Record
from autograder.nbgrader_plugin.run_gradebook import step_gradebook
from autograder.nbgrader_plugin.sandbox_grading import (
    ResultsByModule,
    exercise_for,
    instructor_notebook,
    release_language,
)
from autograder.sandbox.protections import IsolationMissing


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


class OverwriteChangedCells(OverwriteCells):
    """nbgrader's OverwriteCells, warning only about cells the student really changed.

    The release strips each check cell's hidden-tests region, so every locked cell with one
    differs from the gradebook's copy, and stock OverwriteCells reports each of them ("Attribute
    'checksum' ... has changed!") for every student, drowning real tampering. A locked cell that is
    exactly the released form of the gradebook's cell gets the gradebook's source back silently;
    any other difference is still restored and reported, naming the student and the notebook.
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        self.student_id, self.notebook_id, self.assignment_id = info["student"], info["notebook"], info["assignment"]
        self.db_url = info["db_url"]
        # generate_assignment's preprocessors that run after the cells are saved to the gradebook
        self._release_steps = [ClearHiddenTests(parent=self), ClearMarkScheme(parent=self)]
        # OverwriteCells.preprocess, with the notebook's cells looked up in one query instead of per cell
        with step_gradebook(self, self.db_url) as gradebook:
            self.gradebook = NotebookCells(gradebook, self.notebook_id, self.assignment_id)
            nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
            if self.add_missing_cells:
                nb, resources = self.add_missing_grade_cells(nb, resources)
                nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources

    def preprocess_cell(self, cell: Any, resources: dict[str, Any], cell_index: int) -> tuple[Any, dict[str, Any]]:
        grade_id = _grade_id(cell)
        if grade_id is not None:
            try:
                source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                pass  # OverwriteCells reports and drops the unknown id
            else:
                if (source_cell.locked and cell.cell_type == source_cell.cell_type
                        and cell.source == self._released_source(cell, source_cell.source, resources)):
                    cell.source = source_cell.source
        return super().preprocess_cell(cell, resources, cell_index)

    def _released_source(self, cell: Any, source: str, resources: dict[str, Any]) -> str | None:
        released = copy.deepcopy(cell)
        released.source = source
        try:
            for step in self._release_steps:
                released, _resources = step.preprocess_cell(released, resources, 0)
        except RuntimeError:  # the student's metadata contradicts the gradebook's: not the released cell
            return None
        return released.source

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        self.log.warning("%s, %s.ipynb: attribute '%s' of cell %s has changed (should be: %s, got: %s); "
                         "the gradebook's version is graded", self.student_id, self.notebook_id, attr, name, old, new)


class SandboxGrader(NbGraderPreprocessor):
    """Grade the notebook's exercise in the sandbox and write one outcome per grade cell.

    nbgrader hands over one notebook at a time. The run's exporter (`AutogradeExporter`) has
    already handed every notebook this run will autograde to the run's judge processes; each
    notebook waits for its result by the digest of the exact module it builds, so a notebook that
    sanitizing changed (a retyped cell restored) is simply graded on its own.
    """

    trusted = Bool(False, help=(
        "Grade even where the sandbox cannot confine submitted code (no read-only filesystem view, no uid "
        "that owns nothing, ...). Only for code you wrote yourself: submitted code could then change the "
        "course, the host or other grades.")).tag(config=True)
    scheduler = Unicode(None, allow_none=True, help=(
        "Grade on the dask.distributed cluster at this address (tcp://host:8786), or `local` for a "
        "LocalCluster; by default, judge processes on this machine (docs/distributed.md).")).tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        results = getattr(self.parent, "sandbox_results", None)  # the run's, set by AutogradeExporter
        if not isinstance(results, ResultsByModule):
            results = ResultsByModule(trusted=self.trusted, scheduler=self.scheduler, log=self.log)
        exercise = exercise_for(info["notebook"], getattr(self.parent, "course", None))
        if exercise is None:
            self.log.warning("%s is not one of the course's notebooks; left ungraded", info["notebook"])
            return nb, resources
        coursedir = CourseDirectory(config=self.config)
        instructor = instructor_notebook(coursedir, info["assignment"], info["notebook"])
        language = release_language(coursedir, info["assignment"], info["notebook"])
        unreadable = unreadable_reason(nb)
        result: Record | None = None
        failure: tuple[str, dict[str, str]] | None = None
        if unreadable is not None:
            failure = (UNREADABLE, {"reason": unreadable})
        else:
            try:
                result = results.result(exercise, module_source_from_cells(nb, instructor), language)
            except IsolationMissing:
                raise  # never a grade: nbgrader fails this submission and leaves it to be graded later
            except Exception as exc:  # a grader fault: every check of this notebook gets 0 with the reason
                self.log.error("Grading %s of %s failed: %s", info["notebook"], info["student"], exc)
                failure = (GRADER_FAULT, {"error": f"{type(exc).__name__}: {exc}"})
        with i18n.use(language):
            _write_outcomes(nb, exercise, result, _(failure[0]).format(**failure[1]) if failure else "")
        return nb, resources


# What the feedback says when no check could run, in the release's language.
UNREADABLE = N_("The submitted file could not be read ({reason}), so no check could run. Re-save the notebook in "
                "JupyterLab and submit it again.")
GRADER_FAULT = N_("The grader could not grade this notebook ({error}); ask your instructor.")


def _write_outcomes(nb: Any, exercise: Exercise, result: Record | None, failure: str) -> None:
    """Each grade cell's outcome, in the current language (the record's texts are in it already)."""
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade") or grade_id is None:
            continue
        if grade_id.endswith(VISIBLE_CHECKS_SUFFIX):
            continue  # worth 0 points and left without output: its checks are graded in the cells after it
        check_id = grade_id.removeprefix(f"{exercise.id}__")
        record = next((check for check in result["checks"] if check["check_id"] == check_id), None) if result else None
        if record is None:
            cell.outputs = _outputs(0.0, _("✗ not graded\n{why}").format(why=failure or _("no check of this name")))
        elif record["status"] == "passed":
            cell.outputs = _outputs(record["score"], f"✓ {record['name']}")
        else:
            cell.outputs = _outputs(0.0, f"{failed_heading(record['name'], record['status'])}\n{record['message']}")


def _outputs(score: float, text: str) -> list[Any]:
    # Built as plain nodes: `new_output` validates each one (2 % of the nbgrader process's profile on the
    # benchmark's class), and the exporter validates the whole notebook after the pass anyway.
    return [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": text + "\n"}),
            nbformat.from_dict({"output_type": "execute_result", "data": {"text/plain": f"{score:g}"},
                                "metadata": {}, "execution_count": None})]
