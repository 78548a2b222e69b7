"""nbgrader end to end on a small class: release, visible checks, autograde in the sandbox,
feedback, export and zip_collect, with broken and adversarial notebooks among the submissions; and
the same class in the Chinese release (linreg_zh), graded alike, its feedback in Chinese."""

from __future__ import annotations

import ast
import csv
import html
import importlib
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.build.authored import BEGIN_SOLUTION, END_SOLUTION, read_authored
from autograder.build.releases import releases
from autograder.judge.suite import exercise_checks
from autograder.manifest import REPO_ROOT, Exercise, load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.simulated_class import simulated_class, write_class
from course_checks.harness.feedback import Hint

COURSE = load_course()
EXERCISES = [COURSE.exercise("huber"), COURSE.exercise("reshape"), COURSE.exercise("zero_init")]
STUDENTS = {student.student_id: student for student in simulated_class()}
CLASS = [STUDENTS[name] for name in ("ada", "ben", "chen", "eve", "fay")]
TAMPERED_CELL = "huber__test_values"  # a check cell ada edits: the only cell the log may call changed
CHINESE = next(release for release in releases(COURSE) if release.language == "zh_CN")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class GradedCourse:
    directory: Path
    autograde: subprocess.CompletedProcess[str]
    assignment: str = COURSE.assignment

    def feedback(self, student: str, exercise_id: str) -> str:
        path = self.directory / "feedback" / student / self.assignment / f"{COURSE.exercise(exercise_id).folder}.html"
        return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def _graded_class(directory: Path, assignment: str, tamper: bool) -> GradedCourse:
    nbgrader(directory, "generate_assignment", assignment, "--force")
    write_class(directory, COURSE, CLASS, EXERCISES, assignment=assignment)
    if tamper:
        _tamper_with_check_cell(directory / "submitted" / "ada" / assignment / "06_huber.ipynb")
    autograde = nbgrader(directory, "autograde", assignment, "--force", check=False)
    nbgrader(directory, "generate_feedback", assignment, "--force")
    nbgrader(directory, "export")
    return GradedCourse(directory, autograde, assignment)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> GradedCourse:
    return _graded_class(init_course_directory(tmp_path_factory.mktemp("course"), COURSE), COURSE.assignment, True)


@pytest.fixture(scope="module")
def chinese_course(tmp_path_factory: pytest.TempPathFactory) -> GradedCourse:
    """The same class handing in the Chinese release's notebooks (its own course directory)."""
    return _graded_class(init_course_directory(tmp_path_factory.mktemp("course-zh"), COURSE), CHINESE.assignment, False)


def _tamper_with_check_cell(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    cell = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == TAMPERED_CELL)
    cell.source += "\nprint('full marks, please')"
    nbformat.write(notebook, path)


def _log_lines(course: GradedCourse) -> list[str]:
    return (course.autograde.stdout + course.autograde.stderr).splitlines()


def _grades(course: GradedCourse) -> dict[str, float]:
    with (course.directory / "grades.csv").open(newline="") as handle:
        return {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(handle)}


def _solution_lines() -> set[str]:
    """Distinctive lines of every solution region (short or shared lines like `return x` are left out)."""
    lines: set[str] = set()
    provided: set[str] = set()
    for exercise in COURSE.exercises:
        authored = read_authored(exercise.id, REPO_ROOT / "solutions" / exercise.module_file)
        for cell in authored.code_cells:
            inside = False
            for line in cell.source.splitlines():
                marker = line.strip()
                if marker in (BEGIN_SOLUTION, END_SOLUTION):
                    inside = marker == BEGIN_SOLUTION
                elif inside and len(marker) >= 30 and not marker.startswith("#"):
                    lines.add(marker)
                elif not inside:
                    provided.add(marker)
    # Code the course gives students in another notebook is not a leak, nor is a line a hint gives on request
    # (the last step of a hint's ladder is the line of code, by design).
    hint_code = _hint_code()
    return {line for line in lines - provided if not any(line in code for code in hint_code)}


def _hint_code() -> list[str]:
    """The code step of every hint of every exercise's checks."""
    return [value.code for exercise in COURSE.exercises
            for value in vars(importlib.import_module(f"autograder.checks.{exercise.id}")).values()
            if isinstance(value, Hint)]


