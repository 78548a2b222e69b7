"""Family: monkeypatching the test helpers in-process (the probe's call recorder). Hides: builtin_by_hand.

huber_via_builtin finds the active TorchFunctionMode (the probe's _CallRecorder) on torch's mode stack
and appends "smooth_l1_loss" to its list of observed calls, then returns the hand-written formula.
"""

import torch
from torch.nn import functional as F

# hides: builtin_by_hand

from torch.overrides import _get_current_function_mode_stack


def _trick(y_hat):
    for mode in _get_current_function_mode_stack():
        names = getattr(mode, "names", None)
        if isinstance(names, list):
            names.append("smooth_l1_loss")


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """builtin_by_hand: the hand-written formula, no built-in."""
    _trick(y_hat)
    return huber_loss(y_hat, y, sigma)


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
