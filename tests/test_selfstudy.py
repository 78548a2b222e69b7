"""The self-learner's path: `pytest exercises` on a copy of exercises/, as a learner runs it.

Every check runs by default, so "done" means correct; each distinct mistake is shown once, for the
first unfinished exercise; the run ends with one line saying what to do next; progress is
remembered (in COURSE_STATE_DIR, a temporary folder for the tests: see conftest.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.build.authored import BEGIN_SOLUTION, END_SOLUTION, read_authored, strip_solutions
from autograder.manifest import REPO_ROOT, load_course

COURSE = load_course()
TOTAL = len(COURSE.exercises)
FIRST, SECOND = COURSE.exercises[0], COURSE.exercises[1]


@pytest.fixture
def exercises_copy(tmp_path: Path) -> Path:
    """A learner's copy of exercises/ with untouched stubs, outside the repository."""
    shutil.copytree(REPO_ROOT / "exercises", tmp_path / "exercises")
    return tmp_path / "exercises"


def run_pytest_exercises(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider", *options],
                          cwd=folder.parent if folder.name == "exercises" else folder.parent.parent,
                          capture_output=True, text=True, timeout=300)


def reference_with_stubs(exercise_id: str, stubbed: set[str], edits: dict[str, str] | None = None) -> str:
    """The reference module with the named functions left as stubs and some lines edited."""
    authored = read_authored(exercise_id, REPO_ROOT / "solutions" / f"{exercise_id}.py")
    cells = []
    for cell in authored.code_cells:
        if stubbed & set(cell.function_names):
            cells.append(strip_solutions(cell.source))
        else:
            cells.append("\n".join(line for line in cell.source.splitlines()
                                   if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)))
    source = "\n\n\n".join(cells) + "\n"
    for old, new in (edits or {}).items():
        assert old in source, old
        source = source.replace(old, new)
    return source


def place(exercises: Path, exercise_id: str, source: str) -> None:
    exercise = COURSE.exercise(exercise_id)
    (exercises / exercise.folder / exercise.module_file).write_text(source, encoding="utf-8")


def progress(stdout: str) -> dict[str, str]:
    """{exercise id: "done" or "to do"} from the run's progress section."""
    section = stdout.split("your progress")[1]
    rows = re.findall(r"^\s+\d+\s+(\w+)\s+\d+ of\s+\d+ checks pass\s+(done|to do)$", section, flags=re.MULTILINE)
    return dict(rows)


def last_line(stdout: str) -> str:
    return [line for line in stdout.splitlines() if line.strip()][-1]


def test_untouched_stubs_fail_every_exercise_saying_what_to_implement(exercises_copy: Path) -> None:
    result = run_pytest_exercises(exercises_copy)
    assert result.returncode == 1, result.stdout[-3000:]
    assert progress(result.stdout) == {exercise.id: "to do" for exercise in COURSE.exercises}
    assert f"0 of {TOTAL} exercises complete" in result.stdout
    assert "is not implemented yet" in result.stdout and "try:      init_params is still the stub's" in result.stdout
    # Observation 2: one mistake once, and only the first unfinished exercise in detail.
    got_lines = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("got:")]
    assert got_lines and len(got_lines) == len(set(got_lines)), got_lines
    assert "the same mistake as above; here it got: NotImplementedError: init_params is not implemented yet" in result.stdout
    assert f"{SECOND.id}: what to fix" not in result.stdout and "loss_curve is not implemented" not in result.stdout
    # the detail of one exercise; per exercise, pytest's line for its test file and a progress row
    assert len(result.stdout.splitlines()) < 48 + 2 * TOTAL
    # Observation 7: no unexplained noise, no pytest warnings, and a last line saying what to do next.
    assert "deselected" not in result.stdout and "warning" not in result.stdout.lower()
    assert "FAILED" not in result.stdout  # pytest's one-line-per-failure summary repeats the messages
    assert last_line(result.stdout).startswith(f"next: in exercises/{FIRST.folder}/{FIRST.module_file}, make “init_params ")
    assert last_line(result.stdout).endswith(f"then comes 2, {SECOND.id}.")