def _hidden_check_code() -> set[str]:
    """The definition line and distinctive body lines of every hidden check (not shared with public code)."""
    definitions: set[str] = set()
    hidden_lines: set[str] = set()
    public_sources: list[str] = []  # each module less its hidden checks: public checks, helpers, hints
    for exercise in COURSE.exercises:
        path = REPO_ROOT / "autograder" / "checks" / exercise.module_file
        public = {spec.function: spec.public for spec in exercise_checks(exercise.id).checks}
        source = public_source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name in public and not public[node.name]:
                segment = ast.get_source_segment(source, node)
                hidden_lines |= {line.strip() for line in segment.splitlines()[2:] if len(line.strip()) >= 40}
                public_source = public_source.replace(segment, "")
                definitions.add(f"def {node.name}(")
        public_sources.append(public_source)
    # A line split in one place and whole in another is the same code: only lines no public code holds count.
    public_text = " ".join(" ".join(public_sources).split())
    return definitions | {line for line in hidden_lines if " ".join(line.split()) not in public_text}


def _expect_stubs_and_no_leaks(release: Path, exercises: list[Exercise]) -> None:
    """The release holds each exercise's notebook, its answer cells stubs, and no solution line or hidden check."""
    texts = {path: path.read_text(encoding="utf-8") for path in release.rglob("*") if path.suffix in (".py", ".ipynb")}
    assert {f"{exercise.folder}.ipynb" for exercise in exercises} <= {path.name for path in texts}
    fragments = _solution_lines() | _hidden_check_code() | {"grade_in_kernel", "BEGIN HIDDEN TESTS"}
    leaks = [(path.name, fragment) for path, text in texts.items() for fragment in fragments if fragment in text]
    assert not leaks, leaks[:5]
    for exercise in exercises:
        notebook = nbformat.read(release / f"{exercise.folder}.ipynb", as_version=4)
        answers = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
        assert answers and all("raise NotImplementedError" in cell.source for cell in answers)
        assert any("check(" in cell.source for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize("graded", ["course", "chinese_course"])
def test_release_holds_stubs_and_visible_checks_but_no_solution_or_hidden_check(
        graded: str, request: pytest.FixtureRequest) -> None:
    course: GradedCourse = request.getfixturevalue(graded)
    _expect_stubs_and_no_leaks(course.directory / "release" / course.assignment, COURSE.exercises_in(COURSE.assignment))


def test_autograde_grades_everyone_in_the_sandbox(course: GradedCourse) -> None:
    grades = _grades(course)
    full = sum(exercise_checks(exercise.id).points for exercise in EXERCISES)
    assert set(grades) == {student.student_id for student in CLASS}
    assert grades["ada"] == full
    assert grades["ben"] == 0
    assert 0 < grades["chen"] < full
    assert "Execute" not in course.autograde.stdout + course.autograde.stderr  # no kernel was started


def test_partial_credit_per_check_with_messages_in_the_feedback(course: GradedCourse) -> None:
    text = course.feedback("chen", "huber")
    for spec in exercise_checks("huber").checks:
        assert spec.name in text
    assert "Score: 0.0 / " in text and "try:" in text
    assert "grade_in_kernel" not in text and "BEGIN HIDDEN" not in text


def test_adversarial_and_broken_notebooks_cost_only_their_own_points(course: GradedCourse) -> None:
    eve = course.feedback("eve", "zero_init")
    assert "an endless loop?" in eve
    assert "✓ zero_init_works()" in eve  # the loop in std_for_variance costs only the checks that call it
    assert "exited (status 0) instead of returning" in course.feedback("eve", "reshape")
    assert "could not be read" in course.feedback("fay", "huber")  # the truncated notebook
    assert "Score: 1.0 / 1.0" in course.feedback("fay", "reshape")  # a duplicated answer cell still grades
    grades = _grades(course)
    assert grades["fay"] == sum(exercise_checks(exercise.id).points for exercise in EXERCISES
                                if exercise.id != "huber")


def test_the_log_calls_changed_only_the_cells_a_student_changed(course: GradedCourse) -> None:
    """The release strips each check cell's hidden region; that alone is not a change by the student."""
    changed = [line for line in _log_lines(course) if "checksum" in line]
    assert len(changed) == 1, changed[:5]
    assert "ada" in changed[0] and "06_huber" in changed[0] and TAMPERED_CELL in changed[0]
    # the instructor's cell was graded
    assert _grades(course)["ada"] == sum(exercise_checks(exercise.id).points for exercise in EXERCISES)


def test_the_log_names_unreadable_and_missing_notebooks(course: GradedCourse) -> None:
    lines = _log_lines(course)
    assert any("fay" in line and "06_huber.ipynb" in line and "could not be read" in line and "JSON" in line
               for line in lines), [line for line in lines if "fay" in line][:10]
    assert any("No submitted file" in line and "fay" in line and "02_learning_rate.ipynb" in line for line in lines)


def test_zip_collect_takes_an_lms_download(course: GradedCourse) -> None:
    archive = course.directory / "downloaded" / COURSE.assignment / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    submitted = course.directory / "submitted" / "ada" / COURSE.assignment / "06_huber.ipynb"
    with zipfile.ZipFile(archive / "linreg_submissions.zip", "w") as bundle:
        bundle.write(submitted, "linreg_zed_attempt_2026-11-21-09-30-15_06_huber.ipynb")
    nbgrader(course.directory, "zip_collect", COURSE.assignment, "--force")
    collected = course.directory / "submitted" / "zed" / COURSE.assignment
    assert (collected / "06_huber.ipynb").read_bytes() == submitted.read_bytes()
    # the README's <time> is YYYY-MM-DD-hh-mm-ss: minutes and seconds are kept
    assert (collected / "timestamp.txt").read_text(encoding="utf-8").strip() == "2026-11-21 09:30:15"


def test_the_chinese_release_has_chinese_instructions_and_speaks_chinese(chinese_course: GradedCourse) -> None:
    release = chinese_course.directory / "release" / CHINESE.assignment
    catalog = json.loads((release / "visible_checks" / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["language"] == "zh_CN"  # the runtime's checks speak it
    assert (release / "course_checks" / "locale" / "zh_CN" / "LC_MESSAGES" / "course.mo").is_file()
    for exercise in CHINESE.exercises:
        notebook = nbformat.read(release / f"{exercise.folder}.ipynb", as_version=4)
        assert notebook.metadata["course"]["language"] == "zh_CN"
        instructions = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
        assert instructions and all(CJK.search(text) for text in instructions), exercise.id


def test_the_chinese_release_is_graded_like_the_english_one(course: GradedCourse, chinese_course: GradedCourse) -> None:
    """The same checks catch the same mistakes in both languages: every student gets the same grade."""
    assert _grades(chinese_course) == _grades(course)
    assert "Execute" not in chinese_course.autograde.stdout + chinese_course.autograde.stderr


def test_the_chinese_release_s_feedback_is_in_chinese(chinese_course: GradedCourse) -> None:
    """The judge is told the release's language: the sandbox's, the grader's and the prose's messages come in it
    (the checks' own messages follow once their catalog entries exist)."""
    assert "是死循环吗" in chinese_course.feedback("eve", "zero_init")  # the sandbox: an endless loop
    assert "而不是返回结果" in chinese_course.feedback("eve", "reshape")  # the sandbox: os._exit
    assert "提交的文件无法读取" in chinese_course.feedback("fay", "huber")  # the grader: a truncated notebook
    stub = " ".join(chinese_course.feedback("ben", "huber").split())
    assert "按元素返回 D2L 的 Huber 损失" in stub  # what huber_loss must do, from the reference's docstring


@pytest.mark.parametrize("assignment", COURSE.assignments[1:])
def test_every_other_assignment_releases_and_autogrades_on_its_own(tmp_path: Path, assignment: str) -> None:
    """An assignment beside the core one: its release holds its own notebooks and visible checks, and a
    class of references (full marks) and stubs (zero) is graded in the sandbox."""
    exercises = COURSE.exercises_in(assignment)
    directory = init_course_directory(tmp_path / "course", COURSE)
    nbgrader(directory, "generate_assignment", assignment, "--force")
    release = directory / "release" / assignment
    assert sorted(path.stem for path in release.glob("*.ipynb")) == [exercise.folder for exercise in exercises]
    _expect_stubs_and_no_leaks(release, exercises)
    assert sorted(path.stem for path in (release / "visible_checks").glob("*.py")) == sorted(
        ["__init__", *(exercise.id for exercise in exercises)])
    write_class(directory, COURSE, [STUDENTS["ada"], STUDENTS["ben"]], assignment=assignment)
    autograde = nbgrader(directory, "autograde", assignment, "--force", check=False)
    assert autograde.returncode == 0, (autograde.stdout + autograde.stderr)[-3000:]
    nbgrader(directory, "export")
    with (directory / "grades.csv").open(newline="") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == assignment}
    assert float(rows["ada"]["raw_score"]) == float(rows["ada"]["max_score"]) > 0
    assert float(rows["ben"]["raw_score"]) == 0
