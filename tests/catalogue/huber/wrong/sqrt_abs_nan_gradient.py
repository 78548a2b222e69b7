"""|r| written as torch.sqrt(r**2): the gradient at r = 0 is nan (0 * inf through the unused branch).

Source: own (a common "smooth abs" habit). The contract says the gradient is finite everywhere
including r = 0, but test_gradient only uses fresh random residuals, never r = 0."""

import torch
from torch.nn import functional as F

# expect: test_gradient -> wrong_gradient


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    d = torch.sqrt(r**2)
    return torch.where(d > sigma, d - sigma / 2, d**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
