"""Probes for the reshape exercise."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch

from course_checks.probes import ProbeResult, TensorData, attempt, call, tensor


@dataclass(frozen=True)
class LossValues(ProbeResult):
    """squared_loss's result, and both inputs as they are after the call."""

    loss: object
    y_hat: TensorData
    y: TensorData


@dataclass(frozen=True)
class LossGradient(ProbeResult):
    """squared_loss's result, and y_hat.grad after backward of its sum (None if backward never ran or reached it)."""

    loss: object
    grad: TensorData | None


def warm_up() -> None:
    """Nothing beyond D2L's loop, which the zygote runs anyway."""


def loss_values(module: ModuleType, y_hat: list[Any], y: list[Any]) -> LossValues:
    """squared_loss(y_hat, y), and both inputs as they are after the call (to see in-place changes)."""
    y_hat_tensor, y_tensor = tensor(y_hat), tensor(y)
    loss = call(module, "squared_loss", y_hat_tensor, y_tensor)
    return LossValues.of(loss=loss, y_hat=y_hat_tensor, y=y_tensor)


def loss_attempt(module: ModuleType, y_hat: list[Any], y: list[Any]) -> Any:
    """squared_loss(y_hat, y), or a `Raised` record if it raises (expected for mismatched sizes)."""
    return attempt(module, "squared_loss", tensor(y_hat), tensor(y))


def loss_gradient(module: ModuleType, y_hat: list[Any], y: list[Any], parameter: bool) -> LossGradient:
    """The loss and y_hat.grad after squared_loss(y_hat, y).sum().backward(), y_hat a leaf (or nn.Parameter)."""
    y_hat_leaf = torch.nn.Parameter(tensor(y_hat)) if parameter else tensor(y_hat, requires_grad=True)
    loss = call(module, "squared_loss", y_hat_leaf, tensor(y))
    if isinstance(loss, torch.Tensor) and loss.requires_grad:
        loss.sum().backward()
    return LossGradient.of(loss=loss, grad=y_hat_leaf.grad)


def synthetic(module: ModuleType, w: list[Any], b: float, num_examples: int, noise: float,
              generator_seed: int | None = None, global_seed: int = 0, integer_w: bool = False) -> Any:
    """synthetic_data(w, b, num_examples, noise, generator) with a generator seeded here.

    `generator_seed` None passes generator=None after seeding torch's global generator with
    `global_seed`, and restores the global state afterwards. Otherwise the global state is left to
    advance, so code that ignores the generator gives different data on every call.
    """
    w_tensor = tensor(w, dtype=torch.int64 if integer_w else torch.float32)
    if generator_seed is not None:
        generator = torch.Generator().manual_seed(generator_seed)
        return call(module, "synthetic_data", w_tensor, b, num_examples, noise=noise, generator=generator)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(global_seed)
        return call(module, "synthetic_data", w_tensor, b, num_examples, noise=noise, generator=None)


def broadcast(module: ModuleType, n: int) -> Any:
    """broadcast_shape(n); a torch.Size comes back as a tuple (the contract: a torch.Size is a tuple)."""
    shape = call(module, "broadcast_shape", n)
    return tuple(shape) if isinstance(shape, torch.Size) else shape