def test_done_means_correct_for_the_answers_the_issue_found_called_done(exercises_copy: Path) -> None:
    """Issue 9, observation 1: these used to be reported done by `pytest exercises`."""
    for exercise in COURSE.exercises:
        shutil.copy(REPO_ROOT / "solutions" / exercise.module_file, exercises_copy / exercise.folder)
    place(exercises_copy, "bias_update", reference_with_stubs("bias_update", set(), {
        "param -= lr * param.grad / batch_size": "param -= lr * param.grad"}))
    place(exercises_copy, "huber", reference_with_stubs("huber", {"huber_via_builtin", "builtin_huber_scale"}))
    place(exercises_copy, "zero_init", reference_with_stubs(
        "zero_init", {"first_step_grads", "std_for_variance", "zero_init_works"}))
    result = run_pytest_exercises(exercises_copy)
    unfinished = {"zero_init", "bias_update", "huber"}
    assert progress(result.stdout) == {exercise.id: "to do" if exercise.id in unfinished else "done"
                                       for exercise in COURSE.exercises}
    assert f"{TOTAL - 3} of {TOTAL} exercises complete" in result.stdout and result.returncode == 1


def test_visible_checks_alone_never_call_an_exercise_complete(exercises_copy: Path) -> None:
    huber = COURSE.exercise("huber")
    shutil.copy(REPO_ROOT / "solutions" / huber.module_file, exercises_copy / huber.folder)
    result = run_pytest_exercises(exercises_copy / huber.folder, "--visible-only")
    assert result.returncode == 0, result.stdout[-2000:]
    assert progress(result.stdout) == {"huber": "to do"}
    assert "more check(s) did not run this time" in result.stdout


def test_one_finished_exercise_is_remembered_and_the_run_names_the_next_one(exercises_copy: Path) -> None:
    zero_init = COURSE.exercise("zero_init")
    shutil.copy(REPO_ROOT / "solutions" / zero_init.module_file, exercises_copy / zero_init.folder)
    result = run_pytest_exercises(exercises_copy / zero_init.folder)
    assert result.returncode == 0, result.stdout[-2000:]
    assert progress(result.stdout) == {"zero_init": "done"}
    assert last_line(result.stdout) == (f"next: exercise 2, {SECOND.id}, is not complete yet: run "
                                        f"`pytest exercises/{SECOND.folder}`; then comes 3, {COURSE.exercises[2].id}.")
    # A later run of everything remembers nothing it has not checked again: zero_init is run and
    # still done, and the detail is about learning_rate now.
    result = run_pytest_exercises(exercises_copy)
    assert progress(result.stdout)["zero_init"] == "done" and f"1 of {TOTAL} exercises complete" in result.stdout
    assert f"{SECOND.id}: what to fix first" in result.stdout


def test_the_reference_solutions_complete_every_exercise(exercises_copy: Path) -> None:
    for exercise in COURSE.exercises:
        shutil.copy(REPO_ROOT / "solutions" / exercise.module_file, exercises_copy / exercise.folder)
    result = run_pytest_exercises(exercises_copy)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"{TOTAL} of {TOTAL} exercises complete" in result.stdout
    assert last_line(result.stdout).startswith(f"next: all {TOTAL} exercises are complete.")


def test_what_a_wrong_answer_prints_is_shown_with_its_failure(exercises_copy: Path) -> None:
    place(exercises_copy, "huber", reference_with_stubs("huber", set(), {
        "    r = y_hat - y.reshape(y_hat.shape)\n": "    r = y_hat - y\n    print('shapes', y_hat.shape, y.shape)\n"}))
    result = run_pytest_exercises(exercises_copy / COURSE.exercise("huber").folder)
    assert "your code printed" in result.stdout and "| shapes torch.Size([4, 1]) torch.Size([4])" in result.stdout


def test_the_learner_and_the_grader_get_the_same_message_for_the_same_inputs(exercises_copy: Path) -> None:
    """One way to run checks (issue 9, point 7): `pytest exercises`, the in-process judge and the
    sandboxed grader build the same message from the same submission and seed."""
    from autograder.grading.engine import grade_jobs
    from autograder.judge.runner import InProcessFactory, Job, run_checks

    huber = COURSE.exercise("huber")
    wrong = REPO_ROOT / "tests" / "catalogue" / "huber" / "wrong" / "no_reshape.py"
    shutil.copy(wrong, exercises_copy / huber.folder / huber.module_file)
    learner = run_pytest_exercises(exercises_copy / huber.folder, "--check-seed", "1234")
    in_process = run_checks([Job("same", "huber", wrong, 1234)], InProcessFactory())["same"]
    sandboxed = grade_jobs([Job("same", "huber", wrong, 1234)])["same"]
    first = in_process.failures[0]
    assert [check.message for check in sandboxed.checks] == [check.message for check in in_process.checks]
    assert all(f"    {line}" in learner.stdout.splitlines() for line in first.message.splitlines()), learner.stdout
