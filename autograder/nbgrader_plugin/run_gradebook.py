"""One gradebook connection for all the steps of an autograde run.

Each of nbgrader's steps opens `Gradebook(db_url)` for each notebook: a new SQLAlchemy engine every
time, which inspects the database, runs `create_all` and compiles every query afresh (compiled
statements are cached per engine). Profiled on the 60-notebook class, that was a quarter of the
CPU time of nbgrader's own process. The run's exporter keeps one `Gradebook` per database instead;
a step uses it for one notebook and closes it afterwards, as nbgrader's steps close theirs:
`Gradebook.close` ends the session (its objects and its transaction) and closes the connections.
The engine and its compiled statements stay for the next step.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, ContextManager

from nbgrader.api import Gradebook


class RunGradebooks:
    """The gradebooks of one autograde run, one per database URL, opened on first use."""

    def __init__(self) -> None:
        self._opened: dict[str, Gradebook] = {}

    @contextlib.contextmanager
    def session(self, db_url: str) -> Iterator[Gradebook]:
        """The run's gradebook for `db_url`, for one step on one notebook; its session ends on leaving."""
        gradebook = self._opened.get(db_url)
        if gradebook is None:  # no course id, as nbgrader's own steps open it
            gradebook = self._opened[db_url] = Gradebook(db_url)
        try:
            yield gradebook
        finally:
            gradebook.close()


def step_gradebook(step: Any, db_url: str) -> ContextManager[Gradebook]:
    """The gradebook a preprocessor uses: its run's, when its parent is an autograde run's exporter,
    or else one of its own, as nbgrader's steps open it."""
    gradebooks = getattr(step.parent, "gradebooks", None)
    return gradebooks.session(db_url) if isinstance(gradebooks, RunGradebooks) else Gradebook(db_url)
