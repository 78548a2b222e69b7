"""The branch test uses r > sigma instead of |r| > sigma, so large negative residuals stay quadratic.

Source: own (real slip): abs applied in the branch but forgotten in the condition; the loss is no
longer symmetric."""

import torch
from torch.nn import functional as F

# expect: test_values -> wrong_formula
# expect: test_gradient -> wrong_gradient


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
