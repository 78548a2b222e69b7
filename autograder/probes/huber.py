"""Probes for the huber exercise."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from autograder.probes import call, tensor


def loss_values(module: ModuleType, function: str, y_hat: list[Any], y: list[Any], sigma: float) -> dict[str, Any]:
    """`function(y_hat, y, sigma=sigma)` on fresh tensors, and the inputs as they are afterwards."""
    y_hat_tensor, y_tensor = tensor(y_hat), tensor(y)
    loss = call(module, function, y_hat_tensor, y_tensor, sigma=sigma)
    return {"loss": loss, "y_hat_after": y_hat_tensor, "y_after": y_tensor}


def loss_gradient(module: ModuleType, y_hat: list[Any], y: list[Any], sigma: float) -> dict[str, Any]:
    """The loss and d(sum of the loss)/d y_hat, with y_hat a leaf that requires grad."""
    y_hat_leaf = tensor(y_hat, requires_grad=True)
    loss = call(module, "huber_loss", y_hat_leaf, tensor(y), sigma=sigma)
    loss.sum().backward()
    return {"loss": loss, "grad": y_hat_leaf.grad}


class _CallRecorder(TorchFunctionMode):
    """Notes which torch functions run, however the student's code refers to them."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.legacy_options = False
        self.outputs: list[tuple[torch.Tensor, float]] = []  # each built-in's result, with its delta/beta

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        name = getattr(func, "__name__", "")
        self.names.append(name)
        # size_average / reduce are set only when an option slipped into them by position
        if name in ("smooth_l1_loss", "huber_loss") and any((kwargs or {}).get(key) is not None
                                                            for key in ("size_average", "reduce")):
            self.legacy_options = True
        result = func(*args, **(kwargs or {}))
        if name in ("smooth_l1_loss", "huber_loss") and isinstance(result, torch.Tensor) and len(self.outputs) < 8:
            option = (kwargs or {}).get("delta" if name == "huber_loss" else "beta", 1.0)
            self.outputs.append((result.detach().clone(), float(option) if name == "huber_loss" else 1.0))
        return result


def builtin_values(module: ModuleType, y_hat: list[Any], y: list[Any], sigma: float) -> dict[str, Any]:
    """huber_via_builtin's values and whether a smooth_l1 / huber built-in ran during the call."""
    recorder = _CallRecorder()
    with recorder:
        loss = call(module, "huber_via_builtin", tensor(y_hat), tensor(y), sigma=sigma)
    used = sorted({name for name in recorder.names if name in ("smooth_l1_loss", "huber_loss")})
    return {"loss": loss, "builtins": used, "legacy_options": recorder.legacy_options,
            "from_builtin": _comes_from(loss, recorder.outputs)}


def _comes_from(loss: Any, outputs: list[tuple[torch.Tensor, float]]) -> bool:
    """Whether the returned values are a built-in's result (or F.huber_loss's divided by its delta).

    A decoy call on other tensors, next to a hand-written formula, does not count."""
    if not isinstance(loss, torch.Tensor):
        return False
    values = loss.detach().reshape(-1).to(torch.float64)
    for output, scale in outputs:
        candidate = output.reshape(-1).to(torch.float64)
        for factor in {1.0, scale}:
            if candidate.numel() == values.numel() and torch.allclose(values, candidate / factor, rtol=1e-6, atol=1e-7):
                return True
    return False


def scale(module: ModuleType, sigma: float) -> Any:
    """builtin_huber_scale(sigma)."""
    return call(module, "builtin_huber_scale", sigma)
