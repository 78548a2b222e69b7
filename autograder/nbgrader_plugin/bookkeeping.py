"""nbgrader's own bookkeeping steps of autograde, doing the same work with less repeated effort.

Profiled on the 60-notebook class (docs/architecture.md, "nbgrader"), most of nbgrader's time per
notebook went to repeating work, not to the work itself: `CheckCellMetadata` re-reads three JSON
schemas and re-checks the schema itself (`jsonschema.validate` calls `check_schema`) for every
cell; `SaveAutoGrades` runs one query and one commit (an fsync for sqlite) per cell; and
`OverwriteCells` queries the gradebook twice per cell; and every step opened a gradebook (a new
database engine) per notebook, where these use the run's (`run_gradebook.py`). These subclasses
keep nbgrader's rules, messages and gradebook rows exactly and only drop the repetition.
"""

from __future__ import annotations

import json
import traceback
from functools import cache
from typing import Any

from jsonschema import exceptions as schema_errors
from jsonschema.validators import validator_for
from nbgrader import utils
from nbgrader.api import Gradebook, GradeCell, MissingEntry, TaskCell
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, OverwriteKernelspec, SaveAutoGrades

from autograder.nbgrader_plugin.run_gradebook import step_gradebook


class _CompiledSchema(BaseMetadataValidator):
    """BaseMetadataValidator.validate_cell with the schema checked and compiled once."""

    def validate_cell(self, cell: Any) -> None:
        if "nbgrader" not in cell.metadata:
            return
        schema = cell.metadata["nbgrader"].get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {schema} (expected {self.schema_version})",
                                    schema, self.schema_version)
        if schema > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {schema} (expected {self.schema_version})",
                                    schema, self.schema_version)
        error = schema_errors.best_match(self._compiled().iter_errors(cell.metadata["nbgrader"]))
        if error is not None:  # what jsonschema.validate raises
            raise error

    def _compiled(self) -> Any:
        if not hasattr(self, "_schema_validator"):
            kind = validator_for(self.schema)
            kind.check_schema(self.schema)
            self._schema_validator = kind(self.schema)
        return self._schema_validator


class _MetadataValidator(MetadataValidator, _CompiledSchema):  # type: ignore[misc]
    """nbgrader's current metadata validator; its base-class step goes through `_CompiledSchema`."""


@cache
def metadata_validator() -> MetadataValidator:
    """One validator per process (nbgrader builds one, reading three schema files, per notebook)."""
    return _MetadataValidator()


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader's CheckCellMetadata: same checks, errors and log, with the schema compiled once."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        try:
            metadata_validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            message = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(message)
            raise ValidationError(message) from None
        return nb, resources


