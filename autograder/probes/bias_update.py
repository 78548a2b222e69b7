"""Probes for the bias_update exercise.

The loss whose gradients `sgd` and `backward_vector_loss` work on is built here with the book's own
`squared_loss` and `linreg`, so those two functions are judged on their own.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch

# `Tensor.backward(gradient)` imports this module on its first use (about a second); importing it with
# the probes keeps that one-time cost out of whichever check first calls backward with a vector.
import torch.fx.experimental.symbolic_shapes  # noqa: F401
from torch.overrides import TorchFunctionMode

from autograder.probes import call, tensor
from autograder.probes.d2l import linreg, squared_loss

SUM_DISABLED = "sum() is switched off while backward_vector_loss runs"


def _parameter(values: list[Any], as_parameter: bool) -> torch.Tensor:
    """A fresh float32 leaf that requires grad: a plain tensor or an nn.Parameter."""
    return torch.nn.Parameter(tensor(values)) if as_parameter else tensor(values, requires_grad=True)


def gradients(module: ModuleType, function: str, X: list[Any], y: list[Any], w: list[Any], b: list[Any],
              as_parameter: bool) -> dict[str, Any]:
    """`function(X, y, w, b)` (minibatch_grads or per_example_b_grads) and the inputs' values afterwards."""
    inputs = [tensor(X), tensor(y), _parameter(w, as_parameter), _parameter(b, as_parameter)]
    result = call(module, function, *inputs)
    return {"result": result, "inputs_after": inputs}


class _Params(list):  # type: ignore[type-arg]
    """The list handed to sgd; only its repr differs, so failure messages show shapes, not tensor dumps."""

    def __repr__(self) -> str:
        return f"[{', '.join(f'{name} {tuple(item.shape)}' for name, item in zip('wb', self))}]"


def _fill_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> None:
    """The book's `l.sum().backward()` on one minibatch."""
    squared_loss(linreg(X, w, b), y).sum().backward()


def sgd_steps(module: ModuleType, X: list[Any], y: list[Any], w: list[Any], b: list[Any], lr: float,
              batch_size: int, steps: int, as_parameter: bool) -> list[dict[str, Any]]:
    """`steps` rounds of (backward on the same minibatch, student's sgd); the state after each round."""
    features, labels = tensor(X), tensor(y)
    w_leaf, b_leaf = _parameter(w, as_parameter), _parameter(b, as_parameter)
    states = []
    for _ in range(steps):
        _fill_grads(features, labels, w_leaf, b_leaf)
        params = _Params([w_leaf, b_leaf])
        call(module, "sgd", params, lr, batch_size)
        states.append({**_snapshot(w_leaf, b_leaf),
                       "same_objects": len(params) == 2 and params[0] is w_leaf and params[1] is b_leaf})
    return states


def _snapshot(w: torch.Tensor, b: torch.Tensor) -> dict[str, Any]:
    """Copies of the values and gradients now (the next step changes the tensors themselves)."""
    def copy(value: torch.Tensor | None) -> torch.Tensor | None:
        return None if value is None else value.detach().clone()

    return {"w": copy(w), "b": copy(b), "w_grad": copy(w.grad), "b_grad": copy(b.grad),
            "leaves": all(p.is_leaf and p.requires_grad for p in (w, b))}


class _SumSwitchedOff(TorchFunctionMode):
    """Makes `Tensor.sum` and `torch.sum` raise, however the student's code refers to them."""

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        if getattr(func, "__name__", "") == "sum":
            raise RuntimeError(SUM_DISABLED)
        return func(*args, **(kwargs or {}))


def vector_backward(module: ModuleType, X: list[Any], y: list[Any], w: list[Any], b: list[Any],
                    as_parameter: bool) -> dict[str, Any]:
    """backward_vector_loss(l) on the book's (n, 1) loss, with sum() switched off; the .grad it leaves."""
    w_leaf, b_leaf = _parameter(w, as_parameter), _parameter(b, as_parameter)
    l = squared_loss(linreg(tensor(X), w_leaf, b_leaf), tensor(y))
    with _SumSwitchedOff():
        call(module, "backward_vector_loss", l)
    return {"w_grad": w_leaf.grad, "b_grad": b_leaf.grad}
