"""Shared helpers for the course's own tests: running the `course` command as a user would, the
learner's state kept out of the user's own state directory, and nothing left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from course_checks.harness.state import STATE_ENV
from course_checks.i18n import LANGUAGE_SETTING, SOURCE_LANGUAGE

COURSE_COMMAND = Path(sys.executable).parent / "course"
CourseCli = Callable[..., subprocess.CompletedProcess[str]]  # the `course_cli` fixture's type


def run_course(*arguments: str, cwd: Path, env: Mapping[str, str] | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`course ARGUMENTS` in a fresh process; `env` adds to (or, with value "", removes from) the environment."""
    environment = dict(os.environ)
    for name, value in (env or {}).items():
        if value == "":
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run([str(COURSE_COMMAND), *arguments], check=False, cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(autouse=True, scope="session")
def learner_state_in_a_temporary_folder() -> Iterator[None]:
    """COURSE_STATE_DIR (progress, hint levels) for this process and every subprocess it starts, removed
    afterwards; messages in English unless a test asks for another language."""
    folder = tempfile.mkdtemp(prefix="course-state-")
    previous = {name: os.environ.get(name) for name in (STATE_ENV, LANGUAGE_SETTING)}
    os.environ[STATE_ENV] = folder
    os.environ[LANGUAGE_SETTING] = SOURCE_LANGUAGE  # tests read English messages, whatever the machine's locale
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)


def _copy_repository(target: Path) -> Path:
    """A throwaway copy of the repository at `target` (its files as git sees them, and a git repository of its
    own, since tests ask git which files are the course's); run the `course` command in it with
    PYTHONPATH=<the copy>."""
    root = Path(__file__).resolve().parent.parent
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        if (root / relative).is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / relative, target / relative)
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    return target


@pytest.fixture(scope="session")
def copy_repository() -> Callable[[Path], Path]:
    """Make a throwaway copy of the repository in a folder (see `_copy_repository`)."""
    return _copy_repository


@pytest.fixture(scope="session")
def course_cli() -> CourseCli:
    """`course ARGUMENTS` in a fresh process (see `run_course`)."""
    return run_course


@pytest.fixture(scope="session")
def no_bubblewrap() -> dict[str, str]:
    """Environment changes that hide bubblewrap: a PATH holding only this environment's tools."""
    tools = Path(sys.executable).parent
    assert not (tools / "bwrap").exists()
    return {"PATH": str(tools)}


# ------------------------------------------------------------------------------------ leftovers
# The suite must leave the machine as it found it: no tracked file changed, nothing new in the
# temporary directory. pytest's own temporary directories live in one folder that is removed at the
# end. Elsewhere other programs share the temporary directory, so a leftover is reported; under
# .ci/run (COURSE_CHECK_LEFTOVERS=1) it fails the run.
_TEMPORARY = Path(tempfile.gettempdir())
_BEFORE: dict[str, set[str]] = {}
_OURS: set[str] = set()  # the run's own folders in the temporary directory
LEFTOVERS = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="course-tests-")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))
    _BEFORE["temporary"] = set(os.listdir(_TEMPORARY))
    # A torch.optim step creates torch's compile cache folder, by default <tmp>/torchinductor_<user>: keep it
    # in a folder of the run's own, removed at the end. Sandboxed workers never see this variable (their
    # environment is replaced) and keep using their private /tmp.
    if "TORCHINDUCTOR_CACHE_DIR" not in os.environ:
        cache = tempfile.mkdtemp(prefix="course-torch-cache-")
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
        _OURS.add(Path(cache).name)  # removed after the leftover check, so not a leftover
        config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))
    # Pools of judges started by the tests themselves keep multiprocessing's socket directory
    # (<tmp>/pymp-*) until this process exits, when multiprocessing removes it: not a leftover.
    from autograder.grading import judge_pool

    _OURS.add(Path(judge_pool.multiprocessing_directory()).name)
    _BEFORE["git"] = set(_git_status())


def _git_status() -> list[str]:
    done = subprocess.run(["git", "status", "--porcelain"], check=False, cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True)
    return done.stdout.splitlines() if done.returncode == 0 else []


def _leftovers(config: pytest.Config) -> list[str]:
    basetemp = Path(str(config.option.basetemp)).name
    new_files = sorted(set(os.listdir(_TEMPORARY)) - _BEFORE.get("temporary", set()) - {basetemp} - _OURS)
    changed = sorted(set(_git_status()) - _BEFORE.get("git", set()))
    return [f"{_TEMPORARY / name}" for name in new_files] + [f"git: {line}" for line in changed]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leftovers = _leftovers(session.config)
    session.config.stash[LEFTOVERS] = leftovers
    if leftovers and os.environ.get("COURSE_CHECK_LEFTOVERS") == "1" and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    leftovers = terminalreporter.config.stash.get(LEFTOVERS, [])
    if leftovers:
        terminalreporter.section("left behind by the suite (or by something else running meanwhile)")
        for line in leftovers:
            terminalreporter.write_line(f"  {line}")

