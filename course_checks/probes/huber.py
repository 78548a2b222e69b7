"""Probes for the huber exercise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch
from torch.nn import functional as F
from torch.overrides import TorchFunctionMode

from course_checks.probes import ProbeResult, TensorData, call, tensor


BUILTINS = ("smooth_l1_loss", "huber_loss")
SHIFT = 1.0  # added to every built-in's result in a second call, to see whether it reaches the return


class _CallRecorder(TorchFunctionMode):
    """Notes which torch functions run, however the student's code refers to them; with `shift`,
    every Huber built-in's result is moved by that much before the student's code sees it."""

    def __init__(self, shift: float = 0.0) -> None:
        super().__init__()
        self.names: list[str] = []
        self.legacy_options = False
        self.shift = shift

    def __torch_function__(self, func: Callable[..., Any], types: object, args: tuple[Any, ...] = (),
                           kwargs: dict[str, Any] | None = None) -> Any:
        name = getattr(func, "__name__", "")
        self.names.append(name)
        # size_average / reduce are set only when an option slipped into them by position
        if name in BUILTINS and any((kwargs or {}).get(key) is not None for key in ("size_average", "reduce")):
            self.legacy_options = True
        result = func(*args, **(kwargs or {}))
        if self.shift and name in BUILTINS and isinstance(result, torch.Tensor):
            result = result + self.shift
        return result

    @property
    def builtins(self) -> list[str]:
        """The Huber built-ins that ran."""
        return sorted({name for name in self.names if name in BUILTINS})


@dataclass(frozen=True)
class LossValues(ProbeResult):
    """What the loss function returned, its inputs as they are after the call, and the Huber built-ins it ran."""

    loss: object
    y_hat_after: TensorData
    y_after: TensorData
    builtins: list[str]


@dataclass(frozen=True)
class LossGradient(ProbeResult):
    """huber_loss's result, y_hat.grad after backward of its sum, and the Huber built-ins it ran."""

    loss: object
    grad: TensorData | None  # None when backward never reached y_hat
    builtins: list[str]


@dataclass(frozen=True)
class BuiltinValues(ProbeResult):
    """huber_via_builtin's result, which built-ins ran (and whether an option went into a legacy
    parameter), and whether the returned values come from a built-in's result."""

    loss: object
    builtins: list[str]
    legacy_options: bool
    from_builtin: bool


def warm_up() -> None:
    """The Huber built-ins, once."""
    y_hat, y = torch.zeros(3, 1), torch.ones(3, 1)
    F.smooth_l1_loss(y_hat, y, beta=0.5, reduction="none")
    F.huber_loss(y_hat, y, delta=0.5, reduction="none")


def loss_values(module: ModuleType, function: str, y_hat: list[Any], y: list[Any], sigma: float) -> LossValues:
    """`function(y_hat, y, sigma=sigma)` on fresh tensors, the inputs as they are afterwards, and the
    Huber built-ins it used."""
    y_hat_tensor, y_tensor = tensor(y_hat), tensor(y)
    with _CallRecorder() as recorder:
        loss = call(module, function, y_hat_tensor, y_tensor, sigma=sigma)
    return LossValues.of(loss=loss, y_hat_after=y_hat_tensor, y_after=y_tensor, builtins=recorder.builtins)


def loss_gradient(module: ModuleType, y_hat: list[Any], y: list[Any], sigma: float) -> LossGradient:
    """The loss and d(sum of the loss)/d y_hat, with y_hat a leaf that requires grad; and the built-ins used."""
    y_hat_leaf = tensor(y_hat, requires_grad=True)
    with _CallRecorder() as recorder:
        loss = call(module, "huber_loss", y_hat_leaf, tensor(y), sigma=sigma)
    loss.sum().backward()
    return LossGradient.of(loss=loss, grad=y_hat_leaf.grad, builtins=recorder.builtins)


def builtin_values(module: ModuleType, y_hat: list[Any], y: list[Any], sigma: float) -> BuiltinValues:
    """huber_via_builtin's values, which built-ins ran, and whether their results reach the return.

    The call is made twice on fresh copies of the inputs, the second time with every built-in's
    result shifted: values that come from a built-in move with it, whatever the student does with
    them on the way (rescale, reshape), while a hand-written formula next to a decoy call does not."""
    with _CallRecorder() as recorder:
        loss = call(module, "huber_via_builtin", tensor(y_hat), tensor(y), sigma=sigma)
    with _CallRecorder(shift=SHIFT):
        shifted = call(module, "huber_via_builtin", tensor(y_hat), tensor(y), sigma=sigma)
    return BuiltinValues.of(loss=loss, builtins=recorder.builtins, legacy_options=recorder.legacy_options,
                            from_builtin=_moves_with_builtin(loss, shifted))


def _moves_with_builtin(loss: Any, shifted: Any) -> bool:
    """Whether every returned value changed when the built-ins' results were shifted."""
    if not (isinstance(loss, torch.Tensor) and isinstance(shifted, torch.Tensor)) or loss.shape != shifted.shape:
        return False
    with torch.no_grad():
        return bool(((shifted.detach().to(torch.float64) - loss.detach().to(torch.float64)).abs() > 1e-6).all())


def scale(module: ModuleType, sigma: float) -> Any:
    """builtin_huber_scale(sigma)."""
    return call(module, "builtin_huber_scale", sigma)
