"""nbgrader autograde off the happy path, on a small class: killed and rerun, rerun incrementally,
refused when the sandbox cannot confine submitted code. Every run is compared with one that was
never interrupted (the class's answers score the same whatever the hidden inputs' seed)."""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin

from autograder.judge.suite import exercise_checks
from autograder.manifest import load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader, nbgrader_command
from autograder.nbgrader_plugin.simulated_class import simulated_class, write_class

COURSE = load_course()
EXERCISES = [COURSE.exercise("reshape"), COURSE.exercise("huber")]
STUDENTS = {student.student_id: student for student in simulated_class()}
CLASS = [STUDENTS[name] for name in ("ada", "chen", "fay")]  # full marks; wrong answers; broken notebooks
ONE_PASS = "in the sandbox in one pass"
STUDENT_DONE = "Setting destination file permissions"
REFUSAL = "refusing to run submitted code"

# Appended to the test course's nbgrader_config.py. Environment variables switch on, for one run:
# a SIGKILL of autograde just before one notebook's grades are saved (COURSE_TEST_KILL_AT =
# student/notebook), and a record of the judges the run starts, in graded-jobs.txt
# (COURSE_TEST_COUNT_JOBS: one line per set of judge processes, the modules handed to them and
# whether the run is trusted). A machine whose sandbox cannot confine submitted code is the real
# thing: COURSE_SANDBOX_VIEW=none (no filesystem view) in the judges' environment.
FAULTS = '''
import os, signal
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades


class KillBeforeSavingGrades(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        if os.environ.get("COURSE_TEST_KILL_AT") == f"{info['student']}/{info['notebook']}":
            os.kill(os.getpid(), signal.SIGKILL)
        return nb, resources


chain = list(c.Autograde.autograde_preprocessors)
chain.insert(next(index for index, step in enumerate(chain) if issubclass(step, SaveAutoGrades)), KillBeforeSavingGrades)
c.Autograde.autograde_preprocessors = chain

from autograder.nbgrader_plugin import sandbox_grading

# nbgrader may load this file more than once in one process: wrap Judges once
if os.environ.get("COURSE_TEST_COUNT_JOBS") and not hasattr(sandbox_grading.Judges, "counted"):
    class CountedJudges(sandbox_grading.Judges):
        counted = True

        def __init__(self, chunks, **kwargs):
            with open("graded-jobs.txt", "a") as calls:
                calls.write(f"{sum(len(chunk) for chunk in chunks)} trusted={kwargs.get('trusted', False)}\\n")
            super().__init__(chunks, **kwargs)

    sandbox_grading.Judges = CountedJudges
'''
NO_ISOLATION = {"COURSE_SANDBOX_VIEW": "none"}


@dataclass
class Run:
    returncode: int
    log: str

    def lines(self, text: str) -> list[str]:
        return [line for line in self.log.splitlines() if text in line]


