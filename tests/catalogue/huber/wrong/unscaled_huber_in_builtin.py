"""huber_via_builtin uses F.huber_loss(delta=sigma) without dividing by sigma.

Source: exercises-notes.md sections 3-4 (pandalabme, YuYe10 use nn.HuberLoss as D2L's loss); the
built-in is sigma times D2L's formula and agrees only at sigma = 1."""

import torch
from torch.nn import functional as F

# expect: test_builtin -> unscaled_builtin
# headline: a visible check must catch this one


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
