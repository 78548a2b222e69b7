"""Probes for the second_derivatives exercise.

`second_derivative` takes a Python function, which cannot cross from judge to worker; the judge
names one of the functions below instead, and the probe hands the student a wrapper that counts
how often it is evaluated (autograd needs one or two evaluations, finite differences three or more).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch

from course_checks.probes import ProbeResult, TensorData, attempt, call, tensor

FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "cube": lambda x: x**3,
    "sin": torch.sin,
    "exp": torch.exp,
    "tanh": torch.tanh,
    "linear3": lambda x: 3 * x,
    "abs": torch.abs,
}


@dataclass(frozen=True)
class HessianRuns(ProbeResult):
    """What each call of grad_and_hessian_wrt_w returned, then w, b and their .grad after the calls."""

    results: list[object]
    w: TensorData
    b: TensorData
    w_grad: TensorData | None
    b_grad: TensorData | None


@dataclass(frozen=True)
class ScalarOutcome(ProbeResult):
    """What second_derivative returned (or a Raised record), and how often it evaluated f."""

    result: object
    calls: int


@dataclass(frozen=True)
class Problems(ProbeResult):
    """second_derivative_problems(): its type's name, its items (for a set, list or tuple), else its value."""

    type: str
    items: list[object] | None
    value: object


def warm_up() -> None:
    """A second derivative through create_graph, and torch.func's Hessian (a correct answer uses it; its
    forward-mode decompositions cost 0.25 s of CPU on first use), once."""
    x = torch.tensor(0.5, requires_grad=True)
    (gradient,) = torch.autograd.grad(torch.sin(x), x, create_graph=True)
    torch.autograd.grad(gradient, x)
    with warnings.catch_warnings():  # torch's own modules, imported here, use the deprecated torch.jit.script
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.func.hessian(lambda w: (w ** 3).sum())(torch.ones(2))


def _counted(name: str) -> tuple[Callable[[torch.Tensor], torch.Tensor], list[int]]:
    """FUNCTIONS[name] under its own name, with a one-item list holding its number of calls."""
    function = FUNCTIONS[name]
    calls = [0]

    def counted(x: torch.Tensor) -> torch.Tensor:
        calls[0] += 1
        return function(x)

    counted.__name__ = name
    counted.__qualname__ = name
    return counted, calls


def _parameter(data: Any, as_parameter: bool) -> torch.Tensor:
    return torch.nn.Parameter(tensor(data)) if as_parameter else tensor(data, requires_grad=True)


def grad_and_hessian(module: ModuleType, X: list[Any], y: list[Any], w: list[Any], b: list[Any],
                     as_parameters: bool = False, w_grad: list[Any] | None = None, b_grad: list[Any] | None = None,
                     calls: int = 1) -> HessianRuns:
    """`calls` calls of grad_and_hessian_wrt_w on the SAME tensors, then w, b and their .grad.

    w and b are leaves that require grad (or nn.Parameters); their .grad is preset when given.
    """
    X_t, y_t = tensor(X), tensor(y)
    w_t, b_t = _parameter(w, as_parameters), _parameter(b, as_parameters)
    if w_grad is not None:
        w_t.grad = tensor(w_grad)
    if b_grad is not None:
        b_t.grad = tensor(b_grad)
    results = [call(module, "grad_and_hessian_wrt_w", X_t, y_t, w_t, b_t) for _ in range(calls)]
    return HessianRuns.of(results=results, w=w_t, b=b_t, w_grad=w_t.grad, b_grad=b_t.grad)


def scalar_derivatives(module: ModuleType, cases: list[list[Any]]) -> list[ScalarOutcome]:
    """second_derivative(f, x) for each [function name, x]: the result (or a Raised record) and f's call count."""
    outcomes = []
    for name, x in cases:
        f, calls = _counted(name)
        result = attempt(module, "second_derivative", f, x)
        outcomes.append(ScalarOutcome.of(result=result, calls=calls[0]))
    return outcomes


def problems(module: ModuleType) -> Problems:
    """second_derivative_problems(): its type name and, for a set, list or tuple, its items."""
    result = call(module, "second_derivative_problems")
    items = list(result) if isinstance(result, (set, frozenset, list, tuple)) else None
    return Problems.of(type=type(result).__name__, items=items, value=None if items is not None else result)
