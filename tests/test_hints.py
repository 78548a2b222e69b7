"""Hints teach without handing over the answer: a first nudge that names the concept, then a ladder.

Every hint keeps its three levels together (concept, where to look, the line of code); a failure
shows only the first; `course hint EXERCISE [CHECK]` climbs one level per request, remembered in the
learner's state (COURSE_STATE_DIR, a temporary folder here: see conftest.py).
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autograder.build.authored import read_authored, solution_lines
from autograder.cli import app
from course_checks.harness import known_errors, verdicts
from course_checks.harness.feedback import Hint
from course_checks.harness.state import STATE_ENV, state_dir
from autograder.judge.runner import InProcessFactory, Job, run_checks
from autograder.manifest import REPO_ROOT, load_course
from autograder.judge.suite import SUITE
from course_checks.notebook import hint as notebook_hint

COURSE = load_course()
CATALOGUE = REPO_ROOT / "tests" / "catalogue"


def _hints_of(module: object) -> list[Hint]:
    found = [value for value in vars(module).values() if isinstance(value, Hint)]
    for table in ("ERROR_HINTS", "KNOWN_ERRORS"):
        found += [entry.hint for entry in getattr(module, table, [])]
    found += list(getattr(module, "PYTHON_ERRORS", {}).values())
    return found


ALL_HINTS = [hint for module in [known_errors, verdicts, *(importlib.import_module(f"autograder.checks.{exercise.id}")
                                                           for exercise in COURSE.exercises)]
             for hint in _hints_of(module)]


def _normalized(text: str) -> str:
    return " ".join(text.replace("`", "").lower().split())


def _reference_lines() -> set[str]:
    """Every line of the reference solutions' solution regions, normalized, short ones left out."""
    return {_normalized(line) for exercise in COURSE.exercises
            for line in solution_lines(read_authored(exercise.id, REPO_ROOT / "solutions" / exercise.module_file))
            if len(line.strip()) >= 8 and not line.strip().startswith("#")}


def test_every_hint_is_a_ladder_whose_first_steps_name_the_idea_not_the_code() -> None:
    assert len(ALL_HINTS) > 150
    reference = _reference_lines()
    for hint in ALL_HINTS:
        assert hint.key and hint.concept.strip() and hint.where.strip() and hint.code.strip(), hint
        # Issue 9, observation 2: the first thing a learner reads used to be the fix, as code.
        assert "`" not in hint.concept, f"{hint.key}: code in the concept: {hint.concept}"
        for level in (hint.concept, hint.where):
            leaked = [line for line in reference if line in _normalized(level)]
            assert not leaked, f"{hint.key}: a line of the reference solution before the last level: {leaked}"


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    """A learner's exercises folder, with the huber answer that forgets the reshape."""
    shutil.copytree(REPO_ROOT / "exercises", tmp_path / "exercises")
    shutil.copy(CATALOGUE / "huber" / "wrong" / "no_reshape.py", tmp_path / "exercises" / "06_huber" / "huber.py")
    return tmp_path / "exercises"


def _hint(learner: Path, *arguments: str) -> str:
    result = CliRunner().invoke(app, ["hint", *arguments, "--exercises", str(learner)])
    assert result.exit_code == 0, result.output
    return result.output


def test_course_hint_climbs_one_level_per_request_and_remembers_it(learner: Path) -> None:
    first = _hint(learner, "huber")
    assert "✗ huber_loss returns one loss per example" in first
    assert "try:" in first and "look at:" in first and "the code:" not in first
    assert "Ask again for the next level (3 of 3)." in first
    second = _hint(learner, "huber")
    assert "the code:" in second and "y.reshape(y_hat.shape)" in second
    assert "That was the last level (3 of 3)" in second
    assert "the code:" in _hint(learner, "huber")  # the top of the ladder stays where it is
    # The levels live in the learner's state directory, never in the checkout.
    assert Path(state_dir()).is_relative_to(Path(__import__("os").environ[STATE_ENV]))
    saved = [json.loads(path.read_text()) for path in state_dir().glob("*.json")]
    assert any("huber/test_output_shape/no_reshape" in data["hints"] for data in saved)
    # Another check of the same exercise, named as the learner would: its own ladder.
    named = _hint(learner, "huber", "values")
    assert "✗ values match D2L's formula" in named and "the code:" not in named


def test_course_hint_says_in_one_line_what_it_cannot_do(learner: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(app, ["hint", "huber", "nope", "--exercises", str(learner)])
    assert unknown.exit_code == 1 and unknown.output.count("\n") == 1
    assert "huber has no check 'nope'; its checks are: output_shape, shape_of_the_curve" in unknown.output
    assert runner.invoke(app, ["hint", "hubber", "--exercises", str(learner)]).exit_code == 1
    shutil.copy(REPO_ROOT / "solutions" / "huber.py", learner / "06_huber" / "huber.py")
    assert "every check that ran passes; there is nothing to hint" in _hint(learner, "huber")
    assert "“scale” passes" in _hint(learner, "huber", "scale")


def test_a_notebook_climbs_the_same_ladder_for_its_visible_checks(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec((CATALOGUE / "huber" / "wrong" / "unscaled_huber_in_builtin.py").read_text(encoding="utf-8"), namespace)
    first = repr(notebook_hint("huber", namespace=namespace, suite=SUITE))
    assert "✗ huber_via_builtin gets D2L's values" in first and "look at:" in first and "the code:" not in first
    assert "F.smooth_l1_loss" in repr(notebook_hint("huber", namespace=namespace, suite=SUITE))


def test_an_everyday_python_error_says_where_it_happened_and_what_it_means() -> None:
    """Issue 9, observation 3: a NameError got "print the shapes of what you combine", with no file or line."""
    entry = CATALOGUE / "zero_init" / "wrong" / "std_name_error.py"
    result = run_checks([Job("typo", "zero_init", entry, 1)], InProcessFactory())["typo"]
    record = next(check for check in result.checks if check.check_id == "test_std_for_variance")
    line = next(number for number, text in enumerate(entry.read_text().splitlines(), start=1)
                if "return math.sqrt(varience)" in text)
    assert f"(at line {line} of std_name_error.py, in std_for_variance: return math.sqrt(varience))" in record.message
    assert record.hint == "name_error" and "shapes" not in record.message
