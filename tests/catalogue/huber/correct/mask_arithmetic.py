"""Mask arithmetic instead of torch.where: m * linear + (1 - m) * quadratic with a float mask.

Unusual: the mask is a float tensor, and both branches are evaluated everywhere (exercises-notes.md
section 6 Ex 6, correct alternatives)."""

import torch
from torch.nn import functional as F


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    d = r.abs()
    m = (d > sigma).float()
    return m * (d - sigma / 2) + (1 - m) * d**2 / (2 * sigma)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
