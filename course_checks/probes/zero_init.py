"""Probes for the zero_init exercise."""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch

from course_checks.probes import ProbeResult, attempt, call, tensor


@dataclass(frozen=True)
class TwoCalls(ProbeResult):
    """What two calls with the same inputs returned."""

    first: object
    second: object


def warm_up() -> None:
    """Nothing beyond D2L's loop, which the zygote runs anyway."""


def _parameter_inputs(X: list[Any], y: list[Any], leaves: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """X and y as plain tensors, or as leaves that require grad (the contract allows both)."""
    return tensor(X, requires_grad=leaves), tensor(y, requires_grad=leaves)


def params(module: ModuleType, num_inputs: int, mode: str | None = None, sigma: float | None = None,
           generator_seed: int | None = None, global_seed: int | None = None) -> Any:
    """init_params(num_inputs[, mode][, sigma][, generator]); arguments left as None are not passed.

    With `global_seed`, torch's global generator is seeded first (and restored afterwards).
    """
    kwargs: dict[str, Any] = {}
    if mode is not None:
        kwargs["mode"] = mode
    if sigma is not None:
        kwargs["sigma"] = sigma
    if generator_seed is not None:
        kwargs["generator"] = torch.Generator().manual_seed(generator_seed)
    with torch.random.fork_rng(devices=[]):
        if global_seed is not None:
            torch.manual_seed(global_seed)
        return call(module, "init_params", num_inputs, **kwargs)


def params_attempt(module: ModuleType, num_inputs: int, mode: str) -> Any:
    """init_params(num_inputs, mode=mode), or a `Raised` record (expected for an unknown mode)."""
    return attempt(module, "init_params", num_inputs, mode=mode)


def first_grads(module: ModuleType, X: list[Any], y: list[Any], leaves: bool) -> TwoCalls:
    """first_step_grads(X, y) called twice on the same inputs (a second call shows leftover state)."""
    X_tensor, y_tensor = _parameter_inputs(X, y, leaves)
    first = call(module, "first_step_grads", X_tensor, y_tensor)
    second = call(module, "first_step_grads", X_tensor, y_tensor)
    return TwoCalls.of(first=first, second=second)


def std(module: ModuleType, variance: float) -> Any:
    """std_for_variance(variance)."""
    return call(module, "std_for_variance", variance)


def works(module: ModuleType) -> bool:
    """bool(zero_init_works()), with every random state the function may use restored afterwards."""
    state = random.getstate()
    try:
        with torch.random.fork_rng(devices=[]):
            return bool(call(module, "zero_init_works"))
    finally:
        random.setstate(state)


def two_layer(module: ModuleType, X: list[Any], y: list[Any], hidden: int | None, leaves: bool) -> Any:
    """two_layer_zero_init_grads(X, y[, hidden]); `hidden` None uses the default."""
    X_tensor, y_tensor = _parameter_inputs(X, y, leaves)
    if hidden is None:
        return call(module, "two_layer_zero_init_grads", X_tensor, y_tensor)
    return call(module, "two_layer_zero_init_grads", X_tensor, y_tensor, hidden=hidden)
