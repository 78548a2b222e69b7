"""Reading submitted notebooks without letting one unreadable file stop a student's whole grading.

nbgrader reads each submitted notebook before any preprocessor runs; a truncated or non-JSON
file raises there, and nbgrader then discards the student's entire autograded folder, so the
student gets no feedback at all. This exporter substitutes the released notebook (answer cells
emptied) and records why, so the checks of that notebook score 0 with the reason in the
feedback, and the student's other notebooks are graded as usual.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.reader import NotJSONError
from nbgrader.coursedir import CourseDirectory

from autograder.grading.untrusted_files import MAX_NOTEBOOK_BYTES, UntrustedFileError, read_capped
from autograder.manifest import load_course
from autograder.nbgrader_plugin.sandbox_grading import exercise_for

UNREADABLE_KEY = "unreadable"


def unreadable_reason(notebook: Any) -> str | None:
    """Why the student's file could not be read, if a placeholder stands in for it."""
    reason = notebook.get("metadata", {}).get("course", {}).get(UNREADABLE_KEY)
    return reason if isinstance(reason, str) else None


class TolerantNotebookExporter(NotebookExporter):
    """A NotebookExporter that turns an unreadable submission into a graded-as-empty placeholder."""

    def from_filename(self, filename: str, resources: Any = None, **kw: Any) -> tuple[str, Any]:
        path = Path(filename)
        notebook, problem = _read_submitted(path)
        if notebook is not None:  # read once, through the capped reader; nbgrader never opens the file itself
            resources = resources if resources is not None else ResourcesDict()
            metadata = resources.setdefault("metadata", ResourcesDict())
            metadata["name"], metadata["path"] = path.stem, str(path.parent)
            metadata["modified_date"] = datetime.datetime.fromtimestamp(
                path.stat().st_mtime, tz=datetime.timezone.utc).strftime("%B %-d, %Y")
            return self.from_notebook_node(notebook, resources, **kw)
        student = (resources or {}).get("nbgrader", {}).get("student", "?")
        self.log.warning("%s, %s: the submitted file could not be read (%s); its checks score 0, with this reason "
                         "in the feedback", student, path.name, problem)
        placeholder = self._placeholder(path, problem, (resources or {}).get("nbgrader", {}).get("assignment"))
        if resources is not None:
            resources.setdefault("metadata", {})["name"] = path.stem
        return self.from_notebook_node(placeholder, resources, **kw)

    def _placeholder(self, path: Path, problem: str, assignment: str | None) -> Any:
        """The released notebook of the submission's own assignment (nbgrader's, so a linreg_zh submission's is
        Chinese; else the one course.yml gives its exercise)."""
        if not isinstance(assignment, str):
            course = load_course()
            exercise = exercise_for(path.stem, course)
            assignment = course.assignment_of(exercise) if exercise else course.assignment
        coursedir = CourseDirectory(config=self.config)
        release = Path(coursedir.format_path(coursedir.release_directory, ".", assignment)) / path.name
        source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) / path.name
        notebook = nbformat.read(release if release.exists() else source, as_version=4)
        for cell in notebook.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                cell.source = f"# The submitted file could not be read: {problem}"
        notebook.metadata.setdefault("course", {})[UNREADABLE_KEY] = f"{path.name}: {problem}"
        return notebook


def _read_submitted(path: Path) -> tuple[Any, str]:
    """The submitted notebook as nbformat reads it, or why it cannot be read."""
    try:
        raw = read_capped(path, MAX_NOTEBOOK_BYTES)
    except UntrustedFileError as problem:
        return None, str(problem).removeprefix(f"{path.name} ")
    try:
        return nbformat.reads(raw.decode("utf-8"), as_version=4), ""
    except UnicodeDecodeError:
        return None, "not UTF-8 text, so not a notebook"
    except (json.JSONDecodeError, NotJSONError):
        return None, "not a valid notebook: its JSON is broken (was the file truncated or edited by hand?)"
    except RecursionError:
        return None, "not a valid notebook: its JSON is nested too deeply"
    except Exception as exc:  # nbformat's own validation and version errors
        return None, f"not a valid notebook ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
