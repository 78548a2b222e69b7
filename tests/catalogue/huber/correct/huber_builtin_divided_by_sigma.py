"""Both functions use F.huber_loss(delta=sigma, reduction="none") / sigma.

Unusual: the scaled PyTorch Huber loss instead of smooth_l1 or a hand-written formula, also inside
huber_loss; the boundary |r| = sigma falls in torch's linear branch."""

import torch
from torch.nn import functional as F


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=sigma, reduction="none") / sigma


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=sigma, reduction="none") / sigma


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
