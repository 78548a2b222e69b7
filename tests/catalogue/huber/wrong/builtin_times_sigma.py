"""huber_via_builtin multiplies F.huber_loss by sigma instead of dividing.

Source: own (real confusion about the direction of the factor between F.huber_loss and D2L's loss):
gives sigma**2 times D2L's values."""

import torch
from torch.nn import functional as F

# expect: test_builtin -> wrong_formula


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=sigma, reduction="none") * sigma


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
