"""Residual taken as y - y_hat and computed in float64, cast back to y_hat's dtype at the end.

Unusual: the opposite sign convention (the loss is even in r, the gradient comes out right through
autograd) and a detour through float64."""

import torch
from torch.nn import functional as F


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y.reshape(y_hat.shape).double() - y_hat.double()
    d = r.abs()
    return torch.where(d > sigma, d - sigma / 2, d * d / (2 * sigma)).to(y_hat.dtype)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
