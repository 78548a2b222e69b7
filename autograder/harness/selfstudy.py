"""Self-study: `pytest exercises` runs the public checks in-process on the learner's own files.

`exercises/conftest.py` star-imports this module, so the fixtures and hooks below apply to the
exercises folder only. `--all-checks` adds the hidden checks (a self-learner has them anyway);
`--check-seed N` replays a run's random inputs.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest

from autograder.harness.plugin import CheckReporter
from autograder.harness.records import CheckRecord
from autograder.harness.student import InProcessStudent

__all__ = ["pytest_addoption", "pytest_collection_modifyitems", "pytest_configure", "pytest_report_header",
           "pytest_terminal_summary", "seed", "student"]

_records: dict[str, list[CheckRecord]] = defaultdict(list)
_exercise_order: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("course", "linear regression course")
    group.addoption("--all-checks", action="store_true", help="also run the hidden checks the grader uses")
    group.addoption("--check-seed", type=int, default=None, help="seed for the checks' random inputs (default: fresh)")


def _remember(item: pytest.Item, record: CheckRecord) -> None:
    exercise_id = getattr(item.module, "EXERCISE_ID", "?")
    if exercise_id not in _exercise_order:
        _exercise_order.append(exercise_id)
    _records[exercise_id].append(record)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(CheckReporter(on_record=_remember), "course-check-reporter")
    if config.getoption("--check-seed") is None:
        config.option.check_seed = int.from_bytes(os.urandom(4), "little")


def pytest_report_header(config: pytest.Config) -> str:
    scope = "public and hidden checks" if config.getoption("--all-checks") else "public checks"
    return f"course: {scope}, random inputs from --check-seed {config.getoption('--check-seed')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--all-checks"):
        return
    hidden = [item for item in items if item.get_closest_marker("public") is None]
    if hidden:
        config.hook.pytest_deselected(items=hidden)
        items[:] = [item for item in items if item.get_closest_marker("public") is not None]


@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> InProcessStudent:
    """The learner's module next to this test file, e.g. exercises/06_huber/huber.py."""
    exercise_id = request.module.EXERCISE_ID
    return InProcessStudent(exercise_id, Path(request.module.__file__).parent / f"{exercise_id}.py")


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """The seed of this run's random inputs (the same for every check, printed in the header)."""
    return int(request.config.getoption("--check-seed"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _exercise_order:
        return
    complete = 0
    terminalreporter.section("your progress")
    for exercise_id in _exercise_order:
        records = _records[exercise_id]
        passed = sum(record.status == "passed" for record in records)
        done = passed == len(records)
        complete += done
        mark = "done" if done else "to do"
        terminalreporter.write_line(f"  {exercise_id:<20} {passed:>2} of {len(records):>2} checks passed   {mark}")
    terminalreporter.write_line(f"{complete} of {len(_exercise_order)} exercises complete")
