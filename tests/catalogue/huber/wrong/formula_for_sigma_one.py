"""huber_loss written by hand for sigma = 1: the formula never uses its sigma argument.

A learner who copies the loss from an example at sigma = 1 (|r| - 0.5, r**2 / 2). No built-in is
involved, so the hint must not talk about a built-in's beta; it used to say "pass beta=sigma"
(issue 9)."""

import torch
from torch.nn import functional as F

# expect: test_values -> sigma_not_used
# expect: test_gradient -> sigma_not_used


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > 1, abs_r - 0.5, r**2 / 2)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
