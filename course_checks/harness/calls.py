"""How a check says what it called: `init_params(5, mode='zeros', sigma=2.5)`.

Every failure message starts with the call a learner could type to see the same thing; `call_text`
writes it from the function's name and its arguments, as Python code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from course_checks.harness.expect import show, show_values
from course_checks.probes.encoding import format_shape


@dataclass(frozen=True)
class Code:
    """An argument shown as it is written (an expression, a name), not as a value."""

    text: str


def shaped(name: str, value: torch.Tensor | Sequence[Any]) -> Code:
    """An argument shown by its name and shape: `y_hat (4, 1)`."""
    shape = tuple(value.shape) if isinstance(value, torch.Tensor) else tuple(torch.tensor(value).shape)
    return Code(f"{name} {format_shape(shape)}")


def seeded_generator(seed: int) -> Code:
    """The expression of a fresh generator seeded `seed`, as a learner would write it."""
    return Code(f"torch.Generator().manual_seed({seed})")


def argument_text(value: object) -> str:
    """One argument as Python code: numbers with :g, strings quoted, tensors and lists by their values."""
    if isinstance(value, Code):
        return value.text
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, torch.Tensor):
        return show_values(value)
    if isinstance(value, str):
        return repr(value)
    return show(value)


def call_text(function: str, *args: object, **kwargs: object) -> str:
    """`function(args, key=value)`; keyword arguments that are None are left out (not passed)."""
    parts = [argument_text(arg) for arg in args]
    parts += [f"{key}={argument_text(value)}" for key, value in kwargs.items() if value is not None]
    return f"{function}({', '.join(parts)})"
