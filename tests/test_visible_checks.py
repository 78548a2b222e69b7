"""The visible checks a notebook runs: they call every function, their table wraps words, and
nbgrader's Validate names what still fails and what grading adds, without a traceback."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from course_checks.notebook import CheckReport, check, run_on_namespace

from autograder.build.authored import read_authored
from autograder.judge.suite import SUITE
from autograder.manifest import REPO_ROOT, load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader

COURSE = load_course()
CATALOGUE = REPO_ROOT / "tests" / "catalogue"


def _namespace(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(source, "<notebook cell>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_the_visible_checks_call_every_function_the_learner_writes(exercise_id: str) -> None:
    """Issue 9, observation 1: whole functions were never called by a public check."""
    authored = read_authored(exercise_id, REPO_ROOT / "solutions" / f"{exercise_id}.py")
    answers = {name for cell in authored.code_cells if cell.is_answer for name in cell.function_names}
    namespace = _namespace((REPO_ROOT / "solutions" / f"{exercise_id}.py").read_text(encoding="utf-8"))
    called: set[str] = set()

    def spy(name: str, function: Any) -> Any:
        @functools.wraps(function)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            called.add(name)
            return function(*args, **kwargs)
        return recorded

    namespace.update({name: spy(name, namespace[name]) for name in answers})
    result = run_on_namespace(exercise_id, namespace, public_only=True, suite=SUITE)
    assert result.checks and all(record.status == "passed" for record in result.checks), result.failures
    assert called == answers, f"no visible check calls {sorted(answers - called)}"


def test_a_notebook_s_best_lr_is_judged_on_scripted_curves_and_its_namespace_restored() -> None:
    """The wrong answer that used to pass every check, caught in a notebook's own namespace."""
    namespace = _namespace((CATALOGUE / "learning_rate" / "wrong" / "best_lr_sorted_nan_blind.py").read_text())
    own_loss_curve = namespace["loss_curve"]
    report = CheckReport(run_on_namespace("learning_rate", namespace, public_only=True, suite=SUITE),
                         SUITE.catalog.info("learning_rate"))
    failing = {record.check_id: record.hint for record in report.failing}
    assert failing == {"test_best_lr": "nan_wins"}
    assert namespace["loss_curve"] is own_loss_curve


def test_the_check_table_wraps_words_and_says_what_grading_adds() -> None:
    namespace = _namespace((CATALOGUE / "huber" / "wrong" / "no_reshape.py").read_text(encoding="utf-8"))
    report = CheckReport(run_on_namespace("huber", namespace, public_only=True, suite=SUITE), SUITE.catalog.info("huber"))
    table = report._repr_html_()
    # JupyterLab's output <pre> breaks words anywhere ("bat ch_size"); the table uses none.
    assert "<pre" not in table and "word-break:normal" in table and "table-layout:fixed" in table
    assert "At grading, 2 hidden checks worth 5 points run as well, on fresh random inputs." in table
    assert 'run hint(&quot;huber&quot;) in a cell' in table


def test_under_nbgrader_check_names_the_failing_checks_on_stderr_without_raising(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    namespace = _namespace((CATALOGUE / "bias_update" / "wrong" / "no_batch_division.py").read_text(encoding="utf-8"))
    assert check("bias_update", namespace, suite=SUITE) is None
    stderr = capsys.readouterr().err
    assert stderr.startswith("3 of 4 visible checks passed; still failing:\n")
    assert "✗ one sgd step moves each parameter by lr * grad / batch_size" in stderr
    assert "At grading, 3 hidden checks worth 4 points run as well" in " ".join(stderr.split())
    assert "Traceback" not in stderr and max(len(line) for line in stderr.splitlines()) <= 78


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course_dir = init_course_directory(tmp_path_factory.mktemp("course"), COURSE)
    nbgrader(course_dir, "generate_assignment", COURSE.assignment, "--force")
    return course_dir / "release" / COURSE.assignment


def _answer(release: Path, exercise_id: str, source: str) -> Path:
    """The released notebook with every answer cell replaced by the same module source."""
    path = release / f"{COURSE.exercise(exercise_id).folder}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    first = True
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source, first = (source if first else "# (answered above)"), False
    nbformat.write(notebook, path)
    return path


def test_validate_on_the_answer_that_forgets_batch_size_reports_it_without_a_traceback(release: Path) -> None:
    """Issue 9: Validate said "Success! Your notebook passes all the tests." for this answer, which then
    lost 3 points at grading; and a failure was a raw traceback with the names on its last line."""
    notebook = _answer(release, "bias_update",
                       (CATALOGUE / "bias_update" / "wrong" / "no_batch_division.py").read_text(encoding="utf-8"))
    result = nbgrader(release, "validate", str(notebook), check=False)  # run where a student runs it
    output = result.stdout + result.stderr
    assert "Success" not in output
    assert "VALIDATION FAILED ON 1 CELL(S)" in output
    assert re.search(r"3 of 4 visible checks passed; still failing:\s+✗ one sgd step moves each parameter", output)
    assert "At grading, 3 hidden checks worth 4 points run as well" in " ".join(output.split())
    assert "Traceback" not in output and "VisibleChecksFailed" not in output
