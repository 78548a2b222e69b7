"""One `nbgrader autograde` run as a whole: crash recovery, what it will grade, and the sandbox's one pass.

nbgrader decides per student whether to autograde (`BaseConverter.init_destination`): it skips a
student whose `autograded/<student>/<assignment>/` folder exists, unless `--force` is given or
the submission's `timestamp.txt` is newer. That folder appears as soon as a student is started
(`init_assignment` copies files into it), each notebook is written there once sanitized and again
once graded, and `SaveAutoGrades` commits grades cell by cell. A run killed mid-way therefore left
a folder that the next run skipped, with grades never saved (nbgrader exports those as 0).

Here every graded notebook carries a stamp (`StampAutograded`, the autograde pass's last step, so
it is written with the notebook after its grades were saved); a sanitize step removes any stamp a
student's file brings along. nbgrader builds the run's exporter once, after finding the
submissions and before looking at the first student, and that is where `AutogradeExporter`:

1. removes what an interrupted run left of a student (a notebook without the stamp), so nbgrader
   grades the student again from the start;
2. works out, the way `init_destination` will, which submissions this run autogrades, so an
   incremental run grades only new, resubmitted and interrupted ones;
3. hands all their notebooks to the run's grading process (`judges.Judges`), notebook by notebook in
   the order nbgrader takes them, and waits for the first answer: if the sandbox cannot confine
   submitted code it stops the run here, before nbgrader writes anything (one line in the log,
   exit 1). Otherwise nbgrader goes on while the judges grade, and each notebook's `SandboxGrader`
   waits for its own result.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import remove, rmtree
from traitlets.utils.importstring import import_item

from autograder.grading.submissions import module_source_from_cells
from autograder.grading.untrusted_files import UntrustedFileError, read_notebook
from autograder.manifest import Course, load_course
from autograder.nbgrader_plugin.exporter import TolerantNotebookExporter
from autograder.nbgrader_plugin.judges import Module
from autograder.nbgrader_plugin.preprocessors import SandboxGrader
from autograder.nbgrader_plugin.run_gradebook import RunGradebooks
from autograder.nbgrader_plugin.sandbox_grading import (
    ResultsByModule,
    exercise_for,
    instructor_notebook,
    module,
    release_language,
)
from autograder.sandbox.protections import IsolationMissing

STAMP_KEY = "autograded"
# Judges are forked from a server that imported torch and pytest once, but each imports and collects the
# checks itself; a second judge paid off from about a dozen notebooks (0.2 to 1 s each) when judges were
# started from scratch, and is not measured again since.
NOTEBOOKS_PER_JUDGE = 12


def _course_metadata(nb: Any) -> dict[str, Any]:
    return nb.metadata.setdefault("course", {})


class ClearAutogradedStamp(NbGraderPreprocessor):
    """Sanitize pass: a submitted file cannot claim to be graded already."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        _course_metadata(nb).pop(STAMP_KEY, None)
        return nb, resources


class StampAutograded(NbGraderPreprocessor):
    """Autograde pass, last step: this notebook's grades are saved; nbgrader writes it next."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        _course_metadata(nb)[STAMP_KEY] = True
        return nb, resources


def is_stamped(path: Path) -> bool:
    """Whether the autograded notebook at `path` was written whole after its grades were saved."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return notebook["metadata"]["course"][STAMP_KEY] is True
    except (OSError, ValueError, KeyError, TypeError):  # missing, cut short by a kill, or never stamped
        return False


@dataclass(frozen=True)
class MatchedSubmission:
    """One student's submission of one assignment that this run's globs matched."""

    student_id: str
    assignment_id: str
    submitted: Path  # submitted/<student>/<assignment>
    autograded: Path  # autograded/<student>/<assignment>, nbgrader's destination
    notebooks: tuple[Path, ...]  # the submitted notebooks matched by --notebook


def _in_chain(chain: list[Any], preprocessor: type) -> bool:
    return any((import_item(entry) if isinstance(entry, str) else entry) is preprocessor for entry in chain)