def _autograde(directory: Path, *arguments: str, kill_on: str | None = None,
               environment: dict[str, str] | None = None) -> Run:
    """`nbgrader autograde` (no --force unless given); with `kill_on`, SIGKILL it when a log line contains that text."""
    command, env = nbgrader_command("autograde", COURSE.assignment, *arguments)
    # what a killed run leaves in the temp directory stays in the test's own
    temporary = directory.parent / "tmp"
    temporary.mkdir(exist_ok=True)
    process = subprocess.Popen(command, cwd=directory, env=env | {"TMPDIR": str(temporary)} | (environment or {}),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if kill_on is not None and kill_on in line:
            process.send_signal(signal.SIGKILL)
            break
    lines.extend(process.stdout)
    return Run(process.wait(), "".join(lines))


def _state(directory: Path) -> dict[str, Any]:
    """What grading left behind: a student's gradebook rows, `nbgrader export`, the autograded notebooks' scores."""
    rows: dict[str, Any] = {}
    export = directory / "export.csv"
    with Gradebook(f"sqlite:///{directory / 'gradebook.db'}", course_id=COURSE.course_id) as gradebook:
        CsvExportPlugin(to=str(export)).export(gradebook)  # what `nbgrader export` runs, without its start-up
        for submission in gradebook.find_assignment(COURSE.assignment).submissions:
            rows[submission.student.id] = {"timestamp": str(submission.timestamp), "notebooks": {
                notebook.name: {
                    "penalty": notebook.late_submission_penalty,
                    "grades": sorted((grade.name, grade.auto_score, grade.manual_score, grade.extra_credit,
                                      grade.needs_manual_grade) for grade in notebook.grades),
                    "comments": sorted((comment.name, comment.auto_comment or "", comment.manual_comment or "")
                                       for comment in notebook.comments),
                } for notebook in submission.notebooks}}
    autograded: dict[str, list[str]] = {}
    for path in sorted((directory / "autograded").glob("*/*/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        autograded[f"{path.parts[-3]}/{path.stem}"] = [
            "".join(output.get("data", {}).get("text/plain", "") for output in cell.get("outputs", [])
                    if output.output_type == "execute_result")
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    return {"gradebook": rows, "export": export.read_text(encoding="utf-8"), "autograded": autograded}


@pytest.fixture(scope="module")
def handed_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course directory with the class's submissions, not yet autograded."""
    directory = init_course_directory(tmp_path_factory.mktemp("handed-in"), COURSE)
    with (directory / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(FAULTS)
    nbgrader(directory, "generate_assignment", COURSE.assignment, "--force")
    write_class(directory, COURSE, CLASS, EXERCISES)
    return directory


@pytest.fixture
def fresh_course(handed_in: Path, tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "course"
    shutil.copytree(handed_in, directory)
    yield directory


@pytest.fixture(scope="module")
def uninterrupted(handed_in: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The reference: one plain autograde that nobody interrupted, and what it left behind."""
    directory = tmp_path_factory.mktemp("uninterrupted") / "course"
    shutil.copytree(handed_in, directory)
    run = _autograde(directory)
    assert run.returncode == 0, run.log[-3000:]
    state = _state(directory)
    full = sum(exercise_checks(exercise.id).points for exercise in EXERCISES)
    assert [line for line in state["export"].splitlines() if line.startswith(f"{COURSE.assignment},")]
    assert {student: sum(grade[1] for notebook in rows["notebooks"].values() for grade in notebook["grades"])
            for student, rows in state["gradebook"].items()}["ada"] == full
    return directory, state


def test_a_plain_rerun_after_kills_at_any_point_ends_as_if_never_interrupted(
        fresh_course: Path, uninterrupted: tuple[Path, dict[str, Any]]) -> None:
    kills = [
        # ada done, chen's first notebook done, the grades of chen's second not saved yet
        _autograde(fresh_course, environment={"COURSE_TEST_KILL_AT": "chen/06_huber"}),
        _autograde(fresh_course, kill_on=ONE_PASS),  # while the sandbox grades
        _autograde(fresh_course, kill_on=STUDENT_DONE),  # one student done, the next one started or not
    ]
    rerun = _autograde(fresh_course)
    assert rerun.returncode == 0, rerun.log[-3000:]
    assert _state(fresh_course) == uninterrupted[1]
    assert [run.returncode for run in kills] == [-signal.SIGKILL] * 3, "every kill point was reached"
    assert any("chen" in line for line in kills[1].lines("interrupted")), "the log says whose grading is redone"


def test_an_incremental_autograde_grades_only_new_or_resubmitted_work(
        uninterrupted: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    directory = tmp_path / "course"
    shutil.copytree(uninterrupted[0], directory)
    graded = directory / "graded-jobs.txt"
    unchanged = _autograde(directory, environment={"COURSE_TEST_COUNT_JOBS": "1"})
    assert unchanged.returncode == 0, unchanged.log[-3000:]
    assert not graded.exists(), "nothing new was handed in, so nothing is graded"
    assert _state(directory) == uninterrupted[1]

    write_class(directory, COURSE, [STUDENTS["dana"]], EXERCISES)  # a late student
    resubmitted = directory / "submitted" / "chen" / COURSE.assignment
    for exercise in EXERCISES:  # chen hands in again: the untouched release notebooks
        shutil.copy(directory / "release" / COURSE.assignment / f"{exercise.folder}.ipynb", resubmitted)
    (resubmitted / "timestamp.txt").write_text("2026-11-20 11:00:00 UTC", encoding="utf-8")
    incremental = _autograde(directory, environment={"COURSE_TEST_COUNT_JOBS": "1"})
    assert incremental.returncode == 0, incremental.log[-3000:]
    assert [line.split()[0] for line in graded.read_text(encoding="utf-8").splitlines()] == ["4"]  # 2 + 2 notebooks
    assert "4 submitted notebooks of 2 students" in incremental.lines(ONE_PASS)[0]
    state = _state(directory)
    for student in ("ada", "fay"):
        assert state["gradebook"][student] == uninterrupted[1]["gradebook"][student]
    assert {grade[1] for notebook in state["gradebook"]["chen"]["notebooks"].values()
            for grade in notebook["grades"]} == {0.0}
    assert state["gradebook"]["dana"]["timestamp"] and state["autograded"]["dana/06_huber"]


def test_autograde_refuses_without_isolation_and_leaves_nothing_graded(
        fresh_course: Path, uninterrupted: tuple[Path, dict[str, Any]]) -> None:
    refused = _autograde(fresh_course, environment=NO_ISOLATION)
    assert refused.returncode != 0
    errors = [line for line in refused.log.splitlines() if "ERROR" in line or "Traceback" in line]
    assert len(errors) == 1 and REFUSAL in errors[0] and "trusted" in errors[0], refused.log[-3000:]
    assert not (fresh_course / "autograded").exists()
    with Gradebook(f"sqlite:///{fresh_course / 'gradebook.db'}", course_id=COURSE.course_id) as gradebook:
        assert not gradebook.find_assignment(COURSE.assignment).submissions

    fixed = _autograde(fresh_course)  # the machine can confine again: everyone is graded as usual
    assert fixed.returncode == 0, fixed.log[-3000:]
    assert _state(fresh_course) == uninterrupted[1]

    trusted = _autograde(fresh_course, "--force", "--SandboxGrader.trusted=True",
                         environment=NO_ISOLATION | {"COURSE_TEST_COUNT_JOBS": "1"})
    assert trusted.returncode == 0, trusted.log[-3000:]
    assert "WARNING" in trusted.lines("SandboxGrader.trusted")[0]
    calls = (fresh_course / "graded-jobs.txt").read_text(encoding="utf-8").splitlines()
    assert calls and all(call.endswith("trusted=True") for call in calls)
    assert _state(fresh_course) == uninterrupted[1]
