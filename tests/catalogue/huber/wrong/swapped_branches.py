"""Branches swapped: the quadratic piece is used far from zero and the linear piece near it.

Source: exercises-notes.md section 6 Ex 6 ("branches swapped"); reading the case order of D2L's formula
the wrong way round. The pieces still meet at |r| = sigma, so the public continuity check passes."""

import torch
from torch.nn import functional as F

# expect: test_values -> swapped_branches
# expect: test_gradient -> swapped_branches


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, r**2 / (2 * sigma), abs_r - sigma / 2)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
