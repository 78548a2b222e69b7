"""The course's own tests never touch the user's state directory (progress, hint levels)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from autograder.harness.state import STATE_ENV


@pytest.fixture(autouse=True, scope="session")
def learner_state_in_a_temporary_folder() -> Iterator[None]:
    """COURSE_STATE_DIR for this process and every subprocess it starts, removed afterwards."""
    folder = tempfile.mkdtemp(prefix="course-state-")
    previous = os.environ.get(STATE_ENV)
    os.environ[STATE_ENV] = folder
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(STATE_ENV, None)
        else:
            os.environ[STATE_ENV] = previous
        shutil.rmtree(folder, ignore_errors=True)