class SaveAutoGradesOnce(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, with the notebook's grades and comments loaded in one query each and
    saved in one commit (nbgrader queries and commits once per cell). The rules are nbgrader's: the
    auto score from `utils.determine_grade`, needs_manual_grade when a manual score exists or there
    is no auto score, "No response." for an unchanged answer cell."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id, self.db_url = info["student"], info["db_url"]
        with step_gradebook(self, self.db_url) as gradebook:
            self.gradebook = gradebook
            submitted = gradebook.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
            cells = submitted.notebook  # names by cell id: `grade.name` would load each grade's cell on its own
            names = {cell.id: cell.name for cell in [*cells.grade_cells, *cells.task_cells, *cells.solution_cells]}
            self._grades = {names[grade.cell_id]: grade for grade in submitted.grades if grade.cell_id in names}
            self._comments = {names[comment.cell_id]: comment for comment in submitted.comments
                              if comment.cell_id in names}
            nb, resources = super(SaveAutoGrades, self).preprocess(nb, resources)  # cell by cell, below
            gradebook.db.commit()
        return nb, resources

    def _add_score(self, cell: Any, resources: dict[str, Any]) -> None:
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        grade = self._grades.get(grade_id) or self.gradebook.find_grade(  # MissingEntry, as nbgrader raises
            grade_id, self.notebook_id, self.assignment_id, self.student_id)
        grade.auto_score, _ = utils.determine_grade(cell, self.log)
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None

    def _add_comment(self, cell: Any, resources: dict[str, Any]) -> None:
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        comment = self._comments.get(grade_id) or self.gradebook.find_comment(
            grade_id, self.notebook_id, self.assignment_id, self.student_id)
        unchanged = cell.metadata.nbgrader.get("checksum", None) == utils.compute_checksum(cell)
        comment.auto_comment = "No response." if unchanged and not utils.is_task(cell) else None


class OverwriteKernelspecOnce(OverwriteKernelspec):
    """nbgrader's OverwriteKernelspec (the instructor's kernelspec replaces the student's), through the
    run's gradebook."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        with step_gradebook(self, info["db_url"]) as gradebook:
            stored = gradebook.find_notebook(info["notebook"], info["assignment"]).kernelspec
        kernelspec = json.loads(stored) if stored is not None else None
        if kernelspec:
            nb.metadata["kernelspec"] = kernelspec
        return nb, resources


class AssignLatePenaltiesOnce(AssignLatePenalties):
    """nbgrader's AssignLatePenalties (nbgrader 0.9's `preprocess`: the plugin's penalty for a late
    submission, checked and saved), through the run's gradebook."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id, self.db_url = info["student"], info["db_url"]
        self.init_plugin()
        with step_gradebook(self, self.db_url) as gradebook:
            self.gradebook = gradebook
            nb, resources = super(AssignLatePenalties, self).preprocess(nb, resources)
            assignment = gradebook.find_submission(self.assignment_id, self.student_id)
            notebook = gradebook.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
            notebook.late_submission_penalty = None
            if assignment.total_seconds_late > 0:
                self.log.warning("%s is %s seconds late", assignment, assignment.total_seconds_late)
                penalty = self.plugin_inst.late_submission_penalty(
                    self.student_id, notebook.score, assignment.total_seconds_late)
                self.log.warning("Late submission penalty: %s", penalty)
                if penalty is not None:
                    notebook.late_submission_penalty = self._check_late_penalty(notebook, penalty)
            gradebook.db.commit()
        return nb, resources


class NotebookCells:
    """A gradebook whose `find_source_cell` and `find_graded_cell` answer, for one notebook, from a query
    per kind of cell (OverwriteCells asks once or twice per cell); everything else is the gradebook's.

    Grade and task cells are queried as such: `Notebook.grade_cells` loads them as base cells, and each
    one's own columns (its max_score, its cell type) then cost a query of their own."""

    def __init__(self, gradebook: Gradebook, notebook_id: str, assignment_id: str) -> None:
        self._gradebook = gradebook
        self._notebook = (notebook_id, assignment_id)
        try:
            notebook = gradebook.find_notebook(notebook_id, assignment_id)
        except MissingEntry:  # every lookup then misses, as nbgrader's would
            self._source: dict[str, Any] = {}
            self._graded: dict[str, Any] = {}
        else:
            self._source = {cell.name: cell for cell in notebook.source_cells}
            self._graded = {cell.name: cell for kind in (TaskCell, GradeCell)  # a grade cell wins, as in nbgrader
                            for cell in gradebook.db.query(kind).filter(kind.notebook == notebook)}

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> Any:
        """The notebook's source cell `name` (MissingEntry if there is none)."""
        if (notebook, assignment) != self._notebook:
            return self._gradebook.find_source_cell(name, notebook, assignment)
        if name not in self._source:
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}")
        return self._source[name]

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> Any:
        """The notebook's grade cell (or else task cell) `name` (MissingEntry if there is none)."""
        if (notebook, assignment) != self._notebook:
            return self._gradebook.find_graded_cell(name, notebook, assignment)
        if name not in self._graded:
            raise MissingEntry(f"No such grade cell: {assignment}/{notebook}/{name}")
        return self._graded[name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gradebook, name)
