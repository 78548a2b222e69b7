"""Self-study: `pytest exercises` runs every check of each exercise in-process on the learner's files.

`exercises/conftest.py` star-imports this module, so the fixtures and hooks below apply to the
exercises folder only. A self-learner has the hidden checks anyway, so they run by default: an
exercise is complete only when every one of its checks passes. `--visible-only` runs just the
checks a notebook shows; `--check-seed N` replays a run's random inputs; `--lang zh` shows every
message in Chinese (default: COURSE_LANG, then the locale).

The run ends with the learner's progress, the distinct mistakes of the first unfinished exercise
(each message once), and one line saying what to do next. Progress is remembered in the user's
state directory (see `state`), where `course watch` and `course hint` find it too.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

from course_checks import i18n
from course_checks.harness.records import ExerciseResult
from course_checks.harness.report import check_lines
from course_checks.harness.session import SESSION, CheckSession, InProcessFactory, Job, seed, student
from course_checks.harness.state import LearnerState
from course_checks.i18n import _

from autograder.judge.suite import SUITE
from autograder.manifest import load_course
from autograder.selfstudy.progress import next_step, remember

__all__ = ["pytest_addoption", "pytest_configure", "pytest_report_header", "pytest_terminal_summary",
           "pytest_unconfigure", "seed", "student"]

NEXT_STEP = pytest.StashKey[str]()
STYLES = {"pass": {"green": True}, "fail": {"red": True, "bold": True}, "note": {"yellow": True}, "title": {"bold": True}}


def pytest_addoption(parser: pytest.Parser) -> None:
    # pytest --help: in the language of COURSE_LANG or the locale (--lang is not read yet)
    group = parser.getgroup("course", _("linear regression course"))
    group.addoption("--visible-only", action="store_true",
                    help=_("run only the checks a notebook shows (an exercise cannot be complete this way)"))
    group.addoption("--check-seed", type=int, default=None,
                    help=_("seed for the checks' random inputs (default: fresh)"))
    group.addoption("--lang", default=None, help=_("language of the course's messages, e.g. en or zh (default: "
                                                   "COURSE_LANG, then the locale)"))


def _learner_job(module: ModuleType, exercise_id: str, seed_value: int) -> Job:
    folder = Path(str(module.__file__)).parent
    return Job(job_id=str(folder), exercise_id=exercise_id, module_path=folder / f"{exercise_id}.py", seed=seed_value)


def pytest_configure(config: pytest.Config) -> None:
    try:
        i18n.set_language(i18n.resolve(config.getoption("--lang")))
    except i18n.UnknownLanguage as exc:
        raise pytest.UsageError(str(exc)) from None
    if config.getoption("--check-seed") is None:
        config.option.check_seed = int.from_bytes(os.urandom(4), "little")
    chosen = int(config.getoption("--check-seed"))
    session = CheckSession(InProcessFactory(), SUITE.catalog, public_only=bool(config.getoption("--visible-only")),
                           job_for_module=lambda module, exercise_id: _learner_job(module, exercise_id, chosen))
    config.pluginmanager.register(session, "course-check-session")
    # The progress report below shows each distinct message once; pytest's own per-failure
    # sections and its one-line-per-failure summary would repeat them (unless asked for).
    if config.option.tbstyle == "auto":
        config.option.tbstyle = "no"
    if config.option.reportchars == "fE":
        config.option.reportchars = ""


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.getoption("--check-seed")
    if config.getoption("--visible-only"):
        return _("course: only the visible checks (as in the notebooks): an exercise is complete only when all its "
                 "checks pass; random inputs from --check-seed {seed}").format(seed=seed)
    return _("course: every check of each exercise, visible and hidden; random inputs from --check-seed {seed}").format(
        seed=seed)


def _write(terminalreporter: pytest.TerminalReporter, text: str, style: str = "") -> None:
    terminalreporter.write_line(text, **STYLES.get(style, {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    session = terminalreporter.config.stash.get(SESSION, None)
    if session is None or not session.jobs:
        return
    course = load_course()
    order = {exercise.id: number for number, exercise in enumerate(course.exercises, start=1)}
    jobs = sorted(session.jobs.values(), key=lambda job: order.get(job.exercise_id, 0))
    results: dict[str, ExerciseResult] = {job.exercise_id: session.result(job.job_id) for job in jobs}
    terminalreporter.section(_("your progress"))
    for job in jobs:
        result = results[job.exercise_id]
        passed = sum(check.status == "passed" for check in result.checks)
        total = len(result.checks) + len(result.unrun)
        mark = _("done") if result.complete else _("to do")
        row = _("{passed} of {total} checks pass").format(passed=f"{passed:>2}", total=f"{total:>2}")
        _write(terminalreporter, f"  {order.get(job.exercise_id, 0)}  {job.exercise_id:<20} {row}   {mark}",
               "pass" if result.complete else "")
    complete = sum(result.complete for result in results.values())
    _write(terminalreporter, _("{complete} of {total} exercises complete").format(complete=complete, total=len(jobs)))
    unfinished = next((job for job in jobs if not results[job.exercise_id].complete), None)
    if unfinished is not None:
        terminalreporter.section(_("{exercise}: what to fix first").format(exercise=unfinished.exercise_id))
        for line in check_lines(results[unfinished.exercise_id]):
            _write(terminalreporter, line.text, line.style)
    exercises_dir = Path(str(jobs[0].module_path)).parent.parent
    state = LearnerState(exercises_dir)
    for job in jobs:
        remember(state, job.exercise_id, results[job.exercise_id], Path(str(job.module_path)))
    terminalreporter.config.stash[NEXT_STEP] = next_step(course, exercises_dir, state, results)
    if state.problem:
        _write(terminalreporter, _("note: {problem}").format(problem=state.problem), "note")


def pytest_unconfigure(config: pytest.Config) -> None:
    # After pytest's own "N failed, M passed" line, so that the run ends with what to do next.
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    line = config.stash.get(NEXT_STEP, "")
    if reporter is not None and line:
        reporter.write_line(line, bold=True)
