"""Probes for the bias_update exercise.

The loss whose gradients `sgd` and `backward_vector_loss` work on is built here with the book's own
`squared_loss` and `linreg`, so those two functions are judged on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from course_checks.i18n import N_
from course_checks.probes import ProbeResult, TensorData, call, tensor
from course_checks.probes.d2l import linreg, squared_loss

SUM_DISABLED = N_("sum() is switched off while backward_vector_loss runs")  # raised here, shown translated


@dataclass(frozen=True)
class Gradients(ProbeResult):
    """What the function returned, and X, y, w, b as they are after the call."""

    result: object
    inputs_after: list[TensorData]


@dataclass(frozen=True)
class SgdState(ProbeResult):
    """w, b and their .grad after one round of backward and the student's sgd."""

    w: TensorData
    b: TensorData
    w_grad: TensorData | None
    b_grad: TensorData | None
    leaves: bool  # w and b are still leaves that require grad
    same_objects: bool  # the list handed to sgd still holds the same two tensors


@dataclass(frozen=True)
class LeftGrads(ProbeResult):
    """The .grad backward_vector_loss left on w and b (None: it left none)."""

    w_grad: TensorData | None
    b_grad: TensorData | None


def warm_up() -> None:
    """`Tensor.backward(gradient)` imports torch.fx's symbolic shapes (and sympy) on its first use, about a
    second: the zygote imports them once, so that no worker's CPU budget pays it. The judge, which imports
    this module for its records, is spared it."""
    import torch.fx.experimental.symbolic_shapes  # noqa: F401


def _parameter(values: list[Any], as_parameter: bool) -> torch.Tensor:
    """A fresh float32 leaf that requires grad: a plain tensor or an nn.Parameter."""
    return torch.nn.Parameter(tensor(values)) if as_parameter else tensor(values, requires_grad=True)


def gradients(module: ModuleType, function: str, X: list[Any], y: list[Any], w: list[Any], b: list[Any],
              as_parameter: bool) -> Gradients:
    """`function(X, y, w, b)` (minibatch_grads or per_example_b_grads) and the inputs' values afterwards."""
    inputs = [tensor(X), tensor(y), _parameter(w, as_parameter), _parameter(b, as_parameter)]
    result = call(module, function, *inputs)
    return Gradients.of(result=result, inputs_after=inputs)


class _Params(list[torch.Tensor]):
    """The list handed to sgd; only its repr differs, so failure messages show shapes, not tensor dumps."""

    def __repr__(self) -> str:
        return f"[{', '.join(f'{name} {tuple(item.shape)}' for name, item in zip('wb', self))}]"


def _fill_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> None:
    """The book's `l.sum().backward()` on one minibatch."""
    squared_loss(linreg(X, w, b), y).sum().backward()


def sgd_steps(module: ModuleType, X: list[Any], y: list[Any], w: list[Any], b: list[Any], lr: float,
              batch_size: int, steps: int, as_parameter: bool) -> list[SgdState]:
    """`steps` rounds of (backward on the same minibatch, student's sgd); the state after each round."""
    features, labels = tensor(X), tensor(y)
    w_leaf, b_leaf = _parameter(w, as_parameter), _parameter(b, as_parameter)
    states = []
    for _ in range(steps):
        _fill_grads(features, labels, w_leaf, b_leaf)
        params = _Params([w_leaf, b_leaf])
        call(module, "sgd", params, lr, batch_size)
        states.append(_snapshot(w_leaf, b_leaf, len(params) == 2 and params[0] is w_leaf and params[1] is b_leaf))
    return states


def _snapshot(w: torch.Tensor, b: torch.Tensor, same_objects: bool) -> SgdState:
    """Copies of the values and gradients now (the next step changes the tensors themselves)."""
    def copy(value: torch.Tensor | None) -> torch.Tensor | None:
        return None if value is None else value.detach().clone()

    return SgdState.of(w=copy(w), b=copy(b), w_grad=copy(w.grad), b_grad=copy(b.grad),
                       leaves=all(p.is_leaf and p.requires_grad for p in (w, b)), same_objects=same_objects)


class _SumSwitchedOff(TorchFunctionMode):
    """Makes `Tensor.sum` and `torch.sum` raise, however the student's code refers to them."""

    def __torch_function__(self, func: Callable[..., Any], types: object, args: tuple[Any, ...] = (),
                           kwargs: dict[str, Any] | None = None) -> Any:
        if getattr(func, "__name__", "") == "sum":
            raise RuntimeError(SUM_DISABLED)
        return func(*args, **(kwargs or {}))


def vector_backward(module: ModuleType, X: list[Any], y: list[Any], w: list[Any], b: list[Any],
                    as_parameter: bool) -> LeftGrads:
    """backward_vector_loss(l) on the book's (n, 1) loss, with sum() switched off; the .grad it leaves."""
    w_leaf, b_leaf = _parameter(w, as_parameter), _parameter(b, as_parameter)
    l = squared_loss(linreg(tensor(X), w_leaf, b_leaf), tensor(y))
    with _SumSwitchedOff():
        call(module, "backward_vector_loss", l)
    return LeftGrads.of(w_grad=w_leaf.grad, b_grad=b_leaf.grad)
