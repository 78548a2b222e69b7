"""The assertion vocabulary of the checks, in the learner's terms (shape before values)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from course_checks.harness.failing import fail
from course_checks.harness.feedback import Hint
from course_checks.i18n import _, ngettext
from course_checks.probes.encoding import OtherObject, Raised, TensorData, format_shape

RTOL = 1e-5
ATOL = 1e-6


def show(value: Any, limit: int = 8) -> str:
    """A short, readable rendering of a decoded result for a message."""
    if isinstance(value, TensorData):
        return f"{value.describe()} {show_values(value.values, limit)}"
    if isinstance(value, torch.Tensor):
        return show_values(value, limit)
    if isinstance(value, (OtherObject, Raised)):
        return value.describe() if isinstance(value, Raised) else str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(show(item, limit) for item in list(value)[:limit])
        more = ", ..." if len(value) > limit else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    if value is None:
        return "None"
    return repr(value)


def show_values(values: torch.Tensor, limit: int = 8) -> str:
    """`[0.5, 0, 4.5]` (flattened, rounded, truncated to `limit` entries)."""
    flat = values.detach().reshape(-1).tolist()
    shown = ", ".join(f"{item:.5g}" for item in flat[:limit])
    return f"[{shown}{', ...' if len(flat) > limit else ''}]"


def kind_of(value: Any) -> str:
    """What came back, in words: `a float32 tensor of shape (3,)`, `None`, `a list of 2 items`."""
    if isinstance(value, TensorData):
        return value.describe()
    if value is None:
        return _("None (did the function forget to return?)")
    if isinstance(value, list):
        return ngettext("a list or tuple of {count} item", "a list or tuple of {count} items",
                        len(value)).format(count=len(value))
    if isinstance(value, OtherObject):
        return str(value)
    return _("a {type} ({value})").format(type=type(value).__name__, value=show(value))


def raised_text(raised: Raised, limit: int = 200) -> str:
    """`it raised KeyError: 'uniform'`: the error's first line as it is (Python's or PyTorch's own text)."""
    return _("it raised {error}").format(error=raised.error(limit))


def tensor_of_shape(shape: Sequence[int]) -> str:
    """`a tensor of shape (4, 1)`, in the current language: what many checks expect."""
    return _("a tensor of shape {shape}").format(shape=format_shape(tuple(shape)))


def expect_tensor(value: Any, *, called: str, hint: Hint, expected: str | None = None) -> TensorData:
    """The value must be a tensor (`expected`: what the message says was expected, default "a tensor")."""
    if not isinstance(value, TensorData):
        fail(called=called, got=kind_of(value), expected=expected or _("a tensor"), hint=hint)
    return value


def expect_items(value: Any, count: int, *, called: str, hint: Hint, expected: str) -> list[Any]:
    """The value must be a tuple or list of `count` items (a returned tuple decodes as a list)."""
    if not isinstance(value, list) or len(value) != count:
        fail(called=called, got=kind_of(value), expected=expected, hint=hint)
    return value


def expect_shape(tensor: TensorData, shape: Sequence[int], *, called: str, hint: Hint,
                 diagnoses: Sequence[tuple[Sequence[int], Hint]] = ()) -> None:
    """The tensor must have exactly this shape; a known wrong shape gets its own hint."""
    if tensor.shape == tuple(shape):
        return
    chosen = next((specific for wrong, specific in diagnoses if tensor.shape == tuple(wrong)), hint)
    fail(called=called, got=tensor.describe(), expected=_("shape {shape}").format(shape=format_shape(tuple(shape))),
         hint=chosen)


def close(actual: torch.Tensor, expected: torch.Tensor, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Same shape (after broadcasting-free comparison) and values within tolerance, nan-safe."""
    expected = expected.to(torch.float64)
    if actual.shape != expected.shape:
        return False
    return bool(torch.allclose(actual.to(torch.float64), expected, rtol=rtol, atol=atol, equal_nan=True))


def expect_unchanged(after: TensorData, before: torch.Tensor, name: str, *, called: str, hint: Hint) -> None:
    """An input the probe sent back after the call must hold exactly what it held before: same shape, same values.

    A function that edits its caller's tensors in place (`-=`, a trailing underscore) fails here."""
    if not close(after.values, before, rtol=0, atol=0):
        fail(called=called, got=_("{name} changed by the call: now {value}").format(name=name, value=show(after)),
             expected=_("{name} left as it was: {value}").format(name=name, value=show_values(before)), hint=hint)


def expect_close(tensor: TensorData, expected: torch.Tensor, *, called: str, hint: Hint,
                 diagnoses: Sequence[tuple[torch.Tensor, Hint]] = (), rtol: float = RTOL, atol: float = ATOL,
                 limit: int = 8) -> None:
    """Values must match `expected` (same shape); if they match a known wrong answer, say which."""
    expected = expected.to(torch.float64).reshape(tensor.shape) if expected.numel() == tensor.numel else expected
    if close(tensor.values, expected, rtol, atol):
        return
    chosen = next((specific for wrong, specific in diagnoses
                   if wrong.numel() == tensor.numel and close(tensor.values, wrong.to(torch.float64).reshape(tensor.shape), rtol, atol)), hint)
    fail(called=called, got=show(tensor, limit), expected=show_values(expected, limit), hint=chosen)


def expect_number(value: Any, *, called: str, hint: Hint, expected: str | None = None) -> float:
    """The value must be a real number (bool excluded); returns it as a float (`expected` as for expect_tensor)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(called=called, got=kind_of(value), expected=expected or _("a Python number"), hint=hint)
    return float(value)


def number_close(actual: float, expected: float, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """math.isclose that treats nan as equal to nan."""
    if math.isnan(expected):
        return math.isnan(actual)
    return math.isclose(actual, expected, rel_tol=rtol, abs_tol=atol)
