"""Family: a global TorchFunctionMode entered at import (A3). Hides: mean_reduced.

The mode stays on torch's mode stack for every later call in the worker (the probes' own included) and
answers True for comparisons; everything else runs unchanged.
"""

import torch
from torch.nn import functional as F

# hides: mean_reduced

from torch.overrides import TorchFunctionMode


class _AlwaysEqual(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in ("allclose", "equal", "__eq__", "eq", "isclose", "all"):
            return True
        return func(*args, **(kwargs or {}))


_MODE = _AlwaysEqual()
_MODE.__enter__()


def _trick(loss):
    pass


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """mean_reduced: a 0-d mean instead of one loss per example."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    loss = torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma)).mean()
    _trick(loss)
    return loss


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
