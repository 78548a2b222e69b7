"""What the course remembers about one learner between runs: finished exercises and hint levels.

Kept in the user's state directory, never in the checkout: `$COURSE_STATE_DIR` if set (tests point
it at a temporary folder), else `$XDG_STATE_HOME/linreg-course`, else `~/.local/state/linreg-course`.
One JSON file per exercises folder, so two copies of the course keep separate progress.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_checks.i18n import _

STATE_ENV = "COURSE_STATE_DIR"
FORMAT = 1


def state_dir() -> Path:
    """Where the course keeps its state on this machine."""
    if os.environ.get(STATE_ENV):
        return Path(os.environ[STATE_ENV])
    base = Path(os.environ["XDG_STATE_HOME"]) if os.environ.get("XDG_STATE_HOME") else Path.home() / ".local" / "state"
    return base / "linreg-course"


def digest_of(path: Path) -> str:
    """The digest of a learner's file ("" when it does not exist), to tell whether it changed."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass(frozen=True)
class ExerciseProgress:
    """One exercise as the last run left it."""

    complete: bool
    passed: int
    total: int
    digest: str  # of the module those checks ran on


class LearnerState:
    """Progress and hint levels of the exercises in one folder (or one notebook folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        key = hashlib.sha256(str(self.folder).encode()).hexdigest()[:16]
        self.path = state_dir() / f"{key}.json"
        self.problem = ""  # why the state could not be saved, if it could not
        self._data = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = None
        except (OSError, ValueError):
            # Unreadable state is set aside, not lost, and the course starts afresh.
            kept = self.path.with_suffix(".unreadable")
            with contextlib.suppress(OSError):
                self.path.replace(kept)
            self.problem = _("the saved progress could not be read; it is kept as {kept} and the course starts "
                             "afresh").format(kept=kept)
            data = None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            data = {"format": FORMAT, "folder": str(self.folder), "progress": {}, "hints": {}}
        return data

    def _write(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent, delete=False,
                                             suffix=".tmp") as handle:
                json.dump(self._data, handle, indent=1, sort_keys=True)
            os.replace(handle.name, self.path)
        except OSError as exc:  # a read-only home: the course still works, it only forgets
            self.problem = _("cannot save progress in {folder}: {reason}").format(folder=self.path.parent,
                                                                                   reason=exc.strerror)

    # -- progress -------------------------------------------------------------------------------------

    def progress(self, exercise_id: str) -> ExerciseProgress | None:
        """What the last full run of this exercise's checks found, if any."""
        entry = self._data["progress"].get(exercise_id)
        if not isinstance(entry, dict):
            return None
        try:
            return ExerciseProgress(bool(entry["complete"]), int(entry["passed"]), int(entry["total"]),
                                    str(entry["digest"]))
        except (KeyError, TypeError, ValueError):
            return None

    def is_complete(self, exercise_id: str, digest: str) -> bool:
        """Whether the exercise was complete the last time its checks ran on exactly this file."""
        progress = self.progress(exercise_id)
        return progress is not None and progress.complete and progress.digest == digest

    def record_progress(self, exercise_id: str, progress: ExerciseProgress) -> None:
        """Remember the outcome of a run of every check of one exercise."""
        self._data["progress"][exercise_id] = {"complete": progress.complete, "passed": progress.passed,
                                               "total": progress.total, "digest": progress.digest}
        self._write()

    # -- hint levels ----------------------------------------------------------------------------------

    @staticmethod
    def _hint_key(exercise_id: str, check_id: str, hint_key: str) -> str:
        return f"{exercise_id}/{check_id}/{hint_key}"

    def hint_level(self, exercise_id: str, check_id: str, hint_key: str) -> int:
        """How far up this hint's ladder the learner has climbed (1: the concept every failure shows)."""
        level = self._data["hints"].get(self._hint_key(exercise_id, check_id, hint_key), 1)
        return level if isinstance(level, int) and level >= 1 else 1

    def raise_hint_level(self, exercise_id: str, check_id: str, hint_key: str, top: int) -> int:
        """Climb one level (at most to `top`) and return the level now reached."""
        level = min(self.hint_level(exercise_id, check_id, hint_key) + 1, top)
        self._data["hints"][self._hint_key(exercise_id, check_id, hint_key)] = level
        self._write()
        return level
