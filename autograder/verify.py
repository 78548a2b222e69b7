"""`course verify`: do the checks catch what they should, and only that?

For each exercise: the reference scores full marks under many seeds with 1 and 2 torch threads;
the stub scores zero; every catalogued wrong answer (tests/catalogue/<id>/wrong/) loses points with
the targeted message it declares, and those marked `# headline` (the exercise's headline
misconception) fail a visible check, so a notebook's own checks catch them; every correct
alternative (tests/catalogue/<id>/correct/) scores full marks. Prints which check catches which
wrong answer, and names what an exercise still lacks (wrong answers, alternatives, a hidden or a
public check, a headline misconception, placeholders `course new` left to fill in).
"""

from __future__ import annotations

import ast
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.build.authored import read_authored
from autograder.build.generate import render
from course_checks.harness.records import ExerciseResult
from autograder.judge.runner import InProcessFactory, Job, run_checks
from autograder.manifest import REPO_ROOT, Course, Exercise

CATALOGUE_DIR = REPO_ROOT / "tests" / "catalogue"
PLACEHOLDER = "TODO(course new)"  # what `course new` leaves for the author to replace
MIN_WRONG = 8
MIN_CORRECT = 3
EXPECT_LINE = re.compile(r"^# expect: (\w+) -> (\w+)\s*$", flags=re.MULTILINE)
HEADLINE_LINE = re.compile(r"^# headline\b", flags=re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    """One catalogued submission: a wrong answer with what it must get, or a correct alternative."""

    exercise_id: str
    name: str
    path: Path
    description: str
    expectations: tuple[tuple[str, str], ...]  # (check function, hint key); empty for correct ones
    headline: bool = False  # the exercise's headline misconception: a visible check must catch it


@dataclass
class ExerciseReport:
    """What verify found for one exercise."""

    exercise: Exercise
    check_ids: list[str] = field(default_factory=list)
    check_public: dict[str, bool] = field(default_factory=dict)
    wrong: dict[str, ExerciseResult] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def idle_checks(self) -> list[str]:
        """Checks that no wrong answer fails."""
        return [check_id for check_id in self.check_ids
                if not any(_status(result, check_id) != "passed" for result in self.wrong.values())]


def _status(result: ExerciseResult, check_id: str) -> str:
    return next((check.status for check in result.checks if check.check_id == check_id), "absent")


def read_entries(exercise_id: str, kind: str) -> list[Entry]:
    """The catalogue's wrong or correct submissions for one exercise, sorted by name."""
    entries = []
    for path in sorted((CATALOGUE_DIR / exercise_id / kind).glob("*.py")):
        text = path.read_text(encoding="utf-8")
        try:
            docstring = ast.get_docstring(ast.parse(text)) or ""
        except SyntaxError:  # a catalogued syntax error is a legitimate wrong answer
            docstring = ""
        description = docstring.strip().splitlines()[0] if docstring.strip() else path.stem
        entries.append(Entry(exercise_id, path.stem, path, description, tuple(EXPECT_LINE.findall(text)),
                             headline=HEADLINE_LINE.search(text) is not None))
    return entries


def verify_exercise(course: Course, exercise: Exercise, seed: int, reference_seeds: int = 20) -> ExerciseReport:
    """Grade the reference, the stub and the catalogue of one exercise; list every problem."""
    report = ExerciseReport(exercise)
    wrong = read_entries(exercise.id, "wrong")
    correct = read_entries(exercise.id, "correct")
    report.entries = {entry.name: entry for entry in wrong}
    reference = REPO_ROOT / "solutions" / exercise.module_file
    read_authored(exercise.id, reference)  # fail early on a broken authored file
    with tempfile.TemporaryDirectory(prefix="course-verify-") as scratch:
        stub = Path(scratch) / exercise.module_file
        stub_file = next(f for f in render(course, REPO_ROOT, exercise.id) if f.path.name == exercise.module_file)
        stub.write_text(stub_file.content, encoding="utf-8")
        jobs = [Job(f"reference#{n}", exercise.id, reference, seed + 1000 * n, threads=1 + n % 2)
                for n in range(reference_seeds)]
        jobs.append(Job("stub", exercise.id, stub, seed))
        jobs += [Job(f"wrong:{entry.name}", exercise.id, entry.path, seed) for entry in wrong]
        jobs += [Job(f"correct:{entry.name}#{n}", exercise.id, entry.path, seed + 7 * n, threads=1 + n)
                 for entry in correct for n in range(2)]
        results = run_checks(jobs, InProcessFactory())

    first = results["stub"]
    report.check_ids = [check.check_id for check in first.checks]
    report.check_public = {check.check_id: check.public for check in first.checks}
    report.problems += _missing(exercise, len(wrong), len(correct), report.check_public)
    if not any(entry.headline for entry in wrong):
        report.problems.append("no wrong answer is marked '# headline': which misconception must the visible "
                               "checks catch?")
    for job_id, result in results.items():
        failing = [f"{check.check_id} ({check.hint or check.status})" for check in result.checks if check.status != "passed"]
        if (job_id.startswith("reference") or job_id.startswith("correct:")) and failing:
            seed_used = next(job.seed for job in jobs if job.job_id == job_id)
            report.problems.append(f"{job_id} (seed {seed_used}) should score full marks; fails {', '.join(failing)}")
    if results["stub"].score != 0:
        report.problems.append(f"the stub scores {results['stub'].score:g}, should score 0")
    for entry in wrong:
        result = results[f"wrong:{entry.name}"]
        report.wrong[entry.name] = result
        report.problems += _wrong_answer_problems(entry, result, report.check_public)
    return report


def _missing(exercise: Exercise, wrong: int, correct: int, public: dict[str, bool]) -> list[str]:
    """What the exercise still lacks to be complete: catalogue entries, kinds of check, placeholders."""
    problems = []
    catalogue = f"tests/catalogue/{exercise.id}"
    if wrong == 0:
        problems.append(f"no wrong answers yet: add at least {MIN_WRONG} to {catalogue}/wrong/ (see its README.md)")
    elif wrong < MIN_WRONG:
        problems.append(f"{wrong} wrong answers in {catalogue}/wrong/; at least {MIN_WRONG} are required")
    if correct == 0:
        problems.append(f"no correct alternatives yet: add at least {MIN_CORRECT} to {catalogue}/correct/")
    elif correct < MIN_CORRECT:
        problems.append(f"{correct} correct alternatives in {catalogue}/correct/; at least {MIN_CORRECT} are required")
    if not any(public.values()):
        problems.append("no public check: students have nothing to run themselves")
    if all(public.values()):
        problems.append("no hidden check: grading would only repeat what students already run (add a @check "
                        "without public=True, on fresh inputs)")
    for path in (f"solutions/{exercise.module_file}", f"autograder/checks/{exercise.module_file}",
                 f"course_checks/probes/{exercise.module_file}"):
        text = (REPO_ROOT / path).read_text(encoding="utf-8") if (REPO_ROOT / path).is_file() else ""
        if PLACEHOLDER in text:
            problems.append(f"{path} still holds {text.count(PLACEHOLDER)} placeholder(s) of `course new` "
                            f"({PLACEHOLDER}) to replace")
    return problems


def _wrong_answer_problems(entry: Entry, result: ExerciseResult, public: dict[str, bool]) -> list[str]:
    problems = []
    where = f"wrong/{entry.name}.py"
    if not entry.expectations:
        problems.append(f"{where} declares no '# expect: <check> -> <hint>' line")
    if result.complete:
        problems.append(f"{where} passes every check")
    if entry.headline and not any(check.status != "passed" and public.get(check.check_id, False)
                                  for check in result.checks):
        problems.append(f"{where} is a headline misconception, but no visible check catches it")
    for check_id, hint in entry.expectations:
        got = next((check for check in result.checks if check.check_id == check_id), None)
        if got is None:
            problems.append(f"{where} expects check {check_id}, which does not exist")
        elif got.status == "passed":
            problems.append(f"{where} should fail {check_id} with hint {hint}, but passes it")
        elif got.hint != hint:
            problems.append(f"{where} should get hint {hint} from {check_id}, got {got.hint or got.status}: "
                            f"{got.message.splitlines()[-1] if got.message else ''}")
    return problems
