"""Formgrader's Autograde button, as formgrader runs it: `NbGraderAPI.autograde` in one long-lived process.

The process grades a student, a check then changes (in a throwaway copy of the course, never the
checkout), and the same process grades again: the new check's verdict is what the gradebook and the
autograded notebook show, with nothing served from before the change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.manifest import REPO_ROOT, load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.simulated_class import simulated_class, write_class

COURSE = load_course()
HUBER = COURSE.exercise("huber")
CHECK_CELL = "huber__test_values"  # 3 points; the reference answer passes it
CHANGED = "this check was changed after the first autograde"

# What formgrader does for its Autograde button (server_extensions/formgrader: the handler loads the
# course's config, builds NbGraderAPI and calls autograde(assignment, student)), once per line read.
FORMGRADER = '''
import json, sys
import nbformat
import autograder
from nbgrader.api import Gradebook
from nbgrader.apps import NbGrader, NbGraderAPI

app = NbGrader()
app.load_config_file()
api = NbGraderAPI(parent=app)
for line in sys.stdin:
    done = api.autograde("{assignment}", "ada", force=True)
    with Gradebook(api.coursedir.db_url, course_id=api.coursedir.course_id) as gradebook:
        grade = gradebook.find_grade("{cell}", "{notebook}", "{assignment}", "ada")
        score = grade.auto_score
    notebook = nbformat.read(f"autograded/ada/{assignment}/{notebook}.ipynb", as_version=4)
    output = "".join(output.get("text", "") for cell in notebook.cells
                     if cell.metadata.get("nbgrader", {{}}).get("grade_id") == "{cell}" for output in cell.outputs)
    print(json.dumps({{"success": done["success"], "log": done.get("log", ""), "error": done.get("error", ""),
                      "score": score, "output": output, "autograder": autograder.__file__}}), flush=True)
'''


def _throwaway_course(directory: Path) -> Path:
    """A copy of the course's packages (the engine and the student runtime) and manifest, standing in for the checkout."""
    for package in ("autograder", "course_checks"):
        shutil.copytree(REPO_ROOT / package, directory / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REPO_ROOT / "course.yml", directory / "course.yml")
    return directory


def _change_check(copy: Path) -> None:
    """test_values now fails every answer, with its own message."""
    checks = copy / "autograder" / "checks" / "huber.py"
    text = checks.read_text(encoding="utf-8")
    body = "def test_values(student: Student, seed: int) -> None:\n"
    assert text.count(body) == 1
    checks.write_text(text.replace(body, body + f'    fail(called="huber_loss", got="-", expected="{CHANGED}", '
                                               "hint=WRONG_FORMULA)\n"), encoding="utf-8")


class Formgrader:
    """A long-lived process that autogrades ada with NbGraderAPI each time it is asked."""

    def __init__(self, course_dir: Path, copy: Path) -> None:
        script = FORMGRADER.format(assignment=COURSE.assignment, cell=CHECK_CELL, notebook=HUBER.folder)
        environment = dict(os.environ, PYTHONPATH=str(copy), TMPDIR=str(course_dir.parent / "tmp"))
        (course_dir.parent / "tmp").mkdir(exist_ok=True)
        self.process = subprocess.Popen([sys.executable, "-c", script], cwd=course_dir, env=environment, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def autograde(self) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("autograde\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the formgrader process ended (exit {self.process.wait()})"
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=120)


@pytest.fixture
def formgrader(tmp_path: Path) -> Iterator[tuple[Formgrader, Path]]:
    copy = _throwaway_course(tmp_path / "course-copy")
    course_dir = init_course_directory(tmp_path / "course", COURSE)
    nbgrader(course_dir, "generate_assignment", COURSE.assignment, "--force")
    ada = next(student for student in simulated_class() if student.student_id == "ada")
    write_class(course_dir, COURSE, [ada], [HUBER])
    process = Formgrader(course_dir, copy)
    try:
        yield process, copy
    finally:
        process.close()


def test_formgraders_autograde_grades_in_the_sandbox_and_shows_a_changed_checks_verdict(
        formgrader: tuple[Formgrader, Path]) -> None:
    process, copy = formgrader
    before = process.autograde()
    assert before["success"], before["error"] or before["log"]
    assert Path(before["autograder"]).is_relative_to(copy), "the formgrader process uses the throwaway copy"
    assert "in the sandbox in one pass" in before["log"]
    assert before["score"] == 3.0 and "✓" in before["output"], before

    _change_check(copy)
    after = process.autograde()  # the same process, as formgrader's server is
    assert after["success"], after["error"] or after["log"]
    assert after["score"] == 0.0, "the check as it is now grades, not a result from before the change"
    assert CHANGED in after["output"] and "✗" in after["output"]