class AutogradeRun:
    """The state of one autograde run, built before nbgrader processes its first student."""

    def __init__(self, converter: Autograde, grader: SandboxGrader) -> None:
        self.converter = converter
        self.coursedir: CourseDirectory = converter.coursedir
        self.log = converter.log
        self.course: Course = load_course()
        self.results = ResultsByModule(trusted=grader.trusted, scheduler=grader.scheduler, log=converter.log)
        self.submissions = self._matched()
        self._known_notebooks: dict[str, set[str]] = {}

    def _matched(self) -> list[MatchedSubmission]:
        coursedir = self.coursedir
        pattern = re.compile(coursedir.format_path(coursedir.submitted_directory, "(?P<student_id>.*)",
                                                   "(?P<assignment_id>.*)", escape=True))
        matched = []
        for folder, notebooks in sorted(self.converter.assignments.items()):
            found = pattern.fullmatch(folder)
            if found is None:
                continue  # nbgrader reports a folder it cannot parse
            student, assignment = found["student_id"], found["assignment_id"]
            matched.append(MatchedSubmission(
                student, assignment, Path(folder),
                Path(coursedir.format_path(coursedir.autograded_directory, student, assignment)),
                tuple(sorted(Path(path) for path in notebooks))))
        return matched

    def known_notebooks(self, assignment_id: str) -> set[str]:
        """The assignment's notebooks in the gradebook: nbgrader skips any other."""
        if assignment_id not in self._known_notebooks:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                try:
                    names = {notebook.name for notebook in gradebook.find_assignment(assignment_id).notebooks}
                except MissingEntry:
                    names = set()  # nbgrader stops on an unknown assignment itself
            self._known_notebooks[assignment_id] = names
        return self._known_notebooks[assignment_id]

    def _graded_notebooks(self, submission: MatchedSubmission) -> list[Path]:
        known = self.known_notebooks(submission.assignment_id)
        return [path for path in submission.notebooks if path.stem in known]

    def redo_interrupted(self) -> None:
        """Remove what an interrupted run left, so that nbgrader grades those notebooks again."""
        whole_submissions = self.coursedir.notebook_id == "*"
        for submission in self.submissions:
            if not submission.autograded.exists():
                continue
            unfinished = [path.name for path in self._graded_notebooks(submission)
                          if not is_stamped(submission.autograded / path.name)]
            if not unfinished:
                continue
            one = len(unfinished) == 1
            self.log.warning("%s, %s: an earlier autograde was interrupted before %s %s graded completely; "
                             "grading %s again", submission.student_id, submission.assignment_id,
                             ", ".join(unfinished), "was" if one else "were",
                             "the whole submission" if whole_submissions else "it" if one else "them")
            if whole_submissions:  # nbgrader skips a submission whose folder exists
                rmtree(str(submission.autograded))
            else:  # ... or, for --notebook, whose notebooks all exist
                for name in unfinished:
                    if (submission.autograded / name).exists():
                        remove(str(submission.autograded / name))

    def will_autograde(self, submission: MatchedSubmission) -> bool:
        """`BaseConverter.init_destination`'s decision, without its side effects (it runs later, per student)."""
        coursedir = self.coursedir
        if coursedir.student_id_exclude and submission.student_id in coursedir.student_id_exclude.split(","):
            return False
        if coursedir.notebook_id == "*":
            if not submission.autograded.exists():
                return True
        elif any(not (submission.autograded / path.name).exists() for path in submission.notebooks):
            return True
        if self.converter.force:
            return True
        submitted_at = coursedir.get_existing_timestamp(str(submission.submitted))
        graded_at = coursedir.get_existing_timestamp(str(submission.autograded))
        return submitted_at is not None and graded_at is not None and submitted_at > graded_at

    def grade_in_one_pass(self, submissions: list[MatchedSubmission]) -> Exception | None:
        """Hand every notebook of these submissions to the run's judges, one chunk per notebook in nbgrader's
        order, and wait for the first answer; its error (IsolationMissing: the sandbox cannot confine).

        One chunk per notebook, not per student: nbgrader waits for each notebook's result in turn, so a
        notebook that takes long (an endless loop runs out its CPU budget) holds up only itself, while
        the other judge grades the student's other notebooks."""
        modules: list[Module] = []
        keys: set[str] = set()
        students: set[str] = set()
        count = 0
        for submission in submissions:
            for path in self._graded_notebooks(submission):
                exercise = exercise_for(path.stem, self.course)
                if exercise is None:
                    continue
                try:  # anything unusual is left to the notebook-by-notebook path, which reports it
                    notebook = read_notebook(path)
                    source = module_source_from_cells(
                        notebook, instructor_notebook(self.coursedir, submission.assignment_id, path.stem))
                except (UntrustedFileError, TypeError, KeyError, AttributeError):
                    continue
                graded = module(exercise, source,
                                release_language(self.coursedir, submission.assignment_id, path.stem))
                if graded.key not in keys:  # the same module (an untouched stub, say) is graded once
                    keys.add(graded.key)
                    modules.append(graded)
                students.add(submission.student_id)
                count += 1
        if not modules:
            return None
        if self.results.scheduler is not None:  # the cluster spreads one batch over its workers itself
            chunks, judges = [modules], 1
        else:
            chunks = [[graded] for graded in modules]
            judges = min(os.cpu_count() or 1, len(chunks), max(1, count // NOTEBOOKS_PER_JUDGE))
        self.log.info("Grading %d submitted notebook%s of %d student%s in the sandbox in one pass (%s), "
                      "while nbgrader records them", count, "" if count == 1 else "s", len(students),
                      "" if len(students) == 1 else "s",
                      f"on {self.results.scheduler}" if self.results.scheduler is not None
                      else f"{judges} judge process{'' if judges == 1 else 'es'}")
        return self.results.start(chunks, judges)


class AutogradeExporter(TolerantNotebookExporter):
    """The exporter of `nbgrader autograde`, built once per run: recovery, then the one sandbox pass."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        converter = self.parent
        self.gradebooks = RunGradebooks()  # what the run's steps use (run_gradebook.py)
        self.sandbox_results: ResultsByModule | None = None
        self.course: Course | None = None
        if not isinstance(converter, Autograde):
            return
        grader = SandboxGrader(parent=self)
        trusted = grader.trusted
        run = AutogradeRun(converter, grader)
        self.sandbox_results, self.course = run.results, run.course
        if _in_chain(converter.autograde_preprocessors, StampAutograded):
            run.redo_interrupted()
        if not _in_chain(converter.autograde_preprocessors, SandboxGrader):
            return
        if trusted:
            self.log.warning("SandboxGrader.trusted is set: submitted code is graded even where the sandbox "
                             "cannot confine it; use this only for code you wrote yourself")
        refusal = run.grade_in_one_pass([submission for submission in run.submissions
                                         if run.will_autograde(submission)])
        if isinstance(refusal, IsolationMissing):  # fail closed: no student is started, nothing is written
            message = f"{refusal} (nbgrader autograde: --SandboxGrader.trusted=True)"
            self.log.error("%s", message)
            raise NbGraderException(message) from refusal
        # any other failed chunk was logged; its notebooks are graded one by one, each reporting its own
