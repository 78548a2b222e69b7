"""Importing a student's file as a fresh module, where the probes run (in-process or in the worker)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


class ImportFailed(Exception):
    """The module is absent or could not be imported; the message says why, in one line."""


def _caught_at_import() -> tuple[type[BaseException], ...]:
    from course_checks import probes  # the flag lives there; imported late to avoid a cycle

    return (BaseException,) if probes.catch_interrupts else (Exception, SystemExit, GeneratorExit)


def load_student_module(exercise_id: str, path: Path) -> ModuleType:
    """Import `path` under a private name; ImportFailed says why it could not be."""
    if not path.is_file():
        raise ImportFailed(f"there is no {path.name}")
    spec = importlib.util.spec_from_file_location(f"student_{exercise_id}", path)
    if spec is None or spec.loader is None:
        raise ImportFailed(f"{path.name} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise ImportFailed(f"{path.name} has a syntax error on line {exc.lineno}: {exc.msg}") from None
    except _caught_at_import() as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise ImportFailed(f"importing {path.name} raised {type(exc).__name__}" + (f": {first_line}" if first_line else "")) from None
    return module
