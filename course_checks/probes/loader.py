"""Importing a student's file as a fresh module, where the probes run (in-process or in the worker)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from course_checks.i18n import N_, _

# Why a module could not be imported, one sentence per case. The worker sends the case and its values
# (`plain`), and the judge words it in the run's language.
WHY = {
    "absent": N_("there is no {file}"),
    "not_loadable": N_("{file} cannot be loaded as a Python module"),
    "syntax": N_("{file} has a syntax error on line {line}: {error}"),
    "raised": N_("importing {file} raised {error}"),
}
MAX_VALUE = 300  # characters of each value kept from a worker's report


class ImportFailed(Exception):
    """The module is absent or could not be imported; `str()` says why, in one line, in the current language."""

    def __init__(self, why: str, **values: str) -> None:
        super().__init__(why)
        self.why = why
        self.values = values

    def __str__(self) -> str:
        return _(WHY[self.why]).format(**self.values)

    def plain(self) -> dict[str, Any]:
        """The case and its values, as JSON for the judge."""
        return {"why": self.why, **self.values}

    @classmethod
    def from_plain(cls, data: object) -> ImportFailed | None:
        """The inverse of `plain`, for a report from the worker (untrusted: None unless it is one)."""
        if type(data) is not dict or data.get("why") not in WHY:
            return None
        values = {name: str(value)[:MAX_VALUE] for name, value in data.items() if name != "why"}
        try:
            _(WHY[data["why"]]).format(**values)
        except (KeyError, IndexError, ValueError):
            return None
        return cls(data["why"], **values)


def _caught_at_import() -> tuple[type[BaseException], ...]:
    from course_checks import probes  # the flag lives there; imported late to avoid a cycle

    return (BaseException,) if probes.catch_interrupts else (Exception, SystemExit, GeneratorExit)


def load_student_module(exercise_id: str, path: Path) -> ModuleType:
    """Import `path` under a private name; ImportFailed says why it could not be."""
    if not path.is_file():
        raise ImportFailed("absent", file=path.name)
    spec = importlib.util.spec_from_file_location(f"student_{exercise_id}", path)
    if spec is None or spec.loader is None:
        raise ImportFailed("not_loadable", file=path.name)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise ImportFailed("syntax", file=path.name, line=str(exc.lineno), error=str(exc.msg)) from None
    except _caught_at_import() as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        error = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
        raise ImportFailed("raised", file=path.name, error=error) from None
    return module
