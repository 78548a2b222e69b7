"""The checks catch every catalogued wrong answer with its targeted message, and nothing correct.

This is `course verify` as a test: per exercise, the reference under 20 seeds with 1 and 2 torch
threads, the stub, every wrong answer in tests/catalogue/<id>/wrong/ and every correct
alternative in tests/catalogue/<id>/correct/. The exercises are verified two at a time, in
separate processes (everything runs in-process and is CPU-bound).

The same results measure the course as a learner meets it (issue 9): each wrong answer is run
exactly as `pytest exercises` runs a learner's module in place of the stub (the same check session,
in-process, every check), so the learner's run never calls the exercise complete, and its first
message gives away no line of the reference solution.

And in every other language the course has a catalog for (issue 11): the same worker process runs
every wrong answer again with the same seed, its messages in that language. The same checks must
catch it, with the same hints, and every message must be written in that language: counted by a
rule of the script (`untranslated`), not by eye.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.build import translations
from autograder.build.authored import read_authored, solution_lines
from autograder.judge.runner import InProcessFactory, Job, run_checks
from autograder.manifest import REPO_ROOT, load_course
from autograder.verify import MIN_CORRECT, MIN_WRONG, ExerciseReport, read_entries, verify_exercise
from course_checks import i18n
from course_checks.harness.records import ExerciseResult
from language_rules import untranslated

COURSE = load_course()
SEED = int(os.environ.get("COURSE_VERIFY_SEED", int.from_bytes(os.urandom(3), "little")))
LANGUAGES = translations.languages()  # every language but English, the messages' own


@dataclass
class Verified:
    """One exercise's verify report, and its wrong answers graded again in each other language."""

    report: ExerciseReport
    told: dict[str, dict[str, ExerciseResult]]  # language -> wrong answer -> its result


def _verify(exercise_id: str, seed: int) -> Verified:
    course = load_course()
    report = verify_exercise(course, course.exercise(exercise_id), seed)
    jobs = [Job(name, exercise_id, entry.path, seed) for name, entry in report.entries.items()]
    told = {}
    for language in LANGUAGES:
        with i18n.use(language):
            told[language] = run_checks(jobs, InProcessFactory())
    return Verified(report, told)


@pytest.fixture(scope="module")
def verified() -> dict[str, Verified]:
    """Every exercise verified (the slowest exercise first, so the two processes finish together)."""
    order = sorted((exercise.id for exercise in COURSE.exercises), key=lambda name: name != "learning_rate")
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        return dict(zip(order, pool.map(_verify, order, [SEED] * len(order))))


@pytest.fixture(scope="module")
def reports(verified: dict[str, Verified]) -> dict[str, ExerciseReport]:
    """Every exercise's verify report."""
    return {exercise_id: found.report for exercise_id, found in verified.items()}


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_checks_catch_the_catalogue(reports: dict[str, ExerciseReport], exercise_id: str) -> None:
    problems = reports[exercise_id].problems
    assert not problems, f"seed {SEED} (replay: COURSE_VERIFY_SEED={SEED}):\n" + "\n".join(problems)


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_catalogue_is_big_enough_and_every_entry_says_what_it_is(exercise_id: str) -> None:
    wrong, correct = read_entries(exercise_id, "wrong"), read_entries(exercise_id, "correct")
    assert len(wrong) >= MIN_WRONG and len(correct) >= MIN_CORRECT
    assert all(entry.expectations for entry in wrong)
    assert all(entry.description != entry.name for entry in wrong + correct)


def _normalized(text: str) -> str:
    return " ".join(text.replace("`", "").lower().split())


def _code_lines(source: str) -> set[str]:
    return {_normalized(line) for line in source.splitlines()
            if len(line.strip()) >= 8 and not line.strip().startswith(("#", '"""'))}


def _reference_lines(exercise_id: str) -> set[str]:
    """The lines inside the reference's solution regions (what a learner is meant to write)."""
    authored = read_authored(exercise_id, REPO_ROOT / "solutions" / f"{exercise_id}.py")
    return _code_lines("\n".join(solution_lines(authored)))


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_as_a_learner_no_wrong_answer_is_complete_and_its_first_message_gives_nothing_away(
        reports: dict[str, ExerciseReport], exercise_id: str) -> None:
    report = reports[exercise_id]
    reference = _reference_lines(exercise_id)
    assert report.wrong
    for name, result in report.wrong.items():
        assert not result.complete, f"{name} is called complete"
        first = result.failures[0].message
        # Quoting the learner's own line back (where an error was raised) gives nothing away.
        own = _code_lines(Path(report.entries[name].path).read_text(encoding="utf-8"))
        leaked = [line for line in reference - own if line in _normalized(first)]
        assert not leaked, f"{name}: the first message shows reference lines {leaked}:\n{first}"


# ------------------------------------------------------------------------------- other languages
def test_the_rule_tells_english_from_chinese() -> None:
    english = ["called:   huber_loss(y_hat (4, 1), y (4,), sigma=2) with residuals [1, 2]", "got:      shape (4, 4)",
               "✗ values match D2L's formula", "调用： huber_loss(y_hat, y)，得到 the same curve both times", "期望： shape (4, 1)"]
    chinese = ["✗ sigma = 0.5 和 2 时的值与 D2L 的公式一致", "调用： loss_curve(features, labels, lr=0.03, seed=1)，在 D2L 的数据上",
               "得到： 抛出了 `RuntimeError: grad can be implicitly created only for scalar outputs`", "得到： False",
               "期望： ValueError", "期望： 'slow'", "调用： import huber", "代码： `torch.where(r.abs() > sigma, r, r)`"]
    assert untranslated("\n".join(english)) == english
    assert untranslated("\n".join(chinese)) == []


def _told(result: ExerciseResult) -> list[tuple[str, str, str]]:
    return [(check.check_id, check.status, check.hint) for check in result.checks]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_in_every_language_the_same_checks_catch_each_wrong_answer_with_the_same_hint(
        verified: dict[str, Verified], exercise_id: str, language: str) -> None:
    found = verified[exercise_id]
    differing = [name for name, result in found.report.wrong.items()
                 if _told(found.told[language][name]) != _told(result)]
    assert differing == [], f"{language}: other checks or hints than in English for {differing} (seed {SEED})"


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language.startswith("zh")])
@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_every_wrong_answer_is_told_in_chinese(verified: dict[str, Verified], exercise_id: str, language: str) -> None:
    messages = [(name, check) for name, result in verified[exercise_id].told[language].items()
                for check in result.failures]
    assert messages, "no failing check to measure"
    not_chinese = [f"{name}, {check.check_id}: {line}" for name, check in messages
                   for line in untranslated(f"✗ {check.name}\n{check.message}")]
    assert not not_chinese, (f"{len(not_chinese)} of the {len(messages)} messages' parts are not in Chinese "
                             f"(seed {SEED}):\n" + "\n".join(not_chinese))
