"""The course's nbgrader configuration, shared by every course directory's nbgrader_config.py."""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    GetGrades,
    LimitOutput,
    OverwriteKernelspec,
)

from autograder.manifest import load_course
from autograder.nbgrader_plugin.autograde_run import AutogradeExporter, ClearAutogradedStamp, StampAutograded
from autograder.nbgrader_plugin.bookkeeping import (
    AssignLatePenaltiesOnce,
    CheckCellMetadataOnce,
    OverwriteKernelspecOnce,
    SaveAutoGradesOnce,
)
from autograder.nbgrader_plugin.collect import LmsFileNameCollector
from autograder.nbgrader_plugin.feedback_css import WrapFeedbackOutputs
from autograder.nbgrader_plugin.preprocessors import OverwriteChangedCells, RemoveDuplicateCells, SandboxGrader

STUB = "# YOUR CODE HERE\nraise NotImplementedError"


def configure(c: Any, *, sandboxed: bool = True) -> None:
    """Set up nbgrader for this course; `sandboxed=False` keeps stock nbgrader's in-kernel grading."""
    course = load_course()
    c.CourseDirectory.course_id = course.course_id
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    c.ClearSolutions.code_stub = {"python": STUB}
    # The release carries the student runtime (course_checks/), copied verbatim next to the notebooks.
    c.GenerateAssignment.pre_convert_hook = "autograder.build.release.bundle_runtime"
    # Deleted check cells come back (worth their points, graded like the others) instead of
    # leaving the submission "needs manual grading".
    c.OverwriteCells.add_missing_cells = True
    # Feedback shows each check's name, score and message, wrapped to the page; never the code of a check.
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor, WrapFeedbackOutputs]
    # An unreadable notebook costs its own points (with the reason in the feedback), not the
    # student's whole submission; a rerun after a crash redoes what the crash left unfinished, and
    # the sandbox grades, in one pass, what the run will autograde (autograde_run.py).
    c.Autograde.exporter_class = AutogradeExporter
    # LMS downloads: <anything>_<student id>_attempt_<YYYY-MM-DD-hh-mm-ss>_<notebook>.ipynb
    c.ZipCollectApp.collector_plugin = LmsFileNameCollector
    c.FileNameCollectorPlugin.named_regexp = (
        r".*_(?P<student_id>[A-Za-z0-9]+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file_id>\w+)")
    # The baseline keeps nbgrader's own CheckCellMetadata and OverwriteKernelspec. In the course's
    # pipeline these, SaveAutoGrades and AssignLatePenalties are subclasses that do the same work
    # without repeating it per cell or opening a gradebook per notebook (bookkeeping.py).
    check_metadata = CheckCellMetadataOnce if sandboxed else CheckCellMetadata
    kernelspec = OverwriteKernelspecOnce if sandboxed else OverwriteKernelspec
    c.Autograde.sanitize_preprocessors = [ClearAutogradedStamp, ClearOutput, RemoveDuplicateCells, kernelspec,
                                          OverwriteChangedCells, check_metadata]
    if sandboxed:
        # nbconvert validates the whole notebook after every preprocessor (13 times per notebook);
        # once after each pass still rejects a notebook that a step made invalid.
        c.AutogradeExporter.optimistic_validation = True
        # StampAutograded last: a notebook is stamped once its grades are saved, just before nbgrader writes it
        c.Autograde.autograde_preprocessors = [SandboxGrader, ClearMetadataPreprocessor, LimitOutput, SaveAutoGradesOnce,
                                               AssignLatePenaltiesOnce, CheckCellMetadataOnce, StampAutograded]
