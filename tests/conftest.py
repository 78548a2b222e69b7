"""Shared helpers for the course's own tests: running the `course` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

COURSE_COMMAND = Path(sys.executable).parent / "course"


def run_course(*arguments: str, cwd: Path, env: Mapping[str, str] | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`course ARGUMENTS` in a fresh process; `env` adds to (or, with value "", removes from) the environment."""
    environment = dict(os.environ)
    for name, value in (env or {}).items():
        if value == "":
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run([str(COURSE_COMMAND), *arguments], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def course_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`course ARGUMENTS` in a fresh process (see `run_course`)."""
    return run_course


@pytest.fixture(scope="session")
def no_bubblewrap() -> dict[str, str]:
    """Environment changes that hide bubblewrap: a PATH holding only this environment's tools."""
    tools = Path(sys.executable).parent
    assert not (tools / "bwrap").exists()
    return {"PATH": str(tools)}
