"""What a check module needs: declare checks, build messages, assert in the learner's terms.

    from course_checks.harness import ErrorHint, Hint, Student, call_text, check, expect_close, fail, generator
    from course_checks.probes import huber as probes

See `exercise` for what a check module declares, `marks` for a check's signature, `inputs` for
fresh random inputs, `calls` for saying what was called.

The names are loaded on first use: a process that only reads results (`records`, `jobs`) imports
this package without torch, which a check module's helpers need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each name a check module imports from here, and the submodule that defines it.
_SOURCES = {
    "course_checks.harness.calls": ("Code", "call_text", "seeded_generator", "shaped"),
    "course_checks.harness.expect": ("close", "expect_close", "expect_items", "expect_number", "expect_shape",
                                     "expect_tensor", "expect_unchanged", "kind_of", "number_close", "raised_text",
                                     "show", "show_values", "tensor_of_shape"),
    "course_checks.harness.failing": ("CheckFailed", "fail"),
    "course_checks.harness.feedback": ("Feedback", "Hint"),
    "course_checks.harness.inputs": ("derived_seed", "fresh_int", "generator", "rng"),
    "course_checks.harness.known_errors": ("ErrorHint",),
    "course_checks.harness.marks": ("check",),
    "course_checks.harness.student": ("Student", "StudentRaised"),
    "course_checks.probes.encoding": ("OtherObject", "Raised", "TensorData"),
}
_SOURCE_OF = {name: module for module, names in _SOURCES.items() for name in names}
__all__ = sorted(_SOURCE_OF)

if TYPE_CHECKING:
    from course_checks.harness.calls import Code, call_text, seeded_generator, shaped
    from course_checks.harness.expect import (
        close,
        expect_close,
        expect_items,
        expect_number,
        expect_shape,
        expect_tensor,
        expect_unchanged,
        kind_of,
        number_close,
        raised_text,
        show,
        show_values,
        tensor_of_shape,
    )
    from course_checks.harness.failing import CheckFailed, fail
    from course_checks.harness.feedback import Feedback, Hint
    from course_checks.harness.inputs import derived_seed, fresh_int, generator, rng
    from course_checks.harness.known_errors import ErrorHint
    from course_checks.harness.marks import check
    from course_checks.harness.student import Student, StudentRaised
    from course_checks.probes.encoding import OtherObject, Raised, TensorData


def __getattr__(name: str) -> Any:
    """Import a facade name's submodule the first time the name is asked for (PEP 562)."""
    if name not in _SOURCE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_SOURCE_OF[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
